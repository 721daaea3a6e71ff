//! The outbox drain: for each submission still on its way, the documents the server
//! lacks are uploaded (asked for by hash first, sent in resumable chunks), then the
//! submission itself with its idempotency key; the receipt is verified with the pinned
//! key, and checked to be about this very submission, before the item is marked sent.
//! Transient failures wait with capped, jittered backoff; a refusal stops its item
//! only; a lost session or a changed key stops the drain. Then the review status of
//! each registration sent is pulled back, and the requirement catalogue refreshed.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};

use chrono::{DateTime, Duration as Span, Utc};
use futures_util::{stream, StreamExt, TryStreamExt};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use ventanilla_api::documents::{CreateUpload, UploadStatus, MAX_CHUNK_BYTES};
use ventanilla_api::registration::SupplierStatus;
use ventanilla_api::{
    ProblemType, Receipt, ReceiptKind, IDEMPOTENCY_KEY, UPLOAD_CONTENT_TYPE, UPLOAD_OFFSET,
};
use ventanilla_core::stamp::format as stamp;
use ventanilla_core::{Failure, FailureCode, Locale};
use ventanilla_store::{
    BusinessEntry, BusinessStore, Library, OutboxItem, OutboxState, PinnedKey, ReviewRecord,
    StoreError, StoredReceipt, Submission, SubmissionKind, TenderSource, VaultFile,
};

use crate::client::{backoff, Answer, Client, ClientOptions, Expect};
use crate::error::{Result, SyncError};
use crate::session::{check_key, client_for};

/// How far apart the server's clock and ours may be before a receipt's time is not
/// believed.
const CLOCK_TOLERANCE_HOURS: i64 = 24;

/// How a drain runs.
#[derive(Clone, Debug)]
pub struct DrainOptions {
    /// Every pending item now (the person pressed "Sincronizar ahora", or the CLI);
    /// else only those whose next attempt is due.
    pub everything_now: bool,
    /// Bytes per upload chunk: a cut re-sends at most this much.
    pub chunk_bytes: usize,
    /// How long a pulled review status is fresh enough not to ask again.
    pub status_fresh_for: Span,
    /// How the client connects and retries.
    pub client: ClientOptions,
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            everything_now: true,
            chunk_bytes: 4 * 1024 * 1024,
            status_fresh_for: Span::minutes(15),
            client: ClientOptions::default(),
        }
    }
}

/// Where the item being sent stands, for a progress bar.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The business whose outbox holds the item.
    pub business: String,
    /// The submission being sent.
    pub submission: String,
    /// Document bytes the server holds, of those this submission needed sent.
    pub bytes_done: u64,
    /// Document bytes this submission needed sent in all.
    pub bytes_total: u64,
}

/// One item in a drain's summary.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct ItemReport {
    /// The business whose outbox holds it.
    pub business: String,
    /// The submission's id.
    pub submission: String,
    /// A registration or a bid.
    pub kind: SubmissionKind,
    /// The RFC it is about.
    pub rfc: String,
    /// The verified receipt's id, once sent.
    pub receipt_id: Option<String>,
    /// Why it is not sent, in Spanish.
    pub reason: Option<String>,
}

/// Why a whole drain stopped.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    /// A stable code for the reason, as [`SyncError::code`] gives it.
    pub code: String,
    /// What the person is told, worded when shown.
    #[serde(skip)]
    pub failure: Failure,
    /// The same in Spanish, for the CLI.
    pub message: String,
    /// After a changed key: the one the server publishes now, which the person may
    /// choose to trust once the alcaldía confirms it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_key: Option<String>,
}

impl From<&SyncError> for Stop {
    fn from(error: &SyncError) -> Stop {
        Stop {
            code: error.code().to_owned(),
            failure: error.failure(),
            message: error.message(),
            published_key: match error {
                SyncError::KeyChanged { published, .. } => Some(published.clone()),
                _ => None,
            },
        }
    }
}

/// A business whose own database does not open, so whatever it has queued cannot go
/// out until it is restored.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct DamagedReport {
    /// The business's id.
    pub business: String,
    /// Its RFC, as the index of businesses recorded it.
    pub rfc: String,
    /// Its name, as the index of businesses recorded it.
    pub name: String,
    /// Its submissions not yet sent when it last opened; `None`: not known (it may
    /// have some).
    pub unsent: Option<u32>,
    /// What is wrong and what to do, in Spanish.
    pub message: String,
}

