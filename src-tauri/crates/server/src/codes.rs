//! The words both databases store for the server's enumerations (roles, review
//! statuses, receipt kinds, award outcomes) and how they are read back: one spelling,
//! so that a row means the same whichever backend holds it; and the conversions of
//! JSON text and counts both need.

use uuid::Uuid;
use ventanilla_api::auth::Role;
use ventanilla_api::registration::ReviewStatus;
use ventanilla_api::{ReceiptKind, Revocation};

use crate::storage::{AwardOutcome, Result, StorageError};

pub(crate) fn role_text(role: Role) -> &'static str {
    match role {
        Role::Supplier => "supplier",
        Role::Operator => "operator",
    }
}

pub(crate) fn parse_role(text: &str) -> Result<Role> {
    match text {
        "supplier" => Ok(Role::Supplier),
        "operator" => Ok(Role::Operator),
        other => Err(StorageError::Corrupt(format!("role {other:?}"))),
    }
}

pub(crate) fn status_text(status: ReviewStatus) -> &'static str {
    match status {
        ReviewStatus::EnRevision => "en_revision",
        ReviewStatus::Aprobado => "aprobado",
        ReviewStatus::Rechazado => "rechazado",
    }
}

pub(crate) fn parse_status(text: &str) -> Result<ReviewStatus> {
    match text {
        "en_revision" => Ok(ReviewStatus::EnRevision),
        "aprobado" => Ok(ReviewStatus::Aprobado),
        "rechazado" => Ok(ReviewStatus::Rechazado),
        other => Err(StorageError::Corrupt(format!("review status {other:?}"))),
    }
}

/// Reads [`ReceiptKind::as_str`]'s words back.
pub(crate) fn parse_kind(text: &str) -> Result<ReceiptKind> {
    match text {
        "registration" => Ok(ReceiptKind::Registration),
        "bid" => Ok(ReceiptKind::Bid),
        "question" => Ok(ReceiptKind::Question),
        other => Err(StorageError::Corrupt(format!("receipt kind {other:?}"))),
    }
}

pub(crate) fn parse_revocation(text: Option<&str>) -> Result<Option<Revocation>> {
    text.map(|text| {
        Revocation::parse(text)
            .ok_or_else(|| StorageError::Corrupt(format!("receipt revocation {text:?}")))
    })
    .transpose()
}

/// An award's status word and the winning bid, if any.
pub(crate) fn award_columns(outcome: AwardOutcome) -> (&'static str, Option<Uuid>) {
    match outcome {
        AwardOutcome::Won(bid) => ("active", Some(bid)),
        AwardOutcome::Unsuccessful => ("unsuccessful", None),
        AwardOutcome::Cancelled => ("cancelled", None),
    }
}

pub(crate) fn parse_award(status: &str, bid: Option<Uuid>) -> Result<AwardOutcome> {
    match (status, bid) {
        ("active", Some(bid)) => Ok(AwardOutcome::Won(bid)),
        ("unsuccessful", None) => Ok(AwardOutcome::Unsuccessful),
        ("cancelled", None) => Ok(AwardOutcome::Cancelled),
        (other, _) => Err(StorageError::Corrupt(format!("award {other:?}"))),
    }
}

pub(crate) fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StorageError::Corrupt(format!("stored JSON: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Corrupt(format!("JSON: {e}")))
}

/// Database integers are signed; sizes, offsets and log indexes stay far below
/// `i64::MAX`.
pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(crate) fn to_u64(n: i64) -> Result<u64> {
    u64::try_from(n).map_err(|_| StorageError::Corrupt(format!("negative count {n}")))
}
