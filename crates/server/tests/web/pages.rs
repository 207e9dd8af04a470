//! The pages, driven as a person in a browser would.

use baove_store::UnitFilter;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_visitor_without_a_session_is_sent_to_sign_in() {
    let app = spawn_app().await;
    let resp = app.browser().get("/units").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/login?next=/units");
}

#[tokio::test]
async fn signing_in_shows_the_home_page_in_vietnamese_and_the_switch_gives_english() {
    let app = spawn_app().await;
    let b = app.signed_in("hieutruong").await;
    let home = b.get("/").await.text().await.unwrap();
    assert!(home.contains("<html lang=\"vi\">"));
    assert!(home.contains("Việc cần làm"), "{home}");
    assert!(home.contains("Sơ hở cần khắc phục"), "a unit head sees the gaps of the registry");
    assert_eq!(b.get("/lang?to=en&back=/").await.status(), 303);
    let home = b.get("/").await.text().await.unwrap();
    assert!(home.contains("<html lang=\"en\">") && home.contains("To do"));
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let resp = app.browser().login("hieutruong", "sai mật khẩu rồi").await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("Tên đăng nhập hoặc mật khẩu không đúng."));
    let resp = app.browser().login("khong.ton.tai", PASSWORD).await;
    assert_eq!(resp.status(), 422, "an unknown user reads the same as a wrong password");
}

