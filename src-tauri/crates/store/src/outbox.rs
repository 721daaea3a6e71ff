//! The transactional outbox of one business: frozen submissions (registration, bids),
//! where each stands on its way to the server, the verified receipts, the uploads
//! begun, and the alcaldía's review pulled back. A submission and its outbox row are
//! written in one transaction, so nothing submitted is ever without its way out; the
//! submission itself is never changed afterwards (a trigger refuses it).

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use ventanilla_core::Failure;

use crate::business::BusinessStore;
use crate::{now, stamp, Result, StoreError};

/// What a submission is.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SubmissionKind {
    /// The registration in the padrón de proveedores.
    Registration,
    /// A bid on the tender `ocid`.
    Bid {
        /// The tender's process id.
        ocid: String,
    },
    /// A question (aclaración) on the tender `ocid`; its snapshot is the question's
    /// text.
    Question {
        /// The tender's process id.
        ocid: String,
    },
}

impl SubmissionKind {
    fn name(&self) -> &'static str {
        match self {
            SubmissionKind::Registration => "registration",
            SubmissionKind::Bid { .. } => "bid",
            SubmissionKind::Question { .. } => "question",
        }
    }

    fn ocid(&self) -> Option<&str> {
        match self {
            SubmissionKind::Registration => None,
            SubmissionKind::Bid { ocid } | SubmissionKind::Question { ocid } => Some(ocid),
        }
    }
}

/// A file a submission references, by its requirement and hash.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct SubmittedDocument {
    /// The code of the requirement it answers.
    pub requirement: String,
    /// The SHA-256 of its content, in lowercase hex, by which the server asks for it.
    pub sha256: String,
}

/// A frozen submission, as stored and as sent.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// A UUID fixed when it was frozen: the payload's id and the `Idempotency-Key`.
    pub id: String,
    /// A registration or a bid.
    pub kind: SubmissionKind,
    /// The RFC it is about.
    pub rfc: String,
    /// The canonical JSON the receipt signs.
    pub snapshot: String,
    /// SHA-256 of `snapshot`.
    pub sha256: String,
    /// The files it references, each sent once by hash.
    pub documents: Vec<SubmittedDocument>,
    /// The exact request body, so that every resend is byte-identical (it carries the
    /// signature too, as base64).
    pub body: String,
    /// The e.firma over `snapshot`: the DER detached CMS (`.p7s`) bytes, when it was
    /// signed. Shown as standard base64.
    #[serde(serialize_with = "serialize_signature")]
    pub signature: Option<Vec<u8>>,
    /// When it was frozen.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    pub created_at: DateTime<Utc>,
}

fn serialize_signature<S: serde::Serializer>(
    signature: &Option<Vec<u8>>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    use base64::Engine;
    let text = signature
        .as_deref()
        .map(|p7s| base64::engine::general_purpose::STANDARD.encode(p7s));
    serializer.serialize_some(&text)
}

/// Where a submission stands on its way to the server.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for a connection (or for its next attempt).
    Queued,
    /// A drain is working on it (or was, when the program stopped: it is resumed).
    Sending,
    /// The server's receipt arrived and verified.
    Sent,
    /// Stopped on something a person must look at; `last_error` says what.
    NeedsAttention,
}

impl OutboxState {
    fn name(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::NeedsAttention => "needs_attention",
        }
    }

    fn parse(name: &str) -> Option<OutboxState> {
        [
            OutboxState::Queued,
            OutboxState::Sending,
            OutboxState::Sent,
            OutboxState::NeedsAttention,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }
}

/// A receipt kept after it verified.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct StoredReceipt {
    /// The server's id of the receipt.
    pub receipt_id: String,
    /// The receipt as the server sent it.
    pub json: String,
    /// The pinned key it verified with.
    pub key_id: String,
    /// When it verified.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    pub verified_at: DateTime<Utc>,
}

/// One submission with its outbox state.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct OutboxItem {
    /// The frozen submission.
    pub submission: Submission,
    /// Where it stands.
    pub state: OutboxState,
    /// How many times a drain has tried to send it since it was last queued.
    pub attempts: u32,
    /// A background drain waits until then.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    pub next_attempt_at: DateTime<Utc>,
    /// What went wrong last, to be worded when shown.
    pub last_error: Option<Failure>,
    /// Document bytes the server holds, of `bytes_total` it needs.
    pub bytes_done: u64,
    /// Document bytes the server needs in all.
    pub bytes_total: u64,
    /// When its state last changed.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    pub updated_at: DateTime<Utc>,
    /// Its receipt, once sent.
    pub receipt: Option<StoredReceipt>,
}

