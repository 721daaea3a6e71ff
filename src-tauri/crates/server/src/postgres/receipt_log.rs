//! The append-only receipt log on PostgreSQL, kept in one order by every instance.
//!
//! A batch is one transaction that first locks the single `log_head` row `FOR UPDATE`:
//! batches of all instances take turns there, each continuing the chain where the one
//! before it committed, and each still one disk flush for its lot (group commit).
//! Nothing else writes the `receipt` table, nor the rows a submission records.
//!
//! SQLite leaves a refused submission out of its batch by rolling back a savepoint.
//! PostgreSQL keeps only 64 subtransactions per backend in memory before it spills them
//! to disk, so here no savepoint is taken: under the head's lock, each submission's
//! conflicts (its record or its idempotency key exists) are looked for before it is
//! written, and a refused one writes nothing. Any other failure aborts the whole
//! transaction; the batch is then tried again one submission per transaction, so that
//! only the submission at fault fails, as it would on SQLite.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};
use rust_decimal::Decimal;
use tokio_postgres::types::Json;
use tokio_postgres::Row;
use uuid::Uuid;
use ventanilla_api::documents::DocumentRef;
use ventanilla_api::Receipt;

use super::values::{execute, get, row, rows, Params};
use crate::chain::{receipt_columns, LogHead, Sealed};
use crate::codes::{parse_kind, parse_revocation, to_i64, to_u64};
use crate::storage::{
    Acceptance, Answered, Efirma, LogRow, Result, Seal, StorageError, StoredResponse, Submission,
};

/// The receipt whose columns ([`receipt_columns`]) start at `at` in `row`.
pub(super) fn log_row_from(row: &Row, at: usize) -> Result<LogRow> {
    Ok(LogRow {
        receipt: Receipt {
            receipt_id: get(row, at)?,
            kind: parse_kind(get(row, at + 1)?)?,
            subject_rfc: get(row, at + 2)?,
            payload_sha256: get(row, at + 3)?,
            server_time: get(row, at + 4)?,
            log_index: to_u64(get(row, at + 5)?)?,
            previous_log_hash: get(row, at + 6)?,
            signature: get(row, at + 7)?,
            signature_sha256: get(row, at + 10)?,
            signer: get(row, at + 11)?,
            signer_certificate_number: get(row, at + 12)?,
            signer_revocation: parse_revocation(get(row, at + 13)?)?,
        },
        entry_hash: get(row, at + 8)?,
        account: get(row, at + 9)?,
    })
}

