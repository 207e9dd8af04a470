//! The gate end to end, as a guard and the people around the gate use it: check-in by a typed
//! CCCD number and by the CCCD's QR text, check-out, visitor cards and the closing-time list,
//! watchlist hits that hold the visitor and raise an alert, tenants kept apart, and bad input
//! refused with a Vietnamese message and no change.

use baove_core::access::{Org, Principal, Role};
use baove_core::account::AccountInput;
use baove_core::patrol::alert::AlertKind;
use baove_core::patrol::escalation::Tier;
use baove_store::conformance::system;
use baove_store::{Actor, VisitFilter};
use jiff::Timestamp;

use crate::helpers::{Browser, PASSWORD, TestApp, spawn_app};

/// A gate account of another unit (the hospital of ward B).
async fn hospital_gate(app: &TestApp) -> Browser {
    let hash = baove_server::auth::password::hash(PASSWORD).unwrap();
    let input = AccountInput {
        username: "cong.benhvien".into(),
        display_name: "Cổng bệnh viện".into(),
        role: Role::Gate,
        org: Org::Unit(app.world.hospital.id),
        guard_id: None,
        password: String::new(),
    };
    app.store.create_account(&system(), &input, &hash).await.unwrap();
    app.signed_in("cong.benhvien").await
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Posts the check-in form of the school's gate with `extra` fields over the defaults.
async fn check_in(app: &TestApp, b: &Browser, id: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let site = app.world.school_site.id.to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("id", id),
        ("site_id", &site),
        ("doc_kind", "cccd"),
        ("purpose", "Họp phụ huynh"),
        ("organisation", "Công ty TNHH Minh Phát"),
        ("consent", "on"),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    b.post_form("/gate/checkin", &fields).await
}

/// The school's logbook as the installation reads it (every visit, newest first).
async fn school_visits(app: &TestApp) -> Vec<baove_core::visitor::Visit> {
    let me = Actor { principal: Principal::installation("kiểm thử"), at: Timestamp::now() };
    app.store.list_visits(&me, app.world.school.id, &VisitFilter::default()).await.unwrap()
}

async fn text(b: &Browser, path: &str) -> String {
    let resp = b.get(path).await;
    assert_eq!(resp.status(), 200, "GET {path}");
    resp.text().await.unwrap()
}

#[tokio::test]
async fn a_guard_checks_a_visitor_in_by_typed_number_and_out_again_once() {
    let app = spawn_app().await;
    let guard = app.signed_in("baove").await;
    let id = new_id();
    let extra = [("doc_number", "001090123456"), ("name", "Nguyễn Văn An"), ("plate", "30a-123.45")];
    let resp = check_in(&app, &guard, &id, &extra).await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    assert_eq!(resp.headers()["location"], "/gate");
    // A resent form (the same id) records nothing new.
    assert_eq!(check_in(&app, &guard, &id, &extra).await.status(), 303);
    let visits = school_visits(&app).await;
    assert_eq!(visits.len(), 1);
    assert_eq!((visits[0].doc_number.as_str(), visits[0].plate.as_deref()), ("001090123456", Some("30A-123.45")));

    let gate = text(&guard, "/gate").await;
    assert!(gate.contains("Khách đang ở trong (1)") && gate.contains("Nguyễn Văn An"), "{gate}");
    let log = text(&guard, "/gate/log").await;
    assert!(log.contains("••••••••3456") && !log.contains("001090123456"), "the number is masked: {log}");

    let out = guard.post_form("/gate/checkout", &[("visit_id", &id)]).await;
    assert_eq!(out.status(), 303);
    let gate = text(&guard, "/gate").await;
    assert!(gate.contains("Khách đang ở trong (0)") && !gate.contains("Nguyễn Văn An"), "{gate}");
    // Checking out twice is refused and changes nothing.
    let again = guard.post_form("/gate/checkout", &[("visit_id", &id)]).await;
    assert_eq!(again.status(), 422);
    let visits = school_visits(&app).await;
    assert!(visits[0].checked_out_at.is_some());
}

#[tokio::test]
async fn the_cccd_qr_text_fills_the_check_in_and_the_newer_cards_extra_fields_are_tolerated() {
    let app = spawn_app().await;
    let guard = app.signed_in("baove").await;
    let qr = "001090123456|012345678|Nguyễn Văn An|01011990|Nam|Phường Bồ Đề, Long Biên, Hà Nội|15042021";
    let resp = check_in(&app, &guard, &new_id(), &[("qr", qr)]).await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    let newer = format!("079301000123||Trần Thị Bích|02022001|Nữ|TP Hồ Chí Minh|01072024|{}|Trần Văn Cha", "");
    let resp = check_in(&app, &guard, &new_id(), &[("qr", &newer)]).await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    let visits = school_visits(&app).await;
    let by_name = |n: &str| visits.iter().find(|v| v.name == n).unwrap_or_else(|| panic!("{n} in {visits:?}"));
    let an = by_name("Nguyễn Văn An");
    assert_eq!((an.doc_number.as_str(), an.cmnd_alias.as_deref()), ("001090123456", Some("012345678")));
    assert_eq!(by_name("Trần Thị Bích").doc_number, "079301000123");

    // A QR whose number contradicts its birth date is refused with the reason, and nothing is kept.
    let forged = "001090123456|012345678|Nguyễn Văn An|01011985|Nam|Hà Nội|15042021";
    let resp = check_in(&app, &guard, &new_id(), &[("qr", forged)]).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("năm sinh trong số không khớp ngày sinh"), "{page}");
    assert_eq!(school_visits(&app).await.len(), 2);
}

