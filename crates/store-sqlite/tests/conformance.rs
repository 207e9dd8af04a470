//! The store conformance suite on a fresh SQLite file per test.

async fn open() -> Option<baove_store_sqlite::SqliteStore> {
    let dir = std::env::temp_dir().join(format!("baove-test-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    Some(baove_store_sqlite::open(dir.join("baove.db").to_str().expect("utf-8 path")).await.expect("open sqlite"))
}

baove_store::conformance_tests!(open);

#[tokio::test]
async fn the_embedded_database_runs_in_wal_mode_with_foreign_keys() {
    use baove_store::driver::Driver;
    let store = open().await.unwrap();
    let mut tx = store.driver().begin(true).await.unwrap();
    let fk = tx.fetch("pragma foreign_keys", &[]).await.unwrap();
    assert_eq!(fk[0].int("foreign_keys").unwrap(), 1);
    let mode = tx.fetch("pragma journal_mode", &[]).await.unwrap();
    assert_eq!(mode[0].text("journal_mode").unwrap(), "wal");
    let bogus = tx
        .execute(
            "insert into sites (id, unit_id, name, search_key, created_at, updated_at) values ($1, $2, 'x', 'x', 0, 0)",
            &[uuid::Uuid::now_v7().into(), uuid::Uuid::now_v7().into()],
        )
        .await;
    assert!(bogus.is_err(), "a site of a unit that does not exist is refused");
}
