//! The real pages in headless Chromium on a phone-sized screen, over the demo data. Runs when
//! BAOVE_TEST_CHROMEDRIVER names a chromedriver (CI sets it; `.ci/run` installs Debian's
//! chromium and chromium-driver); without it the tests say so and pass vacuously.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// A phone: 390 × 844 CSS pixels.
const PHONE: (u32, u32) = (390, 844);

struct Session {
    client: Client,
    driver: Child,
    base: String,
    store: Arc<baove_store_sqlite::SqliteStore>,
    state: baove_server::AppState,
    dir: std::path::PathBuf,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

async fn start() -> Option<Session> {
    let Ok(driver_path) = std::env::var("BAOVE_TEST_CHROMEDRIVER") else {
        eprintln!("BAOVE_TEST_CHROMEDRIVER is not set: browser tests not run");
        return None;
    };
    let dir = std::env::temp_dir().join(format!("baove-browser-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Arc::new(baove_store_sqlite::open(dir.join("demo.db").to_str().unwrap()).await.unwrap());
    let hash = baove_server::auth::password::hash(baove_demo::DEMO_PASSWORD).unwrap();
    baove_demo::seed(store.as_ref(), &hash, jiff::Timestamp::now()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = baove_server::AppState::new(store.clone(), baove_server::Config::default());
    tokio::spawn(baove_server::serve(listener, state.clone(), std::future::pending()));

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver = Command::new(&driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("BAOVE_TEST_CHROMEDRIVER is set but chromedriver does not start");
    let caps = json!({
        "goog:chromeOptions": {
            "binary": std::env::var("BAOVE_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                format!("--user-data-dir={}", dir.join("profile").display()),
                "--lang=vi"
            ],
            "mobileEmulation": {
                "deviceMetrics": { "width": PHONE.0, "height": PHONE.1, "pixelRatio": 3.0, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"
            }
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let mut client = None;
    // The WebDriver client's TLS needs a process-wide provider, as the server's does.
    baove_server::install_tls_provider();
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let client = client.expect("chromedriver did not accept a session");
    Some(Session { client, driver, base, store, state, dir })
}

impl Session {
    async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn sign_in(&self, username: &str) {
        self.open("/login").await;
        self.client.find(Locator::Id("username")).await.unwrap().send_keys(username).await.unwrap();
        self.client.find(Locator::Id("password")).await.unwrap().send_keys(baove_demo::DEMO_PASSWORD).await.unwrap();
        self.client.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
        self.client.wait().for_element(Locator::Css("header.top")).await.unwrap();
    }

    /// The page's text; a navigation in flight can make the body stale, so try again.
    async fn text(&self) -> String {
        for _ in 0..20 {
            if let Ok(body) = self.client.find(Locator::Css("body")).await
                && let Ok(text) = body.text().await
            {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page has no readable body");
    }

    /// Waits until the address bar contains `part` (a form's navigation has landed).
    async fn wait_for_url(&self, part: &str) {
        for _ in 0..100 {
            if self.client.current_url().await.is_ok_and(|u| u.as_str().contains(part)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("never reached a URL containing {part}");
    }

    async fn eval(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Fails when the page scrolls sideways or a tap target is smaller than 44 px high.
    async fn assert_fits_a_phone(&self) {
        let overflow = self.eval("return document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(overflow.as_i64().unwrap() <= 0, "the page scrolls sideways by {overflow} px");
        let smallest = self
            .eval(
                "const els = [...document.querySelectorAll('button, .button, header nav a, input:not([type=hidden]), select')]
                   .filter(e => e.offsetParent !== null);
                 // A checkbox is tapped through its label.
                 const target = e => (e.type === 'checkbox' && e.closest('label')) || e;
                 return Math.min(...els.map(e => target(e).getBoundingClientRect().height));",
            )
            .await;
        assert!(smallest.as_f64().unwrap() >= 44.0, "a tap target is only {smallest} px high");
    }

    async fn shot(&self, name: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(std::env::temp_dir().join(format!("baove-{name}.png")), png);
        }
    }
}

#[tokio::test]
async fn a_guard_signs_in_on_a_phone_and_sees_their_duties_in_vietnamese() {
    let Some(s) = start().await else { return };
    s.open("/login").await;
    let w = s.eval("return window.innerWidth").await;
    assert_eq!(w.as_i64(), Some(i64::from(PHONE.0)), "the page is laid out for a phone");
    s.assert_fits_a_phone().await;
    s.sign_in("baove.ngoclam").await;
    let text = s.text().await;
    assert!(
        text.contains("Việc cần làm")
            && text.contains("Giấy chứng nhận của tôi")
            && text.contains("Cơ sở và điểm tuần tra"),
        "{text}"
    );
    s.assert_fits_a_phone().await;
    s.shot("guard-home").await;
    s.client.find(Locator::LinkText("English")).await.unwrap().click().await.unwrap();
    s.client.wait().for_element(Locator::Css("html[lang=en]")).await.unwrap();
    assert!(s.text().await.contains("My certificate"));
    s.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_security_officer_adds_a_zone_and_a_mistake_is_explained() {
    let Some(s) = start().await else { return };
    s.sign_in("anninh.ngoclam").await;
    s.client.find(Locator::LinkText("Đơn vị")).await.unwrap().click().await.unwrap();
    s.client.wait().for_element(Locator::Css("section table")).await.unwrap();
    s.client.find(Locator::Css("section table a[href^='/sites/']")).await.unwrap().click().await.unwrap();
    s.client.find(Locator::LinkText("Thêm khu vực")).await.unwrap().click().await.unwrap();
    s.assert_fits_a_phone().await;
    // Submitting without a name: the form comes back with the problem in Vietnamese.
    s.client.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();
    s.client.wait().for_element(Locator::Css("p.field-error")).await.unwrap();
    assert!(s.text().await.contains("Bắt buộc nhập."));
    s.client.find(Locator::Id("f-name")).await.unwrap().send_keys("Phòng thiết bị tầng 3").await.unwrap();
    s.client.find(Locator::Css("#f-kind option[value=storeroom]")).await.unwrap().click().await.unwrap();
    s.client.find(Locator::Css("#f-sensitivity option[value='4']")).await.unwrap().click().await.unwrap();
    s.client.find(Locator::Css("form.form button[type=submit]")).await.unwrap().click().await.unwrap();
    s.client.wait().for_element(Locator::LinkText("Phòng thiết bị tầng 3")).await.unwrap();
    s.assert_fits_a_phone().await;
    s.shot("site-page").await;
    s.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn an_area_officer_finds_schools_typing_without_accents() {
    let Some(s) = start().await else { return };
    s.sign_in("canbo.bode").await;
    s.open("/units").await;
    s.client.find(Locator::Css("input[type=search]")).await.unwrap().send_keys("truong hoc").await.unwrap();
    s.client.find(Locator::Css("form.search button")).await.unwrap().click().await.unwrap();
    s.wait_for_url("q=truong").await;
    s.client.wait().for_element(Locator::Css("section table")).await.unwrap();
    let text = s.text().await;
    assert!(text.contains("Trường Tiểu học Bồ Đề"), "{text}");
    assert!(!text.contains("Ngân hàng TMCP"), "only schools match");
    s.assert_fits_a_phone().await;
    s.client.clone().close().await.unwrap();
}

/// A QR label photographed: the code drawn large on a light background, as a PNG file.
fn label_photo(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let img = code.render::<image::Luma<u8>>().module_dimensions(10, 10).build();
    let path = dir.join("label.png");
    img.save(&path).unwrap();
    path
}

#[tokio::test]
async fn a_guard_walks_a_round_by_photo_and_nfc_while_a_missed_round_reaches_the_board() {
    use baove_core::access::Principal;
    use baove_core::evidence::sun;
    use baove_core::patrol::round::{Round, RoundSource};
    use baove_store::{Actor, PatrolStore, Store};
    use jiff::{SignedDuration, Timestamp};

    let Some(s) = start().await else { return };
    let me = Actor { principal: Principal::installation("kiểm thử"), at: Timestamp::now() };
    let (guard, _) = s.store.login_lookup("baove.ngoclam").await.unwrap().unwrap();
    let unit = guard.unit_id.unwrap();
    let cps = s.store.list_checkpoints(&me.principal, unit, "").await.unwrap();
    let site = cps[0].site_id;
    let on_site: Vec<_> = cps.iter().filter(|c| c.site_id == site && c.active).collect();
    let (a, b, c) = (on_site[0], on_site[1], on_site[2]);
    let now = Timestamp::now();
    let walk = Round {
        id: baove_core::RoundId::mint(),
        unit_id: unit,
        site_id: site,
        name: "Vòng kiểm thử điện thoại".into(),
        checkpoints: vec![a.id, b.id],
        ordered: false,
        window_start: now - SignedDuration::from_mins(5),
        window_end: now + SignedDuration::from_mins(40),
        grace_minutes: 10,
        guard_id: None,
        source: RoundSource::Manual,
    };
    let missed = Round {
        id: baove_core::RoundId::mint(),
        name: "Vòng bỏ sót kiểm thử".into(),
        checkpoints: vec![c.id],
        window_start: now - SignedDuration::from_mins(50),
        window_end: now - SignedDuration::from_mins(30),
        grace_minutes: 5,
        ..walk.clone()
    };
    s.store.create_round(&me, &walk).await.unwrap();
    s.store.create_round(&me, &missed).await.unwrap();
    let secret = s.store.checkpoint_code(&me, a.id, "ma-nhan-kiem-thu-01").await.unwrap();
    let master = s.store.unit_master_key(&me, unit, rand::random()).await.unwrap();
    let uid: sun::Uid = [0x04, 0x51, 0x62, 0x73, 0x84, 0x95, 0xA6];
    s.store.bind_tag(&me, b.id, &hex::encode_upper(uid)).await.unwrap();
    let keys = sun::derive(&master, &uid, sun::FILE_KEY_NO, false).unwrap();

    // The guard, on the phone: starts the round, photographs label A, taps tag B.
    s.sign_in("baove.ngoclam").await;
    s.open("/patrol").await;
    s.client.wait().for_element(Locator::Css(&format!("a[href='#start-{}']", walk.id))).await.unwrap();
    s.assert_fits_a_phone().await;
    s.client.find(Locator::Css(&format!("a[href='#start-{}']", walk.id))).await.unwrap().click().await.unwrap();
    let walking = s.client.find(Locator::Id("current-round")).await.unwrap().text().await.unwrap();
    assert!(walking.contains("Vòng kiểm thử điện thoại"), "{walking}");
    let photo = label_photo(&s.dir, &format!("{}/q/{secret}", s.base));
    s.client.find(Locator::Id("qr-photo")).await.unwrap().send_keys(photo.to_str().unwrap()).await.unwrap();
    let mut recorded = String::new();
    for _ in 0..100 {
        recorded = s.client.find(Locator::Id("scan-results")).await.unwrap().text().await.unwrap();
        if recorded.contains(&a.code) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recorded.contains("Đã ghi nhận") && recorded.contains(&a.code), "the photo was read: {recorded}");
    s.shot("guard-photo-scan").await;
    s.open(&format!("/n?{}", sun::tap_query(&keys, &uid, 7, [1, 2, 3, 4, 5]))).await;
    let tapped = s.text().await;
    assert!(tapped.contains("Đã ghi nhận") && tapped.contains(&b.code), "{tapped}");
    let scans =
        s.store.list_scans(&me.principal, unit, now - SignedDuration::from_hours(1), Timestamp::now()).await.unwrap();
    let photo_scan = scans.iter().find(|x| x.checkpoint_id == a.id).unwrap();
    assert_eq!(photo_scan.evidence, baove_core::patrol::scan::Evidence::QrPhoto);
    assert_eq!(photo_scan.round_id, Some(walk.id), "the started round took the scan");

    // The security officer's board: this round done, the other missed and alerted.
    s.client.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    s.wait_for_url("/login").await;
    s.sign_in("anninh.ngoclam").await;
    s.open("/patrol/board").await;
    let mut board = String::new();
    for _ in 0..50 {
        board = s.text().await;
        if board.contains("bỏ sót") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        s.open("/patrol/board").await;
    }
    let row = |name: &str| board.lines().find(|l| l.contains(name)).unwrap_or_default().to_owned();
    assert!(row("Vòng kiểm thử điện thoại").contains("Hoàn thành"), "{board}");
    assert!(row("Vòng bỏ sót kiểm thử").contains("Bỏ sót điểm"), "{board}");
    assert!(
        board.contains(&format!("Vòng bỏ sót kiểm thử: điểm {} bỏ sót", c.code)),
        "the alert is on the board: {board}"
    );
    s.assert_fits_a_phone().await;
    s.shot("officer-board").await;
    s.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_school_alarm_reaches_the_police_console_live_and_the_duty_desk_acknowledges_it() {
    use baove_store::{AlarmStore, Store};
    let Some(s) = start().await else { return };
    let sys = baove_store::conformance::system();
    let filter = baove_store::UnitFilter { text: "Ngọc Lâm".into(), ..Default::default() };
    let school = s.store.list_units(&sys.principal, &filter).await.unwrap().remove(0);
    let devices = s.store.list_devices(&sys.principal, school.id, "").await.unwrap();
    let device = devices.iter().find(|d| d.zone_id.is_some()).expect("a zoned device");
    s.store.set_device_token(&sys, device.id, &baove_server::auth::token::digest("bvd_browser")).await.unwrap();

    // The ward's duty desk has the console open.
    s.sign_in("trucban.bode").await;
    s.open("/alarms").await;
    s.client.wait().for_element(Locator::Css("#live-alarm-list")).await.unwrap();
    s.assert_fits_a_phone().await;

    // A panic button at the school; nobody there answers, so it climbs to the duty desk.
    let body = r#"{"id":"browser-1","device":"nut-khan-cap","kind":"panic","note":"Có người lạ trèo tường"}"#;
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/devices/{}/events", s.base, device.id))
        .bearer_auth("bvd_browser")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(6);
    let me = baove_server::patrol::monitor::installation();
    assert_eq!(baove_server::alarm::escalate::check(&s.state, &me, later).await.unwrap().len(), 1);

    // It appears on the open console without a reload, and opens to its handling page.
    let live = Locator::Css("#live-alarm-list li a");
    let link = s.client.wait().at_most(Duration::from_secs(10)).for_element(live).await.unwrap();
    assert!(link.text().await.unwrap().contains("nut-khan-cap"));
    link.click().await.unwrap();
    s.client.wait().for_element(Locator::Css("select[name=disposition]")).await.unwrap();
    s.assert_fits_a_phone().await;
    let text = s.text().await;
    assert!(text.contains("Trường THCS Ngọc Lâm") && text.contains("Đã báo trực ban"), "{text}");
    s.client.find(Locator::Css("select[name=disposition] option[value=real]")).await.unwrap().click().await.unwrap();
    for step in s.client.find_all(Locator::Css("input[name=sop]")).await.unwrap() {
        step.click().await.unwrap();
    }
    s.shot("police-alarm").await;
    s.client.find(Locator::Css("form[action='/alarms/ack'] button[type=submit]")).await.unwrap().click().await.unwrap();
    for _ in 0..100 {
        if s.client.current_url().await.is_ok_and(|u| u.path() == "/alarms") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(s.text().await.contains("Có thật"));

    // The school sees who dealt with it, and that no required step was skipped.
    let alarms = s.store.alarms_after(&sys.principal, 0, 10).await.unwrap();
    let ack = alarms.last().unwrap().alarm.acknowledgement.clone().expect("acknowledged");
    assert_eq!(ack.by, "Trực ban Công an phường Bồ Đề");
    assert!(!ack.flagged());
    s.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_guard_checks_a_visitor_in_by_the_id_cards_qr_and_prints_the_logbook() {
    let Some(s) = start().await else { return };
    s.sign_in("cong.ngoclam").await;
    s.open("/gate").await;
    s.client.wait().for_element(Locator::Id("f-qr")).await.unwrap();
    s.assert_fits_a_phone().await;
    // The QR of the card, as a scanner types it into the field; the card goes back at once.
    let qr = "001190123456|012345678|Trần Thị Mai Anh|01011990|Nữ|Phường Ngọc Lâm, Long Biên, Hà Nội|15042021";
    s.client.find(Locator::Id("f-qr")).await.unwrap().send_keys(qr).await.unwrap();
    s.client.find(Locator::Id("f-purpose")).await.unwrap().send_keys("Họp phụ huynh lớp 9A").await.unwrap();
    s.client.find(Locator::Id("f-card")).await.unwrap().send_keys("12").await.unwrap();
    s.client.find(Locator::Css("input[name=consent]")).await.unwrap().click().await.unwrap();
    s.client
        .find(Locator::Css("form[action='/gate/checkin'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let mut text = String::new();
    for _ in 0..50 {
        text = s.text().await;
        if text.contains("Cho ra: Trần Thị Mai Anh") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(text.contains("Khách đang ở trong (1)") && text.contains("Họp phụ huynh lớp 9A"), "{text}");
    assert!(text.contains("Cho ra: Trần Thị Mai Anh · Số thẻ khách 012"), "{text}");
    s.assert_fits_a_phone().await;
    s.shot("gate-checked-in").await;

    // The logbook, printed: fetched with the browser's session and read back with pdftotext.
    let cookies = s.client.get_all_cookies().await.unwrap();
    let cookie = cookies.iter().map(|c| format!("{}={}", c.name(), c.value())).collect::<Vec<_>>().join("; ");
    let pdf = reqwest::Client::new()
        .get(format!("{}/gate/log.pdf", s.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let path = s.dir.join("so-theo-doi-khach.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext is installed");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("SỔ THEO DÕI KHÁCH RA VÀO"), "{printed}");
    assert!(printed.contains("Trần Thị Mai Anh") && printed.contains("Họp phụ huynh"), "{printed}");
    assert!(printed.contains("3456") && !printed.contains("001190123456"), "the number is masked: {printed}");
    s.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_guard_reports_a_suspicious_person_with_a_photo_while_offline_and_it_reaches_the_duty_desk() {
    use baove_store::{IncidentStore, Store};
    let Some(s) = start().await else { return };
    s.sign_in("baove.ngoclam").await;
    s.open("/incidents/new").await;
    s.client.wait().for_element(Locator::Css("form[action='/incidents']")).await.unwrap();
    s.assert_fits_a_phone().await;
    s.client.find(Locator::Css("select[name=kind] option[value=suspicious]")).await.unwrap().click().await.unwrap();
    s.client
        .find(Locator::Id("f-summary"))
        .await
        .unwrap()
        .send_keys("Hai thanh niên đội mũ bảo hiểm đứng quan sát tường rào phía sau trường")
        .await
        .unwrap();
    s.client.find(Locator::Css("input[name=modus][value=helmet]")).await.unwrap().click().await.unwrap();
    s.client.find(Locator::Id("f-plate")).await.unwrap().send_keys("29-X1 123.45").await.unwrap();
    let photo = label_photo(&s.dir, "ảnh hiện trường");
    s.client.find(Locator::Css("input[name=photos]")).await.unwrap().send_keys(photo.to_str().unwrap()).await.unwrap();

    // The network is down: the report stays on the phone and the page says so.
    s.eval("window.realFetch = window.fetch; window.fetch = () => Promise.reject(new TypeError('offline')); return 0;")
        .await;
    s.client.find(Locator::Css("form[action='/incidents'] button[type=submit]")).await.unwrap().click().await.unwrap();
    let mut sync = String::new();
    for _ in 0..50 {
        sync = s.client.find(Locator::Id("incident-sync")).await.unwrap().text().await.unwrap();
        if sync.contains("lưu trên máy") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(sync.contains("1 báo cáo đang lưu trên máy"), "{sync}");
    let queued = s.eval("return JSON.parse(localStorage.getItem('baove-incident-queue')).length;").await;
    assert_eq!(queued, 1);
    s.shot("incident-offline").await;

    // The network is back: it is sent once and the case opens.
    s.eval("window.fetch = window.realFetch; window.dispatchEvent(new Event('online')); return 0;").await;
    for _ in 0..100 {
        if s.client
            .current_url()
            .await
            .is_ok_and(|u| u.path().starts_with("/incidents/") && u.path() != "/incidents/new")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let text = s.text().await;
    assert!(text.contains("Người, phương tiện khả nghi") && text.contains("29X112345"), "{text}");
    s.assert_fits_a_phone().await;
    let sys = baove_store::conformance::system();
    let all = s.store.list_incidents(&sys.principal, &Default::default()).await.unwrap();
    let mine: Vec<_> = all.iter().filter(|(i, _)| i.summary.starts_with("Hai thanh niên")).collect();
    assert_eq!(mine.len(), 1, "sent once");
    let case = s.store.incident_case(&sys.principal, mine[0].0.id).await.unwrap();
    assert_eq!(case.photos.len(), 1, "the photo came with it");

    // The provincial duty desk has it on its incident list.
    s.client.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    s.wait_for_url("/login").await;
    s.sign_in("trucban.bode").await;
    s.open("/incidents").await;
    let list = s.text().await;
    assert!(list.contains("Hai thanh niên đội mũ bảo hiểm"), "{list}");
    s.client.clone().close().await.unwrap();
}
