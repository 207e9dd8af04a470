//! Gate benchmark (a program, not a test). 50 gates at once, each a gate account of its own
//! unit (50 units of one ward, one site each), each checking in 40 visitors one after the
//! other by a typed CCCD number: `POST /gate/checkin` as the gate page's form sends it (CSRF,
//! consent, a client-minted visit id), the 303 not followed. Prints check-ins per second and
//! p50/p99 latency on SQLite and on PostgreSQL, each next to the reference: the same check-ins
//! written straight through the store (no HTTP, no form parsing), on a fresh database too.
//!
//! `cargo run --release -p baove-server --example bench_gate [gates=50] [per_gate=40]`
//! (PostgreSQL at `BAOVE_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`;
//! a fresh database is created for each run).

use std::sync::Arc;
use std::time::Instant;

use baove_core::access::{Org, Principal, Role};
use baove_core::account::AccountInput;
use baove_core::visitor::cccd::HISTORIC_PROVINCES;
use baove_core::visitor::{CheckInDraft, VisitId};
use baove_core::{SiteId, UnitId};
use baove_store::conformance::{World, system};
use baove_store::{Actor, CheckInRequest, Store};
use jiff::Timestamp;

mod support;

use support::{PASSWORD, client, percentile};

/// A gate: its account, unit and site.
struct Gate {
    username: String,
    principal: Principal,
    unit: UnitId,
    site: SiteId,
}

/// A valid CCCD number, distinct for each (gate, n): a province of the historical table, a
/// 20th-century birth year and a sequence made of both indices.
fn cccd(gate: usize, n: usize) -> String {
    let (code, _, _) = HISTORIC_PROVINCES[(gate + n) % HISTORIC_PROVINCES.len()];
    let gender = n % 2;
    let year = 50 + (gate * 7 + n) % 50;
    format!("{code}{gender}{year:02}{:06}", gate * 1000 + n)
}

async fn gates(store: &dyn Store, count: usize) -> Vec<Gate> {
    let sys = system();
    let w = World::build(store).await;
    let hash = baove_server::auth::password::hash(PASSWORD).unwrap();
    let mut out = Vec::new();
    for i in 0..count {
        let (unit, site) =
            support::unit_with_site(store, w.ward_a.id, &format!("Công ty Đo Lường số {i}"), "Cổng chính").await;
        let input = AccountInput {
            username: format!("cong{i}"),
            display_name: format!("Cổng {i}"),
            role: Role::Gate,
            org: Org::Unit(unit.id),
            guard_id: None,
            password: String::new(),
        };
        let account = store.create_account(&sys, &input, &hash).await.unwrap();
        out.push(Gate { username: input.username, principal: account.principal(), unit: unit.id, site: site.id });
    }
    out
}

/// Check-ins per second and the sorted latencies (ms) of one run.
struct Run {
    rate: f64,
    latencies: Vec<f64>,
}

/// Releases the gates waiting at `start` and times them until the last is done.
async fn timed(start: &tokio::sync::Barrier, tasks: Vec<tokio::task::JoinHandle<Vec<f64>>>) -> Run {
    start.wait().await;
    let started = Instant::now();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let secs = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    #[allow(clippy::cast_precision_loss)]
    let rate = latencies.len() as f64 / secs;
    Run { rate, latencies }
}

