//! What the server keeps, behind a trait so that the database, SQLite
//! ([`crate::sqlite::SqliteStorage`]) or PostgreSQL ([`crate::postgres::PostgresStorage`]),
//! is chosen at start without touching the HTTP layer. Every method is
//! one transaction. Writes and long reads are blocking and called from a blocking
//! thread. Point reads (one row, or a few, by key) are called straight from request
//! handlers, so an implementation must answer them quickly without waiting for writes
//! (SQLite in WAL mode does, and PostgreSQL's snapshots do): the ones every submission
//! makes are futures ([`PointReads`]), the rarer ones (`has_document`, `upload`,
//! `tender`, `bid`) blocking.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use ventanilla_api::auth::Account;
use ventanilla_api::bid::BidRecord;
use ventanilla_api::documents::DocumentRef;
use ventanilla_api::ocds::Release;
use ventanilla_api::ownership::Delegation;
use ventanilla_api::registration::{Observation, ReviewStatus, SupplierStatus};
use ventanilla_api::{Receipt, ReceiptKind};

/// Why the storage could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database error: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// No connection to the database could be had (it is down, or unreachable).
    #[error("the database does not answer: {0}")]
    Unreachable(String),
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("the database was written by a newer server (schema {found}, this build knows up to {supported})")]
    NewerSchema { found: i64, supported: i64 },
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    /// The migration runner refused this build's own migration list: a defect, not data.
    #[error("the migrations cannot run: {0}")]
    Migration(rusqlite_migration::Error),
    #[error("the submission was not recorded: {0}")]
    NotRecorded(String),
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

/// A current session: whose it is and until when.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub account: Account,
    pub expires_at: DateTime<Utc>,
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

/// A submission's e.firma, verified over its snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Efirma {
    /// The `.p7s` bytes as received, kept as evidence.
    pub p7s: Vec<u8>,
    /// The holder its FIEL certificate names.
    pub signer: String,
    /// The certificate's número de certificado.
    pub certificate_number: String,
    /// Whether the certificate was checked against revocation at receipt.
    pub revocation: ventanilla_api::Revocation,
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
    /// `None` for an unsigned submission (accepted only without a trust store).
    pub efirma: Option<Efirma>,
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
    pub value: ventanilla_api::ocds::Money,
    /// `None` for an unsigned submission (accepted only without a trust store).
    pub efirma: Option<Efirma>,
}

/// A question ready to be recorded.
#[derive(Clone, Debug)]
pub struct NewQuestion {
    pub id: Uuid,
    pub ocid: String,
    /// Who asked: kept for the receipt, never published.
    pub asker_rfc: String,
    pub account: Uuid,
    /// As sent; the receipt signs its bytes.
    pub question: String,
}

/// A submission to accept, with its receipt, in one transaction.
#[derive(Clone, Debug)]
pub enum Acceptance {
    Registration(NewRegistration),
    Bid(NewBid),
    Question(NewQuestion),
}

impl Acceptance {
    pub fn kind(&self) -> ReceiptKind {
        match self {
            Acceptance::Registration(_) => ReceiptKind::Registration,
            Acceptance::Bid(_) => ReceiptKind::Bid,
            Acceptance::Question(_) => ReceiptKind::Question,
        }
    }

    pub fn subject_rfc(&self) -> &str {
        match self {
            Acceptance::Registration(r) => &r.rfc,
            Acceptance::Bid(b) => &b.tenderer_rfc,
            Acceptance::Question(q) => &q.asker_rfc,
        }
    }

    pub fn snapshot(&self) -> &str {
        match self {
            Acceptance::Registration(r) => &r.snapshot,
            Acceptance::Bid(b) => &b.snapshot,
            Acceptance::Question(q) => &q.question,
        }
    }

    pub fn efirma(&self) -> Option<&Efirma> {
        match self {
            Acceptance::Registration(r) => r.efirma.as_ref(),
            Acceptance::Bid(b) => b.efirma.as_ref(),
            Acceptance::Question(_) => None,
        }
    }
}

