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

use std::io::{BufRead, Read};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::tender::{Procedure, Tender, TenderDocument, TenderItem, TenderStatus};
use crate::Locale;

/// The shape the file turned out to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    ReleasePackage,
    RecordPackage,
    Release,
    Record,
    /// A bare JSON array of releases.
    ReleaseList,
}

/// One release read from the file: the tender it describes, or why it was left out.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Tender(Box<Tender>),
    Skipped(Skipped),
}

/// A release left out, where it was and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its place in the file, counting releases (or records) from 1.
    pub position: usize,
    pub ocid: Option<String>,
    pub reason: SkipReason,
}

/// Why a release was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    NoOcid,
    NoTender,
    /// A field that must be a date could not be read as one: the field and its text.
    BadDate {
        field: &'static str,
        text: String,
    },
    /// A field that must be an amount could not be read as one: the field and its text.
    BadNumber {
        field: String,
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
        match self {
            SkipReason::NoOcid => "no_ocid",
            SkipReason::NoTender => "no_tender",
            SkipReason::BadDate { .. } => "bad_date",
            SkipReason::BadNumber { .. } => "bad_number",
            SkipReason::UnknownStatus(_) => "unknown_status",
            SkipReason::Malformed(_) => "malformed",
            SkipReason::Superseded => "superseded",
        }
    }

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
    NotJson {
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("JSON but not OCDS: {0}")]
    NotOcds(&'static str),
    #[error("read failed: {0}")]
    Read(std::io::Error),
}

impl OcdsError {
    pub fn code(&self) -> &'static str {
        match self {
            OcdsError::NotJson { .. } => "ocds_not_json",
            OcdsError::NotOcds(_) => "ocds_not_ocds",
            OcdsError::Read(_) => "file_unreadable",
        }
    }

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
    File(OcdsError),
    Sink(E),
}

/// Reads an OCDS file from `reader`, handing each release (as a tender or a skip) to
/// `sink` in file order; a sink error stops the read and is returned as is. Several
/// releases of one ocid are all handed over: the receiver keeps the latest by date (on a
/// tie, the one handed over last, which for a record is its compiled release).
pub fn read_tenders<R: Read, E>(
    reader: R,
    sink: impl FnMut(Entry) -> Result<(), E>,
) -> Result<Shape, ReadError<E>> {
    let mut emitter = Emitter {
        sink,
        failure: None,
        position: 0,
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    // Windows editors start UTF-8 files with a byte order mark, which JSON does not allow.
    match reader.fill_buf() {
        Ok(start) if start.starts_with(b"\xEF\xBB\xBF") => reader.consume(3),
        Ok(_) => {}
        Err(e) => return Err(ReadError::File(OcdsError::Read(e))),
    }
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = de
        .deserialize_any(TopLevel(&mut emitter))
        .and_then(|shape| de.end().map(|()| shape));
    match (result, emitter.failure) {
        (Ok(shape), _) => Ok(shape),
        (Err(_), Some(failure)) => Err(failure),
        (Err(e), None) => Err(ReadError::File(file_error(e))),
    }
}

fn file_error(e: serde_json::Error) -> OcdsError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => OcdsError::Read(e.into()),
        Category::Syntax | Category::Eof => OcdsError::NotJson {
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
        },
        Category::Data => match NOT_OCDS.iter().find(|m| e.to_string().contains(*m)) {
            Some(reason) => OcdsError::NotOcds(reason),
            None => OcdsError::NotJson {
                line: e.line(),
                column: e.column(),
                detail: e.to_string(),
            },
        },
    }
}

const TOP_NOT_OBJECT: &str = "the top level is neither an object nor an array of releases";
const TOP_NO_OCDS_KEYS: &str = "no releases, records, compiledRelease or ocid at the top level";
const NOT_OCDS: &[&str] = &[TOP_NOT_OBJECT, TOP_NO_OCDS_KEYS];

/// Marks a read stopped by the sink; the sink's own error is kept aside.
const ABORTED: &str = "aborted by the receiver";

struct Emitter<F, E> {
    sink: F,
    failure: Option<ReadError<E>>,
    position: usize,
}

impl<F: FnMut(Entry) -> Result<(), E>, E> Emitter<F, E> {
    fn emit<D: de::Error>(&mut self, entry: Entry) -> Result<(), D> {
        (self.sink)(entry).map_err(|e| {
            self.failure = Some(ReadError::Sink(e));
            D::custom(ABORTED)
        })
    }

    fn release<D: de::Error>(&mut self, raw: &RawValue) -> Result<(), D> {
        self.position += 1;
        let entry = match serde_json::from_str::<RawRelease>(raw.get()) {
            Ok(release) if release.is_linked() => return Ok(()),
            Ok(release) => self.entry(release.tender()),
            Err(e) => self.entry(Err((None, SkipReason::Malformed(e.to_string())))),
        };
        self.emit(entry)
    }

    fn record<D: de::Error>(&mut self, raw: &RawValue) -> Result<(), D> {
        self.position += 1;
        let entry = match serde_json::from_str::<RawRecord>(raw.get()) {
            Ok(record) => self.entry(record.tender()),
            Err(e) => self.entry(Err((None, SkipReason::Malformed(e.to_string())))),
        };
        self.emit(entry)
    }

