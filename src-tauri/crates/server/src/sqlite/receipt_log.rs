//! The append-only receipt log on SQLite: where the log continues (its head, the last
//! entry), how a batch of submissions is appended (each receipt sealed in its place by
//! [`crate::chain`]), and how entries are read back. Nothing else writes the `receipt`
//! table.

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use uuid::Uuid;
use ventanilla_api::{Receipt, Revocation};

use super::values::{instant, is_unique_violation, one, run, stamp, to_i64, to_json, to_u64, uuid};
use crate::chain::{receipt_columns, LogHead, Sealed};
use crate::codes::{parse_kind, parse_revocation};
use crate::storage::{
    Acceptance, Answered, LogRow, Result, Seal, StorageError, StoredResponse, Submission,
};

/// A receipt's columns as read, in [`receipt_columns`] order.
pub(super) struct RawReceipt {
    id: String,
    kind: String,
    rfc: String,
    payload: String,
    time: String,
    index: i64,
    previous: String,
    signature: String,
    entry_hash: String,
    account: String,
    signature_sha256: Option<String>,
    signer: Option<String>,
    signer_certificate_number: Option<String>,
    signer_revocation: Option<String>,
}

/// The receipt columns of `row` starting at `at`.
pub(super) fn receipt_row(row: &Row<'_>, at: usize) -> rusqlite::Result<RawReceipt> {
    Ok(RawReceipt {
        id: row.get(at)?,
        kind: row.get(at + 1)?,
        rfc: row.get(at + 2)?,
        payload: row.get(at + 3)?,
        time: row.get(at + 4)?,
        index: row.get(at + 5)?,
        previous: row.get(at + 6)?,
        signature: row.get(at + 7)?,
        entry_hash: row.get(at + 8)?,
        account: row.get(at + 9)?,
        signature_sha256: row.get(at + 10)?,
        signer: row.get(at + 11)?,
        signer_certificate_number: row.get(at + 12)?,
        signer_revocation: row.get(at + 13)?,
    })
}

pub(super) fn log_row_from(raw: RawReceipt) -> Result<LogRow> {
    Ok(LogRow {
        receipt: Receipt {
            receipt_id: uuid(&raw.id)?,
            kind: parse_kind(&raw.kind)?,
            subject_rfc: raw.rfc,
            payload_sha256: raw.payload,
            server_time: instant(&raw.time)?,
            log_index: to_u64(raw.index)?,
            previous_log_hash: raw.previous,
            signature: raw.signature,
            signature_sha256: raw.signature_sha256,
            signer: raw.signer,
            signer_certificate_number: raw.signer_certificate_number,
            signer_revocation: parse_revocation(raw.signer_revocation.as_deref())?,
        },
        entry_hash: raw.entry_hash,
        account: uuid(&raw.account)?,
    })
}

pub(super) fn log_head(conn: &Connection) -> Result<LogHead> {
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
        None => LogHead::genesis(),
    })
}

/// Records `submission` as the log entry at `head`: its receipt (sealed here, as the
/// signature covers the index and the previous hash), what it records, and the answer
/// kept for its idempotency key. Answers that answer and the sealed entry.
pub(super) fn record(
    conn: &Connection,
    submission: &Submission,
    head: &LogHead,
    seal: Seal<'_>,
) -> Result<(StoredResponse, Sealed)> {
    let sealed = Sealed::at(head, submission, seal)?;
    let receipt = &sealed.receipt;
    let (at, index) = (stamp(receipt.server_time), to_i64(head.index));
    run(
        conn,
        &format!(
            "INSERT INTO receipt ({}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
            sealed.entry_hash,
            submission.account.to_string(),
            receipt.signature_sha256,
            receipt.signer,
            receipt.signer_certificate_number,
            receipt.signer_revocation.map(Revocation::as_str),
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
                 snapshot, documents, submitted_at, log_index, efirma) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    r.submission_id.to_string(),
                    r.rfc,
                    r.account.to_string(),
                    r.employer,
                    r.snapshot,
                    to_json(&r.documents)?,
                    at,
                    index,
                    r.efirma.as_ref().map(|e| &e.p7s)
                ],
            )
            .map_err(conflict("registration"))?;
        }
        Acceptance::Bid(b) => {
            run(
                conn,
                "INSERT INTO bid (bid_id, ocid, tenderer_rfc, account_id, snapshot, \
                 documents, amount, currency, submitted_at, log_index, efirma) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
                    index,
                    b.efirma.as_ref().map(|e| &e.p7s)
                ],
            )
            .map_err(conflict("bid"))?;
        }
        Acceptance::Question(q) => {
            run(
                conn,
                "INSERT INTO enquiry (enquiry_id, ocid, asker_rfc, account_id, question, \
                 asked_at, log_index) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    q.id.to_string(),
                    q.ocid,
                    q.asker_rfc,
                    q.account.to_string(),
                    q.question,
                    at,
                    index
                ],
            )
            .map_err(conflict("enquiry"))?;
        }
    }
    let response = (submission.respond)(receipt);
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
    Ok((response, sealed))
}

pub(super) fn answered(conn: &Connection, account: Uuid, key: &str) -> Result<Option<Answered>> {
    let found: Option<(String, i64, String)> = one(
        conn,
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

pub(super) fn accept_all(
    conn: &mut Connection,
    submissions: &[Submission],
    seal: Seal<'_>,
) -> Result<Vec<Result<StoredResponse>>> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut head = log_head(&tx)?;
    let mut outcomes = Vec::with_capacity(submissions.len());
    for submission in submissions {
        let savepoint = tx.savepoint()?;
        match record(&savepoint, submission, &head, seal) {
            Ok((response, sealed)) => {
                savepoint.commit()?;
                head = sealed.next_head();
                outcomes.push(Ok(response));
            }
            // Dropping the savepoint rolls back this submission alone.
            Err(e) => outcomes.push(Err(e)),
        }
    }
    tx.commit()?;
    Ok(outcomes)
}

pub(super) fn log(conn: &Connection, after: Option<u64>, limit: u32) -> Result<Vec<LogRow>> {
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