/// A tender as published, with the instants the server enforces.
#[derive(Clone, Debug)]
pub struct TenderRecord {
    /// Without bids: they are added when read, once opened.
    pub release: Release,
    pub deadline: DateTime<Utc>,
    pub opening: DateTime<Utc>,
    /// The end of the enquiry period; `None`: questions are taken until the deadline.
    pub enquiry_end: Option<DateTime<Utc>>,
}

impl TenderRecord {
    /// Until when questions are taken.
    pub fn questions_until(&self) -> DateTime<Utc> {
        self.enquiry_end.unwrap_or(self.deadline).min(self.deadline)
    }
}

/// A question on a tender with every answer given to it, oldest first. Who asked is
/// not here: nothing built from it can publish the asker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnquiryRow {
    pub id: Uuid,
    pub ocid: String,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    /// Each answer and when it was given; the last is current.
    pub answers: Vec<(String, DateTime<Utc>)>,
}

/// How a tender was decided (its fallo).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AwardOutcome {
    /// A bid won.
    Won(Uuid),
    /// No bid won (desierta).
    Unsuccessful,
    /// The tender was cancelled.
    Cancelled,
}

/// A tender's award, as decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwardRecord {
    pub ocid: String,
    pub outcome: AwardOutcome,
    pub decided_at: DateTime<Utc>,
}

/// The contract signed after a tender's award.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractRecord {
    pub ocid: String,
    pub value: ventanilla_api::ocds::Money,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub signed_at: DateTime<Utc>,
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

/// A handover code waiting for the owner of `rfc` to present it. Only its SHA-256 is
/// kept, so a stolen database claims nothing.
#[derive(Clone, Debug)]
pub struct HandoverRecord {
    pub rfc: String,
    /// Of the code as normalized ([`ventanilla_api::ownership::normalize_handover_code`]).
    pub code_sha256: String,
    pub issued_by: Uuid,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A submission waiting for its place in the receipt log.
pub struct Submission {
    pub acceptance: Acceptance,
    /// Who sent it, under which idempotency key, and the SHA-256 of the method, the
    /// path and the body.
    pub account: Uuid,
    pub key: String,
    pub fingerprint: String,
    /// The receipt's own fields; the log fills in its index, previous hash and
    /// signature.
    pub receipt: Receipt,
    /// Builds, from the sealed receipt, the answer kept for replays.
    pub respond: Box<dyn Fn(&Receipt) -> StoredResponse + Send>,
}

/// Seals a receipt: given its fields, fills in its signature.
pub type Seal<'a> = &'a dyn Fn(&mut Receipt);

/// Who stands behind a business, read at once: all that deciding who acts for it and
/// whether it may bid needs, so that a bid costs one round trip for it, not four.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Standing {
    /// Its supplier account: the business's owner.
    pub owner: Option<Uuid>,
    /// The account that first registered it.
    pub registrar: Option<Uuid>,
    /// Whether the operator asked about holds a delegation for it, current now.
    pub delegated: bool,
    /// The review of its latest registration.
    pub status: Option<ReviewStatus>,
}

/// A tender's deadline and the standing of the RFC a bid is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bidding {
    pub deadline: DateTime<Utc>,
    pub standing: Standing,
}

/// A storage call as a future.
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// `outcome`, as a future that is ready at once.
pub fn at_once<'a, T: Send + 'a>(outcome: Result<T>) -> Pending<'a, T> {
    Box::pin(std::future::ready(outcome))
}

/// The point reads that every signed-in request and every submission makes, as
/// futures the request awaits on its own runtime. SQLite answers them on the spot (in
/// WAL mode a read never waits for a commit), so its futures are ready when made.
/// PostgreSQL sends them on connections that the request's runtime drives, so that a
/// request waiting for its round trip leaves its thread to the others rather than
/// blocking it or handing it to another thread and back.
pub trait PointReads: Send + Sync {
    /// The session, when neither expired at `now` nor revoked.
    fn session<'a>(
        &'a self,
        token_sha256: &'a str,
        now: DateTime<Utc>,
    ) -> Pending<'a, Option<SessionRecord>>;
    /// What `key` was first used for by `account`, if it has been answered.
    fn answered<'a>(&'a self, account: Uuid, key: &'a str) -> Pending<'a, Option<Answered>>;
    /// Who stands behind `rfc`, and whether `operator` holds a delegation for it
    /// current at `now`: one read.
    fn standing<'a>(
        &'a self,
        rfc: &'a str,
        operator: Uuid,
        now: DateTime<Utc>,
    ) -> Pending<'a, Standing>;
    /// What a bid on `ocid` for `rfc` by `operator` depends on, at `now`: the tender's
    /// deadline (its release is not read) and the RFC's standing, in one read; `None`
    /// when there is no such tender.
    fn bidding<'a>(
        &'a self,
        ocid: &'a str,
        rfc: &'a str,
        operator: Uuid,
        now: DateTime<Utc>,
    ) -> Pending<'a, Option<Bidding>>;
    fn supplier_status<'a>(&'a self, rfc: &'a str) -> Pending<'a, Option<SupplierStatus>>;
}