    fn entry(&self, read: Result<Tender, (Option<String>, SkipReason)>) -> Entry {
        match read {
            Ok(tender) => Entry::Tender(Box::new(tender)),
            Err((ocid, reason)) => Entry::Skipped(Skipped {
                position: self.position,
                ocid,
                reason,
            }),
        }
    }
}

/// The file's top level, told apart by its keys as they stream past.
struct TopLevel<'a, F, E>(&'a mut Emitter<F, E>);

impl<'de, F: FnMut(Entry) -> Result<(), E>, E> Visitor<'de> for TopLevel<'_, F, E> {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(TOP_NOT_OBJECT)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
        Elements(self.0, Element::Release).visit_seq(seq)?;
        Ok(Shape::ReleaseList)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let emitter = self.0;
        let (mut releases, mut records) = (false, false);
        let mut compiled: Option<Box<RawValue>> = None;
        // A single release's own fields, kept until the end tells it is one.
        let mut fields: Vec<(String, Box<RawValue>)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "releases" => {
                    map.next_value_seed(Elements(&mut *emitter, Element::Release))?;
                    releases = true;
                }
                "records" => {
                    map.next_value_seed(Elements(&mut *emitter, Element::Record))?;
                    records = true;
                }
                "compiledRelease" => compiled = Some(map.next_value()?),
                "ocid" | "id" | "date" | "tag" | "tender" | "buyer" | "parties" => {
                    fields.push((key, map.next_value()?));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let has_ocid = fields.iter().any(|(k, _)| k == "ocid");
        if records {
            return Ok(Shape::RecordPackage);
        }
        if let Some(compiled) = compiled {
            // Last, so it wins over the record's own releases of the same date.
            emitter.release(&compiled)?;
            return Ok(Shape::Record);
        }
        if releases {
            return Ok(if has_ocid {
                Shape::Record
            } else {
                Shape::ReleasePackage
            });
        }
        if has_ocid {
            let mut object = String::from("{");
            for (i, (key, value)) in fields.iter().enumerate() {
                if i > 0 {
                    object.push(',');
                }
                // The keys are the plain names matched above: nothing to escape.
                object.push_str(&format!("\"{key}\":{}", value.get()));
            }
            object.push('}');
            let raw = serde_json::from_str::<Box<RawValue>>(&object).map_err(de::Error::custom)?;
            emitter.release(&raw)?;
            return Ok(Shape::Release);
        }
        Err(de::Error::custom(TOP_NO_OCDS_KEYS))
    }
}

#[derive(Clone, Copy)]
enum Element {
    Release,
    Record,
}

/// An array of releases or records, read one element at a time.
struct Elements<'a, F, E>(&'a mut Emitter<F, E>, Element);

impl<'de, F: FnMut(Entry) -> Result<(), E>, E> DeserializeSeed<'de> for Elements<'_, F, E> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Entry) -> Result<(), E>, E> Visitor<'de> for Elements<'_, F, E> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of releases or records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            match self.1 {
                Element::Release => self.0.release(&raw)?,
                Element::Record => self.0.record(&raw)?,
            }
        }
        Ok(())
    }
}

/// Text that some publishers write as a number (ids) or leave `null`.
#[derive(Default, Debug)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.trim().to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text::default())
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

fn text(value: &Option<Text>) -> &str {
    value.as_ref().map_or("", |t| t.0.as_str())
}

fn list<T>(value: Option<Vec<T>>) -> Vec<T> {
    value.unwrap_or_default()
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawRecord<'a> {
    ocid: Option<Text>,
    #[serde(borrow)]
    releases: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    compiled_release: Option<RawRelease<'a>>,
}