#[tokio::test]
async fn cards_are_issued_returned_and_reported_lost_and_the_closing_list_shows_what_is_out() {
    let app = spawn_app().await;
    let head = app.signed_in("hieutruong").await;
    assert_eq!(head.post_form("/gate/cards", &[("from", "1"), ("to", "5")]).await.status(), 303);
    let guard = app.signed_in("baove").await;
    let (a, b) = (new_id(), new_id());
    let first = [("doc_number", "001090123456"), ("name", "Nguyễn Văn An"), ("card", "3")];
    assert_eq!(check_in(&app, &guard, &a, &first).await.status(), 303);
    // The same card cannot go to a second visitor.
    let taken = [("doc_number", "001090123457"), ("name", "Lê Thị Cúc"), ("card", "3")];
    let resp = check_in(&app, &guard, &b, &taken).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(school_visits(&app).await.len(), 1);
    let second = [("doc_number", "001090123457"), ("name", "Lê Thị Cúc"), ("card", "4")];
    assert_eq!(check_in(&app, &guard, &b, &second).await.status(), 303);

    let cards = text(&guard, "/gate/cards").await;
    assert!(cards.contains("Còn 2 khách trong khu vực"), "{cards}");
    assert!(cards.contains("Đang phát cho khách trong khu vực"), "{cards}");

    // Card 3 comes back at check-out; card 4's visitor leaves with it: on the closing list.
    assert_eq!(guard.post_form("/gate/checkout", &[("visit_id", &a)]).await.status(), 303);
    assert_eq!(guard.post_form("/gate/checkout", &[("visit_id", &b), ("card_kept", "on")]).await.status(), 303);
    let closing = text(&guard, "/gate/cards").await;
    let closing = closing.split("Tất cả thẻ khách").next().unwrap();
    assert!(closing.contains("Khách đã ra nhưng chưa trả thẻ") && closing.contains("Lê Thị Cúc"), "{closing}");
    // Then card 4 is reported lost.
    assert_eq!(guard.post_form("/gate/cards/move", &[("card", "4"), ("action", "report_lost")]).await.status(), 303);
    let cards = app.store.visitor_cards(&Principal::installation("kiểm thử"), app.world.school.id).await.unwrap();
    let state = |n: u16| cards.iter().find(|c| c.number.0 == n).unwrap().state.code();
    assert_eq!((state(3), state(4), state(5)), ("returned", "lost", "available"));
    let page = text(&guard, "/gate/cards").await;
    assert!(page.contains("Bị mất"), "{page}");
    // A card that is not out cannot be returned; a card number out of range is explained.
    let resp = guard.post_form("/gate/cards/move", &[("card", "5"), ("action", "return")]).await;
    assert_eq!(resp.status(), 422);
    let resp = guard.post_form("/gate/cards/move", &[("card", "12345"), ("action", "return")]).await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("9999"));
}

#[tokio::test]
async fn a_visitor_still_inside_at_closing_time_is_listed_with_the_card() {
    let app = spawn_app().await;
    let guard = app.signed_in("baove").await;
    let extra = [("doc_number", "001090123456"), ("name", "Nguyễn Văn An"), ("card", "7")];
    assert_eq!(check_in(&app, &guard, &new_id(), &extra).await.status(), 303);
    let page = text(&guard, "/gate/cards").await;
    let closing = page.split("Tất cả thẻ khách").next().unwrap();
    assert!(closing.contains("Nguyễn Văn An") && closing.contains("Đang phát cho khách trong khu vực"), "{closing}");
    assert!(closing.contains("Còn 1 khách trong khu vực") && !closing.contains("Đã thu đủ thẻ"), "{closing}");
    let evacuation = text(&guard, "/gate/evacuation").await;
    assert!(evacuation.contains("Nguyễn Văn An"), "{evacuation}");
}

