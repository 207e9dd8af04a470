//! Alarm benchmark (a program, not a test). Prints, in one run:
//! 1. sustained device events per second into SQLite with durable commit (WAL,
//!    `synchronous=FULL`): MQTT payloads in baove's generic format are parsed, placed, run
//!    through the alarm rules and stored by the engine in the MQTT loop's batches of 256, one
//!    transaction each — next to a bare loop inserting the same rows into the same table, one
//!    statement per row and one transaction per 256 rows, as the reference;
//! 2. p50/p99 from an MQTT publish on the local broker to the alarm arriving on a console's
//!    server-sent event stream, at a steady rate.
//!
//! Goals (issue 6): at least 20,000 events/s and 50 % of the bare-insert rate; p99 ≤ 50 ms.
//!
//! `cargo run --release -p baove-server --example bench_alarms [events=50000] [live=5000] [rate=1000]`
//! (needs Mosquitto at `BAOVE_TEST_MQTT_URL`, default `mqtt://127.0.0.1:1883`, for part 2).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use baove_core::access::{Org, Role};
use baove_core::account::AccountInput;
use baove_core::alarm::arming::{ArmingMode, ZoneArming};
use baove_core::alarm::formats::Router;
use baove_core::registry::{ZoneInput, ZoneKind};
use baove_core::{UnitId, ZoneId};
use baove_server::alarm::engine::{Incoming, Refused};
use baove_server::alarm::mqtt::MqttConfig;
use baove_store::conformance::system;
use baove_store::{BindingInput, EventRecord, Store};
use jiff::Timestamp;
use sqlx::Connection;

mod support;

use support::{PASSWORD, client, percentile, read_sse};

/// Zones of the site; the first is armed, the others are not (daytime traffic).
const ZONES: usize = 20;
/// Devices sending, spread over the zones.
const DEVICES: usize = 1000;
const BATCH: usize = 256;

struct Site {
    store: Arc<dyn Store>,
    unit: UnitId,
    zones: Vec<ZoneId>,
    dir: std::path::PathBuf,
}

async fn site(prefix: &str) -> Site {
    let support::Premises { store, dir, unit, site } = support::premises("Nhà máy Đo Lường", "Xưởng").await;
    let sys = system();
    let mut zones = Vec::new();
    for z in 0..ZONES {
        let zone = store
            .create_zone(
                &sys,
                &ZoneInput {
                    id: None,
                    site_id: site.id,
                    kind: ZoneKind::Storeroom,
                    name: format!("Khu {z}"),
                    sensitivity: 3,
                    asset_value: 0,
                    description: String::new(),
                },
            )
            .await
            .unwrap();
        let binding = BindingInput {
            zone_id: zone.id,
            device_id: None,
            filter: format!("{prefix}/+"),
            zone_hint: format!("z{z}"),
        };
        store.add_binding(&sys, &binding).await.unwrap();
        // Explicit schedules, so the figures do not depend on the hour the bench runs at.
        let mode = if z == 0 { ArmingMode::AlwaysArmed } else { ArmingMode::NeverArmed };
        let arming = ZoneArming { mode, ..ZoneArming::default() };
        store.set_arming_schedule(&sys, unit.id, Some(zone.id), Some(&arming)).await.unwrap();
        zones.push(zone.id);
    }
    Site { store, unit: unit.id, zones, dir }
}

