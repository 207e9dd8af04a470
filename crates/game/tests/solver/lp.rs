//! A dense two-phase simplex with Bland's rule, for the brute-force cross-checks only: it is
//! slow and simple on purpose, shares no code with the solver, and on the tiny LPs of these
//! tests (a few dozen rows) it is exact to about 1e-12.

const EPS: f64 = 1e-11;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Le,
    Ge,
    Eq,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub coeffs: Vec<f64>,
    pub cmp: Cmp,
    pub rhs: f64,
}

impl Row {
    pub fn new(coeffs: Vec<f64>, cmp: Cmp, rhs: f64) -> Self {
        Self { coeffs, cmp, rhs }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Optimal { value: f64, x: Vec<f64> },
    Infeasible,
    Unbounded,
}

impl Outcome {
    pub fn value(&self) -> Option<f64> {
        match self {
            Self::Optimal { value, .. } => Some(*value),
            _ => None,
        }
    }
}

/// maximize objective·x subject to rows, x ≥ 0.
pub fn maximize(objective: &[f64], rows: &[Row]) -> Outcome {
    let n = objective.len();
    let m = rows.len();
    // Columns: originals, one slack/surplus per inequality, one artificial per ≥/= row.
    let mut rows: Vec<Row> = rows.to_vec();
    for r in &mut rows {
        r.coeffs.resize(n, 0.0);
        if r.rhs < 0.0 {
            r.rhs = -r.rhs;
            r.coeffs.iter_mut().for_each(|c| *c = -*c);
            r.cmp = match r.cmp {
                Cmp::Le => Cmp::Ge,
                Cmp::Ge => Cmp::Le,
                Cmp::Eq => Cmp::Eq,
            };
        }
    }
    let slacks = rows.iter().filter(|r| r.cmp != Cmp::Eq).count();
    let artificials = rows.iter().filter(|r| r.cmp != Cmp::Le).count();
    let cols = n + slacks + artificials;
    let mut t = vec![vec![0.0; cols + 1]; m];
    let mut basis = vec![0; m];
    let (mut s, mut a) = (n, n + slacks);
    for (i, r) in rows.iter().enumerate() {
        t[i][..n].copy_from_slice(&r.coeffs);
        t[i][cols] = r.rhs;
        match r.cmp {
            Cmp::Le => {
                t[i][s] = 1.0;
                basis[i] = s;
                s += 1;
            }
            Cmp::Ge => {
                t[i][s] = -1.0;
                s += 1;
                t[i][a] = 1.0;
                basis[i] = a;
                a += 1;
            }
            Cmp::Eq => {
                t[i][a] = 1.0;
                basis[i] = a;
                a += 1;
            }
        }
    }
    let artificial = |j: usize| j >= n + slacks && j < cols;
    let mut phase1 = vec![0.0; cols];
    for (j, c) in phase1.iter_mut().enumerate() {
        if artificial(j) {
            *c = -1.0;
        }
    }
    if !run(&mut t, &mut basis, &phase1, &|_| true) {
        return Outcome::Unbounded;
    }
    let infeasibility: f64 = basis.iter().enumerate().filter(|&(_, &b)| artificial(b)).map(|(i, _)| t[i][cols]).sum();
    if infeasibility > 1e-12 {
        return Outcome::Infeasible;
    }
    // Drive zero-level artificials out of the basis where a real column can replace them.
    for i in 0..m {
        if artificial(basis[i])
            && let Some(j) = (0..n + slacks).find(|&j| t[i][j].abs() > 1e-9)
        {
            pivot(&mut t, &mut basis, i, j);
        }
    }
    let mut phase2 = vec![0.0; cols];
    phase2[..n].copy_from_slice(objective);
    if !run(&mut t, &mut basis, &phase2, &|j| !artificial(j)) {
        return Outcome::Unbounded;
    }
    let mut x = vec![0.0; n];
    for (i, &b) in basis.iter().enumerate() {
        if b < n {
            x[b] = t[i][cols];
        }
    }
    let value = objective.iter().zip(&x).map(|(c, v)| c * v).sum();
    Outcome::Optimal { value, x }
}

/// Primal simplex to optimality; false if unbounded.
fn run(t: &mut [Vec<f64>], basis: &mut [usize], cost: &[f64], allowed: &dyn Fn(usize) -> bool) -> bool {
    let cols = cost.len();
    for _ in 0..100_000 {
        let entering = (0..cols).filter(|&j| allowed(j) && !basis.contains(&j)).find(|&j| {
            let reduced = cost[j] - basis.iter().enumerate().map(|(i, &b)| cost[b] * t[i][j]).sum::<f64>();
            reduced > EPS
        });
        let Some(j) = entering else { return true };
        let mut leave: Option<(usize, f64)> = None;
        for i in 0..t.len() {
            if t[i][j] > EPS {
                let ratio = t[i][cols] / t[i][j];
                let better = match leave {
                    None => true,
                    Some((l, r)) => ratio < r - 1e-13 || (ratio <= r + 1e-13 && basis[i] < basis[l]),
                };
                if better {
                    leave = Some((i, ratio));
                }
            }
        }
        let Some((i, _)) = leave else { return false };
        pivot(t, basis, i, j);
    }
    panic!("simplex did not terminate");
}

fn pivot(t: &mut [Vec<f64>], basis: &mut [usize], row: usize, col: usize) {
    let p = t[row][col];
    t[row].iter_mut().for_each(|v| *v /= p);
    let pivot_row = t[row].clone();
    for (i, r) in t.iter_mut().enumerate() {
        if i != row {
            let factor = r[col];
            if factor != 0.0 {
                r.iter_mut().zip(&pivot_row).for_each(|(v, p)| *v -= factor * p);
            }
        }
    }
    basis[row] = col;
}

#[test]
fn the_simplex_solves_a_textbook_lp() {
    // max 3x + 5y, x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 → 36 at (2, 6).
    let out = maximize(
        &[3.0, 5.0],
        &[
            Row::new(vec![1.0, 0.0], Cmp::Le, 4.0),
            Row::new(vec![0.0, 2.0], Cmp::Le, 12.0),
            Row::new(vec![3.0, 2.0], Cmp::Le, 18.0),
        ],
    );
    assert!((out.value().unwrap() - 36.0).abs() < 1e-9);
}

#[test]
fn the_simplex_handles_equalities_and_lower_bounds() {
    // max −x − y, x + y = 3, x ≥ 1 → −3.
    let out =
        maximize(&[-1.0, -1.0], &[Row::new(vec![1.0, 1.0], Cmp::Eq, 3.0), Row::new(vec![1.0, 0.0], Cmp::Ge, 1.0)]);
    assert!((out.value().unwrap() + 3.0).abs() < 1e-9);
    let none = maximize(&[1.0], &[Row::new(vec![1.0], Cmp::Le, 1.0), Row::new(vec![1.0], Cmp::Ge, 2.0)]);
    assert_eq!(none, Outcome::Infeasible);
}
