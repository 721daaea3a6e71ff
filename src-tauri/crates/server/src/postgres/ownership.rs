//! Who acts for an RFC: its registrar, its owner, the handover code that passes it from
//! one to the other, and the operators it delegates to.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use uuid::Uuid;
use ventanilla_api::ownership::Delegation;

use super::values::{execute, get, row, rows};
use crate::codes::parse_status;
use crate::storage::{Bidding, HandoverRecord, Result, Standing, StorageError};

/// Who stands behind the RFC `$1`, and whether the operator `$2` holds a delegation
/// for it current at `$3`: [`Standing`]'s columns, in order.
macro_rules! standing_columns {
    () => {
        "(SELECT id FROM account WHERE role = 'supplier' AND rfc = $1), \
     (SELECT registrar_id FROM supplier WHERE rfc = $1), \
     EXISTS (SELECT 1 FROM delegation \
         WHERE rfc = $1 AND operator_id = $2 AND expires_at > $3), \
     (SELECT status FROM registration WHERE rfc = $1 \
         ORDER BY submitted_at DESC, log_index DESC LIMIT 1)"
    };
}

/// Reads [`Standing`] alone.
const STANDING: &str = concat!("SELECT ", standing_columns!());
/// Reads [`Bidding`]: the standing, then the deadline of the tender `$4`.
const BIDDING: &str = concat!(
    "SELECT ",
    standing_columns!(),
    ", deadline FROM tender WHERE ocid = $4"
);

/// The [`Standing`] in the first columns of `row`, as `standing_columns!` reads them.
fn standing_from(row: &Row) -> Result<Standing> {
    let status: Option<String> = get(row, 3)?;
    Ok(Standing {
        owner: get(row, 0)?,
        registrar: get(row, 1)?,
        delegated: get(row, 2)?,
        status: status.as_deref().map(parse_status).transpose()?,
    })
}

pub(super) async fn standing(
    db: &impl GenericClient,
    rfc: &str,
    operator: Uuid,
    now: DateTime<Utc>,
) -> Result<Standing> {
    let found = row(db, STANDING, &[&rfc, &operator, &now])
        .await?
        .ok_or_else(|| StorageError::Corrupt("a SELECT without a row".to_owned()))?;
    standing_from(&found)
}

pub(super) async fn bidding(
    db: &impl GenericClient,
    ocid: &str,
    rfc: &str,
    operator: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Bidding>> {
    row(db, BIDDING, &[&rfc, &operator, &now, &ocid])
        .await?
        .map(|found| {
            Ok(Bidding {
                deadline: get(&found, 4)?,
                standing: standing_from(&found)?,
            })
        })
        .transpose()
}

pub(super) async fn issue_handover(
    db: &impl GenericClient,
    handover: &HandoverRecord,
) -> Result<()> {
    execute(
        db,
        "INSERT INTO handover (rfc, code_sha256, issued_by, issued_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (rfc) DO UPDATE SET code_sha256 = excluded.code_sha256, \
         issued_by = excluded.issued_by, issued_at = excluded.issued_at, \
         expires_at = excluded.expires_at",
        &[
            &handover.rfc,
            &handover.code_sha256,
            &handover.issued_by,
            &handover.issued_at,
            &handover.expires_at,
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn grant_delegation(
    db: &impl GenericClient,
    delegation: &Delegation,
    granted_by: Uuid,
) -> Result<()> {
    execute(
        db,
        "INSERT INTO delegation (rfc, operator_id, granted_by, granted_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (rfc, operator_id) DO UPDATE SET granted_by = excluded.granted_by, \
         granted_at = excluded.granted_at, expires_at = excluded.expires_at",
        &[
            &delegation.rfc,
            &delegation.operator_id,
            &granted_by,
            &delegation.granted_at,
            &delegation.expires_at,
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn revoke_delegation(
    db: &impl GenericClient,
    rfc: &str,
    operator: Uuid,
) -> Result<bool> {
    let removed = execute(
        db,
        "DELETE FROM delegation WHERE rfc = $1 AND operator_id = $2",
        &[&rfc, &operator],
    )
    .await?;
    Ok(removed == 1)
}

pub(super) async fn delegations(
    db: &impl GenericClient,
    rfc: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Delegation>> {
    rows(
        db,
        "SELECT d.operator_id, a.email, d.granted_at, d.expires_at FROM delegation d \
         JOIN account a ON a.id = d.operator_id \
         WHERE d.rfc = $1 AND d.expires_at > $2 ORDER BY d.expires_at, d.operator_id",
        &[&rfc, &now],
    )
    .await?
    .iter()
    .map(|found| {
        Ok(Delegation {
            rfc: rfc.to_owned(),
            operator_id: get(found, 0)?,
            operator_email: get(found, 1)?,
            granted_at: get(found, 2)?,
            expires_at: get(found, 3)?,
        })
    })
    .collect()
}