/// What a drain did, and everything still not sent, whether this drain met it or not:
/// a summary never looks clean while something waits for a person.
#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct DrainSummary {
    /// The server answered the reachability check.
    pub online: bool,
    /// Set when the drain stopped before its end (no server, signed out, key changed).
    pub stopped: Option<Stop>,
    /// The submissions this drain sent, each with its verified receipt.
    pub sent: Vec<ItemReport>,
    /// Every submission held for a person to look at, held now or by an earlier
    /// drain; `ventanilla retry` (or "Reintentar") puts one back in the queue.
    pub needs_attention: Vec<ItemReport>,
    /// Still on their way: offline, left for a later try, or not due yet.
    pub pending: Vec<ItemReport>,
    /// Businesses that do not open and have (or may have) submissions not sent.
    pub damaged: Vec<DamagedReport>,
    /// Locked businesses with (or perhaps with) submissions not sent: they wait, safe,
    /// until they are unlocked (their RFC is not known then: `rfc` is empty and `name`
    /// is the label).
    pub locked: Vec<DamagedReport>,
    /// Document bytes sent in chunks during this drain.
    pub document_bytes_sent: u64,
    /// A new requirement catalogue was received and is now in use.
    pub catalogue_updated: bool,
    /// A new bank catalogue was received and is now in use.
    pub banks_updated: bool,
    /// Tenders the server's list added or changed in the local catalogue; `None` when
    /// it had not changed since the last drain (304) or could not be read.
    pub tenders_updated: Option<usize>,
    /// Registrations whose review status was pulled.
    pub statuses_pulled: u32,
}

fn report(business: &str, item: &OutboxItem, reason: Option<&Failure>) -> ItemReport {
    ItemReport {
        business: business.to_owned(),
        submission: item.submission.id.clone(),
        kind: item.submission.kind.clone(),
        rfc: item.submission.rfc.clone(),
        receipt_id: item.receipt.as_ref().map(|r| r.receipt_id.clone()),
        reason: reason.map(|f| f.message(Locale::Es)),
    }
}

/// Which held submissions to put back in the queue.
#[derive(Clone, Copy, Debug)]
pub enum Retry<'a> {
    /// The submission with this id (whichever business holds it).
    One(&'a str),
    /// Every held submission of every business that opens.
    All,
}

/// Puts held submissions back in the queue, due now, with the same frozen snapshot and
/// idempotency key (the server accepts each at most once); answers those put back,
/// each with why it had been held. A submission that is not held, or not known, is
/// refused.
pub fn retry_held(library: &Library, which: Retry) -> Result<Vec<ItemReport>, StoreError> {
    let retry = |business_id: &str, business: &BusinessStore, item: &OutboxItem| {
        business.retry_submission(&item.submission.id)?;
        Ok::<_, StoreError>(report(business_id, item, item.last_error.as_ref()))
    };
    match which {
        Retry::One(id) => {
            let business_id = library.find_submission(id)?;
            let business = library.open_business(&business_id)?;
            let item = business.outbox_item(id)?;
            Ok(vec![retry(&business_id, &business, &item)?])
        }
        Retry::All => {
            let mut retried = Vec::new();
            for entry in library.list_businesses("")? {
                // A damaged business is listed by every sync; nothing of it can move.
                let Ok(business) = library.open_business(&entry.id) else {
                    continue;
                };
                for item in business.held_submissions()? {
                    retried.push(retry(&entry.id, &business, &item)?);
                }
            }
            Ok(retried)
        }
    }
}

/// The route a submission of `kind` is sent to.
fn route(submission: &Submission) -> (Method, String) {
    match &submission.kind {
        SubmissionKind::Registration => (
            Method::PUT,
            format!("/v1/suppliers/{}/registration", submission.rfc),
        ),
        SubmissionKind::Bid { ocid } => (Method::POST, format!("/v1/tenders/{ocid}/bids")),
        SubmissionKind::Question { ocid } => {
            (Method::POST, format!("/v1/tenders/{ocid}/enquiries"))
        }
    }
}

