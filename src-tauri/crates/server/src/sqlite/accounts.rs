//! Accounts and their sessions.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};

use super::values::{exists, instant, is_unique_violation, one, run, stamp, uuid};
use crate::codes::{parse_role, role_text};
use crate::storage::{AccountRecord, Result, SessionRecord, StorageError};

/// Raw columns of an account row: id, role, email, rfc, password_hash.
pub(super) fn account_row(
    row: &Row<'_>,
) -> rusqlite::Result<(String, String, String, Option<String>, String)> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    ))
}

pub(super) fn account_from(
    raw: (String, String, String, Option<String>, String),
) -> Result<AccountRecord> {
    let (id, role, email, rfc, password_hash) = raw;
    Ok(AccountRecord {
        account: Account {
            id: uuid(&id)?,
            role: parse_role(&role)?,
            email,
            rfc,
        },
        password_hash,
    })
}

/// Refuses `account` when its email is taken or, for a supplier, when its RFC has an
/// owner, or (unless `claiming`) a registrar.
pub(super) fn refuse_taken(conn: &Connection, account: &Account, claiming: bool) -> Result<()> {
    if exists(
        conn,
        "SELECT 1 FROM account WHERE email = ?1",
        [&account.email],
    )? {
        return Err(StorageError::Conflict("email"));
    }
    let Some(rfc) = account
        .rfc
        .as_deref()
        .filter(|_| account.role == Role::Supplier)
    else {
        return Ok(());
    };
    if exists(
        conn,
        "SELECT 1 FROM account WHERE role = 'supplier' AND rfc = ?1",
        [rfc],
    )? {
        return Err(StorageError::Conflict("owner"));
    }
    if !claiming && exists(conn, "SELECT 1 FROM supplier WHERE rfc = ?1", [rfc])? {
        return Err(StorageError::Conflict("registrar"));
    }
    Ok(())
}

/// Inserts `account` and commits `tx`, its checks done.
pub(super) fn insert_account(
    tx: rusqlite::Transaction<'_>,
    account: &Account,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let inserted = run(
        &tx,
        "INSERT INTO account (id, role, email, rfc, password_hash, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            account.id.to_string(),
            role_text(account.role),
            account.email,
            account.rfc,
            password_hash,
            stamp(now)
        ],
    );
    match inserted {
        Ok(_) => Ok(tx.commit()?),
        Err(e) if is_unique_violation(&e) => Err(StorageError::Conflict("email")),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn create_account(
    conn: &mut Connection,
    account: &Account,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    // Immediate: a registration appended meanwhile cannot slip between the checks
    // and the insert.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    refuse_taken(&tx, account, false)?;
    insert_account(tx, account, password_hash, now)
}

pub(super) fn claim_account(
    conn: &mut Connection,
    account: &Account,
    password_hash: &str,
    code_sha256: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    refuse_taken(&tx, account, true)?;
    let used = run(
        &tx,
        "DELETE FROM handover WHERE rfc = ?1 AND code_sha256 = ?2 AND expires_at > ?3",
        params![account.rfc, code_sha256, stamp(now)],
    )?;
    if used != 1 {
        return Err(StorageError::Conflict("handover"));
    }
    insert_account(tx, account, password_hash, now)
}

pub(super) fn account_by_email(conn: &Connection, email: &str) -> Result<Option<AccountRecord>> {
    let raw = one(
        conn,
        "SELECT id, role, email, rfc, password_hash FROM account WHERE email = ?1",
        [email],
        account_row,
    )
    .optional()?;
    raw.map(account_from).transpose()
}

pub(super) fn create_session(
    conn: &Connection,
    token_sha256: &str,
    account: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    run(
        conn,
        "INSERT INTO session (token_sha256, account_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token_sha256, account.to_string(), stamp(expires_at)],
    )?;
    Ok(())
}

pub(super) fn session(
    conn: &Connection,
    token_sha256: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionRecord>> {
    let raw = one(
        conn,
        "SELECT a.id, a.role, a.email, a.rfc, a.password_hash, s.expires_at FROM session s \
         JOIN account a ON a.id = s.account_id \
         WHERE s.token_sha256 = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2",
        params![token_sha256, stamp(now)],
        |row| Ok((account_row(row)?, row.get::<_, String>(5)?)),
    )
    .optional()?;
    raw.map(|(account, expires_at)| {
        Ok(SessionRecord {
            account: account_from(account)?.account,
            expires_at: instant(&expires_at)?,
        })
    })
    .transpose()
}

pub(super) fn revoke_session(
    conn: &Connection,
    token_sha256: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    run(
        conn,
        "UPDATE session SET revoked_at = ?2 WHERE token_sha256 = ?1 AND revoked_at IS NULL",
        params![token_sha256, stamp(now)],
    )?;
    Ok(())
}
