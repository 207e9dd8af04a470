#!/usr/bin/env python3
"""baove-game against HiGHS on a seeded family of instances.

For every instance it writes the instance JSON, runs our solver through the example binary
(`cargo run --release -p baove-game --example solve -- INSTANCE.json --time`), and solves the
same game independently with HiGHS (highspy):

* the minimax LP (notes §7.3 step 1) gives the attacker level x*; for the route model it is
  written over the node-throughput polytope of notes §4.2 (`x ≤ min(1, y)` on every zone-slot,
  K guards leaving the post at slot 0 and back at slot S, nothing pruned), which shares no code
  or modelling choice with the split graph our solver uses;
* the SSE defender value by pruned multiple LPs (notes §4.3 / §7.1): candidates t* with
  Uau(t*) ≥ x* sorted by their upper bound, LP(t*) = max Ud(t*, c) s.t. t* is a best response
  and c is feasible, until the best value found reaches the next bound;
* for the singleton model also the water-filling closed form in numpy (notes §2.4).

It also checks our answer as a certificate (notes §7.3 step 3): our coverage must be feasible
(its flow conserves K guards and covers no zone-slot beyond the guards there) and
max over the attack set of Ud(t, c) must equal our defender value.

Usage: python3 crates/game/bench/game_vs_highs.py [--quick] [--sse-max-targets N]
       [--lp-max-targets N] [--keep DIR]
`pip install highspy` first. Run from anywhere inside the workspace.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import highspy
import numpy as np

INF = highspy.kHighsInf
TIE = 1e-6  # attack-set tolerance for the HiGHS side (HiGHS works to 1e-7)


# ---------------------------------------------------------------- instances

def payoffs(rng):
    # Kiekintveld et al. 2009 (notes §2.6), continuous: Udc, Uau ~ U[0,100], Udu, Uac ~ U[-100,0].
    return {
        "attacker_reward": rng.uniform(0, 100),
        "attacker_penalty": rng.uniform(-100, 0),
        "defender_reward": rng.uniform(0, 100),
        "defender_penalty": rng.uniform(-100, 0),
    }


def singleton_instance(n, m, seed):
    rng = random.Random(seed)
    return {"guards": m, "targets": [dict(id=f"t{i}", **payoffs(rng)) for i in range(n)]}


def knn_edges(rng, zones, k=3):
    pts = [(rng.random(), rng.random()) for _ in range(zones)]
    d = lambda a, b: ((pts[a][0] - pts[b][0]) ** 2 + (pts[a][1] - pts[b][1]) ** 2) ** 0.5
    edges = set()
    for a in range(zones):
        for b in sorted((b for b in range(zones) if b != a), key=lambda b: d(a, b))[:k]:
            edges.add((min(a, b), max(a, b)))
    while True:  # join components to zone 0's
        seen, stack = {0}, [0]
        adj = {z: [] for z in range(zones)}
        for a, b in edges:
            adj[a].append(b)
            adj[b].append(a)
        while stack:
            v = stack.pop()
            for w in adj[v]:
                if w not in seen:
                    seen.add(w)
                    stack.append(w)
        out = [z for z in range(zones) if z not in seen]
        if not out:
            return sorted(edges)
        near = min(seen, key=lambda z: d(out[0], z))
        edges.add((min(near, out[0]), max(near, out[0])))


def distances(zones, edges, post=0):
    adj = {z: [] for z in range(zones)}
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    dist, frontier = {post: 0}, [post]
    while frontier:
        nxt = []
        for v in frontier:
            for w in adj[v]:
                if w not in dist:
                    dist[w] = dist[v] + 1
                    nxt.append(w)
        frontier = nxt
    return dist


def route_instance(zones, slots, guards, seed, holes=False):
    """A target at every reachable zone-slot (notes §4.3); with holes=True at every zone-slot."""
    rng = random.Random(seed)
    edges = knn_edges(rng, zones)
    dist = distances(zones, edges)
    targets = []
    for s in range(slots + 1):
        for z in range(zones):
            if holes or dist[z] <= min(s, slots - s):
                targets.append(dict(zone=f"z{z}", slot=s, **payoffs(rng)))
    return {
        "slots": slots, "guards": guards, "post": "z0",
        "zones": [{"id": f"z{z}"} for z in range(zones)],
        "edges": [[f"z{a}", f"z{b}"] for a, b in edges],
        "targets": targets,
        "seed": seed,
    }


# ---------------------------------------------------------------- HiGHS models

class Lp:
    """Rows collected as (lower, upper, {col: coef}) and passed to HiGHS in one CSR batch."""

    def __init__(self):
        self.lb, self.ub, self.cost = [], [], []
        self.rows = []

    def var(self, lb=0.0, ub=INF, cost=0.0):
        self.lb.append(lb)
        self.ub.append(ub)
        self.cost.append(cost)
        return len(self.lb) - 1

    def row(self, lo, hi, coefs):
        self.rows.append((lo, hi, coefs))

    def solve(self, maximize, ipm):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        if ipm:
            h.setOptionValue("solver", "ipm")
        n = len(self.lb)
        h.addVars(n, np.array(self.lb), np.array(self.ub))
        h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(self.cost))
        starts, idx, val, lo, hi = [], [], [], [], []
        for r_lo, r_hi, coefs in self.rows:
            starts.append(len(idx))
            lo.append(r_lo)
            hi.append(r_hi)
            for c, v in coefs.items():
                idx.append(c)
                val.append(v)
        h.addRows(len(lo), np.array(lo), np.array(hi), len(idx), np.array(starts, dtype=np.int32),
                  np.array(idx, dtype=np.int32), np.array(val))
        if maximize:
            h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        t0 = time.perf_counter()
        h.run()
        secs = time.perf_counter() - t0
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return None, None, secs
        return h.getInfo().objective_function_value, list(h.getSolution().col_value), secs


def singleton_polytope(lp, inst):
    cov = [lp.var(0.0, 1.0) for _ in inst["targets"]]
    lp.row(-INF, inst["guards"], {c: 1.0 for c in cov})
    return cov


def route_polytope(lp, inst):
    """Node-throughput polytope of notes §4.2 over all zone-slots."""
    zones = [z["id"] for z in inst["zones"]]
    S, K, post = inst["slots"], inst["guards"], inst["post"]
    nbr = {z: [z] for z in zones}
    for a, b in inst["edges"]:
        nbr[a].append(b)
        nbr[b].append(a)
    into = {(z, s): [] for z in zones for s in range(S + 1)}
    out = {(z, s): [] for z in zones for s in range(S + 1)}
    for s in range(S):
        for v in zones:
            if s == 0 and v != post:
                continue
            for w in nbr[v]:
                if s + 1 == S and w != post:
                    continue
                m = lp.var()
                out[(v, s)].append(m)
                into[(w, s + 1)].append(m)
    lp.row(K, K, {m: 1.0 for m in out[(post, 0)]})
    for s in range(1, S):
        for z in zones:
            coefs = {m: 1.0 for m in into[(z, s)]}
            for m in out[(z, s)]:
                coefs[m] = coefs.get(m, 0.0) - 1.0
            if coefs:
                lp.row(0.0, 0.0, coefs)
    cov = []
    for t in inst["targets"]:
        key = (t["zone"], t["slot"])
        x = lp.var(0.0, 1.0)
        cov.append(x)
        if t["slot"] == 0:
            lp.row(-INF, K if t["zone"] == post else 0.0, {x: 1.0})
        else:
            coefs = {m: -1.0 for m in into[key]}
            coefs[x] = 1.0
            lp.row(-INF, 0.0, coefs)
    return cov


def polytope(inst):
    return route_polytope if "post" in inst else singleton_polytope


def highs_minimax(inst, ipm):
    lp = Lp()
    cov = polytope(inst)(lp, inst)
    k = lp.var(-INF, INF, 1.0)
    for x, t in zip(cov, inst["targets"]):
        lp.row(t["attacker_reward"], INF, {k: 1.0, x: t["attacker_reward"] - t["attacker_penalty"]})
    value, _, secs = lp.solve(False, ipm)
    return value, secs


def upper_bound(t, level):
    c = min(1.0, max(0.0, (t["attacker_reward"] - level) / (t["attacker_reward"] - t["attacker_penalty"])))
    return t["defender_penalty"] + (t["defender_reward"] - t["defender_penalty"]) * c


def highs_sse(inst, level, ipm):
    """Pruned multiple LPs (notes §4.3): returns (value, seconds, LPs solved)."""
    targets = inst["targets"]
    cands = [i for i, t in enumerate(targets) if t["attacker_reward"] >= level - TIE]
    cands.sort(key=lambda i: -upper_bound(targets[i], level))
    best, secs, solved = -INF, 0.0, 0
    for i in cands:
        if best >= upper_bound(targets[i], level) - 1e-9:
            break
        star = targets[i]
        lp = Lp()
        cov = polytope(inst)(lp, inst)
        lp.cost[cov[i]] = star["defender_reward"] - star["defender_penalty"]
        ds = star["attacker_penalty"] - star["attacker_reward"]
        for j, t in enumerate(targets):
            if j != i:
                # Ua(t, c) ≤ Ua(t*, c), linear (§7.1)
                lp.row(-INF, star["attacker_reward"] - t["attacker_reward"],
                       {cov[j]: t["attacker_penalty"] - t["attacker_reward"], cov[i]: -ds})
        value, _, s = lp.solve(True, ipm)
        secs += s
        solved += 1
        if value is not None:
            best = max(best, value + star["defender_penalty"])
    return best, secs, solved


def water_filling(inst):
    """The closed form of notes §2.4 in numpy: (x*, defender value)."""
    t = inst["targets"]
    uau = np.array([x["attacker_reward"] for x in t])
    uac = np.array([x["attacker_penalty"] for x in t])
    udc = np.array([x["defender_reward"] for x in t])
    udu = np.array([x["defender_penalty"] for x in t])
    m = inst["guards"]
    order = np.argsort(-uau)
    u, w = uau[order], 1.0 / (uau[order] - uac[order])
    s1, s2 = np.cumsum(w), np.cumsum(u * w)
    need_at = np.concatenate(([0.0], s2[:-1] - u[1:] * s1[:-1]))  # need(u_j), sums over i < j
    over = np.nonzero(need_at > m)[0]
    j = over[0] - 1 if len(over) else len(u) - 1
    level = max(uac.max(), (s2[j] - m) / s1[j])
    c = np.clip((uau - level) / (uau - uac), 0.0, 1.0)
    ud = udu + (udc - udu) * c
    return level, ud[uau >= level - TIE].max()


# ---------------------------------------------------------------- our solver

def ours(path, workspace):
    cmd = ["cargo", "run", "--release", "-q", "-p", "baove-game", "--example", "solve", "--", path, "--time"]
    t0 = time.perf_counter()
    run = subprocess.run(cmd, cwd=workspace, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if run.returncode != 0:
        sys.exit(f"our solver failed on {path}: {run.stderr}")
    secs = next(float(l.split()[1]) for l in run.stderr.splitlines() if l.startswith("solve_seconds"))
    return json.loads(run.stdout), secs, wall


def certificate(inst, sol):
    """Max violation of our coverage's feasibility and |our value − max over Γ(c) of Ud|."""
    targets, cov = inst["targets"], [c["p"] for c in sol["coverage"]]
    viol = max(max(-c, c - 1.0) for c in cov)
    if "post" in inst:
        zones, S, K, post = [z["id"] for z in inst["zones"]], inst["slots"], inst["guards"], inst["post"]
        flow_in = {(z, s): 0.0 for z in zones for s in range(S + 1)}
        flow_out = dict(flow_in)
        nbr = {(a, b) for a, b in inst["edges"]} | {(b, a) for a, b in inst["edges"]}
        for m in sol["flow"]:
            if m["from"] != m["to"] and (m["from"], m["to"]) not in nbr:
                viol = max(viol, float("inf"))
            flow_out[(m["from"], m["slot"])] += m["f"]
            flow_in[(m["to"], m["slot"] + 1)] += m["f"]
        flow_in[(post, 0)] += K
        flow_out[(post, S)] += K
        viol = max(viol, max(abs(flow_in[k] - flow_out[k]) for k in flow_in))
        for t, c in zip(targets, cov):
            viol = max(viol, c - flow_in[(t["zone"], t["slot"])])
    else:
        viol = max(viol, sum(cov) - inst["guards"])
    ua = [t["attacker_reward"] - c * (t["attacker_reward"] - t["attacker_penalty"]) for t, c in zip(targets, cov)]
    top = max(ua)
    lb = max(t["defender_penalty"] + c * (t["defender_reward"] - t["defender_penalty"])
             for t, c, a in zip(targets, cov, ua) if a >= top - TIE)
    return viol, abs(lb - sol["defender_value"]), abs(top - sol["attacker_value"])


