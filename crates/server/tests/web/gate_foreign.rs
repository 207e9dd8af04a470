//! Foreigners and the police at the gate (R8), end to end: the register of foreign workers
//! and its expiry alerts, the temporary-residence declaration of an overnight foreign stay,
//! and a visit reported to the ward police, who get it live and on their list.

use baove_core::access::{Org, Principal, Role};
use baove_core::time::{format_date, local_date};
use baove_core::visitor::{CheckInDraft, VisitId};
use baove_store::conformance::system;
use baove_store::{Actor, CheckInRequest};
use jiff::{SignedDuration, Timestamp};

use crate::helpers::{TestApp, spawn_app};

fn in_days(days: i64) -> String {
    let d = local_date(Timestamp::now()).checked_add(SignedDuration::from_hours(24 * days)).unwrap();
    d.to_string()
}

#[tokio::test]
async fn the_register_of_foreigners_flags_documents_expired_or_expiring_within_30_days() {
    let app = spawn_app().await;
    let head = app.signed_in("hieutruong").await;
    let (soon, gone) = (in_days(10), in_days(-3));
    let kim = [
        ("full_name", "Kim Min-jun"),
        ("nationality", "KOR"),
        ("job", "Giáo viên tiếng Hàn"),
        ("passport_number", "M1234567"),
        ("passport_expires", "2031-01-01"),
        ("permit_kind", "work_permit"),
        ("permit_number", "GP-77/2026"),
        ("permit_expires", soon.as_str()),
    ];
    assert_eq!(head.post_form("/gate/foreigners", &kim).await.status(), 303);
    let smith = [
        ("full_name", "John Smith"),
        ("nationality", "GBR"),
        ("passport_number", "123456789"),
        ("passport_expires", gone.as_str()),
    ];
    assert_eq!(head.post_form("/gate/foreigners", &smith).await.status(), 303);
    let page = head.get("/gate/foreigners").await.text().await.unwrap();
    let alerts = page.split("Người nước ngoài làm việc tại đơn vị").next().unwrap();
    assert!(alerts.contains("Sắp hết hạn (10 ngày nữa)") && alerts.contains("Giấy phép lao động"), "{alerts}");
    assert!(alerts.contains("Đã hết hạn (3 ngày trước)") && alerts.contains("John Smith"), "{alerts}");
    let expiry = local_date(Timestamp::now()).checked_add(SignedDuration::from_hours(240)).unwrap();
    assert!(alerts.contains(&format_date(expiry)), "dates as dd/mm/yyyy: {alerts}");
    assert!(page.contains("Kim Min-jun") && page.contains("M1234567"), "{page}");

    // The guard sees the alert on the gate page, may read the register, may not add to it.
    let guard = app.signed_in("baove").await;
    let gate = guard.get("/gate").await.text().await.unwrap();
    assert!(gate.contains("Có 2 giấy tờ") && gate.contains("1 giấy tờ đã hết hạn"), "{gate}");
    assert_eq!(guard.get("/gate/foreigners").await.status(), 200);
    assert_eq!(guard.post_form("/gate/foreigners", &kim).await.status(), 403);
    // A Vietnamese citizen or a missing expiry is explained, and nothing is added.
    let wrong = [("full_name", "Nguyễn Văn A"), ("nationality", "VNM"), ("passport_number", "C1234567")];
    let resp = head.post_form("/gate/foreigners", &wrong).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Bắt buộc nhập.") && page.contains("Hộ chiếu hết hạn ngày"), "{page}");
    let me = Actor { principal: Principal::installation("kiểm thử"), at: Timestamp::now() };
    let register = app.store.foreign_workers(&me, app.world.school.id).await.unwrap();
    assert_eq!(register.len(), 2);
    // Another unit's people do not see the school's register.
    let bank = app.signed_in("giamdoc").await;
    assert!(!bank.get("/gate/foreigners").await.text().await.unwrap().contains("Kim Min-jun"));
    let id = register[0].id.to_string();
    assert_eq!(bank.post_form("/gate/foreigners/remove", &[("worker_id", &id)]).await.status(), 404);
    assert_eq!(head.post_form("/gate/foreigners/remove", &[("worker_id", &id)]).await.status(), 303);
    assert_eq!(app.store.foreign_workers(&me, app.world.school.id).await.unwrap().len(), 1);
}

