//! A unit's patrol settings, driven through its pages: escalation times the monitor follows,
//! weekly round templates that become today's rounds, and walkways that make a too-fast walk
//! between zones stand out.

use baove_core::access::{Org, Principal, Role};
use baove_core::patrol::alert::AlertKind;
use baove_core::patrol::escalation::{Ladder, Tier};
use baove_core::patrol::round::RoundSource;
use baove_core::patrol::scan::Flag;
use baove_core::registry::{Checkpoint, CheckpointInput, Zone, ZoneInput, ZoneKind};
use baove_core::{AccountId, ScanId, TemplateId};
use baove_store::conformance::system;
use baove_store::{Actor, NewAlert};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn head(app: &TestApp) -> Actor {
    let p = Principal {
        account_id: AccountId::mint(),
        role: Role::UnitHead,
        org: Org::Unit(app.world.school.id),
        display_name: "Hiệu trưởng".into(),
    };
    Actor { principal: p, at: Timestamp::now() }
}

async fn zone_with_checkpoint(app: &TestApp, name: &str, code: &str) -> (Zone, Checkpoint) {
    let h = head(app);
    let zone = app
        .store
        .create_zone(
            &h,
            &ZoneInput {
                id: None,
                site_id: app.world.school_site.id,
                kind: ZoneKind::Corridor,
                name: name.into(),
                sensitivity: 4,
                asset_value: 0,
                description: String::new(),
            },
        )
        .await
        .unwrap();
    let cp = app
        .store
        .create_checkpoint(
            &h,
            &CheckpointInput {
                id: None,
                zone_id: zone.id,
                code: code.into(),
                name: format!("Điểm {name}"),
                location: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    (zone, cp)
}

#[tokio::test]
async fn a_unit_sets_its_escalation_times_and_the_monitor_follows_them() {
    let app = spawn_app().await;
    let unit = app.world.school.id;
    let officer = app.signed_in("hieutruong").await;
    let page = officer.get(&format!("/units/{unit}/patrol-settings")).await.text().await.unwrap();
    assert!(page.contains("Thời gian báo động lên cấp trên") && page.contains("sau 5 phút"), "{page}");
    let bad = officer
        .post_form(&format!("/units/{unit}/escalation"), &[("officer_minutes", "0"), ("head_minutes", "abc")])
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("field-error"));
    let guard = app.signed_in("baove").await;
    let refused =
        guard.post_form(&format!("/units/{unit}/escalation"), &[("officer_minutes", "1"), ("head_minutes", "1")]).await;
    assert_ne!(refused.status(), 303, "a guard does not set the unit's escalation");
    assert_eq!(app.store.ladder(&system().principal, unit).await.unwrap(), Ladder::default(), "nothing changed");
    let ok = officer
        .post_form(&format!("/units/{unit}/escalation"), &[("officer_minutes", "1"), ("head_minutes", "2")])
        .await;
    assert_eq!(ok.status(), 303);
    assert_eq!(
        app.store.ladder(&system().principal, unit).await.unwrap(),
        Ladder { officer_minutes: 1, head_minutes: 2 }
    );

    let raised = Timestamp::now();
    let alert = NewAlert {
        key: "settings-test:missed".into(),
        unit_id: unit,
        site_id: Some(app.world.school_site.id),
        round_id: None,
        kind: AlertKind::CheckpointMissed,
        message: "Vòng 22:00: điểm CP-01 bỏ sót".into(),
        raised_at: raised,
    };
    let a = app.store.raise_alert(&alert).await.unwrap().unwrap();
    let me = baove_server::patrol::monitor::installation();
    let tier = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            store
                .alerts_after(&system().principal, 0, 10)
                .await
                .unwrap()
                .into_iter()
                .find(|x| x.id == a.id)
                .unwrap()
                .tier
        }
    };
    baove_server::patrol::monitor::check(&app.state, &me, raised + SignedDuration::from_secs(90)).await.unwrap();
    assert_eq!(tier(&app).await, Tier::UnitHead, "after the unit's one minute, not the default five");
    baove_server::patrol::monitor::check(&app.state, &me, raised + SignedDuration::from_secs(181)).await.unwrap();
    assert_eq!(tier(&app).await, Tier::DutyDesk, "after one plus two minutes the ward duty desk is called");
}

