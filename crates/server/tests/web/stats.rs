//! The police statistics page: incidents at known Vietnamese times counted by premises, hour ×
//! weekday, holiday nights, modus and cause; the scope of each reader; the drill-down; bad
//! queries; and the XLSX export with one sheet per table.

use std::process::Command;

use baove_core::incident::{Cause, IncidentKind, IncidentStatus, Modus};
use baove_core::stats::{Period, is_holiday_night};
use baove_core::time::vietnam;
use baove_core::{IncidentId, UnitId};
use baove_store::conformance::{closed_theft, system};
use jiff::Timestamp;
use jiff::civil::date;

use crate::helpers::{Browser, TestApp, fresh_store, serve, spawn_app};

const PERIOD: &str = "from=01/03/2026&to=31/05/2026";

/// An instant given as Vietnamese wall-clock time.
fn vn(y: i16, m: i8, d: i8, hour: i8, minute: i8) -> Timestamp {
    date(y, m, d).at(hour, minute, 0, 0).to_zoned(vietnam()).unwrap().timestamp()
}

/// A table row as the page renders it.
fn row(cells: &[&str]) -> String {
    cells.iter().map(|c| format!("<td class=\"\">{c}</td>")).collect()
}

/// Four incidents in the period (two at the school on the night of 30/4, one at the bank, one
/// at the hospital of ward B) and one before it; the school's two, in order.
async fn incidents(app: &TestApp) -> Vec<IncidentId> {
    let w = &app.world;
    let mut made = Vec::new();
    let cases: [(UnitId, Timestamp, bool); 5] = [
        (w.school.id, vn(2026, 4, 30, 22, 0), true),
        (w.school.id, vn(2026, 5, 1, 2, 30), true),
        (w.bank.id, vn(2026, 5, 12, 1, 15), false),
        (w.hospital.id, vn(2026, 5, 13, 3, 0), false),
        (w.school.id, vn(2026, 1, 10, 1, 0), true),
    ];
    for (unit, at, closed) in cases {
        let mut i = closed_theft(unit, at);
        i.modus = vec![Modus::Helmet, Modus::Mask];
        i.causes = vec![Cause::ThinGuard, Cause::LowFence];
        if !closed {
            i.kind = IncidentKind::BreakIn;
            i.status = IncidentStatus::Reported;
            i.outcome = None;
            i.modus = vec![Modus::FakePlate];
            i.causes = Vec::new();
        }
        app.store.create_incident(&system(), &i).await.unwrap();
        made.push(i.id);
    }
    made.truncate(2);
    made
}

#[tokio::test]
async fn the_area_officer_counts_the_wards_incidents_by_premises_hour_night_modus_and_cause() {
    let app = spawn_app().await;
    let school_incidents = incidents(&app).await;
    let officer = app.signed_in("canbo.a").await;
    let resp = officer.get(&format!("/stats?{PERIOD}")).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("01/03/2026 – 31/05/2026"), "the period in dd/mm/yyyy");
    // Premises: two at the school, one at the bank, none at the hospital of ward B.
    assert!(html.contains("unit_kind=school\">Trường học</a></td><td class=\"\">2</td>"), "{html}");
    assert!(html.contains("unit_kind=bank\">Ngân hàng, kho bạc</a></td><td class=\"\">1</td>"));
    assert!(html.contains("unit_kind=hospital\">Bệnh viện</a></td><td class=\"\">0</td>"));
    assert!(html.contains("<td class=\"ok\">Tất cả</td><td class=\"ok\">3</td>"));
    assert!(html.contains("<dd>2/3</dd>"), "two of three between 00:00 and 05:00");
    // The heat map, in Vietnam time: Thursday 30/4 22:00, Friday 01/5 02:30, Tuesday 12/5 01:15.
    assert!(html.contains("<title>Thứ Năm 22:00–23:00: 1</title>"));
    assert!(html.contains("<title>Thứ Sáu 02:00–03:00: 1</title>"));
    assert!(html.contains("<title>Thứ Ba 01:00–02:00: 1</title>"));
    assert!(html.contains("<title>Thứ Tư 03:00–04:00: 0</title>"), "the hospital is ward B's");
    assert_eq!(html.matches(":00–").count(), 7 * 24, "a titled cell per hour and day");
    // Nights: the two on the night of 30/4 (a holiday), the bank's on an ordinary night.
    let period = Period::parse("01/03/2026", "31/05/2026", date(2026, 12, 7)).unwrap();
    let holidays = period.nights().into_iter().filter(|d| is_holiday_night(*d)).count();
    let ordinary = period.nights().len() - holidays;
    assert!(holidays >= 2, "30/4 and 01/5 at least");
    let per_night = |n: usize, nights: usize| format!("{:.2}", n as f64 / nights as f64).replace('.', ",");
    assert!(html.contains(&row(&["Đêm lễ, Tết", "2", &holidays.to_string(), &per_night(2, holidays)])), "{html}");
    assert!(html.contains(&row(&["Đêm thường", "1", &ordinary.to_string(), &per_night(1, ordinary)])));
    // Modus and cause: each descriptor counted once per incident.
    assert!(html.contains(&row(&["Đội mũ", "2"])));
    assert!(html.contains(&row(&["Biển số giả", "1"])));
    assert!(html.contains(&row(&["Đi găng tay", "0"])));
    assert!(html.contains(&row(&["Lực lượng bảo vệ mỏng", "2"])));
    assert!(html.contains(&row(&["Tường rào thấp, dễ xâm nhập", "2"])));
    assert!(html.contains(&row(&["Thiếu chuông báo động, camera", "0"])));
    assert!(html.contains("<title>Đội mũ: 2</title>"), "a bar per row");
    // Kind and status.
    assert!(html.contains(&row(&["Trộm cắp", "2"])));
    assert!(html.contains(&row(&["Đột nhập", "1"])));
    assert!(html.contains(&row(&["Mới báo", "1"])));
    assert!(html.contains(&row(&["Đã kết thúc", "2"])));
    // Drill-down: the schools of the ward, then the school's incidents.
    let school = app.world.school.id;
    let html = officer.get(&format!("/stats?{PERIOD}&unit_kind=school")).await.text().await.unwrap();
    assert!(html.contains(&format!("<a href=\"/units/{school}\">{}</a>", app.world.school.name)), "{html}");
    assert!(html.contains(&format!("&#38;unit={school}\">2</a>")), "the count links to the unit's incidents");
    assert!(!html.contains(&format!("/units/{}\"", app.world.bank.id)), "only schools");
    let html = officer.get(&format!("/stats?{PERIOD}&unit={school}")).await.text().await.unwrap();
    for id in &school_incidents {
        assert!(html.contains(&format!("/incidents/{id}")), "{html}");
    }
    assert!(html.contains("<dd>2</dd>"), "the school's two");
    let hospital = app.world.hospital.id;
    assert_eq!(officer.get(&format!("/stats?{PERIOD}&unit={hospital}")).await.status(), 404, "ward B's unit");
}

