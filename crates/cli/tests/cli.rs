//! The `baove` binary as an operator uses it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use baove_store::{Store, Tamper};

fn baove(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_baove"))
        .args(args)
        .current_dir(dir)
        .env_remove("BAOVE_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn temp() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("baove-cli-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn the_demo_seeds_once_and_audit_verify_catches_a_tampered_row() {
    let dir = temp();
    let out = baove(&dir, &["demo", "--no-serve"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.contains("baove-demo-2026") && printed.contains("trucban.bode") && printed.contains("baove.ngoclam")
    );
    let again = baove(&dir, &["demo", "--no-serve"], None);
    assert!(again.status.success(), "a second run reuses the demo database");

    let db = "sqlite://./baove-data/demo.db";
    let ok = baove(&dir, &["--database-url", db, "audit", "verify"], None);
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("\"ok\": true"));

    let store = baove_store_sqlite::open(dir.join("baove-data/demo.db").to_str().unwrap()).await.unwrap();
    assert!(store.account_count().await.unwrap() > 20);
    store.tamper_audit_row(5, r#"{"name":"sửa lén"}"#).await.unwrap();
    let broken = baove(&dir, &["--database-url", db, "audit", "verify"], None);
    assert_eq!(broken.status.code(), Some(1));
    let report = String::from_utf8_lossy(&broken.stdout);
    assert!(report.contains("\"ok\":false") && report.contains("entry 5"), "{report}");
}

#[tokio::test]
async fn an_operator_creates_the_first_admin_with_a_password_on_stdin() {
    let dir = temp();
    let db = "sqlite://./data/baove.db";
    assert!(baove(&dir, &["--database-url", db, "migrate"], None).status.success());
    let short = baove(
        &dir,
        &[
            "--database-url",
            db,
            "user",
            "create",
            "--username",
            "admin",
            "--display-name",
            "Quản trị",
            "--role",
            "system_admin",
        ],
        Some("ngắn\n"),
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"), "the refusal names the field");
    let out = baove(
        &dir,
        &[
            "--database-url",
            db,
            "user",
            "create",
            "--username",
            "Admin",
            "--display-name",
            "Quản trị",
            "--role",
            "system_admin",
        ],
        Some("một mật khẩu đủ dài\n"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = baove_store_sqlite::open(dir.join("data/baove.db").to_str().unwrap()).await.unwrap();
    let (account, _) = store.login_lookup("admin").await.unwrap().expect("the username is stored lower-case");
    assert_eq!(account.display_name, "Quản trị");
}

#[test]
fn migrate_runs_on_postgres_when_a_server_is_configured() {
    let Ok(url) = std::env::var("BAOVE_TEST_POSTGRES_URL") else {
        eprintln!("BAOVE_TEST_POSTGRES_URL is not set: PostgreSQL run skipped");
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt
        .block_on(baove_store_postgres::create_test_database(&url))
        .expect("BAOVE_TEST_POSTGRES_URL is set but the server cannot be used");
    let out = baove(&temp(), &["--database-url", &db, "migrate"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again = baove(&temp(), &["--database-url", &db, "audit", "verify"], None);
    assert!(String::from_utf8_lossy(&again.stdout).contains("\"entries\": 0"));
}

#[test]
fn the_calendar_command_prints_tet_as_the_first_day_of_the_lunar_year() {
    let out = baove(&temp(), &["calendar", "2026-02-17"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let day: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (day["lunar"]["day"].as_u64(), day["lunar"]["month"].as_u64(), day["lunar"]["year"].as_i64()),
        (Some(1), Some(1), Some(2026))
    );
    assert_eq!(day["day_type"], "tet_period");
    let bad = baove(&temp(), &["calendar", "17/02/2026"], None);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("not a date"));
}

#[test]
fn plan_solve_prints_the_equilibrium_of_an_instance_file() {
    let dir = temp();
    let instance = serde_json::json!({
        "slots": 4, "guards": 1, "post": "cong", "seed": 7,
        "zones": [{"id": "cong"}, {"id": "kho"}, {"id": "quy"}],
        "edges": [["cong", "kho"], ["cong", "quy"]],
        "targets": [
            {"zone": "kho", "slot": 2, "attacker_reward": 10.0, "attacker_penalty": -5.0, "defender_reward": 2.0, "defender_penalty": -10.0},
            {"zone": "quy", "slot": 2, "attacker_reward": 10.0, "attacker_penalty": -5.0, "defender_reward": 2.0, "defender_penalty": -10.0}
        ]
    });
    std::fs::write(dir.join("i.json"), instance.to_string()).unwrap();
    let out = baove(&dir, &["plan", "solve", "i.json"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sol: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p: f64 = sol["coverage"].as_array().unwrap().iter().map(|c| c["p"].as_f64().unwrap()).sum();
    assert!((p - 1.0).abs() < 1e-9, "one guard cannot be in the storeroom and the cashier's at slot 2: {sol}");
    assert!((sol["attacker_value"].as_f64().unwrap() - 2.5).abs() < 1e-9, "half covered: 0.5 × 10 + 0.5 × (−5)");
    assert_eq!(sol["routes"].as_array().unwrap().len(), 1);
    std::fs::write(
        dir.join("bad.json"),
        r#"{"slots": 4, "guards": 0, "post": "cong", "zones": [{"id": "cong"}], "edges": [], "targets": []}"#,
    )
    .unwrap();
    let bad = baove(&dir, &["plan", "solve", "bad.json"], None);
    assert!(!bad.status.success());
}
