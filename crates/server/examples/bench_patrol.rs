//! Patrol benchmark (a program, not a test). Prints, in one run:
//! 1. accepted scans per second through the HTTP API (`POST /patrol/scans`, each scan an NTAG
//!    424 SUN URL verified on the server) on SQLite, next to the same scans written straight
//!    through the store (no HTTP, no SUN) as the reference;
//! 2. the time from a missed deadline (due + grace) to the alert arriving over SSE, p50/p99,
//!    next to the monitor's one-second tick as the reference bound.
//!
//! `cargo run --release -p baove-server --example bench_patrol [seconds] [clients]`

use std::time::{Duration, Instant};

use baove_core::access::{Org, Principal, Role};
use baove_core::account::AccountInput;
use baove_core::evidence::sun;
use baove_core::patrol::round::{Round, RoundSource};
use baove_core::patrol::scan::{Evidence, Scan};
use baove_core::registry::{CheckpointInput, ZoneInput, ZoneKind};
use baove_core::{RoundId, ScanId};
use baove_store::Actor;
use baove_store::conformance::system;
use jiff::{SignedDuration, Timestamp};

mod support;

use support::{PASSWORD, client, percentile};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let clients: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(8);
    let support::Premises { store, unit, site, .. } = support::premises("Kho vận Đo Lường", "Kho chính").await;
    let sys = system();
    let zone = store
        .create_zone(
            &sys,
            &ZoneInput {
                id: None,
                site_id: site.id,
                kind: ZoneKind::Storeroom,
                name: "Kho".into(),
                sensitivity: 4,
                asset_value: 0,
                description: String::new(),
            },
        )
        .await
        .unwrap();
    let hash = baove_server::auth::password::hash(PASSWORD).unwrap();
    let mut guards = Vec::new();
    for i in 0..clients {
        let input = AccountInput {
            username: format!("baove{i}"),
            display_name: format!("Bảo vệ {i}"),
            role: Role::Guard,
            org: Org::Unit(unit.id),
            guard_id: None,
            password: String::new(),
        };
        guards.push(store.create_account(&sys, &input, &hash).await.unwrap());
    }
    let head = store
        .create_account(
            &sys,
            &AccountInput {
                username: "giamdoc".into(),
                display_name: "Giám đốc".into(),
                role: Role::UnitHead,
                org: Org::Unit(unit.id),
                guard_id: None,
                password: String::new(),
            },
            &hash,
        )
        .await
        .unwrap();
    let master = store.unit_master_key(&sys, unit.id, rand::random()).await.unwrap();
    // One tag per client, so each client's counter rises on its own.
    let mut tags = Vec::new();
    for i in 0..clients {
        let cp = store
            .create_checkpoint(
                &sys,
                &CheckpointInput {
                    id: None,
                    zone_id: zone.id,
                    code: format!("CP-{i:03}"),
                    name: format!("Điểm {i}"),
                    location: String::new(),
                    active: true,
                },
            )
            .await
            .unwrap();
        let uid: sun::Uid = [0x04, 0x10, 0x20, 0x30, 0x40, 0x50, u8::try_from(i).unwrap_or(0)];
        store.bind_tag(&sys, cp.id, &hex::encode_upper(uid)).await.unwrap();
        tags.push((cp, uid, sun::derive(&master, &uid, sun::FILE_KEY_NO, false).unwrap()));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = baove_server::AppState::new(store.clone(), baove_server::Config::default());
    tokio::spawn(baove_server::serve(listener, state, std::future::pending()));

    // 1. Scans per second through HTTP with SUN verification.
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (i, (_, uid, keys)) in tags.iter().cloned().enumerate() {
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let (c, csrf) = client(&base, &format!("baove{i}")).await;
            let mut counter = 0u32;
            let mut accepted = 0u64;
            while Instant::now() < deadline {
                let mut scans = Vec::new();
                for _ in 0..20 {
                    counter += 1;
                    let url = format!("{base}/n?{}", sun::tap_query(&keys, &uid, counter, [1, 2, 3, 4, 5]));
                    scans.push(serde_json::json!({"id": ScanId::mint().to_string(), "evidence": "nfc_sun", "url": url, "scanned_at": Timestamp::now().to_string()}));
                }
                let batch = serde_json::json!({"device_id": format!("bench-{i}"), "device_now": Timestamp::now().to_string(), "scans": scans});
                let resp = c.post(format!("{base}/patrol/scans")).header("x-csrf-token", &csrf).json(&batch).send().await.unwrap();
                let results: Vec<serde_json::Value> = resp.json().await.unwrap_or_default();
                accepted += results.iter().filter(|r| r["status"] == "recorded").count() as u64;
            }
            accepted
        }));
    }
    let started = Instant::now();
    let mut accepted = 0;
    for t in tasks {
        accepted += t.await.unwrap();
    }
    let http_secs = started.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss)]
    let http_rate = accepted as f64 / http_secs;

    // Reference: the same number of scans written straight through the store.
    let me = Actor { principal: guards[0].principal(), at: Timestamp::now() };
    let reference_n = accepted.min(20_000);
    let t0 = Instant::now();
    for _ in 0..reference_n {
        let scan = Scan {
            id: ScanId::mint(),
            checkpoint_id: tags[0].0.id,
            round_id: None,
            account_id: me.principal.account_id,
            device_id: "ref".into(),
            evidence: Evidence::QrLive,
            scanned_at: Timestamp::now(),
            received_at: Timestamp::now(),
            counter: None,
            reason: String::new(),
            flags: vec![],
        };
        store.record_scan(&me, &scan, None).await.unwrap();
    }
    #[allow(clippy::cast_precision_loss)]
    let store_rate = reference_n as f64 / t0.elapsed().as_secs_f64();

    // 2. Missed deadline → SSE alert.
    let (officer, _) = client(&base, "giamdoc").await;
    let mut sse = officer.get(format!("{base}/events")).send().await.unwrap();
    let head_actor = Actor {
        principal: Principal {
            account_id: head.id,
            role: Role::UnitHead,
            org: Org::Unit(unit.id),
            display_name: "Giám đốc".into(),
        },
        at: Timestamp::now(),
    };
    // A checkpoint nobody scans, so every round through it is missed.
    let unvisited = store
        .create_checkpoint(
            &sys,
            &CheckpointInput {
                id: None,
                zone_id: zone.id,
                code: "CP-SSE".into(),
                name: "Không ai quét".into(),
                location: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let n_rounds = 40;
    let now = Timestamp::now();
    for i in 0..n_rounds {
        // Each round's only checkpoint is due + grace at now + 3 s + i × 250 ms.
        let end = now + SignedDuration::from_millis(3000 + 250 * i);
        let round = Round {
            id: RoundId::mint(),
            unit_id: unit.id,
            site_id: site.id,
            name: format!("Đo {i}"),
            checkpoints: vec![unvisited.id],
            ordered: false,
            window_start: end - SignedDuration::from_mins(5),
            window_end: end,
            grace_minutes: 0,
            guard_id: None,
            source: RoundSource::Manual,
        };
        store.create_round(&head_actor, &round).await.unwrap();
    }
    let mut delays = Vec::new();
    let mut buf = String::new();
    let stop = Instant::now() + Duration::from_secs(30);
    while delays.len() < n_rounds as usize && Instant::now() < stop {
        let Ok(Ok(Some(chunk))) = tokio::time::timeout(Duration::from_secs(20), sse.chunk()).await else { break };
        let arrived = Timestamp::now();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block = buf[..end].to_owned();
            buf.drain(..end + 2);
            let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) else { continue };
            let v: serde_json::Value = serde_json::from_str(data).unwrap_or_default();
            if v["kind"] != "checkpoint_missed" {
                continue;
            }
            let msg = v["message"].as_str().unwrap_or_default();
            let name = msg.split(':').next().unwrap_or_default().to_owned();
            let idx: i64 = name.trim_start_matches("Đo ").parse().unwrap_or(-1);
            if idx >= 0 {
                let due = now + SignedDuration::from_millis(3000 + 250 * idx);
                delays.push(arrived.duration_since(due).as_secs_f64() * 1000.0);
            }
        }
    }
    delays.sort_by(f64::total_cmp);
    println!("patrol benchmark ({seconds} s, {clients} phones, 20 scans per batch, SQLite with synchronous=FULL)");
    println!("  accepted scans/s over HTTP with SUN verification : {http_rate:>10.0}  ({accepted} scans)");
    println!("  reference: scans/s straight into the store      : {store_rate:>10.0}  ({reference_n} scans)");
    println!("  ratio HTTP+SUN / store                          : {:>10.2}", http_rate / store_rate);
    println!(
        "  missed deadline → SSE alert, {} rounds: p50 {:.0} ms, p99 {:.0} ms",
        delays.len(),
        percentile(&delays, 0.5),
        percentile(&delays, 0.99)
    );
    println!("  reference: the monitor's tick                   :       1000 ms");
}
