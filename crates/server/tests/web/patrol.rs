//! Patrols end to end: NFC taps, QR codes and manual records from a guard's phone, offline
//! batches sent twice, and missed checkpoints reaching supervisors and the police live.

use std::time::Duration;

use baove_core::evidence::sun;
use baove_core::patrol::round::{Round, RoundSource};
use baove_core::registry::{Checkpoint, CheckpointInput, ZoneInput, ZoneKind};
use baove_core::{RoundId, ScanId};
use baove_store::Actor;
use baove_store::conformance::system;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn head(app: &TestApp) -> Actor {
    let p = baove_core::access::Principal {
        account_id: baove_core::AccountId::mint(),
        role: baove_core::access::Role::UnitHead,
        org: baove_core::access::Org::Unit(app.world.school.id),
        display_name: "Hiệu trưởng".into(),
    };
    Actor { principal: p, at: Timestamp::now() }
}

async fn checkpoints(app: &TestApp, n: usize) -> Vec<Checkpoint> {
    let h = head(app);
    let zone = app
        .store
        .create_zone(
            &h,
            &ZoneInput {
                id: None,
                site_id: app.world.school_site.id,
                kind: ZoneKind::Corridor,
                name: "Hành lang A".into(),
                sensitivity: 4,
                asset_value: 0,
                description: String::new(),
            },
        )
        .await
        .unwrap();
    let mut out = vec![];
    for i in 0..n {
        let input = CheckpointInput {
            id: None,
            zone_id: zone.id,
            code: format!("CP-{i:02}"),
            name: format!("Điểm {i}"),
            location: String::new(),
            active: true,
        };
        out.push(app.store.create_checkpoint(&h, &input).await.unwrap());
    }
    out
}

const UID: &str = "04A1B2C3D4E5F6";

/// Provisions an NTAG 424 DNA for the checkpoint and returns a function producing its taps.
async fn tag(app: &TestApp, cp: &Checkpoint) -> impl Fn(u32) -> String {
    let master = app.store.unit_master_key(&head(app), app.world.school.id, rand::random()).await.unwrap();
    app.store.bind_tag(&head(app), cp.id, UID).await.unwrap();
    let uid: sun::Uid = hex::decode(UID).unwrap().try_into().unwrap();
    let keys = sun::derive(&master, &uid, sun::FILE_KEY_NO, false).unwrap();
    move |counter| format!("/n?{}", sun::tap_query(&keys, &uid, counter, [9, 8, 7, 6, 5]))
}

#[tokio::test]
async fn a_guard_taps_a_tag_and_a_replayed_tap_is_refused_and_reported() {
    let app = spawn_app().await;
    let cps = checkpoints(&app, 1).await;
    let tap = tag(&app, &cps[0]).await;
    let guard = app.signed_in("baove").await;
    let first = guard.get(&tap(12)).await;
    assert_eq!(first.status(), 200);
    assert!(first.text().await.unwrap().contains("Đã ghi nhận"));
    let again = guard.get(&tap(12)).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("bị dùng lại"));
    let mut edited = tap(13);
    // Change the MAC's last digit (to another digit, whatever it was).
    let last = if edited.ends_with('0') { "1" } else { "0" };
    edited.replace_range(edited.len() - 1.., last);
    assert!(
        guard.get(&edited).await.text().await.unwrap().contains("không xác thực được"),
        "an edited URL fails the MAC"
    );
    assert_eq!(guard.get(&tap(20)).await.status(), 200, "a later tap counts, with its jump flagged");
    let scans = app
        .store
        .list_scans(
            &system().principal,
            app.world.school.id,
            Timestamp::now() - SignedDuration::from_hours(1),
            Timestamp::now() + SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    assert_eq!(scans.len(), 2);
    assert!(scans.iter().any(|s| s.flags.contains(&baove_core::patrol::scan::Flag::CounterJump)));
    let alerts = app.store.alerts_after(&system().principal, 0, 10).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, baove_core::patrol::alert::AlertKind::TagReplayed);
}

