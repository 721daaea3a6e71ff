//! [`Storage`] on one SQLite file, `server.db` in the data folder.
//!
//! Connections each behind a mutex: one appends to the receipt log (whole batches of
//! submissions, see [`Storage::accept_all`]), one does the other writes, and a few
//! only read. WAL mode lets reads run while a write is being committed. Every method is one short
//! transaction and every statement goes through the connection's statement cache.
//! `synchronous = FULL`, because a receipt promises the submission is on disk before
//! the client reads it.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard, TryLockError};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use rust_decimal::Decimal;
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};
use ventanilla_api::bid::BidRecord;
use ventanilla_api::ocds::Money;
use ventanilla_api::ownership::Delegation;
use ventanilla_api::receipt::GENESIS_HASH;
use ventanilla_api::registration::{Observation, ReviewStatus, SupplierStatus};
use ventanilla_api::{Receipt, ReceiptKind};

use crate::storage::{
    Acceptance, AccountRecord, Answered, BidRow, HandoverRecord, LogRow, Result, Seal,
    SessionRecord, Storage, StorageError, StoredResponse, Submission, TenderRecord, UploadRecord,
};

/// The database's file name in the data folder.
pub const DATABASE_FILE: &str = "server.db";

/// `MIGRATIONS[i]` takes the schema from version i to i + 1. Forward only.
const MIGRATIONS: &[&str] = &[
    "
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
",
    "
    CREATE TABLE handover (
        rfc TEXT PRIMARY KEY REFERENCES supplier (rfc),
        code_sha256 TEXT NOT NULL,
        issued_by TEXT NOT NULL REFERENCES account (id),
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE delegation (
        rfc TEXT NOT NULL,
        operator_id TEXT NOT NULL REFERENCES account (id),
        granted_by TEXT NOT NULL REFERENCES account (id),
        granted_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (rfc, operator_id)
    ) STRICT;
",
];

/// The SQLite store.
pub struct SqliteStorage {
    /// Appends to the receipt log ([`Storage::accept_all`]).
    appender: Mutex<Connection>,
    /// Every other write.
    writer: Mutex<Connection>,
    /// Reads only (`query_only`): in WAL mode they never wait for a commit.
    readers: Vec<Mutex<Connection>>,
}

/// Enough readers for the runtime's threads and a few blocking calls at once.
const READERS: usize = 4;

/// A panic while holding a connection cannot leave a transaction half-done (it rolls
/// back when dropped), so a poisoned lock's connection stays usable.
fn locked(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A connection to `path` with the settings every connection needs. `synchronous =
/// FULL`: a commit returns only once the WAL is on disk.
fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
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
        let path = dir.join(DATABASE_FILE);
        // Made here with mode 0600, so that SQLite opens it rather than creating it
        // under the umask; its -wal and -shm files take the database's mode.
        crate::files::private_file()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| {
                let code = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN);
                rusqlite::Error::SqliteFailure(code, Some(format!("{}: {e}", path.display())))
            })?;
        let mut conn = connect(&path)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        if found > supported {
            return Err(StorageError::NewerSchema { found, supported });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version as i64 + 1)?;
            tx.commit()?;
        }
        let reader = || -> Result<Mutex<Connection>> {
            let conn = connect(&path)?;
            conn.pragma_update(None, "query_only", true)?;
            Ok(Mutex::new(conn))
        };
        Ok(SqliteStorage {
            appender: Mutex::new(connect(&path)?),
            writer: Mutex::new(conn),
            readers: (0..READERS).map(|_| reader()).collect::<Result<_>>()?,
        })
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        locked(&self.writer)
    }

    fn appender(&self) -> MutexGuard<'_, Connection> {
        locked(&self.appender)
    }

    /// A free reader, else the first one (waiting for it).
    fn reader(&self) -> MutexGuard<'_, Connection> {
        self.readers
            .iter()
            .find_map(|reader| match reader.try_lock() {
                Ok(conn) => Some(conn),
                Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => None,
            })
            .unwrap_or_else(|| locked(&self.readers[0]))
    }

    fn bid_rows(&self, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<BidRow>> {
        let conn = self.reader();
        let sql = format!(
            "SELECT b.bid_id, b.ocid, b.tenderer_rfc, b.amount, b.currency, b.submitted_at, \
             b.account_id, {} FROM bid b JOIN receipt r ON r.log_index = b.log_index \
             WHERE {filter} ORDER BY b.submitted_at, b.bid_id",
            receipt_columns("r.")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
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
                            value: Money { amount, currency },
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
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(&format!(
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

/// Where the log continues: the next index and the hash the next entry chains to.
struct LogHead {
    index: u64,
    previous: String,
}

fn log_head(conn: &Connection) -> Result<LogHead> {
    let last: Option<(i64, String)> = one(
        conn,
        "SELECT log_index, entry_hash FROM receipt ORDER BY log_index DESC LIMIT 1",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()?;
    Ok(match last {
        Some((index, hash)) => LogHead {
            index: to_u64(index)? + 1,
            previous: hash,
        },
        None => LogHead {
            index: 0,
            previous: GENESIS_HASH.to_owned(),
        },
    })
}

/// Records `submission` as the log entry at `head`: its receipt (sealed here, as the
/// signature covers the index and the previous hash), what it records, and the answer
/// kept for its idempotency key. Answers that answer and the entry's hash.
fn record(
    conn: &Connection,
    submission: &Submission,
    head: &LogHead,
    seal: Seal<'_>,
) -> Result<(StoredResponse, String)> {
    let mut receipt = submission.receipt.clone();
    receipt.log_index = head.index;
    receipt.previous_log_hash = head.previous.clone();
    seal(&mut receipt);
    let entry_hash = receipt
        .entry_hash()
        .map_err(|e| StorageError::Corrupt(format!("sealed receipt: {e}")))?;
    let (at, index) = (stamp(receipt.server_time), to_i64(head.index));
    run(
        conn,
        &format!(
            "INSERT INTO receipt ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            receipt_columns("")
        ),
        params![
            receipt.receipt_id.to_string(),
            receipt.kind.as_str(),
            receipt.subject_rfc,
            receipt.payload_sha256,
            at,
            index,
            receipt.previous_log_hash,
            receipt.signature,
            entry_hash,
            submission.account.to_string(),
        ],
    )?;
    let conflict = |what| {
        move |e: rusqlite::Error| match is_unique_violation(&e) {
            true => StorageError::Conflict(what),
            false => e.into(),
        }
    };
    match &submission.acceptance {
        Acceptance::Registration(r) => {
            run(
                conn,
                "INSERT OR IGNORE INTO supplier (rfc, registrar_id) VALUES (?1, ?2)",
                params![r.rfc, r.account.to_string()],
            )?;
            run(
                conn,
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
            .map_err(conflict("registration"))?;
        }
        Acceptance::Bid(b) => {
            run(
                conn,
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
            .map_err(conflict("bid"))?;
        }
    }
    let response = (submission.respond)(&receipt);
    run(
        conn,
        "INSERT INTO idempotency (account_id, key, fingerprint, status, body) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            submission.account.to_string(),
            submission.key,
            submission.fingerprint,
            response.status,
            response.body
        ],
    )
    .map_err(conflict("idempotency key"))?;
    Ok((response, entry_hash))
}

/// Runs `sql` through the connection's statement cache: parsed once, then reused.
fn run(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// The one row `sql` selects, through the statement cache.
fn one<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    read: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, read)
}

/// Whether `sql` selects a row.
fn exists(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<bool> {
    Ok(one(conn, sql, params, |_| Ok(())).optional()?.is_some())
}

/// Refuses `account` when its email is taken or, for a supplier, when its RFC has an
/// owner, or (unless `claiming`) a registrar.
fn refuse_taken(conn: &Connection, account: &Account, claiming: bool) -> Result<()> {
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
fn insert_account(
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
        let mut conn = self.writer();
        // Immediate: a registration appended meanwhile cannot slip between the checks
        // and the insert.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        refuse_taken(&tx, account, false)?;
        insert_account(tx, account, password_hash, now)
    }

    fn claim_account(
        &self,
        account: &Account,
        password_hash: &str,
        code_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut conn = self.writer();
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

    fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>> {
        let raw = one(
            &self.reader(),
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
        run(
            &self.writer(),
            "INSERT INTO session (token_sha256, account_id, expires_at) VALUES (?1, ?2, ?3)",
            params![token_sha256, account.to_string(), stamp(expires_at)],
        )?;
        Ok(())
    }

    fn session(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<Option<SessionRecord>> {
        let raw = one(
            &self.reader(),
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

    fn revoke_session(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<()> {
        run(
            &self.writer(),
            "UPDATE session SET revoked_at = ?2 WHERE token_sha256 = ?1 AND revoked_at IS NULL",
            params![token_sha256, stamp(now)],
        )?;
        Ok(())
    }

    fn has_document(&self, account: Uuid, sha256: &str) -> Result<bool> {
        exists(
            &self.reader(),
            "SELECT 1 FROM document WHERE account_id = ?1 AND sha256 = ?2",
            params![account.to_string(), sha256],
        )
    }

    fn create_upload(&self, upload: &UploadRecord, now: DateTime<Utc>) -> Result<()> {
        run(
            &self.writer(),
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
        Ok(one(
            &self.reader(),
            "SELECT count(*) FROM upload WHERE account_id = ?1 AND offset < size",
            [account.to_string()],
            |row| row.get(0),
        )?)
    }

    fn stored_bytes(&self, account: Uuid) -> Result<u64> {
        let bytes: i64 = one(
            &self.reader(),
            "SELECT (SELECT coalesce(sum(size), 0) FROM document WHERE account_id = ?1) \
                  + (SELECT coalesce(sum(size), 0) FROM upload \
                     WHERE account_id = ?1 AND offset < size)",
            [account.to_string()],
            |row| row.get(0),
        )?;
        to_u64(bytes)
    }

    fn expire_uploads(&self, before: DateTime<Utc>) -> Result<Vec<Uuid>> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let ids = tx
            .prepare_cached(
                "DELETE FROM upload WHERE offset < size AND created_at < ?1 RETURNING id",
            )?
            .query_map([stamp(before)], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        tx.commit()?;
        ids.iter().map(|id| uuid(id)).collect()
    }

    fn upload(&self, account: Uuid, id: Uuid) -> Result<Option<UploadRecord>> {
        let raw: Option<(i64, i64, String)> = one(
            &self.reader(),
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
        let changed = run(
            &self.writer(),
            "UPDATE upload SET offset = ?3 WHERE id = ?1 AND offset = ?2",
            params![id.to_string(), to_i64(from), to_i64(to)],
        )?;
        Ok(changed == 1)
    }

    fn finish_upload(&self, upload: &UploadRecord) -> Result<()> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        run(
            &tx,
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
        run(
            &tx,
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
        run(
            &self.writer(),
            "DELETE FROM upload WHERE id = ?1",
            [id.to_string()],
        )?;
        Ok(())
    }

    fn answered(&self, account: Uuid, key: &str) -> Result<Option<Answered>> {
        let found: Option<(String, i64, String)> = one(
            &self.reader(),
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
        let found: Option<String> = one(
            &self.reader(),
            "SELECT registrar_id FROM supplier WHERE rfc = ?1",
            [rfc],
            |row| row.get(0),
        )
        .optional()?;
        found.as_deref().map(uuid).transpose()
    }

    fn owner(&self, rfc: &str) -> Result<Option<Uuid>> {
        let found: Option<String> = one(
            &self.reader(),
            "SELECT id FROM account WHERE role = 'supplier' AND rfc = ?1",
            [rfc],
            |row| row.get(0),
        )
        .optional()?;
        found.as_deref().map(uuid).transpose()
    }

    fn issue_handover(&self, handover: &HandoverRecord) -> Result<()> {
        run(
            &self.writer(),
            "INSERT OR REPLACE INTO handover (rfc, code_sha256, issued_by, issued_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                handover.rfc,
                handover.code_sha256,
                handover.issued_by.to_string(),
                stamp(handover.issued_at),
                stamp(handover.expires_at)
            ],
        )?;
        Ok(())
    }

    fn grant_delegation(&self, delegation: &Delegation, granted_by: Uuid) -> Result<()> {
        run(
            &self.writer(),
            "INSERT OR REPLACE INTO delegation (rfc, operator_id, granted_by, granted_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                delegation.rfc,
                delegation.operator_id.to_string(),
                granted_by.to_string(),
                stamp(delegation.granted_at),
                stamp(delegation.expires_at)
            ],
        )?;
        Ok(())
    }

    fn revoke_delegation(&self, rfc: &str, operator: Uuid) -> Result<bool> {
        let removed = run(
            &self.writer(),
            "DELETE FROM delegation WHERE rfc = ?1 AND operator_id = ?2",
            params![rfc, operator.to_string()],
        )?;
        Ok(removed == 1)
    }

    fn delegations(&self, rfc: &str, now: DateTime<Utc>) -> Result<Vec<Delegation>> {
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(
            "SELECT d.operator_id, a.email, d.granted_at, d.expires_at FROM delegation d \
             JOIN account a ON a.id = d.operator_id \
             WHERE d.rfc = ?1 AND d.expires_at > ?2 ORDER BY d.expires_at, d.operator_id",
        )?;
        let raws = stmt
            .query_map(params![rfc, stamp(now)], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|(operator, email, granted, expires)| {
                Ok(Delegation {
                    rfc: rfc.to_owned(),
                    operator_id: uuid(&operator)?,
                    operator_email: email,
                    granted_at: instant(&granted)?,
                    expires_at: instant(&expires)?,
                })
            })
            .collect()
    }

    fn delegated(&self, rfc: &str, operator: Uuid, now: DateTime<Utc>) -> Result<bool> {
        exists(
            &self.reader(),
            "SELECT 1 FROM delegation WHERE rfc = ?1 AND operator_id = ?2 AND expires_at > ?3",
            params![rfc, operator.to_string(), stamp(now)],
        )
    }

    fn accept_all(
        &self,
        submissions: &[Submission],
        seal: Seal<'_>,
    ) -> Result<Vec<Result<StoredResponse>>> {
        let mut conn = self.appender();
        let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut head = log_head(&tx)?;
        let mut outcomes = Vec::with_capacity(submissions.len());
        for submission in submissions {
            let savepoint = tx.savepoint()?;
            match record(&savepoint, submission, &head, seal) {
                Ok((response, entry_hash)) => {
                    savepoint.commit()?;
                    head = LogHead {
                        index: head.index + 1,
                        previous: entry_hash,
                    };
                    outcomes.push(Ok(response));
                }
                // Dropping the savepoint rolls back this submission alone.
                Err(e) => outcomes.push(Err(e)),
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    fn supplier_status(&self, rfc: &str) -> Result<Option<SupplierStatus>> {
        let raw: Option<(String, String, String, Option<String>, String)> = one(&self.reader(),
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
        let changed = run(
            &self.writer(),
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
        run(&self.writer(),
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

    fn deadline(&self, ocid: &str) -> Result<Option<DateTime<Utc>>> {
        let found: Option<String> = one(
            &self.reader(),
            "SELECT deadline FROM tender WHERE ocid = ?1",
            [ocid],
            |row| row.get(0),
        )
        .optional()?;
        found.as_deref().map(instant).transpose()
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
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(&format!(
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

    fn bid(account: Uuid, ocid: &str, rfc: &str) -> Submission {
        let id = Uuid::now_v7();
        let snapshot = format!("{{\"rfc\":\"{rfc}\"}}");
        Submission {
            receipt: Receipt {
                receipt_id: Uuid::now_v7(),
                kind: ReceiptKind::Bid,
                subject_rfc: rfc.to_owned(),
                payload_sha256: ventanilla_api::sha256_hex(snapshot.as_bytes()),
                // As stored: to the microsecond.
                server_time: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
                log_index: 0,
                previous_log_hash: String::new(),
                signature: String::new(),
            },
            acceptance: Acceptance::Bid(crate::storage::NewBid {
                record_id: id,
                ocid: ocid.to_owned(),
                tenderer_rfc: rfc.to_owned(),
                account,
                snapshot,
                documents: Vec::new(),
                value: Money {
                    amount: Decimal::ONE_HUNDRED,
                    currency: "MXN".to_owned(),
                },
            }),
            account,
            key: id.to_string(),
            fingerprint: "f".to_owned(),
            respond: Box::new(|r| StoredResponse {
                status: 201,
                body: serde_json::to_string(r).unwrap(),
            }),
        }
    }

    #[test]
    fn a_refused_submission_leaves_the_rest_of_its_batch_recorded_and_chained() {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(dir.path()).unwrap();
        crate::sandbox::seed(&storage, Utc::now()).unwrap();
        let ocid = storage.tenders().unwrap()[0].release.ocid.clone();
        let account = Account {
            id: Uuid::now_v7(),
            role: Role::Operator,
            email: "op@x.mx".into(),
            rfc: None,
        };
        storage
            .create_account(&account, "hash", Utc::now())
            .unwrap();
        let signer = crate::signing::ReceiptSigner::load_or_create(dir.path()).unwrap();
        let key = signer.public_key().verifying_key().unwrap();
        let seal = |r: &mut Receipt| signer.seal(r);

        let first = vec![bid(account.id, &ocid, "AAA010203AB1")];
        assert!(storage.accept_all(&first, &seal).unwrap()[0].is_ok());
        // The second bid of the same bidder on the same tender is refused, alone.
        let batch = vec![
            bid(account.id, &ocid, "BBB010203AB1"),
            bid(account.id, &ocid, "AAA010203AB1"),
            bid(account.id, &ocid, "CCC010203AB1"),
        ];
        let outcomes = storage.accept_all(&batch, &seal).unwrap();
        assert!(matches!(outcomes[1], Err(StorageError::Conflict("bid"))));
        let answered: Vec<Receipt> = [&outcomes[0], &outcomes[2]]
            .into_iter()
            .map(|o| serde_json::from_str(&o.as_ref().unwrap().body).unwrap())
            .collect();
        assert_eq!(storage.answered(account.id, &batch[1].key).unwrap(), None);
        assert!(storage
            .answered(account.id, &batch[2].key)
            .unwrap()
            .is_some());

        let log = storage.log(None, 10).unwrap();
        assert_eq!(log.len(), 3);
        let mut previous = GENESIS_HASH.to_owned();
        for (i, row) in log.iter().enumerate() {
            assert_eq!(row.receipt.log_index, i as u64);
            assert_eq!(row.receipt.previous_log_hash, previous);
            assert_eq!(row.receipt.verify(&key), Ok(()));
            assert_eq!(row.receipt.entry_hash().unwrap(), row.entry_hash);
            previous = row.entry_hash.clone();
        }
        assert_eq!(log[1].receipt, answered[0]);
        assert_eq!(log[2].receipt, answered[1]);
        assert_eq!(storage.bids(&ocid).unwrap().len(), 3);
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
        let wrong_type = storage.writer().execute(
            "INSERT INTO document (account_id, sha256, size) VALUES (?1, 'h', 'grande')",
            [account.id.to_string()],
        );
        assert!(wrong_type.is_err());
    }
}