#[tokio::test]
async fn a_police_watchlist_hit_holds_the_visitor_and_reaches_the_duty_desk() {
    let app = spawn_app().await;
    let officer = app.signed_in("canbo.a").await;
    let entry = [("key_kind", "id_number"), ("value", "001090999999"), ("reason", "Đối tượng truy nã")];
    assert_eq!(officer.post_form("/gate/watchlist", &entry).await.status(), 303);
    let guard = app.signed_in("baove").await;
    let id = new_id();
    let resp =
        check_in(&app, &guard, &id, &[("doc_number", "001090999999"), ("name", "Trần Văn Bình"), ("card", "2")]).await;
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(page.contains("GIỮ LẠI") && page.contains("Đối tượng truy nã"), "{page}");
    let visits = school_visits(&app).await;
    assert!(visits[0].watchlist_hold && visits[0].card.is_none(), "held, and no card handed out");
    let gate = text(&guard, "/gate").await;
    assert!(gate.contains("Đang giữ lại"), "{gate}");

    let desk = Principal { account_id: baove_core::AccountId::mint(), ..system().principal };
    let alerts = app.store.alerts_after(&desk, 0, 100).await.unwrap();
    let hit = alerts.iter().find(|a| a.kind == AlertKind::WatchlistHit).expect("an alert");
    assert_eq!((hit.unit_id, hit.tier), (app.world.school.id, Tier::DutyDesk));
    assert!(hit.message.contains("Trần Văn Bình"));
    // The provincial duty desk sees it on its board; a resent form raises nothing more.
    let board = text(&app.signed_in("trucban").await, "/patrol/board").await;
    assert!(board.contains("Trần Văn Bình"), "{board}");
    assert_eq!(
        check_in(&app, &guard, &id, &[("doc_number", "001090999999"), ("name", "Trần Văn Bình")]).await.status(),
        200
    );
    assert_eq!(app.store.alerts_after(&desk, 0, 100).await.unwrap().len(), alerts.len());
}

#[tokio::test]
async fn a_units_own_watchlist_hit_stays_at_the_unit() {
    let app = spawn_app().await;
    let head = app.signed_in("hieutruong").await;
    let entry = [("key_kind", "plate"), ("value", "29B-555.66"), ("reason", "Xe từng gây rối")];
    assert_eq!(head.post_form("/gate/watchlist", &entry).await.status(), 303);
    // A guard reads the list but does not edit it.
    let guard = app.signed_in("baove").await;
    let other = [("key_kind", "name"), ("value", "Ai Đó"), ("reason", "thử")];
    assert_eq!(guard.post_form("/gate/watchlist", &other).await.status(), 403);
    let extra = [("doc_number", "001090123456"), ("name", "Nguyễn Văn An"), ("plate", "29b55566")];
    let resp = check_in(&app, &guard, &new_id(), &extra).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Xe từng gây rối"));
    let alerts = app.store.alerts_after(&system().principal, 0, 100).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].tier, Tier::SecurityOfficer);
    let board = text(&app.signed_in("trucban").await, "/patrol/board").await;
    assert!(!board.contains("Nguyễn Văn An"), "a unit's own list is not the police's business");
}

