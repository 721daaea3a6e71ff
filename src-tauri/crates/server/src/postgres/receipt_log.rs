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

use deadpool_postgres::{Client, GenericClient};
use futures_util::future::try_join_all;
use tokio_postgres::types::{Json, ToSql};
use tokio_postgres::Row;
use uuid::Uuid;
use ventanilla_api::Receipt;

use super::values::{execute, get, row, rows, Params};
use crate::chain::{receipt_columns, LogHead, Sealed};
use crate::codes::{parse_kind, parse_revocation, to_i64, to_u64};
use crate::storage::{
    Acceptance, Answered, LogRow, Result, Seal, StorageError, StoredResponse, Submission,
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

/// What refuses `submission`, if anything: its record exists (`bid` when its bidder
/// has one on the tender), or its idempotency key was used. The same conflicts, and in
/// the same order, as SQLite's unique constraints raise; one round trip.
async fn refusal(db: &impl GenericClient, submission: &Submission) -> Result<Option<&'static str>> {
    let key = (&submission.account, &submission.key);
    let (subject, found) = match &submission.acceptance {
        Acceptance::Registration(r) => (
            "registration",
            refusal_row(
                db,
                "SELECT 1 FROM registration WHERE submission_id = $3",
                &[key.0, key.1, &r.submission_id],
            )
            .await?,
        ),
        Acceptance::Bid(b) => (
            "bid",
            refusal_row(
                db,
                "SELECT 1 FROM bid WHERE bid_id = $3 OR (ocid = $4 AND tenderer_rfc = $5)",
                &[key.0, key.1, &b.record_id, &b.ocid, &b.tenderer_rfc],
            )
            .await?,
        ),
        Acceptance::Question(q) => (
            "enquiry",
            refusal_row(
                db,
                "SELECT 1 FROM enquiry WHERE enquiry_id = $3",
                &[key.0, key.1, &q.id],
            )
            .await?,
        ),
    };
    Ok(match found {
        (true, _) => Some(subject),
        (false, true) => Some("idempotency key"),
        (false, false) => None,
    })
}

/// Whether `subject` (a query on `$3...`) finds the record, and whether the
/// idempotency key (`$1`, `$2`) was used.
async fn refusal_row(
    db: &impl GenericClient,
    subject: &str,
    params: Params<'_>,
) -> Result<(bool, bool)> {
    let sql = format!(
        "SELECT EXISTS ({subject}), \
         EXISTS (SELECT 1 FROM idempotency WHERE account_id = $1 AND key = $2)"
    );
    let found = row(db, &sql, params)
        .await?
        .ok_or_else(|| StorageError::Corrupt("a SELECT without a row".to_owned()))?;
    Ok((get(&found, 0)?, get(&found, 1)?))
}

