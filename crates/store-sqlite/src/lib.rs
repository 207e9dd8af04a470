//! baove on SQLite: the embedded default. One file under `./baove-data/`, WAL journal,
//! foreign keys on, a busy timeout, `synchronous = FULL` so that an acknowledged write survives
//! a crash, and a single writer connection so write transactions never deadlock on upgrade.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use baove_store::StoreError;
use baove_store::driver::{Dialect, Driver, Row, Tx, Value};
use baove_store::sql::SqlStore;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Column, Row as _, Sqlite, TypeInfo, ValueRef};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The SQLite driver: a pool of readers and one writer.
pub struct SqliteDriver {
    read: SqlitePool,
    write: SqlitePool,
}

/// The store on SQLite.
pub type SqliteStore = SqlStore<SqliteDriver>;

/// Opens (creating if needed) the database at `url` (`sqlite://path` or a plain path) and
/// applies migrations.
///
/// # Errors
/// The file cannot be opened or migrated.
pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
    let url = if url.starts_with("sqlite:") { url.to_owned() } else { format!("sqlite://{url}") };
    let options = SqliteConnectOptions::from_str(&url)
        .map_err(other)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let write = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await.map_err(other)?;
    MIGRATIONS.run(&write).await.map_err(other)?;
    let read =
        SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await.map_err(other)?;
    Ok(SqlStore::new(SqliteDriver { read, write }))
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn db_error(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation | sqlx::error::ErrorKind::ForeignKeyViolation)
    {
        return StoreError::Conflict(db.message().to_owned());
    }
    other(e)
}

fn query(sql: &str, args: &[Value]) -> sqlx::query::Query<'static, Sqlite, <Sqlite as sqlx::Database>::Arguments> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
    for v in args {
        q = match v {
            Value::Null => q.bind(None::<i64>),
            Value::NullUuid => q.bind(None::<uuid::Uuid>),
            Value::NullText => q.bind(None::<String>),
            Value::Int(i) => q.bind(*i),
            Value::Float(f) => q.bind(*f),
            Value::Bool(b) => q.bind(*b),
            Value::Text(s) => q.bind(s.clone()),
            Value::Uuid(u) => q.bind(*u),
            Value::Bytes(b) => q.bind(b.clone()),
        };
    }
    q
}

fn rows(raw: &[SqliteRow]) -> Result<Vec<Row>, StoreError> {
    let Some(first) = raw.first() else { return Ok(Vec::new()) };
    let columns: Arc<[String]> = first.columns().iter().map(|c| c.name().to_owned()).collect();
    raw.iter()
        .map(|r| {
            let values = (0..columns.len())
                .map(|i| {
                    let v = r.try_get_raw(i).map_err(other)?;
                    if v.is_null() {
                        return Ok(Value::Null);
                    }
                    Ok(match v.type_info().name() {
                        "INTEGER" => Value::Int(r.try_get_unchecked(i).map_err(other)?),
                        "REAL" => Value::Float(r.try_get_unchecked(i).map_err(other)?),
                        "BLOB" => Value::Bytes(r.try_get_unchecked(i).map_err(other)?),
                        _ => Value::Text(r.try_get_unchecked(i).map_err(other)?),
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Row { columns: columns.clone(), values })
        })
        .collect()
}

struct SqliteTx(sqlx::Transaction<'static, Sqlite>);

#[async_trait]
impl Tx for SqliteTx {
    async fn execute(&mut self, sql: &str, args: &[Value]) -> Result<u64, StoreError> {
        Ok(query(sql, args).execute(&mut *self.0).await.map_err(db_error)?.rows_affected())
    }

    async fn fetch(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>, StoreError> {
        rows(&query(sql, args).fetch_all(&mut *self.0).await.map_err(db_error)?)
    }

    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.0.commit().await.map_err(db_error)
    }
}

#[async_trait]
impl Driver for SqliteDriver {
    async fn begin(&self, write: bool) -> Result<Box<dyn Tx>, StoreError> {
        let tx = if write { self.write.begin_with("begin immediate").await } else { self.read.begin().await };
        Ok(Box::new(SqliteTx(tx.map_err(db_error)?)))
    }

    async fn fetch(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, StoreError> {
        rows(&query(sql, args).fetch_all(&self.read).await.map_err(db_error)?)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

#[async_trait]
impl baove_store::Tamper for SqliteDriver {
    async fn tamper_audit_row(&self, seq: i64, new_after: &str) -> Result<(), StoreError> {
        let pool = &self.write;
        sqlx::query("drop trigger if exists audit_log_no_update").execute(pool).await.map_err(other)?;
        sqlx::query("update audit_log set after = $1 where seq = $2")
            .bind(new_after.to_owned())
            .bind(seq)
            .execute(pool)
            .await
            .map_err(other)?;
        Ok(())
    }
}
