//! Small helpers every statement module uses: rows, instants, search terms.

use baove_core::text;
use baove_core::time::{from_micros, to_micros};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::driver::{Row, Tx, Value};
use crate::error::{Result, StoreError};

/// Exactly one row, or [`StoreError::NotFound`].
pub async fn one(tx: &mut dyn Tx, sql: &str, args: &[Value]) -> Result<Row> {
    tx.fetch(sql, args).await?.into_iter().next().ok_or(StoreError::NotFound)
}

/// At most one row.
pub async fn opt(tx: &mut dyn Tx, sql: &str, args: &[Value]) -> Result<Option<Row>> {
    Ok(tx.fetch(sql, args).await?.into_iter().next())
}

pub fn at(ts: Timestamp) -> Value {
    Value::Int(to_micros(ts))
}

pub fn ts(row: &Row, col: &str) -> Result<Timestamp> {
    Ok(from_micros(row.int(col)?))
}

pub fn date_value(d: Option<Date>) -> Value {
    d.map_or(Value::NullText, |d| Value::Text(d.to_string()))
}

pub fn opt_date(row: &Row, col: &str) -> Result<Option<Date>> {
    let raw = row.text(col)?;
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| StoreError::Other(format!("column {col}: bad date {raw:?}")))
}

pub fn date(row: &Row, col: &str) -> Result<Date> {
    opt_date(row, col)?.ok_or_else(|| StoreError::Other(format!("column {col}: missing date")))
}

/// The stored JSON image of an entity for the audit chain.
pub fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The folded search key stored beside the display text.
pub fn key(parts: &[&str]) -> String {
    text::fold(&parts.join(" "))
}

/// Words of a search query beyond this many are ignored.
pub const MAX_SEARCH_WORDS: usize = 10;

/// `and <col> like $n escape '\'` for every word of `query`, starting at placeholder `first`;
/// returns the SQL and its arguments.
pub fn search(col: &str, query: &str, first: usize) -> (String, Vec<Value>) {
    // Control characters cannot be searched for (PostgreSQL refuses a NUL in text), and a
    // query is a few words, not thousands.
    let folded = text::fold(&query.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>());
    let mut sql = String::new();
    let mut args = Vec::new();
    for (i, word) in folded.split(' ').filter(|w| !w.is_empty()).take(MAX_SEARCH_WORDS).enumerate() {
        let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        sql.push_str(&format!(" and {col} like ${} escape '\\'", first + i));
        args.push(Value::Text(format!("%{escaped}%")));
    }
    (sql, args)
}

/// Maps code enums read from the database.
pub fn code<T>(row: &Row, col: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let raw = row.text(col)?;
    parse(&raw).ok_or_else(|| StoreError::Other(format!("column {col}: unknown code {raw:?}")))
}

/// Idempotent creates: when a create is retried with the client's id, `existing` is what the
/// first attempt stored. The same id under the same parent returns it unchanged; the same id
/// used for something else is refused.
pub fn replay<T>(existing: Option<T>, same_parent: impl Fn(&T) -> bool) -> Result<Option<T>> {
    match existing {
        Some(e) if same_parent(&e) => Ok(Some(e)),
        Some(_) => Err(baove_core::validate::Invalid::one("id", baove_core::validate::Problem::Taken).into()),
        None => Ok(None),
    }
}
