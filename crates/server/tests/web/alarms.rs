//! Device alarms end to end: real MQTT messages through the local broker (when
//! `BAOVE_TEST_MQTT_URL` is set) and the device webhook, each reaching the console's
//! `/alarms/events` stream; refused messages counted; tenants kept apart.

use std::time::Duration;

use baove_core::registry::{DeviceInput, DeviceKind, ZoneInput, ZoneKind};
use baove_core::{DeviceId, ZoneId};
use baove_server::alarm::mqtt::MqttConfig;
use baove_store::conformance::system;
use baove_store::{Actor, BindingInput};
use jiff::Timestamp;
use serde_json::Value;

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

async fn school_zone(app: &TestApp) -> ZoneId {
    let input = ZoneInput {
        id: None,
        site_id: app.world.school_site.id,
        kind: ZoneKind::Corridor,
        name: "Hành lang tầng 1".into(),
        sensitivity: 3,
        asset_value: 0,
        description: String::new(),
    };
    app.store.create_zone(&head(app), &input).await.unwrap().id
}

async fn wait_for_alarm(resp: reqwest::Response, needle: &str) -> Value {
    crate::helpers::wait_for(resp, "alarm", needle).await
}

/// The broker, or `None` to skip; set but unusable is a failure.
fn broker() -> Option<String> {
    let url = std::env::var("BAOVE_TEST_MQTT_URL").ok()?;
    let (host, port) = baove_server::alarm::mqtt::host_port(&url).expect("BAOVE_TEST_MQTT_URL is mqtt://host:port");
    std::net::TcpStream::connect((host.as_str(), port))
        .expect("BAOVE_TEST_MQTT_URL is set but the broker is unreachable");
    Some(url)
}

async fn publisher(url: &str) -> rumqttc::AsyncClient {
    let (host, port) = baove_server::alarm::mqtt::host_port(url).unwrap();
    let mut opts = rumqttc::MqttOptions::new(format!("pub-{}", uuid::Uuid::now_v7()), host, port);
    opts.set_max_packet_size(1024 * 1024, 1024 * 1024);
    let (client, mut el) = rumqttc::AsyncClient::new(opts, 64);
    tokio::spawn(async move { while el.poll().await.is_ok() {} });
    client
}