#[tokio::test]
async fn a_unit_head_registers_premises_and_force_through_the_forms() {
    let app = spawn_app().await;
    let w = &app.world;
    let b = app.signed_in("hieutruong").await;
    let site = w.school_site.id.to_string();
    let resp = b
        .post_form(
            "/zones",
            &[
                ("site_id", &site),
                ("kind", "accounting"),
                ("name", "Phòng kế toán tầng 2"),
                ("sensitivity", "5"),
                ("asset_value", "250.000.000"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    let zones =
        app.store.list_zones(&baove_store::conformance::system().principal, w.school.id, "ke toan").await.unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0].asset_value, 250_000_000);
    let zone = zones[0].id.to_string();
    let resp = b
        .post_form(
            "/checkpoints",
            &[("zone_id", &zone), ("code", "cp-07"), ("name", "Cửa phòng kế toán"), ("active", "on")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let resp = b
        .post_form(
            "/devices",
            &[
                ("site_id", &site),
                ("zone_id", &zone),
                ("kind", "door_contact"),
                ("name", "Cảm biến cửa kế toán"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let page = b.get(&format!("/sites/{site}")).await.text().await.unwrap();
    assert!(page.contains("Phòng kế toán tầng 2") && page.contains("CP-07") && page.contains("Cảm biến cửa kế toán"));
    assert!(page.contains("250.000.000"), "money is shown with Vietnamese separators");

    let unit = w.school.id.to_string();
    let resp = b
        .post_form(
            "/guards",
            &[
                ("unit_id", &unit),
                ("full_name", "Trần Văn Gác"),
                ("employment", "part_time"),
                ("phone", "0912 345 678"),
                ("birth_date", "1975-04-30"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let guard_path = resp.headers()["location"].to_str().unwrap().to_owned();
    let resp = b
        .post_form(
            &format!("{guard_path}/certificates"),
            &[("number", "88/GCN"), ("issuer", "Công an TP Hà Nội"), ("issued_on", "10/01/2022")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let page = b.get(&guard_path).await.text().await.unwrap();
    assert!(page.contains("88/GCN") && page.contains("10/01/2027"), "five-year validity shown as dd/mm/yyyy");
}

#[tokio::test]
async fn a_form_sent_twice_creates_one_record() {
    let app = spawn_app().await;
    let b = app.signed_in("hieutruong").await;
    let new = b.get(&format!("/sites/{}/zones/new", app.world.school_site.id)).await.text().await.unwrap();
    let marker = "name=\"id\" value=\"";
    let id = new[new.find(marker).expect("the new form carries an id") + marker.len()..]
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let site = app.world.school_site.id.to_string();
    for _ in 0..2 {
        let resp = b
            .post_form(
                "/zones",
                &[("id", &id), ("site_id", &site), ("kind", "gate"), ("name", "Cổng phụ"), ("sensitivity", "2")],
            )
            .await;
        assert_eq!(resp.status(), 303);
    }
    let zones =
        app.store.list_zones(&baove_store::conformance::system().principal, app.world.school.id, "").await.unwrap();
    assert_eq!(zones.len(), 1, "a double tap on Lưu makes one zone");
    assert_eq!(zones[0].id.to_string(), id);
}

#[tokio::test]
async fn an_invalid_form_shows_each_problem_in_vietnamese_and_saves_nothing() {
    let app = spawn_app().await;
    let b = app.signed_in("hieutruong").await;
    let site = app.world.school_site.id.to_string();
    let resp =
        b.post_form("/zones", &[("site_id", &site), ("kind", "casino"), ("name", "   "), ("sensitivity", "9")]).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Bắt buộc nhập."), "empty name");
    assert!(page.contains("Không có trong danh sách lựa chọn."), "unknown kind");
    assert!(page.contains("Phải từ 1 đến 5."), "sensitivity out of range");
    let zones =
        app.store.list_zones(&baove_store::conformance::system().principal, app.world.school.id, "").await.unwrap();
    assert!(zones.is_empty());
}

#[tokio::test]
async fn police_register_a_unit_and_find_it_without_accents_and_script_stays_text() {
    let app = spawn_app().await;
    let b = app.signed_in("canbo.a").await;
    let ward = app.world.ward_a.id.to_string();
    let resp = b
        .post_form(
            "/units",
            &[
                ("authority_id", &ward),
                ("kind", "school"),
                ("name", "Trường Tiểu học Gia Thụy"),
                ("address", "Phường Bồ Đề"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    let found = b.get("/units?q=truong+tieu+hoc+gia+thuy").await.text().await.unwrap();
    assert!(found.contains("Trường Tiểu học Gia Thụy"));
    assert!(!found.contains("Đức Giang"), "the hospital is in another ward");
    assert!(!found.contains("Ngọc Lâm"), "the search narrows the list");
    let resp = b
        .post_form("/units", &[("authority_id", &ward), ("kind", "other"), ("name", "<script>alert('x')</script>")])
        .await;
    assert_eq!(resp.status(), 303);
    let list = b.get("/units?q=script").await.text().await.unwrap();
    assert!(
        list.contains("&#60;script&#62;alert") || list.contains("&lt;script&gt;alert"),
        "the name is shown, escaped: {list}"
    );
    assert!(!list.contains("<script>alert"));
}

#[tokio::test]
async fn another_units_pages_are_not_found_and_a_malformed_id_is_a_clear_400() {
    let app = spawn_app().await;
    let b = app.signed_in("hieutruong").await;
    let resp = b.get(&format!("/units/{}", app.world.hospital.id)).await;
    assert_eq!(resp.status(), 404);
    assert!(resp.text().await.unwrap().contains("ngoài phạm vi quản lý"));
    let resp = b.get("/units/1%27%20or%201=1").await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("mã định danh sai"));
}

#[tokio::test]
async fn a_key_target_shows_its_details_only_after_a_clearance() {
    let app = spawn_app().await;
    let officer = app.signed_in("canbo.a").await;
    let bank = format!("/units/{}", app.world.bank.id);
    let page = officer.get(&bank).await.text().await.unwrap();
    assert!(page.contains("chỉ người được cấp quyền mới xem được"));
    assert!(!page.contains("Trụ sở chi nhánh"), "the bank's site stays hidden");
    let admin = app.signed_in("admin").await;
    let officer_id = app.store.login_lookup("canbo.a").await.unwrap().unwrap().0.id.to_string();
    let resp = admin.post_form(&format!("{bank}/clearances"), &[("account_id", &officer_id)]).await;
    assert_eq!(resp.status(), 303);
    let page = officer.get(&bank).await.text().await.unwrap();
    assert!(page.contains("Trụ sở chi nhánh"));
}

#[tokio::test]
async fn a_system_admin_sees_the_audit_chain_intact() {
    let app = spawn_app().await;
    let page = app.signed_in("admin").await.get("/audit").await.text().await.unwrap();
    assert!(page.contains("Chuỗi nhật ký nguyên vẹn"), "{page}");
    let desk = app.signed_in("trucban").await;
    assert_eq!(desk.get("/audit").await.status(), 403);
}

#[tokio::test]
async fn the_police_home_counts_units_of_the_whole_province() {
    let app = spawn_app().await;
    let page = app.signed_in("trucban").await.get("/").await.text().await.unwrap();
    assert!(page.contains("Đơn vị trên địa bàn") && page.contains("Ngân hàng chi nhánh Bồ Đề"));
    let all =
        app.store.list_units(&baove_store::conformance::system().principal, &UnitFilter::default()).await.unwrap();
    assert_eq!(all.len(), 3);
}
