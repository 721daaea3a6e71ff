//! Appointments from a chamber's CSV: every row core reads and the wizard's review
//! lets through becomes a business with those fields filled in; rows with errors are
//! reported by line and skipped, and a row whose RFC a business already has creates
//! nothing (so importing the same file twice creates nothing new). Every row let
//! through, created or kept, is booked on the queue of the day its `cita` says (the
//! day of the import when it names none).

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;
use ventanilla_core::appointments::{self, Booking, Row};
use ventanilla_core::{Failure, FailureCode, Locale};
use ventanilla_store::{Library, StoreError};

use crate::desk::Desk;
use crate::ids::BusinessId;
use crate::views::CommandError;

/// One row of the file, as the report names it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct AppointmentRow {
    /// The line of the file the row starts on (the header is line 1).
    #[ts(type = "number")]
    pub line: u64,
    /// The RFC as written in the row.
    pub rfc: String,
    /// The name as written in the row.
    pub name: String,
    /// The business it created, or the one that already had its RFC.
    pub business: Option<BusinessId>,
    /// Why it was skipped (errors, or the RFC kept already), or what to review
    /// (warnings of a row created), each in the user's language.
    pub problems: Vec<RowProblem>,
}

/// One thing wrong with a row.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct RowProblem {
    /// The column as the file's header names it; `None` for the row as a whole.
    pub column: Option<String>,
    /// Stable: an issue code of the review, or a failure code.
    pub code: String,
    /// What is wrong and what to do, in the user's language.
    pub message: String,
}

/// What an import did.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct AppointmentImport {
    /// The rows that became businesses (with any warning to review).
    pub created: Vec<AppointmentRow>,
    /// The rows whose RFC a business already had, or an earlier row of the file:
    /// nothing was created or changed for them.
    pub kept: Vec<AppointmentRow>,
    /// The rows skipped for their errors.
    pub refused: Vec<AppointmentRow>,
    /// Headers that name no registration field: their columns were left out.
    pub ignored_columns: Vec<String>,
    /// `utf8` or `windows1252`.
    pub encoding: String,
    /// `,` or `;`.
    pub separator: String,
}

impl Desk {
    /// Imports the appointments CSV at `path` (see [`import`]).
    pub fn import_appointments(&mut self, path: &Path) -> Result<AppointmentImport, CommandError> {
        let locale = self.locale();
        let library = self.library()?;
        import(library, path, locale)
    }
}

