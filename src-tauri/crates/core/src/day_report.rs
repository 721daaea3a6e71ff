//! The chamber's report of a day: for each business served that day (a span of work on
//! it overlaps the day in Mexico City), the time spent and by whom, how far its
//! registration got, its documents, what was sent to the alcaldía and what is left.
//! Built from facts the caller gathered; written as CSV for Excel (UTF-8 with a byte
//! order mark, headers in Spanish) or as a PDF. Only the RFC and the name identify a
//! business: no CURP, CLABE, address, e-mail or phone is ever given to it.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Mexico_City;
use ventanilla_pdf::{Align, Column, Document, PageSize, Row};

use crate::acuse::AcuseSubject;
use crate::registration::Section;

/// One stretch of work on a business: the first and last action of an operator on it
/// without a long pause between.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActivitySpan {
    /// The operator's name as Configuración had it; empty outside chamber mode.
    pub operator: String,
    /// The first action.
    pub started_at: DateTime<Utc>,
    /// The last action.
    pub ended_at: DateTime<Utc>,
    /// How many actions it holds.
    pub actions: u32,
    /// When the owner's consent to the chamber's capture was recorded for this turn;
    /// `None` outside chamber mode (and in spans kept before consent was asked).
    #[serde(default)]
    pub consent_at: Option<DateTime<Utc>>,
}

/// Something submitted for the business: sent with its folio, or still in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Submitted {
    /// The registration, or a bid and its procedure.
    pub subject: AcuseSubject,
    /// The receipt's folio once the alcaldía received it; `None` while it waits.
    pub folio: Option<String>,
}

/// What the report needs to know of one business (kept as JSON for a locked business,
/// whose own file cannot be read without its passphrase).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BusinessFacts {
    /// The RFC as stored.
    pub rfc: String,
    /// The name or razón social.
    pub name: String,
    /// Its spans of work (any day: the report keeps the day's part).
    pub activity: Vec<ActivitySpan>,
    /// The registration's sections, each with whether it is complete.
    pub sections: Vec<(Section, bool)>,
    /// The registration's documents attached and ready, by name.
    pub documents_attached: Vec<String>,
    /// The registration's required documents missing or no longer usable, by name.
    pub documents_missing: Vec<String>,
    /// Its submissions, oldest first.
    pub submitted: Vec<Submitted>,
    /// The procedures (OCIDs) of bids prepared and not submitted.
    pub draft_bids: Vec<String>,
}

/// One business in the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    /// The RFC.
    pub rfc: String,
    /// The name or razón social.
    pub name: String,
    /// Who worked on it that day, in order of first appearance.
    pub operators: Vec<String>,
    /// When the owner consented, once per turn, in the order of the turns.
    pub consents: Vec<DateTime<Utc>>,
    /// The first action of the day on it.
    pub first: DateTime<Utc>,
    /// The last action of the day on it.
    pub last: DateTime<Utc>,
    /// The time its spans of the day add up to, in whole minutes (rounded).
    pub minutes: i64,
    /// The sections complete.
    pub sections_done: u32,
    /// The sections in all.
    pub sections_total: u32,
    /// The documents attached and ready.
    pub documents_attached: Vec<String>,
    /// The required documents missing.
    pub documents_missing: Vec<String>,
    /// What was sent, with its folio (or said to be waiting to be sent).
    pub submitted: Vec<String>,
    /// What is still to do.
    pub pending: Vec<String>,
}

/// The report of a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayReport {
    /// The day, in Mexico City.
    pub date: NaiveDate,
    /// The businesses served that day, the earliest first.
    pub rows: Vec<ReportRow>,
}

impl DayReport {
    /// The minutes of every business together.
    pub fn total_minutes(&self) -> i64 {
        self.rows.iter().map(|r| r.minutes).sum()
    }
}

/// The instants `date` begins and ends in Mexico City, as UTC.
pub fn day_bounds(date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |day: NaiveDate| {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        // Mexico City has kept one offset all year since 2022; `earliest` reads an
        // older date's skipped midnight (none there) as the first instant of the day.
        Mexico_City
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
    };
    let next = date.succ_opt().unwrap_or(date);
    (start(date), start(next))
}

/// The section's name as the wizard's steps show it in Spanish.
fn section_name(section: Section) -> &'static str {
    match section {
        Section::Identity => "Identidad",
        Section::General => "Datos generales",
        Section::Address => "Domicilio fiscal",
        Section::Contact => "Contacto",
        Section::Representatives => "Representantes",
        Section::Activity => "Actividad y tamaño",
        Section::Bank => "Cuenta bancaria",
    }
}

fn subject_name(subject: &AcuseSubject) -> String {
    match subject {
        AcuseSubject::Registration => "Registro en el padrón".to_owned(),
        AcuseSubject::Bid { ocid } => format!("Propuesta {ocid}"),
        AcuseSubject::Question { ocid } => format!("Pregunta sobre {ocid}"),
    }
}