/// The alcaldía's review of the registration, as last pulled.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct ReviewRecord {
    /// `en_revision`, `aprobado` or `rechazado`.
    pub status: String,
    /// The submission the review is about.
    pub submission: String,
    /// When the alcaldía reviewed it, if it has.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize_optional")]
    pub reviewed_at: Option<DateTime<Utc>>,
    /// (requirement, what to correct).
    pub observations: Vec<(String, String)>,
    /// When this review was pulled from the server.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    pub pulled_at: DateTime<Utc>,
}

const ITEM_COLUMNS: &str =
    "s.id, s.kind, s.rfc, s.ocid, s.snapshot, s.sha256, s.body, s.created_at,
     o.state, o.attempts, o.next_attempt_at, o.last_error, o.bytes_done, o.bytes_total,
     o.updated_at, r.receipt_id, r.json, r.key_id, r.verified_at, s.signature";

fn item_from_row(row: &Row) -> rusqlite::Result<OutboxItem> {
    let bad = |column: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.into())
    };
    let kind: String = row.get(1)?;
    let kind = match (kind.as_str(), row.get::<_, Option<String>>(3)?) {
        ("registration", _) => SubmissionKind::Registration,
        ("bid", Some(ocid)) => SubmissionKind::Bid { ocid },
        ("question", Some(ocid)) => SubmissionKind::Question { ocid },
        (other, _) => return Err(bad(1, format!("unknown submission kind {other}"))),
    };
    let state: String = row.get(8)?;
    let state =
        OutboxState::parse(&state).ok_or_else(|| bad(8, format!("unknown state {state}")))?;
    let receipt = match row.get::<_, Option<String>>(15)? {
        Some(receipt_id) => Some(StoredReceipt {
            receipt_id,
            json: row.get(16)?,
            key_id: row.get(17)?,
            verified_at: row.get(18)?,
        }),
        None => None,
    };
    Ok(OutboxItem {
        submission: Submission {
            id: row.get(0)?,
            kind,
            rfc: row.get(2)?,
            snapshot: row.get(4)?,
            sha256: row.get(5)?,
            documents: Vec::new(),
            body: row.get(6)?,
            signature: row.get(19)?,
            created_at: row.get(7)?,
        },
        state,
        attempts: row.get(9)?,
        next_attempt_at: row.get(10)?,
        last_error: row
            .get::<_, Option<String>>(11)?
            .map(|stored| Failure::from_stored(&stored)),
        bytes_done: row.get(12)?,
        bytes_total: row.get(13)?,
        updated_at: row.get(14)?,
        receipt,
    })
}

