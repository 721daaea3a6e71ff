//! The document checklist: which documents a business must attach, given who it is and
//! the procedure it takes part in, and where each one stands on a given day: missing,
//! attached, expiring soon, expired, rejected by the alcaldía, or waiting for a date.
//!
//! The rules read no clock: the caller passes the day in Mexico City (see
//! [`mexico_city_today`]), so the same facts on the same day always give the same
//! checklist, on the owner's laptop, in the CLI and on the server.

mod catalogue;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::message::Locale;
use crate::registration::{persona_of, Persona, RegistrationDraft};

pub use catalogue::{
    Applies, Catalogue, CatalogueError, Localized, Procedure, Requirement, Validity,
};

/// A document counts as expiring soon from this many days before its last valid day
/// (and the home screen warns of it).
pub const SOON_DAYS: i64 = 7;

/// What the rules need to know about the business.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Profile {
    /// Física or moral.
    pub persona: Persona,
    /// Has workers registered with IMSS, so the social-security documents apply.
    pub employer: bool,
    /// The ids of the legal representatives, in the order they are shown.
    pub representatives: Vec<String>,
}

impl Profile {
    /// The profile of the business a draft describes, or `None` while its persona is
    /// neither chosen nor readable from its RFC. The persona is the one the review
    /// shows, so the checklist and the wizard never disagree about it.
    pub fn from_draft(draft: &RegistrationDraft) -> Option<Profile> {
        Some(Profile {
            persona: persona_of(draft)?,
            employer: draft.employer.trim() == "yes",
            representatives: draft.representatives.iter().map(|r| r.id.clone()).collect(),
        })
    }
}

/// The current document of one checklist item, as the person entered it.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct DocumentFact {
    /// The code of its requirement.
    pub requirement: String,
    /// Whose document it is, for a per-representative requirement of a persona moral.
    pub representative: Option<String>,
    #[ts(type = "string | null")]
    /// The issue date typed from the document, when typed.
    pub issued_on: Option<NaiveDate>,
    #[ts(type = "string | null")]
    /// The expiry date typed from the document, when typed.
    pub expires_on: Option<NaiveDate>,
    /// The alcaldía's reason, when it rejected the document.
    pub rejected: Option<String>,
}

/// The checklist of one business on one day.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Evaluation {
    /// The catalogue the rules came from.
    pub catalogue_version: String,
    /// The Mexico City day it was computed for.
    #[ts(type = "string")]
    pub on: NaiveDate,
    /// What needs attention first, then what expires soon, then what is done; in
    /// catalogue order within each group.
    pub items: Vec<ItemStatus>,
    /// Required items whose document can be sent as it is.
    pub ready: u32,
    /// Required items.
    pub total: u32,
}

/// One line of the checklist.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct ItemStatus {
    /// The requirement's code.
    pub code: String,
    /// The representative it is for, when the requirement is per representative.
    pub representative: Option<String>,
    /// Whether the business needs it for this procedure.
    pub required: bool,
    /// Where it stands.
    pub status: Status,
    /// The last day the document is valid, when its validity ends.
    #[ts(type = "string | null")]
    pub valid_until: Option<NaiveDate>,
    /// Days from the evaluation's day to `valid_until`: 0 on the last valid day,
    /// negative once expired.
    #[ts(type = "number | null")]
    pub days_left: Option<i64>,
}

/// Where a checklist item stands.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Status {
    /// No document attached.
    Missing,
    /// Attached and valid for more than a week, or for good.
    Attached,
    /// Attached and valid, but for a week or less.
    ExpiringSoon,
    /// Attached but no longer valid.
    Expired,
    /// The alcaldía refused it; a new document replaces it.
    Rejected {
        /// The alcaldía's reason.
        reason: String,
    },
    /// Attached, but its validity depends on a date that was not entered.
    NeedsDate {
        /// The date that is missing.
        date: DateNeeded,
    },
    /// Attached with dates that cannot be right.
    DateInvalid {
        /// What is wrong with the dates.
        problem: DateProblem,
    },
}

impl Status {
    /// Whether the document can be sent as it is.
    pub fn is_ready(&self) -> bool {
        matches!(self, Status::Attached | Status::ExpiringSoon)
    }