#[tokio::test]
async fn the_duty_desk_sees_the_province_the_head_the_school_and_the_guard_nothing() {
    let app = spawn_app().await;
    incidents(&app).await;
    let html = app.signed_in("trucban").await.get(&format!("/stats?{PERIOD}")).await.text().await.unwrap();
    assert!(html.contains("<td class=\"ok\">Tất cả</td><td class=\"ok\">4</td>"), "{html}");
    assert!(html.contains("unit_kind=hospital\">Bệnh viện</a></td><td class=\"\">1</td>"));
    assert!(html.contains("<title>Thứ Tư 03:00–04:00: 1</title>"));
    let html = app.signed_in("hieutruong").await.get(&format!("/stats?{PERIOD}")).await.text().await.unwrap();
    assert!(html.contains("<td class=\"ok\">Tất cả</td><td class=\"ok\">2</td>"), "{html}");
    let guard = app.signed_in("baove").await;
    assert_eq!(guard.get("/stats").await.status(), 403);
    assert_eq!(guard.get("/stats.xlsx").await.status(), 403);
    // The default period: the twelve months up to today.
    let today = baove_core::time::local_date(Timestamp::now());
    let html = app.signed_in("canbo.a").await.get("/stats").await.text().await.unwrap();
    assert!(html.contains(&format!(" – {}", baove_core::time::format_date(today))), "{html}");
    assert!(html.contains("href=\"/stats\""), "linked from the navigation");
}

#[tokio::test]
async fn bad_queries_are_refused_with_a_message() {
    let app = spawn_app().await;
    let officer = app.signed_in("canbo.a").await;
    for (query, message) in [
        ("from=31/02/2026", "Ngày không hợp lệ"),
        ("from=hôm-qua", "Ngày không hợp lệ"),
        ("from=02/03/2026&to=01/03/2026", "Đến ngày không được trước Từ ngày."),
        ("from=01/01/2000&to=01/01/2026", "Khoảng thời gian dài nhất là 10 năm."),
        ("unit_kind=castle", "Không có trong danh sách lựa chọn."),
        ("unit=42", "Mã định danh không hợp lệ."),
    ] {
        for path in ["/stats", "/stats.xlsx"] {
            let resp = officer.get(&format!("{path}?{query}")).await;
            assert_eq!(resp.status(), 422, "{path}?{query}");
            let html = resp.text().await.unwrap();
            assert!(html.contains(message), "{query}: {html}");
        }
    }
}