impl RawRecord<'_> {
    /// Its compiled release, else the latest of its embedded releases.
    fn tender(self) -> Result<Tender, (Option<String>, SkipReason)> {
        if let Some(compiled) = self.compiled_release {
            return compiled.tender();
        }
        let mut latest: Option<Tender> = None;
        let mut first_problem = None;
        for raw in list(self.releases) {
            let read = serde_json::from_str::<RawRelease>(raw.get())
                .map_err(|e| (None, SkipReason::Malformed(e.to_string())))
                .and_then(|release| {
                    if release.is_linked() {
                        Err((None, SkipReason::NoTender))
                    } else {
                        release.tender()
                    }
                });
            match read {
                Ok(t)
                    if latest
                        .as_ref()
                        .is_none_or(|l| t.release_date >= l.release_date) =>
                {
                    latest = Some(t)
                }
                Ok(_) => {}
                Err(problem) => {
                    first_problem.get_or_insert(problem);
                }
            }
        }
        let ocid = Some(text(&self.ocid).to_owned()).filter(|o| !o.is_empty());
        latest.ok_or_else(|| match first_problem {
            Some((found, reason)) => (found.or(ocid), reason),
            None => (ocid, SkipReason::NoTender),
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawRelease<'a> {
    ocid: Option<Text>,
    id: Option<Text>,
    date: Option<Text>,
    #[serde(borrow)]
    tender: Option<RawTender<'a>>,
    buyer: Option<RawParty>,
    parties: Option<Vec<RawParty>>,
    /// Set on a linked release inside a record: a pointer, not a release.
    url: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawParty {
    id: Option<Text>,
    name: Option<Text>,
    roles: Option<Vec<Text>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawTender<'a> {
    id: Option<Text>,
    title: Option<Text>,
    description: Option<Text>,
    status: Option<Text>,
    procurement_method: Option<Text>,
    procurement_method_details: Option<Text>,
    main_procurement_category: Option<Text>,
    #[serde(borrow)]
    value: Option<RawAmount<'a>>,
    #[serde(borrow)]
    items: Option<Vec<RawItem<'a>>>,
    tender_period: Option<RawPeriod>,
    bid_opening: Option<RawPeriod>,
    documents: Option<Vec<RawDocument>>,
    procuring_entity: Option<RawParty>,
    #[serde(borrow)]
    bid_bond: Option<&'a RawValue>,
    #[serde(borrow)]
    guarantees: Option<Vec<RawGuarantee<'a>>>,
    criteria: Option<Vec<RawCriterion>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawAmount<'a> {
    #[serde(borrow)]
    amount: Option<&'a RawValue>,
    currency: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawItem<'a> {
    id: Option<Text>,
    description: Option<Text>,
    #[serde(borrow)]
    quantity: Option<&'a RawValue>,
    unit: Option<RawUnit>,
    classification: Option<RawClassification>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawUnit {
    id: Option<Text>,
    name: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawClassification {
    scheme: Option<Text>,
    id: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawPeriod {
    start_date: Option<Text>,
    end_date: Option<Text>,
    /// The bid opening extension's single date.
    date: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawDocument {
    title: Option<Text>,
    url: Option<Text>,
    document_type: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawGuarantee<'a> {
    #[serde(rename = "type")]
    kind: Option<Text>,
    #[serde(borrow)]
    rate: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawCriterion {
    requirement_groups: Option<Vec<RawRequirementGroup>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRequirementGroup {
    requirements: Option<Vec<RawParty>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRate<'a> {
    #[serde(borrow)]
    rate: Option<&'a RawValue>,
}

impl RawRelease<'_> {
    fn is_linked(&self) -> bool {
        self.url.is_some() && self.ocid.is_none() && self.tender.is_none()
    }

    fn tender(self) -> Result<Tender, (Option<String>, SkipReason)> {
        let ocid = text(&self.ocid).to_owned();
        if ocid.is_empty() {
            return Err((None, SkipReason::NoOcid));
        }
        let known = Some(ocid.clone());
        self.convert(ocid).map_err(|reason| (known, reason))
    }

    fn convert(self, ocid: String) -> Result<Tender, SkipReason> {
        let tender = self.tender.ok_or(SkipReason::NoTender)?;
        let release_date = instant("date", text(&self.date))?.ok_or(SkipReason::BadDate {
            field: "date",
            text: String::new(),
        })?;
        let parties = list(self.parties);
        let buyer = buyer_name(
            self.buyer.as_ref(),
            &parties,
            tender.procuring_entity.as_ref(),
        );
        let period = tender.tender_period.unwrap_or_default();
        let currency = tender.value.as_ref().map_or("", |v| text(&v.currency));
        // Only pesos are a value a Mexican bidder can compare with; others are left out.
        let value = match &tender.value {
            Some(v) if currency.is_empty() || currency.eq_ignore_ascii_case("MXN") => {
                number("tender.value.amount", v.amount)?
            }
            _ => None,
        };
        let items = list(tender.items)
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let unit = item.unit.unwrap_or_default();
                let class = item.classification.unwrap_or_default();
                Ok(TenderItem {
                    id: Some(text(&item.id).to_owned())
                        .filter(|id| !id.is_empty())
                        .unwrap_or_else(|| (i + 1).to_string()),
                    description: text(&item.description).to_owned(),
                    quantity: number(&format!("tender.items[{i}].quantity"), item.quantity)?,
                    unit: Some(text(&unit.name))
                        .filter(|n| !n.is_empty())
                        .unwrap_or(text(&unit.id))
                        .to_owned(),
                    classification: format!("{} {}", text(&class.scheme), text(&class.id))
                        .trim()
                        .to_owned(),
                })
            })
            .collect::<Result<Vec<_>, SkipReason>>()?;
        let documents = list(tender.documents)
            .into_iter()
            .map(|d| TenderDocument {
                title: [text(&d.title), text(&d.document_type), text(&d.url)]
                    .into_iter()
                    .find(|t| !t.is_empty())
                    .unwrap_or_default()
                    .to_owned(),
                url: text(&d.url).to_owned(),
            })
            .collect();
        let mut requirements: Vec<String> = Vec::new();
        for criterion in list(tender.criteria) {
            for group in list(criterion.requirement_groups) {
                for requirement in list(group.requirements) {
                    let id = text(&requirement.id);
                    if is_catalogue_code(id) && !requirements.iter().any(|r| r == id) {
                        requirements.push(id.to_owned());
                    }
                }
            }
        }
        let title = [text(&tender.title), text(&tender.description), &ocid]
            .into_iter()
            .find(|t| !t.is_empty())
            .unwrap_or_default()
            .to_owned();
        Ok(Tender {
            release_id: Some(text(&self.id).to_owned())
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| text(&tender.id).to_owned()),
            release_date,
            title,
            description: text(&tender.description).to_owned(),
            buyer,
            procedure: procedure(
                text(&tender.procurement_method),
                text(&tender.procurement_method_details),
            ),
            status: status(text(&tender.status))?,
            category: category(text(&tender.main_procurement_category)),
            deadline: instant("tender.tenderPeriod.endDate", text(&period.end_date))?,
            opening: instant(
                "tender.bidOpening.date",
                text(&tender.bid_opening.unwrap_or_default().date),
            )?,
            value,
            bid_bond_rate: bid_bond_rate(tender.bid_bond, list(tender.guarantees))?,
            items,
            documents,
            requirements,
            ocid,
        })
    }
}

fn buyer_name(buyer: Option<&RawParty>, parties: &[RawParty], entity: Option<&RawParty>) -> String {
    let has_role = |party: &&RawParty, role: &str| {
        party
            .roles
            .iter()
            .flatten()
            .any(|r| r.0.eq_ignore_ascii_case(role))
    };
    let by_id = |id: &str| {
        parties
            .iter()
            .find(|p| !id.is_empty() && text(&p.id) == id)
            .map(|p| text(&p.name))
    };
    let candidates = [
        buyer.map(|b| text(&b.name)),
        buyer.and_then(|b| by_id(text(&b.id))),
        parties
            .iter()
            .find(|p| has_role(p, "buyer"))
            .map(|p| text(&p.name)),
        entity.map(|e| text(&e.name)),
        entity.and_then(|e| by_id(text(&e.id))),
        parties
            .iter()
            .find(|p| has_role(p, "procuringEntity"))
            .map(|p| text(&p.name)),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|name| !name.is_empty())
        .unwrap_or_default()
        .to_owned()
}

fn procedure(method: &str, details: &str) -> Option<Procedure> {
    match method.to_ascii_lowercase().as_str() {
        "open" => return Some(Procedure::Licitacion),
        "selective" => return Some(Procedure::Invitacion),
        "limited" | "direct" => return Some(Procedure::Adjudicacion),
        _ => {}
    }
    let details = details.to_lowercase();
    if details.contains("licitaci") {
        Some(Procedure::Licitacion)
    } else if details.contains("invitaci") {
        Some(Procedure::Invitacion)
    } else if details.contains("adjudicaci") {
        Some(Procedure::Adjudicacion)
    } else {
        None
    }
}

fn status(status: &str) -> Result<TenderStatus, SkipReason> {
    // Prozorro-style detail after a dot: `active.tendering`, `active.qualification`.
    let lower = status.to_ascii_lowercase();
    Ok(match lower.as_str() {
        // A publisher that leaves the status out publishes it to take bids.
        "" | "active" | "active.enquiries" | "active.tendering" => TenderStatus::Active,
        "planning" | "planned" => TenderStatus::Planned,
        "cancelled" | "withdrawn" | "unsuccessful" => TenderStatus::Withdrawn,
        "complete" => TenderStatus::Complete,
        s if s.starts_with("active.") => TenderStatus::Complete,
        _ => return Err(SkipReason::UnknownStatus(status.to_owned())),
    })
}

fn category(category: &str) -> String {
    match category {
        "goods" | "services" | "works" => category.to_owned(),
        _ => String::new(),
    }
}

/// Catalogue codes are upper-case words joined by underscores, such as `EDOS_FIN`.
fn is_catalogue_code(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn bid_bond_rate(
    bond: Option<&RawValue>,
    guarantees: Vec<RawGuarantee>,
) -> Result<Option<Decimal>, SkipReason> {
    let (field, raw) = match bond {
        Some(raw) if raw.get().trim_start().starts_with('{') => {
            let rate = serde_json::from_str::<RawRate>(raw.get())
                .map_err(|e| SkipReason::Malformed(e.to_string()))?;
            ("tender.bidBond.rate".to_owned(), rate.rate)
        }
        Some(raw) => ("tender.bidBond".to_owned(), Some(raw)),
        None => match guarantees
            .iter()
            .position(|g| text(&g.kind).eq_ignore_ascii_case("bidBond"))
        {
            Some(i) => (format!("tender.guarantees[{i}].rate"), guarantees[i].rate),
            None => return Ok(None),
        },
    };
    match number(&field, raw)? {
        Some(rate) if rate < Decimal::ZERO || rate > Decimal::ONE => Err(SkipReason::BadNumber {
            field,
            text: rate.to_string(),
        }),
        rate => Ok(rate),
    }
}

/// An exact decimal from a JSON number's own text or from a string; `null`, an empty
/// string or nothing is `None`.
fn number(field: &str, raw: Option<&RawValue>) -> Result<Option<Decimal>, SkipReason> {
    let Some(raw) = raw else { return Ok(None) };
    exact_decimal(raw.get())
        .map(|d| d.map(|d| d.normalize()))
        .map_err(|text| SkipReason::BadNumber {
            field: field.to_owned(),
            text,
        })
}

/// The exact decimal a JSON value's own text holds, never through `f64`: a number
/// (`1234567890123.45`, `1.5e3`) or a string holding one (`"845000.50"`), its scale
/// kept; `null` or an empty string is `None`. The error is the text that is no number.
pub fn exact_decimal(json: &str) -> Result<Option<Decimal>, String> {
    let json = json.trim();
    let literal = if json.starts_with('"') {
        serde_json::from_str::<String>(json).unwrap_or_default()
    } else if json == "null" {
        return Ok(None);
    } else {
        json.to_owned()
    };
    let literal = literal.trim();
    if literal.is_empty() {
        return Ok(None);
    }
    let parsed = if literal.contains(['e', 'E']) {
        Decimal::from_scientific(literal)
    } else {
        Decimal::from_str_exact(literal)
    };
    parsed.map(Some).map_err(|_| literal.to_owned())
}

/// An instant from RFC 3339 with or without offset, or a bare day; no offset means
/// Mexico City time. Empty is `None`.
pub fn instant(field: &'static str, text: &str) -> Result<Option<DateTime<Utc>>, SkipReason> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || SkipReason::BadDate {
        field,
        text: text.to_owned(),
    };
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Ok(Some(at.with_timezone(&Utc)));
        }
    }
    let local = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .ok_or_else(bad)?;
    chrono_tz::America::Mexico_City
        .from_local_datetime(&local)
        .earliest()
        .map(|at| Some(at.with_timezone(&Utc)))
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use rust_decimal::Decimal;

    fn read(json: &str) -> (Shape, Vec<Entry>) {
        let mut entries = Vec::new();
        let shape = read_tenders(json.as_bytes(), |e| {
            entries.push(e);
            Ok::<(), ()>(())
        })
        .map_err(|e| match e {
            ReadError::File(e) => e.to_string(),
            ReadError::Sink(()) => "sink".into(),
        })
        .unwrap();
        (shape, entries)
    }

    fn tenders(entries: &[Entry]) -> Vec<&Tender> {
        entries
            .iter()
            .filter_map(|e| match e {
                Entry::Tender(t) => Some(&**t),
                Entry::Skipped(_) => None,
            })
            .collect()
    }

    fn skips(entries: &[Entry]) -> Vec<(usize, Option<&str>, &'static str)> {
        entries
            .iter()
            .filter_map(|e| match e {
                Entry::Skipped(s) => Some((s.position, s.ocid.as_deref(), s.reason.code())),
                Entry::Tender(_) => None,
            })
            .collect()
    }

    fn refusal(json: &str) -> OcdsError {
        match read_tenders(json.as_bytes(), |_| Ok::<(), ()>(())) {
            Err(ReadError::File(e)) => e,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// Mexico's federal publisher: offset-less local times, numeric amounts and ids,
    /// the buyer only among the parties, the procedure's Spanish name.
    const COMPRANET_STYLE: &str = r#"{
      "uri": "https://compranet.example/ocds", "version": "1.1",
      "publishedDate": "2026-02-01T00:00:00Z",
      "extensions": ["https://example/ext.json"],
      "releases": [{
        "ocid": "ocds-07smqs-1234567", "id": 1234567, "date": "2026-02-01T09:30:00",
        "tag": ["tender"], "language": "es",
        "parties": [
          {"id": "UC-01", "name": "Alcaldía Benito Juárez - Dirección de Recursos Materiales",
           "roles": ["buyer", "procuringEntity"]},
          {"id": "SHCP", "name": "Secretaría", "roles": ["payer"]}
        ],
        "tender": {
          "id": "LA-009000999-E1-2026", "title": "Adquisición de tóner y papelería",
          "status": "active", "procurementMethod": "",
          "procurementMethodDetails": "Licitación Pública Nacional Electrónica",
          "mainProcurementCategory": "goods",
          "value": {"amount": 1250000.5, "currency": "MXN"},
          "tenderPeriod": {"startDate": "2026-02-01T09:00:00", "endDate": "2026-02-20T14:00:00"},
          "items": [
            {"id": 1, "description": "Tóner negro", "quantity": 120,
             "unit": {"name": "Pieza", "value": {"amount": 0}},
             "classification": {"scheme": "CUCOP", "id": 21401001}},
            {"id": 2, "description": "Papel bond carta", "quantity": "300.5",
             "unit": {"id": "CJ"}}
          ],
          "documents": [{"id": "d1", "documentType": "tenderNotice",
                         "url": "https://compranet.example/convocatoria.pdf"}],
          "numberOfTenderers": null
        }
      }]
    }"#;

    #[test]
    fn compranet_style_local_times_numbers_and_parties() {
        let (shape, entries) = read(COMPRANET_STYLE);
        assert_eq!(shape, Shape::ReleasePackage);
        let [t] = tenders(&entries)[..] else {
            panic!("{entries:?}")
        };
        assert_eq!(t.ocid, "ocds-07smqs-1234567");
        assert_eq!(t.release_id, "1234567");
        // No offset: Mexico City time, UTC-6.
        assert_eq!(t.release_date, utc("2026-02-01T15:30:00Z"));
        assert_eq!(t.deadline, Some(utc("2026-02-20T20:00:00Z")));
        assert_eq!(
            t.buyer,
            "Alcaldía Benito Juárez - Dirección de Recursos Materiales"
        );
        assert_eq!(t.procedure, Some(Procedure::Licitacion));
        assert_eq!(t.status, TenderStatus::Active);
        assert_eq!(t.category, "goods");
        assert_eq!(t.value, Some(dec("1250000.5")));
        assert_eq!(t.items[0].id, "1");
        assert_eq!(t.items[0].quantity, Some(dec("120")));
        assert_eq!(t.items[0].unit, "Pieza");
        assert_eq!(t.items[0].classification, "CUCOP 21401001");
        assert_eq!(t.items[1].quantity, Some(dec("300.5")));
        assert_eq!(t.items[1].unit, "CJ");
        assert_eq!(t.items[1].classification, "");
        assert_eq!(t.documents[0].title, "tenderNotice");
        assert_eq!(t.bid_bond_rate, None);
        assert!(t.requirements.is_empty());
    }

    /// UK style: `buyer` reference, pounds (not a peso value), CPV codes, no quantities,
    /// `Z` instants, a limited procedure.
    const CONTRACTS_FINDER_STYLE: &str = r#"{
      "version": "1.1", "publisher": {"name": "Crown Commercial Service"},
      "releases": [
        {"ocid": "ocds-b5fd17-aaaa", "id": "ocds-b5fd17-aaaa-1", "date": "2026-03-02T10:15:00Z",
         "tag": ["tender"], "buyer": {"name": "Borough Council", "id": "GB-X"},
         "tender": {"id": "T1", "title": "Grounds maintenance", "description": "Parks",
           "status": "active", "procurementMethod": "limited",
           "mainProcurementCategory": "services",
           "value": {"amount": 80000, "currency": "GBP"},
           "classification": {"scheme": "CPV", "id": "77310000"},
           "tenderPeriod": {"endDate": "2026-03-30T12:00:00+01:00"},
           "items": [{"id": "1", "classification": {"scheme": "CPV", "id": "77310000"},
                      "deliveryAddresses": [{"postalCode": "SW1"}]}]}},
        {"ocid": "ocds-b5fd17-bbbb", "id": "bbbb-1", "date": "2026-03-02T11:00:00.123Z",
         "tender": {"title": "Cancelled thing", "status": "cancelled",
                    "procurementMethod": "selective", "mainProcurementCategory": "consultingServices"}}
      ]
    }"#;

    #[test]
    fn contracts_finder_style_foreign_currency_and_missing_quantities() {
        let (_, entries) = read(CONTRACTS_FINDER_STYLE);
        let found = tenders(&entries);
        assert_eq!(found.len(), 2);
        let t = found[0];
        assert_eq!(t.buyer, "Borough Council");
        assert_eq!(t.procedure, Some(Procedure::Adjudicacion));
        assert_eq!(t.value, None, "pounds are not kept as a peso value");
        assert_eq!(t.deadline, Some(utc("2026-03-30T11:00:00Z")));
        assert_eq!(t.items[0].quantity, None);
        assert_eq!(t.items[0].classification, "CPV 77310000");
        assert_eq!(found[1].status, TenderStatus::Withdrawn);
        assert_eq!(found[1].procedure, Some(Procedure::Invitacion));
        assert_eq!(found[1].category, "");
        assert_eq!(found[1].release_date, utc("2026-03-02T11:00:00.123Z"));
    }

    /// Prozorro style: a record package with compiled releases, `+02:00` offsets,
    /// detailed statuses, amounts as strings, non-Latin units and schemes, guarantees.
    const PROZORRO_STYLE: &str = r#"{
      "uri": "https://prozorro.example/records", "publishedDate": "2026-04-01T00:00:00+03:00",
      "records": [
        {"ocid": "ocds-be6bcu-UA-1",
         "releases": [{"url": "https://prozorro.example/r/1", "date": "2026-04-01T09:00:00+03:00", "tag": ["tender"]}],
         "compiledRelease": {
           "ocid": "ocds-be6bcu-UA-1", "id": "UA-1-compiled", "date": "2026-04-01T09:00:00+03:00",
           "tender": {"id": "UA-1", "title": "Пальне", "status": "active.tendering",
             "procurementMethod": "open", "value": {"amount": "15000.75", "currency": "MXN"},
             "tenderPeriod": {"endDate": "2026-04-15T18:00:00+03:00"},
             "guarantees": [{"type": "performance", "rate": "0.1"}, {"type": "bidBond", "rate": "0.03"}],
             "items": [{"id": "a1b2", "description": "Бензин", "quantity": 1.5e3,
                        "unit": {"code": "LTR", "name": "літр"},
                        "classification": {"scheme": "ДК021", "id": "09130000-9"}}]}},
         "versionedRelease": {"ocid": [{"value": "ocds-be6bcu-UA-1"}]}},
        {"ocid": "ocds-be6bcu-UA-2",
         "compiledRelease": {"ocid": "ocds-be6bcu-UA-2", "id": "x", "date": "2026-04-02T09:00:00+03:00",
           "tender": {"status": "active.qualification", "title": "Done"}}}
      ]
    }"#;

    #[test]
    fn prozorro_style_records_with_compiled_releases() {
        let (shape, entries) = read(PROZORRO_STYLE);
        assert_eq!(shape, Shape::RecordPackage);
        let found = tenders(&entries);
        let t = found[0];
        assert_eq!(t.release_id, "UA-1-compiled");
        assert_eq!(t.status, TenderStatus::Active);
        assert_eq!(t.value, Some(dec("15000.75")));
        assert_eq!(t.bid_bond_rate, Some(dec("0.03")));
        assert_eq!(t.items[0].quantity, Some(dec("1500")));
        assert_eq!(t.items[0].unit, "літр");
        assert_eq!(t.items[0].classification, "ДК021 09130000-9");
        assert_eq!(t.deadline, Some(utc("2026-04-15T15:00:00Z")));
        assert_eq!(found[1].status, TenderStatus::Complete);
    }

    /// The OCP samples' style: several releases of one process in one package
    /// (a tender, then an amendment), requirements, bid opening, a bid bond object.
    const OCP_SAMPLE_STYLE: &str = r#"{
      "uri": "http://standard.open-contracting.org/examples/releases/", "version": "1.1",
      "publisher": {"scheme": "GB-COH", "uid": "09506232", "name": "Open Data Services"},
      "license": "http://opendatacommons.org/licenses/pddl/1.0/",
      "releases": [
        {"ocid": "ocds-213czf-000-00001", "id": "ocds-213czf-000-00001-01-tender",
         "date": "2026-05-01T10:00:00-06:00", "tag": ["tender"],
         "buyer": {"id": "GB-LAC-E09000003", "name": "London Borough of Barnet"},
         "tender": {"id": "1", "title": "Road works", "status": "planned",
           "procurementMethod": "open", "mainProcurementCategory": "works",
           "tenderPeriod": {"endDate": "2026-06-01"}}},
        {"ocid": "ocds-213czf-000-00001", "id": "ocds-213czf-000-00001-02-amendment",
         "date": "2026-05-10T10:00:00-0600", "tag": ["tenderAmendment"],
         "parties": [{"id": "GB-LAC-E09000003", "name": "London Borough of Barnet", "roles": ["buyer"]}],
         "buyer": {"id": "GB-LAC-E09000003"},
         "tender": {"id": "1", "title": "Road works (amended)", "status": "active",
           "procurementMethod": "open", "mainProcurementCategory": "works",
           "tenderPeriod": {"endDate": "2026-06-15T13:00:00"},
           "bidOpening": {"date": "2026-06-15T15:00:00"},
           "bidBond": {"rate": 0.05},
           "criteria": [{"requirementGroups": [{"requirements": [
             {"id": "EDOS_FIN", "title": "Estados financieros"},
             {"id": "1.1", "title": "free text"}, {"id": "EDOS_FIN"}]}]}]}}
      ]
    }"#;

    #[test]
    fn ocp_sample_style_hands_over_every_release_in_order() {
        let (_, entries) = read(OCP_SAMPLE_STYLE);
        let found = tenders(&entries);
        assert_eq!(found.len(), 2, "the receiver chooses the latest");
        assert_eq!(found[0].status, TenderStatus::Planned);
        // A bare day: midnight in Mexico City, the earliest reading of a deadline.
        assert_eq!(found[0].deadline, Some(utc("2026-06-01T06:00:00Z")));
        let amended = found[1];
        assert!(amended.release_date > found[0].release_date);
        assert_eq!(
            amended.buyer, "London Borough of Barnet",
            "found by id among parties"
        );
        assert_eq!(amended.bid_bond_rate, Some(dec("0.05")));
        assert_eq!(amended.requirements, ["EDOS_FIN"]);
        assert_eq!(amended.opening, Some(utc("2026-06-15T21:00:00Z")));
    }

    #[test]
    fn single_release_and_single_records() {
        let (shape, entries) = read(
            r#"{"tag": ["tender"], "date": "2026-01-05T00:00:00Z", "ocid": "ocds-x-1",
                "initiationType": "tender", "tender": {"title": "Sillas", "status": "active"}}"#,
        );
        assert_eq!(shape, Shape::Release);
        assert_eq!(tenders(&entries)[0].title, "Sillas");

        // A record with embedded releases and no compiled release: the latest.
        let (shape, entries) = read(
            r#"{"ocid": "ocds-x-2", "releases": [
                  {"ocid": "ocds-x-2", "id": "b", "date": "2026-01-06T00:00:00Z", "tender": {"title": "Nueva"}},
                  {"ocid": "ocds-x-2", "id": "a", "date": "2026-01-05T00:00:00Z", "tender": {"title": "Vieja"}}]}"#,
        );
        assert_eq!(shape, Shape::Record);
        assert_eq!(
            tenders(&entries).len(),
            2,
            "streamed; the receiver keeps the latest"
        );

        // Compiled release after linked releases: the compiled one, handed over last.
        let (shape, entries) = read(
            r#"{"releases": [{"url": "https://x/1", "date": "2026-01-05T00:00:00Z"}],
                "compiledRelease": {"ocid": "ocds-x-3", "date": "2026-01-05T00:00:00Z",
                                    "tender": {"title": "Compilada"}}, "ocid": "ocds-x-3"}"#,
        );
        assert_eq!(shape, Shape::Record);
        let found = tenders(&entries);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].title, "Compilada");
        assert!(
            skips(&entries).is_empty(),
            "linked releases are pointers, not skips"
        );
    }

    #[test]
    fn bad_releases_are_skipped_with_their_reason_and_place() {
        let (_, entries) = read(
            r#"{"releases": [
              {"id": "no-ocid", "date": "2026-01-01T00:00:00Z", "tender": {}},
              {"ocid": "o2", "date": "2026-01-01T00:00:00Z"},
              {"ocid": "o3", "date": "31/12/2026", "tender": {}},
              {"ocid": "o4", "date": "2026-01-01T00:00:00Z", "tender": {"items": [{"quantity": "1,5"}]}},
              {"ocid": "o5", "date": "2026-01-01T00:00:00Z", "tender": {"title": {"es": "x"}}},
              {"ocid": "o6", "date": "2026-01-01T00:00:00Z", "tender": {"status": "open for bids"}},
              {"ocid": "o7", "date": "2026-01-01T00:00:00Z", "tender": {"bidBond": 5}},
              {"ocid": "o8", "tender": {}},
              {"ocid": "ok", "date": "2026-01-01T00:00:00Z", "tender": {}}
            ]}"#,
        );
        assert_eq!(
            skips(&entries),
            [
                (1, None, "no_ocid"),
                (2, Some("o2"), "no_tender"),
                (3, Some("o3"), "bad_date"),
                (4, Some("o4"), "bad_number"),
                (5, None, "malformed"),
                (6, Some("o6"), "unknown_status"),
                (7, Some("o7"), "bad_number"),
                (8, Some("o8"), "bad_date"),
            ]
        );
        assert_eq!(tenders(&entries).len(), 1);
        let Entry::Skipped(s) = &entries[3] else {
            panic!()
        };
        let message = s.reason.message(Locale::Es);
        assert!(message.contains("1,5") && message.contains("tender.items[0].quantity"));
    }

    #[test]
    fn amounts_are_exact_from_their_text() {
        let (_, entries) = read(
            r#"{"releases": [{"ocid": "o", "date": "2026-01-01T00:00:00Z", "tender": {
                "value": {"amount": 12345678901234567.89},
                "items": [{"quantity": 0.1}, {"quantity": " 7 "}, {"quantity": null}, {"quantity": ""}]}}]}"#,
        );
        let t = tenders(&entries)[0];
        // Through f64 this would be 12345678901234568.
        assert_eq!(t.value, Some(dec("12345678901234567.89")));
        let quantities: Vec<_> = t.items.iter().map(|i| i.quantity).collect();
        assert_eq!(quantities, [Some(dec("0.1")), Some(dec("7")), None, None]);
    }

    #[test]
    fn files_that_are_not_json_or_not_ocds_are_refused_whole() {
        let e = refusal("{\"releases\": [\n  {\"ocid\": \"a\",\n   \"date\": }]}");
        assert!(matches!(e, OcdsError::NotJson { line: 3, .. }), "{e:?}");
        assert!(e.message(Locale::Es).contains("línea 3"));
        assert!(matches!(
            refusal(r#"{"name": "lista de precios"}"#),
            OcdsError::NotOcds(_)
        ));
        assert!(matches!(refusal("42"), OcdsError::NotOcds(_)));
        assert!(matches!(refusal(""), OcdsError::NotJson { .. }));
        assert!(matches!(
            refusal(r#"{"releases": []} trailing"#),
            OcdsError::NotJson { .. }
        ));
        assert!(matches!(
            refusal(r#"{"releases": {"a": 1}}"#),
            OcdsError::NotJson { .. }
        ));
        let e = refusal("\u{feff}{}");
        assert!(
            matches!(e, OcdsError::NotOcds(_)),
            "a byte order mark is allowed"
        );
        assert!(e.message(Locale::Es).contains("No se importó nada"));
    }

    #[test]
    fn a_receiver_error_stops_the_read_and_comes_back() {
        let mut seen = 0;
        let result = read_tenders(CONTRACTS_FINDER_STYLE.as_bytes(), |_| {
            seen += 1;
            Err("disk full")
        });
        assert!(matches!(result, Err(ReadError::Sink("disk full"))));
        assert_eq!(seen, 1);
    }

    /// A reader that makes the package as it is read, so the test proves the import
    /// never needs the whole file at once.
    struct Generated {
        next: usize,
        total: usize,
        buffer: Vec<u8>,
        at: usize,
        peak_buffer: usize,
    }

    impl Read for Generated {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.at == self.buffer.len() {
                self.buffer.clear();
                self.at = 0;
                if self.next == 0 {
                    self.buffer.extend_from_slice(br#"{"releases":["#);
                }
                if self.next < self.total {
                    let mut one = Vec::new();
                    crate::fixtures::write_release_package(&mut one, 1, 3)?;
                    // The one release, without the package around it.
                    let text = String::from_utf8_lossy(&one);
                    let start = text.find("\"releases\":[").map_or(0, |i| i + 12);
                    let release = &text[start..text.len() - 2];
                    let release =
                        release.replace("ocds-test-0", &format!("ocds-gen-{}", self.next));
                    if self.next > 0 {
                        self.buffer.push(b',');
                    }
                    self.buffer.extend_from_slice(release.as_bytes());
                    self.next += 1;
                    if self.next == self.total {
                        self.buffer.extend_from_slice(b"]}");
                    }
                }
                self.peak_buffer = self.peak_buffer.max(self.buffer.len());
            }
            let n = out.len().min(self.buffer.len() - self.at);
            out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn ten_thousand_releases_stream_one_at_a_time() {
        let mut reader = Generated {
            next: 0,
            total: 10_000,
            buffer: Vec::new(),
            at: 0,
            peak_buffer: 0,
        };
        let mut count = 0;
        let mut last = String::new();
        let shape = read_tenders(&mut reader, |entry| {
            let Entry::Tender(t) = entry else {
                return Err("skipped");
            };
            count += 1;
            last = t.ocid;
            Ok(())
        })
        .unwrap();
        assert_eq!(shape, Shape::ReleasePackage);
        assert_eq!(count, 10_000);
        assert_eq!(last, "ocds-gen-9999");
        assert!(reader.peak_buffer < 16_000);
    }
}