async fn over_http(store: Arc<dyn Store>, count: usize, per_gate: usize) -> Run {
    let gates = gates(store.as_ref(), count).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = baove_server::Config { nightly_plans: false, ..Default::default() };
    let state = baove_server::AppState::new(store, config);
    tokio::spawn(baove_server::serve(listener, state, std::future::pending()));
    let mut clients = Vec::new();
    for g in &gates {
        clients.push(client(&base, &g.username).await);
    }
    let start = Arc::new(tokio::sync::Barrier::new(count + 1));
    let mut tasks = Vec::new();
    for (i, ((c, csrf), g)) in clients.into_iter().zip(&gates).enumerate() {
        let (base, start, site) = (base.clone(), start.clone(), g.site.to_string());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let mut took = Vec::with_capacity(per_gate);
            for n in 0..per_gate {
                let id = VisitId(uuid::Uuid::now_v7()).to_string();
                let number = cccd(i, n);
                let name = format!("Khách Thử Số {n}");
                let form = [
                    ("_csrf", csrf.as_str()),
                    ("id", &id),
                    ("site_id", &site),
                    ("doc_kind", "cccd"),
                    ("doc_number", &number),
                    ("name", &name),
                    ("organisation", "Công ty TNHH Giao Nhận"),
                    ("purpose", "Giao hàng"),
                    ("plate", "29A-123.45"),
                    ("consent", "on"),
                ];
                let t = Instant::now();
                let resp = c.post(format!("{base}/gate/checkin")).form(&form).send().await.unwrap();
                took.push(t.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(resp.status(), 303, "check-in {n} of gate {i}: {}", resp.text().await.unwrap_or_default());
            }
            took
        }));
    }
    timed(&start, tasks).await
}

async fn through_store(store: Arc<dyn Store>, count: usize, per_gate: usize) -> Run {
    let gates = gates(store.as_ref(), count).await;
    let today = baove_core::time::local_date(Timestamp::now());
    let start = Arc::new(tokio::sync::Barrier::new(count + 1));
    let mut tasks = Vec::new();
    for (i, g) in gates.into_iter().enumerate() {
        let (store, start) = (store.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let mut took = Vec::with_capacity(per_gate);
            for n in 0..per_gate {
                let draft = CheckInDraft {
                    doc_kind: "cccd".into(),
                    doc_number: cccd(i, n),
                    name: format!("Khách Thử Số {n}"),
                    organisation: "Công ty TNHH Giao Nhận".into(),
                    purpose: "Giao hàng".into(),
                    plate: "29A-123.45".into(),
                    ..CheckInDraft::default()
                };
                let req = CheckInRequest {
                    id: VisitId(uuid::Uuid::now_v7()),
                    unit_id: g.unit,
                    site_id: g.site,
                    check_in: draft.parse(today).unwrap(),
                    card: None,
                    consent_version: baove_core::visitor::consent::CURRENT_VERSION.into(),
                    overnight: false,
                    traveller: None,
                };
                let actor = Actor { principal: g.principal.clone(), at: Timestamp::now() };
                let t = Instant::now();
                store.check_in(&actor, &req).await.unwrap();
                took.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            took
        }));
    }
    timed(&start, tasks).await
}

async fn sqlite() -> Arc<dyn Store> {
    let dir = std::env::temp_dir().join(format!("baove-bench-gate-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    Arc::new(baove_store_sqlite::open(dir.join("bench.db").to_str().unwrap()).await.unwrap())
}

async fn postgres() -> Arc<dyn Store> {
    let url = std::env::var("BAOVE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let db = baove_store_postgres::create_test_database(&url).await.expect("PostgreSQL reachable");
    Arc::new(baove_store_postgres::open(&db).await.unwrap())
}

fn line(what: &str, r: &Run) {
    println!(
        "  {what:<44}: {:>7.0} check-ins/s   p50 {:>7.1} ms   p99 {:>7.1} ms",
        r.rate,
        percentile(&r.latencies, 0.5),
        percentile(&r.latencies, 0.99)
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let per_gate: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(40);
    println!("gate benchmark: {count} gates (one unit each) × {per_gate} check-ins by typed CCCD");
    for (backend, http, direct) in [
        (
            "SQLite (WAL)",
            over_http(sqlite().await, count, per_gate).await,
            through_store(sqlite().await, count, per_gate).await,
        ),
        (
            "PostgreSQL",
            over_http(postgres().await, count, per_gate).await,
            through_store(postgres().await, count, per_gate).await,
        ),
    ] {
        println!("{backend}");
        line("POST /gate/checkin over HTTP", &http);
        line("reference: store.check_in, no HTTP", &direct);
        println!("  ratio HTTP / reference                      : {:>7.2}", http.rate / direct.rate);
    }
}
