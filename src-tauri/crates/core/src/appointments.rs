//! Appointments from a CSV: the list of owners a chamber already keeps (one row per
//! business, a header row naming registration fields), read into first drafts and
//! judged with the wizard's own review.
//!
//! Reading is pure: bytes in, rows out. The text is UTF-8 (with or without a byte
//! order mark) or, when it is not valid UTF-8, Windows-1252 (what Excel writes as
//! "CSV" on a Spanish Windows); the separator is a comma or a semicolon, whichever the
//! header row holds more of outside quotes. Rows whose every cell is blank are
//! skipped. A row is refused when its RFC or name is missing or wrong, or when a value
//! it fills in is wrong ([`refusals`]); what it leaves blank is filled in later in
//! the wizard, as in a business created by hand. A `cita` column, when there is one,
//! says when the owner is expected (a time, a date, or both): the queue screen's order.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};

use crate::banks::BankCatalogue;
use crate::failure::{Failure, FailureCode};
use crate::identifiers::{normalize, rfc};
use crate::message::{Issue, Severity};
use crate::registration::{review, Field, RegistrationDraft};
use crate::{catalog, Locale};

/// The largest file read (about 400,000 rows of a chamber's usual columns).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// The text encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// Windows-1252 (Excel's "CSV" on a Spanish Windows).
    Windows1252,
}

/// A row with something in it, as a first draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The line of the file the row starts on, from 1 (the header is line 1).
    pub line: u64,
    /// The draft the row fills in; the persona, unless a column gives it, is the one
    /// the RFC's length tells.
    pub draft: RegistrationDraft,
    /// The fields the row gives a value for.
    pub filled: BTreeSet<FieldOrder>,
    /// When the owner is expected, as its `cita` cell says (nothing when the cell is
    /// empty or there is no such column); the cell as written when it cannot be read.
    pub booking: Result<Booking, String>,
}

/// When an owner is expected: the day and time a `cita` cell gives, either or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Booking {
    /// The day; none means the day of the import.
    pub day: Option<NaiveDate>,
    /// The time of day.
    pub time: Option<NaiveTime>,
}

/// A field, ordered as the wizard lists them, so a row's problems read in that order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FieldOrder(usize);

impl FieldOrder {
    fn of(field: Field) -> FieldOrder {
        FieldOrder(Field::all().iter().position(|&f| f == field).unwrap_or(0))
    }

    /// The field.
    pub fn field(self) -> Field {
        Field::all()[self.0]
    }
}

/// A file read: its rows and what was learned about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppointmentFile {
    /// The encoding it was read in.
    pub encoding: Encoding,
    /// `,` or `;`.
    pub separator: char,
    /// The header of each column read into a field, as written, and the field.
    pub columns: Vec<(String, Field)>,
    /// The header of the appointment column, as written, when there is one.
    pub booking_column: Option<String>,
    /// Headers that name no field of the registration, as written: left out.
    pub ignored_columns: Vec<String>,
    /// The rows with something in them, in file order.
    pub rows: Vec<Row>,
}

/// The columns a header may name, by their folded Spanish names (lower case, no
/// accents, `_` between words). The first name of each is the one the README lists.
const COLUMNS: &[(&[&str], Field)] = &[
    (&["rfc"], Field::Rfc),
    (
        &["nombre", "razon_social", "nombre_o_razon_social"],
        Field::Name,
    ),
    (&["persona", "tipo_de_persona"], Field::Persona),
    (&["regimen", "regimen_fiscal"], Field::Regimen),
    (&["curp"], Field::Curp),
    (&["calle"], Field::Street),
    (
        &["numero_exterior", "num_exterior", "no_exterior"],
        Field::ExteriorNumber,
    ),
    (
        &["numero_interior", "num_interior", "no_interior"],
        Field::InteriorNumber,
    ),
    (&["colonia"], Field::Neighborhood),
    (&["codigo_postal", "cp"], Field::PostalCode),
    (
        &["municipio", "alcaldia", "municipio_o_alcaldia"],
        Field::Municipality,
    ),
    (&["entidad", "estado", "entidad_federativa"], Field::State),
    (&["correo", "correo_electronico", "email"], Field::Email),
    (&["telefono"], Field::Phone),
    (&["actividad", "giro"], Field::Activity),
    (&["scian"], Field::Scian),
    (&["clabe"], Field::Clabe),
];

