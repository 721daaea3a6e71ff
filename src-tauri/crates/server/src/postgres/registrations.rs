//! The alcaldía's review of the registrations recorded in the log.

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use tokio_postgres::types::Json;
use ventanilla_api::registration::{Observation, ReviewStatus, SupplierStatus};

use super::values::{execute, get, row};
use crate::codes::{parse_status, status_text};
use crate::storage::Result;

/// The latest registration of an RFC (`$1`): the one its status and snapshot are.
const LATEST: &str = "SELECT submission_id FROM registration WHERE rfc = $1 \
                      ORDER BY submitted_at DESC, log_index DESC LIMIT 1";

pub(super) async fn supplier_status(
    db: &impl GenericClient,
    rfc: &str,
) -> Result<Option<SupplierStatus>> {
    let sql = format!(
        "SELECT submission_id, status, submitted_at, reviewed_at, observations \
         FROM registration WHERE submission_id = ({LATEST})"
    );
    row(db, &sql, &[&rfc])
        .await?
        .map(|found| {
            let Json(observations) = get(&found, 4)?;
            Ok(SupplierStatus {
                rfc: rfc.to_owned(),
                status: parse_status(get(&found, 1)?)?,
                submission_id: get(&found, 0)?,
                submitted_at: get(&found, 2)?,
                reviewed_at: get(&found, 3)?,
                observations,
            })
        })
        .transpose()
}

pub(super) async fn review(
    db: &impl GenericClient,
    rfc: &str,
    status: ReviewStatus,
    observations: &[Observation],
    now: DateTime<Utc>,
) -> Result<bool> {
    let sql = format!(
        "UPDATE registration SET status = $2, reviewed_at = $3, observations = $4 \
         WHERE submission_id = ({LATEST})"
    );
    let changed = execute(
        db,
        &sql,
        &[&rfc, &status_text(status), &now, &Json(observations)],
    )
    .await?;
    Ok(changed == 1)
}

pub(super) async fn registration_snapshot(
    db: &impl GenericClient,
    rfc: &str,
) -> Result<Option<String>> {
    let sql = format!("SELECT snapshot FROM registration WHERE submission_id = ({LATEST})");
    row(db, &sql, &[&rfc])
        .await?
        .map(|found| get(&found, 0))
        .transpose()
}
