//! The alcaldía's side, straight in the data folder: review the latest registration
//! of an RFC (approve or reject, with observations per document), and create the
//! operator accounts of chamber staff.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};
use ventanilla_api::registration::{Observation, ReviewStatus};

use crate::credentials;
use crate::sqlite::SqliteStorage;
use crate::storage::{Storage, StorageError};

/// Why a command failed, in the words shown to the alcaldía's staff.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(
        "«{0}» no es una observación válida. Escríbela como CLAVE=TEXTO, por ejemplo: \
         --observation \"CSF=La constancia tiene más de 30 días\"."
    )]
    Observation(String),
    #[error(
        "No hay ningún registro del RFC {0} en este servidor. Revisa el RFC y que \
         --data-dir sea la carpeta de datos del servidor."
    )]
    NoRegistration(String),
    #[error("{0}")]
    Invalid(String),
    #[error("Ya existe una cuenta con el correo {0}. Usa otro correo.")]
    AccountExists(String),
    #[error("No se pudo proteger la contraseña ({0}). Vuelve a intentarlo.")]
    Hash(String),
    #[error(
        "La carpeta {} no tiene la base de datos del servidor (server.db). Indica con \
         --data-dir la carpeta de datos del servidor.",
        .0.display()
    )]
    NoDatabase(PathBuf),
    #[error(
        "No existe la carpeta {}. Indica con --data-dir la carpeta de datos del servidor \
         (o créala antes, si el servidor aún no se ha iniciado).",
        .0.display()
    )]
    NoDataDir(PathBuf),
    #[error("{}", storage_message(.0))]
    Storage(#[from] StorageError),
}

fn storage_message(error: &StorageError) -> String {
    match error {
        StorageError::NewerSchema { found, supported } => format!(
            "La base de datos es de una versión más nueva del servidor (esquema {found}; \
             esta versión llega al {supported}). Usa la versión de ventanilla-server que \
             la creó o una más nueva."
        ),
        StorageError::Corrupt(detail) => format!(
            "Hay datos dañados en la base de datos del servidor. Restaura la copia de \
             seguridad más reciente. Detalle técnico: {detail}"
        ),
        other => format!(
            "No se pudo usar la base de datos del servidor. Revisa que --data-dir sea la \
             carpeta de datos del servidor y que tengas permiso de escribir en ella; si el \
             servidor está guardando mucho, vuelve a intentarlo. Detalle técnico: {other}"
        ),
    }
}

/// The store of a data folder that exists: a mistyped folder must not become a new,
/// empty server. `with_database`: the server must have been started there already.
fn existing(data_dir: &Path, with_database: bool) -> Result<SqliteStorage, AdminError> {
    if !data_dir.is_dir() {
        return Err(AdminError::NoDataDir(data_dir.to_owned()));
    }
    if with_database && !data_dir.join(crate::sqlite::DATABASE_FILE).is_file() {
        return Err(AdminError::NoDatabase(data_dir.to_owned()));
    }
    Ok(SqliteStorage::open(data_dir)?)
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
    let storage = existing(data_dir, true)?;
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
    let storage = existing(data_dir, false)?;
    match storage.create_account(&account, &hash, now) {
        Ok(()) => Ok(account),
        Err(StorageError::Conflict(_)) => Err(AdminError::AccountExists(account.email)),
        Err(e) => Err(e.into()),
    }
}