/// The names of the column that says when the owner is expected.
const BOOKING_COLUMN: &[&str] = &[
    "cita",
    "hora",
    "hora_de_cita",
    "fecha_y_hora",
    "fecha_de_cita",
];

/// What a column is read into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Field(Field),
    Booking,
}

/// The column names the README documents, in the order it lists them.
pub fn column_names() -> Vec<(&'static str, Field)> {
    COLUMNS
        .iter()
        .map(|(names, field)| (names[0], *field))
        .collect()
}

/// Reads a chamber's CSV. Refused whole (with the reason) when it is too large, has
/// no header row, lacks an `rfc` or `nombre` column, names a field twice or cannot be
/// read as CSV; otherwise every row with something in it comes back, judged later.
pub fn read(bytes: &[u8]) -> Result<AppointmentFile, Failure> {
    if bytes.len() > MAX_BYTES {
        return Err(Failure::from(FailureCode::CsvTooLarge)
            .with("size", format!("{} MB", MAX_BYTES / (1024 * 1024))));
    }
    let (text, encoding) = decode(bytes);
    let separator = separator(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => return Err(FailureCode::CsvEmpty.into()),
            Some(Ok(record)) if record.iter().all(|cell| cell.trim().is_empty()) => continue,
            Some(Ok(record)) => break record,
            Some(Err(e)) => return Err(malformed(&e)),
        }
    };
    let mut columns: Vec<Option<Target>> = Vec::new();
    let mut named: Vec<(String, Field)> = Vec::new();
    let mut booking_column: Option<String> = None;
    let mut ignored_columns = Vec::new();
    for cell in header.iter() {
        let title = cell.trim();
        let target = column_field(title).map(Target::Field).or_else(|| {
            BOOKING_COLUMN
                .contains(&fold(title).as_str())
                .then_some(Target::Booking)
        });
        let first = match target {
            Some(Target::Field(field)) => named.iter().find(|(_, f)| *f == field).map(|(t, _)| t),
            Some(Target::Booking) => booking_column.as_ref(),
            None => None,
        };
        if let Some(first) = first {
            return Err(Failure::from(FailureCode::CsvRepeatedColumn)
                .with("first", first)
                .with("second", title));
        }
        match target {
            Some(Target::Field(field)) => named.push((title.to_owned(), field)),
            Some(Target::Booking) => booking_column = Some(title.to_owned()),
            None if !title.is_empty() => ignored_columns.push(title.to_owned()),
            None => {}
        }
        columns.push(target);
    }
    for (needed, field) in [("rfc", Field::Rfc), ("nombre", Field::Name)] {
        if !columns.contains(&Some(Target::Field(field))) {
            return Err(Failure::from(FailureCode::CsvMissingColumn).with("column", needed));
        }
    }
    let mut rows = Vec::new();
    // The reader's own line count skips blank lines and lags on CRLF: lines are
    // counted from each record's byte offset instead, walking forward once.
    let (mut counted_to, mut line) = (0usize, 1u64);
    for record in records {
        let record = record.map_err(|e| malformed(&e))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let start = record.position().map_or(counted_to, |p| {
            usize::try_from(p.byte()).unwrap_or(counted_to)
        });
        // The offset may point at the end of the line before (CRLF) and before blank
        // lines: the record starts after them.
        let mut start = start.clamp(counted_to, text.len());
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += text.as_bytes()[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        counted_to = start;
        let mut draft = RegistrationDraft::default();
        let mut filled = BTreeSet::new();
        let mut booking = Ok(Booking::default());
        for (cell, target) in record.iter().zip(&columns) {
            let value = cell.trim();
            let field = match target {
                _ if value.is_empty() => continue,
                None => continue,
                Some(Target::Booking) => {
                    booking = read_booking(value).ok_or_else(|| value.to_owned());
                    continue;
                }
                Some(Target::Field(field)) => *field,
            };
            let value = match field {
                Field::State => state_code(value),
                Field::Persona => crate::Persona::parse(value)
                    .map_or_else(|| value.to_owned(), |p| p.as_str().to_owned()),
                _ => value.to_owned(),
            };
            draft.set(field, value);
            filled.insert(FieldOrder::of(field));
        }
        if draft.persona.is_empty() {
            if let Some(persona) = rfc::check(&draft.rfc).details.persona {
                draft.persona = persona.as_str().to_owned();
            }
        }
        rows.push(Row {
            line,
            draft,
            filled,
            booking,
        });
    }
    Ok(AppointmentFile {
        encoding,
        separator,
        columns: named,
        booking_column,
        ignored_columns,
        rows,
    })
}