/// Reads the CSV at `path` and creates a business for each row that passes the
/// wizard's checks and whose RFC no business has yet, answering row by row in
/// `locale`. A file refused whole (unreadable, no header, no `rfc` or `nombre`
/// column, not CSV) creates nothing.
pub fn import(
    library: &Library,
    path: &Path,
    locale: Locale,
) -> Result<AppointmentImport, CommandError> {
    let store_failure = |e: StoreError| CommandError::from_store(&e, locale);
    let bytes = std::fs::read(path).map_err(|source| {
        store_failure(StoreError::SourceUnreadable {
            path: path.to_path_buf(),
            source,
        })
    })?;
    let file = appointments::read(&bytes).map_err(|f| CommandError::new(f, locale))?;
    let today = crate::documents::today();
    let banks = library.banks().map_err(store_failure)?;
    let column_of = |field| {
        file.columns
            .iter()
            .find(|(_, f)| *f == field)
            .map(|(title, _)| title.clone())
    };
    // The RFC of every business kept, and of every row taken so far, with its
    // business (or, for a row refused, its line).
    let mut known: HashMap<String, Known> = library
        .business_rfcs()
        .map_err(store_failure)?
        .into_iter()
        .map(|(rfc, id)| (rfc, Known::Kept(id)))
        .collect();
    let mut report = AppointmentImport {
        created: Vec::new(),
        kept: Vec::new(),
        refused: Vec::new(),
        ignored_columns: file.ignored_columns.clone(),
        encoding: match file.encoding {
            appointments::Encoding::Utf8 => "utf8",
            appointments::Encoding::Windows1252 => "windows1252",
        }
        .into(),
        separator: file.separator.to_string(),
    };
    for row in &file.rows {
        let mut entry = AppointmentRow {
            line: row.line,
            rfc: row.draft.rfc.clone(),
            name: row.draft.name.clone(),
            business: None,
            problems: Vec::new(),
        };
        let refusals = appointments::refusals(row, &banks);
        if !refusals.is_empty() {
            entry.problems = refusals
                .iter()
                .map(|issue| issue_problem(issue, column_of(issue.field), locale))
                .collect();
            report.refused.push(entry);
            continue;
        }
        let key = appointments::match_key(row);
        let book = |id: &str, problems: &mut Vec<RowProblem>| {
            let booking = row.booking.clone().unwrap_or_else(|value| {
                problems.push(RowProblem {
                    column: file.booking_column.clone(),
                    ..row_problem(
                        Failure::from(FailureCode::CsvBookingUnreadable).with("value", value),
                        locale,
                    )
                });
                Booking::default()
            });
            library
                .book_appointment(id, booking.day.unwrap_or(today), booking.time)
                .map_err(store_failure)
        };
        match known.get(&key) {
            Some(Known::Kept(id)) => {
                entry.business = Some(id.clone().into());
                entry.problems = vec![row_problem(
                    Failure::from(FailureCode::CsvRfcKept).with("rfc", &key),
                    locale,
                )];
                book(id, &mut entry.problems)?;
                report.kept.push(entry);
                continue;
            }
            Some(Known::Row { line, id }) => {
                entry.business = Some(id.clone().into());
                entry.problems = vec![row_problem(
                    Failure::from(FailureCode::CsvRepeatedRfc).with("line", line),
                    locale,
                )];
                book(id, &mut entry.problems)?;
                report.kept.push(entry);
                continue;
            }
            None => {}
        }
        let id = create(library, row).map_err(store_failure)?;
        known.insert(
            key,
            Known::Row {
                line: row.line,
                id: id.clone(),
            },
        );
        entry.problems = appointments::warnings(row, &banks)
            .iter()
            .map(|issue| issue_problem(issue, column_of(issue.field), locale))
            .collect();
        book(&id, &mut entry.problems)?;
        entry.business = Some(id.into());
        report.created.push(entry);
    }
    Ok(report)
}

/// Whom an RFC already belongs to.
enum Known {
    /// A business kept before the import.
    Kept(String),
    /// A business an earlier row of the file created.
    Row { line: u64, id: String },
}

fn create(library: &Library, row: &Row) -> Result<String, StoreError> {
    library.create_business(&row.draft)
}