/// A foreign visitor checked in through the store `hours_ago`, staying overnight.
async fn foreign_stay(app: &TestApp, name: &str, hours_ago: i64) -> VisitId {
    let guard = Principal {
        account_id: baove_core::AccountId::mint(),
        role: Role::Gate,
        org: Org::Unit(app.world.school.id),
        display_name: "Cổng".into(),
    };
    let at = Timestamp::now() - SignedDuration::from_hours(hours_ago);
    let draft = CheckInDraft {
        doc_kind: "passport".into(),
        doc_number: "TK1234567".into(),
        nationality: "THA".into(),
        name: name.into(),
        purpose: "Giao lưu".into(),
        ..CheckInDraft::default()
    };
    let req = CheckInRequest {
        id: VisitId(uuid::Uuid::now_v7()),
        unit_id: app.world.school.id,
        site_id: app.world.school_site.id,
        check_in: draft.parse(local_date(at)).unwrap(),
        card: None,
        consent_version: baove_core::visitor::consent::CURRENT_VERSION.into(),
        overnight: true,
        traveller: Some((jiff::civil::date(1980, 5, 17), Some(baove_core::visitor::Gender::Male))),
    };
    app.store.check_in(&Actor { principal: guard, at }, &req).await.unwrap();
    req.id
}

