//! The store conformance suite on a fresh SQLite file per test.

async fn open() -> Option<baove_store_sqlite::SqliteStore> {
    let dir = std::env::temp_dir().join(format!("baove-test-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    Some(baove_store_sqlite::open(dir.join("baove.db").to_str().expect("utf-8 path")).await.expect("open sqlite"))
}

baove_store::conformance_tests!(open);
