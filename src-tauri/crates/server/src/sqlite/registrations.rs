//! The alcaldía's review of the registrations recorded in the log.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use ventanilla_api::registration::{Observation, ReviewStatus, SupplierStatus};

use super::values::{instant, json, one, run, stamp, to_json, uuid};
use crate::codes::{parse_status, status_text};
use crate::storage::Result;

pub(super) fn supplier_status(conn: &Connection, rfc: &str) -> Result<Option<SupplierStatus>> {
    let raw: Option<(String, String, String, Option<String>, String)> = one(
        conn,
        "SELECT submission_id, status, submitted_at, reviewed_at, observations \
             FROM registration WHERE rfc = ?1 ORDER BY submitted_at DESC, log_index DESC LIMIT 1",
        [rfc],
        |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        },
    )
    .optional()?;
    raw.map(|(id, status, submitted, reviewed, observations)| {
        Ok(SupplierStatus {
            rfc: rfc.to_owned(),
            status: parse_status(&status)?,
            submission_id: uuid(&id)?,
            submitted_at: instant(&submitted)?,
            reviewed_at: reviewed.as_deref().map(instant).transpose()?,
            observations: json(&observations)?,
        })
    })
    .transpose()
}

pub(super) fn review(
    conn: &Connection,
    rfc: &str,
    status: ReviewStatus,
    observations: &[Observation],
    now: DateTime<Utc>,
) -> Result<bool> {
    let changed = run(
        conn,
        "UPDATE registration SET status = ?2, reviewed_at = ?3, observations = ?4 \
         WHERE submission_id = (SELECT submission_id FROM registration WHERE rfc = ?1 \
         ORDER BY submitted_at DESC, log_index DESC LIMIT 1)",
        params![
            rfc,
            status_text(status),
            stamp(now),
            to_json(&observations)?
        ],
    )?;
    Ok(changed == 1)
}

pub(super) fn registration_snapshot(conn: &Connection, rfc: &str) -> Result<Option<String>> {
    Ok(one(
        conn,
        "SELECT snapshot FROM registration WHERE rfc = ?1 \
             ORDER BY submitted_at DESC, log_index DESC LIMIT 1",
        [rfc],
        |row| row.get(0),
    )
    .optional()?)
}
