//! The schema's forward-only migrations on PostgreSQL: the numbered files in
//! `migrations/postgres/`, each applied once and recorded in `schema_migrations`. Every
//! instance runs them at start inside one transaction holding an advisory lock, so
//! that instances starting together apply each file exactly once, and a failing file
//! leaves the schema as it was (PostgreSQL's DDL is transactional).

use deadpool_postgres::{Client, GenericClient};

use super::values::{execute, get, row};
use crate::chain::LogHead;
use crate::codes::to_i64;
use crate::storage::{Result, StorageError};

/// `MIGRATIONS[i]` takes the schema from version i to i + 1. Forward only: a released
/// file is never edited, a change is a new one.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/001_initial.sql"),
    include_str!("../../migrations/postgres/002_log_key.sql"),
    include_str!("../../migrations/postgres/003_idempotency_lease.sql"),
    include_str!("../../migrations/postgres/004_sign_in_attempt.sql"),
    include_str!("../../migrations/postgres/005_unlogged_coordination.sql"),
];

/// The advisory lock's key, the same in every instance: "ventanil" in ASCII.
const MIGRATION_LOCK: i64 = 0x7665_6e74_616e_696c;

/// Applies the pending migrations, refusing a schema from a newer server, and makes
/// sure the log has its head row.
pub(super) async fn run(client: &mut Client) -> Result<()> {
    let tx = client.transaction().await?;
    execute(&tx, "SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let found = row(
        &tx,
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        &[],
    )
    .await?
    .map(|r| get::<i32>(&r, 0))
    .transpose()?
    .unwrap_or(0);
    let supported = MIGRATIONS.len() as i64;
    if i64::from(found) > supported {
        return Err(StorageError::NewerSchema {
            found: found.into(),
            supported,
        });
    }
    for (version, sql) in (1..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(found).unwrap_or(0))
    {
        tx.batch_execute(sql).await?;
        execute(
            &tx,
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )
        .await?;
    }
    let genesis = LogHead::genesis();
    execute(
        &tx,
        "INSERT INTO log_head (next_index, last_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&to_i64(genesis.index), &genesis.previous],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
