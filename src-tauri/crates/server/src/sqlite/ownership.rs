//! Who acts for an RFC: its registrar, its owner, the handover code that passes it from
//! one to the other, and the operators it delegates to.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use uuid::Uuid;
use ventanilla_api::ownership::Delegation;

use super::values::{instant, one, run, stamp, uuid};
use crate::codes::parse_status;
use crate::storage::{Bidding, HandoverRecord, Result, Standing};

/// Who stands behind the RFC `?1`, and whether the operator `?2` holds a delegation
/// for it current at `?3`: [`Standing`]'s columns, in order.
macro_rules! standing_columns {
    () => {
        "(SELECT id FROM account WHERE role = 'supplier' AND rfc = ?1), \
     (SELECT registrar_id FROM supplier WHERE rfc = ?1), \
     EXISTS (SELECT 1 FROM delegation \
         WHERE rfc = ?1 AND operator_id = ?2 AND expires_at > ?3), \
     (SELECT status FROM registration WHERE rfc = ?1 \
         ORDER BY submitted_at DESC, log_index DESC LIMIT 1)"
    };
}

/// Reads [`Standing`] alone.
const STANDING: &str = concat!("SELECT ", standing_columns!());
/// Reads [`Bidding`]: the standing, then the deadline of the tender `?4`.
const BIDDING: &str = concat!(
    "SELECT ",
    standing_columns!(),
    ", deadline FROM tender WHERE ocid = ?4"
);

/// `standing_columns!` as read: owner, registrar, delegated, status.
type RawStanding = (Option<String>, Option<String>, bool, Option<String>);

fn raw_standing(row: &Row<'_>) -> rusqlite::Result<RawStanding> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn standing_of((owner, registrar, delegated, status): RawStanding) -> Result<Standing> {
    Ok(Standing {
        owner: owner.as_deref().map(uuid).transpose()?,
        registrar: registrar.as_deref().map(uuid).transpose()?,
        delegated,
        status: status.as_deref().map(parse_status).transpose()?,
    })
}

pub(super) fn standing(
    conn: &Connection,
    rfc: &str,
    operator: Uuid,
    now: DateTime<Utc>,
) -> Result<Standing> {
    let params = params![rfc, operator.to_string(), stamp(now)];
    standing_of(one(conn, STANDING, params, raw_standing)?)
}

pub(super) fn bidding(
    conn: &Connection,
    ocid: &str,
    rfc: &str,
    operator: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Bidding>> {
    let params = params![rfc, operator.to_string(), stamp(now), ocid];
    let found = one(conn, BIDDING, params, |row| {
        Ok((raw_standing(row)?, row.get::<_, String>(4)?))
    })
    .optional()?;
    found
        .map(|(standing, deadline)| {
            Ok(Bidding {
                deadline: instant(&deadline)?,
                standing: standing_of(standing)?,
            })
        })
        .transpose()
}

pub(super) fn issue_handover(conn: &Connection, handover: &HandoverRecord) -> Result<()> {
    run(
        conn,
        "INSERT OR REPLACE INTO handover (rfc, code_sha256, issued_by, issued_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            handover.rfc,
            handover.code_sha256,
            handover.issued_by.to_string(),
            stamp(handover.issued_at),
            stamp(handover.expires_at)
        ],
    )?;
    Ok(())
}

pub(super) fn grant_delegation(
    conn: &Connection,
    delegation: &Delegation,
    granted_by: Uuid,
) -> Result<()> {
    run(
        conn,
        "INSERT OR REPLACE INTO delegation (rfc, operator_id, granted_by, granted_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            delegation.rfc,
            delegation.operator_id.to_string(),
            granted_by.to_string(),
            stamp(delegation.granted_at),
            stamp(delegation.expires_at)
        ],
    )?;
    Ok(())
}

pub(super) fn revoke_delegation(conn: &Connection, rfc: &str, operator: Uuid) -> Result<bool> {
    let removed = run(
        conn,
        "DELETE FROM delegation WHERE rfc = ?1 AND operator_id = ?2",
        params![rfc, operator.to_string()],
    )?;
    Ok(removed == 1)
}

pub(super) fn delegations(
    conn: &Connection,
    rfc: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Delegation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.operator_id, a.email, d.granted_at, d.expires_at FROM delegation d \
         JOIN account a ON a.id = d.operator_id \
         WHERE d.rfc = ?1 AND d.expires_at > ?2 ORDER BY d.expires_at, d.operator_id",
    )?;
    let raws = stmt
        .query_map(params![rfc, stamp(now)], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(operator, email, granted, expires)| {
            Ok(Delegation {
                rfc: rfc.to_owned(),
                operator_id: uuid(&operator)?,
                operator_email: email,
                granted_at: instant(&granted)?,
                expires_at: instant(&expires)?,
            })
        })
        .collect()
}