/// What refuses each of `submissions`, in order: its record exists (`bid` when its
/// bidder has one on the tender), or its idempotency key was used. The same conflicts,
/// and in the same order, as SQLite's unique constraints raise; one statement for the
/// whole batch.
async fn refusals(
    db: &impl GenericClient,
    submissions: &[Submission],
) -> Result<Vec<Option<&'static str>>> {
    let mut kinds = Vec::with_capacity(submissions.len());
    let (mut ids, mut ocids, mut rfcs) = (Vec::new(), Vec::new(), Vec::new());
    let (mut accounts, mut keys) = (Vec::new(), Vec::new());
    for submission in submissions {
        let (id, ocid, rfc) = match &submission.acceptance {
            Acceptance::Registration(r) => (r.submission_id, "", ""),
            Acceptance::Bid(b) => (b.record_id, b.ocid.as_str(), b.tenderer_rfc.as_str()),
            Acceptance::Question(q) => (q.id, "", ""),
        };
        kinds.push(submission.acceptance.kind().as_str());
        ids.push(id);
        ocids.push(ocid);
        rfcs.push(rfc);
        accounts.push(submission.account);
        keys.push(submission.key.as_str());
    }
    let found = rows(
        db,
        // Lateral look-ups with LIMIT 1, so that each is an index probe. As EXISTS in
        // the select list, the planner may hash whole tables once per batch instead:
        // in `./dev bench`, bids then waited about 30 ms at 1,000/s offered, not 5.
        "SELECT recorded.found IS NOT NULL, used.found IS NOT NULL
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[])
             WITH ORDINALITY AS given (kind, id, ocid, rfc, account, key, n)
         LEFT JOIN LATERAL (
             SELECT true AS found FROM bid WHERE given.kind = 'bid' AND bid_id = given.id
             UNION ALL
             SELECT true FROM bid WHERE given.kind = 'bid'
                 AND ocid = given.ocid AND tenderer_rfc = given.rfc
             UNION ALL
             SELECT true FROM registration
                 WHERE given.kind = 'registration' AND submission_id = given.id
             UNION ALL
             SELECT true FROM enquiry WHERE given.kind = 'question' AND enquiry_id = given.id
             LIMIT 1
         ) AS recorded ON true
         LEFT JOIN LATERAL (
             SELECT true AS found FROM idempotency
             WHERE account_id = given.account AND key = given.key LIMIT 1
         ) AS used ON true
         ORDER BY given.n",
        &[&kinds, &ids, &ocids, &rfcs, &accounts, &keys],
    )
    .await?;
    if found.len() != submissions.len() {
        return Err(StorageError::Corrupt("a refusal went missing".to_owned()));
    }
    submissions
        .iter()
        .zip(found)
        .map(|(submission, found)| {
            let subject = match submission.acceptance {
                Acceptance::Registration(_) => "registration",
                Acceptance::Bid(_) => "bid",
                Acceptance::Question(_) => "enquiry",
            };
            Ok(match (get(&found, 0)?, get(&found, 1)?) {
                (true, _) => Some(subject),
                (false, true) => Some("idempotency key"),
                (false, false) => None,
            })
        })
        .collect()
}

/// What a batch records, column by column: each table's rows go as one array per
/// column and are `unnest`ed, so that a batch is one statement whatever its size.
#[derive(Default)]
struct Columns<'a> {
    receipt: ReceiptColumns<'a>,
    /// The answers kept for the keys: the key, fingerprint, status and body, of the
    /// receipt's account.
    key: Vec<&'a str>,
    fingerprint: Vec<&'a str>,
    status: Vec<i32>,
    body: Vec<String>,
    registration: RecordColumns<'a>,
    employer: Vec<bool>,
    bid: RecordColumns<'a>,
    amount: Vec<Decimal>,
    currency: Vec<&'a str>,
    question: RecordColumns<'a>,
}

#[derive(Default)]
struct ReceiptColumns<'a> {
    id: Vec<Uuid>,
    kind: Vec<&'static str>,
    subject_rfc: Vec<&'a str>,
    payload_sha256: Vec<String>,
    server_time: Vec<DateTime<Utc>>,
    log_index: Vec<i64>,
    previous_hash: Vec<String>,
    signature: Vec<String>,
    entry_hash: Vec<String>,
    account: Vec<Uuid>,
    signature_sha256: Vec<Option<String>>,
    signer: Vec<Option<String>>,
    signer_certificate_number: Vec<Option<String>>,
    signer_revocation: Vec<Option<&'static str>>,
}

/// The columns a registration, a bid and a question share: the record's id, its
/// tender (none for a registration), its RFC, account, text (snapshot or question),
/// documents and e.firma (none for a question), instant and log index.
#[derive(Default)]
struct RecordColumns<'a> {
    id: Vec<Uuid>,
    ocid: Vec<&'a str>,
    rfc: Vec<&'a str>,
    account: Vec<Uuid>,
    text: Vec<&'a str>,
    documents: Vec<Json<&'a [DocumentRef]>>,
    efirma: Vec<Option<&'a [u8]>>,
    at: Vec<DateTime<Utc>>,
    log_index: Vec<i64>,
}