#[tokio::test]
async fn every_mqtt_format_raises_an_alarm_live_and_bad_messages_are_counted() {
    let Some(url) = broker() else { return };
    let app = spawn_app().await;
    let zone = school_zone(&app).await;
    let tag = uuid::Uuid::now_v7().simple().to_string();
    let mut cfg = MqttConfig::new(&url);
    cfg.client_id = format!("baove-test-{tag}");
    cfg.router.frigate = vec![format!("t{tag}/frigate")];
    cfg.router.homeassistant[0].prefix = format!("t{tag}/ha");
    cfg.router.alarmo = vec![format!("t{tag}/alarmo")];
    cfg.router.generic = vec![format!("t{tag}/baove")];
    for filter in
        [format!("t{tag}/frigate/#"), format!("t{tag}/ha/#"), format!("t{tag}/alarmo/#"), format!("t{tag}/baove/#")]
    {
        let input = BindingInput { zone_id: zone, device_id: None, filter, zone_hint: String::new() };
        app.store.add_binding(&head(&app), &input).await.unwrap();
    }
    let officer = app.signed_in("hieutruong").await;
    assert_eq!(officer.post_form("/alarms/arm", &[("zone_id", &zone.to_string()), ("armed", "1")]).await.status(), 303);
    let _mqtt = baove_server::alarm::mqtt::spawn(app.state.clone(), cfg).unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let bank = app.signed_in("giamdoc").await;
    let bank_stream = bank.client.get(bank.url("/alarms/events")).send().await.unwrap();
    let stream = || async { officer.client.get(officer.url("/alarms/events")).send().await.unwrap() };
    let pb = publisher(&url).await;
    let q = rumqttc::QoS::AtLeastOnce;

    // Generic JSON: a panic button.
    let s = stream().await;
    pb.publish(format!("t{tag}/baove/pb-1/event"), q, false, r#"{"id":"g-1","device":"pb-1","kind":"panic"}"#)
        .await
        .unwrap();
    let a = wait_for_alarm(s, "pb-1").await;
    assert_eq!((a["kind"].as_str(), a["priority"].as_str()), (Some("panic"), Some("critical")));

    // Malformed and oversized payloads are counted and ingest goes on.
    pb.publish(format!("t{tag}/baove/pb-2/event"), q, false, "{not json").await.unwrap();
    pb.publish(format!("t{tag}/baove/pb-2/event"), q, false, vec![b' '; 70 * 1024]).await.unwrap();

    // Frigate: new, update and end of one object are one alarm.
    let s = stream().await;
    let frigate = |t: &str, end: &str| {
        format!(
            r#"{{"type":"{t}","after":{{"id":"1763749800.1-abc","camera":"cong_chinh","label":"person","score":0.9,"top_score":0.92,"start_time":1763749800.0,"end_time":{end}}}}}"#
        )
    };
    pb.publish(format!("t{tag}/frigate/events"), q, false, frigate("new", "null")).await.unwrap();
    let first = wait_for_alarm(s, "cong_chinh").await;
    let s = stream().await;
    pb.publish(format!("t{tag}/frigate/events"), q, false, frigate("update", "null")).await.unwrap();
    pb.publish(format!("t{tag}/frigate/events"), q, false, frigate("end", "1763749830.0")).await.unwrap();
    let ended = wait_for_alarm(s, "\"ended\":true").await;
    assert_eq!(first["id"], ended["id"], "new, update and end are one alarm");

    // Home Assistant: a door sensor (class learnt from discovery) opens in the armed zone.
    let s = stream().await;
    let cfg = format!(
        r#"{{"state_topic":"t{tag}/ha/binary_sensor/kho_door/state","device_class":"door","unique_id":"kho_door"}}"#
    );
    pb.publish(format!("t{tag}/ha/binary_sensor/kho_door/config"), q, false, cfg).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    pb.publish(format!("t{tag}/ha/binary_sensor/kho_door/state"), q, false, "ON").await.unwrap();
    let door = wait_for_alarm(s, "kho_door").await;
    assert_eq!(door["kind"], "door_open");

    // Alarmo: TRIGGER.
    let s = stream().await;
    let trig = r#"{"event":"TRIGGER","sensors":[{"entity_id":"binary_sensor.cua_sau","name":"Cửa sau"}],"delay":0}"#;
    pb.publish(format!("t{tag}/alarmo/event"), q, false, trig).await.unwrap();
    wait_for_alarm(s, "cua_sau").await;

    // Counted, per source and reason.
    let counters = app.store.ingest_counters(&system().principal).await.unwrap();
    let count = |reason: &str| counters.iter().filter(|c| c.reason == reason).map(|c| c.count).sum::<i64>();
    assert!(count("malformed") >= 1 && count("oversized") >= 1, "{counters:?}");
    // The bank saw none of it.
    let quiet = tokio::time::timeout(Duration::from_millis(500), async {
        let mut r = bank_stream;
        r.chunk().await
    })
    .await;
    assert!(quiet.is_err() || quiet.unwrap().unwrap().is_none_or(|c| !c.windows(5).any(|w| w == b"alarm")));
}

#[tokio::test]
async fn the_webhook_needs_the_device_token_and_feeds_the_same_console() {
    let app = spawn_app().await;
    let zone = school_zone(&app).await;
    let device = app
        .store
        .create_device(
            &head(&app),
            &DeviceInput {
                id: None,
                site_id: app.world.school_site.id,
                zone_id: Some(zone),
                kind: DeviceKind::AlarmPanel,
                name: "Nút khẩn cấp phòng bảo vệ".into(),
                location: String::new(),
                serial: String::new(),
                external_ref: String::new(),
                active: true,
            },
        )
        .await
        .unwrap();
    let officer = app.signed_in("hieutruong").await;
    let page = officer.post_form(&format!("/devices/{}/token", device.id), &[]).await.text().await.unwrap();
    let start = page.find("bvd_").expect("the token is shown once");
    let token = page[start..].split('<').next().unwrap().trim().to_owned();
    let url = format!("{}/api/v1/devices/{}/events", app.base, device.id);
    let http = reqwest::Client::new();
    let body = r#"{"id":"w-1","device":"pb-kho","kind":"panic"}"#;
    let wrong = http.post(&url).bearer_auth("bvd_wrong").body(body).send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let other: DeviceId = DeviceId(uuid::Uuid::now_v7());
    let stranger = http
        .post(format!("{}/api/v1/devices/{other}/events", app.base))
        .bearer_auth(&token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 401);
    assert!(app.store.alarms_after(&system().principal, 0, 10).await.unwrap().is_empty(), "nothing changed");
    let bad = http.post(&url).bearer_auth(&token).body("{oops").send().await.unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["code"], "malformed_payload");
    let big = http.post(&url).bearer_auth(&token).body(vec![b' '; 65 * 1024 + 1]).send().await.unwrap();
    assert_eq!(big.status(), 413);
    let s = officer.client.get(officer.url("/alarms/events")).send().await.unwrap();
    let ok = http.post(&url).bearer_auth(&token).body(body).send().await.unwrap();
    assert_eq!(ok.status(), 202);
    let again = http.post(&url).bearer_auth(&token).body(body).send().await.unwrap();
    assert_eq!(
        again.json::<Value>().await.unwrap()["alarms"].as_array().map(Vec::len),
        Some(0),
        "a resent event adds nothing"
    );
    let a = wait_for_alarm(s, "pb-kho").await;
    assert_eq!(a["kind"], "panic");
    // Another unit's head does not see it; the ward police do, replayed from the start.
    let bank = app.signed_in("giamdoc").await;
    assert!(bank.get("/alarms").await.text().await.unwrap().contains("Báo động thiết bị"));
    assert!(app.store.alarms_after(&head(&app).principal, 0, 10).await.unwrap().len() == 1);
    // Nobody acknowledges: the monitor climbs the ladder (critical: 2 + 3 minutes) and the
    // ward police duty console gets it.
    let police = app.signed_in("trucban").await;
    let police_stream = police.client.get(police.url("/alarms/events")).send().await.unwrap();
    let me = baove_server::patrol::monitor::installation();
    let later = Timestamp::now() + jiff::SignedDuration::from_mins(6);
    let climbed = baove_server::alarm::escalate::check(&app.state, &me, later).await.unwrap();
    assert_eq!(climbed.len(), 1);
    let at_desk = wait_for_alarm(police_stream, "duty_desk").await;
    assert_eq!(at_desk["id"], a["id"]);
    let area = app.signed_in("canbo.a").await;
    wait_for_alarm(area.client.get(area.url("/alarms/events?after=0")).send().await.unwrap(), "pb-kho").await;
    let other_ward = app.signed_in("canbo.b").await;
    assert!(!other_ward.get("/alarms").await.text().await.unwrap().contains("pb-kho"));
    // Acknowledged with a disposition; skipped required SOP steps are flagged.
    let id = a["id"].as_str().unwrap().to_owned();
    let s = officer.client.get(officer.url(&format!("/alarms/events?after={}", a["seq"]))).send().await.unwrap();
    assert_eq!(officer.post_form("/alarms/ack", &[("alarm_id", &id), ("disposition", "test")]).await.status(), 303);
    let acked = wait_for_alarm(s, "acknowledged").await;
    assert_eq!((acked["flagged"].as_bool(), acked["disposition"].as_str()), (Some(true), Some("test")));
    assert!(baove_server::alarm::escalate::check(&app.state, &me, later).await.unwrap().is_empty());
    // A test alarm is not an incident: promoting it is refused and changes nothing.
    let refused = officer.post_form("/alarms/promote", &[("alarm_id", &id)]).await;
    assert_eq!(refused.status(), 422);
    let linked = app.store.alarm(&head(&app).principal, baove_core::alarm::AlarmId::parse(&id).unwrap()).await.unwrap();
    assert!(app.store.list_incidents(&head(&app).principal, &Default::default()).await.unwrap().is_empty());
    // Every required SOP step ticked: not flagged. (A second alarm from the same button.)
    let s = officer.client.get(officer.url(&format!("/alarms/events?after={}", linked.seq))).send().await.unwrap();
    let body2 = r#"{"id":"w-2","device":"pb-kho","kind":"panic"}"#;
    let raised = http.post(&url).bearer_auth(&token).body(body2).send().await.unwrap().json::<Value>().await.unwrap();
    let id2 = raised["alarms"][0].as_str().unwrap().to_owned();
    let second =
        app.store.alarm(&head(&app).principal, baove_core::alarm::AlarmId::parse(&id2).unwrap()).await.unwrap();
    let steps = baove_core::alarm::sop::Sop::default_for(second.alarm.kind);
    let mut form: Vec<(&str, &str)> = vec![("alarm_id", &id2), ("disposition", "real")];
    form.extend(steps.steps().iter().map(|st| ("sop", st.id.as_str())));
    assert_eq!(officer.post_form("/alarms/ack", &form).await.status(), 303);
    let done = wait_for_alarm(s, "\"disposition\":\"real\"").await;
    assert_eq!(done["flagged"], false);
    // A real one becomes an incident of the school, linked to the alarm, reported to the
    // police; promoting it twice is still one incident.
    for _ in 0..2 {
        assert_eq!(officer.post_form("/alarms/promote", &[("alarm_id", &id2)]).await.status(), 303);
    }
    let incidents = app.store.list_incidents(&head(&app).principal, &Default::default()).await.unwrap();
    assert_eq!(incidents.len(), 1);
    let promoted = app.store.alarm(&head(&app).principal, second.alarm.id).await.unwrap();
    assert_eq!(promoted.incident_id, Some(incidents[0].0.id));
    let case = app.store.incident_case(&system().principal, incidents[0].0.id).await.unwrap();
    assert_eq!(case.alarms, vec![second.alarm.id]);
    // It is on the police's live incident feed, replayed from the start.
    let feed = area.stream("/incidents/events?after=0").await;
    let live = crate::helpers::wait_for(feed, "incident", &case.incident.id.to_string()).await;
    assert_eq!(live["status"], "reported");
    let page = area.get(&format!("/incidents/{}", case.incident.id)).await.text().await.unwrap();
    assert!(page.contains(&format!("/alarms/{}", second.alarm.id)) && page.contains("Báo động"), "{page}");
    let console = officer.get("/alarms").await.text().await.unwrap();
    assert!(console.contains("Có thật") && console.contains("/static/alarms.js"), "{console}");
}