impl BusinessStore {
    /// Writes a frozen submission and its outbox entry (queued, due now) in one
    /// transaction. Works the same with or without a connection.
    pub fn queue_submission(&self, submission: &Submission) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        tx.execute(
            "INSERT INTO submission (id, kind, rfc, ocid, snapshot, sha256, body, created_at,
                 signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                submission.id,
                submission.kind.name(),
                submission.rfc,
                submission.kind.ocid(),
                submission.snapshot,
                submission.sha256,
                submission.body,
                stamp(submission.created_at),
                submission.signature,
            ],
        )
        .map_err(self.sql())?;
        for (position, document) in submission.documents.iter().enumerate() {
            tx.execute(
                "INSERT INTO submission_document (submission, position, requirement, sha256)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    submission.id,
                    position as i64,
                    document.requirement,
                    document.sha256
                ],
            )
            .map_err(self.sql())?;
        }
        tx.execute(
            "INSERT INTO outbox (submission, state, next_attempt_at, updated_at)
             VALUES (?1, 'queued', ?2, ?2)",
            params![submission.id, now()],
        )
        .map_err(self.sql())?;
        tx.commit().map_err(self.sql())
    }

    fn select_items(&self, filter: &str, values: impl rusqlite::Params) -> Result<Vec<OutboxItem>> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM submission s
                 JOIN outbox o ON o.submission = s.id
                 LEFT JOIN receipt r ON r.submission = s.id
                 WHERE {filter}"
            ))
            .map_err(self.sql())?;
        let rows = statement
            .query_map(values, item_from_row)
            .map_err(self.sql())?;
        let mut items: Vec<OutboxItem> =
            rows.collect::<rusqlite::Result<_>>().map_err(self.sql())?;
        for item in &mut items {
            item.submission.documents = self.submitted_documents(&item.submission.id)?;
        }
        Ok(items)
    }

    fn submitted_documents(&self, id: &str) -> Result<Vec<SubmittedDocument>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT requirement, sha256 FROM submission_document
                 WHERE submission = ?1 ORDER BY position",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([id], |r| {
                Ok(SubmittedDocument {
                    requirement: r.get(0)?,
                    sha256: r.get(1)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.sql())
    }

    /// Every submission, newest first.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.select_items("1 ORDER BY s.created_at DESC, s.id DESC", [])
    }

    /// One submission.
    pub fn outbox_item(&self, id: &str) -> Result<OutboxItem> {
        self.select_items("s.id = ?1", [id])?
            .pop()
            .ok_or_else(|| StoreError::UnknownSubmission(id.to_owned()))
    }

    /// The submissions still on their way, oldest first: every one when `due_by` is
    /// `None` (the person asked to sync now), else those whose next attempt is due by
    /// then.
    pub fn pending_submissions(&self, due_by: Option<DateTime<Utc>>) -> Result<Vec<OutboxItem>> {
        self.select_items(
            "o.state IN ('queued', 'sending') AND (?1 IS NULL OR o.next_attempt_at <= ?1)
             ORDER BY s.created_at, s.id",
            [due_by.map(stamp)],
        )
    }

    fn update_outbox(&self, id: &str, set: &str, values: &[&dyn rusqlite::ToSql]) -> Result<()> {
        let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id];
        all.extend_from_slice(values);
        let changed = self
            .conn
            .execute(
                &format!("UPDATE outbox SET {set}, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE submission = ?1"),
                all.as_slice(),
            )
            .map_err(self.sql())?;
        if changed == 0 {
            return Err(StoreError::UnknownSubmission(id.to_owned()));
        }
        Ok(())
    }

    /// A drain takes the submission: one more attempt.
    pub fn mark_sending(&self, id: &str) -> Result<()> {
        self.update_outbox(id, "state = 'sending', attempts = attempts + 1", &[])
    }

    /// How many document bytes the server holds of those it needs.
    pub fn record_progress(&self, id: &str, done: u64, total: u64) -> Result<()> {
        self.update_outbox(id, "bytes_done = ?2, bytes_total = ?3", &[&done, &total])
    }

    /// A transient failure: back in the queue until `next_attempt_at`, with why.
    pub fn defer_submission(
        &self,
        id: &str,
        next_attempt_at: DateTime<Utc>,
        error: &Failure,
    ) -> Result<()> {
        self.update_outbox(
            id,
            "state = 'queued', next_attempt_at = ?2, last_error = ?3",
            &[&stamp(next_attempt_at), &error.to_json()],
        )
    }

    /// Stops the submission on something a person must look at.
    pub fn hold_submission(&self, id: &str, error: &Failure) -> Result<()> {
        self.update_outbox(
            id,
            "state = 'needs_attention', last_error = ?2",
            &[&error.to_json()],
        )
    }

    /// Puts a held submission back in the queue, due now (the same frozen snapshot and
    /// idempotency key: the server accepts it at most once). Only a held one: a sent
    /// submission stays sent, and a queued one is already on its way.
    pub fn retry_submission(&self, id: &str) -> Result<()> {
        let state = self.outbox_item(id)?.state;
        if state != OutboxState::NeedsAttention {
            return Err(StoreError::NotHeld {
                id: id.to_owned(),
                sent: state == OutboxState::Sent,
            });
        }
        self.update_outbox(
            id,
            "state = 'queued', next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ'), attempts = 0",
            &[],
        )
    }

    /// The submissions a person must look at (held), oldest first.
    pub fn held_submissions(&self) -> Result<Vec<OutboxItem>> {
        self.select_items(
            "o.state = 'needs_attention' ORDER BY s.created_at, s.id",
            [],
        )
    }

    /// How many submissions are not sent yet: queued, being sent or held.
    pub fn unsent_count(&self) -> Result<u32> {
        self.conn
            .query_row(
                "SELECT count(*) FROM outbox WHERE state != 'sent'",
                [],
                |r| r.get(0),
            )
            .map_err(self.sql())
    }

    /// Whether the submission `id` is this business's.
    pub fn has_submission(&self, id: &str) -> Result<bool> {
        self.conn
            .query_row("SELECT 1 FROM outbox WHERE submission = ?1", [id], |_| {
                Ok(())
            })
            .optional()
            .map(|found| found.is_some())
            .map_err(self.sql())
    }

    /// Keeps a verified receipt and marks the submission sent, in one transaction.
    pub fn record_receipt(&self, id: &str, receipt: &StoredReceipt) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        tx.execute(
            "INSERT INTO receipt (submission, receipt_id, json, key_id, verified_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (submission) DO NOTHING",
            params![
                id,
                receipt.receipt_id,
                receipt.json,
                receipt.key_id,
                stamp(receipt.verified_at)
            ],
        )
        .map_err(self.sql())?;
        self.update_outbox(
            id,
            "state = 'sent', last_error = NULL, bytes_done = bytes_total",
            &[],
        )?;
        tx.commit().map_err(self.sql())
    }

    /// The server upload begun for a file, to continue it.
    pub fn upload_id(&self, sha256: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT upload_id FROM upload WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())
    }

    /// Remembers the server upload of a file (`None`: forgets it, once done or gone).
    pub fn remember_upload(&self, sha256: &str, upload_id: Option<&str>) -> Result<()> {
        match upload_id {
            Some(upload_id) => self.conn.execute(
                "INSERT INTO upload (sha256, upload_id, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sha256) DO UPDATE SET upload_id = excluded.upload_id,
                     created_at = excluded.created_at",
                params![sha256, upload_id, now()],
            ),
            None => self
                .conn
                .execute("DELETE FROM upload WHERE sha256 = ?1", [sha256]),
        }
        .map(drop)
        .map_err(self.sql())
    }

    /// Keeps the review pulled from the server, and marks the documents it rejected
    /// (those of the reviewed submission that are still current) with the reviewer's
    /// reason; a review that rejects none clears earlier reasons on them.
    pub fn record_review(&self, review: &ReviewRecord) -> Result<()> {
        let observations =
            serde_json::to_string(&review.observations).map_err(|e| StoreError::Io {
                path: self.path.clone(),
                source: std::io::Error::other(e),
            })?;
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        tx.execute(
            "INSERT INTO review_status (id, status, submission, reviewed_at, observations, pulled_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET status = excluded.status,
                 submission = excluded.submission, reviewed_at = excluded.reviewed_at,
                 observations = excluded.observations, pulled_at = excluded.pulled_at",
            params![
                review.status,
                review.submission,
                review.reviewed_at.map(stamp),
                observations,
                stamp(review.pulled_at)
            ],
        )
        .map_err(self.sql())?;
        tx.execute(
            "UPDATE document SET rejected_reason = NULL
             WHERE replaced_by IS NULL AND sha256 IN
                 (SELECT sha256 FROM submission_document WHERE submission = ?1)",
            [&review.submission],
        )
        .map_err(self.sql())?;
        if review.status == "rechazado" {
            for (requirement, text) in &review.observations {
                tx.execute(
                    "UPDATE document SET rejected_reason = ?3
                     WHERE replaced_by IS NULL AND requirement = ?2 AND sha256 IN
                         (SELECT sha256 FROM submission_document WHERE submission = ?1)",
                    params![review.submission, requirement, text],
                )
                .map_err(self.sql())?;
            }
        }
        tx.commit().map_err(self.sql())
    }

    /// The review as last pulled, if any was.
    pub fn review_status(&self) -> Result<Option<ReviewRecord>> {
        type Pulled = (String, String, Option<DateTime<Utc>>, String, DateTime<Utc>);
        let row: Option<Pulled> = self
            .conn
            .query_row(
                "SELECT status, submission, reviewed_at, observations, pulled_at
                 FROM review_status WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(self.sql())?;
        Ok(row.map(
            |(status, submission, reviewed_at, observations, pulled_at)| ReviewRecord {
                status,
                submission,
                reviewed_at,
                // Written by `record_review`; unreadable only if edited by hand.
                observations: serde_json::from_str(&observations).unwrap_or_default(),
                pulled_at,
            },
        ))
    }
}
