//! The statement helpers every PostgreSQL query goes through: each statement is
//! prepared once per connection (the pool keeps the cache) and its rows are read with
//! `try_get`, so that a column of an unexpected type is an error, not a panic.

use deadpool_postgres::GenericClient;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, ToSql};
use tokio_postgres::Row;

use crate::storage::{Result, StorageError};

/// A statement's parameters.
pub(super) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// Runs `sql`, answering how many rows it changed.
pub(super) async fn execute(db: &impl GenericClient, sql: &str, params: Params<'_>) -> Result<u64> {
    let statement = db.prepare_cached(sql).await?;
    Ok(db.execute(&statement, params).await?)
}

pub(super) async fn rows(
    db: &impl GenericClient,
    sql: &str,
    params: Params<'_>,
) -> Result<Vec<Row>> {
    let statement = db.prepare_cached(sql).await?;
    Ok(db.query(&statement, params).await?)
}

/// The row `sql` selects, if any.
pub(super) async fn row(
    db: &impl GenericClient,
    sql: &str,
    params: Params<'_>,
) -> Result<Option<Row>> {
    let statement = db.prepare_cached(sql).await?;
    Ok(db.query_opt(&statement, params).await?)
}

pub(super) async fn exists(db: &impl GenericClient, sql: &str, params: Params<'_>) -> Result<bool> {
    Ok(row(db, sql, params).await?.is_some())
}

/// Column `at` of `row`.
pub(super) fn get<'a, T: FromSql<'a>>(row: &'a Row, at: usize) -> Result<T> {
    Ok(row.try_get(at)?)
}

pub(super) fn is_unique_violation(error: &StorageError) -> bool {
    matches!(error, StorageError::Postgres(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION))
}

/// `result`, with a unique violation answered as `Conflict(what)`.
pub(super) fn conflict_as<T>(what: &'static str, result: Result<T>) -> Result<T> {
    result.map_err(|e| match is_unique_violation(&e) {
        true => StorageError::Conflict(what),
        false => e,
    })
}