/// Event `i`: device `d<i mod DEVICES>` in zone `z<device mod ZONES>`, motion or a door.
fn payload(i: usize, tag: &str) -> (String, String) {
    let d = i % DEVICES;
    let kind = if i.is_multiple_of(2) { "motion" } else { "door_open" };
    let body = format!(r#"{{"id":"{tag}-{i}","device":"d{d}","kind":"{kind}","zone":"z{}"}}"#, d % ZONES);
    (format!("d{d}"), body)
}

async fn sustained(events: usize) -> (f64, f64, u64) {
    let prefix = "bench";
    let s = site(prefix).await;
    let state = baove_server::AppState::new(s.store.clone(), baove_server::Config::default());
    let router = Router { generic: vec![prefix.into()], ..Default::default() };
    let messages: Vec<(String, String)> =
        (0..events).map(|i| payload(i, "s")).map(|(d, body)| (format!("{prefix}/{d}/event"), body)).collect();
    // Warm the engine (loads bindings and zones) outside the measurement.
    let (t, b) = payload(0, "warm");
    let warm = router.parse(&format!("{prefix}/{t}/event"), b.as_bytes(), Timestamp::now()).unwrap();
    state
        .alarms
        .ingest(&state, warm.into_iter().map(|event| Incoming { event, place: None }).collect(), &Refused::default())
        .await
        .unwrap();

    let started = Instant::now();
    let mut alarms = 0u64;
    let mut records = Vec::with_capacity(events);
    for chunk in messages.chunks(BATCH) {
        let now = Timestamp::now();
        let mut items = Vec::with_capacity(chunk.len());
        for (topic, body) in chunk {
            let parsed = router.parse(topic, body.as_bytes(), now).unwrap();
            items.extend(parsed.into_iter().map(|event| Incoming { event, place: None }));
        }
        // Kept for the reference loop below: the very rows the engine stored.
        records.extend(items.iter().map(|i| i.event.clone()));
        alarms += state.alarms.ingest(&state, items, &Refused::default()).await.unwrap().len() as u64;
    }
    let ours = started.elapsed().as_secs_f64();

    // Reference: the same rows, one insert statement each, 256 per transaction, on a fresh file
    // with the same schema and settings.
    let ref_path = s.dir.join("bare.db");
    drop(baove_store_sqlite::open(ref_path.to_str().unwrap()).await.unwrap());
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&ref_path)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
        .foreign_keys(false);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    let zone = s.zones[0];
    let started = Instant::now();
    for chunk in records.chunks(BATCH) {
        let mut tx = conn.begin().await.unwrap();
        for e in chunk {
            sqlx::query(
                "insert into device_events (id, idem_key, unit_id, site_id, zone_id, alarm_id, source, kind, phase,
                                            device, occurred_at, received_at, event)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 on conflict (idem_key) do nothing",
            )
            .bind(uuid::Uuid::now_v7())
            .bind(EventRecord::key(e))
            .bind(s.unit.0)
            .bind(zone.0)
            .bind(zone.0)
            .bind(None::<uuid::Uuid>)
            .bind(e.source.code())
            .bind(e.kind.code())
            .bind(e.phase.code())
            .bind(e.device.as_str())
            .bind(e.occurred_at.map(Timestamp::as_microsecond))
            .bind(e.received_at.as_microsecond())
            .bind(serde_json::to_string(e).unwrap())
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let bare = started.elapsed().as_secs_f64();
    drop(conn);
    let _ = std::fs::remove_dir_all(&s.dir);
    #[allow(clippy::cast_precision_loss)]
    let n = events as f64;
    (n / ours, n / bare, alarms)
}

async fn live(events: usize, rate: u32, url: &str) -> Vec<f64> {
    let tag = uuid::Uuid::now_v7().simple().to_string();
    let prefix = format!("bench{tag}");
    let s = site(&prefix).await;
    let hash = baove_server::auth::password::hash(PASSWORD).unwrap();
    let account = AccountInput {
        username: "truongca".into(),
        display_name: "Trưởng ca".into(),
        role: Role::SecurityOfficer,
        org: Org::Unit(s.unit),
        guard_id: None,
        password: String::new(),
    };
    s.store.create_account(&system(), &account, &hash).await.unwrap();
    let mut mqtt = MqttConfig::new(url);
    mqtt.client_id = format!("baove-bench-{tag}");
    mqtt.router.generic = vec![prefix.clone()];
    let config = baove_server::Config { mqtt: Some(mqtt), ..baove_server::Config::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = baove_server::AppState::new(s.store.clone(), config);
    tokio::spawn(baove_server::serve(listener, state, std::future::pending()));
    let (officer, _) = client(&base, "truongca").await;
    tokio::time::sleep(Duration::from_millis(800)).await;

    // Devices of the armed zone only, so every event changes an alarm: a device's first event
    // raises it, its next ones add to its count. An event is known on the stream by
    // (device, count).
    let armed: Vec<usize> = (0..DEVICES).filter(|d| d % ZONES == 0).collect();
    let (host, port) = baove_server::alarm::mqtt::host_port(url).unwrap();
    let (publisher, mut el) =
        rumqttc::AsyncClient::new(rumqttc::MqttOptions::new(format!("bench-pub-{tag}"), host, port), 4096);
    tokio::spawn(async move { while el.poll().await.is_ok() {} });
    let sse = officer.get(format!("{base}/alarms/events")).send().await.unwrap();
    let sent: Arc<std::sync::Mutex<HashMap<(String, u64), Instant>>> = Arc::default();
    let reader = {
        let sent = sent.clone();
        tokio::spawn(async move {
            let mut delays = Vec::new();
            read_sse(sse, Duration::from_secs(10), |v, arrived| {
                let device = v["devices"][0].as_str().unwrap_or_default().to_owned();
                let count = v["triggers"].as_u64().unwrap_or(0);
                if let Some(at) = sent.lock().unwrap().remove(&(device, count)) {
                    delays.push(arrived.duration_since(at).as_secs_f64() * 1000.0);
                }
                delays.len() < events
            })
            .await;
            delays
        })
    };
    let start = Instant::now();
    let mut counts: HashMap<usize, u64> = HashMap::new();
    for i in 0..events {
        let due = start + Duration::from_secs_f64(i as f64 / f64::from(rate));
        tokio::time::sleep_until(due.into()).await;
        let d = armed[i % armed.len()];
        let body = format!(r#"{{"id":"l-{i}","device":"d{d}","kind":"motion","zone":"z{}"}}"#, d % ZONES);
        let count = counts.entry(d).or_insert(0);
        *count += 1;
        sent.lock().unwrap().insert((format!("{prefix}/d{d}"), *count), Instant::now());
        publisher.publish(format!("{prefix}/d{d}/event"), rumqttc::QoS::AtLeastOnce, false, body).await.unwrap();
    }
    let mut delays = reader.await.unwrap();
    let _ = std::fs::remove_dir_all(&s.dir);
    delays.sort_by(f64::total_cmp);
    delays
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let events: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let live_events: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let rate: u32 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let url = std::env::var("BAOVE_TEST_MQTT_URL").unwrap_or_else(|_| "mqtt://127.0.0.1:1883".into());

    let (ours, bare, alarms) = sustained(events).await;
    println!("alarm benchmark, SQLite (WAL, synchronous=FULL), batches of {BATCH}");
    println!(
        "  device events/s parsed, placed, ruled and committed : {ours:>9.0}  ({events} events, {alarms} alarm changes)"
    );
    println!("  reference: bare insert loop of the same rows        : {bare:>9.0}");
    println!("  ratio (goal ≥ 0.50; goal ≥ 20,000 events/s)          : {:>9.2}", ours / bare);

    let delays = live(live_events, rate, &url).await;
    println!(
        "  MQTT publish → SSE alarm at {rate}/s, {} of {live_events} matched: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (goal p99 ≤ 50 ms)",
        delays.len(),
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        delays.last().copied().unwrap_or(f64::NAN)
    );
}