impl<'a> RecordColumns<'a> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        id: Uuid,
        ocid: &'a str,
        rfc: &'a str,
        account: Uuid,
        text: &'a str,
        documents: &'a [DocumentRef],
        efirma: Option<&'a Efirma>,
        receipt: &Receipt,
    ) {
        self.id.push(id);
        self.ocid.push(ocid);
        self.rfc.push(rfc);
        self.account.push(account);
        self.text.push(text);
        self.documents.push(Json(documents));
        self.efirma.push(efirma.map(|e| e.p7s.as_slice()));
        self.at.push(receipt.server_time);
        self.log_index.push(to_i64(receipt.log_index));
    }
}

impl<'a> Columns<'a> {
    /// Adds `submission`, sealed as `sealed`, answering what it keeps for its key.
    fn push(&mut self, submission: &'a Submission, sealed: Sealed) -> StoredResponse {
        let Sealed {
            receipt,
            entry_hash,
        } = sealed;
        let response = (submission.respond)(&receipt);
        match &submission.acceptance {
            Acceptance::Registration(r) => {
                let efirma = r.efirma.as_ref();
                let (id, rfc, text) = (r.submission_id, r.rfc.as_str(), r.snapshot.as_str());
                (self.registration).push(
                    id,
                    "",
                    rfc,
                    r.account,
                    text,
                    &r.documents,
                    efirma,
                    &receipt,
                );
                self.employer.push(r.employer);
            }
            Acceptance::Bid(b) => {
                let (id, ocid, rfc) = (b.record_id, b.ocid.as_str(), b.tenderer_rfc.as_str());
                let (text, efirma) = (b.snapshot.as_str(), b.efirma.as_ref());
                (self.bid).push(
                    id,
                    ocid,
                    rfc,
                    b.account,
                    text,
                    &b.documents,
                    efirma,
                    &receipt,
                );
                self.amount.push(b.value.amount);
                self.currency.push(b.value.currency.as_str());
            }
            Acceptance::Question(q) => {
                let (ocid, rfc, text) =
                    (q.ocid.as_str(), q.asker_rfc.as_str(), q.question.as_str());
                (self.question).push(q.id, ocid, rfc, q.account, text, &[], None, &receipt);
            }
        }
        self.key.push(&submission.key);
        self.fingerprint.push(&submission.fingerprint);
        self.status.push(i32::from(response.status));
        self.body.push(response.body.clone());
        let columns = &mut self.receipt;
        columns.id.push(receipt.receipt_id);
        columns.kind.push(receipt.kind.as_str());
        columns
            .subject_rfc
            .push(submission.acceptance.subject_rfc());
        columns.payload_sha256.push(receipt.payload_sha256);
        columns.server_time.push(receipt.server_time);
        columns.log_index.push(to_i64(receipt.log_index));
        columns.previous_hash.push(receipt.previous_log_hash);
        columns.signature.push(receipt.signature);
        columns.entry_hash.push(entry_hash);
        columns.account.push(submission.account);
        columns.signature_sha256.push(receipt.signature_sha256);
        columns.signer.push(receipt.signer);
        columns
            .signer_certificate_number
            .push(receipt.signer_certificate_number);
        columns
            .signer_revocation
            .push(receipt.signer_revocation.map(|r| r.as_str()));
        response
    }
}

