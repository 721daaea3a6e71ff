use std::path::PathBuf;

use ventanilla_core::banks::BankCatalogueError;
use ventanilla_core::checklist::{CatalogueError, DateProblem};
use ventanilla_core::filecheck::FileProblem;
use ventanilla_core::ocds::OcdsError;
use ventanilla_core::{Failure, FailureCode, Locale};

/// What can go wrong with the files on disk. The shell turns each into a message that
/// tells the user what to do; the variants carry what that message needs.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot write to the data folder {path}: {source}")]
    DataDirUnwritable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} was written by a newer Ventanilla (schema {found}, this build knows up to {supported})")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path} is damaged: {reason}")]
    Damaged { path: PathBuf, reason: String },
    #[error("no business with id {0}")]
    UnknownBusiness(String),
    #[error("no business has the id or RFC {0}")]
    NoBusinessMatches(String),
    #[error("{count} businesses have the RFC {key}")]
    AmbiguousBusiness { key: String, count: usize },
    #[error("no representative with id {0}")]
    UnknownRepresentative(String),
    #[error("{field} is not a field stored as text")]
    NotATextField { field: &'static str },
    #[error("the catalogue was refused: {0}")]
    CatalogueRefused(CatalogueError),
    #[error("the bank catalogue was refused: {0}")]
    BanksRefused(BankCatalogueError),
    #[error("no requirement with code {0} in the catalogue")]
    UnknownRequirement(String),
    #[error("no document with id {0}")]
    UnknownDocument(String),
    #[error("no submission with id {0}")]
    UnknownSubmission(String),
    #[error("no bid with id {0}")]
    UnknownBid(String),
    #[error("submission {id} is not held (sent: {sent})")]
    NotHeld { id: String, sent: bool },
    #[error("{0:?} is not a server address")]
    BadServerAddress(String),
    #[error("{0} is not https and not on this computer")]
    InsecureServer(String),
    #[error("cannot read {path}: {source}")]
    SourceUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the file was refused: {problem:?}")]
    FileRefused { problem: FileProblem },
    #[error("the document's dates were refused: {problem:?}")]
    DateRefused { problem: DateProblem },
    #[error("the tender file was refused: {0}")]
    TenderFileRefused(OcdsError),
    #[error("the copy was cancelled")]
    Cancelled,
    #[error("file system error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error on {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The migration runner refused this build's own migration list: a defect, not data.
    #[error("cannot migrate {path}: {source}")]
    Migration {
        path: PathBuf,
        source: rusqlite_migration::Error,
    },
}

impl StoreError {
    /// Wraps a SQLite error; one that says the file is not a sound database, wherever it
    /// surfaces, becomes `Damaged` so the business shows as such.
    pub(crate) fn sqlite(
        path: &std::path::Path,
    ) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        move |source| match &source {
            rusqlite::Error::SqliteFailure(e, _)
                if matches!(e.code, DatabaseCorrupt | NotADatabase) =>
            {
                StoreError::Damaged {
                    path: path.to_path_buf(),
                    reason: source.to_string(),
                }
            }
            _ => StoreError::Sqlite {
                path: path.to_path_buf(),
                source,
            },
        }
    }

    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
        move |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// True when the error means the disk refused a write (read-only folder or
    /// database, full disk, or a size limit or quota reached, which the user meets the
    /// same way), so the user should look at the folder, not the data.
    pub fn is_write_refused(&self) -> bool {
        use rusqlite::ErrorCode::{CannotOpen, DiskFull, ReadOnly};
        use std::io::ErrorKind;
        match self {
            StoreError::DataDirUnwritable { .. } => true,
            StoreError::Io { source, .. } => matches!(
                source.kind(),
                ErrorKind::PermissionDenied
                    | ErrorKind::ReadOnlyFilesystem
                    | ErrorKind::StorageFull
                    | ErrorKind::FileTooLarge
                    | ErrorKind::QuotaExceeded
            ),
            StoreError::Sqlite {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } => matches!(e.code, ReadOnly | DiskFull | CannotOpen),
            _ => false,
        }
    }
}

/// What the user reads about a business whose own file cannot be used.
pub fn damage_message(locale: Locale) -> String {
    Failure::from(FailureCode::Damaged).message(locale)
}