#[tokio::test]
async fn the_unit_sets_its_schedules_and_mappings_on_the_setup_page_and_mqtt_follows_them() {
    let app = spawn_app().await;
    let zone = school_zone(&app).await;
    let school = app.world.school.id;
    let head = app.signed_in("hieutruong").await;
    let setup = format!("/units/{school}/alarm-setup");
    let page = head.get(&setup).await.text().await.unwrap();
    assert!(page.contains("Thiết lập báo động") && page.contains("Hành lang tầng 1"), "{page}");

    // Hours the wrong way round: a clear message, nothing stored.
    let schedule = format!("/units/{school}/arming-schedule");
    let bad = head.post_form(&schedule, &[("mode", "schedule"), ("weekday_hours", "18:00-06:30")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("HH:MM-HH:MM"));
    assert_eq!(app.store.unit_arming(&head_principal(&app), school).await.unwrap(), None);
    let ok = head
        .post_form(&schedule, &[("mode", "schedule"), ("weekday_hours", "07:00-17:00"), ("holidays_armed", "on")])
        .await;
    assert_eq!(ok.status(), 303);
    // The corridor gets a schedule of its own: always armed, whatever the hour.
    let z = zone.to_string();
    assert_eq!(head.post_form(&schedule, &[("zone_id", &z), ("mode", "always")]).await.status(), 303);
    let page = head.get(&setup).await.text().await.unwrap();
    assert!(page.contains("Lịch riêng") && page.contains("07:00–17:00"), "{page}");

    // A mapping from the form; a bad filter is refused with its reason; another unit's head
    // cannot touch the school's.
    let tag = uuid::Uuid::now_v7().simple().to_string();
    let filter = format!("t{tag}/baove/+");
    let bindings = format!("/units/{school}/bindings");
    let refused = head.post_form(&bindings, &[("zone_id", &z), ("filter", "a/#/b")]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("Mã không hợp lệ"));
    assert_eq!(head.post_form(&bindings, &[("zone_id", &z), ("filter", &filter)]).await.status(), 303);
    let bank = app.signed_in("giamdoc").await;
    assert_eq!(bank.post_form(&bindings, &[("zone_id", &z), ("filter", "x/+")]).await.status(), 404);
    assert_eq!(bank.get(&setup).await.status(), 404);
    let listed = app.store.list_bindings(&head_principal(&app), school).await.unwrap();
    assert_eq!(listed.len(), 1);

    if let Some(url) = broker() {
        let mut cfg = MqttConfig::new(&url);
        cfg.client_id = format!("baove-test-{tag}");
        cfg.router.generic = vec![format!("t{tag}/baove")];
        let _mqtt = baove_server::alarm::mqtt::spawn(app.state.clone(), cfg).unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let pb = publisher(&url).await;
        let q = rumqttc::QoS::AtLeastOnce;
        // Nobody armed the zone by hand: its own schedule (always) arms it.
        let s = head.client.get(head.url("/alarms/events")).send().await.unwrap();
        pb.publish(format!("t{tag}/baove/pir-7/event"), q, false, r#"{"id":"m-1","device":"pir-7","kind":"motion"}"#)
            .await
            .unwrap();
        let a = wait_for_alarm(s, "pir-7").await;
        assert_eq!(a["zone_id"], z);
        // The mapping removed: the next event is counted as unmapped and raises nothing.
        let id = listed[0].id.to_string();
        let removed = head.post_form(&format!("{bindings}/remove"), &[("binding_id", &id)]).await;
        assert_eq!(removed.status(), 303);
        pb.publish(format!("t{tag}/baove/pir-8/event"), q, false, r#"{"id":"m-2","device":"pir-8","kind":"motion"}"#)
            .await
            .unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let c = app.store.ingest_counters(&system().principal).await.unwrap();
            if c.iter().any(|c| c.reason == "unknown_device" && c.last_detail.contains("pir-8")) {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "the unmapped event is counted: {c:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let admin = app.signed_in("admin").await;
        let counters = admin.get("/alarms/ingest").await.text().await.unwrap();
        assert!(counters.contains("Thiết bị chưa ánh xạ") && counters.contains("pir-8"), "{counters}");
        assert_eq!(head.get("/alarms/ingest").await.status(), 403);
        let alarms = app.store.alarms_after(&system().principal, 0, 10).await.unwrap();
        assert!(alarms.iter().all(|a| !a.alarm.devices.iter().any(|d| d.contains("pir-8"))));
    }
}

fn head_principal(app: &TestApp) -> baove_core::access::Principal {
    head(app).principal
}