/// What stops a row from becoming a business: the wizard's review of its draft, kept
/// to the RFC, the name and the fields the row fills in, and to what is missing or
/// wrong there (warnings, such as an unknown bank, do not stop it). Empty: it may be
/// created.
pub fn refusals(row: &Row, banks: &BankCatalogue) -> Vec<Issue> {
    judged(row, banks)
        .into_iter()
        .filter(|i| i.severity() != Severity::Warning)
        .collect()
}

/// The warnings the review has about what the row fills in.
pub fn warnings(row: &Row, banks: &BankCatalogue) -> Vec<Issue> {
    judged(row, banks)
        .into_iter()
        .filter(|i| i.severity() == Severity::Warning)
        .collect()
}

fn judged(row: &Row, banks: &BankCatalogue) -> Vec<Issue> {
    review(&row.draft, banks)
        .issues
        .into_iter()
        .filter(|issue| {
            matches!(issue.field, Field::Rfc | Field::Name)
                || row.filled.contains(&FieldOrder::of(issue.field))
        })
        .collect()
}

/// The RFC a row is matched by against the businesses already kept: as the index
/// stores it.
pub fn match_key(row: &Row) -> String {
    normalize(&row.draft.rfc)
}

/// The field a header names, if any (case, accents, spaces and dashes aside).
pub fn column_field(header: &str) -> Option<Field> {
    let folded = fold(header);
    COLUMNS
        .iter()
        .find(|(names, _)| names.contains(&folded.as_str()))
        .map(|(_, field)| *field)
}

/// A `cita` cell: a time (`9:05`, `16:30`, `4:30 pm`), a date (`2026-12-07`,
/// `07/12/2026`), or a date and a time, in either order; `None` when it is none of these.
pub fn read_booking(cell: &str) -> Option<Booking> {
    let lowered = cell.trim().to_lowercase().replace(['.', '\u{a0}'], "");
    let mut words: Vec<&str> = lowered.split_whitespace().collect();
    // "4:30 pm": the half of the day as a word of its own, or glued to the time.
    let mut afternoon = None;
    if let Some(last) = words.last_mut() {
        for (suffix, pm) in [("pm", true), ("am", false)] {
            if let Some(rest) = last.strip_suffix(suffix) {
                afternoon = Some(pm);
                *last = rest;
            }
        }
    }
    words.retain(|w| !w.is_empty());
    let mut booking = Booking::default();
    for word in words {
        if let Ok(day) = NaiveDate::parse_from_str(word, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(word, "%d/%m/%Y"))
        {
            if booking.day.replace(day).is_some() {
                return None;
            }
        } else if let Ok(time) = NaiveTime::parse_from_str(word, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(word, "%H:%M:%S"))
        {
            if booking.time.replace(time).is_some() {
                return None;
            }
        } else {
            return None;
        }
    }
    match (afternoon, booking.time) {
        (Some(_), None) => return None,
        (Some(pm), Some(time)) => {
            use chrono::Timelike;
            let hour = time.hour();
            if !(1..=12).contains(&hour) {
                return None;
            }
            let hour = hour % 12 + if pm { 12 } else { 0 };
            booking.time = time.with_hour(hour);
        }
        _ => {}
    }
    (booking != Booking::default()).then_some(booking)
}