    /// What the person should do, in plain words.
    pub fn message(&self, locale: Locale) -> String {
        let (es, en) = match self {
            Status::Missing => (
                "Falta este documento. Adjúntalo para completar tu expediente.",
                "This document is missing. Attach it to complete your file.",
            ),
            Status::Attached => (
                "Listo: el documento está adjunto y vigente.",
                "Done: the document is attached and valid.",
            ),
            Status::ExpiringSoon => (
                "Vence en 7 días o menos. Consigue uno más reciente para que siga vigente mientras la alcaldía revisa tu registro.",
                "It expires in 7 days or less. Get a more recent one so it stays valid while the alcaldía reviews your registration.",
            ),
            Status::Expired => (
                "Este documento ya venció. Consigue uno nuevo y adjúntalo.",
                "This document has expired. Get a new one and attach it.",
            ),
            Status::Rejected { reason } => return rejected_message(reason, locale),
            Status::NeedsDate { date } => date.texts(),
            Status::DateInvalid { problem } => problem.texts(),
        };
        in_locale(locale, es, en).to_owned()
    }

    /// 0 for what needs attention, 1 for what expires soon, 2 for what is done.
    fn urgency(&self) -> u8 {
        match self {
            Status::Attached => 2,
            Status::ExpiringSoon => 1,
            _ => 0,
        }
    }
}

fn rejected_message(reason: &str, locale: Locale) -> String {
    match (reason.trim(), locale) {
        ("", Locale::Es) => {
            "La alcaldía rechazó este documento. Consulta el motivo con la alcaldía y adjunta uno nuevo.".to_owned()
        }
        ("", Locale::En) => {
            "The alcaldía rejected this document. Ask the alcaldía why and attach a new one.".to_owned()
        }
        (reason, Locale::Es) => format!(
            "La alcaldía rechazó este documento: «{reason}». Corrige lo que indica y adjunta uno nuevo."
        ),
        (reason, Locale::En) => format!(
            "The alcaldía rejected this document: “{reason}”. Fix what it points out and attach a new one."
        ),
    }
}

/// The date a document's validity is counted from or to.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateNeeded {
    /// The issue date (fecha de emisión).
    Issue,
    /// The expiry date (fecha de vencimiento).
    Expiry,
}

impl DateNeeded {
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            DateNeeded::Issue => (
                "Escribe la fecha de emisión que aparece en el documento; sin ella no se sabe hasta cuándo es válido.",
                "Enter the issue date shown on the document; without it the app cannot tell how long it is valid.",
            ),
            DateNeeded::Expiry => (
                "Escribe la fecha de vencimiento (vigencia) que aparece en el documento; sin ella no se sabe si sigue vigente.",
                "Enter the expiry date shown on the document; without it the app cannot tell whether it is still valid.",
            ),
        }
    }
}

/// Dates that contradict the calendar or each other, usually a typing slip.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateProblem {
    /// Issued after today.
    IssuedInFuture,
    /// Expires before it was issued.
    ExpiresBeforeIssue,
}

impl DateProblem {
    /// What is wrong, in plain words: the same text the checklist shows, so a date
    /// refused while attaching reads as it would on the item.
    pub fn message(self, locale: Locale) -> String {
        let (es, en) = self.texts();
        in_locale(locale, es, en).to_owned()
    }

    fn texts(self) -> (&'static str, &'static str) {
        match self {
            DateProblem::IssuedInFuture => (
                "La fecha de emisión es posterior a hoy. Revisa que el día, el mes y el año estén bien escritos.",
                "The issue date is after today. Check that the day, month and year are typed correctly.",
            ),
            DateProblem::ExpiresBeforeIssue => (
                "La fecha de vencimiento es anterior a la de emisión. Revisa las dos fechas en el documento.",
                "The expiry date is before the issue date. Check both dates on the document.",
            ),
        }
    }
}

/// The text for `locale` of a pair written side by side, so a translation is never
/// forgotten.
pub(crate) fn in_locale<'a>(locale: Locale, es: &'a str, en: &'a str) -> &'a str {
    match locale {
        Locale::Es => es,
        Locale::En => en,
    }
}

/// The calendar day in Mexico City at `now_utc`: the day every validity is counted in.
pub fn mexico_city_today(now_utc: DateTime<Utc>) -> NaiveDate {
    now_utc
        .with_timezone(&chrono_tz::America::Mexico_City)
        .date_naive()
}