fn receipt_kind(kind: &SubmissionKind) -> ReceiptKind {
    match kind {
        SubmissionKind::Registration => ReceiptKind::Registration,
        SubmissionKind::Bid { .. } => ReceiptKind::Bid,
        SubmissionKind::Question { .. } => ReceiptKind::Question,
    }
}

/// The part of an acceptance (a registration's or a bid's) the client checks.
#[derive(Deserialize)]
struct Accepted {
    #[serde(alias = "bid_id")]
    submission_id: Uuid,
    receipt: Receipt,
}

/// Checks that `receipt` is the server's signed word that it accepted `submission`:
/// signed by the pinned key, of its kind, about its RFC and the hash of its snapshot,
/// binding the hash of its e.firma (or none, for an unsigned one), stamped by a clock
/// not far from ours.
pub fn verify_receipt(
    receipt: &Receipt,
    key: &PinnedKey,
    submission: &Submission,
    now: DateTime<Utc>,
) -> Result<()> {
    let published = ventanilla_api::PublicKey {
        key_id: key.key_id.clone(),
        algorithm: "Ed25519".to_owned(),
        public_key: key.public_key.clone(),
    };
    let verifying = published
        .verifying_key()
        .map_err(|_| SyncError::Receipt(FailureCode::ReceiptPinnedKeyUnusable.into()))?;
    receipt
        .verify(&verifying)
        .map_err(|_| SyncError::Receipt(FailureCode::ReceiptSignature.into()))?;
    let expected_hash = ventanilla_api::sha256_hex(submission.snapshot.as_bytes());
    if receipt.payload_sha256 != submission.sha256 || receipt.payload_sha256 != expected_hash {
        return Err(SyncError::Receipt(FailureCode::ReceiptFingerprint.into()));
    }
    let signature_sha256 = submission
        .signature
        .as_deref()
        .map(ventanilla_api::sha256_hex);
    if receipt.signature_sha256 != signature_sha256 {
        return Err(SyncError::Receipt(
            FailureCode::ReceiptOtherSignature.into(),
        ));
    }
    if receipt.kind != receipt_kind(&submission.kind) || receipt.subject_rfc != submission.rfc {
        return Err(SyncError::Receipt(
            FailureCode::ReceiptOtherSubmission.into(),
        ));
    }
    let skew = (receipt.server_time - now).num_hours().abs();
    if skew > CLOCK_TOLERANCE_HOURS {
        return Err(SyncError::Receipt(
            Failure::from(FailureCode::ReceiptClock)
                .with("server", stamp(receipt.server_time))
                .with("local", stamp(now)),
        ));
    }
    Ok(())
}

/// Businesses whose outboxes are worked at the same time. One business's items go in
/// order (a registration before the bids that rely on it).
const BUSINESSES_AT_ONCE: usize = 3;

/// Documents of one submission asked for, or uploaded, at the same time: while one
/// request waits on the server's disk, another is on the wire. With
/// [`BUSINESSES_AT_ONCE`] it stays under the server's limit of unfinished uploads per
/// account (20).
const DOCUMENTS_AT_ONCE: usize = 4;

/// One drain over every business's outbox.
pub struct Drain<'a> {
    library: &'a Library,
    options: DrainOptions,
    progress: &'a (dyn Fn(&Progress) + Sync),
    // Items of several businesses are in flight at once, all in this one task.
    summary: RefCell<DrainSummary>,
    /// Businesses whose outbox is in the summary whole (or that are listed damaged).
    surveyed: RefCell<HashSet<String>>,
}

/// The upload progress of one submission, advanced by each of its documents.
struct Sending<'a> {
    business: &'a BusinessStore,
    progress: RefCell<Progress>,
    report: &'a (dyn Fn(&Progress) + Sync),
}

impl Sending<'_> {
    /// `bytes` more are held by the server.
    fn advance(&self, bytes: u64) -> Result<()> {
        let mut progress = self.progress.borrow_mut();
        progress.bytes_done += bytes;
        self.business.record_progress(
            &progress.submission,
            progress.bytes_done,
            progress.bytes_total,
        )?;
        (self.report)(&progress);
        Ok(())
    }
}