#[tokio::test]
async fn a_weekly_template_gives_the_guard_todays_round_once() {
    let app = spawn_app().await;
    let unit = app.world.school.id;
    let (_, a) = zone_with_checkpoint(&app, "Hành lang A", "CP-A").await;
    let (_, b) = zone_with_checkpoint(&app, "Hành lang B", "CP-B").await;
    let officer = app.signed_in("hieutruong").await;
    let form = officer.get(&format!("/units/{unit}/templates/new")).await.text().await.unwrap();
    assert!(form.contains("Thứ Hai") && form.contains("Chủ Nhật") && form.contains("CP-A"), "{form}");
    let start = baove_core::time::local(Timestamp::now() + SignedDuration::from_hours(1));
    let start = format!("{:02}:{:02}", start.hour(), start.minute());
    let id = TemplateId::mint().to_string();
    let (a, b, site) = (a.id.to_string(), b.id.to_string(), app.world.school_site.id.to_string());
    let unit_s = unit.to_string();
    let mut fields = vec![
        ("id", id.as_str()),
        ("unit_id", unit_s.as_str()),
        ("site_id", site.as_str()),
        ("name", "Vòng đêm hằng ngày"),
        ("start", start.as_str()),
        ("duration", "40"),
        ("grace_minutes", "10"),
        ("ordered", "on"),
        ("active", "on"),
        ("checkpoints", a.as_str()),
        ("checkpoints", b.as_str()),
    ];
    let missing_days = officer.post_form("/templates", &fields).await;
    assert_eq!(missing_days.status(), 422, "a template needs its weekdays");
    assert!(app.store.list_templates(&system().principal, unit).await.unwrap().is_empty(), "nothing was saved");
    let days: Vec<String> = (1..=7).map(|n| n.to_string()).collect();
    for d in &days {
        fields.push(("weekdays", d.as_str()));
    }
    assert_eq!(officer.post_form("/templates", &fields).await.status(), 303);
    assert_eq!(officer.post_form("/templates", &fields).await.status(), 303, "saving again replaces");
    let me = baove_server::patrol::monitor::installation();
    baove_server::patrol::templates::materialise(&app.state, &me, Timestamp::now()).await.unwrap();
    let day = SignedDuration::from_hours(24);
    let rounds =
        app.store.list_rounds(&system().principal, unit, Timestamp::now() - day, Timestamp::now() + day).await.unwrap();
    let made: Vec<_> = rounds.iter().filter(|r| r.source == RoundSource::Template).collect();
    assert_eq!(made.len(), 1, "one round today, however often the templates are read: {rounds:?}");
    assert_eq!(made[0].name, "Vòng đêm hằng ngày");
    assert_eq!(made[0].checkpoints.len(), 2);
    let settings = officer.get(&format!("/units/{unit}/patrol-settings")).await.text().await.unwrap();
    assert!(settings.contains("Vòng đêm hằng ngày") && settings.contains("Thứ Hai, Thứ Ba"), "{settings}");
    let guard = app.signed_in("baove").await;
    let phone = guard.get("/patrol").await.text().await.unwrap();
    assert!(phone.contains("Vòng đêm hằng ngày"), "the guard's phone lists the round: {phone}");
}

#[tokio::test]
async fn walking_faster_than_the_sites_layout_allows_is_flagged() {
    let app = spawn_app().await;
    let (gate, cp_gate) = zone_with_checkpoint(&app, "Cổng trường", "CP-G").await;
    let (lab, cp_lab) = zone_with_checkpoint(&app, "Nhà thí nghiệm", "CP-L").await;
    let site = app.world.school_site.id;
    let officer = app.signed_in("hieutruong").await;
    let set = officer
        .post_form(
            &format!("/sites/{site}/walkways"),
            &[("zone_a", &gate.id.to_string()), ("zone_b", &lab.id.to_string()), ("seconds", "300")],
        )
        .await;
    assert_eq!(set.status(), 303);
    let vault = app.world.vault.id.to_string();
    let foreign = officer
        .post_form(
            &format!("/sites/{site}/walkways"),
            &[("zone_a", &gate.id.to_string()), ("zone_b", &vault), ("seconds", "60")],
        )
        .await;
    assert_eq!(foreign.status(), 422, "a zone of another unit's site is refused");
    let page = officer.get(&format!("/sites/{site}/walkways")).await.text().await.unwrap();
    assert!(page.contains("Nhà thí nghiệm") && page.contains("300 giây"), "{page}");

    let secret_g = app.store.checkpoint_code(&head(&app), cp_gate.id, "ma-cong-truong-01").await.unwrap();
    let secret_l = app.store.checkpoint_code(&head(&app), cp_lab.id, "ma-thi-nghiem-01").await.unwrap();
    let guard = app.signed_in("baove").await;
    let csrf = guard.csrf().await;
    let t0 = Timestamp::now() - SignedDuration::from_mins(30);
    let ids: Vec<String> = (0..3).map(|_| ScanId::mint().to_string()).collect();
    // Sent out of order: the server judges the legs in the order they were walked.
    let batch = json!({
        "device_id": "dien-thoai-7",
        "device_now": Timestamp::now().to_string(),
        "scans": [
            {"id": ids[1], "evidence": "qr_live", "code": secret_l, "scanned_at": (t0 + SignedDuration::from_secs(40)).to_string()},
            {"id": ids[0], "evidence": "qr_live", "code": secret_g, "scanned_at": t0.to_string()},
            {"id": ids[2], "evidence": "qr_live", "code": secret_g, "scanned_at": (t0 + SignedDuration::from_secs(400)).to_string()},
        ]
    });
    let resp =
        guard.client.post(guard.url("/patrol/scans")).header("x-csrf-token", &csrf).json(&batch).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let results: Vec<Value> = resp.json().await.unwrap();
    assert_eq!(results[0]["id"], ids[1].as_str(), "answers come back in the order sent");
    let flagged = |r: &Value| r["flags"].as_array().unwrap().iter().any(|f| f == Flag::ImpossibleTravel.code());
    assert!(flagged(&results[0]), "gate → lab in 40 s where the walk takes 300 s: {results:?}");
    assert!(!flagged(&results[1]), "the first scan has no leg before it");
    assert!(!flagged(&results[2]), "lab → gate in 360 s is a credible walk");
}

#[tokio::test]
async fn the_ward_police_reach_a_key_targets_roster_without_its_details() {
    let app = spawn_app().await;
    let bank = app.world.bank.id;
    let police = app.signed_in("canbo.a").await;
    let page = police.get(&format!("/units/{bank}")).await.text().await.unwrap();
    assert!(page.contains(&format!("/units/{bank}/roster")), "{page}");
    assert_eq!(police.get(&format!("/units/{bank}/roster")).await.status(), 200);
}
