//! Questions on tenders and their answers, each answer a revision of its own.

use rusqlite::{params, Connection, TransactionBehavior};
use uuid::Uuid;

use super::values::{exists, instant, run, stamp, uuid};
use crate::storage::{EnquiryRow, Result};
use chrono::{DateTime, Utc};

pub(super) fn enquiries(conn: &Connection, ocid: &str) -> Result<Vec<EnquiryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.enquiry_id, e.question, e.asked_at, a.answer, a.answered_at \
         FROM enquiry e LEFT JOIN enquiry_answer a ON a.enquiry_id = e.enquiry_id \
         WHERE e.ocid = ?1 ORDER BY e.asked_at, e.enquiry_id, a.revision",
    )?;
    let raws = stmt
        .query_map([ocid], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut rows: Vec<EnquiryRow> = Vec::new();
    for (id, question, asked_at, answer, answered_at) in raws {
        let id = uuid(&id)?;
        if rows.last().is_none_or(|last| last.id != id) {
            rows.push(EnquiryRow {
                id,
                ocid: ocid.to_owned(),
                question,
                asked_at: instant(&asked_at)?,
                answers: Vec::new(),
            });
        }
        if let (Some(answer), Some(at), Some(row)) = (answer, answered_at, rows.last_mut()) {
            row.answers.push((answer, instant(&at)?));
        }
    }
    Ok(rows)
}

pub(super) fn answer(
    conn: &mut Connection,
    ocid: &str,
    id: Uuid,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let id = id.to_string();
    if !exists(
        &tx,
        "SELECT 1 FROM enquiry WHERE enquiry_id = ?1 AND ocid = ?2",
        params![id, ocid],
    )? {
        return Ok(false);
    }
    run(
        &tx,
        "INSERT INTO enquiry_answer (enquiry_id, revision, answer, answered_at) \
         SELECT ?1, coalesce(max(revision), 0) + 1, ?2, ?3 FROM enquiry_answer \
         WHERE enquiry_id = ?1",
        params![id, answer, stamp(now)],
    )?;
    tx.commit()?;
    Ok(true)
}
