//! The store conformance suite on PostgreSQL, each test in a database of its own. It runs when
//! BAOVE_TEST_POSTGRES_URL is set (CI sets it), and then a server that cannot be reached fails
//! the test rather than skipping it.

async fn open() -> Option<baove_store_postgres::PgStore> {
    let Ok(url) = std::env::var("BAOVE_TEST_POSTGRES_URL") else {
        eprintln!("BAOVE_TEST_POSTGRES_URL is not set: PostgreSQL conformance not run");
        return None;
    };
    let db = baove_store_postgres::create_test_database(&url)
        .await
        .expect("BAOVE_TEST_POSTGRES_URL is set but the server cannot be used");
    Some(baove_store_postgres::open(&db).await.expect("open the test database"))
}

baove_store::conformance_tests!(open);