/// The checklist of a business on `today` (a Mexico City day) for `procedure`, `None`
/// being the registration in the padrón.
///
/// `documents` holds the current document of each item; when one is given twice, the
/// later wins. Documents for requirements that do not apply are ignored.
///
/// Validity, inclusive at both ends:
/// - [`Validity::MaxAgeDays`]: through the issue date plus n days (issued today with
///   n = 30: valid through today + 30; expired the day after).
/// - [`Validity::Expiry`]: through the expiry date.
/// - [`Validity::LastFiscalYear`]: the issue date is read as the date of the statements,
///   the close of the fiscal year they cover (the calendar year in Mexico). They serve
///   while they cover the last closed fiscal year or a later period, i.e. while the
///   issue year is at least today's year minus one: through 31 December of the year
///   after. No grace period is given while next year's statements are being prepared.
///
/// An issue date after `today`, or an expiry before the issue date, is reported as
/// [`Status::DateInvalid`] rather than trusted; a rejection by the alcaldía outranks
/// everything else.
pub fn evaluate(
    catalogue: &Catalogue,
    profile: &Profile,
    procedure: Option<Procedure>,
    today: NaiveDate,
    documents: &[DocumentFact],
) -> Evaluation {
    let mut items: Vec<ItemStatus> = catalogue
        .requirements
        .iter()
        .filter(|r| r.applies.includes(profile, procedure))
        .flat_map(|r| {
            holders(r, profile)
                .into_iter()
                .map(move |holder| assess(r, holder, today, documents))
        })
        .collect();
    // Stable, so catalogue order survives within each group.
    items.sort_by_key(|item| item.status.urgency());
    Evaluation {
        catalogue_version: catalogue.version.clone(),
        on: today,
        ready: count_required(&items, Status::is_ready),
        total: count_required(&items, |_| true),
        items,
    }
}

/// Whose document each item of `requirement` is: `None` for the business itself, or
/// each representative of a persona moral for a per-representative requirement. A
/// persona moral with no representatives yet still gets one item, so the checklist
/// shows that an id is needed.
fn holders(requirement: &Requirement, profile: &Profile) -> Vec<Option<String>> {
    if requirement.per_representative
        && profile.persona == Persona::Moral
        && !profile.representatives.is_empty()
    {
        profile.representatives.iter().cloned().map(Some).collect()
    } else {
        vec![None]
    }
}

fn assess(
    requirement: &Requirement,
    representative: Option<String>,
    today: NaiveDate,
    documents: &[DocumentFact],
) -> ItemStatus {
    let document = documents
        .iter()
        .rev()
        .find(|d| d.requirement == requirement.code && d.representative == representative);
    let (status, valid_until) = match document {
        None => (Status::Missing, None),
        Some(document) => judge(requirement.validity, document, today),
    };
    ItemStatus {
        code: requirement.code.clone(),
        representative,
        required: requirement.required,
        status,
        valid_until,
        days_left: valid_until.map(|until| (until - today).num_days()),
    }
}

/// The status of an attached document and the last day it is valid.
fn judge(
    validity: Validity,
    document: &DocumentFact,
    today: NaiveDate,
) -> (Status, Option<NaiveDate>) {
    if let Some(reason) = &document.rejected {
        return (
            Status::Rejected {
                reason: reason.clone(),
            },
            None,
        );
    }
    if let Some(problem) = date_problem(document.issued_on, document.expires_on, today) {
        return (Status::DateInvalid { problem }, None);
    }
    match valid_until(validity, document) {
        Err(date) => (Status::NeedsDate { date }, None),
        Ok(None) => (Status::Attached, None),
        Ok(Some(until)) => {
            let status = match (until - today).num_days() {
                days if days < 0 => Status::Expired,
                days if days <= SOON_DAYS => Status::ExpiringSoon,
                _ => Status::Attached,
            };
            (status, Some(until))
        }
    }
}