#[tokio::test]
async fn an_overnight_foreign_stay_is_declared_within_twelve_hours_and_lateness_is_flagged() {
    let app = spawn_app().await;
    let head = app.signed_in("hieutruong").await;
    let settings =
        [("visit_days", "180"), ("profile_days", "365"), ("overstay_minutes", "240"), ("accommodation", "on")];
    assert_eq!(head.post_form("/gate/settings", &settings).await.status(), 303);
    let guard = app.signed_in("baove").await;
    let form = guard.get("/gate").await.text().await.unwrap();
    assert!(form.contains("name=\"overnight\""), "a lodging unit asks about the night");
    // The passport's MRZ scanned: name, number and nationality, and for the declaration the
    // birth date and sex.
    let zone = crate::gate::mrz("CARTER<<EMILY", "E12345678", "USA", "920704", 'F', "330101");
    let fields = [
        ("id", uuid::Uuid::now_v7().to_string()),
        ("site_id", app.world.school_site.id.to_string()),
        ("mrz", zone),
        ("purpose", "Giảng dạy trao đổi".into()),
        ("overnight", "on".into()),
        ("consent", "on".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(guard.post_form("/gate/checkin", &fields).await.status(), 303);
    let late = foreign_stay(&app, "Somchai Prasert", 13).await;
    let gate = guard.get("/gate").await.text().await.unwrap();
    let tasks = gate.split("Khai báo tạm trú cho người nước ngoài").nth(1).expect("the declarations section");
    assert!(tasks.contains("CARTER EMILY") && tasks.contains("Chưa khai báo"), "{tasks}");
    assert!(tasks.contains("04/07/1992") && tasks.contains("Nữ"), "the TT 53 fields from the MRZ: {tasks}");
    assert!(tasks.contains("17/05/1980") && tasks.contains("Nam"), "{tasks}");
    assert!(tasks.contains("Somchai Prasert") && tasks.contains("Quá hạn khai báo"), "{tasks}");
    assert!(tasks.contains("E12345678"), "the passport number is for the declaration form: {tasks}");

    let resp = guard.post_form("/gate/declared", &[("visit_id", &late.to_string())]).await;
    assert_eq!(resp.status(), 303);
    let gate = guard.get("/gate").await.text().await.unwrap();
    assert!(gate.contains("Đã khai báo") && !gate.contains("Quá hạn khai báo"), "{gate}");
    // Another unit cannot declare it; a bad id is a 400.
    let bank = app.signed_in("giamdoc").await;
    assert_eq!(bank.post_form("/gate/declared", &[("visit_id", &late.to_string())]).await.status(), 404);
    assert_eq!(bank.post_form("/gate/declared", &[("visit_id", "x")]).await.status(), 400);
}

#[tokio::test]
async fn a_visitor_reported_by_the_gate_reaches_the_ward_police_live_and_on_their_list() {
    let app = spawn_app().await;
    let guard = app.signed_in("baove").await;
    let visit = uuid::Uuid::now_v7().to_string();
    let fields = [
        ("id", visit.as_str()),
        ("site_id", &app.world.school_site.id.to_string()),
        ("doc_kind", "passport"),
        ("doc_number", "X9876543"),
        ("nationality", "CHN"),
        ("name", "Wang Lei"),
        ("purpose", "Khảo sát"),
        ("consent", "on"),
    ];
    assert_eq!(guard.post_form("/gate/checkin", &fields).await.status(), 303);
    let gate = guard.get("/gate").await.text().await.unwrap();
    assert!(gate.contains(&format!("/gate/report?visit_id={visit}")), "a report link on the inside list");
    let form = guard.get(&format!("/gate/report?visit_id={visit}")).await.text().await.unwrap();
    assert!(form.contains("Wang Lei") && form.contains("Gửi báo cáo cho công an"), "{form}");

    let officer = app.signed_in("canbo.a").await;
    let live = officer.get("/events").await;
    let report = uuid::Uuid::now_v7().to_string();
    let reason = "Chụp ảnh khu vực phòng máy chủ, không đúng mục đích khai báo";
    let blank = guard.post_form("/gate/report", &[("id", &report), ("visit_id", &visit), ("reason", " ")]).await;
    assert_eq!(blank.status(), 422);
    assert!(blank.text().await.unwrap().contains("Bắt buộc nhập."));
    let sent = guard.post_form("/gate/report", &[("id", &report), ("visit_id", &visit), ("reason", reason)]).await;
    assert_eq!(sent.status(), 303);
    assert_eq!(sent.headers()["location"], "/gate/reports");
    let event = crate::patrol::wait_for_alert(live, "police_report").await;
    assert_eq!((event["kind"].as_str(), event["tier"].as_str()), (Some("police_report"), Some("duty_desk")));
    assert!(event["message"].as_str().unwrap().contains("Wang Lei"), "{event}");

    let list = officer.get("/gate/reports").await.text().await.unwrap();
    assert!(list.contains("Wang Lei") && list.contains("X9876543") && list.contains(reason), "{list}");
    assert!(list.contains("Trường THCS Ngọc Lâm"), "{list}");
    let other_ward = app.signed_in("canbo.b").await.get("/gate/reports").await.text().await.unwrap();
    assert!(!other_ward.contains("Wang Lei"), "ward B does not get ward A's reports");
    let own = guard.get("/gate/reports").await.text().await.unwrap();
    assert!(own.contains("Wang Lei") && !own.contains("X9876543"), "the unit sees its report, number masked");

    // A resent form records and raises nothing more; another unit cannot report the visit.
    let again = guard.post_form("/gate/report", &[("id", &report), ("visit_id", &visit), ("reason", reason)]).await;
    assert_eq!(again.status(), 303);
    let desk = Principal { account_id: baove_core::AccountId::mint(), ..system().principal };
    let alerts = app.store.alerts_after(&desk, 0, 100).await.unwrap();
    assert_eq!(alerts.iter().filter(|a| a.kind.code() == "police_report").count(), 1);
    let bank = app.signed_in("giamdoc").await;
    let stolen = [("id", uuid::Uuid::now_v7().to_string()), ("visit_id", visit.clone()), ("reason", "x".into())];
    let stolen: Vec<(&str, &str)> = stolen.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(bank.post_form("/gate/report", &stolen).await.status(), 404);
    assert_eq!(bank.get(&format!("/gate/report?visit_id={visit}")).await.status(), 404);
}