#[tokio::test]
async fn a_gate_of_another_unit_neither_sees_nor_checks_out_the_school_visitor() {
    let app = spawn_app().await;
    let guard = app.signed_in("baove").await;
    let id = new_id();
    let extra = [("doc_number", "001090123456"), ("name", "Nguyễn Văn An")];
    assert_eq!(check_in(&app, &guard, &id, &extra).await.status(), 303);
    let other = hospital_gate(&app).await;
    let gate = text(&other, "/gate").await;
    assert!(!gate.contains("Nguyễn Văn An"), "{gate}");
    assert!(!text(&other, "/gate/log").await.contains("Nguyễn Văn An"));
    let resp = other.post_form("/gate/checkout", &[("visit_id", &id)]).await;
    assert_eq!(resp.status(), 404);
    // Recording a visit on the school's site from the hospital's gate is refused.
    let school_site = app.world.school_site.id.to_string();
    let fields = [
        ("id", new_id()),
        ("site_id", school_site),
        ("doc_kind", "cccd".into()),
        ("doc_number", "001090123457".into()),
        ("name", "Lê Thị Cúc".into()),
        ("purpose", "Thăm".into()),
        ("consent", "on".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(other.post_form("/gate/checkin", &fields).await.status(), 422);
    // The school's visit was left alone; police do not use the gate.
    let visits = school_visits(&app).await;
    assert_eq!(visits.len(), 1);
    assert!(visits[0].checked_out_at.is_none());
    assert_eq!(app.signed_in("canbo.a").await.get("/gate").await.status(), 403);
    // A malformed id is a clear 400.
    assert_eq!(other.post_form("/gate/checkout", &[("visit_id", "không-phải-mã")]).await.status(), 400);
}

#[tokio::test]
async fn bad_input_is_explained_in_vietnamese_and_changes_nothing() {
    let app = spawn_app().await;
    let guard = app.signed_in("baove").await;
    // A number with an unknown province code, a plate of no locality, no consent.
    let extra = [("doc_number", "003090123456"), ("name", "Nguyễn Văn An"), ("plate", "13A-123.45"), ("consent", "")];
    let resp = check_in(&app, &guard, &new_id(), &extra).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("003"), "the province code is named: {page}");
    assert!(page.contains("Bắt buộc nhập."), "{page}");
    // A malformed number, a missing name.
    let resp = check_in(&app, &guard, &new_id(), &[("doc_number", "12345"), ("name", "")]).await;
    assert_eq!(resp.status(), 422);
    assert!(school_visits(&app).await.is_empty());

    // Script in a name is stored as typed and shown escaped.
    let script = "<script>alert('x')</script> Nguyễn";
    let resp = check_in(&app, &guard, &new_id(), &[("doc_number", "001090123456"), ("name", script)]).await;
    assert_eq!(resp.status(), 303);
    for path in ["/gate", "/gate/log", "/gate/evacuation"] {
        let page = text(&guard, path).await;
        assert!(!page.contains("<script>alert"), "{path} escapes the name");
        assert!(page.contains("&#60;script&#62;"), "{path}: {page}");
    }
    // A huge body is refused before it is read, and no visit is recorded.
    let huge = "x".repeat(2 * 1024 * 1024);
    let resp =
        check_in(&app, &guard, &new_id(), &[("doc_number", "001090123457"), ("name", "A"), ("items", &huge)]).await;
    assert_eq!(resp.status(), 413);
    // A malformed visit id in the form is a 400, not a 500.
    let resp = check_in(&app, &guard, "abc", &[("doc_number", "001090123457"), ("name", "Lê Thị Cúc")]).await;
    assert_eq!(resp.status(), 400);
    assert_eq!(school_visits(&app).await.len(), 1);
}

/// A TD3 MRZ with correct check digits (ICAO 9303 Part 4).
pub fn mrz(surname_given: &str, number: &str, nationality: &str, birth: &str, sex: char, expiry: &str) -> String {
    use baove_core::visitor::passport::check_digit;
    let cd = |f: &str| check_digit(f).unwrap().to_string();
    let l1 = format!("P<{nationality}{surname_given:<<39}");
    let number = format!("{number:<<9}");
    let optional = "<".repeat(14);
    let body = format!(
        "{number}{}{nationality}{birth}{}{sex}{expiry}{}{optional}{}",
        cd(&number),
        cd(birth),
        cd(expiry),
        cd(&optional)
    );
    let composite =
        format!("{number}{}{birth}{}{expiry}{}{optional}{}", cd(&number), cd(birth), cd(expiry), cd(&optional));
    format!("{l1}\n{body}{}", cd(&composite))
}

#[tokio::test]
async fn a_scanned_passport_mrz_fills_the_foreign_visitors_check_in() {
    let app = spawn_app().await;
    let guard = app.signed_in("baove").await;
    let zone = mrz("PARK<<JI<HOON", "M12345678", "KOR", "850315", 'M', "310101");
    assert_eq!(zone.lines().map(str::len).collect::<Vec<_>>(), [44, 44]);
    let resp = check_in(&app, &guard, &new_id(), &[("mrz", &zone), ("doc_kind", "cccd")]).await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    let v = &school_visits(&app).await[0];
    assert_eq!((v.name.as_str(), v.doc_number.as_str(), v.nationality.code()), ("PARK JI HOON", "M12345678", "KOR"));
    assert_eq!(v.doc_kind.code(), "passport");
    assert!(v.foreigner, "flagged as a foreigner in the logbook");
    // One wrong character breaks a check digit: refused with the reason, nothing recorded.
    let typo = zone.replacen("M12345678", "M12345679", 1);
    let resp = check_in(&app, &guard, &new_id(), &[("mrz", &typo)]).await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("số kiểm tra MRZ không khớp"));
    assert_eq!(school_visits(&app).await.len(), 1);
}