# ---------------------------------------------------------------- main

def family(quick):
    singles = [(10, 3), (100, 20), (1_000, 200), (10_000, 1_000), (100_000, 10_000)]
    routes = [(10, 12, 2, False), (10, 12, 3, True), (20, 16, 3, False), (40, 32, 3, False), (40, 32, 8, False),
              (40, 32, 20, False), (100, 48, 10, False), (200, 48, 20, False)]
    if quick:
        singles, routes = singles[:3], routes[:5]
    for n, m in singles:
        yield f"singleton n={n} m={m}", singleton_instance(n, m, seed=n)
    for zones, slots, guards, holes in routes:
        name = f"routes {zones}z×{slots}s K={guards}" + (" +holes" if holes else "")
        yield name, route_instance(zones, slots, guards, seed=zones * 100 + slots + guards, holes=holes)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="only the smaller instances")
    ap.add_argument("--lp-max-targets", type=int, default=10**9, help="skip the HiGHS minimax LP above this")
    ap.add_argument("--sse-max-targets", type=int, default=10**9, help="skip the HiGHS multiple LPs above this")
    ap.add_argument("--keep", help="write the instances into this directory and keep them")
    args = ap.parse_args()
    workspace = subprocess.run(["cargo", "locate-project", "--workspace", "--message-format", "plain"],
                               capture_output=True, text=True, check=True).stdout.strip()
    workspace = os.path.dirname(workspace)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "baove-game", "--example", "solve"],
                   cwd=workspace, check=True)
    folder = args.keep or tempfile.mkdtemp(prefix="baove-game-")
    os.makedirs(folder, exist_ok=True)

    head = (f"{'instance':<28} {'targets':>7} {'ours ms':>9} {'ours x*':>11} {'ours Ud':>11} {'HiGHS mm s':>10} "
            f"{'HiGHS x*':>11} {'HiGHS SSE s':>11} {'LPs':>3} {'HiGHS Ud':>11} {'|Δx*|':>8} {'|ΔUd|':>8} {'cert':>8}")
    print(head)
    print("-" * len(head))
    worst = 0.0
    for name, inst in family(args.quick):
        path = os.path.join(folder, name.replace(" ", "_").replace("×", "x").replace("=", "") + ".json")
        with open(path, "w") as f:
            json.dump(inst, f)
        sol, secs, _ = ours(path, workspace)
        n = len(inst["targets"])
        ipm = n >= 5_000 or "post" in inst and n >= 2_000
        x_h = ud_h = None
        mm_s = sse_s = float("nan")
        lps = 0
        if n <= args.lp_max_targets:
            x_h, mm_s = highs_minimax(inst, ipm)
        if x_h is not None and n <= args.sse_max_targets:
            ud_h, sse_s, lps = highs_sse(inst, x_h, ipm)
        viol, dlb, dtop = certificate(inst, sol)
        cert = max(viol, dlb, dtop)
        dx = abs(sol["attacker_value"] - x_h) if x_h is not None else float("nan")
        dd = abs(sol["defender_value"] - ud_h) if ud_h is not None else float("nan")
        fmt = lambda v: f"{v:11.6f}" if v is not None else f"{'—':>11}"
        print(f"{name:<28} {n:>7} {secs * 1e3:9.2f} {fmt(sol['attacker_value'])} {fmt(sol['defender_value'])} "
              f"{mm_s:10.3f} {fmt(x_h)} {sse_s:11.3f} {lps:>3} {fmt(ud_h)} {dx:8.1e} {dd:8.1e} {cert:8.1e}")
        if "post" not in inst:
            lvl, ud = water_filling(inst)
            print(f"{'  numpy water-filling':<28} {'':>7} {'':>9} {fmt(lvl)} {fmt(ud)}   "
                  f"|Δx*| {abs(lvl - sol['attacker_value']):.1e}  |ΔUd| {abs(ud - sol['defender_value']):.1e}")
            worst = max(worst, abs(lvl - sol["attacker_value"]), abs(ud - sol["defender_value"]))
        for d in (dx, dd, cert):
            if d == d:
                worst = max(worst, d)
        sys.stdout.flush()
    print(f"\nlargest |difference| or certificate gap: {worst:.2e} (goal ≤ 1e-6)")
    print("ours ms: parse + solve + write inside the solve example; HiGHS s: Highs.run() only, model building "
          "in Python excluded; mm = minimax LP; SSE = pruned multiple LPs (notes §4.3).")
    if not args.keep:
        for f in os.listdir(folder):
            os.remove(os.path.join(folder, f))
        os.rmdir(folder)
    sys.exit(0 if worst <= 1e-6 else 1)


if __name__ == "__main__":
    main()
