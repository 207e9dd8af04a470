//! Printing end to end: the QR labels of a site, the NFC provisioning page of a checkpoint
//! (keys, binding a tag, a malformed UID), and the patrol logbook as PDF and XLSX, read back
//! with `pdftotext` (poppler-utils) and `unzip`.

use std::io::Write;
use std::process::{Command, Stdio};

use baove_core::access::{Org, Principal, Role};
use baove_core::account::AccountInput;
use baove_core::evidence::sun;
use baove_core::patrol::round::{Round, RoundSource};
use baove_core::registry::{Checkpoint, CheckpointInput, ZoneInput, ZoneKind};
use baove_core::{AccountId, RoundId};
use baove_store::Actor;
use baove_store::conformance::system;
use jiff::{SignedDuration, Timestamp};

use crate::helpers::{PASSWORD, TestApp, spawn_app};

fn head(app: &TestApp) -> Actor {
    let principal = Principal {
        account_id: AccountId::mint(),
        role: Role::UnitHead,
        org: Org::Unit(app.world.school.id),
        display_name: "Hiệu trưởng".into(),
    };
    Actor { principal, at: Timestamp::now() }
}

async fn checkpoints(app: &TestApp, n: usize) -> Vec<Checkpoint> {
    let h = head(app);
    let zone = ZoneInput {
        id: None,
        site_id: app.world.school_site.id,
        kind: ZoneKind::Corridor,
        name: "Hành lang tầng hai".into(),
        sensitivity: 3,
        asset_value: 0,
        description: String::new(),
    };
    let zone = app.store.create_zone(&h, &zone).await.unwrap();
    let mut out = vec![];
    for i in 0..n {
        let input = CheckpointInput {
            id: None,
            zone_id: zone.id,
            code: format!("CP-{i:02}"),
            name: format!("Cầu thang số {i}"),
            location: String::new(),
            active: true,
        };
        out.push(app.store.create_checkpoint(&h, &input).await.unwrap());
    }
    out
}

/// A guard of the bank: someone of another unit than the school.
async fn bank_guard(app: &TestApp) -> crate::helpers::Browser {
    let input = AccountInput {
        username: "baove.nganhang".into(),
        display_name: "Bảo vệ ngân hàng".into(),
        role: Role::Guard,
        org: Org::Unit(app.world.bank.id),
        guard_id: None,
        password: String::new(),
    };
    let hash = baove_server::auth::password::hash(PASSWORD).unwrap();
    app.store.create_account(&system(), &input, &hash).await.unwrap();
    app.signed_in("baove.nganhang").await
}

fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (Debian package poppler-utils) is installed");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

/// The shared strings of a workbook: every text cell.
fn xlsx_strings(xlsx: &[u8]) -> String {
    assert!(xlsx.starts_with(b"PK"), "not a zip");
    let path = std::env::temp_dir().join(format!("baove-{}.xlsx", uuid::Uuid::now_v7()));
    std::fs::write(&path, xlsx).unwrap();
    let out = Command::new("unzip").arg("-p").arg(&path).arg("xl/sharedStrings.xml").output().expect("unzip");
    std::fs::remove_file(&path).unwrap();
    String::from_utf8(out.stdout).unwrap()
}

async fn download(b: &crate::helpers::Browser, path: &str, mime: &str) -> Vec<u8> {
    let resp = b.get(path).await;
    assert_eq!(resp.status(), 200, "{path}");
    assert_eq!(resp.headers()["content-type"], mime);
    let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
    assert!(disposition.is_ascii());
    resp.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn the_labels_of_a_site_carry_each_checkpoint_code_with_a_lasting_qr_secret() {
    let app = spawn_app().await;
    let cps = checkpoints(&app, 3).await;
    let officer = app.signed_in("hieutruong").await;
    let path = format!("/sites/{}/labels.pdf", app.world.school_site.id);
    let text = pdf_text(&download(&officer, &path, "application/pdf").await);
    for code in ["CP-00", "CP-01", "CP-02"] {
        assert!(text.contains(code), "{code} missing from:\n{text}");
    }
    assert!(text.contains("Cầu thang số 1"), "{text}");
    // The label's secret was created and is kept: printing again prints the same codes.
    let secret = app.store.checkpoint_code(&head(&app), cps[0].id, "khong-dung").await.unwrap();
    assert_ne!(secret, "khong-dung");
    download(&officer, &path, "application/pdf").await;
    assert_eq!(app.store.checkpoint_code(&head(&app), cps[0].id, "khong-dung").await.unwrap(), secret);
    // Labels hand out secrets: a guard of the unit may not print them, another unit's
    // people do not even learn that the site exists.
    assert_eq!(app.signed_in("baove").await.get(&path).await.status(), 403);
    assert_eq!(bank_guard(&app).await.get(&path).await.status(), 404);
}

#[tokio::test]
async fn the_nfc_page_shows_a_tags_keys_and_binds_it_to_the_checkpoint() {
    let app = spawn_app().await;
    let cps = checkpoints(&app, 1).await;
    let officer = app.signed_in("hieutruong").await;
    let page = format!("/checkpoints/{}/nfc", cps[0].id);
    let html = officer.get(&page).await.text().await.unwrap();
    let url = format!("{}/n?picc_data={}", app.base.replace("http://", "https://"), "0".repeat(32));
    assert!(html.contains(&url) && html.contains("cmac=0000000000000000"), "{html}");
    assert!(html.contains("SDMMACInputOffset") && html.contains("SDMMetaRead"));

    let uid = "04A1B2C3D4E5F6";
    let resp = officer.get(&format!("{page}?uid={uid}")).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    let master = app.store.unit_master_key(&head(&app), app.world.school.id, rand::random()).await.unwrap();
    let bytes: sun::Uid = hex::decode(uid).unwrap().try_into().unwrap();
    let keys = sun::derive(&master, &bytes, sun::FILE_KEY_NO, false).unwrap();
    assert!(html.contains(&hex::encode_upper(keys.meta)), "key 1 shown");
    assert!(html.contains(&hex::encode_upper(keys.file)), "key 2 shown");
    assert!(app.store.tag(uid).await.unwrap().is_none(), "looking at keys binds nothing");

    let resp = officer.post_form(&page, &[("uid", "04:a1:b2:c3:d4:e5:f6")]).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], format!("{page}?uid={uid}"));
    let bound = app.store.tag(uid).await.unwrap().expect("the tag is bound");
    assert_eq!(bound.checkpoint_id, cps[0].id);
    let html = officer.get(&format!("{page}?uid={uid}")).await.text().await.unwrap();
    assert!(html.contains("Thẻ đang gắn với điểm tuần tra này."));

    assert_eq!(bank_guard(&app).await.get(&page).await.status(), 404);
    assert_eq!(app.signed_in("giamdoc").await.post_form(&page, &[("uid", "04A1B2C3D4E5F7")]).await.status(), 404);
    assert!(app.store.tag("04A1B2C3D4E5F7").await.unwrap().is_none());
}