/// Checks the dates entered for a document on `today` (a Mexico City day), whatever
/// its validity uses: the checklist reports a problem on the item, and the store
/// refuses the dates before keeping them.
pub fn date_problem(
    issued_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<DateProblem> {
    match (issued_on, expires_on) {
        (Some(issued), _) if issued > today => Some(DateProblem::IssuedInFuture),
        (Some(issued), Some(expires)) if expires < issued => Some(DateProblem::ExpiresBeforeIssue),
        _ => None,
    }
}

/// The last valid day (`None`: no end), or the date needed to know it.
fn valid_until(
    validity: Validity,
    document: &DocumentFact,
) -> Result<Option<NaiveDate>, DateNeeded> {
    let issued = document.issued_on.ok_or(DateNeeded::Issue);
    // Past the last date chrono represents, a document never ends in practice.
    match validity {
        Validity::None => Ok(None),
        Validity::MaxAgeDays(days) => Ok(issued?.checked_add_days(Days::new(days.into()))),
        Validity::Expiry => document.expires_on.map(Some).ok_or(DateNeeded::Expiry),
        Validity::LastFiscalYear => Ok(NaiveDate::from_ymd_opt(issued?.year() + 1, 12, 31)),
    }
}

fn count_required(items: &[ItemStatus], counts: impl Fn(&Status) -> bool) -> u32 {
    items
        .iter()
        .filter(|item| item.required && counts(&item.status))
        .fold(0, |n, _| n.saturating_add(1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeDelta;
    use Persona::{Fisica, Moral};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The day of most tests, and days around it.
    const TODAY: (i32, u32, u32) = (2025, 6, 10);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    fn t(offset: i64) -> NaiveDate {
        today() + TimeDelta::days(offset)
    }

    fn fact(code: &str) -> DocumentFact {
        DocumentFact {
            requirement: code.into(),
            ..DocumentFact::default()
        }
    }

    fn issued(code: &str, on: NaiveDate) -> DocumentFact {
        DocumentFact {
            issued_on: Some(on),
            ..fact(code)
        }
    }

    fn profile(persona: Persona, employer: bool, representatives: &[&str]) -> Profile {
        Profile {
            persona,
            employer,
            representatives: representatives.iter().map(|&r| r.to_owned()).collect(),
        }
    }

    /// The status of one document under `validity`, on `on`.
    fn judged(
        validity: Validity,
        issued_on: Option<NaiveDate>,
        expires_on: Option<NaiveDate>,
        on: NaiveDate,
    ) -> (Status, Option<NaiveDate>, Option<i64>) {
        let mut catalogue = Catalogue::default_catalogue();
        catalogue.requirements.truncate(1);
        catalogue.requirements[0].validity = validity;
        let document = DocumentFact {
            issued_on,
            expires_on,
            ..fact(&catalogue.requirements[0].code)
        };
        let evaluation = evaluate(
            &catalogue,
            &profile(Fisica, false, &[]),
            None,
            on,
            &[document],
        );
        let [item] = evaluation.items.as_slice() else {
            panic!("one item expected: {evaluation:?}");
        };
        (item.status.clone(), item.valid_until, item.days_left)
    }

    #[test]
    fn validity_at_the_boundaries() {
        use Status::*;
        use Validity as V;
        const DAYS_30: Validity = V::MaxAgeDays(30);
        const FUTURE: Status = DateInvalid {
            problem: DateProblem::IssuedInFuture,
        };
        const BEFORE_ISSUE: Status = DateInvalid {
            problem: DateProblem::ExpiresBeforeIssue,
        };
        const NO_ISSUE: Status = NeedsDate {
            date: DateNeeded::Issue,
        };
        const NO_EXPIRY: Status = NeedsDate {
            date: DateNeeded::Expiry,
        };
        // Dates as days from today: validity, issued, expires, status, days left (the
        // valid-until day being today plus that).
        let cases = [
            // Issued today, 30 days: valid through today + 30.
            (DAYS_30, Some(0), None, Attached, Some(30)),
            // Issued 30 days ago: the last valid day; 31 days ago: expired.
            (DAYS_30, Some(-30), None, ExpiringSoon, Some(0)),
            (DAYS_30, Some(-31), None, Expired, Some(-1)),
            // Expiring soon is 7 days or less.
            (DAYS_30, Some(-23), None, ExpiringSoon, Some(7)),
            (DAYS_30, Some(-22), None, Attached, Some(8)),
            (V::MaxAgeDays(0), Some(0), None, ExpiringSoon, Some(0)),
            (V::MaxAgeDays(90), Some(-91), None, Expired, Some(-1)),
            // Issued tomorrow is a typing slip, not a fresh document.
            (DAYS_30, Some(1), None, FUTURE, None),
            (DAYS_30, None, None, NO_ISSUE, None),
            // An expiry date does not replace the issue date the rule counts from.
            (DAYS_30, None, Some(100), NO_ISSUE, None),
            // The expiry day itself is valid.
            (V::Expiry, None, Some(0), ExpiringSoon, Some(0)),
            (V::Expiry, None, Some(-1), Expired, Some(-1)),
            (V::Expiry, None, Some(7), ExpiringSoon, Some(7)),
            (V::Expiry, None, Some(8), Attached, Some(8)),
            (V::Expiry, Some(0), Some(0), ExpiringSoon, Some(0)),
            (V::Expiry, Some(-10), Some(-11), BEFORE_ISSUE, None),
            (V::Expiry, Some(1), Some(400), FUTURE, None),
            (V::Expiry, Some(-1), None, NO_EXPIRY, None),
            // No validity: attached is enough, but entered dates are still checked.
            (V::None, None, None, Attached, None),
            (V::None, Some(-5000), None, Attached, None),
            (V::None, Some(1), None, FUTURE, None),
            (V::None, Some(0), Some(-1), BEFORE_ISSUE, None),
        ];
        for (validity, issued_on, expires_on, status, days_left) in cases {
            let (issued_on, expires_on) = (issued_on.map(t), expires_on.map(t));
            assert_eq!(
                judged(validity, issued_on, expires_on, today()),
                (status, days_left.map(t), days_left),
                "{validity:?} issued {issued_on:?} expires {expires_on:?}"
            );
        }

        // The same boundary, moving the day instead of the issue date.
        let until = Some(t(30));
        let on_day = |day| judged(DAYS_30, Some(today()), None, t(day));
        assert_eq!(on_day(30), (ExpiringSoon, until, Some(0)));
        assert_eq!(on_day(31), (Expired, until, Some(-1)));
    }

    #[test]
    fn last_fiscal_year() {
        use Status::*;
        let fy = Validity::LastFiscalYear;
        let date = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Issued, on, status, valid through 31 December of, days left.
        let cases = [
            // FY 2024 statements serve through 2025.
            ("2024-12-31", "2025-06-10", Attached, 2025, 204),
            ("2024-12-31", "2025-01-01", Attached, 2025, 364),
            ("2024-12-31", "2025-12-24", ExpiringSoon, 2025, 7),
            ("2024-12-31", "2025-12-31", ExpiringSoon, 2025, 0),
            ("2024-12-31", "2026-01-01", Expired, 2025, -1),
            // Two years back is no longer the last closed fiscal year.
            ("2023-12-31", "2025-06-10", Expired, 2024, -161),
            // A later, interim period also serves.
            ("2025-03-31", "2025-06-10", Attached, 2026, 569),
        ];
        for (issued_on, on, status, year, days) in cases {
            let until = day(year, 12, 31);
            assert_eq!(
                judged(fy, Some(date(issued_on)), None, date(on)),
                (status, Some(until), Some(days)),
                "issued {issued_on} on {on}"
            );
        }
        let needs = Status::NeedsDate {
            date: DateNeeded::Issue,
        };
        assert_eq!(judged(fy, None, None, today()), (needs, None, None));
    }

    #[test]
    fn rejection_outranks_dates() {
        let reason = "La imagen no es legible";
        let cases = [
            issued("CSF", today()),
            issued("CSF", t(-400)),
            issued("CSF", t(3)),
            fact("CSF"),
        ];
        for document in cases {
            let document = DocumentFact {
                rejected: Some(reason.into()),
                ..document
            };
            let evaluation = evaluate(
                &Catalogue::default_catalogue(),
                &profile(Fisica, false, &[]),
                None,
                today(),
                &[document],
            );
            let item = evaluation.items.iter().find(|i| i.code == "CSF").unwrap();
            assert_eq!(
                item.status,
                Status::Rejected {
                    reason: reason.into()
                }
            );
            assert_eq!((item.valid_until, item.days_left), (None, None));
        }
    }

    /// The items of the default catalogue, as `CODE` or `CODE:representative`.
    fn item_names(profile: &Profile, procedure: Option<Procedure>) -> Vec<String> {
        let evaluation = evaluate(
            &Catalogue::default_catalogue(),
            profile,
            procedure,
            today(),
            &[],
        );
        assert_eq!(evaluation.total as usize, evaluation.items.len());
        evaluation
            .items
            .iter()
            .map(|i| match &i.representative {
                Some(r) => format!("{}:{r}", i.code),
                None => i.code.clone(),
            })
            .collect()
    }

    #[test]
    fn which_documents_apply() {
        use Procedure::*;
        let fisica = "CSF OPINION_SAT ID_OFICIAL CURP DOMICILIO BANCO ADEUDOS_CDMX CURRICULUM";
        let fisica_employer = "CSF OPINION_SAT OPINION_IMSS OPINION_INFONAVIT ID_OFICIAL CURP \
                               DOMICILIO BANCO ADEUDOS_CDMX CURRICULUM";
        let moral = "CSF OPINION_SAT ID_OFICIAL:r1 ID_OFICIAL:r2 ACTA PODER DOMICILIO BANCO \
                     ADEUDOS_CDMX CURRICULUM";
        let moral_employer_tender = "CSF OPINION_SAT OPINION_IMSS OPINION_INFONAVIT \
                                     ID_OFICIAL:r1 ID_OFICIAL:r2 ACTA PODER DOMICILIO BANCO \
                                     ADEUDOS_CDMX CURRICULUM EDOS_FIN";
        let fisica_tender = format!("{fisica} EDOS_FIN");
        // A física's representatives do not multiply her own id.
        let representatives = |persona| match persona {
            Fisica => vec!["r1"],
            Moral => vec!["r1", "r2"],
        };
        let cases = [
            (Fisica, false, None, fisica),
            (Fisica, true, None, fisica_employer),
            (Moral, false, None, moral),
            (Moral, true, Some(Licitacion), moral_employer_tender),
            (Fisica, false, Some(Licitacion), &fisica_tender),
            (Fisica, false, Some(InvitacionRestringida), fisica),
            (Fisica, false, Some(AdjudicacionDirecta), fisica),
        ];
        for (persona, employer, procedure, expected) in cases {
            let profile = profile(persona, employer, &representatives(persona));
            assert_eq!(
                item_names(&profile, procedure).join(" "),
                expected.split_whitespace().collect::<Vec<_>>().join(" "),
                "{profile:?} {procedure:?}"
            );
        }
    }

    #[test]
    fn official_id_per_representative() {
        let id = |representative: Option<&str>, expires: NaiveDate| DocumentFact {
            representative: representative.map(str::to_owned),
            expires_on: Some(expires),
            ..fact("ID_OFICIAL")
        };
        let documents = [
            id(Some("r1"), t(100)),
            // The business's own id, and one of someone who is no representative.
            id(None, t(-1)),
            id(Some("r9"), t(100)),
        ];
        let ids = |profile: &Profile| -> Vec<(Option<String>, Status)> {
            evaluate(
                &Catalogue::default_catalogue(),
                profile,
                None,
                today(),
                &documents,
            )
            .items
            .into_iter()
            .filter(|i| i.code == "ID_OFICIAL")
            .map(|i| (i.representative, i.status))
            .collect()
        };
        let r = |id: &str| Some(id.to_owned());
        let cases = [
            (
                profile(Moral, false, &["r1", "r2"]),
                vec![(r("r2"), Status::Missing), (r("r1"), Status::Attached)],
            ),
            // With no representatives yet, one id is still asked for.
            (profile(Moral, false, &[]), vec![(None, Status::Expired)]),
            (
                profile(Fisica, false, &["r1"]),
                vec![(None, Status::Expired)],
            ),
        ];
        for (profile, expected) in cases {
            assert_eq!(ids(&profile), expected, "{profile:?}");
        }
    }

    #[test]
    fn missing_first_then_expiring_then_done() {
        let documents = [
            issued("CSF", today()),
            issued("OPINION_SAT", t(-25)),
            DocumentFact {
                expires_on: Some(t(-1)),
                ..fact("ID_OFICIAL")
            },
            DocumentFact {
                rejected: Some("Está cortada".into()),
                ..fact("CURP")
            },
            fact("DOMICILIO"),
            issued("BANCO", t(2)),
            // The later document of an item is the current one.
            DocumentFact {
                rejected: Some("Sin firma".into()),
                ..fact("CURRICULUM")
            },
            fact("CURRICULUM"),
            // Documents of requirements that do not apply are ignored.
            fact("ACTA"),
            fact("UNKNOWN"),
        ];
        let mut catalogue = Catalogue::default_catalogue();
        let evaluation = evaluate(
            &catalogue,
            &profile(Fisica, false, &[]),
            None,
            today(),
            &documents,
        );
        let order: Vec<(&str, &Status)> = evaluation
            .items
            .iter()
            .map(|i| (i.code.as_str(), &i.status))
            .collect();
        let rejected = Status::Rejected {
            reason: "Está cortada".into(),
        };
        let no_date = Status::NeedsDate {
            date: DateNeeded::Issue,
        };
        let future = Status::DateInvalid {
            problem: DateProblem::IssuedInFuture,
        };
        assert_eq!(
            order,
            [
                ("ID_OFICIAL", &Status::Expired),
                ("CURP", &rejected),
                ("DOMICILIO", &no_date),
                ("BANCO", &future),
                ("ADEUDOS_CDMX", &Status::Missing),
                ("OPINION_SAT", &Status::ExpiringSoon),
                ("CSF", &Status::Attached),
                ("CURRICULUM", &Status::Attached),
            ]
        );
        assert_eq!(
            (evaluation.ready, evaluation.total),
            (3, 8),
            "{evaluation:?}"
        );

        // An optional document shows in the list but counts for neither.
        for requirement in &mut catalogue.requirements {
            requirement.required = requirement.code != "CURRICULUM";
        }
        let evaluation = evaluate(
            &catalogue,
            &profile(Fisica, false, &[]),
            None,
            today(),
            &documents,
        );
        assert_eq!(evaluation.items.len(), 8);
        assert_eq!((evaluation.ready, evaluation.total), (2, 7));
        assert!(!evaluation.items.last().unwrap().required);
    }

    #[test]
    fn evaluation_records_catalogue_version_and_day() {
        let mut catalogue = Catalogue::default_catalogue();
        catalogue.version = "2031-07".into();
        let evaluation = evaluate(&catalogue, &profile(Moral, true, &[]), None, t(3), &[]);
        assert_eq!(evaluation.catalogue_version, "2031-07");
        assert_eq!(evaluation.on, t(3));
        assert_eq!(evaluation.ready, 0);
        assert!(evaluation
            .items
            .iter()
            .all(|i| i.status == Status::Missing && i.days_left.is_none()));
    }

    #[test]
    fn mexico_city_day_turns_at_local_midnight() {
        let cases = [
            ("2025-03-10T05:59:59Z", day(2025, 3, 9)),
            ("2025-03-10T06:00:00Z", day(2025, 3, 10)),
            ("2026-01-01T05:59:59Z", day(2025, 12, 31)),
            ("2026-01-01T06:00:00Z", day(2026, 1, 1)),
            // Summer time, abolished in 2022, still applies to its years.
            ("2021-07-01T04:59:59Z", day(2021, 6, 30)),
            ("2021-07-01T05:00:00Z", day(2021, 7, 1)),
        ];
        for (instant, expected) in cases {
            let now: DateTime<Utc> = instant.parse().unwrap();
            assert_eq!(mexico_city_today(now), expected, "{instant}");
        }
    }

    #[test]
    fn every_status_has_spanish_and_english_text() {
        let statuses = [
            Status::Missing,
            Status::Attached,
            Status::ExpiringSoon,
            Status::Expired,
            Status::Rejected {
                reason: "Falta la segunda página".into(),
            },
            Status::Rejected {
                reason: "  ".into(),
            },
            Status::NeedsDate {
                date: DateNeeded::Issue,
            },
            Status::NeedsDate {
                date: DateNeeded::Expiry,
            },
            Status::DateInvalid {
                problem: DateProblem::IssuedInFuture,
            },
            Status::DateInvalid {
                problem: DateProblem::ExpiresBeforeIssue,
            },
        ];
        let mut seen = std::collections::HashSet::new();
        for status in statuses {
            let es = status.message(Locale::Es);
            let en = status.message(Locale::En);
            assert!(!es.trim().is_empty() && !en.trim().is_empty(), "{status:?}");
            assert_ne!(es, en);
            assert!(seen.insert(es), "{status:?} repeats another status's text");
        }
        let rejected = Status::Rejected {
            reason: "Falta la segunda página".into(),
        };
        assert!(rejected
            .message(Locale::En)
            .contains("“Falta la segunda página”"));
        let unexplained = Status::Rejected { reason: "".into() };
        assert!(!unexplained.message(Locale::Es).contains('«'));
    }

    #[test]
    fn evaluation_serializes_for_the_ui() {
        use serde_json::json;
        let cases = [
            (Status::Missing, json!({"kind": "missing"})),
            (Status::ExpiringSoon, json!({"kind": "expiring_soon"})),
            (
                Status::Rejected { reason: "x".into() },
                json!({"kind": "rejected", "reason": "x"}),
            ),
            (
                Status::NeedsDate {
                    date: DateNeeded::Expiry,
                },
                json!({"kind": "needs_date", "date": "expiry"}),
            ),
            (
                Status::DateInvalid {
                    problem: DateProblem::IssuedInFuture,
                },
                json!({"kind": "date_invalid", "problem": "issued_in_future"}),
            ),
        ];
        for (status, expected) in cases {
            assert_eq!(serde_json::to_value(&status).unwrap(), expected);
        }
        let evaluation = evaluate(
            &Catalogue::default_catalogue(),
            &profile(Fisica, false, &[]),
            None,
            today(),
            &[issued("CSF", today())],
        );
        let json = serde_json::to_value(&evaluation).unwrap();
        assert_eq!(json["on"], "2025-06-10");
        let csf = json["items"].as_array().unwrap().last().unwrap();
        assert_eq!(csf["valid_until"], "2025-07-10");
        assert_eq!(csf["days_left"], 30);

        let fact: DocumentFact = serde_json::from_value(json!({
            "requirement": "CSF", "representative": null,
            "issued_on": "2025-06-01", "expires_on": null, "rejected": null
        }))
        .unwrap();
        assert_eq!(fact, issued("CSF", day(2025, 6, 1)));
    }

    #[test]
    fn profile_from_draft() {
        use crate::registration::Representative;
        let draft = |persona: &str, rfc: &str, employer: &str| RegistrationDraft {
            persona: persona.into(),
            rfc: rfc.into(),
            employer: employer.into(),
            ..RegistrationDraft::default()
        };
        let cases = [
            // The chosen persona wins over the RFC's.
            (draft("fisica", "EKU9003173C9", "yes"), Some((Fisica, true))),
            // None chosen: read from the RFC's length.
            (draft("", "eku-900317-3c9", " yes "), Some((Moral, true))),
            (draft("", "PEMJ800101AB1", "no"), Some((Fisica, false))),
            (draft("", "PEMJ800101AB1", "Sí"), Some((Fisica, false))),
            (draft("", "", "yes"), None),
            (draft("empresa", "ABC", ""), None),
        ];
        for (draft, expected) in cases {
            let profile = Profile::from_draft(&draft);
            assert_eq!(
                profile.map(|p| (p.persona, p.employer)),
                expected,
                "{draft:?}"
            );
        }
        let mut moral = draft("moral", "", "no");
        moral.representatives = ["r2", "r1"]
            .map(|id| Representative {
                id: id.into(),
                ..Representative::default()
            })
            .to_vec();
        let profile = Profile::from_draft(&moral).unwrap();
        assert_eq!(profile.representatives, ["r2", "r1"]);
    }

    #[test]
    fn date_problems_read_as_on_the_checklist() {
        let cases = [
            (Some(t(1)), None, Some(DateProblem::IssuedInFuture)),
            (
                Some(t(0)),
                Some(t(-1)),
                Some(DateProblem::ExpiresBeforeIssue),
            ),
            (Some(t(0)), Some(t(0)), None),
            (None, Some(t(-5)), None),
            (None, None, None),
        ];
        for (issued_on, expires_on, expected) in cases {
            assert_eq!(date_problem(issued_on, expires_on, today()), expected);
        }
        for problem in [DateProblem::IssuedInFuture, DateProblem::ExpiresBeforeIssue] {
            for locale in [Locale::Es, Locale::En] {
                assert_eq!(
                    problem.message(locale),
                    Status::DateInvalid { problem }.message(locale)
                );
            }
        }
    }

    #[test]
    fn ui_types_declare_as_typescript() {
        let cases = [
            (
                Status::decl(),
                "{ \"kind\": \"rejected\", \n/**\n * The alcaldía's reason.\n */\nreason: string, }",
            ),
            (ItemStatus::decl(), "valid_until: string | null"),
            (ItemStatus::decl(), "days_left: number | null"),
            (Evaluation::decl(), "on: string"),
            (DocumentFact::decl(), "issued_on: string | null"),
            (Requirement::decl(), "max_bytes: number"),
            (Validity::decl(), "{ \"max_age_days\": number }"),
            (Applies::decl(), "persona: Persona | null"),
        ];
        for (decl, expected) in cases {
            assert!(decl.contains(expected), "{decl}");
        }
    }
}
