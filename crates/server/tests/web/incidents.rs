//! Incidents end to end: a guard reports a break-in from the phone (photos, resent by the
//! offline queue), it reaches the ward police and the provincial duty desk live, the police
//! work it to closed with the gaps found, and the school follows every step. Bad input is
//! refused with a clear message and changes nothing; other wards never see it.

use base64::Engine;
use serde_json::{Value, json};

use crate::helpers::{spawn_app, wait_for};

fn png() -> String {
    let img = image::RgbImage::from_pixel(32, 24, image::Rgb([10, 120, 200]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(out))
}

fn report(id: &str, site: &str, summary: &str) -> Value {
    let now = baove_core::time::local(jiff::Timestamp::now() - jiff::SignedDuration::from_mins(10));
    json!({
        "id": id, "kind": "break_in", "site_id": site,
        "occurred_at": now.strftime("%Y-%m-%dT%H:%M").to_string(),
        "summary": summary, "losses": "01 máy chiếu",
        "modus": ["helmet", "mask", "tools_in_bag"],
        "suspect_person": "Nam, đội mũ bảo hiểm đen", "suspect_vehicle": "Xe máy không biển số",
        "photos": [png()],
    })
}

/// How many incidents the installation holds.
async fn recorded(app: &crate::helpers::TestApp) -> usize {
    let all = app.store.list_incidents(&baove_store::conformance::system().principal, &Default::default()).await;
    all.unwrap().len()
}

#[tokio::test]
async fn a_guard_reports_a_break_in_and_the_police_work_it_live_while_the_school_follows() {
    let app = spawn_app().await;
    let site = app.world.school_site.id.to_string();
    let area = app.signed_in("canbo.a").await;
    let desk = app.signed_in("trucban").await;
    let area_stream = area.stream("/incidents/events").await;
    let desk_stream = desk.stream("/incidents/events").await;

    // The guard opens the form on the phone and sends the report with a photo.
    let guard = app.signed_in("baove").await;
    let form = guard.get("/incidents/new").await.text().await.unwrap();
    assert!(form.contains("Báo vụ việc") && form.contains("/static/incidents.js") && form.contains("Đội mũ"), "{form}");
    let id = baove_core::IncidentId::mint().to_string();
    let summary = "Phát hiện 02 đối tượng cạy cửa phòng thiết bị <script>alert(1)</script>";
    let sent = guard.post_json("/incidents", &report(&id, &site, summary)).await;
    assert_eq!(sent.status(), 201);
    let answer: Value = sent.json().await.unwrap();
    assert_eq!(answer["url"], format!("/incidents/{id}"));
    // The queue on the phone sends it again (the answer was lost): the same report.
    let again = guard.post_json("/incidents", &report(&id, &site, summary)).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["created"], false);
    assert_eq!(recorded(&app).await, 1);

    // The ward police and the duty desk have it at once.
    for stream in [area_stream, desk_stream] {
        let live = wait_for(stream, "incident", &id).await;
        assert_eq!(live["status"], "reported");
        assert_eq!(live["unit"], app.world.school.name);
    }
    let other_ward = app.signed_in("canbo.b").await;
    assert_eq!(other_ward.get(&format!("/incidents/{id}")).await.status(), 404);
    assert!(!other_ward.get("/incidents").await.text().await.unwrap().contains(&id));

    // The case page: the facts, the photo, the script shown as text.
    let page = area.get(&format!("/incidents/{id}")).await.text().await.unwrap();
    assert!(page.contains("Đột nhập") && page.contains("Đội mũ") && page.contains("Xe máy không biển số"), "{page}");
    assert!(!page.contains("<script>alert") && page.contains("script&"), "script is escaped: {page}");
    let photo_path = page.split(&format!("/incidents/{id}/photos/")).nth(1).unwrap().split('"').next().unwrap();
    let photo = area.get(&format!("/incidents/{id}/photos/{photo_path}")).await;
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert!(photo.bytes().await.unwrap().starts_with(b"\x89PNG"));

    // The police work it; a skipped step and a handled mark without a note are explained.
    let case = format!("/incidents/{id}/move");
    assert_eq!(area.post_form(&case, &[("next_status", "received")]).await.status(), 303);
    let skipped = area.post_form(&case, &[("next_status", "handled"), ("note", "Đã xử lý")]).await;
    assert_eq!(skipped.status(), 422);
    assert!(skipped.text().await.unwrap().contains("Không có trong danh sách lựa chọn"));
    let school_stream = app.signed_in("hieutruong").await;
    let head_stream = school_stream.stream("/incidents/events").await;
    assert_eq!(
        area.post_form(&case, &[("next_status", "verifying"), ("note", "Tổ công tác đến hiện trường")]).await.status(),
        303
    );
    let verifying = wait_for(head_stream, "incident", "verifying").await;
    assert_eq!(verifying["id"], id.as_str());
    let bare = area.post_form(&case, &[("next_status", "handled")]).await;
    assert_eq!(bare.status(), 422);
    assert!(bare.text().await.unwrap().contains("Bắt buộc nhập"));
    assert_eq!(
        area.post_form(&case, &[("next_status", "handled"), ("note", "Lập biên bản, truy xét đối tượng")])
            .await
            .status(),
        303
    );
    let guard_move = guard.post_form(&case, &[("next_status", "closed"), ("outcome", "resolved")]).await;
    assert_eq!(guard_move.status(), 403);
    assert_eq!(
        school_stream
            .post_form(&format!("/incidents/{id}/note"), &[("note", "Trường đã thay khóa cửa phòng thiết bị")])
            .await
            .status(),
        303
    );
    let closing =
        [("next_status", "closed"), ("outcome", "resolved"), ("causes", "thin_guard"), ("causes", "low_fence")];
    assert_eq!(area.post_form(&case, &closing).await.status(), 303);

    // The school sees every step, the outcome and the gaps the police found.
    let seen = school_stream.get(&format!("/incidents/{id}")).await.text().await.unwrap();
    for needle in [
        "Đã kết thúc",
        "Đã giải quyết",
        "Lực lượng bảo vệ mỏng",
        "Tường rào thấp",
        "Tổ công tác đến hiện trường",
        "Trường đã thay khóa cửa phòng thiết bị",
        "Người dùng canbo.a",
    ] {
        assert!(seen.contains(needle), "{needle} missing from the case page");
    }
    assert_eq!(area.post_form(&case, &[("next_status", "received")]).await.status(), 422);
}