/// Records `submission` as the entry `sealed`: its receipt, what it records and the
/// answer kept for its idempotency key, which this answers. One statement, so one round
/// trip while the log's head is locked: the receipt and the answer are inserted by
/// common table expressions, checked (foreign keys) at the statement's end.
async fn record(
    db: &impl GenericClient,
    submission: &Submission,
    sealed: &Sealed,
) -> Result<StoredResponse> {
    let receipt = &sealed.receipt;
    let index = to_i64(receipt.log_index);
    let at = receipt.server_time;
    let response = (submission.respond)(receipt);
    let status = i32::from(response.status);
    let (kind, revocation) = (
        receipt.kind.as_str(),
        receipt.signer_revocation.map(|r| r.as_str()),
    );
    // $1 to $14 the receipt, $15 to $18 the answer kept; $5, $6 and $10 are also the
    // record's instant, log index and account.
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![
        &receipt.receipt_id,
        &kind,
        &receipt.subject_rfc,
        &receipt.payload_sha256,
        &at,
        &index,
        &receipt.previous_log_hash,
        &receipt.signature,
        &sealed.entry_hash,
        &submission.account,
        &receipt.signature_sha256,
        &receipt.signer,
        &receipt.signer_certificate_number,
        &revocation,
        &submission.key,
        &submission.fingerprint,
        &status,
        &response.body,
    ];
    let kept = format!(
        "WITH receipt_row AS (INSERT INTO receipt ({}) VALUES ({})), \
         answer AS (INSERT INTO idempotency (account_id, key, fingerprint, status, body) \
         VALUES ($10, $15, $16, $17, $18))",
        receipt_columns(""),
        (1..=14)
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (documents, efirma);
    // What the submission records: for a registration, also its supplier (one more
    // expression of the WITH); then the record itself, as the statement.
    let (supplier, recorded) = match &submission.acceptance {
        Acceptance::Registration(r) => {
            (documents, efirma) = (
                Json(&r.documents),
                r.efirma.as_ref().map(|e| e.p7s.as_slice()),
            );
            params.extend([
                &r.submission_id as &(dyn ToSql + Sync),
                &r.rfc,
                &r.account,
                &r.employer,
                &r.snapshot,
                &documents,
                &efirma,
            ]);
            (
                ", supplier_row AS (INSERT INTO supplier (rfc, registrar_id) \
                 VALUES ($20, $21) ON CONFLICT DO NOTHING)",
                "INSERT INTO registration (submission_id, rfc, account_id, employer, snapshot, \
             documents, submitted_at, log_index, efirma) \
             VALUES ($19, $20, $21, $22, $23, $24, $5, $6, $25)",
            )
        }
        Acceptance::Bid(b) => {
            (documents, efirma) = (
                Json(&b.documents),
                b.efirma.as_ref().map(|e| e.p7s.as_slice()),
            );
            params.extend([
                &b.record_id as &(dyn ToSql + Sync),
                &b.ocid,
                &b.tenderer_rfc,
                &b.account,
                &b.snapshot,
                &documents,
                &b.value.amount,
                &b.value.currency,
                &efirma,
            ]);
            (
                "",
                "INSERT INTO bid (bid_id, ocid, tenderer_rfc, account_id, snapshot, documents, \
             amount, currency, submitted_at, log_index, efirma) \
             VALUES ($19, $20, $21, $22, $23, $24, $25, $26, $5, $6, $27)",
            )
        }
        Acceptance::Question(q) => {
            params.extend([
                &q.id as &(dyn ToSql + Sync),
                &q.ocid,
                &q.asker_rfc,
                &q.account,
                &q.question,
            ]);
            (
                "",
                "INSERT INTO enquiry (enquiry_id, ocid, asker_rfc, account_id, question, \
             asked_at, log_index) VALUES ($19, $20, $21, $22, $23, $5, $6)",
            )
        }
    };
    execute(db, &format!("{kept}{supplier} {recorded}"), &params).await?;
    Ok(response)
}

/// Appends `submissions` in one transaction under the head's lock.
async fn append(
    client: &mut Client,
    submissions: &[Submission],
    seal: Seal<'_>,
) -> Result<Vec<Result<StoredResponse>>> {
    let tx = client.transaction().await?;
    let locked = row(
        &tx,
        "SELECT next_index, last_hash FROM log_head FOR UPDATE",
        &[],
    )
    .await?
    .ok_or_else(|| StorageError::Corrupt("the receipt log has no head row".to_owned()))?;
    let mut head = LogHead {
        index: to_u64(get(&locked, 0)?)?,
        previous: get(&locked, 1)?,
    };
    let mut sealed_or_refused = Vec::with_capacity(submissions.len());
    // Every statement of a phase is sent at once (the driver pipelines the queries of
    // one connection), so the head stays locked for a few round trips whatever the
    // batch's size, not two per submission. Two submissions of one batch that clash
    // with each other both pass the checks; the second's insert then fails the
    // transaction and `accept_all` takes them one at a time.
    let refusals = try_join_all(submissions.iter().map(|s| refusal(&tx, s))).await?;
    let mut sealed = Vec::with_capacity(submissions.len());
    for (submission, refused) in submissions.iter().zip(refusals) {
        if refused.is_none() {
            let entry = Sealed::at(&head, submission, seal)?;
            head = entry.next_head();
            sealed.push((submission, entry));
        }
        sealed_or_refused.push(refused);
    }
    let recorded = try_join_all(sealed.iter().map(|(s, entry)| record(&tx, s, entry)));
    let next_index = to_i64(head.index);
    let params: Params<'_> = &[&next_index, &head.previous];
    let moved = execute(
        &tx,
        "UPDATE log_head SET next_index = $1, last_hash = $2",
        params,
    );
    let (recorded, _) = futures_util::try_join!(recorded, moved)?;
    tx.commit().await?;
    let mut recorded = recorded.into_iter();
    Ok(sealed_or_refused
        .into_iter()
        .map(|refused| match refused {
            Some(conflict) => Err(StorageError::Conflict(conflict)),
            None => recorded
                .next()
                .ok_or_else(|| StorageError::NotRecorded("an answer went missing".to_owned())),
        })
        .collect())
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