/// The report of `date` over `businesses`: those with work that day, each with the
/// day's part of its spans.
pub fn build(date: NaiveDate, businesses: &[BusinessFacts]) -> DayReport {
    let (from, to) = day_bounds(date);
    let mut rows: Vec<ReportRow> = businesses
        .iter()
        .filter_map(|business| row(business, from, to))
        .collect();
    rows.sort_by(|a, b| a.first.cmp(&b.first).then_with(|| a.rfc.cmp(&b.rfc)));
    DayReport { date, rows }
}

/// The spans of `activity` that overlap `from..to`, each with its part inside, the
/// earliest first.
fn clipped(
    activity: &[ActivitySpan],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(&ActivitySpan, DateTime<Utc>, DateTime<Utc>)> {
    let mut spans: Vec<_> = activity
        .iter()
        .filter(|s| s.started_at < to && s.ended_at >= from)
        .map(|s| (s, s.started_at.max(from), s.ended_at.min(to)))
        .collect();
    spans.sort_by_key(|(_, start, _)| *start);
    spans
}

/// Whole minutes (rounded) spent on a business on `date` by its spans of work.
pub fn minutes_on(date: NaiveDate, activity: &[ActivitySpan]) -> i64 {
    let (from, to) = day_bounds(date);
    rounded_minutes(&clipped(activity, from, to))
}

fn rounded_minutes(spans: &[(&ActivitySpan, DateTime<Utc>, DateTime<Utc>)]) -> i64 {
    let spent: Duration = spans.iter().map(|(_, start, end)| *end - *start).sum();
    (spent.num_seconds() + 30) / 60
}

fn row(business: &BusinessFacts, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<ReportRow> {
    let spans = clipped(&business.activity, from, to);
    let first = spans.first()?.1;
    let last = spans.iter().map(|(_, _, end)| *end).max()?;
    let consents = spans.iter().filter_map(|(s, _, _)| s.consent_at).collect();
    let mut operators: Vec<String> = Vec::new();
    for (span, _, _) in &spans {
        let name = span.operator.trim();
        if !name.is_empty() && !operators.iter().any(|o| o == name) {
            operators.push(name.to_owned());
        }
    }
    let sections_total = business.sections.len() as u32;
    let sections_done = business.sections.iter().filter(|(_, done)| *done).count() as u32;
    let submitted = business
        .submitted
        .iter()
        .map(|s| match &s.folio {
            Some(folio) => format!("{}, folio {folio}", subject_name(&s.subject)),
            None => format!("{}, por enviar a la alcaldía", subject_name(&s.subject)),
        })
        .collect();
    let mut pending = Vec::new();
    let registration_sent = business
        .submitted
        .iter()
        .any(|s| s.subject == AcuseSubject::Registration);
    if !registration_sent {
        let incomplete: Vec<&str> = business
            .sections
            .iter()
            .filter(|(_, done)| !done)
            .map(|(section, _)| section_name(*section))
            .collect();
        if !incomplete.is_empty() {
            pending.push(format!("Completar: {}", incomplete.join(", ")));
        }
        if !business.documents_missing.is_empty() {
            pending.push(format!(
                "Adjuntar {} documento{}",
                business.documents_missing.len(),
                if business.documents_missing.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        pending.push("Enviar el registro".to_owned());
    }
    for submission in business.submitted.iter().filter(|s| s.folio.is_none()) {
        pending.push(format!(
            "Sincronizar: {} sin acuse",
            subject_name(&submission.subject)
        ));
    }
    for ocid in &business.draft_bids {
        pending.push(format!("Enviar la propuesta {ocid}"));
    }
    Some(ReportRow {
        rfc: business.rfc.clone(),
        name: business.name.trim().to_owned(),
        operators,
        consents,
        first,
        last,
        minutes: rounded_minutes(&spans),
        sections_done,
        sections_total,
        documents_attached: business.documents_attached.clone(),
        documents_missing: business.documents_missing.clone(),
        submitted,
        pending,
    })
}

/// A Mexico City time of day, `09:05`.
fn clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&Mexico_City).format("%H:%M").to_string()
}

/// The headers of the CSV, in its column order.
pub const CSV_HEADERS: [&str; 13] = [
    "Fecha",
    "Inicio",
    "Fin",
    "Minutos",
    "RFC",
    "Nombre o razón social",
    "Operador",
    "Consentimiento",
    "Secciones completas",
    "Documentos adjuntos",
    "Documentos faltantes",
    "Enviado",
    "Pendiente",
];

/// The report as CSV for Excel: UTF-8 with a byte order mark (so Excel does not read it
/// as ANSI), comma-separated, CRLF line ends, one business per row, lists within a cell
/// separated by `; `.
pub fn to_csv(report: &DayReport) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to memory cannot fail; a record that could not be written would be
        // missing from a report nobody could then trust, so the rows are written whole.
        let _ = writer.write_record(CSV_HEADERS);
        let date = report.date.format("%Y-%m-%d").to_string();
        for row in &report.rows {
            let _ = writer.write_record([
                date.clone(),
                clock(row.first),
                clock(row.last),
                row.minutes.to_string(),
                row.rfc.clone(),
                row.name.clone(),
                row.operators.join("; "),
                consent_times(&row.consents, "; "),
                format!("{} de {}", row.sections_done, row.sections_total),
                row.documents_attached.join("; "),
                row.documents_missing.join("; "),
                row.submitted.join("; "),
                row.pending.join("; "),
            ]);
        }
        let _ = writer.flush();
    }
    out
}

/// The consent times of a row, `09:05; 11:40`.
fn consent_times(consents: &[DateTime<Utc>], separator: &str) -> String {
    consents
        .iter()
        .map(|&at| clock(at))
        .collect::<Vec<_>>()
        .join(separator)
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() {
        "ninguno".to_owned()
    } else {
        items.join("; ")
    }
}

/// The report as a PDF (Letter paper): a summary table, then one block per business.
pub fn to_pdf(report: &DayReport) -> Vec<u8> {
    let date = report.date.format("%d/%m/%Y").to_string();
    let mut doc = Document::new(PageSize::Letter);
    doc.title(&format!("Informe del día {date}"))
        .page_numbers("Página {page} de {pages}")
        .heading(&format!("Informe del día {date}"))
        .paragraph(&format!(
            "Negocios atendidos: {}. Tiempo en total: {} min. Horas de la Ciudad de México.",
            report.rows.len(),
            report.total_minutes()
        ))
        .space(6.0);
    if report.rows.is_empty() {
        doc.paragraph("Ese día no se atendió ningún negocio en esta computadora.");
        return doc.to_bytes();
    }
    let summary = report
        .rows
        .iter()
        .map(|row| {
            Row::new(vec![
                format!("{}–{}", clock(row.first), clock(row.last)),
                row.name.clone(),
                row.rfc.clone(),
                row.operators.join(", "),
                row.minutes.to_string(),
            ])
        })
        .collect();
    doc.table(
        vec![
            Column::new("Horario", 1.2, Align::Left),
            Column::new("Negocio", 3.0, Align::Left),
            Column::new("RFC", 1.6, Align::Left),
            Column::new("Operador", 1.8, Align::Left),
            Column::new("Minutos", 0.9, Align::Right),
        ],
        summary,
    );
    for row in &report.rows {
        doc.space(8.0)
            .subheading(&format!("{} — {}", row.name, row.rfc))
            .field(
                "Atendido",
                &format!(
                    "{} a {} ({} min) por {}",
                    clock(row.first),
                    clock(row.last),
                    row.minutes,
                    if row.operators.is_empty() {
                        "(sin operador)".to_owned()
                    } else {
                        row.operators.join(", ")
                    }
                ),
            )
            .field(
                "Consentimiento del dueño",
                &match row.consents.is_empty() {
                    true => "no registrado".to_owned(),
                    false => format!("a las {}", consent_times(&row.consents, ", ")),
                },
            )
            .field(
                "Secciones completas",
                &format!("{} de {}", row.sections_done, row.sections_total),
            )
            .field("Documentos adjuntos", &or_none(&row.documents_attached))
            .field("Documentos faltantes", &or_none(&row.documents_missing))
            .field("Enviado", &or_none(&row.submitted))
            .field("Pendiente", &or_none(&row.pending));
    }
    doc.to_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ventanilla_testkit::fixtures::pdf_text;

    /// A Mexico City time of December 2026 (UTC−6 all year).
    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
            .unwrap()
            + Duration::hours(6)
    }

    fn span(operator: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> ActivitySpan {
        ActivitySpan {
            operator: operator.into(),
            started_at: from,
            ended_at: to,
            actions: 3,
            consent_at: Some(from),
        }
    }

    fn business(rfc: &str, name: &str, activity: Vec<ActivitySpan>) -> BusinessFacts {
        BusinessFacts {
            rfc: rfc.into(),
            name: name.into(),
            activity,
            sections: vec![
                (Section::Identity, true),
                (Section::General, true),
                (Section::Address, false),
                (Section::Bank, false),
            ],
            documents_attached: vec!["Constancia de situación fiscal".into()],
            documents_missing: vec!["Comprobante de domicilio".into()],
            submitted: Vec::new(),
            draft_bids: Vec::new(),
        }
    }

    fn report() -> DayReport {
        let mut sent = business(
            "EKU9003173C9",
            "Escuela «Kemper», S.C.",
            vec![
                span("Ana Ruiz", at(4, 11, 0), at(4, 11, 20)),
                span("Luis Peña", at(4, 12, 0), at(4, 12, 10)),
            ],
        );
        sent.sections = vec![(Section::Identity, true), (Section::Bank, true)];
        sent.documents_missing.clear();
        sent.submitted = vec![
            Submitted {
                subject: AcuseSubject::Registration,
                folio: Some("9b1e6a52".into()),
            },
            Submitted {
                subject: AcuseSubject::Bid {
                    ocid: "ocds-bj-1".into(),
                },
                folio: None,
            },
        ];
        sent.draft_bids = vec!["ocds-bj-2".into()];
        build(
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            &[
                sent,
                business(
                    "GODE561231GR8",
                    "José Peña",
                    vec![
                        // Began the evening before: only the day's part counts. Kept
                        // before consent was asked, so none is recorded.
                        ActivitySpan {
                            consent_at: None,
                            ..span("Ana Ruiz", at(3, 23, 50), at(4, 0, 10))
                        },
                        // Another day altogether.
                        span("Ana Ruiz", at(5, 9, 0), at(5, 9, 30)),
                    ],
                ),
                business(
                    "MELM8305281H0",
                    "María López",
                    vec![span("Ana Ruiz", at(3, 9, 0), at(3, 10, 0))],
                ),
            ],
        )
    }

    #[test]
    fn only_the_days_businesses_with_the_days_time_the_earliest_first() {
        let report = report();
        let rfcs: Vec<&str> = report.rows.iter().map(|r| r.rfc.as_str()).collect();
        assert_eq!(rfcs, ["GODE561231GR8", "EKU9003173C9"]);
        let jose = &report.rows[0];
        assert_eq!(jose.minutes, 10);
        assert_eq!(jose.first, at(4, 0, 0));
        assert!(jose.consents.is_empty());
        assert_eq!(minutes_on(report.date, &[]), 0);
        assert_eq!(
            jose.pending,
            [
                "Completar: Domicilio fiscal, Cuenta bancaria",
                "Adjuntar 1 documento",
                "Enviar el registro"
            ]
        );
        let kemper = &report.rows[1];
        assert_eq!(kemper.minutes, 30);
        assert_eq!(kemper.operators, ["Ana Ruiz", "Luis Peña"]);
        assert_eq!(kemper.consents, [at(4, 11, 0), at(4, 12, 0)]);
        assert_eq!((kemper.sections_done, kemper.sections_total), (2, 2));
        assert_eq!(
            kemper.submitted,
            [
                "Registro en el padrón, folio 9b1e6a52",
                "Propuesta ocds-bj-1, por enviar a la alcaldía"
            ]
        );
        assert_eq!(
            kemper.pending,
            [
                "Sincronizar: Propuesta ocds-bj-1 sin acuse",
                "Enviar la propuesta ocds-bj-2"
            ]
        );
        assert_eq!(report.total_minutes(), 40);
    }

    #[test]
    fn the_csv_opens_in_excel_and_reads_back_row_by_row() {
        let bytes = to_csv(&report());
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "a byte order mark"
        );
        assert!(std::str::from_utf8(&bytes).unwrap().contains("\r\n"));
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let headers: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(headers, CSV_HEADERS);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let kemper = &rows[1];
        assert_eq!(&kemper[0], "2026-12-04");
        assert_eq!(
            (&kemper[1], &kemper[2], &kemper[3]),
            ("11:00", "12:10", "30")
        );
        assert_eq!(&kemper[5], "Escuela «Kemper», S.C.");
        assert_eq!(&kemper[6], "Ana Ruiz; Luis Peña");
        assert_eq!(&kemper[7], "11:00; 12:00");
        assert_eq!(&kemper[8], "2 de 2");
        assert!(kemper[11].contains("folio 9b1e6a52"));
        assert_eq!(&rows[0][7], "", "José's turn has no consent recorded");
    }

    #[test]
    fn the_pdf_names_each_business_and_what_is_left() {
        let text = pdf_text(&to_pdf(&report()));
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Informe del día 04/12/2026",
            "Negocios atendidos: 2",
            "Escuela «Kemper», S.C. — EKU9003173C9",
            "11:00 a 12:10 (30 min) por Ana Ruiz, Luis Peña",
            "Consentimiento del dueño: a las 11:00, 12:00",
            "Consentimiento del dueño: no registrado",
            "Documentos faltantes: Comprobante de domicilio",
            "Registro en el padrón, folio 9b1e6a52",
            "Enviar la propuesta ocds-bj-2",
            "Página 1 de",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        let empty = to_pdf(&build(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(), &[]));
        assert!(pdf_text(&empty).contains("no se atendió ningún negocio"));
    }
}
