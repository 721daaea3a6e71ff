use std::path::PathBuf;

use ventanilla_core::banks::BankCatalogueError;
use ventanilla_core::checklist::{CatalogueError, DateProblem};
use ventanilla_core::filecheck::FileProblem;
use ventanilla_core::ocds::OcdsError;
use ventanilla_core::Locale;

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

fn pick(locale: Locale, es: String, en: String) -> String {
    match locale {
        Locale::Es => es,
        Locale::En => en,
    }
}

/// What the user reads about a business whose own file cannot be used.
pub fn damage_message(locale: Locale) -> String {
    pick(
        locale,
        "El archivo de este negocio está dañado o falta, y no se puede abrir. Los demás negocios no se ven afectados. Si tienes un respaldo de su carpeta, restáuralo; si no, puedes eliminarlo y volver a capturarlo.".into(),
        "This business's file is damaged or missing and cannot be opened. Your other businesses are not affected. Restore its folder from a backup if you have one; otherwise delete it and enter it again.".into(),
    )
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

    /// What happened and what to do, in plain words in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            StoreError::DataDirUnwritable { path, .. } => pick(
                locale,
                format!("No se puede escribir en la carpeta de datos «{}». Revisa que exista, que tengas permiso de escritura y que el disco no esté lleno; después vuelve a abrir Ventanilla.", path.display()),
                format!("Ventanilla cannot write to its data folder “{}”. Check that it exists, that you may write to it and that the disk is not full, then open Ventanilla again.", path.display()),
            ),
            StoreError::NewerSchema { path, .. } => pick(
                locale,
                format!("Los datos en «{}» los guardó una versión más nueva de Ventanilla. Instala la versión más reciente para abrirlos; no los modificamos.", path.display()),
                format!("The data in “{}” was saved by a newer Ventanilla. Install the latest version to open it; we have not changed it.", path.display()),
            ),
            StoreError::Damaged { .. } => damage_message(locale),
            StoreError::UnknownBusiness(_) => pick(
                locale,
                "Ese negocio ya no existe; quizá se eliminó. Vuelve a la lista de negocios.".into(),
                "That business no longer exists; it may have been deleted. Go back to the list of businesses.".into(),
            ),
            StoreError::NoBusinessMatches(key) => pick(
                locale,
                format!("Ningún negocio tiene el id o el RFC «{key}». Revisa cómo está escrito o busca el negocio en la lista."),
                format!("No business has the id or RFC “{key}”. Check how it is written or look the business up in the list."),
            ),
            StoreError::AmbiguousBusiness { key, count } => pick(
                locale,
                format!("Hay {count} negocios con el RFC «{key}». Indica cuál con su id, que aparece en la lista de negocios."),
                format!("{count} businesses have the RFC “{key}”. Say which one by its id, shown in the list of businesses."),
            ),
            StoreError::UnknownRepresentative(_) => pick(
                locale,
                "Ese representante ya se había eliminado. Revisa la lista de representantes.".into(),
                "That representative had already been removed. Check the list of representatives.".into(),
            ),
            StoreError::NotATextField { .. } => pick(
                locale,
                "La aplicación pidió guardar un dato que no existe. Reinicia Ventanilla; tus datos guardados no se perdieron.".into(),
                "The app tried to save a field that does not exist. Restart Ventanilla; your saved data is safe.".into(),
            ),
            StoreError::CatalogueRefused(_) => pick(
                locale,
                "El catálogo de requisitos recibido no es válido y no se usó. Sigues con el catálogo que tenías; vuelve a intentarlo más tarde.".into(),
                "The requirement catalogue received is not valid and was not used. You keep the catalogue you had; try again later.".into(),
            ),
            StoreError::BanksRefused(_) => pick(
                locale,
                "El catálogo de bancos recibido no es válido y no se usó. Sigues con el catálogo que tenías; vuelve a intentarlo más tarde.".into(),
                "The bank catalogue received is not valid and was not used. You keep the catalogue you had; try again later.".into(),
            ),
            StoreError::UnknownRequirement(code) => pick(
                locale,
                format!("El documento «{code}» no está en el catálogo de requisitos. Revisa el código en la lista de documentos."),
                format!("The document “{code}” is not in the requirement catalogue. Check its code in the list of documents."),
            ),
            StoreError::UnknownDocument(_) => pick(
                locale,
                "Ese documento ya no está en el expediente; quizá se eliminó. Revisa la lista de documentos.".into(),
                "That document is no longer in the file; it may have been removed. Check the list of documents.".into(),
            ),
            StoreError::UnknownSubmission(_) => pick(
                locale,
                "Ese envío no está en la lista de envíos de este negocio. Vuelve a la página de sincronización.".into(),
                "That submission is not in this business's list of submissions. Go back to the sync page.".into(),
            ),
            StoreError::UnknownBid(_) => pick(
                locale,
                "Esa propuesta ya no existe; quizá se eliminó. Revisa la lista de propuestas del negocio.".into(),
                "That bid no longer exists; it may have been deleted. Check the business's list of bids.".into(),
            ),
            StoreError::NotHeld { sent: true, .. } => pick(
                locale,
                "Ese envío ya llegó a la alcaldía y tiene su acuse; no hay nada que reintentar.".into(),
                "That submission already reached the alcaldía and has its receipt; there is nothing to retry.".into(),
            ),
            StoreError::NotHeld { sent: false, .. } => pick(
                locale,
                "Ese envío ya está en la cola y se enviará en la próxima sincronización; no hay nada que reintentar.".into(),
                "That submission is already queued and will go out with the next sync; there is nothing to retry.".into(),
            ),
            StoreError::BadServerAddress(address) => pick(
                locale,
                format!("«{address}» no es una dirección de servidor. Escríbela completa, como https://proveedores.alcaldiabenitojuarez.gob.mx, en Configuración."),
                format!("“{address}” is not a server address. Type it in full, like https://proveedores.alcaldiabenitojuarez.gob.mx, in Settings."),
            ),
            StoreError::InsecureServer(address) => pick(
                locale,
                format!("La dirección «{address}» no es segura: un servidor en otro equipo debe usar https:// (http:// solo se admite para uno en este mismo equipo, como http://127.0.0.1). Corrige la dirección del servidor en Configuración; no se envió nada."),
                format!("The address “{address}” is not secure: a server on another computer must use https:// (http:// is accepted only for one on this same computer, like http://127.0.0.1). Correct the server address in Settings; nothing was sent."),
            ),
            StoreError::SourceUnreadable { path, .. } => pick(
                locale,
                format!("No se pudo leer el archivo «{}». Revisa que siga en su lugar, que tengas permiso para abrirlo y, si está en una memoria USB o en la red, que siga conectada; después vuelve a adjuntarlo.", path.display()),
                format!("The file “{}” could not be read. Check that it is still there, that you may open it and, if it is on a USB stick or the network, that it is still connected; then attach it again.", path.display()),
            ),
            StoreError::FileRefused { problem } => problem.message(locale),
            StoreError::DateRefused { problem } => problem.message(locale),
            StoreError::TenderFileRefused(problem) => problem.message(locale),
            StoreError::Cancelled => pick(
                locale,
                "Se canceló la copia; el documento no se adjuntó.".into(),
                "The copy was cancelled; the document was not attached.".into(),
            ),
            e if e.is_write_refused() => pick(
                locale,
                "No se pudo guardar: el disco no permite escribir (carpeta de solo lectura o disco lleno). Lo que escribiste sigue en pantalla; libera espacio o revisa los permisos y vuelve a intentarlo.".into(),
                "Could not save: the disk refuses writes (read-only folder or full disk). What you typed is still on screen; free some space or check the permissions and try again.".into(),
            ),
            StoreError::Io { .. } | StoreError::Sqlite { .. } | StoreError::Migration { .. } => pick(
                locale,
                format!("No se pudo leer o escribir en el disco. Lo que escribiste sigue en pantalla; inténtalo de nuevo. Detalle técnico: {self}"),
                format!("A disk read or write failed. What you typed is still on screen; try again. Technical detail: {self}"),
            ),
        }
    }
}
