//! baove on PostgreSQL, for a province-wide deployment with several app instances. Write
//! transactions take one transaction-level advisory lock so that the audit chain stays linear.

use std::sync::Arc;

use async_trait::async_trait;
use baove_store::StoreError;
use baove_store::driver::{Dialect, Driver, Row, Tx, Value};
use baove_store::sql::SqlStore;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Column, Postgres, Row as _, TypeInfo, ValueRef};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The advisory lock key that serialises writers ("baove" in ASCII, roughly).
const WRITE_LOCK: i64 = 0x0062_616f_7665;

/// The PostgreSQL driver.
pub struct PgDriver {
    pool: PgPool,
}

/// The store on PostgreSQL.
pub type PgStore = SqlStore<PgDriver>;

/// Connects to `url` (`postgres://…`) and applies migrations.
///
/// # Errors
/// The server cannot be reached or the schema cannot be migrated.
pub async fn open(url: &str) -> Result<PgStore, StoreError> {
    let pool = PgPoolOptions::new().max_connections(16).connect(url).await.map_err(other)?;
    MIGRATIONS.run(&pool).await.map_err(other)?;
    Ok(SqlStore::new(PgDriver { pool }))
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(e.to_string())
}

fn db_error(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation | sqlx::error::ErrorKind::ForeignKeyViolation)
    {
        return StoreError::Conflict(db.constraint().unwrap_or(db.message()).to_owned());
    }
    other(e)
}

fn query(sql: &str, args: &[Value]) -> sqlx::query::Query<'static, Postgres, <Postgres as sqlx::Database>::Arguments> {
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

fn rows(raw: &[PgRow]) -> Result<Vec<Row>, StoreError> {
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
                    let name = v.type_info().name().to_owned();
                    Ok(match name.as_str() {
                        "INT8" => Value::Int(r.try_get::<i64, _>(i).map_err(other)?),
                        "INT4" => Value::Int(i64::from(r.try_get::<i32, _>(i).map_err(other)?)),
                        "INT2" => Value::Int(i64::from(r.try_get::<i16, _>(i).map_err(other)?)),
                        "BOOL" => Value::Bool(r.try_get(i).map_err(other)?),
                        "UUID" => Value::Uuid(r.try_get(i).map_err(other)?),
                        "FLOAT8" => Value::Float(r.try_get(i).map_err(other)?),
                        "BYTEA" => Value::Bytes(r.try_get(i).map_err(other)?),
                        _ => Value::Text(r.try_get(i).map_err(other)?),
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            Ok(Row { columns: columns.clone(), values })
        })
        .collect()
}

struct PgTx(sqlx::Transaction<'static, Postgres>);

#[async_trait]
impl Tx for PgTx {
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
impl Driver for PgDriver {
    async fn begin(&self, write: bool) -> Result<Box<dyn Tx>, StoreError> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        if write {
            sqlx::query("select pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        Ok(Box::new(PgTx(tx)))
    }

    async fn fetch(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, StoreError> {
        rows(&query(sql, args).fetch_all(&self.pool).await.map_err(db_error)?)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

#[async_trait]
impl baove_store::Tamper for PgDriver {
    async fn tamper_audit_row(&self, seq: i64, new_after: &str) -> Result<(), StoreError> {
        let pool = &self.pool;
        sqlx::query("alter table audit_log disable trigger audit_log_no_change").execute(pool).await.map_err(other)?;
        sqlx::query("update audit_log set after = $1 where seq = $2")
            .bind(new_after.to_owned())
            .bind(seq)
            .execute(pool)
            .await
            .map_err(other)?;
        Ok(())
    }
}

/// Test support: creates a fresh database on the server at `url` and returns its URL.
///
/// # Errors
/// The server cannot be reached or refuses.
pub async fn create_test_database(url: &str) -> Result<String, StoreError> {
    use sqlx::Connection;
    let name = format!("baove_t_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(url).await.map_err(other)?;
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}"))).execute(&mut conn).await.map_err(other)?;
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let root = base[authority_end..].find('/').map_or(base, |i| &base[..authority_end + i]);
    Ok(match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    })
}