#[tokio::test]
async fn a_malformed_uid_is_explained_and_binds_nothing() {
    let app = spawn_app().await;
    let cps = checkpoints(&app, 1).await;
    let officer = app.signed_in("hieutruong").await;
    let page = format!("/checkpoints/{}/nfc", cps[0].id);
    for bad in ["04A1B2C3D4E5", "04A1B2C3D4E5FZ", ""] {
        let resp = officer.post_form(&page, &[("uid", bad)]).await;
        assert_eq!(resp.status(), 422, "{bad:?}");
        assert!(resp.text().await.unwrap().contains("UID phải gồm đúng 14 ký tự"));
    }
    assert!(app.store.tag("04A1B2C3D4E5").await.unwrap().is_none());
    let resp = officer.get(&format!("{page}?uid=xyz")).await;
    assert_eq!(resp.status(), 422);
}

#[tokio::test]
async fn the_patrol_log_of_a_night_lists_its_round_and_scan_in_pdf_and_xlsx() {
    let app = spawn_app().await;
    let cps = checkpoints(&app, 2).await;
    // Under way: the first checkpoint is scanned, the second not yet due.
    let start = Timestamp::now() - SignedDuration::from_mins(15);
    let round = Round {
        id: RoundId::mint(),
        unit_id: app.world.school.id,
        site_id: app.world.school_site.id,
        name: "Vòng kiểm tra đêm".into(),
        checkpoints: cps.iter().map(|c| c.id).collect(),
        ordered: false,
        window_start: start,
        window_end: start + SignedDuration::from_mins(20),
        grace_minutes: 5,
        guard_id: None,
        source: RoundSource::Manual,
    };
    app.store.create_round(&head(&app), &round).await.unwrap();
    let secret = app.store.checkpoint_code(&head(&app), cps[0].id, "ma-qr-in-so-0001").await.unwrap();
    let guard = app.signed_in("baove").await;
    assert_eq!(guard.get(&format!("/q/{secret}")).await.status(), 200);

    let night = baove_core::time::local_date(start - SignedDuration::from_hours(12));
    let query = format!("from={night}&days=1");
    let unit = app.world.school.id;
    let officer = app.signed_in("hieutruong").await;
    let pdf = download(&officer, &format!("/units/{unit}/patrol-log.pdf?{query}"), "application/pdf").await;
    let text = pdf_text(&pdf);
    for needle in [
        "SỔ NHẬT KÝ TUẦN TRA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "CP-00",
        "CP-01",
        "Chưa đến hạn",
        "QR",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
    assert!(text.contains("50,0%"), "{text}");

    let xlsx = download(
        &officer,
        &format!("/units/{unit}/patrol-log.xlsx?{query}"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    .await;
    let strings = xlsx_strings(&xlsx);
    for needle in
        ["Vòng kiểm tra đêm", "CP-00 · Cầu thang số 0", "Người dùng baove", "Chưa đến hạn", "SỔ NHẬT KÝ TUẦN TRA"]
    {
        assert!(strings.contains(needle), "{needle:?} missing from {strings}");
    }
    assert!(strings.contains("chưa kết thúc: 1. Tỷ lệ hoàn thành: 50,0% (1/2 lượt điểm)."), "{strings}");

    // A week from that night holds the same round; another night holds none.
    let week = pdf_text(
        &download(&officer, &format!("/units/{unit}/patrol-log.pdf?from={night}&days=7"), "application/pdf").await,
    );
    assert!(week.contains("CP-00"));
    let other = night.checked_sub(jiff::Span::new().days(2)).unwrap();
    let empty =
        pdf_text(&download(&officer, &format!("/units/{unit}/patrol-log.pdf?from={other}"), "application/pdf").await);
    assert!(!empty.contains("CP-00") && empty.contains("Không có vòng tuần tra nào"));

    assert_eq!(officer.get(&format!("/units/{unit}/patrol-log.pdf?from=06/01/2026")).await.status(), 422);
    assert_eq!(officer.get(&format!("/units/{unit}/patrol-log.pdf?days=3")).await.status(), 422);
    assert_eq!(bank_guard(&app).await.get(&format!("/units/{unit}/patrol-log.xlsx?{query}")).await.status(), 404);
}