impl<'a> Drain<'a> {
    /// A drain of every business in `library`, calling `progress` as document bytes reach the server.
    pub fn new(
        library: &'a Library,
        options: DrainOptions,
        progress: &'a (dyn Fn(&Progress) + Sync),
    ) -> Drain<'a> {
        Drain {
            library,
            options,
            progress,
            summary: RefCell::default(),
            surveyed: RefCell::default(),
        }
    }

    /// Runs the drain to its end (or its stop) and answers what it did, with every
    /// submission still not sent.
    pub async fn run(self) -> DrainSummary {
        if let Err(e) = self.contact().await {
            self.summary.borrow_mut().stopped = Some(Stop::from(&e));
        }
        self.list_remaining();
        self.summary.into_inner()
    }

    /// Every business. Each is opened only when its turn comes, so a chamber's
    /// thousand businesses never hold a thousand databases open at once.
    fn businesses(&self) -> Result<Vec<BusinessEntry>> {
        Ok(self.library.list_businesses("")?)
    }

    /// The business, unless it does not open: then it is listed as damaged when it
    /// has (or may have) submissions not sent, and the others go on.
    fn open(&self, entry: &BusinessEntry) -> Option<BusinessStore> {
        let error = match self.library.open_business(&entry.id) {
            Ok(business) => return Some(business),
            Err(error) => error,
        };
        if self.surveyed.borrow_mut().insert(entry.id.clone()) && entry.unsent != Some(0) {
            let locked = matches!(error, StoreError::Locked { .. });
            let message = if locked {
                Failure::from(FailureCode::UnsentUntilUnlocked).with("label", &entry.summary.name)
            } else {
                Failure::from(FailureCode::UnsentUntilRestored)
                    .with_reason("damage", error.failure())
            };
            let report = DamagedReport {
                business: entry.id.clone(),
                rfc: entry.summary.rfc.clone(),
                name: entry.summary.name.clone(),
                unsent: entry.unsent,
                message: message.message(Locale::Es),
            };
            let mut summary = self.summary.borrow_mut();
            if locked {
                summary.locked.push(report);
            } else {
                summary.damaged.push(report);
            }
        }
        None
    }

    /// Lists what `business` still has to send that the summary does not show yet:
    /// held items (by this drain or an earlier one), and queued ones.
    fn survey(&self, entry: &BusinessEntry, business: &BusinessStore) {
        if !self.surveyed.borrow_mut().insert(entry.id.clone()) {
            return;
        }
        // The awards came with this drain's tenders; a failure here only leaves the
        // home card's word as it was.
        let _ = self.library.record_wins(&entry.id, business);
        let mut summary = self.summary.borrow_mut();
        let summary = &mut *summary;
        let reported: HashSet<&str> = summary
            .sent
            .iter()
            .chain(&summary.needs_attention)
            .chain(&summary.pending)
            .filter(|r| r.business == entry.id)
            .map(|r| r.submission.as_str())
            .collect();
        let unreported = |items: Vec<OutboxItem>| -> Vec<ItemReport> {
            items
                .iter()
                .filter(|item| !reported.contains(item.submission.id.as_str()))
                .map(|item| report(&entry.id, item, item.last_error.as_ref()))
                .collect()
        };
        let held = unreported(business.held_submissions().unwrap_or_default());
        let waiting = unreported(business.pending_submissions(None).unwrap_or_default());
        summary.needs_attention.extend(held);
        summary.pending.extend(waiting);
    }

    /// At the end, stopped or not: every business not surveyed yet, so nothing still
    /// to send looks sent or lost.
    fn list_remaining(&self) {
        let Ok(entries) = self.businesses() else {
            return;
        };
        for entry in entries {
            if self.surveyed.borrow().contains(&entry.id) {
                continue;
            }
            if let Some(business) = self.open(&entry) {
                self.survey(&entry, &business);
            }
        }
    }

    async fn contact(&self) -> Result<()> {
        let anonymous = client_for(self.library, self.options.client.clone())?;
        match anonymous.health().await {
            Ok(_) => {}
            // Not the API answering as it should: said as it is.
            Err(e @ (SyncError::Redirected { .. } | SyncError::TooLarge { .. })) => return Err(e),
            Err(_) => return Err(SyncError::Unreachable("sin respuesta de /v1/health".into())),
        }
        self.summary.borrow_mut().online = true;
        let client = anonymous;
        // The catalogues are public and worth having even when nothing can be sent.
        match self.refresh_catalogue(&client).await {
            Ok(updated) => self.summary.borrow_mut().catalogue_updated = updated,
            Err(e) if e.stops_the_drain() => return Err(e),
            Err(_) => {}
        }
        match self.refresh_banks(&client).await {
            Ok(updated) => self.summary.borrow_mut().banks_updated = updated,
            Err(e) if e.stops_the_drain() => return Err(e),
            Err(_) => {}
        }
        match self.refresh_tenders(&client).await {
            Ok(updated) => self.summary.borrow_mut().tenders_updated = updated,
            Err(e) if e.stops_the_drain() => return Err(e),
            Err(_) => {}
        }
        let key = check_key(self.library, &client).await?;
        if self.library.token()?.is_none() {
            return Err(SyncError::SignedOut("no session token".into()));
        }
        let entries = self.businesses()?;
        let mut outboxes = stream::iter(&entries)
            .map(|entry| self.drain_business(&client, &key, entry))
            .buffer_unordered(BUSINESSES_AT_ONCE);
        // A stop drops the outboxes still in flight: their items stay pending, and
        // their resends are harmless (idempotency keys, uploads resumed).
        while let Some(drained) = outboxes.next().await {
            drained?;
        }
        Ok(())
    }

    /// Sends one business's due items in order, pulls its review status, and lists
    /// what it still has to send.
    async fn drain_business(
        &self,
        client: &Client,
        key: &PinnedKey,
        entry: &BusinessEntry,
    ) -> Result<()> {
        let Some(business) = self.open(entry) else {
            return Ok(());
        };
        let due = (!self.options.everything_now).then(Utc::now);
        for item in business.pending_submissions(due)? {
            self.send_item(client, key, &entry.id, &business, &item)
                .await?;
        }
        self.pull_status(client, &business).await?;
        self.survey(entry, &business);
        // The index's count of what it has not sent follows what this drain sent.
        self.library.record_unsent(&entry.id, &business)?;
        Ok(())
    }

    /// Sends one item and records how it went; answers an error only when the drain
    /// must stop.
    async fn send_item(
        &self,
        client: &Client,
        key: &PinnedKey,
        business_id: &str,
        business: &BusinessStore,
        item: &OutboxItem,
    ) -> Result<()> {
        let id = &item.submission.id;
        business.mark_sending(id)?;
        match self.deliver(client, key, business_id, business, item).await {
            Ok(stored) => {
                business.record_receipt(id, &stored)?;
                let sent = business.outbox_item(id)?;
                self.summary
                    .borrow_mut()
                    .sent
                    .push(report(business_id, &sent, None));
                Ok(())
            }
            Err(e) if e.stops_the_drain() => {
                business.defer_submission(id, Utc::now(), &e.failure())?;
                Err(e)
            }
            Err(e) if e.is_transient() => {
                let retry = &self.options.client.retry;
                let wait = backoff(retry.later_base, retry.later_cap, item.attempts + 1);
                let next = Utc::now() + Span::from_std(wait).unwrap_or_else(|_| Span::hours(1));
                let failure = e.failure();
                business.defer_submission(id, next, &failure)?;
                self.summary
                    .borrow_mut()
                    .pending
                    .push(report(business_id, item, Some(&failure)));
                Ok(())
            }
            Err(e) => {
                let failure = e.failure();
                business.hold_submission(id, &failure)?;
                self.summary.borrow_mut().needs_attention.push(report(
                    business_id,
                    item,
                    Some(&failure),
                ));
                Ok(())
            }
        }
    }

    async fn deliver(
        &self,
        client: &Client,
        key: &PinnedKey,
        business_id: &str,
        business: &BusinessStore,
        item: &OutboxItem,
    ) -> Result<StoredReceipt> {
        let submission = &item.submission;
        let mut distinct = HashSet::new();
        let documents: Vec<&str> = submission
            .documents
            .iter()
            .map(|d| d.sha256.as_str())
            .filter(|sha256| distinct.insert(*sha256))
            .collect();
        let held: Vec<bool> = stream::iter(&documents)
            .map(|sha256| has_document(client, sha256))
            .buffered(DOCUMENTS_AT_ONCE)
            .try_collect()
            .await?;
        let lacking: Vec<&str> = documents
            .iter()
            .zip(held)
            .filter(|(_, held)| !held)
            .map(|(sha256, _)| *sha256)
            .collect();
        let mut total = 0;
        for sha256 in &lacking {
            total += file_size(business, sha256)?;
        }
        let sending = Sending {
            business,
            progress: RefCell::new(Progress {
                business: business_id.to_owned(),
                submission: submission.id.clone(),
                bytes_done: 0,
                bytes_total: total,
            }),
            report: self.progress,
        };
        sending.advance(0)?;
        stream::iter(&lacking)
            .map(|sha256| self.upload(client, &sending, sha256))
            .buffer_unordered(DOCUMENTS_AT_ONCE)
            .try_collect::<Vec<()>>()
            .await?;
        let (method, path) = route(submission);
        let accepted: Accepted = client
            .retrying(|| async {
                let request = client
                    .request(method.clone(), &path)
                    .header(IDEMPOTENCY_KEY, &submission.id)
                    .header("content-type", "application/json")
                    .body(submission.body.clone());
                let answer = client.exchange(request, Expect::SMALL).await?;
                match answer.status {
                    StatusCode::OK | StatusCode::CREATED => answer.json(),
                    _ => Err(in_progress_is_transient(answer.failure())),
                }
            })
            .await?;
        if accepted.submission_id.to_string() != submission.id {
            return Err(SyncError::Receipt(FailureCode::ReceiptOtherId.into()));
        }
        verify_receipt(&accepted.receipt, key, submission, Utc::now())?;
        Ok(StoredReceipt {
            receipt_id: accepted.receipt.receipt_id.to_string(),
            json: serde_json::to_string(&accepted.receipt).unwrap_or_default(),
            key_id: key.key_id.clone(),
            verified_at: ventanilla_core::stamp::now(),
        })
    }

    /// Uploads one file the server lacks, continuing an upload begun earlier (even
    /// by a run that was stopped) from the offset the server reports.
    async fn upload(&self, client: &Client, sending: &Sending<'_>, sha256: &str) -> Result<()> {
        let business = sending.business;
        let size = file_size(business, sha256)?;
        let mut status = match business.upload_id(sha256)? {
            Some(id) => upload_status(client, &id).await?,
            None => None,
        };
        if status.is_none() {
            let created = create_upload(client, sha256, size).await?;
            business.remember_upload(sha256, Some(&created.id.to_string()))?;
            status = Some(created);
        }
        let Some(mut status) = status else {
            return Ok(());
        };
        // What the server holds of this file, as counted in the progress so far.
        let mut counted = status.offset.min(size);
        sending.advance(counted)?;
        let chunk_bytes = self.options.chunk_bytes.clamp(1, MAX_CHUNK_BYTES);
        let missing = |e: std::io::Error| SyncError::Document {
            sha256: sha256.to_owned(),
            reason: Failure::from(FailureCode::DocumentUnreadable).with("detail", e),
        };
        let mut file = open_document(business, sha256)?;
        let mut failures = 0;
        while !status.complete {
            let length = chunk_bytes.min((status.size - status.offset) as usize);
            let mut chunk = vec![0; length];
            file.seek(SeekFrom::Start(status.offset))
                .and_then(|_| file.read_exact(&mut chunk))
                .map_err(missing)?;
            let request = client
                .request(Method::PATCH, &format!("/v1/uploads/{}", status.id))
                .header("content-type", UPLOAD_CONTENT_TYPE)
                .header(UPLOAD_OFFSET, status.offset);
            let outcome = match client.upload(request, chunk).await {
                Ok(answer) if answer.status == StatusCode::OK => answer.json::<UploadStatus>(),
                Ok(answer) => Err(chunk_failure(&answer, sha256)),
                Err(e) => Err(e),
            };
            self.summary.borrow_mut().document_bytes_sent += length as u64;
            match outcome {
                Ok(next) => {
                    failures = 0;
                    status = next;
                }
                Err(e)
                    if e.is_transient() || matches!(e, SyncError::Refused { status: 409, .. }) =>
                {
                    failures += 1;
                    if failures >= client.retry.tries {
                        return Err(e);
                    }
                    let retry = &client.retry;
                    tokio::time::sleep(backoff(retry.base, retry.cap, failures)).await;
                    // Where the server stands now: the next chunk starts there.
                    match upload_status(client, &status.id.to_string()).await? {
                        Some(now) => status = now,
                        None => {
                            business.remember_upload(sha256, None)?;
                            return Err(SyncError::Unreachable(
                                "the upload expired on the server; it starts again".into(),
                            ));
                        }
                    }
                }
                Err(e) => {
                    business.remember_upload(sha256, None)?;
                    return Err(e);
                }
            }
            let now_held = if status.complete { size } else { status.offset };
            sending.advance(now_held.saturating_sub(counted))?;
            counted = counted.max(now_held);
        }
        business.remember_upload(sha256, None)?;
        sending.advance(size.saturating_sub(counted))
    }

    /// Pulls the review of the business's latest registration sent, if any.
    async fn pull_status(&self, client: &Client, business: &BusinessStore) -> Result<()> {
        let Some(latest) = business.outbox()?.into_iter().find(|i| {
            i.submission.kind == SubmissionKind::Registration && i.state == OutboxState::Sent
        }) else {
            return Ok(());
        };
        let fresh_since = Utc::now() - self.options.status_fresh_for;
        let pulled = business.review_status()?;
        if pulled.is_some_and(|r| r.submission == latest.submission.id && r.pulled_at > fresh_since)
        {
            return Ok(());
        }
        let path = format!("/v1/suppliers/{}", latest.submission.rfc);
        let status: SupplierStatus = match client.get_json(&path).await {
            Ok(status) => status,
            Err(e) if e.stops_the_drain() => return Err(e),
            // Not reviewable now (not found, busy): the last status pulled stays.
            Err(_) => return Ok(()),
        };
        let name = serde_json::to_value(status.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        business.record_review(&ReviewRecord {
            status: name,
            submission: status.submission_id.to_string(),
            reviewed_at: status.reviewed_at,
            observations: status
                .observations
                .into_iter()
                .map(|o| (o.requirement, o.text))
                .collect(),
            pulled_at: ventanilla_core::stamp::now(),
        })?;
        self.summary.borrow_mut().statuses_pulled += 1;
        Ok(())
    }

    /// Fetches the requirement catalogue unless the server says ours is current;
    /// answers whether a new one is in use.
    async fn refresh_catalogue(&self, client: &Client) -> Result<bool> {
        let library = self.library;
        let held = library.catalogue_etag()?;
        refresh(client, "/v1/requirements", held, |json, etag| {
            library.replace_catalogue(json)?;
            if let Some(etag) = etag {
                library.set_catalogue_etag(etag)?;
            }
            Ok(())
        })
        .await
    }

    /// Fetches the bank catalogue unless the server says ours is current; answers
    /// whether a new one is in use.
    async fn refresh_banks(&self, client: &Client) -> Result<bool> {
        let library = self.library;
        let held = library.banks_etag()?;
        refresh(client, "/v1/banks", held, |json, etag| {
            library.replace_banks(json)?;
            if let Some(etag) = etag {
                library.set_banks_etag(etag)?;
            }
            Ok(())
        })
        .await
    }

    /// Imports the server's tender list into the catalogue unless it is the one already
    /// held (ETag); the ETag is stored in the import's own transaction.
    async fn refresh_tenders(&self, client: &Client) -> Result<Option<usize>> {
        let etag = self.library.tenders_etag()?;
        let answer = changed_since(client, "/v1/tenders", etag.as_deref(), Expect::TENDERS).await?;
        let Some(answer) = answer else {
            return Ok(None);
        };
        let source = TenderSource::Server {
            etag: answer.header("etag").map(str::to_owned),
        };
        let summary = self.library.import_tenders(&answer.body[..], &source)?;
        Ok(Some(summary.imported + summary.updated))
    }
}