/// Records a batch's columns and moves the log's head to `head`: one statement, so one
/// round trip while the head is locked. Each table's rows are inserted by a common
/// table expression; foreign keys (a bid's receipt, a registration's supplier) are
/// checked at the statement's end.
async fn record(db: &impl GenericClient, columns: &Columns<'_>, head: &LogHead) -> Result<()> {
    let (r, g, b, q) = (
        &columns.receipt,
        &columns.registration,
        &columns.bid,
        &columns.question,
    );
    let next_index = to_i64(head.index);
    let params: Params<'_> = &[
        &r.id,
        &r.kind,
        &r.subject_rfc,
        &r.payload_sha256,
        &r.server_time,
        &r.log_index,
        &r.previous_hash,
        &r.signature,
        &r.entry_hash,
        &r.account,
        &r.signature_sha256,
        &r.signer,
        &r.signer_certificate_number,
        &r.signer_revocation,
        &columns.key,
        &columns.fingerprint,
        &columns.status,
        &columns.body,
        &g.id,
        &g.rfc,
        &g.account,
        &columns.employer,
        &g.text,
        &g.documents,
        &g.at,
        &g.log_index,
        &g.efirma,
        &b.id,
        &b.ocid,
        &b.rfc,
        &b.account,
        &b.text,
        &b.documents,
        &columns.amount,
        &columns.currency,
        &b.at,
        &b.log_index,
        &b.efirma,
        &q.id,
        &q.ocid,
        &q.rfc,
        &q.account,
        &q.text,
        &q.at,
        &q.log_index,
        &next_index,
        &head.previous,
    ];
    execute(db, &RECORD_BATCH, params).await?;
    Ok(())
}

/// The statement [`record`] runs.
static RECORD_BATCH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH receipt_rows AS (
             INSERT INTO receipt ({})
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
                 $5::timestamptz[], $6::bigint[], $7::text[], $8::text[], $9::text[],
                 $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[])
         ), answers AS (
             INSERT INTO idempotency (account_id, key, fingerprint, status, body)
             SELECT * FROM unnest($10::uuid[], $15::text[], $16::text[], $17::integer[],
                 $18::text[])
         ), suppliers AS (
             INSERT INTO supplier (rfc, registrar_id)
             SELECT * FROM unnest($20::text[], $21::uuid[]) ON CONFLICT DO NOTHING
         ), registrations AS (
             INSERT INTO registration (submission_id, rfc, account_id, employer, snapshot,
                 documents, submitted_at, log_index, efirma)
             SELECT * FROM unnest($19::uuid[], $20::text[], $21::uuid[], $22::boolean[],
                 $23::text[], $24::jsonb[], $25::timestamptz[], $26::bigint[], $27::bytea[])
         ), bids AS (
             INSERT INTO bid (bid_id, ocid, tenderer_rfc, account_id, snapshot, documents,
                 amount, currency, submitted_at, log_index, efirma)
             SELECT * FROM unnest($28::uuid[], $29::text[], $30::text[], $31::uuid[],
                 $32::text[], $33::jsonb[], $34::numeric[], $35::text[], $36::timestamptz[],
                 $37::bigint[], $38::bytea[])
         ), enquiries AS (
             INSERT INTO enquiry (enquiry_id, ocid, asker_rfc, account_id, question,
                 asked_at, log_index)
             SELECT * FROM unnest($39::uuid[], $40::text[], $41::text[], $42::uuid[],
                 $43::text[], $44::timestamptz[], $45::bigint[])
         )
         UPDATE log_head SET next_index = $46, last_hash = $47",
        receipt_columns("")
    )
});

