//! [`Storage`] on one SQLite file, `server.db` in the data folder.
//!
//! One connection behind a mutex: SQLite takes one writer at a time anyway, and every
//! method is a short transaction. `synchronous = FULL`, because a receipt promises the
//! submission is on disk before the client reads it.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use rust_decimal::Decimal;
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};
use ventanilla_api::bid::BidRecord;
use ventanilla_api::ocds::Value;
use ventanilla_api::receipt::GENESIS_HASH;
use ventanilla_api::registration::{Observation, ReviewStatus, SupplierStatus};
use ventanilla_api::{Receipt, ReceiptKind};

use crate::storage::{
    Acceptance, AccountRecord, Answered, BidRow, IdempotencyScope, LogRow, Respond, Result, Seal,
    Storage, StorageError, StoredResponse, TenderRecord, UploadRecord,
};

/// `MIGRATIONS[i]` takes the schema from version i to i + 1. Forward only.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE account (
        id TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('supplier', 'operator')),
        email TEXT NOT NULL UNIQUE,
        rfc TEXT,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX supplier_account_rfc ON account (rfc) WHERE role = 'supplier';
    CREATE TABLE session (
        token_sha256 TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES account (id),
        expires_at TEXT NOT NULL,
        revoked_at TEXT
    ) STRICT;
    CREATE TABLE document (
        account_id TEXT NOT NULL REFERENCES account (id),
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (account_id, sha256)
    ) STRICT;
    CREATE TABLE upload (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES account (id),
        size INTEGER NOT NULL,
        offset INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE idempotency (
        account_id TEXT NOT NULL REFERENCES account (id),
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (account_id, key)
    ) STRICT;
    CREATE TABLE receipt (
        log_index INTEGER PRIMARY KEY,
        receipt_id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        subject_rfc TEXT NOT NULL,
        payload_sha256 TEXT NOT NULL,
        server_time TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        signature TEXT NOT NULL,
        entry_hash TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES account (id)
    ) STRICT;
    CREATE TABLE supplier (
        rfc TEXT PRIMARY KEY,
        registrar_id TEXT NOT NULL REFERENCES account (id)
    ) STRICT;
    CREATE TABLE registration (
        submission_id TEXT PRIMARY KEY,
        rfc TEXT NOT NULL REFERENCES supplier (rfc),
        account_id TEXT NOT NULL REFERENCES account (id),
        employer INTEGER NOT NULL,
        snapshot TEXT NOT NULL,
        documents TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'en_revision',
        reviewed_at TEXT,
        observations TEXT NOT NULL DEFAULT '[]',
        log_index INTEGER NOT NULL REFERENCES receipt (log_index)
    ) STRICT;
    CREATE INDEX registration_by_rfc ON registration (rfc, submitted_at);
    CREATE TABLE tender (
        ocid TEXT PRIMARY KEY,
        release TEXT NOT NULL,
        deadline TEXT NOT NULL,
        opening TEXT NOT NULL
    ) STRICT;
    CREATE TABLE bid (
        bid_id TEXT PRIMARY KEY,
        ocid TEXT NOT NULL REFERENCES tender (ocid),
        tenderer_rfc TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES account (id),
        snapshot TEXT NOT NULL,
        documents TEXT NOT NULL,
        amount TEXT NOT NULL,
        currency TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        log_index INTEGER NOT NULL REFERENCES receipt (log_index),
        UNIQUE (ocid, tenderer_rfc)
    ) STRICT;
"];

/// The SQLite store.
pub struct SqliteStorage {
    conn: Mutex<Connection>,
}

/// Instants as fixed-width UTC text, so that text order is time order.
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn instant(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StorageError::Corrupt(format!("time {text:?}: {e}")))
}

fn uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| StorageError::Corrupt(format!("id {text:?}: {e}")))
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StorageError::Corrupt(format!("stored JSON: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Corrupt(format!("JSON: {e}")))
}

/// SQLite integers are signed; sizes and offsets are bounded far below `i64::MAX`.
fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> Result<u64> {
    u64::try_from(n).map_err(|_| StorageError::Corrupt(format!("negative count {n}")))
}

fn role_text(role: Role) -> &'static str {
    match role {
        Role::Supplier => "supplier",
        Role::Operator => "operator",
    }
}

fn status_text(status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::EnRevision => "en_revision",
        ReviewStatus::Aprobado => "aprobado",
        ReviewStatus::Rechazado => "rechazado",
    }
}