/// Fetches the catalogue at `path` unless it is the one held (ETag `held`), and hands a
/// new one with its ETag to `replace`, which puts it in use; answers whether it did.
async fn refresh(
    client: &Client,
    path: &str,
    held: Option<String>,
    replace: impl FnOnce(&str, Option<&str>) -> Result<()>,
) -> Result<bool> {
    let Some(answer) = changed_since(client, path, held.as_deref(), Expect::CATALOGUE).await?
    else {
        return Ok(false);
    };
    replace(
        &String::from_utf8_lossy(&answer.body),
        answer.header("etag"),
    )?;
    Ok(true)
}

/// `GET path` with If-None-Match: the answer when it changed since `etag` (a JSON body,
/// or the failure is retried as garbage), `None` on 304.
async fn changed_since(
    client: &Client,
    path: &str,
    etag: Option<&str>,
    expect: Expect,
) -> Result<Option<Answer>> {
    client
        .retrying(|| async {
            let mut request = client.request(Method::GET, path);
            if let Some(etag) = etag {
                request = request.header("if-none-match", etag);
            }
            let answer = client.exchange(request, expect).await?;
            match answer.status {
                StatusCode::OK => answer.json::<serde_json::Value>().map(|_| Some(answer)),
                StatusCode::NOT_MODIFIED => Ok(None),
                _ => Err(answer.failure()),
            }
        })
        .await
}

