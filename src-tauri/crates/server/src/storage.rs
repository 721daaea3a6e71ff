//! What the server keeps, behind a trait so that another database can replace SQLite
//! ([`crate::sqlite::SqliteStorage`]) without touching the HTTP layer. Every method is
//! one transaction; the methods are blocking and called from a blocking thread.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use ventanilla_api::auth::Account;
use ventanilla_api::bid::BidRecord;
use ventanilla_api::documents::DocumentRef;
use ventanilla_api::ocds::Release;
use ventanilla_api::registration::{Observation, ReviewStatus, SupplierStatus};
use ventanilla_api::{Receipt, ReceiptKind};

/// Why the storage could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("the database was written by a newer server (schema {found}, this build knows up to {supported})")]
    NewerSchema { found: i64, supported: i64 },
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// An account with its password hash, for signing in.
#[derive(Clone, Debug)]
pub struct AccountRecord {
    pub account: Account,
    /// Argon2id, PHC string format.
    pub password_hash: String,
}

/// An upload in progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadRecord {
    pub id: Uuid,
    pub account: Uuid,
    pub size: u64,
    pub offset: u64,
    pub sha256: String,
}

/// Who sent an idempotent request, with which key, and a fingerprint of what was sent.
#[derive(Clone, Copy, Debug)]
pub struct IdempotencyScope<'a> {
    pub account: Uuid,
    pub key: &'a str,
    /// SHA-256 of the method, the path and the body.
    pub fingerprint: &'a str,
}

/// A response kept for replaying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    /// JSON.
    pub body: String,
}

/// The first answer given to an idempotency key, and what it answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    /// The fingerprint of the request that used the key first.
    pub fingerprint: String,
    pub response: StoredResponse,
}

/// A registration ready to be recorded.
#[derive(Clone, Debug)]
pub struct NewRegistration {
    pub submission_id: Uuid,
    pub rfc: String,
    pub account: Uuid,
    pub employer: bool,
    pub snapshot: String,
    pub documents: Vec<DocumentRef>,
}

/// A bid ready to be recorded.
#[derive(Clone, Debug)]
pub struct NewBid {
    pub record_id: Uuid,
    pub ocid: String,
    pub tenderer_rfc: String,
    pub account: Uuid,
    pub snapshot: String,
    pub documents: Vec<DocumentRef>,
    pub value: ventanilla_api::ocds::Value,
}

/// A submission to accept, with its receipt, in one transaction.
#[derive(Clone, Debug)]
pub enum Acceptance {
    Registration(NewRegistration),
    Bid(NewBid),
}

impl Acceptance {
    pub fn kind(&self) -> ReceiptKind {
        match self {
            Acceptance::Registration(_) => ReceiptKind::Registration,
            Acceptance::Bid(_) => ReceiptKind::Bid,
        }
    }

    pub fn subject_rfc(&self) -> &str {
        match self {
            Acceptance::Registration(r) => &r.rfc,
            Acceptance::Bid(b) => &b.tenderer_rfc,
        }
    }

    pub fn snapshot(&self) -> &str {
        match self {
            Acceptance::Registration(r) => &r.snapshot,
            Acceptance::Bid(b) => &b.snapshot,
        }
    }
}

/// A tender as published, with the two instants the server enforces.
#[derive(Clone, Debug)]
pub struct TenderRecord {
    /// Without bids: they are added when read, once opened.
    pub release: Release,
    pub deadline: DateTime<Utc>,
    pub opening: DateTime<Utc>,
}

/// A bid and the account that sent it.
#[derive(Clone, Debug)]
pub struct BidRow {
    pub record: BidRecord,
    pub account: Uuid,
}

/// A receipt in the log and the account it belongs to.
#[derive(Clone, Debug)]
pub struct LogRow {
    pub receipt: Receipt,
    pub entry_hash: String,
    pub account: Uuid,
}

/// Seals a receipt: given its fields, fills in its signature.
pub type Seal<'a> = &'a (dyn Fn(&mut Receipt) + Sync);
/// Builds the response to keep for replays from the receipt.
pub type Respond<'a> = &'a (dyn Fn(&Receipt) -> StoredResponse + Sync);

pub trait Storage: Send + Sync {
    /// Fails with [`StorageError::Conflict`] when the email, or a supplier's RFC, is taken.
    fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>>;

    fn create_session(
        &self,
        token_sha256: &str,
        account: Uuid,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// The account of a session neither expired at `now` nor revoked.
    fn session_account(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<Option<Account>>;
    fn revoke_session(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<()>;

    fn has_document(&self, account: Uuid, sha256: &str) -> Result<bool>;
    fn create_upload(&self, upload: &UploadRecord, now: DateTime<Utc>) -> Result<()>;
    /// How many unfinished uploads `account` has.
    fn unfinished_uploads(&self, account: Uuid) -> Result<u32>;
    /// Forgets unfinished uploads started before `before`, answering their ids so that
    /// their bytes can be dropped.
    fn expire_uploads(&self, before: DateTime<Utc>) -> Result<Vec<Uuid>>;
    /// The upload, only when it belongs to `account`.
    fn upload(&self, account: Uuid, id: Uuid) -> Result<Option<UploadRecord>>;
    /// Moves the offset from `from` to `to`; false when it was no longer `from`.
    fn advance_upload(&self, id: Uuid, from: u64, to: u64) -> Result<bool>;
    /// The upload became a document of its account; the upload stays, complete.
    fn finish_upload(&self, upload: &UploadRecord) -> Result<()>;
    fn discard_upload(&self, id: Uuid) -> Result<()>;

    /// What `key` was first used for by `account`, if it has been answered.
    fn answered(&self, account: Uuid, key: &str) -> Result<Option<Answered>>;

    /// The account that first registered `rfc`.
    fn registrar(&self, rfc: &str) -> Result<Option<Uuid>>;
    /// Records the submission, appends its receipt to the log (sealed by `seal`), and
    /// keeps `respond`'s answer for `scope`'s key, all in one transaction: the receipt
    /// is on disk before anyone reads it.
    fn accept(
        &self,
        acceptance: &Acceptance,
        scope: IdempotencyScope<'_>,
        receipt: Receipt,
        seal: Seal<'_>,
        respond: Respond<'_>,
    ) -> Result<StoredResponse>;
    fn supplier_status(&self, rfc: &str) -> Result<Option<SupplierStatus>>;
    /// Sets the latest registration's review; false when `rfc` has none.
    fn review(
        &self,
        rfc: &str,
        status: ReviewStatus,
        observations: &[Observation],
        now: DateTime<Utc>,
    ) -> Result<bool>;

    /// Adds a tender unless one with its ocid exists.
    fn publish_tender(&self, tender: &TenderRecord) -> Result<()>;
    fn tenders(&self) -> Result<Vec<TenderRecord>>;
    fn tender(&self, ocid: &str) -> Result<Option<TenderRecord>>;
    fn bids(&self, ocid: &str) -> Result<Vec<BidRow>>;
    fn bid(&self, ocid: &str, id: Uuid) -> Result<Option<BidRow>>;

    /// Log entries with index greater than `after` (all when `None`), at most `limit`.
    fn log(&self, after: Option<u64>, limit: u32) -> Result<Vec<LogRow>>;
}
