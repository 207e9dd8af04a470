//! Hosts' invitations end to end: a host invites a group and gets a QR; at the gate one scan
//! of it into the check-in's QR field and one tap check the group in; the host is told.

use baove_core::access::Principal;
use baove_core::time::vietnam;
use baove_store::{Actor, VisitFilter};
use jiff::{SignedDuration, Timestamp};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_host_invites_a_group_and_one_scan_at_the_gate_checks_it_in() {
    let app = spawn_app().await;
    let host = app.signed_in("hieutruong").await;
    let soon =
        (Timestamp::now() + SignedDuration::from_hours(1)).to_zoned(vietnam()).strftime("%Y-%m-%dT%H:%M").to_string();
    let guests = "Nguyễn Văn An; 001090123456\nKim Min-jun; M1234567; KOR";
    // A line that does not parse is explained; nothing is created.
    let bad = [("purpose", "Họp"), ("expected_at", soon.as_str()), ("guests", "Nguyễn Văn An; 12345")];
    let resp = host.post_form("/invites", &bad).await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("Mã không hợp lệ."));
    let form = [("purpose", "Họp ban đại diện cha mẹ học sinh"), ("expected_at", soon.as_str()), ("guests", guests)];
    let resp = host.post_form("/invites", &form).await;
    assert_eq!(resp.status(), 303);
    let at = resp.headers()["location"].to_str().unwrap().to_owned();
    let page = host.get(&at).await.text().await.unwrap();
    assert!(page.contains("<svg") && page.contains("Kim Min-jun"), "{page}");
    let start = page.find("/gate/invite/").expect("the link is shown") + "/gate/invite/".len();
    let token: String = page[start..].chars().take_while(char::is_ascii_alphanumeric).collect();
    assert_eq!(token.len(), 32);

    // The gate scans the QR into the check-in's QR field: the invitation opens.
    let guard = app.signed_in("baove").await;
    let scanned = format!("https://baove.example/gate/invite/{token}");
    let resp = guard.post_form("/gate/checkin", &[("qr", &scanned), ("id", &uuid::Uuid::now_v7().to_string())]).await;
    assert_eq!(resp.status(), 303);
    let invite = resp.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(invite, format!("/gate/invite/{token}"));
    let page = guard.get(&invite).await.text().await.unwrap();
    assert!(page.contains("Cho vào (2 khách)") && page.contains("Nguyễn Văn An"), "{page}");
    // Without the notice read, nobody goes in; with it, one tap checks the group in.
    let site = app.world.school_site.id.to_string();
    assert_eq!(guard.post_form(&invite, &[("site_id", &site)]).await.status(), 422);
    assert_eq!(guard.post_form(&invite, &[("site_id", &site), ("consent", "on")]).await.status(), 303);
    assert_eq!(guard.post_form(&invite, &[("site_id", &site), ("consent", "on")]).await.status(), 303);
    let me = Actor { principal: Principal::installation("kiểm thử"), at: Timestamp::now() };
    let visits = app.store.list_visits(&me, app.world.school.id, &VisitFilter::default()).await.unwrap();
    assert_eq!(visits.len(), 2, "a resent tap adds nobody");
    assert!(visits.iter().all(|v| v.host == "Người dùng hieutruong" && v.purpose.starts_with("Họp ban")));
    assert!(guard.get(&invite).await.text().await.unwrap().contains("Tất cả khách trong lời mời đã vào."));

    // The host is told on their home page; another unit's gate cannot open the invitation.
    let home = host.get("/").await.text().await.unwrap();
    assert!(home.contains("Khách tôi mời") && home.contains("2 khách bạn mời đã đến cổng."), "{home}");
    let bank = app.signed_in("giamdoc").await;
    assert_eq!(bank.get(&invite).await.status(), 404);
    assert_eq!(bank.get(&at).await.status(), 404);
}
