//! [`Storage`] on one SQLite file, `server.db` in the data folder.
//!
//! Connections each behind a mutex: one appends to the receipt log (whole batches of
//! submissions, see [`Storage::accept_all`]), one does the other writes, and a few
//! only read. WAL mode lets reads run while a write is being committed. Every method is one short
//! transaction and every statement goes through the connection's statement cache.
//! `synchronous = FULL`, because a receipt promises the submission is on disk before
//! the client reads it.
//!
//! The receipt log and its hash chain are in [`receipt_log`], alone, so that they can be
//! reviewed on their own; the other modules each hold one concern's statements. The
//! schema moves forward through the numbered files in `migrations/`, run by
//! `rusqlite_migration` and kept in `PRAGMA user_version`.

mod accounts;
mod documents;
mod enquiries;
mod ownership;
mod receipt_log;
mod registrations;
mod tenders;
mod values;

use std::path::Path;
use std::sync::{Mutex, MutexGuard, TryLockError};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use uuid::Uuid;
use ventanilla_api::auth::Account;
use ventanilla_api::ownership::Delegation;
use ventanilla_api::registration::{Observation, ReviewStatus, SupplierStatus};

use crate::storage::{
    at_once, AccountRecord, Answered, AwardRecord, BidRow, Bidding, ContractRecord, EnquiryRow,
    HandoverRecord, LogRow, Pending, PointReads, Result, Seal, SessionRecord, Standing, Storage,
    StorageError, StoredResponse, Submission, TenderRecord, UploadRecord,
};

/// The database's file name in the data folder.
pub const DATABASE_FILE: &str = "server.db";

/// `MIGRATIONS[i]` takes the schema from version i to i + 1. Forward only: a released
/// file is never edited, a change is a new one.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/001_initial.sql"),
    include_str!("../../migrations/002_handover_and_delegation.sql"),
    include_str!("../../migrations/003_efirma.sql"),
    include_str!("../../migrations/004_award_and_contract.sql"),
    include_str!("../../migrations/005_revocation.sql"),
    include_str!("../../migrations/006_enquiries.sql"),
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

impl SqliteStorage {
    /// Opens (creating) `server.db` in `dir`, applying pending migrations and refusing a
    /// database from a newer server.
    pub fn open(dir: &Path) -> Result<SqliteStorage> {
        SqliteStorage::open_file(&dir.join(DATABASE_FILE))
    }

    /// Opens (creating) the database file at `path`, as [`SqliteStorage::open`] does.
    pub fn open_file(path: &Path) -> Result<SqliteStorage> {
        // Made here with mode 0600, so that SQLite opens it rather than creating it
        // under the umask; its -wal and -shm files take the database's mode.
        crate::files::private_file()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| {
                let code = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN);
                rusqlite::Error::SqliteFailure(code, Some(format!("{}: {e}", path.display())))
            })?;
        let mut conn = connect(path)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        if found > supported {
            return Err(StorageError::NewerSchema { found, supported });
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Migrations::new(MIGRATIONS.iter().copied().map(M::up).collect())
            .to_latest(&mut conn)
            .map_err(|e| match e {
                rusqlite_migration::Error::RusqliteError { err, .. } => StorageError::Sqlite(err),
                other => StorageError::Migration(other),
            })?;
        let reader = || -> Result<Mutex<Connection>> {
            let conn = connect(path)?;
            conn.pragma_update(None, "query_only", true)?;
            Ok(Mutex::new(conn))
        };
        Ok(SqliteStorage {
            appender: Mutex::new(connect(path)?),
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
}

/// Each read is made on the spot: the future is ready when returned.
impl PointReads for SqliteStorage {
    fn session<'a>(
        &'a self,
        token_sha256: &'a str,
        now: DateTime<Utc>,
    ) -> Pending<'a, Option<SessionRecord>> {
        at_once(accounts::session(&self.reader(), token_sha256, now))
    }

    fn answered<'a>(&'a self, account: Uuid, key: &'a str) -> Pending<'a, Option<Answered>> {
        at_once(receipt_log::answered(&self.reader(), account, key))
    }

    fn standing<'a>(
        &'a self,
        rfc: &'a str,
        operator: Uuid,
        now: DateTime<Utc>,
    ) -> Pending<'a, Standing> {
        at_once(ownership::standing(&self.reader(), rfc, operator, now))
    }

    fn bidding<'a>(
        &'a self,
        ocid: &'a str,
        rfc: &'a str,
        operator: Uuid,
        now: DateTime<Utc>,
    ) -> Pending<'a, Option<Bidding>> {
        at_once(ownership::bidding(&self.reader(), ocid, rfc, operator, now))
    }

    fn supplier_status<'a>(&'a self, rfc: &'a str) -> Pending<'a, Option<SupplierStatus>> {
        at_once(registrations::supplier_status(&self.reader(), rfc))
    }
}

impl Storage for SqliteStorage {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn ping(&self) -> Result<()> {
        Ok(self.reader().execute_batch("SELECT 1")?)
    }

    fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        accounts::create_account(&mut self.writer(), account, password_hash, now)
    }

    fn claim_account(
        &self,
        account: &Account,
        password_hash: &str,
        code_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        accounts::claim_account(&mut self.writer(), account, password_hash, code_sha256, now)
    }

    fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>> {
        accounts::account_by_email(&self.reader(), email)
    }

    fn create_session(
        &self,
        token_sha256: &str,
        account: Uuid,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        accounts::create_session(&self.writer(), token_sha256, account, expires_at)
    }

    fn revoke_session(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<()> {
        accounts::revoke_session(&self.writer(), token_sha256, now)
    }

    fn has_document(&self, account: Uuid, sha256: &str) -> Result<bool> {
        documents::has_document(&self.reader(), account, sha256)
    }

    fn create_upload(&self, upload: &UploadRecord, now: DateTime<Utc>) -> Result<()> {
        documents::create_upload(&self.writer(), upload, now)
    }

    fn unfinished_uploads(&self, account: Uuid) -> Result<u32> {
        documents::unfinished_uploads(&self.reader(), account)
    }

    fn stored_bytes(&self, account: Uuid) -> Result<u64> {
        documents::stored_bytes(&self.reader(), account)
    }

    fn expire_uploads(&self, before: DateTime<Utc>) -> Result<Vec<Uuid>> {
        documents::expire_uploads(&mut self.writer(), before)
    }

    fn upload(&self, account: Uuid, id: Uuid) -> Result<Option<UploadRecord>> {
        documents::upload(&self.reader(), account, id)
    }

    fn advance_upload(&self, id: Uuid, from: u64, to: u64) -> Result<bool> {
        documents::advance_upload(&self.writer(), id, from, to)
    }

    fn finish_upload(&self, upload: &UploadRecord) -> Result<()> {
        documents::finish_upload(&mut self.writer(), upload)
    }

    fn discard_upload(&self, id: Uuid) -> Result<()> {
        documents::discard_upload(&self.writer(), id)
    }

    fn issue_handover(&self, handover: &HandoverRecord) -> Result<()> {
        ownership::issue_handover(&self.writer(), handover)
    }

    fn grant_delegation(&self, delegation: &Delegation, granted_by: Uuid) -> Result<()> {
        ownership::grant_delegation(&self.writer(), delegation, granted_by)
    }

    fn revoke_delegation(&self, rfc: &str, operator: Uuid) -> Result<bool> {
        ownership::revoke_delegation(&self.writer(), rfc, operator)
    }

    fn delegations(&self, rfc: &str, now: DateTime<Utc>) -> Result<Vec<Delegation>> {
        ownership::delegations(&self.reader(), rfc, now)
    }

    fn accept_all(
        &self,
        submissions: &[Submission],
        seal: Seal<'_>,
    ) -> Result<Vec<Result<StoredResponse>>> {
        receipt_log::accept_all(&mut self.appender(), submissions, seal)
    }

    fn review(
        &self,
        rfc: &str,
        status: ReviewStatus,
        observations: &[Observation],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        registrations::review(&self.writer(), rfc, status, observations, now)
    }

    fn registration_snapshot(&self, rfc: &str) -> Result<Option<String>> {
        registrations::registration_snapshot(&self.reader(), rfc)
    }

    fn publish_tender(&self, tender: &TenderRecord) -> Result<()> {
        tenders::publish_tender(&self.writer(), tender)
    }

    fn tenders(&self) -> Result<Vec<TenderRecord>> {
        tenders::tenders(&self.reader())
    }

    fn tender(&self, ocid: &str) -> Result<Option<TenderRecord>> {
        tenders::tender(&self.reader(), ocid)
    }

    fn bids(&self, ocid: &str) -> Result<Vec<BidRow>> {
        tenders::bids(&self.reader(), ocid)
    }

    fn bid(&self, ocid: &str, id: Uuid) -> Result<Option<BidRow>> {
        tenders::bid(&self.reader(), ocid, id)
    }

    fn record_award(&self, award: &AwardRecord) -> Result<()> {
        tenders::record_award(&self.writer(), award)
    }

    fn award(&self, ocid: &str) -> Result<Option<AwardRecord>> {
        tenders::award(&self.reader(), ocid)
    }

    fn record_contract(&self, contract: &ContractRecord) -> Result<()> {
        tenders::record_contract(&self.writer(), contract)
    }

    fn contract(&self, ocid: &str) -> Result<Option<ContractRecord>> {
        tenders::contract(&self.reader(), ocid)
    }

    fn enquiries(&self, ocid: &str) -> Result<Vec<EnquiryRow>> {
        enquiries::enquiries(&self.reader(), ocid)
    }

    fn answer_enquiry(
        &self,
        ocid: &str,
        id: Uuid,
        answer: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        enquiries::answer(&mut self.writer(), ocid, id, answer, now)
    }

    fn log(&self, after: Option<u64>, limit: u32) -> Result<Vec<LogRow>> {
        receipt_log::log(&self.reader(), after, limit)
    }

    /// One process signs this log, with the key in its data folder: nothing to agree
    /// on with other servers.
    fn log_key(&self, offered: Option<&str>) -> Result<Option<String>> {
        Ok(offered.map(str::to_owned))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use ventanilla_api::auth::Role;

    use super::*;

    #[test]
    fn a_database_at_an_older_version_migrates_forward_keeping_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join(DATABASE_FILE)).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO account (id, role, email, rfc, password_hash, created_at) \
             VALUES (?1, 'operator', 'op@x.mx', NULL, 'hash', '2025-01-01T00:00:00.000000Z')",
            [Uuid::now_v7().to_string()],
        )
        .unwrap();
        drop(conn);

        let storage = SqliteStorage::open(dir.path()).unwrap();
        let version: i64 = storage
            .writer()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert!(storage.account_by_email("op@x.mx").unwrap().is_some());
        // The tables of migration 2 exist now.
        assert!(storage
            .delegations("AAA010203AB1", Utc::now())
            .unwrap()
            .is_empty());
    }

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
        let wrong_type = storage.writer().execute(
            "INSERT INTO document (account_id, sha256, size) VALUES (?1, 'h', 'grande')",
            [account.id.to_string()],
        );
        assert!(wrong_type.is_err());
    }
}