#[tokio::test]
async fn an_offline_batch_sent_twice_records_each_scan_once() {
    let app = spawn_app().await;
    let cps = checkpoints(&app, 2).await;
    let secret = app.store.checkpoint_code(&head(&app), cps[0].id, "ma-qr-bi-mat-0001").await.unwrap();
    let guard = app.signed_in("baove").await;
    let csrf = guard.csrf().await;
    let earlier = (Timestamp::now() - SignedDuration::from_mins(20)).to_string();
    let batch = json!({
        "device_id": "dien-thoai-1",
        "device_now": Timestamp::now().to_string(),
        "scans": [
            {"id": ScanId::mint().to_string(), "evidence": "qr_live", "code": format!("https://baove.example/q/{secret}"), "scanned_at": earlier},
            {"id": ScanId::mint().to_string(), "evidence": "manual", "checkpoint_id": cps[1].id.to_string(), "reason": "Thẻ bị bong", "scanned_at": earlier},
            {"id": ScanId::mint().to_string(), "evidence": "qr_live", "code": cps[1].id.to_string(), "scanned_at": earlier},
            {"id": "không-phải-uuid", "evidence": "manual", "checkpoint_id": cps[1].id.to_string(), "reason": "x", "scanned_at": earlier},
        ]
    });
    let send = || async {
        let resp = guard
            .client
            .post(guard.url("/patrol/scans"))
            .header("x-csrf-token", &csrf)
            .json(&batch)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.json::<Vec<Value>>().await.unwrap()
    };
    let first = send().await;
    let statuses: Vec<&str> = first.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["recorded", "recorded", "rejected", "rejected"]);
    assert_eq!(first[2]["code"], "unknown_code", "a checkpoint's id is not its QR secret");
    assert!(first[1]["flags"].as_array().unwrap().iter().any(|f| f == "manual"));
    let second = send().await;
    let statuses: Vec<&str> = second.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["duplicate", "duplicate", "rejected", "rejected"]);
    let scans = app
        .store
        .list_scans(
            &system().principal,
            app.world.school.id,
            Timestamp::now() - SignedDuration::from_hours(1),
            Timestamp::now(),
        )
        .await
        .unwrap();
    assert_eq!(scans.len(), 2, "nothing lost, nothing duplicated");
    let no_token = guard.client.post(guard.url("/patrol/scans")).json(&batch).send().await.unwrap();
    assert_eq!(no_token.status(), 403, "the batch carries the session's CSRF token");
}