/// Appends `submissions` in one transaction under the head's lock: three round trips
/// after it begins, whatever the batch's size (the lock with the refusals, the
/// records, the commit). Two
/// submissions of one batch that clash with each other both pass the checks; the
/// records' statement then fails the transaction and `accept_all` takes them one at a
/// time.
async fn append(
    client: &mut Client,
    submissions: &[Submission],
    seal: Seal<'_>,
) -> Result<Vec<Result<StoredResponse>>> {
    let tx = client.transaction().await?;
    // Sent together (the driver pipelines one connection's statements), run in order:
    // the refusals take their snapshot once the head is locked, so they see every
    // batch committed before this one, and cost no round trip of their own. The lock
    // is prepared first so that its statement is sent first: `try_join!` polls in
    // order, and a prepared statement is sent at its first poll.
    let lock = tx
        .prepare_cached("SELECT next_index, last_hash FROM log_head FOR UPDATE")
        .await?;
    let locking = async { Ok(tx.query_opt(&lock, &[]).await?) };
    let (locked, refused) = futures_util::try_join!(locking, refusals(&tx, submissions))?;
    let locked = locked
        .ok_or_else(|| StorageError::Corrupt("the receipt log has no head row".to_owned()))?;
    let mut head = LogHead {
        index: to_u64(get(&locked, 0)?)?,
        previous: get(&locked, 1)?,
    };
    let mut columns = Columns::default();
    let mut outcomes = Vec::with_capacity(submissions.len());
    for (submission, refused) in submissions.iter().zip(refused) {
        outcomes.push(match refused {
            Some(conflict) => Err(StorageError::Conflict(conflict)),
            None => {
                let entry = Sealed::at(&head, submission, seal)?;
                head = entry.next_head();
                Ok(columns.push(submission, entry))
            }
        });
    }
    record(&tx, &columns, &head).await?;
    tx.commit().await?;
    Ok(outcomes)
}

pub(super) async fn accept_all(
    client: &mut Client,
    submissions: &[Submission],
    seal: Seal<'_>,
) -> Result<Vec<Result<StoredResponse>>> {
    match append(client, submissions, seal).await {
        // A statement the database refused, in a batch of several: find which.
        Err(StorageError::Postgres(e)) if e.as_db_error().is_some() && submissions.len() > 1 => {
            let mut outcomes = Vec::with_capacity(submissions.len());
            for submission in submissions {
                let alone = append(client, std::slice::from_ref(submission), seal).await;
                outcomes.push(alone.and_then(|mut outcome| {
                    outcome
                        .pop()
                        .unwrap_or_else(|| Err(StorageError::NotRecorded("no outcome".to_owned())))
                }));
            }
            Ok(outcomes)
        }
        answered => answered,
    }
}

pub(super) async fn answered(
    db: &impl GenericClient,
    account: Uuid,
    key: &str,
) -> Result<Option<Answered>> {
    let sql = "SELECT fingerprint, status, body FROM idempotency \
               WHERE account_id = $1 AND key = $2";
    let found = row(db, sql, &[&account, &key]).await?;
    Ok(found
        .map(|found| answer_at(&found, 0))
        .transpose()?
        .flatten())
}

/// The answer kept for a key whose fingerprint, status and body start at column `at`
/// of `row`, all null when it has none.
pub(super) fn answer_at(row: &Row, at: usize) -> Result<Option<Answered>> {
    let Some(fingerprint) = get(row, at)? else {
        return Ok(None);
    };
    let status: i32 = get(row, at + 1)?;
    Ok(Some(Answered {
        fingerprint,
        response: StoredResponse {
            status: u16::try_from(status)
                .map_err(|_| StorageError::Corrupt(format!("status {status}")))?,
            body: get(row, at + 2)?,
        },
    }))
}

pub(super) async fn log_key(
    db: &impl GenericClient,
    offered: Option<&str>,
) -> Result<Option<String>> {
    if let Some(offered) = offered {
        execute(
            db,
            "INSERT INTO log_key (public_key) VALUES ($1) ON CONFLICT DO NOTHING",
            &[&offered],
        )
        .await?;
    }
    let kept = row(db, "SELECT public_key FROM log_key", &[]).await?;
    kept.map(|found| get(&found, 0)).transpose()
}

pub(super) async fn log(
    db: &impl GenericClient,
    after: Option<u64>,
    limit: u32,
) -> Result<Vec<LogRow>> {
    let sql = format!(
        "SELECT {} FROM receipt WHERE log_index > $1 ORDER BY log_index LIMIT $2",
        receipt_columns("")
    );
    let from = after.map_or(-1, to_i64);
    rows(db, &sql, &[&from, &i64::from(limit)])
        .await?
        .iter()
        .map(|found| log_row_from(found, 0))
        .collect()
}
