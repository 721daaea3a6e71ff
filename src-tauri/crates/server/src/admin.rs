//! The alcaldía's side, straight in the data folder: review the latest registration
//! of an RFC (approve or reject, with observations per document), create the
//! operator accounts of chamber staff, answer the questions on a tender (aclaraciones),
//! and decide a tender (its award, or fallo) and record its contract, which its OCDS
//! releases then publish.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};
use ventanilla_api::ocds::Money;
use ventanilla_api::registration::{Observation, ReviewStatus};

use crate::credentials;
use crate::database::Database;
use crate::signing::{log_signer, SignerError, KEY_FILE};
use crate::storage::{
    AwardOutcome, AwardRecord, ContractRecord, EnquiryRow, Storage, StorageError,
};

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
        "No existe la base de datos {}. Revisa que --database-url sea la del servidor.",
        .0.display()
    )]
    NoDatabaseFile(PathBuf),
    #[error(
        "No existe la carpeta {}. Indica con --data-dir la carpeta de datos del servidor \
         (o créala antes, si el servidor aún no se ha iniciado).",
        .0.display()
    )]
    NoDataDir(PathBuf),
    #[error(
        "No hay ninguna licitación con el OCID {0} en este servidor. Revisa el OCID (está \
         en /v1/tenders) y que --data-dir sea la carpeta de datos del servidor."
    )]
    NoTender(String),
    #[error(
        "«{0}» no es un id de propuesta válido. Copia el id de la propuesta tal como aparece \
         en bids.details de la licitación, por ejemplo 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b."
    )]
    BidId(String),
    #[error(
        "La licitación {ocid} no tiene ninguna propuesta con el id {bid}. Revisa el id en \
         bids.details de la licitación."
    )]
    NoBid { ocid: String, bid: Uuid },
    #[error(
        "La propuesta {bid} es de la licitación {other}, no de {ocid}. Da el fallo en la \
         licitación de la propuesta o elige una propuesta de {ocid}."
    )]
    OtherTender {
        ocid: String,
        bid: Uuid,
        other: String,
    },
    #[error(
        "Las propuestas de la licitación {ocid} se abren el {opening} (UTC): el fallo solo \
         puede darse después de la apertura."
    )]
    NotOpened { ocid: String, opening: String },
    #[error("La licitación {0} ya tiene fallo; un fallo no se da dos veces.")]
    AlreadyAwarded(String),
    #[error(
        "La licitación {0} aún no tiene fallo: el contrato se registra después de dar el \
         fallo a una propuesta (ventanilla-server award --data-dir CARPETA {0} --bid ID)."
    )]
    NoAward(String),
    #[error("La licitación {0} no tuvo ganador (desierta o cancelada): no puede tener contrato.")]
    NoWinner(String),
    #[error("La licitación {0} ya tiene contrato; un contrato no se registra dos veces.")]
    AlreadyContracted(String),
    #[error(
        "La vigencia del contrato termina ({end}) antes de empezar ({start}). Revisa --start \
         y --end."
    )]
    Period { start: NaiveDate, end: NaiveDate },
    #[error("El monto del contrato debe ser mayor que cero; recibió {0}. Revisa --amount.")]
    Amount(Decimal),
    #[error(
        "«{0}» no es un id de pregunta válido. Copia el id tal como lo muestra \
         ventanilla-server questions --data-dir CARPETA OCID."
    )]
    QuestionId(String),
    #[error(
        "La licitación {ocid} no tiene ninguna pregunta con el id {id}. Revisa el id con \
         ventanilla-server questions --data-dir CARPETA {ocid}."
    )]
    NoQuestion { ocid: String, id: Uuid },
    #[error(
        "La respuesta está vacía. Escribe la respuesta en la entrada estándar, por ejemplo: \
         echo \"Sí, se aceptan entregas parciales.\" | ventanilla-server answer ..."
    )]
    EmptyAnswer,
    #[error(
        "La respuesta tiene {0} caracteres; el máximo es {MAX_ANSWER_CHARS}. Acórtala o \
         publica el detalle en un documento de la licitación."
    )]
    LongAnswer(usize),
    #[error("La pregunta {0} ya tiene exactamente esa respuesta; no se publicó nada nuevo.")]
    SameAnswer(Uuid),
    #[error("{}", storage_message(.0))]
    Storage(#[from] StorageError),
    #[error(
        "Ya hay una llave de recibos en {}: no se reemplaza, porque los recibos ya firmados \
         dejarían de verificarse. Cópiala a la carpeta de datos de cada instancia.",
        .0.display()
    )]
    KeyExists(PathBuf),
    #[error(
        "La base de datos ya tiene recibos firmados con la llave {0}. No se crea otra: copia \
         receipt-signing.key de la carpeta de datos de una instancia a --data-dir."
    )]
    DatabaseHasKey(String),
    #[error("No se pudo guardar la llave en {} ({why}). Revisa el permiso de escribir en la carpeta.", .path.display())]
    KeyFile { path: PathBuf, why: String },
}

