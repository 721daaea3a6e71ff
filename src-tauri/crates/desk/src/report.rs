//! The chamber's report of a day, gathered here and built by core: each business's
//! spans of work that day, its registration's sections, its documents, its
//! submissions and unsent bids, written as CSV or PDF for the window and the CLI.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use ventanilla_core::day_report::{self, ActivitySpan, BusinessFacts, DayReport, Submitted};
use ventanilla_core::registration::review;
use ventanilla_core::Locale;
use ventanilla_store::{BusinessStore, Health, Library, StoreError};

use crate::desk::Desk;
use crate::views::CommandError;

/// The file the report is written as.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// For Excel: UTF-8 with a byte order mark, headers in Spanish.
    Csv,
    /// To print.
    Pdf,
}

impl ReportFormat {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Csv => "csv",
            ReportFormat::Pdf => "pdf",
        }
    }
}

/// What was written.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct WrittenReport {
    /// Where.
    pub path: String,
    /// The day it covers, `YYYY-MM-DD`.
    pub date: String,
    /// The businesses it lists.
    pub businesses: u32,
    /// Their minutes together.
    #[ts(type = "number")]
    pub minutes: i64,
}

/// The facts of one business for the report of `date`, `None` when nobody worked on it
/// that day.
fn facts(
    library: &Library,
    store: &BusinessStore,
    date: NaiveDate,
) -> Result<Option<BusinessFacts>, StoreError> {
    let (from, to) = day_report::day_bounds(date);
    let activity = store.activity_between(from, to)?;
    if activity.is_empty() {
        return Ok(None);
    }
    let draft = store.load_draft()?;
    let verdict = review(&draft, &library.banks()?);
    let catalogue = library.catalogue()?;
    let name_of = |code: &str| {
        catalogue
            .requirement(code)
            .map_or_else(|| code.to_owned(), |r| r.name.text(Locale::Es).to_owned())
    };
    let mut documents_attached = Vec::new();
    let mut documents_missing = Vec::new();
    if let Some(evaluation) = store.checklist(&catalogue, None, crate::documents::today())? {
        for item in &evaluation.items {
            if item.status.is_ready() {
                documents_attached.push(name_of(&item.code));
            } else if item.required {
                documents_missing.push(name_of(&item.code));
            }
        }
    }
    let mut outbox = store.outbox()?;
    outbox.sort_by_key(|item| item.submission.created_at);
    let sent: HashSet<&str> = outbox.iter().map(|i| i.submission.id.as_str()).collect();
    let draft_bids = store
        .bids()?
        .into_iter()
        .filter(|bid| !sent.contains(bid.id.as_str()))
        .map(|bid| bid.ocid)
        .collect();
    let submitted = outbox
        .iter()
        .map(|item| Submitted {
            subject: ventanilla_sync::acuse::subject_of(&item.submission.kind),
            folio: item.receipt.as_ref().map(|r| r.receipt_id.clone()),
        })
        .collect();
    Ok(Some(BusinessFacts {
        rfc: ventanilla_core::identifiers::normalize(&draft.rfc),
        name: draft.name.trim().to_owned(),
        activity,
        sections: verdict
            .facts
            .sections
            .iter()
            .map(|s| (s.section, s.done))
            .collect(),
        documents_attached,
        documents_missing,
        submitted,
        draft_bids,
    }))
}

/// The report of `date` (a day in Mexico City) over every business of the library
/// that someone worked on that day. A damaged business is left out (its own screen
/// says what is wrong).
pub fn gather(library: &Library, date: NaiveDate) -> Result<DayReport, StoreError> {
    let mut businesses = Vec::new();
    for entry in library.list_businesses("")? {
        if entry.health != Health::Ok {
            continue;
        }
        // A locked business is reported by what was kept when it locked again.
        if entry.locked && !library.is_unlocked(&entry.id) {
            businesses.extend(kept_facts(library, &entry.id, date)?);
            continue;
        }
        let store = match library.open_business(&entry.id) {
            Ok(store) => store,
            Err(e) if e.code() == "damaged" => continue,
            Err(e) => return Err(e),
        };
        if let Some(facts) = facts(library, &store, date)? {
            businesses.push(facts);
        }
    }
    Ok(day_report::build(date, &businesses))
}

/// What was kept of locked business `id` for the report of `date` when it locked again.
fn kept_facts(
    library: &Library,
    id: &str,
    date: NaiveDate,
) -> Result<Option<BusinessFacts>, StoreError> {
    let kept = library.locked_day_facts(id, date)?;
    Ok(kept.and_then(|json| serde_json::from_str(&json).ok()))
}