/// A submission the server is still working on (a concurrent resend) is not refused.
fn in_progress_is_transient(error: SyncError) -> SyncError {
    match error {
        SyncError::Refused {
            status,
            detail,
            ref problem,
        } if problem.as_ref().and_then(|p| p.kind())
            == Some(ProblemType::IdempotencyInProgress) =>
        {
            SyncError::Busy { status, detail }
        }
        other => other,
    }
}

/// A refused chunk: an offset mismatch is resumed from the server's offset; a hash
/// mismatch means the vault's file is not what was attached.
fn chunk_failure(answer: &Answer, sha256: &str) -> SyncError {
    let error = answer.failure();
    match &error {
        SyncError::Refused {
            problem: Some(problem),
            ..
        } if problem.kind() == Some(ProblemType::UploadHashMismatch) => SyncError::Document {
            sha256: sha256.to_owned(),
            reason: FailureCode::DocumentAltered.into(),
        },
        _ => error,
    }
}

fn file_size(business: &BusinessStore, sha256: &str) -> Result<u64> {
    open_document(business, sha256).map(|file| file.len())
}

/// A file of the business's vault, opened to read what was attached.
fn open_document(business: &BusinessStore, sha256: &str) -> Result<VaultFile> {
    business
        .open_document(sha256)
        .map_err(|e| SyncError::Document {
            sha256: sha256.to_owned(),
            reason: Failure::from(FailureCode::DocumentUnreadable).with("detail", e),
        })
}