/// Reads the SSE stream until an alert event whose data contains `needle` arrives.
pub async fn wait_for_alert(resp: reqwest::Response, needle: &str) -> Value {
    let mut resp = resp;
    let mut buf = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk())
            .await
            .expect("an alert within seconds")
            .unwrap()
            .expect("stream open");
        buf.push_str(&String::from_utf8_lossy(&chunk));
        for block in buf.split("\n\n") {
            if block.contains("event: alert") && block.contains(needle) {
                let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
                return serde_json::from_str(data).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn a_missed_checkpoint_reaches_the_officer_live_and_climbs_to_the_police() {
    let app = spawn_app().await;
    let cps = checkpoints(&app, 2).await;
    let start = Timestamp::now() - SignedDuration::from_mins(30);
    let round = Round {
        id: RoundId::mint(),
        unit_id: app.world.school.id,
        site_id: app.world.school_site.id,
        name: "Vòng 01:00".into(),
        checkpoints: cps.iter().map(|c| c.id).collect(),
        ordered: true,
        window_start: start,
        window_end: start + SignedDuration::from_mins(20),
        grace_minutes: 5,
        guard_id: None,
        source: RoundSource::Manual,
    };
    let officer = app.signed_in("hieutruong").await;
    let stream = officer.client.get(officer.url("/events")).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    app.store.create_round(&head(&app), &round).await.unwrap();
    let alert = wait_for_alert(stream, "bỏ sót").await;
    assert_eq!(alert["kind"], "checkpoint_missed");
    assert_eq!(alert["tier"], "security_officer");
    // Nobody acknowledges: ten minutes on, the monitor has called the police duty desk.
    let desk = app.signed_in("trucban").await;
    let desk_stream = desk.client.get(desk.url("/events")).send().await.unwrap();
    let me = baove_server::patrol::monitor::installation();
    baove_server::patrol::monitor::check(&app.state, &me, Timestamp::now() + SignedDuration::from_mins(11))
        .await
        .unwrap();
    let escalated = wait_for_alert(desk_stream, "duty_desk").await;
    assert_eq!(escalated["tier"], "duty_desk");
    // The officer acknowledges on the board; the board shows it.
    let id = escalated["id"].as_str().unwrap().to_owned();
    assert_eq!(officer.post_form("/alerts/ack", &[("alert_id", &id)]).await.status(), 303);
    let board = officer.get("/patrol/board").await.text().await.unwrap();
    assert!(board.contains("Đã xác nhận:"), "{board}");
    assert!(
        board.contains("Tỷ lệ tuần tra khép kín") && board.contains("0% (0/2)"),
        "both checkpoints of the round were missed: {board}"
    );
    // A reconnecting console replays what it missed.
    let replay = desk.client.get(desk.url("/events")).header("last-event-id", "0").send().await.unwrap();
    let replayed = wait_for_alert(replay, "bỏ sót").await;
    assert_eq!(replayed["tier"], "duty_desk", "the replay comes from the database with the alert's current state");
}

#[tokio::test]
async fn the_security_officer_draws_tonights_plan_sees_its_heat_map_and_locks_it() {
    let app = spawn_app().await;
    checkpoints(&app, 3).await;
    let site = app.world.school_site.id;
    let officer = app.signed_in("hieutruong").await;
    let none = officer.get(&format!("/sites/{site}/plan")).await.text().await.unwrap();
    assert!(none.contains("Chưa có kế hoạch"), "{none}");
    assert_eq!(officer.post_form(&format!("/sites/{site}/plan"), &[("rain", "on")]).await.status(), 303);
    let page = officer.get(&format!("/sites/{site}/plan")).await.text().await.unwrap();
    assert!(
        page.contains("<svg") && page.contains("Vì sao các nơi này được ưu tiên") && page.contains("mưa"),
        "{page}"
    );
    let evening = baove_server::patrol::plan::night_of(Timestamp::now());
    let plan = app.store.plan(&system().principal, site, evening).await.unwrap().expect("saved");
    assert!(plan.rain);
    assert_eq!(officer.post_form(&format!("/plans/{}/lock", plan.id), &[("locked", "on")]).await.status(), 303);
    assert!(app.store.plan(&system().principal, site, evening).await.unwrap().unwrap().locked);
    let refused = officer.post_form(&format!("/sites/{site}/plan"), &[]).await;
    assert_eq!(refused.status(), 422, "a locked plan is not redrawn");
    let guard = app.signed_in("baove").await;
    assert_eq!(
        guard.post_form(&format!("/plans/{}/lock", plan.id), &[]).await.status(),
        403,
        "a guard cannot unlock it"
    );
}

#[tokio::test]
async fn a_units_own_day_off_reinforces_the_night_before_it() {
    let app = spawn_app().await;
    checkpoints(&app, 2).await;
    let site = app.world.school_site.id;
    let unit = app.world.school.id;
    let officer = app.signed_in("hieutruong").await;
    let evening = baove_server::patrol::plan::night_of(Timestamp::now());
    let tomorrow = evening.tomorrow().unwrap().to_string();
    let bad = officer
        .post_form(
            &format!("/units/{unit}/days"),
            &[("site_id", &site.to_string()), ("date", &tomorrow), ("closed", "on")],
        )
        .await;
    assert_eq!(bad.status(), 422, "a day off needs its name");
    let ok = officer
        .post_form(
            &format!("/units/{unit}/days"),
            &[
                ("site_id", &site.to_string()),
                ("date", &tomorrow),
                ("closed", "on"),
                ("name", "Ngày hội trường"),
                ("reason", "Cả trường nghỉ"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    assert_eq!(officer.post_form(&format!("/sites/{site}/plan"), &[]).await.status(), 303);
    let plan = app.store.plan(&system().principal, site, evening).await.unwrap().unwrap();
    assert_eq!(plan.guards, 2, "the night into the unit's own day off gets one more patrol");
    let page = officer.get(&format!("/sites/{site}/plan")).await.text().await.unwrap();
    assert!(page.contains("Ngày hội trường"));
}