/// The spans of work on business `id` that overlap `date`: from its own database, or
/// for a business locked now from what was kept when it locked again.
pub(crate) fn spans_on(
    library: &Library,
    id: &str,
    date: NaiveDate,
) -> Result<Vec<ActivitySpan>, StoreError> {
    if library.is_locked(id) && !library.is_unlocked(id) {
        return Ok(kept_facts(library, id, date)?.map_or_else(Vec::new, |f| f.activity));
    }
    let (from, to) = day_report::day_bounds(date);
    match library.open_business(id) {
        Ok(store) => store.activity_between(from, to),
        Err(e) if e.code() == "damaged" => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Keeps today's report facts of every locked business unlocked now, before it locks
/// again: by its label, without its RFC or name.
pub(crate) fn keep_locked_facts(library: &Library) -> Result<(), StoreError> {
    let today = crate::documents::today();
    for id in library.unlocked_businesses() {
        let store = library.open_business(&id)?;
        if let Some(mut facts) = facts(library, &store, today)? {
            facts.rfc = String::new();
            facts.name = library.locked_label(&id)?.unwrap_or_default();
            let json = serde_json::to_string(&facts).map_err(|e| StoreError::Io {
                path: library.root().to_path_buf(),
                source: std::io::Error::other(e),
            })?;
            library.keep_locked_day_facts(&id, today, &json)?;
        }
    }
    Ok(())
}

/// The report's bytes in `format`.
pub fn render(report: &DayReport, format: ReportFormat) -> Vec<u8> {
    match format {
        ReportFormat::Csv => day_report::to_csv(report),
        ReportFormat::Pdf => day_report::to_pdf(report),
    }
}

/// Gathers the report of `date` and writes it to `path` in `format`.
pub fn write_report(
    library: &Library,
    date: NaiveDate,
    format: ReportFormat,
    path: &Path,
) -> Result<WrittenReport, StoreError> {
    let report = gather(library, date)?;
    std::fs::write(path, render(&report, format)).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(WrittenReport {
        path: path.display().to_string(),
        date: date.format("%Y-%m-%d").to_string(),
        businesses: report.rows.len() as u32,
        minutes: report.total_minutes(),
    })
}

impl Desk {
    /// Writes the report of `date` (today in Mexico City when `None`) to `path`.
    pub fn write_day_report(
        &self,
        date: Option<NaiveDate>,
        format: ReportFormat,
        path: &Path,
    ) -> Result<WrittenReport, CommandError> {
        let library = self.library()?;
        let date = date.unwrap_or_else(crate::documents::today);
        write_report(library, date, format, path).map_err(|e| self.fail(e))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::views::{ChamberMode, NewBusiness};
    use ventanilla_core::Field;
    use ventanilla_testkit::fixtures::pdf_text;

    fn served(desk: &mut Desk, rfc: &str, name: &str) -> String {
        let id = desk
            .create(NewBusiness {
                persona: "moral".into(),
                rfc: rfc.into(),
                name: name.into(),
                consent: true,
            })
            .unwrap()
            .id
            .0;
        desk.set_field(&id, Field::Email, "contacto@example.mx")
            .unwrap();
        desk.set_field(&id, Field::Clabe, "032180000118359719")
            .unwrap();
        id
    }

    #[test]
    fn the_days_report_lists_each_business_served_under_its_operator() {
        let data = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(data.path().to_path_buf());
        let refused = desk
            .set_chamber_mode(&ChamberMode {
                enabled: true,
                operator: "  ".into(),
            })
            .unwrap_err();
        assert_eq!(refused.code, "operator_name_missing");
        desk.set_chamber_mode(&ChamberMode {
            enabled: true,
            operator: "Ana Ruiz".into(),
        })
        .unwrap();
        served(&mut desk, "EKU9003173C9", "Escuela Kemper Urgate");
        desk.end_activity();
        desk.set_chamber_mode(&ChamberMode {
            enabled: true,
            operator: "Luis Peña".into(),
        })
        .unwrap();
        served(&mut desk, "GODE561231GR8", "José Peña, «El Güero»");
        // Created through the library (as a CSV import does) and never worked on:
        // not served, so not in the report.
        desk.library()
            .unwrap()
            .create_business(&ventanilla_testkit::fixtures::business())
            .unwrap();

        let csv_path = files.path().join("informe.csv");
        let written = desk
            .write_day_report(None, ReportFormat::Csv, &csv_path)
            .unwrap();
        assert_eq!(written.businesses, 2);
        let bytes = std::fs::read(&csv_path).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "UTF-8 with a BOM for Excel"
        );
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            day_report::CSV_HEADERS
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let column = |row: &csv::StringRecord, name: &str| {
            let at = day_report::CSV_HEADERS
                .iter()
                .position(|h| *h == name)
                .unwrap();
            row[at].to_owned()
        };
        let listed: Vec<(String, String, String)> = rows
            .iter()
            .map(|r| {
                (
                    column(r, "RFC"),
                    column(r, "Nombre o razón social"),
                    column(r, "Operador"),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                (
                    "EKU9003173C9".into(),
                    "Escuela Kemper Urgate".into(),
                    "Ana Ruiz".into()
                ),
                (
                    "GODE561231GR8".into(),
                    "José Peña, «El Güero»".into(),
                    "Luis Peña".into()
                ),
            ]
        );
        let kemper = &rows[0];
        assert_eq!(column(kemper, "Fecha"), written.date);
        assert!(column(kemper, "Secciones completas").ends_with(" de 7"));
        assert!(!column(kemper, "Documentos faltantes").is_empty());
        assert!(column(kemper, "Pendiente").contains("Enviar el registro"));
        assert_eq!(column(kemper, "Enviado"), "");
        // Only the RFC and the name identify a business: never its e-mail or CLABE.
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains("contacto@example.mx") && !text.contains("032180000118359719"));

        let pdf_path = files.path().join("informe.pdf");
        desk.write_day_report(None, ReportFormat::Pdf, &pdf_path)
            .unwrap();
        let pdf = std::fs::read(&pdf_path).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let text = pdf_text(&pdf);
        for expected in [
            "Informe del día",
            "Escuela Kemper Urgate — EKU9003173C9",
            "Luis Peña",
            "Negocios atendidos: 2",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }

        // Another day lists nobody.
        let empty = files.path().join("ayer.csv");
        let yesterday = crate::documents::today().pred_opt().unwrap();
        let written = desk
            .write_day_report(Some(yesterday), ReportFormat::Csv, &empty)
            .unwrap();
        assert_eq!(written.businesses, 0);
    }
}