impl StoreError {
    /// A stable code for the UI, the CLI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::DataDirUnwritable { .. } => "data_dir_unwritable",
            StoreError::NewerSchema { .. } => "newer_version",
            StoreError::Damaged { .. } => "damaged",
            StoreError::UnknownBusiness(_) | StoreError::NoBusinessMatches(_) => "unknown_business",
            StoreError::AmbiguousBusiness { .. } => "ambiguous_business",
            StoreError::UnknownRepresentative(_) => "unknown_representative",
            StoreError::NotATextField { .. } => "bad_request",
            StoreError::CatalogueRefused(_) => "catalogue_refused",
            StoreError::BanksRefused(_) => "bank_catalogue_refused",
            StoreError::UnknownRequirement(_) => "unknown_requirement",
            StoreError::UnknownDocument(_) => "unknown_document",
            StoreError::UnknownSubmission(_) => "unknown_submission",
            StoreError::UnknownBid(_) => "unknown_bid",
            StoreError::NotHeld { .. } => "not_held",
            StoreError::BadServerAddress(_) => "bad_server_address",
            StoreError::InsecureServer(_) => "insecure_server",
            StoreError::SourceUnreadable { .. } => "file_unreadable",
            StoreError::FileRefused { .. } => "file_refused",
            StoreError::DateRefused { .. } => "date_invalid",
            StoreError::TenderFileRefused(problem) => problem.code(),
            StoreError::Cancelled => "cancelled",
            e if e.is_write_refused() => "write_refused",
            StoreError::Io { .. } | StoreError::Sqlite { .. } | StoreError::Migration { .. } => {
                "storage_error"
            }
        }
    }

    /// What happened and what to do, as a value to word in any language.
    pub fn failure(&self) -> Failure {
        use FailureCode as C;
        let path = |path: &std::path::Path| path.display().to_string();
        match self {
            StoreError::DataDirUnwritable { path: p, .. } => {
                Failure::from(C::DataDirUnwritable).with("path", path(p))
            }
            StoreError::NewerSchema { path: p, .. } => {
                Failure::from(C::NewerVersion).with("path", path(p))
            }
            StoreError::Damaged { .. } => C::Damaged.into(),
            StoreError::UnknownBusiness(_) => C::UnknownBusiness.into(),
            StoreError::NoBusinessMatches(key) => {
                Failure::from(C::NoBusinessMatches).with("key", key)
            }
            StoreError::AmbiguousBusiness { key, count } => Failure::from(C::AmbiguousBusiness)
                .with("key", key)
                .with("count", count),
            StoreError::UnknownRepresentative(_) => C::UnknownRepresentative.into(),
            StoreError::NotATextField { .. } => C::BadRequest.into(),
            StoreError::CatalogueRefused(_) => C::CatalogueRefused.into(),
            StoreError::BanksRefused(_) => C::BankCatalogueRefused.into(),
            StoreError::UnknownRequirement(code) => {
                Failure::from(C::UnknownRequirement).with("code", code)
            }
            StoreError::UnknownDocument(_) => C::UnknownDocument.into(),
            StoreError::UnknownSubmission(_) => C::UnknownSubmission.into(),
            StoreError::UnknownBid(_) => C::UnknownBid.into(),
            StoreError::NotHeld { sent: true, .. } => C::NotHeldSent.into(),
            StoreError::NotHeld { sent: false, .. } => C::NotHeldQueued.into(),
            StoreError::BadServerAddress(address) => {
                Failure::from(C::BadServerAddress).with("address", address)
            }
            StoreError::InsecureServer(address) => {
                Failure::from(C::InsecureServer).with("address", address)
            }
            StoreError::SourceUnreadable { path: p, .. } => {
                Failure::from(C::FileUnreadable).with("path", path(p))
            }
            StoreError::FileRefused { problem } => {
                Failure::from(C::FileRefused).with_words("problem", |l| problem.message(l))
            }
            StoreError::DateRefused { problem } => {
                Failure::from(C::DateInvalid).with_words("problem", |l| problem.message(l))
            }
            StoreError::TenderFileRefused(problem) => {
                Failure::from(C::TenderFileRefused).with_words("problem", |l| problem.message(l))
            }
            StoreError::Cancelled => C::Cancelled.into(),
            e if e.is_write_refused() => C::WriteRefused.into(),
            StoreError::Io { .. } | StoreError::Sqlite { .. } | StoreError::Migration { .. } => {
                Failure::from(C::StorageError).with("detail", self)
            }
        }
    }

    /// What happened and what to do, in plain words in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        self.failure().message(locale)
    }
}
