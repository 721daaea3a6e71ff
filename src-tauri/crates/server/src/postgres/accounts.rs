//! Accounts and their sessions.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};
use tokio_postgres::Row;
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};

use super::values::{conflict_as, execute, exists, get, row};
use crate::codes::{parse_role, role_text};
use crate::storage::{AccountRecord, Result, SessionRecord, StorageError};

const ACCOUNT_COLUMNS: &str = "a.id, a.role, a.email, a.rfc, a.password_hash";

/// The account in the first five columns of `row` ([`ACCOUNT_COLUMNS`]).
fn account_from(row: &Row) -> Result<AccountRecord> {
    Ok(AccountRecord {
        account: Account {
            id: get(row, 0)?,
            role: parse_role(get(row, 1)?)?,
            email: get(row, 2)?,
            rfc: get(row, 3)?,
        },
        password_hash: get(row, 4)?,
    })
}

/// Refuses `account` when its email is taken or, for a supplier, when its RFC has an
/// owner, or (unless `claiming`) a registrar.
async fn refuse_taken(db: &impl GenericClient, account: &Account, claiming: bool) -> Result<()> {
    if exists(
        db,
        "SELECT 1 FROM account WHERE email = $1",
        &[&account.email],
    )
    .await?
    {
        return Err(StorageError::Conflict("email"));
    }
    let Some(rfc) = account
        .rfc
        .as_deref()
        .filter(|_| account.role == Role::Supplier)
    else {
        return Ok(());
    };
    let owned = "SELECT 1 FROM account WHERE role = 'supplier' AND rfc = $1";
    if exists(db, owned, &[&rfc]).await? {
        return Err(StorageError::Conflict("owner"));
    }
    let registered = "SELECT 1 FROM supplier WHERE rfc = $1";
    if !claiming && exists(db, registered, &[&rfc]).await? {
        return Err(StorageError::Conflict("registrar"));
    }
    Ok(())
}

/// Creates `account`, or, given the SHA-256 of a handover code, the supplier account
/// that claims its RFC with that code (using it up).
pub(super) async fn create_account(
    client: &mut Client,
    account: &Account,
    password_hash: &str,
    handover_sha256: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let tx = client.transaction().await?;
    // Shares the log head's lock with other sign-ups: a registration appended
    // meanwhile (which holds it exclusively) cannot slip between the checks and the
    // insert, as SQLite's immediate transaction ensures there.
    execute(&tx, "SELECT 1 FROM log_head FOR SHARE", &[]).await?;
    refuse_taken(&tx, account, handover_sha256.is_some()).await?;
    if let Some(code_sha256) = handover_sha256 {
        let used = execute(
            &tx,
            "DELETE FROM handover WHERE rfc = $1 AND code_sha256 = $2 AND expires_at > $3",
            &[&account.rfc, &code_sha256, &now],
        )
        .await?;
        if used != 1 {
            return Err(StorageError::Conflict("handover"));
        }
    }
    let inserted = execute(
        &tx,
        "INSERT INTO account (id, role, email, rfc, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &account.id,
            &role_text(account.role),
            &account.email,
            &account.rfc,
            &password_hash,
            &now,
        ],
    )
    .await;
    conflict_as("email", inserted)?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn account_by_email(
    db: &impl GenericClient,
    email: &str,
) -> Result<Option<AccountRecord>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM account a WHERE a.email = $1");
    row(db, &sql, &[&email])
        .await?
        .as_ref()
        .map(account_from)
        .transpose()
}

pub(super) async fn create_session(
    db: &impl GenericClient,
    token_sha256: &str,
    account: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    execute(
        db,
        "INSERT INTO session (token_sha256, account_id, expires_at) VALUES ($1, $2, $3)",
        &[&token_sha256, &account, &expires_at],
    )
    .await?;
    Ok(())
}

pub(super) async fn session(
    db: &impl GenericClient,
    token_sha256: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionRecord>> {
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS}, s.expires_at FROM session s \
         JOIN account a ON a.id = s.account_id \
         WHERE s.token_sha256 = $1 AND s.revoked_at IS NULL AND s.expires_at > $2"
    );
    row(db, &sql, &[&token_sha256, &now])
        .await?
        .map(|found| {
            Ok(SessionRecord {
                account: account_from(&found)?.account,
                expires_at: get(&found, 5)?,
            })
        })
        .transpose()
}

pub(super) async fn revoke_session(
    db: &impl GenericClient,
    token_sha256: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    execute(
        db,
        "UPDATE session SET revoked_at = $2 WHERE token_sha256 = $1 AND revoked_at IS NULL",
        &[&token_sha256, &now],
    )
    .await?;
    Ok(())
}
