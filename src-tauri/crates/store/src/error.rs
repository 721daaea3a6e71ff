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
    /// The data folder cannot be created or written (permissions, a read-only disk).
    #[error("cannot write to the data folder {path}: {source}")]
    DataDirUnwritable {
        /// The data folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A database from a later version of the app: opening it would risk its data.
    #[error("{path} was written by a newer Ventanilla (schema {found}, this build knows up to {supported})")]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The schema version the file is at.
        found: i64,
        /// The latest schema version this build knows.
        supported: i64,
    },
    /// A file that is not a sound database, or a database that lost its schema.
    #[error("{path} is damaged: {reason}")]
    Damaged {
        /// The damaged file.
        path: PathBuf,
        /// What was found wrong, for support.
        reason: String,
    },
    /// No business has this id (it was deleted, or never existed here).
    #[error("no business with id {0}")]
    UnknownBusiness(String),
    /// Neither an id nor an RFC of any business (the CLI's lookup).
    #[error("no business has the id or RFC {0}")]
    NoBusinessMatches(String),
    /// An RFC shared by several businesses, so it cannot pick one (the CLI's lookup).
    #[error("{count} businesses have the RFC {key}")]
    AmbiguousBusiness {
        /// The RFC given.
        key: String,
        /// How many businesses have it.
        count: usize,
    },
    /// No legal representative of the business has this id.
    #[error("no representative with id {0}")]
    UnknownRepresentative(String),
    /// A field set as text that the registration does not keep as text.
    #[error("{field} is not a field stored as text")]
    NotATextField {
        /// The field's name.
        field: &'static str,
    },
    /// A requirement catalogue (from the server) that core refused; the one in use stays.
    #[error("the catalogue was refused: {0}")]
    CatalogueRefused(CatalogueError),
    /// A bank catalogue (from the server) that core refused; the one in use stays.
    #[error("the bank catalogue was refused: {0}")]
    BanksRefused(BankCatalogueError),
    /// A requirement code the catalogue in use does not have.
    #[error("no requirement with code {0} in the catalogue")]
    UnknownRequirement(String),
    /// No document of the business has this id.
    #[error("no document with id {0}")]
    UnknownDocument(String),
    /// No submission in the business's outbox has this id.
    #[error("no submission with id {0}")]
    UnknownSubmission(String),
    /// No bid of the business has this id.
    #[error("no bid with id {0}")]
    UnknownBid(String),
    /// A submission put back in the queue that was not held by the server's refusal.
    #[error("submission {id} is not held (sent: {sent})")]
    NotHeld {
        /// The submission.
        id: String,
        /// Whether it was already sent (else it is still queued).
        sent: bool,
    },
    /// A server setting that is not a URL.
    #[error("{0:?} is not a server address")]
    BadServerAddress(String),
    /// A server setting with plain http to another computer, which would expose the
    /// password and documents.
    #[error("{0} is not https and not on this computer")]
    InsecureServer(String),
    /// A file the user chose that cannot be read (moved, deleted, no permission).
    #[error("cannot read {path}: {source}")]
    SourceUnreadable {
        /// The chosen file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A document refused for its content (type, size, a password, truncation).
    #[error("the file was refused: {problem:?}")]
    FileRefused {
        /// What core found wrong with it.
        problem: FileProblem,
    },
    /// A document refused for its issue or expiry date.
    #[error("the document's dates were refused: {problem:?}")]
    DateRefused {
        /// What core found wrong with them.
        problem: DateProblem,
    },
    /// A tender file (OCDS) that could not be read as one.
    #[error("the tender file was refused: {0}")]
    TenderFileRefused(OcdsError),
    /// The user cancelled the copy of a document; nothing was kept.
    #[error("the copy was cancelled")]
    Cancelled,
    /// A passphrase too short to protect a business's data.
    #[error("the passphrase has fewer than {min} characters")]
    PassphraseTooShort {
        /// The fewest characters allowed.
        min: usize,
    },
    /// A file given as a business's file that is not one.
    #[error("{path} is not a Ventanilla business file")]
    BundleNotOurs {
        /// The file.
        path: PathBuf,
    },
    /// A business's file in a format later than this build reads.
    #[error("the business file is of format {found}, newer than this build reads")]
    BundleNewer {
        /// Its format.
        found: u32,
    },
    /// A business's file that the passphrase given does not open.
    #[error("the passphrase does not open the business file")]
    BundleWrongPassphrase,
    /// A business's file cut short or altered.
    #[error("the business file is damaged: {detail}")]
    BundleDamaged {
        /// What was found wrong, for support.
        detail: String,
    },
    /// A business's file of a business already here, imported with no choice made.
    #[error("business {id} ({name}) is already here")]
    BundleExists {
        /// The business here.
        id: String,
        /// Its name.
        name: String,
    },
    /// A business's file that would replace a newer copy.
    #[error("the business file of {name} is older than the copy here")]
    BundleOlder {
        /// The business's name.
        name: String,
    },
    /// A locked business asked for anything but its unlocking.
    #[error("business {id} is locked")]
    Locked {
        /// The business.
        id: String,
        /// The name its owner chose to show while it is locked.
        label: String,
    },
    /// A passphrase that does not unlock the business.
    #[error("the passphrase does not unlock the business")]
    WrongPassphrase,
    /// A key slot (`lock.json`) that cannot be read.
    #[error("the business's key slot is damaged: {0}")]
    LockDamaged(String),
    /// Locking a business without the name to show for it while locked.
    #[error("a locked business needs a label")]
    LabelMissing,
    /// Locking a business that is locked already.
    #[error("the business is locked already")]
    AlreadyLocked,
    /// Unlocking a business that has no lock.
    #[error("the business is not locked")]
    NotLocked,
    /// Any other file system failure.
    #[error("file system error on {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Any other SQLite failure.
    #[error("database error on {path}: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The migration runner refused this build's own migration list: a defect, not data.
    #[error("cannot migrate {path}: {source}")]
    Migration {
        /// The database file.
        path: PathBuf,
        /// What the runner said.
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
            StoreError::PassphraseTooShort { .. } => "passphrase_too_short",
            StoreError::BundleNotOurs { .. } => "bundle_not_ours",
            StoreError::BundleNewer { .. } => "bundle_newer",
            StoreError::BundleWrongPassphrase => "bundle_wrong_passphrase",
            StoreError::BundleDamaged { .. } => "bundle_damaged",
            StoreError::BundleExists { .. } => "bundle_exists",
            StoreError::BundleOlder { .. } => "bundle_older",
            StoreError::Locked { .. } => "business_locked",
            StoreError::WrongPassphrase => "wrong_passphrase",
            StoreError::LockDamaged(_) => "lock_damaged",
            StoreError::LabelMissing => "lock_label_missing",
            StoreError::AlreadyLocked => "already_locked",
            StoreError::NotLocked => "not_locked",
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
            StoreError::PassphraseTooShort { min } => {
                Failure::from(C::PassphraseTooShort).with("min", min)
            }
            StoreError::BundleNotOurs { path: p } => {
                Failure::from(C::BundleNotOurs).with("path", path(p))
            }
            StoreError::BundleNewer { found } => Failure::from(C::BundleNewer).with("found", found),
            StoreError::BundleWrongPassphrase => C::BundleWrongPassphrase.into(),
            StoreError::BundleDamaged { detail } => {
                Failure::from(C::BundleDamaged).with("detail", detail)
            }
            StoreError::BundleExists { name, .. } => {
                Failure::from(C::BundleExists).with("name", name)
            }
            StoreError::BundleOlder { name } => Failure::from(C::BundleOlder).with("name", name),
            StoreError::Locked { label, .. } => {
                Failure::from(C::BusinessLocked).with("label", label)
            }
            StoreError::WrongPassphrase => C::WrongPassphrase.into(),
            StoreError::LockDamaged(detail) => Failure::from(C::LockDamaged).with("detail", detail),
            StoreError::LabelMissing => C::LockLabelMissing.into(),
            StoreError::AlreadyLocked => C::AlreadyLocked.into(),
            StoreError::NotLocked => C::NotLocked.into(),
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
