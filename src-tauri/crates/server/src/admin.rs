//! The alcaldía's side, straight in the data folder: review the latest registration
//! of an RFC (approve or reject, with observations per document), and create the
//! operator accounts of chamber staff.

use std::path::Path;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};
use ventanilla_api::registration::{Observation, ReviewStatus};

use crate::credentials;
use crate::sqlite::SqliteStorage;
use crate::storage::{Storage, StorageError};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0} is not CODE=TEXT")]
    Observation(String),
    #[error("no registration for the RFC {0}")]
    NoRegistration(String),
    #[error("{0}")]
    Invalid(String),
    #[error("an account with the email {0} exists")]
    AccountExists(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Reads `CODE=TEXT`.
pub fn parse_observation(text: &str) -> Result<Observation, AdminError> {
    match text.split_once('=') {
        Some((code, note)) if !code.trim().is_empty() && !note.trim().is_empty() => {
            Ok(Observation {
                requirement: code.trim().to_uppercase(),
                text: note.trim().to_owned(),
            })
        }
        _ => Err(AdminError::Observation(text.to_owned())),
    }
}

/// Records the review of `rfc`'s latest registration.
pub fn review(
    data_dir: &Path,
    rfc: &str,
    status: ReviewStatus,
    observations: &[Observation],
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let storage = SqliteStorage::open(data_dir)?;
    let rfc = ventanilla_core::identifiers::normalize(rfc);
    match storage.review(&rfc, status, observations, now)? {
        true => Ok(()),
        false => Err(AdminError::NoRegistration(rfc)),
    }
}

/// Creates an operator account.
pub fn create_operator(
    data_dir: &Path,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Account, AdminError> {
    let email = credentials::normalize_email(email);
    let problems = credentials::problems(&email, password);
    if !problems.is_empty() {
        let details: Vec<String> = problems.into_iter().map(|p| p.detail).collect();
        return Err(AdminError::Invalid(details.join(" ")));
    }
    let hash = credentials::hash(password).map_err(|e| AdminError::Hash(e.to_string()))?;
    let account = Account {
        id: Uuid::now_v7(),
        role: Role::Operator,
        email,
        rfc: None,
    };
    let storage = SqliteStorage::open(data_dir)?;
    match storage.create_account(&account, &hash, now) {
        Ok(()) => Ok(account),
        Err(StorageError::Conflict(_)) => Err(AdminError::AccountExists(account.email)),
        Err(e) => Err(e.into()),
    }
}