/// The state's catalogue code for a code or a name as typed (`cmx`, `CDMX`, `Ciudad de
/// México`); anything else is kept as typed, for the review to point out.
fn state_code(value: &str) -> String {
    let upper = value.to_uppercase();
    if catalog::state(&upper).is_some() {
        return upper;
    }
    let folded = fold(value);
    if folded == "cdmx" || folded == "df" || folded == "distrito_federal" {
        return "CMX".to_owned();
    }
    catalog::states()
        .iter()
        .find(|s| fold(s.name) == folded)
        .map_or_else(|| value.to_owned(), |s| s.code.to_owned())
}

/// Lower case, without accents, words joined by `_`.
fn fold(text: &str) -> String {
    let plain: String = text
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            '-' | '.' | ' ' => '_',
            other => other,
        })
        .collect();
    plain
        .split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The text of the file: UTF-8 when it is (a byte order mark dropped), else
/// Windows-1252, which maps every byte to a character.
fn decode(bytes: &[u8]) -> (String, Encoding) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// `;` when the first line with text holds more semicolons than commas outside
/// quotes, else `,`.
fn separator(text: &str) -> char {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        ';'
    } else {
        ','
    }
}

fn malformed(error: &csv::Error) -> Failure {
    // The reader's count (blank lines not counted): near enough to find the spot.
    let line = error.position().map_or(0, csv::Position::line);
    Failure::from(FailureCode::CsvMalformed)
        .with("line", line)
        .with("detail", error)
}

