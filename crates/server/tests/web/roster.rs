//! The duty roster end to end: a unit head plans a holiday shift, the page warns that no leader
//! is on duty, the ward police read the arrangement, and a guard cannot change it.

use baove_core::access::{Org, Principal, Role};
use baove_core::calendar::{Change, Override};
use baove_core::registry::{Employment, Guard, GuardInput};
use baove_store::Actor;
use jiff::Timestamp;

use crate::helpers::{TestApp, spawn_app};

fn head(app: &TestApp) -> Actor {
    let p = Principal {
        account_id: baove_core::AccountId::mint(),
        role: Role::UnitHead,
        org: Org::Unit(app.world.school.id),
        display_name: "Hiệu trưởng".into(),
    };
    Actor { principal: p, at: Timestamp::now() }
}

async fn guard(app: &TestApp, name: &str) -> Guard {
    let input = GuardInput {
        id: None,
        unit_id: app.world.school.id,
        full_name: name.into(),
        employment: Employment::Dedicated,
        phone: String::new(),
        birth_date: None,
        health: String::new(),
        active: true,
    };
    app.store.create_guard(&head(app), &input).await.unwrap()
}

/// A day three days ahead that the school keeps as its own holiday.
async fn school_holiday(app: &TestApp) -> jiff::civil::Date {
    let day = baove_core::time::local_date(Timestamp::now()).checked_add(jiff::Span::new().days(3)).unwrap();
    let own = Override {
        date: day,
        change: Change::Add { name_vi: "Ngày truyền thống nhà trường".into(), name_en: "School day".into() },
        reason: String::new(),
    };
    app.store.set_unit_day(&head(app), app.world.school.id, &own).await.unwrap();
    day
}

#[tokio::test]
async fn a_holiday_shift_without_a_leader_is_flagged_and_the_ward_police_see_it() {
    let app = spawn_app().await;
    let (bao, hung) = (guard(&app, "Nguyễn Văn Bảo").await, guard(&app, "Lê Văn Hùng").await);
    let day = school_holiday(&app).await;
    let school = app.world.school.id;
    let roster = format!("/units/{school}/roster");
    let hieutruong = app.signed_in("hieutruong").await;
    let empty = hieutruong.get(&roster).await.text().await.unwrap();
    assert!(empty.contains("action=\"/shifts\""), "the head may add shifts");
    let (start, end) = (format!("{day}T06:00"), format!("{day}T18:00"));
    let (school_id, bao_id, hung_id) = (school.to_string(), bao.id.to_string(), hung.id.to_string());
    let resp = hieutruong
        .post_form(
            "/shifts",
            &[
                ("unit_id", &school_id),
                ("site_id", &app.world.school_site.id.to_string()),
                ("name", "Ca ngày truyền thống"),
                ("starts_at", &start),
                ("ends_at", &end),
                ("guards", &bao_id),
                ("guards", &hung_id),
                ("leader_name", ""),
                ("leader_phone", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    let page = hieutruong.get(&roster).await.text().await.unwrap();
    assert!(page.contains("Ca ngày truyền thống"), "{page}");
    assert!(page.contains("Ca ngày lễ chưa có lãnh đạo trực"), "a holiday shift without a leader is flagged");
    assert!(page.contains("Nguyễn Văn Bảo") && page.contains("Lê Văn Hùng"));

    let police = app.signed_in("canbo.a").await;
    let resp = police.get(&roster).await;
    assert_eq!(resp.status(), 200);
    let seen = resp.text().await.unwrap();
    assert!(seen.contains("Ca ngày truyền thống") && seen.contains("Ca ngày lễ chưa có lãnh đạo trực"));
    assert!(seen.contains("Nguyễn Văn Bảo"), "the guards of a school are no secret to its ward police");
    assert!(!seen.contains("action=\"/shifts\""), "the police read the roster, they do not write it");

    let other_ward = app.signed_in("canbo.b").await;
    assert_eq!(other_ward.get(&roster).await.status(), 404);
}

#[tokio::test]
async fn a_named_leader_clears_the_warning() {
    let app = spawn_app().await;
    let day = school_holiday(&app).await;
    let school = app.world.school.id.to_string();
    let hieutruong = app.signed_in("hieutruong").await;
    let (start, end) = (format!("{day}T18:00"), format!("{}T06:00", day.tomorrow().unwrap()));
    let resp = hieutruong
        .post_form(
            "/shifts",
            &[
                ("unit_id", &school),
                ("name", "Ca đêm"),
                ("starts_at", &start),
                ("ends_at", &end),
                ("leader_name", "Phó Hiệu trưởng Trần Thị Hoa"),
                ("leader_phone", "0912 345 678"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let page = hieutruong.get(&format!("/units/{school}/roster")).await.text().await.unwrap();
    assert!(page.contains("Phó Hiệu trưởng Trần Thị Hoa · 0912345678"));
    assert!(!page.contains("Ca ngày lễ chưa có lãnh đạo trực"));
}

#[tokio::test]
async fn a_shift_that_ends_before_it_starts_is_shown_back_with_the_problem() {
    let app = spawn_app().await;
    let school = app.world.school.id.to_string();
    let hieutruong = app.signed_in("hieutruong").await;
    let resp = hieutruong
        .post_form(
            "/shifts",
            &[
                ("unit_id", &school),
                ("name", "Ca ngày"),
                ("starts_at", "2027-09-02T18:00"),
                ("ends_at", "2027-09-02T06:00"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("field-error"));
}

#[tokio::test]
async fn a_guard_of_the_school_cannot_plan_shifts() {
    let app = spawn_app().await;
    let school = app.world.school.id.to_string();
    let baove = app.signed_in("baove").await;
    let resp = baove
        .post_form(
            "/shifts",
            &[
                ("unit_id", &school),
                ("name", "Ca ngày"),
                ("starts_at", "2027-09-02T06:00"),
                ("ends_at", "2027-09-02T18:00"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 403);
}
