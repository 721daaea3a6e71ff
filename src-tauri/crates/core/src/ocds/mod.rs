//! Reading tenders out of Open Contracting Data Standard files, whatever the publisher.
//!
//! A file may hold a release package (`releases`), a record package (`records`), a single
//! release, a single record (`compiledRelease`, else its latest embedded release), or a
//! bare array of releases. The top level is read as a stream: each element of
//! `releases`/`records` is cut out on its own and handed over as a [`Tender`] (or the
//! reason it was skipped) before the next is read, so a 50 MB package never sits whole in
//! memory.
//!
//! Publishers differ; what is accepted:
//! - unknown fields are ignored, optional ones may be missing or `null`;
//! - ids may be strings or numbers;
//! - instants with an offset (`Z`, `-06:00`, `-0600`), without one (taken as Mexico City
//!   time), or a bare day (midnight in Mexico City: the earliest reading of a deadline);
//! - amounts, quantities and rates as JSON numbers or strings, read from their text into
//!   exact decimals, never through floating point;
//! - `procurementMethod` `open`/`selective`/`limited` (and `direct`), else the Spanish
//!   procedure name in `procurementMethodDetails`;
//! - the buyer from `buyer`, else the parties with role `buyer`, else the procuring entity;
//! - the bid bond rate (a fraction, such as `0.05`) from `tender.bidBond` (a number,
//!   or an object with `rate`), or from the `tender.guarantees[]` entry whose `type` is
//!   `bidBond`, as Ventanilla's server publishes it;
//! - requirement codes from the OCDS requirements extension
//!   (`tender.criteria[].requirementGroups[].requirements[].id`) when shaped like catalogue
//!   codes (`EDOS_FIN`).
//!
//! A release that cannot be understood (no ocid, no tender, an unreadable date or amount)
//! is skipped with its reason; a file that is not JSON or not OCDS is refused whole.

mod convert;
pub mod merge;
mod raw;
mod stream;

pub use convert::{exact_decimal, instant};
pub use stream::read_tenders;

use crate::tender::Tender;
use crate::Locale;

/// The shape the file turned out to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// A release package: `releases` at the top.
    ReleasePackage,
    /// A record package: `records` at the top.
    RecordPackage,
    /// A single release.
    Release,
    /// A single record: `compiledRelease` or embedded `releases` with an `ocid`.
    Record,
    /// A bare JSON array of releases.
    ReleaseList,
}

/// One release read from the file: the tender it describes, or why it was left out.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A release read as a tender.
    Tender(Box<Tender>),
    /// A release left out, and why.
    Skipped(Skipped),
}

/// A release left out, where it was and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its place in the file, counting releases (or records) from 1.
    pub position: usize,
    /// Its ocid, when it has one.
    pub ocid: Option<String>,
    /// Why it was left out.
    pub reason: SkipReason,
}

/// Why a release was left out.
#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum SkipReason {
    /// No `ocid`, so it cannot be kept.
    NoOcid,
    /// No `tender` data.
    NoTender,
    /// A field that must be a date could not be read as one: the field and its text.
    BadDate {
        /// The field, such as `tender.tenderPeriod.endDate`.
        field: &'static str,
        /// The text found there.
        text: String,
    },
    /// A field that must be an amount could not be read as one: the field and its text.
    BadNumber {
        /// The field, such as `tender.items[0].quantity`.
        field: String,
        /// The text found there.
        text: String,
    },
    /// Unknown `tender.status`.
    UnknownStatus(String),
    /// A field has the wrong JSON type; serde's technical detail.
    Malformed(String),
    /// A more recent release of the same process is already in the catalogue or file.
    Superseded,
}

