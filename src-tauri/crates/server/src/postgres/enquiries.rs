//! Questions on tenders and their answers, each answer a revision of its own.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};
use uuid::Uuid;

use super::values::{execute, exists, get, rows};
use crate::storage::{EnquiryRow, Result};

pub(super) async fn enquiries(db: &impl GenericClient, ocid: &str) -> Result<Vec<EnquiryRow>> {
    let found = rows(
        db,
        "SELECT e.enquiry_id, e.question, e.asked_at, a.answer, a.answered_at \
         FROM enquiry e LEFT JOIN enquiry_answer a ON a.enquiry_id = e.enquiry_id \
         WHERE e.ocid = $1 ORDER BY e.asked_at, e.enquiry_id, a.revision",
        &[&ocid],
    )
    .await?;
    let mut enquiries: Vec<EnquiryRow> = Vec::new();
    for row in &found {
        let id: Uuid = get(row, 0)?;
        if enquiries.last().is_none_or(|last| last.id != id) {
            enquiries.push(EnquiryRow {
                id,
                ocid: ocid.to_owned(),
                question: get(row, 1)?,
                asked_at: get(row, 2)?,
                answers: Vec::new(),
            });
        }
        let answer: Option<String> = get(row, 3)?;
        let answered_at: Option<DateTime<Utc>> = get(row, 4)?;
        if let (Some(answer), Some(at), Some(enquiry)) = (answer, answered_at, enquiries.last_mut())
        {
            enquiry.answers.push((answer, at));
        }
    }
    Ok(enquiries)
}

pub(super) async fn answer(
    client: &mut Client,
    ocid: &str,
    id: Uuid,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let tx = client.transaction().await?;
    // Locked, so that two answers given at once take successive revisions.
    let question = "SELECT 1 FROM enquiry WHERE enquiry_id = $1 AND ocid = $2 FOR UPDATE";
    if !exists(&tx, question, &[&id, &ocid]).await? {
        return Ok(false);
    }
    execute(
        &tx,
        "INSERT INTO enquiry_answer (enquiry_id, revision, answer, answered_at) \
         SELECT $1, coalesce(max(revision), 0) + 1, $2, $3 FROM enquiry_answer \
         WHERE enquiry_id = $1",
        &[&id, &answer, &now],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