/// The tab names and every text cell of a workbook.
fn xlsx_parts(xlsx: &[u8]) -> (String, String) {
    assert!(xlsx.starts_with(b"PK"), "not a zip");
    let path = std::env::temp_dir().join(format!("baove-stats-{}.xlsx", uuid::Uuid::now_v7()));
    std::fs::write(&path, xlsx).unwrap();
    let read = |part: &str| {
        let out = Command::new("unzip").arg("-p").arg(&path).arg(part).output().expect("unzip");
        String::from_utf8(out.stdout).unwrap()
    };
    let parts = (read("xl/workbook.xml"), read("xl/sharedStrings.xml"));
    std::fs::remove_file(&path).unwrap();
    parts
}

#[tokio::test]
async fn the_tables_download_as_a_workbook_with_a_sheet_each() {
    let app = spawn_app().await;
    incidents(&app).await;
    let resp = app.signed_in("canbo.a").await.get(&format!("/stats.xlsx?{PERIOD}")).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, "attachment; filename=\"thong-ke-2026-03-01-2026-05-31.xlsx\"");
    let (workbook, strings) = xlsx_parts(&resp.bytes().await.unwrap());
    let names: Vec<&str> = workbook.split("<sheet name=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Theo loại cơ sở",
            "Theo giờ và thứ trong tuần",
            "Đêm lễ, Tết và đêm thường",
            "Theo thủ đoạn",
            "Theo nguyên nhân, sơ hở",
            "Theo loại vụ việc",
            "Theo tình trạng xử lý",
            "Theo đơn vị",
        ]
    );
    assert!(strings.contains(&app.world.school.name));
    assert!(strings.contains("01/03/2026 – 31/05/2026"));
    assert!(!strings.contains(&app.world.hospital.name), "ward B's hospital is not the officer's");
    // One unit's workbook adds its incidents.
    let officer = app.signed_in("canbo.a").await;
    let resp = officer.get(&format!("/stats.xlsx?{PERIOD}&unit={}", app.world.school.id)).await;
    assert_eq!(resp.status(), 200);
    let (workbook, strings) = xlsx_parts(&resp.bytes().await.unwrap());
    assert!(workbook.contains("<sheet name=\"Vụ việc của đơn vị\""), "{workbook}");
    assert!(strings.contains("01/05/2026 02:30"), "the school's incident in Vietnam time");
    assert!(strings.contains("Đội mũ, Đeo khẩu trang"));
}

/// The demo's fourteen incidents of the past year read as directive 40/CALB-AN counts them:
/// 9 at schools, 4 at agencies and enterprises, 1 at a hospital, 12 between 00:00 and 05:00.
#[tokio::test]
async fn the_seeds_fourteen_cases_read_as_the_police_report_them() {
    let store = fresh_store().await;
    let hash = baove_server::auth::password::hash(baove_demo::DEMO_PASSWORD).unwrap();
    baove_demo::seed(store.as_ref(), &hash, Timestamp::now()).await.unwrap();
    let (base, _) = serve(store).await;
    let desk = Browser::at(&base);
    assert_eq!(desk.login("trucban.catp", baove_demo::DEMO_PASSWORD).await.status(), 303);
    let html = desk.get("/stats").await.text().await.unwrap();
    assert!(html.contains("unit_kind=school\">Trường học</a></td><td class=\"\">9</td>"), "{html}");
    assert!(html.contains("unit_kind=hospital\">Bệnh viện</a></td><td class=\"\">1</td>"));
    assert!(html.contains("<td class=\"ok\">Tất cả</td><td class=\"ok\">14</td>"));
    let count = |kind: &str| {
        let marker = format!("unit_kind={kind}\">");
        let cell = html[html.find(&marker).unwrap()..].split("<td class=\"\">").nth(1).unwrap();
        cell.split('<').next().unwrap().parse::<u32>().unwrap()
    };
    assert_eq!(count("agency") + count("enterprise") + count("bank"), 4, "04 CQDN (a bank branch is an enterprise)");
    assert!(html.contains("<dd>12/14</dd>"), "12 of 14 between 00:00 and 05:00");
    // Holiday and Tết nights are hit far more often than ordinary ones.
    let night = |label: &str| -> Vec<f64> {
        let start = html.find(&format!("<td class=\"\">{label}</td>")).unwrap();
        let cells: Vec<&str> = html[start..].split("<td class=\"\">").skip(2).take(3).collect();
        cells.iter().map(|c| c.split('<').next().unwrap().replace(',', ".").parse().unwrap()).collect()
    };
    let (holiday, ordinary) = (night("Đêm lễ, Tết"), night("Đêm thường"));
    assert_eq!(holiday[0] + ordinary[0], 14.0);
    assert!(holiday[0] >= 1.0 && holiday[2] > 5.0 * ordinary[2], "{holiday:?} against {ordinary:?}");
    // The same page in English.
    assert_eq!(desk.get("/lang?to=en&back=/stats").await.status(), 303);
    let html = desk.get("/stats").await.text().await.unwrap();
    assert!(html.contains("<h1>Incident statistics</h1>"));
    assert!(html.contains("unit_kind=school\">School</a></td><td class=\"\">9</td>"));
    assert!(html.contains("<title>Monday 00:00–01:00: "));
}