impl SkipReason {
    /// A stable code for the CLI and tests.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// The reason in plain words, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (SkipReason::NoOcid, Locale::Es) => "La entrega no tiene «ocid», el identificador del proceso; no se puede guardar.".into(),
            (SkipReason::NoOcid, Locale::En) => "The release has no “ocid”, the process identifier; it cannot be kept.".into(),
            (SkipReason::NoTender, Locale::Es) => "La entrega no trae datos de la convocatoria («tender»).".into(),
            (SkipReason::NoTender, Locale::En) => "The release carries no tender data (“tender”).".into(),
            (SkipReason::BadDate { field, text }, Locale::Es) => format!("La fecha «{text}» en «{field}» no se entiende; se esperaba como 2026-03-01T10:00:00-06:00."),
            (SkipReason::BadDate { field, text }, Locale::En) => format!("The date “{text}” in “{field}” cannot be read; expected like 2026-03-01T10:00:00-06:00."),
            (SkipReason::BadNumber { field, text }, Locale::Es) => format!("La cantidad «{text}» en «{field}» no es un número válido (use punto decimal, sin separadores de miles)."),
            (SkipReason::BadNumber { field, text }, Locale::En) => format!("The amount “{text}” in “{field}” is not a valid number (use a decimal point, no thousands separators)."),
            (SkipReason::UnknownStatus(status), Locale::Es) => format!("El estado «{status}» de la convocatoria no es uno de OCDS."),
            (SkipReason::UnknownStatus(status), Locale::En) => format!("The tender status “{status}” is not an OCDS one."),
            (SkipReason::Malformed(detail), Locale::Es) => format!("La entrega tiene un dato con forma incorrecta: {detail}."),
            (SkipReason::Malformed(detail), Locale::En) => format!("The release has a field of the wrong shape: {detail}."),
            (SkipReason::Superseded, Locale::Es) => "Ya hay una versión más reciente de esta convocatoria; se conserva esa.".into(),
            (SkipReason::Superseded, Locale::En) => "A more recent version of this tender is already kept.".into(),
        }
    }
}

/// Why a whole file was refused.
#[derive(Debug, thiserror::Error)]
pub enum OcdsError {
    #[error("not JSON at line {line}, column {column}: {detail}")]
    /// The bytes are not JSON (or end early).
    NotJson {
        /// The line where it fails, from 1.
        line: usize,
        /// The column where it fails, from 1.
        column: usize,
        /// serde's technical detail.
        detail: String,
    },
    #[error("JSON but not OCDS: {0}")]
    /// JSON, but none of the OCDS shapes; what was found instead.
    NotOcds(&'static str),
    #[error("read failed: {0}")]
    /// The file could not be read to the end.
    Read(std::io::Error),
}

impl OcdsError {
    /// A stable code for the CLI, the UI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            OcdsError::NotJson { .. } => "ocds_not_json",
            OcdsError::NotOcds(_) => "ocds_not_ocds",
            OcdsError::Read(_) => "file_unreadable",
        }
    }

    /// What happened and what to do, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match (self, locale) {
            (OcdsError::NotJson { line, column, .. }, Locale::Es) => format!("El archivo está dañado o no es JSON: falla en la línea {line}, columna {column}. No se importó nada; pide una copia nueva del archivo."),
            (OcdsError::NotJson { line, column, .. }, Locale::En) => format!("The file is damaged or not JSON: it fails at line {line}, column {column}. Nothing was imported; ask for a fresh copy of the file."),
            (OcdsError::NotOcds(_), Locale::Es) => "El archivo es JSON pero no trae convocatorias en formato OCDS (un paquete de entregas o de registros, o una entrega o registro). No se importó nada; revisa que sea el archivo correcto.".into(),
            (OcdsError::NotOcds(_), Locale::En) => "The file is JSON but holds no OCDS tenders (a release or record package, or a release or record). Nothing was imported; check it is the right file.".into(),
            (OcdsError::Read(e), Locale::Es) => format!("No se pudo terminar de leer el archivo ({e}). Si está en una memoria USB, revisa que siga conectada. No se importó nada."),
            (OcdsError::Read(e), Locale::En) => format!("The file could not be read to the end ({e}). If it is on a USB stick, check it is still connected. Nothing was imported."),
        }
    }
}

/// What stopped a read: the file, or the receiver of the entries.
#[derive(Debug)]
pub enum ReadError<E> {
    /// The file was refused.
    File(OcdsError),
    /// The receiver's own error, as it returned it.
    Sink(E),
}