#[tokio::test]
async fn bad_reports_are_refused_with_a_reason_and_change_nothing() {
    let app = spawn_app().await;
    let site = app.world.school_site.id.to_string();
    let guard = app.signed_in("baove").await;
    let id = || baove_core::IncidentId::mint().to_string();
    let mut not_a_photo = report(&id(), &site, "Có người lạ");
    not_a_photo["photos"] = json!(["PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="]);
    let r = guard.post_json("/incidents", &not_a_photo).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["fields"][0]["field"], "photos");
    let mut too_many = report(&id(), &site, "Có người lạ");
    too_many["photos"] = json!([png(), png(), png(), png(), png()]);
    assert_eq!(guard.post_json("/incidents", &too_many).await.status(), 422);
    let huge = report(&id(), &site, &"x".repeat(9 * 1024 * 1024));
    assert_eq!(guard.post_json("/incidents", &huge).await.status(), 413);
    let mut future = report(&id(), &site, "Có người lạ");
    future["occurred_at"] = json!("2099-01-01T01:00");
    let r = guard.post_json("/incidents", &future).await;
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(
        (e["error"]["fields"][0]["field"].as_str(), e["error"]["fields"][0]["code"].as_str()),
        (Some("occurred_at"), Some("in_future"))
    );
    assert!(e["error"]["fields"][0]["message"].as_str().unwrap().contains("tương lai"), "{e}");
    let bank_site = app.world.bank_site.id.to_string();
    assert_eq!(guard.post_json("/incidents", &report(&id(), &bank_site, "Ở đơn vị khác")).await.status(), 422);
    let broken = guard.client.post(guard.url("/incidents")).header("x-csrf-token", guard.csrf().await);
    let broken = broken.header("content-type", "application/json").body("{oops").send().await.unwrap();
    assert_eq!(broken.status(), 400);
    // Without a script: the plain form comes back with the problem in Vietnamese.
    let form = guard
        .post_form("/incidents", &[("id", &id()), ("kind", "theft"), ("site_id", &site), ("occurred_at", "")])
        .await;
    assert_eq!(form.status(), 422);
    assert!(form.text().await.unwrap().contains("Bắt buộc nhập"));
    assert_eq!(recorded(&app).await, 0);
    assert_eq!(guard.get("/incidents/not-an-id").await.status(), 400);
    // The same plain form, complete, is recorded and opens the case.
    let ok = guard
        .post_form(
            "/incidents",
            &[
                ("id", &id()),
                ("kind", "suspicious"),
                ("site_id", &site),
                ("occurred_at", "01/12/2026 23:10"),
                ("summary", "Xe máy lượn quanh cổng trường nhiều lần"),
                ("plate", "29-X1 123.45"),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);

    // Integrations report through the API the same way.
    let token = app.token("hieutruong").await;
    let http = reqwest::Client::new();
    let api = format!("{}/api/v1/incidents", app.base);
    let body = report(&id(), &site, "Báo qua hệ thống tích hợp");
    let first = http.post(&api).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(first.status(), 201);
    assert_eq!(first.json::<Value>().await.unwrap()["kind"], "break_in");
    assert_eq!(http.post(&api).bearer_auth(&token).json(&body).send().await.unwrap().status(), 200);
    assert_eq!(http.post(&api).bearer_auth(&token).json(&json!({})).send().await.unwrap().status(), 422);
    assert_eq!(recorded(&app).await, 2);
}
