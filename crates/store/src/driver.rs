//! The driver port: the few primitive operations a database backend provides so that all of
//! baove's SQL can be written once. Statements use `$1, $2…` placeholders, which both SQLite
//! and PostgreSQL accept.

use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

use crate::error::{Result, StoreError};

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// A null where a UUID is expected (PostgreSQL types its parameters).
    NullUuid,
    /// A null where text is expected.
    NullText,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
    Uuid(Uuid),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}
impl From<Uuid> for Value {
    fn from(v: Uuid) -> Self {
        Self::Uuid(v)
    }
}
impl From<Option<Uuid>> for Value {
    fn from(v: Option<Uuid>) -> Self {
        v.map_or(Self::NullUuid, Self::Uuid)
    }
}

/// One result row, read by column name.
#[derive(Debug, Clone)]
pub struct Row {
    pub columns: Arc<[String]>,
    pub values: Vec<Value>,
}

fn bad(col: &str, want: &str, got: &Value) -> StoreError {
    StoreError::Other(format!("column {col}: expected {want}, found {got:?}"))
}

impl Row {
    fn get(&self, col: &str) -> Result<&Value> {
        self.columns
            .iter()
            .position(|c| c == col)
            .map(|i| &self.values[i])
            .ok_or_else(|| StoreError::Other(format!("no column {col}")))
    }

    /// # Errors
    /// The column is missing or not an integer.
    pub fn int(&self, col: &str) -> Result<i64> {
        match self.get(col)? {
            Value::Int(i) => Ok(*i),
            Value::Bool(b) => Ok(i64::from(*b)),
            v => Err(bad(col, "integer", v)),
        }
    }

    /// # Errors
    /// The column is missing or not an integer or null.
    pub fn opt_int(&self, col: &str) -> Result<Option<i64>> {
        match self.get(col)? {
            Value::Null | Value::NullUuid | Value::NullText => Ok(None),
            _ => self.int(col).map(Some),
        }
    }

    /// # Errors
    /// The column is missing or not a boolean.
    pub fn bool(&self, col: &str) -> Result<bool> {
        match self.get(col)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(i) => Ok(*i != 0),
            v => Err(bad(col, "boolean", v)),
        }
    }

    /// # Errors
    /// The column is missing or not text.
    pub fn text(&self, col: &str) -> Result<String> {
        match self.get(col)? {
            Value::Text(s) => Ok(s.clone()),
            Value::Null | Value::NullText => Ok(String::new()),
            v => Err(bad(col, "text", v)),
        }
    }

    /// # Errors
    /// The column is missing or not bytes; null and empty text read as no bytes.
    pub fn bytes(&self, col: &str) -> Result<Vec<u8>> {
        match self.get(col)? {
            Value::Bytes(b) => Ok(b.clone()),
            Value::Null | Value::NullUuid | Value::NullText => Ok(Vec::new()),
            Value::Text(t) if t.is_empty() => Ok(Vec::new()),
            v => Err(bad(col, "bytes", v)),
        }
    }

    /// # Errors
    /// The column is missing or not a UUID (native, 16 bytes or text) or null.
    pub fn opt_uuid(&self, col: &str) -> Result<Option<Uuid>> {
        match self.get(col)? {
            Value::Null | Value::NullUuid => Ok(None),
            Value::Uuid(u) => Ok(Some(*u)),
            Value::Bytes(b) => Uuid::from_slice(b).map(Some).map_err(|_| bad(col, "uuid", &Value::Bytes(b.clone()))),
            Value::Text(t) => Uuid::try_parse(t).map(Some).map_err(|_| bad(col, "uuid", &Value::Text(t.clone()))),
            v => Err(bad(col, "uuid", v)),
        }
    }

    /// # Errors
    /// The column is missing or not a UUID.
    pub fn uuid(&self, col: &str) -> Result<Uuid> {
        self.opt_uuid(col)?.ok_or_else(|| bad(col, "uuid", &Value::Null))
    }
}

/// Which SQL dialect the driver speaks, for the rare statement that differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A database connection pool.
#[async_trait]
pub trait Driver: Send + Sync + 'static {
    /// Starts a transaction. A write transaction is serialised against every other write
    /// transaction (SQLite: one writer connection, `BEGIN IMMEDIATE`; PostgreSQL: a
    /// transaction-level advisory lock), which keeps the audit chain linear.
    async fn begin(&self, write: bool) -> Result<Box<dyn Tx>>;

    /// Runs a read outside any transaction.
    async fn fetch(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>>;

    fn dialect(&self) -> Dialect;
}

/// An open transaction; dropped without [`Tx::commit`] it rolls back.
#[async_trait]
pub trait Tx: Send {
    async fn execute(&mut self, sql: &str, args: &[Value]) -> Result<u64>;
    async fn fetch(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>>;
    async fn commit(self: Box<Self>) -> Result<()>;
}