fn issue_problem(
    issue: &ventanilla_core::Issue,
    column: Option<String>,
    locale: Locale,
) -> RowProblem {
    let view = issue.view(locale);
    RowProblem {
        column,
        code: serde_json::to_value(view.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        message: view.message,
    }
}

fn row_problem(failure: Failure, locale: Locale) -> RowProblem {
    RowProblem {
        column: None,
        code: failure.code.as_str().to_owned(),
        message: failure.message(locale),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ventanilla_core::Field;

    const HEADER: &str = "rfc;nombre;correo;telefono;curp;clabe;calle;numero_exterior;colonia;codigo_postal;municipio;entidad";

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn good_rows_become_businesses_bad_ones_are_told_by_line_and_twice_creates_nothing() {
        let data = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let library = Library::open(data.path()).unwrap();
        // Windows-1252, semicolons, a quoted name with the separator in it, an empty
        // row, a bad CURP, a bad CLABE and an RFC given twice.
        let mut bytes = format!("{HEADER}\r\n").into_bytes();
        bytes.extend_from_slice(
            b"GODE561231GR8;\"Pe\xF1a; Jos\xE9\";jose@example.mx;55 1234 5678;;;Insurgentes Sur;1602;Cr\xE9dito Constructor;03940;Benito Ju\xE1rez;CDMX\r\n",
        );
        bytes.extend_from_slice(b";;;;;;;;;;;\r\n");
        bytes.extend_from_slice(b"EKU9003173C9;Escuela Kemper;;;;032180000118359719;;;;;;\r\n");
        bytes.extend_from_slice(b"MELM8305281H0;Mar\xEDa L\xF3pez;;;MELM830528MDFRPR0X;;;;;;;\r\n");
        bytes.extend_from_slice(b"GODE561231GR8;Otra vez;;;;;;;;;;\r\n");
        let path = write(files.path(), "citas.csv", &bytes);

        let report = import(&library, &path, Locale::Es).unwrap();
        assert_eq!(report.encoding, "windows1252");
        assert_eq!(report.separator, ";");
        let lines = |rows: &[AppointmentRow]| rows.iter().map(|r| r.line).collect::<Vec<_>>();
        assert_eq!(lines(&report.created), [2, 4]);
        assert_eq!(lines(&report.refused), [5]);
        assert_eq!(lines(&report.kept), [6]);
        let curp = &report.refused[0].problems[0];
        assert_eq!(curp.column.as_deref(), Some("curp"));
        assert!(!curp.message.is_empty());
        assert!(report.kept[0].problems[0].message.contains("línea 2"));

        let id = report.created[0].business.clone().unwrap();
        let draft = library.open_business(&id).unwrap().load_draft().unwrap();
        assert_eq!(draft.name, "Peña; José");
        assert_eq!(draft.neighborhood, "Crédito Constructor");
        assert_eq!(draft.state, "CMX");
        assert_eq!(draft.persona, "fisica");
        assert_eq!(draft.get(Field::Phone), Some("55 1234 5678"));
        assert_eq!(library.list_businesses("").unwrap().len(), 2);
        let today = crate::documents::today();
        assert_eq!(
            library.appointments_on(today).unwrap().len(),
            2,
            "both booked today"
        );

        let again = import(&library, &path, Locale::Es).unwrap();
        assert!(again.created.is_empty(), "{again:?}");
        assert_eq!(lines(&again.kept), [2, 4, 6]);
        assert!(again.kept[0].problems[0].message.contains("GODE561231GR8"));
        assert_eq!(library.list_businesses("").unwrap().len(), 2);
        assert_eq!(library.appointments_on(today).unwrap().len(), 2);
    }

    #[test]
    fn a_cita_books_its_day_and_time_and_an_unreadable_one_is_told_and_booked_today() {
        let data = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let library = Library::open(data.path()).unwrap();
        let path = write(
            files.path(),
            "citas.csv",
            "rfc,nombre,Hora\n\
             EKU9003173C9,Escuela Kemper,2030-01-15 09:30\n\
             GODE561231GR8,Eréndira Gómez,después de comer\n"
                .as_bytes(),
        );
        let report = import(&library, &path, Locale::Es).unwrap();
        assert_eq!(report.created.len(), 2);
        let told = &report.created[1].problems;
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0].code, "csv_booking_unreadable");
        assert_eq!(told[0].column.as_deref(), Some("Hora"));
        assert!(told[0].message.contains("«después de comer»"));
        let today = library.appointments_on(crate::documents::today()).unwrap();
        assert_eq!(today.len(), 1);
        assert_eq!(today[0].time, None);
        let later = library
            .appointments_on(chrono::NaiveDate::from_ymd_opt(2030, 1, 15).unwrap())
            .unwrap();
        assert_eq!(later[0].time, chrono::NaiveTime::from_hms_opt(9, 30, 0));
    }

    #[test]
    fn a_file_refused_whole_creates_nothing_and_says_why() {
        let data = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let library = Library::open(data.path()).unwrap();
        let path = write(
            files.path(),
            "sin-rfc.csv",
            "nombre,correo\nAna,a@b.mx\n".as_bytes(),
        );
        let refused = import(&library, &path, Locale::Es).unwrap_err();
        assert_eq!(refused.code, "csv_missing_column");
        assert!(refused.message.contains("«rfc»"));
        let missing = import(&library, &files.path().join("no.csv"), Locale::Es).unwrap_err();
        assert_eq!(missing.code, "file_unreadable");
        assert!(library.list_businesses("").unwrap().is_empty());
    }
}
