//! What instances agree on through the database beyond the data: its clock, and the
//! idempotency keys being processed (leases).

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use super::values::{execute, get, row};
use crate::storage::{Result, StorageError};

pub(super) async fn database_time(db: &impl GenericClient) -> Result<DateTime<Utc>> {
    // clock_timestamp(), not now(): the moment of asking, not of the transaction's start.
    let found = row(db, "SELECT clock_timestamp()", &[]).await?;
    found
        .map(|found| get(&found, 0))
        .transpose()?
        .ok_or_else(|| StorageError::Corrupt("the database told no time".to_owned()))
}

pub(super) async fn claim_key(
    db: &impl GenericClient,
    account: Uuid,
    key: &str,
    holder: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool> {
    let claimed = row(
        db,
        "INSERT INTO idempotency_lease (account, key, holder, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (account, key) DO UPDATE
             SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE idempotency_lease.expires_at <= $5
         RETURNING holder",
        &[&account, &key, &holder, &until, &now],
    )
    .await?;
    Ok(claimed.is_some())
}

pub(super) async fn release_key(
    db: &impl GenericClient,
    account: Uuid,
    key: &str,
    holder: Uuid,
) -> Result<()> {
    execute(
        db,
        "DELETE FROM idempotency_lease WHERE account = $1 AND key = $2 AND holder = $3",
        &[&account, &key, &holder],
    )
    .await?;
    Ok(())
}
