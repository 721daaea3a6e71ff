//! What instances agree on through the database beyond the data: its clock, the
//! idempotency keys being processed (leases), and recent sign-in attempts.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use uuid::Uuid;

use super::receipt_log::answer_at;
use super::values::{execute, get, row, rows};
use crate::storage::{
    KeyClaim, LeasedKey, Result, SignInAttempt, SignInFailures, SignInJudge, StorageError,
};

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
) -> Result<KeyClaim> {
    // The answer is read in the statement's snapshot, taken before the claim: a request
    // that commits its answer and gives the lease back in between leaves this claim
    // without the answer, and its batch then finds the key used and replays it
    // ([`crate::routes::accept`]).
    let found = row(
        db,
        "WITH claimed AS (
             INSERT INTO idempotency_lease (account, key, holder, expires_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (account, key) DO UPDATE
                 SET holder = excluded.holder, expires_at = excluded.expires_at
                 WHERE idempotency_lease.expires_at <= $5
             RETURNING holder
         )
         SELECT EXISTS (SELECT 1 FROM claimed), answer.fingerprint, answer.status, answer.body
         FROM (VALUES (1)) AS one
         LEFT JOIN idempotency AS answer ON answer.account_id = $1 AND answer.key = $2",
        &[&account, &key, &holder, &until, &now],
    )
    .await?
    .ok_or_else(|| StorageError::Corrupt("a SELECT without a row".to_owned()))?;
    Ok(match get(&found, 0)? {
        true => KeyClaim::Taken(answer_at(&found, 1)?),
        false => KeyClaim::Busy,
    })
}

pub(super) async fn release_keys(db: &impl GenericClient, keys: &[LeasedKey]) -> Result<()> {
    let accounts: Vec<Uuid> = keys.iter().map(|k| k.account).collect();
    let names: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
    let holders: Vec<Uuid> = keys.iter().map(|k| k.holder).collect();
    execute(
        db,
        "DELETE FROM idempotency_lease AS lease
         USING unnest($1::uuid[], $2::text[], $3::uuid[]) AS given (account, key, holder)
         WHERE lease.account = given.account AND lease.key = given.key
             AND lease.holder = given.holder",
        &[&accounts, &names, &holders],
    )
    .await?;
    Ok(())
}

pub(super) async fn reserve_sign_in(
    client: &mut deadpool_postgres::Client,
    attempt: &SignInAttempt<'_>,
    judge: SignInJudge<'_>,
) -> Result<std::result::Result<i64, DateTime<Utc>>> {
    let tx = client.transaction().await?;
    // Attempts on one email wait for each other, on every instance, until committed.
    execute(
        &tx,
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
        &[&attempt.email],
    )
    .await?;
    execute(
        &tx,
        "DELETE FROM sign_in_attempt WHERE at <= $1",
        &[&attempt.since],
    )
    .await?;
    let address = attempt.from.to_string();
    let keep = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let mut from_address = Vec::new();
    for found in rows(
        &tx,
        "SELECT at FROM sign_in_attempt WHERE address = $1 AND failed AND at > $2
         ORDER BY at DESC LIMIT $3",
        &[&address, &attempt.since, &keep(attempt.address_keep)],
    )
    .await?
    {
        from_address.push(get(&found, 0)?);
    }
    from_address.reverse();
    let mut on_email = Vec::new();
    for found in rows(
        &tx,
        "SELECT at, address FROM sign_in_attempt WHERE email = $1 AND NOT forgiven AND at > $2
         ORDER BY at DESC LIMIT $3",
        &[&attempt.email, &attempt.since, &keep(attempt.email_keep)],
    )
    .await?
    {
        let address: String = get(&found, 1)?;
        let address = address
            .parse()
            .map_err(|_| StorageError::Corrupt(format!("a sign-in address: {address}")))?;
        on_email.push((get(&found, 0)?, address));
    }
    on_email.reverse();
    if let Some(retry_at) = judge(&SignInFailures {
        from_address,
        on_email,
    }) {
        return Ok(Err(retry_at));
    }
    let inserted = row(
        &tx,
        "INSERT INTO sign_in_attempt (email, address, at) VALUES ($1, $2, $3) RETURNING id",
        &[&attempt.email, &address, &attempt.now],
    )
    .await?;
    let id = inserted
        .map(|found| get(&found, 0))
        .transpose()?
        .ok_or_else(|| StorageError::Corrupt("an attempt without an id".to_owned()))?;
    tx.commit().await?;
    Ok(Ok(id))
}

pub(super) async fn sign_in_failed(db: &impl GenericClient, attempt: i64) -> Result<()> {
    execute(
        db,
        "UPDATE sign_in_attempt SET failed = true WHERE id = $1",
        &[&attempt],
    )
    .await?;
    Ok(())
}

pub(super) async fn sign_in_succeeded(
    db: &impl GenericClient,
    email: &str,
    from: IpAddr,
) -> Result<()> {
    execute(
        db,
        "UPDATE sign_in_attempt SET forgiven = true WHERE email = $1 AND address = $2",
        &[&email, &from.to_string()],
    )
    .await?;
    Ok(())
}