fn parse_status(text: &str) -> Result<ReviewStatus> {
    match text {
        "en_revision" => Ok(ReviewStatus::EnRevision),
        "aprobado" => Ok(ReviewStatus::Aprobado),
        "rechazado" => Ok(ReviewStatus::Rechazado),
        other => Err(StorageError::Corrupt(format!("review status {other:?}"))),
    }
}

/// Raw columns of an account row: id, role, email, rfc, password_hash.
fn account_row(
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

fn account_from(raw: (String, String, String, Option<String>, String)) -> Result<AccountRecord> {
    let (id, role, email, rfc, password_hash) = raw;
    let role = match role.as_str() {
        "supplier" => Role::Supplier,
        "operator" => Role::Operator,
        other => return Err(StorageError::Corrupt(format!("role {other:?}"))),
    };
    Ok(AccountRecord {
        account: Account {
            id: uuid(&id)?,
            role,
            email,
            rfc,
        },
        password_hash,
    })
}

const RECEIPT_FIELDS: [&str; 10] = [
    "receipt_id",
    "kind",
    "subject_rfc",
    "payload_sha256",
    "server_time",
    "log_index",
    "previous_hash",
    "signature",
    "entry_hash",
    "account_id",
];

/// The receipt columns, each qualified with `prefix` (such as `r.`).
fn receipt_columns(prefix: &str) -> String {
    RECEIPT_FIELDS.map(|f| format!("{prefix}{f}")).join(", ")
}

/// Raw receipt columns in [`RECEIPT_FIELDS`] order, starting at `at`.
type RawReceipt = (
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
);

fn receipt_row(row: &Row<'_>, at: usize) -> rusqlite::Result<RawReceipt> {
    Ok((
        row.get(at)?,
        row.get(at + 1)?,
        row.get(at + 2)?,
        row.get(at + 3)?,
        row.get(at + 4)?,
        row.get(at + 5)?,
        row.get(at + 6)?,
        row.get(at + 7)?,
        row.get(at + 8)?,
        row.get(at + 9)?,
    ))
}

fn log_row_from(raw: RawReceipt) -> Result<LogRow> {
    let (id, kind, rfc, payload, time, index, previous, signature, entry_hash, account) = raw;
    let kind = match kind.as_str() {
        "registration" => ReceiptKind::Registration,
        "bid" => ReceiptKind::Bid,
        other => return Err(StorageError::Corrupt(format!("receipt kind {other:?}"))),
    };
    Ok(LogRow {
        receipt: Receipt {
            receipt_id: uuid(&id)?,
            kind,
            subject_rfc: rfc,
            payload_sha256: payload,
            server_time: instant(&time)?,
            log_index: to_u64(index)?,
            previous_log_hash: previous,
            signature,
        },
        entry_hash,
        account: uuid(&account)?,
    })
}

impl SqliteStorage {
    /// Opens (creating) `server.db` in `dir`, applying pending migrations and refusing a
    /// database from a newer server.
    pub fn open(dir: &Path) -> Result<SqliteStorage> {
        let mut conn = Connection::open(dir.join("server.db"))?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        if found > supported {
            return Err(StorageError::NewerSchema { found, supported });
        }
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;",
        )?;
        for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version as i64 + 1)?;
            tx.commit()?;
        }
        Ok(SqliteStorage {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction half-done (it rolls
        // back when dropped), so the connection stays usable.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn bid_rows(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<BidRow>> {
        let conn = self.conn();
        let sql = format!(
            "SELECT b.bid_id, b.ocid, b.tenderer_rfc, b.amount, b.currency, b.submitted_at, \
             b.account_id, {} FROM bid b JOIN receipt r ON r.log_index = b.log_index \
             WHERE {filter} ORDER BY b.submitted_at, b.bid_id",
            receipt_columns("r.")
        );
        let mut stmt = conn.prepare(&sql)?;
        let raws = stmt
            .query_map(args, |row| {
                Ok((
                    (
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, String>(5)?,
                        row.get::<_, String>(6)?,
                    ),
                    receipt_row(row, 7)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(
                |((id, ocid, rfc, amount, currency, at, account), receipt)| {
                    let amount = Decimal::from_str(&amount)
                        .map_err(|e| StorageError::Corrupt(format!("amount {amount:?}: {e}")))?;
                    Ok(BidRow {
                        record: BidRecord {
                            bid_id: uuid(&id)?,
                            ocid,
                            tenderer_rfc: rfc,
                            value: Value { amount, currency },
                            submitted_at: instant(&at)?,
                            receipt: log_row_from(receipt)?.receipt,
                        },
                        account: uuid(&account)?,
                    })
                },
            )
            .collect()
    }

    fn tender_rows(
        &self,
        filter: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<TenderRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT release, deadline, opening FROM tender WHERE {filter} ORDER BY deadline, ocid"
        ))?;
        let raws = stmt
            .query_map(args, |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|(release, deadline, opening)| {
                Ok(TenderRecord {
                    release: json(&release)?,
                    deadline: instant(&deadline)?,
                    opening: instant(&opening)?,
                })
            })
            .collect()
    }
}

/// Appends `receipt` to the log inside `tx`: takes the next index and the previous
/// entry's hash, seals it, and records its entry hash.
fn append_receipt(
    tx: &Transaction<'_>,
    mut receipt: Receipt,
    account: Uuid,
    seal: Seal<'_>,
) -> Result<Receipt> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT log_index, entry_hash FROM receipt ORDER BY log_index DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let (index, previous) = match last {
        Some((index, hash)) => (to_u64(index)? + 1, hash),
        None => (0, GENESIS_HASH.to_owned()),
    };
    receipt.log_index = index;
    receipt.previous_log_hash = previous;
    seal(&mut receipt);
    let entry_hash = receipt
        .entry_hash()
        .map_err(|e| StorageError::Corrupt(format!("sealed receipt: {e}")))?;
    tx.execute(
        &format!(
            "INSERT INTO receipt ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            receipt_columns("")
        ),
        params![
            receipt.receipt_id.to_string(),
            receipt.kind.as_str(),
            receipt.subject_rfc,
            receipt.payload_sha256,
            stamp(receipt.server_time),
            to_i64(index),
            receipt.previous_log_hash,
            receipt.signature,
            entry_hash,
            account.to_string(),
        ],
    )?;
    Ok(receipt)
}

fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

impl Storage for SqliteStorage {
    fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let inserted = self.conn().execute(
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
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(StorageError::Conflict("account")),
            Err(e) => Err(e.into()),
        }
    }

    fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>> {
        let raw = self
            .conn()
            .query_row(
                "SELECT id, role, email, rfc, password_hash FROM account WHERE email = ?1",
                [email],
                account_row,
            )
            .optional()?;
        raw.map(account_from).transpose()
    }

    fn create_session(
        &self,
        token_sha256: &str,
        account: Uuid,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT INTO session (token_sha256, account_id, expires_at) VALUES (?1, ?2, ?3)",
            params![token_sha256, account.to_string(), stamp(expires_at)],
        )?;
        Ok(())
    }

    fn session_account(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<Option<Account>> {
        let raw = self
            .conn()
            .query_row(
                "SELECT a.id, a.role, a.email, a.rfc, a.password_hash FROM session s \
                 JOIN account a ON a.id = s.account_id \
                 WHERE s.token_sha256 = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2",
                params![token_sha256, stamp(now)],
                account_row,
            )
            .optional()?;
        Ok(raw.map(account_from).transpose()?.map(|r| r.account))
    }

    fn revoke_session(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "UPDATE session SET revoked_at = ?2 WHERE token_sha256 = ?1 AND revoked_at IS NULL",
            params![token_sha256, stamp(now)],
        )?;
        Ok(())
    }

    fn has_document(&self, account: Uuid, sha256: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM document WHERE account_id = ?1 AND sha256 = ?2",
                params![account.to_string(), sha256],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn create_upload(&self, upload: &UploadRecord, now: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO upload (id, account_id, size, offset, sha256, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                upload.id.to_string(),
                upload.account.to_string(),
                to_i64(upload.size),
                to_i64(upload.offset),
                upload.sha256,
                stamp(now)
            ],
        )?;
        Ok(())
    }

    fn unfinished_uploads(&self, account: Uuid) -> Result<u32> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM upload WHERE account_id = ?1 AND offset < size",
            [account.to_string()],
            |row| row.get(0),
        )?)
    }

    fn expire_uploads(&self, before: DateTime<Utc>) -> Result<Vec<Uuid>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let ids = tx
            .prepare("DELETE FROM upload WHERE offset < size AND created_at < ?1 RETURNING id")?
            .query_map([stamp(before)], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        tx.commit()?;
        ids.iter().map(|id| uuid(id)).collect()
    }

    fn upload(&self, account: Uuid, id: Uuid) -> Result<Option<UploadRecord>> {
        let raw: Option<(i64, i64, String)> = self
            .conn()
            .query_row(
                "SELECT size, offset, sha256 FROM upload WHERE id = ?1 AND account_id = ?2",
                params![id.to_string(), account.to_string()],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        raw.map(|(size, offset, sha256)| {
            Ok(UploadRecord {
                id,
                account,
                size: to_u64(size)?,
                offset: to_u64(offset)?,
                sha256,
            })
        })
        .transpose()
    }

    fn advance_upload(&self, id: Uuid, from: u64, to: u64) -> Result<bool> {
        let changed = self.conn().execute(
            "UPDATE upload SET offset = ?3 WHERE id = ?1 AND offset = ?2",
            params![id.to_string(), to_i64(from), to_i64(to)],
        )?;
        Ok(changed == 1)
    }

    fn finish_upload(&self, upload: &UploadRecord) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO document (account_id, sha256, size) VALUES (?1, ?2, ?3)",
            params![
                upload.account.to_string(),
                upload.sha256,
                to_i64(upload.size)
            ],
        )?;
        // Kept, complete, so that a client whose last answer was lost can still ask.
        // The same account's other unfinished uploads of these bytes are done too:
        // they are the ones whose creation answer the client lost, which it cannot
        // name, and which would otherwise count against its unfinished uploads.
        tx.execute(
            "UPDATE upload SET offset = size \
             WHERE id = ?1 OR (account_id = ?2 AND sha256 = ?3 AND offset < size)",
            params![
                upload.id.to_string(),
                upload.account.to_string(),
                upload.sha256
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn discard_upload(&self, id: Uuid) -> Result<()> {
        self.conn()
            .execute("DELETE FROM upload WHERE id = ?1", [id.to_string()])?;
        Ok(())
    }

    fn answered(&self, account: Uuid, key: &str) -> Result<Option<Answered>> {
        let found: Option<(String, i64, String)> = self
            .conn()
            .query_row(
                "SELECT fingerprint, status, body FROM idempotency \
                 WHERE account_id = ?1 AND key = ?2",
                params![account.to_string(), key],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        found
            .map(|(fingerprint, status, body)| {
                Ok(Answered {
                    fingerprint,
                    response: StoredResponse {
                        status: u16::try_from(status)
                            .map_err(|_| StorageError::Corrupt(format!("status {status}")))?,
                        body,
                    },
                })
            })
            .transpose()
    }

    fn registrar(&self, rfc: &str) -> Result<Option<Uuid>> {
        let found: Option<String> = self
            .conn()
            .query_row(
                "SELECT registrar_id FROM supplier WHERE rfc = ?1",
                [rfc],
                |row| row.get(0),
            )
            .optional()?;
        found.as_deref().map(uuid).transpose()
    }

    fn accept(
        &self,
        acceptance: &Acceptance,
        scope: IdempotencyScope<'_>,
        receipt: Receipt,
        seal: Seal<'_>,
        respond: Respond<'_>,
    ) -> Result<StoredResponse> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let at = stamp(receipt.server_time);
        let receipt = append_receipt(&tx, receipt, scope.account, seal)?;
        let index = to_i64(receipt.log_index);
        match acceptance {
            Acceptance::Registration(r) => {
                tx.execute(
                    "INSERT OR IGNORE INTO supplier (rfc, registrar_id) VALUES (?1, ?2)",
                    params![r.rfc, r.account.to_string()],
                )?;
                tx.execute(
                    "INSERT INTO registration (submission_id, rfc, account_id, employer, \
                     snapshot, documents, submitted_at, log_index) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        r.submission_id.to_string(),
                        r.rfc,
                        r.account.to_string(),
                        r.employer,
                        r.snapshot,
                        to_json(&r.documents)?,
                        at,
                        index
                    ],
                )
                .map_err(|e| match is_unique_violation(&e) {
                    true => StorageError::Conflict("registration"),
                    false => e.into(),
                })?;
            }
            Acceptance::Bid(b) => {
                tx.execute(
                    "INSERT INTO bid (bid_id, ocid, tenderer_rfc, account_id, snapshot, \
                     documents, amount, currency, submitted_at, log_index) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        b.record_id.to_string(),
                        b.ocid,
                        b.tenderer_rfc,
                        b.account.to_string(),
                        b.snapshot,
                        to_json(&b.documents)?,
                        b.value.amount.to_string(),
                        b.value.currency,
                        at,
                        index
                    ],
                )
                .map_err(|e| match is_unique_violation(&e) {
                    true => StorageError::Conflict("bid"),
                    false => e.into(),
                })?;
            }
        }
        let response = respond(&receipt);
        tx.execute(
            "INSERT INTO idempotency (account_id, key, fingerprint, status, body) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                scope.account.to_string(),
                scope.key,
                scope.fingerprint,
                response.status,
                response.body
            ],
        )?;
        tx.commit()?;
        Ok(response)
    }

    fn supplier_status(&self, rfc: &str) -> Result<Option<SupplierStatus>> {
        let raw: Option<(String, String, String, Option<String>, String)> = self
            .conn()
            .query_row(
                "SELECT submission_id, status, submitted_at, reviewed_at, observations \
                 FROM registration WHERE rfc = ?1 ORDER BY submitted_at DESC, log_index DESC LIMIT 1",
                [rfc],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )
            .optional()?;
        raw.map(|(id, status, submitted, reviewed, observations)| {
            Ok(SupplierStatus {
                rfc: rfc.to_owned(),
                status: parse_status(&status)?,
                submission_id: uuid(&id)?,
                submitted_at: instant(&submitted)?,
                reviewed_at: reviewed.as_deref().map(instant).transpose()?,
                observations: json(&observations)?,
            })
        })
        .transpose()
    }

    fn review(
        &self,
        rfc: &str,
        status: ReviewStatus,
        observations: &[Observation],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let changed = self.conn().execute(
            "UPDATE registration SET status = ?2, reviewed_at = ?3, observations = ?4 \
             WHERE submission_id = (SELECT submission_id FROM registration WHERE rfc = ?1 \
             ORDER BY submitted_at DESC, log_index DESC LIMIT 1)",
            params![
                rfc,
                status_text(status),
                stamp(now),
                to_json(&observations)?
            ],
        )?;
        Ok(changed == 1)
    }

    fn publish_tender(&self, tender: &TenderRecord) -> Result<()> {
        self.conn().execute(
            "INSERT OR IGNORE INTO tender (ocid, release, deadline, opening) VALUES (?1, ?2, ?3, ?4)",
            params![
                tender.release.ocid,
                to_json(&tender.release)?,
                stamp(tender.deadline),
                stamp(tender.opening)
            ],
        )?;
        Ok(())
    }

    fn tenders(&self) -> Result<Vec<TenderRecord>> {
        self.tender_rows("1", &[])
    }

    fn tender(&self, ocid: &str) -> Result<Option<TenderRecord>> {
        Ok(self.tender_rows("ocid = ?1", &[&ocid])?.into_iter().next())
    }

    fn bids(&self, ocid: &str) -> Result<Vec<BidRow>> {
        self.bid_rows("b.ocid = ?1", &[&ocid])
    }

    fn bid(&self, ocid: &str, id: Uuid) -> Result<Option<BidRow>> {
        let id = id.to_string();
        Ok(self
            .bid_rows("b.ocid = ?1 AND b.bid_id = ?2", &[&ocid, &id])?
            .into_iter()
            .next())
    }

    fn log(&self, after: Option<u64>, limit: u32) -> Result<Vec<LogRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM receipt WHERE log_index > ?1 ORDER BY log_index LIMIT ?2",
            receipt_columns("")
        ))?;
        let from = after.map_or(-1, to_i64);
        let raws = stmt
            .query_map(params![from, limit], |row| receipt_row(row, 0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter().map(log_row_from).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_database_from_a_newer_server_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        drop(SqliteStorage::open(dir.path()).unwrap());
        let conn = Connection::open(dir.path().join("server.db")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            SqliteStorage::open(dir.path()),
            Err(StorageError::NewerSchema { found: 99, .. })
        ));
    }

    #[test]
    fn reopening_keeps_the_data_and_tables_are_strict() {
        let dir = tempfile::tempdir().unwrap();
        let account = Account {
            id: Uuid::now_v7(),
            role: Role::Operator,
            email: "op@x.mx".into(),
            rfc: None,
        };
        SqliteStorage::open(dir.path())
            .unwrap()
            .create_account(&account, "hash", Utc::now())
            .unwrap();
        let storage = SqliteStorage::open(dir.path()).unwrap();
        let found = storage.account_by_email("op@x.mx").unwrap().unwrap();
        assert_eq!(found.account, account);
        let wrong_type = storage.conn().execute(
            "INSERT INTO document (account_id, sha256, size) VALUES (?1, 'h', 'grande')",
            [account.id.to_string()],
        );
        assert!(wrong_type.is_err());
    }
}