pub trait Storage: PointReads {
    /// Which database this is, as `GET /v1/health` names it: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Whether the database answers a trivial query now.
    fn ping(&self) -> Result<()>;

    /// Fails with [`StorageError::Conflict`]: `"email"` when the email is taken; for a
    /// supplier, `"owner"` when its RFC has a supplier account already and
    /// `"registrar"` when an operator registered it (its owner claims it with
    /// [`Storage::claim_account`]).
    fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Creates the supplier account that claims its RFC with the handover code whose
    /// SHA-256 is `code_sha256`, using the code up, in one transaction. Fails like
    /// [`Storage::create_account`] (but for `"registrar"`), and with
    /// `Conflict("handover")` when no code of that RFC with that hash is current at
    /// `now`.
    fn claim_account(
        &self,
        account: &Account,
        password_hash: &str,
        code_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>>;

    fn create_session(
        &self,
        token_sha256: &str,
        account: Uuid,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    fn revoke_session(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<()>;

    fn has_document(&self, account: Uuid, sha256: &str) -> Result<bool>;
    fn create_upload(&self, upload: &UploadRecord, now: DateTime<Utc>) -> Result<()>;
    /// How many unfinished uploads `account` has.
    fn unfinished_uploads(&self, account: Uuid) -> Result<u32>;
    /// Bytes `account` keeps: its documents, and its unfinished uploads at their
    /// declared size.
    fn stored_bytes(&self, account: Uuid) -> Result<u64>;
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

    /// Keeps `handover` as its RFC's only code: an earlier one is void.
    fn issue_handover(&self, handover: &HandoverRecord) -> Result<()>;
    /// Lets `delegation`'s operator act for its RFC until its expiry, replacing an
    /// earlier grant to the same operator; `granted_by` is the owner.
    fn grant_delegation(&self, delegation: &Delegation, granted_by: Uuid) -> Result<()>;
    /// Ends the operator's delegation for `rfc`; false when it had none.
    fn revoke_delegation(&self, rfc: &str, operator: Uuid) -> Result<bool>;
    /// The delegations of `rfc` current at `now`, soonest to expire first.
    fn delegations(&self, rfc: &str, now: DateTime<Utc>) -> Result<Vec<Delegation>>;
    /// Appends `submissions` to the receipt log in their order, each with its receipt
    /// (sealed by `seal`), what it records and the answer kept for its idempotency key,
    /// in one transaction made durable before this returns: a group commit, one disk
    /// flush for the lot. A submission that cannot be recorded (its bid exists) is
    /// left out alone, with its error as its outcome; the others go in and the log
    /// stays gapless. Fails as a whole only when the transaction does, and then nothing
    /// of it is kept.
    fn accept_all(
        &self,
        submissions: &[Submission],
        seal: Seal<'_>,
    ) -> Result<Vec<Result<StoredResponse>>>;
    /// The snapshot of the latest registration of `rfc`.
    fn registration_snapshot(&self, rfc: &str) -> Result<Option<String>>;
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
    /// Records a tender's award; `Conflict("award")` when it has one already.
    fn record_award(&self, award: &AwardRecord) -> Result<()>;
    fn award(&self, ocid: &str) -> Result<Option<AwardRecord>>;
    /// Records the contract of an awarded tender; `Conflict("contract")` when it has one
    /// already.
    fn record_contract(&self, contract: &ContractRecord) -> Result<()>;
    fn contract(&self, ocid: &str) -> Result<Option<ContractRecord>>;

    /// The questions on `ocid`, oldest first, each with its answers.
    fn enquiries(&self, ocid: &str) -> Result<Vec<EnquiryRow>>;
    /// Gives (or changes) the answer to the question `id` on `ocid`; false when the
    /// tender has no such question.
    fn answer_enquiry(
        &self,
        ocid: &str,
        id: Uuid,
        answer: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    /// Log entries with index greater than `after` (all when `None`), at most `limit`.
    fn log(&self, after: Option<u64>, limit: u32) -> Result<Vec<LogRow>>;
    /// The public key (base64) the log is signed with, if one is recorded; `offered` is
    /// recorded when none is yet. Every server of one log must sign with it: on a
    /// database several instances share, one whose key file is another (not copied
    /// from the others) would sign part of the log with a key the rest does not name.
    fn log_key(&self, offered: Option<&str>) -> Result<Option<String>>;
}

/// A sign-in attempt to judge against the recent failures, and how many of them to
/// read: the newest `address_keep` failures from its address and `email_keep`
/// attempts on its email since `since`.
pub struct SignInAttempt<'a> {
    pub email: &'a str,
    pub from: IpAddr,
    pub now: DateTime<Utc>,
    pub since: DateTime<Utc>,
    pub address_keep: usize,
    pub email_keep: usize,
}

/// The recent failures an attempt is judged by, oldest first: the failed attempts from
/// its address, whatever their email, and the attempts on its email not forgiven by a
/// success (those failed, and those still being checked), with their addresses.
pub struct SignInFailures {
    pub from_address: Vec<DateTime<Utc>>,
    pub on_email: Vec<(DateTime<Utc>, IpAddr)>,
}

/// Judges an attempt by the failures: `Some(instant)` refuses it until then.
pub type SignInJudge<'a> = &'a dyn Fn(&SignInFailures) -> Option<DateTime<Utc>>;

/// An idempotency key `holder` claimed for `account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeasedKey {
    pub account: Uuid,
    pub key: String,
    pub holder: Uuid,
}

/// What claiming an idempotency key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyClaim {
    /// Another holder's claim has not expired.
    Busy,
    /// The claim is the holder's now; with the answer the key was first given, when
    /// its request was already answered (then it is replayed, not run again).
    Taken(Option<Answered>),
}

/// What instances sharing one database agree on through it beyond the data: the time
/// (so that instances whose clocks disagree still agree on a deadline), the
/// idempotency keys whose first request is being processed, and failed sign-ins (so
/// that a guesser gains nothing by spreading guesses over instances). Only a database several
/// servers share has it (PostgreSQL); on SQLite one process owns the data and keeps
/// both itself (the machine's clock, keys in memory).
pub trait Coordination: Send + Sync {
    /// The database's clock, now.
    fn database_time(&self) -> Result<DateTime<Utc>>;
    /// Claims `account`'s idempotency `key` for `holder` until `until`, unless another
    /// holder's claim has not expired at `now`, and reads the key's answer with it: one
    /// round trip.
    fn claim_key<'a>(
        &'a self,
        account: Uuid,
        key: &'a str,
        holder: Uuid,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Pending<'a, KeyClaim>;
    /// Gives each claim of `keys` back (nothing for a holder that has none): in one
    /// round trip, however many, as a batch of submissions frees its keys at once.
    fn release_keys(&self, keys: &[LeasedKey]) -> Result<()>;

    /// Records `attempt` as failed on its email until told otherwise, answering its id,
    /// unless `judge` refuses it given the failures (then the instant it names).
    /// Attempts on one email are judged one at a time, whichever instance takes them.
    fn reserve_sign_in(
        &self,
        attempt: &SignInAttempt<'_>,
        judge: SignInJudge<'_>,
    ) -> Result<std::result::Result<i64, DateTime<Utc>>>;
    /// The attempt's password was wrong: it now counts on its address too.
    fn sign_in_failed(&self, attempt: i64) -> Result<()>;
    /// A success on `email` from `from`: that address's attempts on the email are
    /// forgiven there (they still count on the address).
    fn sign_in_succeeded(&self, email: &str, from: IpAddr) -> Result<()>;
}