fn storage_message(error: &StorageError) -> String {
    match error {
        StorageError::NewerSchema { found, supported } => format!(
            "La base de datos es de una versión más nueva del servidor (esquema {found}; \
             esta versión llega al {supported}). Usa la versión de ventanilla-server que \
             la creó o una más nueva."
        ),
        StorageError::Unreachable(why) => format!(
            "No se puede conectar con la base de datos del servidor ({why}). Revisa que \
             PostgreSQL esté en marcha y que --database-url sea la del servidor.{}",
            crate::postgres::tls_advice(why)
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

/// Where a command finds the server's data: its data folder (`--data-dir`), and its
/// database when that is not the folder's `server.db` (`--database-url`).
#[derive(Clone, Copy, Debug)]
pub struct ServerData<'a> {
    pub data_dir: &'a Path,
    pub database: Option<&'a Database>,
}

impl<'a> ServerData<'a> {
    /// The data folder with its own `server.db`.
    pub fn folder(data_dir: &'a Path) -> ServerData<'a> {
        ServerData {
            data_dir,
            database: None,
        }
    }

    /// The time a command records what it does at: on a database instances share, the
    /// database's clock, which the instances judge deadlines by (so an award is never
    /// dated before the opening the instances enforced); else the machine's.
    pub fn now(&self) -> Result<DateTime<Utc>, AdminError> {
        // Only PostgreSQL is shared; opening SQLite here could create a mistyped file.
        let Some(database @ Database::Postgres(_)) = self.database else {
            return Ok(Utc::now());
        };
        let (_, coordination) = database.open_shared()?;
        Ok(match coordination {
            Some(shared) => shared.database_time()?,
            None => Utc::now(),
        })
    }
}

/// The store of a data folder that exists: a mistyped folder must not become a new,
/// empty server. `with_database`: the server must have been started there already.
fn existing(data: ServerData<'_>, with_database: bool) -> Result<Arc<dyn Storage>, AdminError> {
    let data_dir = data.data_dir;
    if !data_dir.is_dir() {
        return Err(AdminError::NoDataDir(data_dir.to_owned()));
    }
    let database = data
        .database
        .cloned()
        .unwrap_or_else(|| Database::in_data_dir(data_dir));
    if let Database::Sqlite(file) = &database {
        if with_database && !file.is_file() {
            return Err(match data.database {
                None => AdminError::NoDatabase(data_dir.to_owned()),
                Some(_) => AdminError::NoDatabaseFile(file.clone()),
            });
        }
    }
    Ok(database.open()?)
}

/// Makes the receipt-signing key of a new server in its data folder and records it in
/// its database: for instances sharing a database, each then given a copy of the file.
/// Returns its public key (base64).
pub fn init_keys(data: ServerData<'_>) -> Result<String, AdminError> {
    let storage = existing(data, false)?;
    let file = data.data_dir.join(KEY_FILE);
    if file.exists() {
        return Err(AdminError::KeyExists(file));
    }
    match log_signer(data.data_dir, storage.as_ref()) {
        Ok(signer) => Ok(signer.public_key().public_key),
        Err(SignerError::File(e)) => Err(AdminError::KeyFile {
            path: file,
            why: e.to_string(),
        }),
        Err(SignerError::Storage(e)) => Err(e.into()),
        Err(SignerError::Missing { kept } | SignerError::Other { kept, .. }) => {
            Err(AdminError::DatabaseHasKey(kept))
        }
    }
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
    data: ServerData<'_>,
    rfc: &str,
    status: ReviewStatus,
    observations: &[Observation],
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let storage = existing(data, true)?;
    let rfc = ventanilla_core::identifiers::normalize(rfc);
    match storage.review(&rfc, status, observations, now)? {
        true => Ok(()),
        false => Err(AdminError::NoRegistration(rfc)),
    }
}

/// Creates an operator account.
pub fn create_operator(
    data: ServerData<'_>,
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
    let storage = existing(data, false)?;
    match storage.create_account(&account, &hash, now) {
        Ok(()) => Ok(account),
        Err(StorageError::Conflict(_)) => Err(AdminError::AccountExists(account.email)),
        Err(e) => Err(e.into()),
    }
}

/// The longest answer accepted, in characters.
pub const MAX_ANSWER_CHARS: usize = 20_000;

/// The questions on `ocid`, oldest first, with their answers: for the reviewer, who
/// answers them by id. Who asked is not shown here either.
pub fn questions(data: ServerData<'_>, ocid: &str) -> Result<Vec<EnquiryRow>, AdminError> {
    let storage = existing(data, true)?;
    if storage.tender(ocid)?.is_none() {
        return Err(AdminError::NoTender(ocid.to_owned()));
    }
    Ok(storage.enquiries(ocid)?)
}

/// Answers the question `id` on `ocid` (or changes its answer) with `answer`, trimmed;
/// the tender's release publishes it from `now`.
pub fn answer(
    data: ServerData<'_>,
    ocid: &str,
    id: &str,
    answer: &str,
    now: DateTime<Utc>,
) -> Result<EnquiryRow, AdminError> {
    let storage = existing(data, true)?;
    if storage.tender(ocid)?.is_none() {
        return Err(AdminError::NoTender(ocid.to_owned()));
    }
    let id = Uuid::parse_str(id.trim()).map_err(|_| AdminError::QuestionId(id.to_owned()))?;
    let answer = answer.trim();
    if answer.is_empty() {
        return Err(AdminError::EmptyAnswer);
    }
    let length = answer.chars().count();
    if length > MAX_ANSWER_CHARS {
        return Err(AdminError::LongAnswer(length));
    }
    let find = |rows: Vec<EnquiryRow>| rows.into_iter().find(|row| row.id == id);
    let question = find(storage.enquiries(ocid)?).ok_or_else(|| AdminError::NoQuestion {
        ocid: ocid.to_owned(),
        id,
    })?;
    if question
        .answers
        .last()
        .is_some_and(|(last, _)| last == answer)
    {
        return Err(AdminError::SameAnswer(id));
    }
    if !storage.answer_enquiry(ocid, id, answer, now)? {
        return Err(AdminError::NoQuestion {
            ocid: ocid.to_owned(),
            id,
        });
    }
    find(storage.enquiries(ocid)?).ok_or_else(|| {
        AdminError::Storage(StorageError::Corrupt(format!("the question {id} is gone")))
    })
}

/// How the alcaldía decides a tender.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The bid with this id (as text, as typed) wins.
    Bid(String),
    /// No bid wins (desierta).
    Unsuccessful,
    /// The tender is cancelled.
    Cancelled,
}

/// Records the award of `ocid`, only once and only after its bids were opened; a
/// winning bid must be one of its own.
pub fn award(
    data: ServerData<'_>,
    ocid: &str,
    decision: &Decision,
    now: DateTime<Utc>,
) -> Result<AwardRecord, AdminError> {
    let storage = existing(data, true)?;
    let tender = storage
        .tender(ocid)?
        .ok_or_else(|| AdminError::NoTender(ocid.to_owned()))?;
    let outcome = match decision {
        Decision::Bid(text) => {
            let bid = Uuid::parse_str(text.trim()).map_err(|_| AdminError::BidId(text.clone()))?;
            if storage.bid(ocid, bid)?.is_none() {
                let other = storage
                    .tenders()?
                    .into_iter()
                    .map(|t| t.release.ocid)
                    .find(|other| matches!(storage.bid(other, bid), Ok(Some(_))));
                return Err(match other {
                    Some(other) => AdminError::OtherTender {
                        ocid: ocid.to_owned(),
                        bid,
                        other,
                    },
                    None => AdminError::NoBid {
                        ocid: ocid.to_owned(),
                        bid,
                    },
                });
            }
            AwardOutcome::Won(bid)
        }
        Decision::Unsuccessful => AwardOutcome::Unsuccessful,
        Decision::Cancelled => AwardOutcome::Cancelled,
    };
    // A cancellation may come at any time; a decision on the bids only once they are
    // opened.
    if outcome != AwardOutcome::Cancelled && now < tender.opening {
        return Err(AdminError::NotOpened {
            ocid: ocid.to_owned(),
            opening: tender.opening.format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    let record = AwardRecord {
        ocid: ocid.to_owned(),
        outcome,
        decided_at: now,
    };
    match storage.record_award(&record) {
        Ok(()) => Ok(record),
        Err(StorageError::Conflict(_)) => Err(AdminError::AlreadyAwarded(ocid.to_owned())),
        Err(e) => Err(e.into()),
    }
}

/// Records the contract of `ocid` after an award to a bid: for `amount` (the winning
/// bid's total when `None`), in force from `start` to `end`.
pub fn contract(
    data: ServerData<'_>,
    ocid: &str,
    amount: Option<Decimal>,
    start: NaiveDate,
    end: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ContractRecord, AdminError> {
    let storage = existing(data, true)?;
    if storage.tender(ocid)?.is_none() {
        return Err(AdminError::NoTender(ocid.to_owned()));
    }
    let award = storage
        .award(ocid)?
        .ok_or_else(|| AdminError::NoAward(ocid.to_owned()))?;
    let AwardOutcome::Won(bid) = award.outcome else {
        return Err(AdminError::NoWinner(ocid.to_owned()));
    };
    let won = storage
        .bid(ocid, bid)?
        .ok_or_else(|| StorageError::Corrupt(format!("the award of {ocid} names no bid")))?;
    if end < start {
        return Err(AdminError::Period { start, end });
    }
    let value = match amount {
        Some(amount) if amount <= Decimal::ZERO => return Err(AdminError::Amount(amount)),
        Some(amount) => Money {
            amount,
            currency: won.record.value.currency,
        },
        None => won.record.value,
    };
    let midnight = |day: NaiveDate| day.and_time(chrono::NaiveTime::MIN).and_utc();
    let record = ContractRecord {
        ocid: ocid.to_owned(),
        value,
        start: midnight(start),
        end: midnight(end),
        signed_at: now,
    };
    match storage.record_contract(&record) {
        Ok(()) => Ok(record),
        Err(StorageError::Conflict(_)) => Err(AdminError::AlreadyContracted(ocid.to_owned())),
        Err(e) => Err(e.into()),
    }
}