/// Whether the server already holds the file (for this account).
async fn has_document(client: &Client, sha256: &str) -> Result<bool> {
    let path = format!("/v1/documents/{sha256}");
    client
        .retrying(|| async {
            let answer = client
                .exchange(client.request(Method::HEAD, &path), Expect::SMALL)
                .await?;
            match answer.status {
                StatusCode::OK => Ok(true),
                StatusCode::NOT_FOUND => Ok(false),
                _ => Err(answer.failure()),
            }
        })
        .await
}

/// An upload begun earlier, if the server still has it.
async fn upload_status(client: &Client, id: &str) -> Result<Option<UploadStatus>> {
    let path = format!("/v1/uploads/{id}");
    client
        .retrying(|| async {
            let answer = client
                .exchange(client.request(Method::GET, &path), Expect::SMALL)
                .await?;
            match answer.status {
                StatusCode::OK => answer.json().map(Some),
                StatusCode::NOT_FOUND => Ok(None),
                _ => Err(answer.failure()),
            }
        })
        .await
}

async fn create_upload(client: &Client, sha256: &str, size: u64) -> Result<UploadStatus> {
    let form = CreateUpload {
        size,
        sha256: sha256.to_owned(),
    };
    client
        .retrying(|| async {
            let answer = client
                .exchange(
                    client.request(Method::POST, "/v1/uploads").json(&form),
                    Expect::SMALL,
                )
                .await?;
            match answer.status {
                StatusCode::CREATED | StatusCode::OK => answer.json(),
                _ => Err(answer.failure()),
            }
        })
        .await
}