/// A row's problem worded in `locale`: the column as the file names it, then what
/// the review says.
pub fn problem_text(column: &str, issue: &Issue, locale: Locale) -> String {
    format!("{column}: {}", issue.view(locale).message)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Code;

    const HEADER: &str = "rfc,nombre,correo,telefono,curp,clabe,calle,numero_exterior,colonia,codigo_postal,municipio,entidad";

    fn banks() -> BankCatalogue {
        BankCatalogue::default_catalogue()
    }

    #[test]
    fn a_utf8_file_with_quotes_and_blank_rows_reads_into_drafts() {
        let text = format!(
            "\u{feff}{HEADER}\r\n\
             GODE561231GR8,\"Gómez Díaz, Eréndira\",ere@example.mx,55 1234 5678,GODE561231MDFMZR04,,\"Calle \"\"Uno\"\"\",12,Del Valle,03100,Benito Juárez,Ciudad de México\r\n\
             ,,,,,,,,,,,\r\n\
             \r\n\
             EKU9003173C9,Escuela Kemper Urgate,,,,,,,,,,cmx\r\n"
        );
        let file = read(text.as_bytes()).unwrap();
        assert_eq!(file.encoding, Encoding::Utf8);
        assert_eq!(file.separator, ',');
        assert_eq!(file.rows.len(), 2, "blank rows skipped");
        let first = &file.rows[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.draft.name, "Gómez Díaz, Eréndira");
        assert_eq!(first.draft.street, "Calle \"Uno\"");
        assert_eq!(first.draft.state, "CMX");
        assert_eq!(first.draft.persona, "fisica");
        assert_eq!(file.rows[1].line, 5);
        assert_eq!(file.rows[1].draft.persona, "moral");
        assert_eq!(file.rows[1].draft.state, "CMX");
        assert!(
            refusals(&file.rows[1], &banks()).is_empty(),
            "blank fields wait"
        );
    }

    #[test]
    fn windows_1252_and_semicolons_are_recognised() {
        let mut bytes = b"RFC;Nombre;Colonia;Notas\r\n".to_vec();
        bytes.extend_from_slice(b"GODE561231GR8;Pe\xF1a Ju\xE1rez Jos\xE9;Narvarte;x\r\n");
        let file = read(&bytes).unwrap();
        assert_eq!(file.encoding, Encoding::Windows1252);
        assert_eq!(file.separator, ';');
        assert_eq!(file.rows[0].draft.name, "Peña Juárez José");
        assert_eq!(file.ignored_columns, ["Notas"]);
    }

    #[test]
    fn a_cita_column_says_when_each_owner_is_expected() {
        let text = "rfc,nombre,Cita\n\
                    GODE561231GR8,Eréndira,9:05\n\
                    EKU9003173C9,Kemper,2026-12-08 4:30 p.m.\n\
                    MELM8305281H0,María,\n\
                    TLE081010AB1,Tlapalería,mañana\n";
        let file = read(text.as_bytes()).unwrap();
        assert_eq!(file.booking_column.as_deref(), Some("Cita"));
        assert!(file.ignored_columns.is_empty());
        let bookings: Vec<_> = file.rows.iter().map(|r| r.booking.clone()).collect();
        let time = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(
            bookings,
            [
                Ok(Booking {
                    day: None,
                    time: time(9, 5)
                }),
                Ok(Booking {
                    day: NaiveDate::from_ymd_opt(2026, 12, 8),
                    time: time(16, 30)
                }),
                Ok(Booking::default()),
                Err("mañana".to_owned()),
            ]
        );
        assert_eq!(
            read_booking("07/12/2026"),
            Some(Booking {
                day: NaiveDate::from_ymd_opt(2026, 12, 7),
                time: None
            })
        );
        assert_eq!(read_booking("12:15 am").and_then(|b| b.time), time(0, 15));
        for unreadable in ["25:00", "13:00 pm", "pm", "9:00 10:00", "7/12"] {
            assert_eq!(read_booking(unreadable), None, "{unreadable}");
        }
        let twice = read(b"rfc,nombre,cita,hora\n").unwrap_err();
        assert_eq!(twice.code, FailureCode::CsvRepeatedColumn);
    }

    #[test]
    fn headers_are_matched_whatever_their_case_and_accents() {
        assert_eq!(column_field("Código Postal"), Some(Field::PostalCode));
        assert_eq!(column_field(" TELÉFONO "), Some(Field::Phone));
        assert_eq!(column_field("número-exterior"), Some(Field::ExteriorNumber));
        assert_eq!(column_field("Razón social"), Some(Field::Name));
        assert_eq!(column_field("observaciones"), None);
    }

    #[test]
    fn a_file_without_what_it_needs_is_refused_whole() {
        let code = |bytes: &[u8]| read(bytes).unwrap_err().code;
        assert_eq!(code(b""), FailureCode::CsvEmpty);
        assert_eq!(code(b"\xEF\xBB\xBF\r\n\r\n"), FailureCode::CsvEmpty);
        assert_eq!(
            code(b"nombre,correo\nAna,a@b.mx\n"),
            FailureCode::CsvMissingColumn
        );
        assert_eq!(
            code(b"rfc,correo\nX,a@b.mx\n"),
            FailureCode::CsvMissingColumn
        );
        let repeated = read(b"rfc,nombre,Correo,email\n").unwrap_err();
        assert_eq!(repeated.code, FailureCode::CsvRepeatedColumn);
        assert!(repeated.message(Locale::Es).contains("«Correo» y «email»"));
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(code(&big), FailureCode::CsvTooLarge);
    }

    #[test]
    fn a_row_is_refused_for_what_it_fills_in_wrong_never_for_what_it_leaves_blank() {
        let text = format!(
            "{HEADER}\n\
             GODE561231GR8,Ana,no-es-correo,123,,,,,,,,\n\
             XXX,Sin RFC válido,,,,,,,,,,\n\
             GODE561231GR8,,,,,,,,,,,\n"
        );
        let file = read(text.as_bytes()).unwrap();
        let codes =
            |row: &Row| -> Vec<Code> { refusals(row, &banks()).iter().map(|i| i.code).collect() };
        assert_eq!(codes(&file.rows[0]), [Code::EmailShape, Code::PhoneShape]);
        assert!(codes(&file.rows[1]).contains(&Code::RfcLength));
        assert_eq!(codes(&file.rows[2]), [Code::Required]);
        assert_eq!(refusals(&file.rows[2], &banks())[0].field, Field::Name);
    }
}
