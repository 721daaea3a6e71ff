//! The supplier registration (alta en el padrón de proveedores): the draft exactly as
//! the person typed it, and its [`review`]: what is missing or wrong, section by section,
//! and whether it can be sent.
//!
//! The draft keeps raw text on purpose: nothing typed is ever lost, even when invalid,
//! so a person can fill the form over several evenings and fix things at their pace.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::banks::BankCatalogue;
use crate::catalog;
use crate::identifiers::{clabe, curp, rfc};
use crate::message::{enum_with_all, Code, Issue, Severity};
use crate::money::format_mxn;
use crate::size::{classify, Sector, SizeAssessment};

/// Who registers: an individual with business activity or a company.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum Persona {
    Fisica,
    Moral,
}

impl Persona {
    /// Reads the stored form (`fisica` or `moral`), also accepting the accented
    /// `física` and any letter case.
    pub fn parse(s: &str) -> Option<Persona> {
        match s.trim().to_lowercase().as_str() {
            "fisica" | "física" => Some(Persona::Fisica),
            "moral" => Some(Persona::Moral),
            _ => None,
        }
    }

    /// The stored form, the same as the serialized one.
    pub fn as_str(self) -> &'static str {
        match self {
            Persona::Fisica => "fisica",
            Persona::Moral => "moral",
        }
    }
}

enum_with_all! {
    /// A step of the registration wizard, declared in wizard order.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
    #[serde(rename_all = "snake_case")]
    pub enum Section {
        /// Persona type and RFC.
        Identity,
        /// Name or razón social, tax regime and, for a persona física, the CURP.
        General,
        /// Fiscal address.
        Address,
        /// Email and phone.
        Contact,
        /// Legal representatives.
        Representatives,
        /// Economic activity, size figures and whether it employs people.
        Activity,
        /// The CLABE payments go to.
        Bank,
    }
}

enum_with_all! {
    /// Something a person fills in. The `Representative*` fields belong to one
    /// representative, named by [`Issue::representative`].
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
    #[serde(rename_all = "snake_case")]
    pub enum Field {
        Persona,
        Rfc,
        Name,
        Regimen,
        Curp,
        Street,
        ExteriorNumber,
        InteriorNumber,
        Neighborhood,
        PostalCode,
        Municipality,
        State,
        Email,
        Phone,
        Activity,
        Scian,
        Sector,
        Workers,
        AnnualSales,
        Employer,
        Clabe,
        Representatives,
        RepresentativeName,
        RepresentativeCurp,
        RepresentativePower,
    }
}

impl Field {
    /// The wizard step where the field is filled in.
    pub fn section(self) -> Section {
        match self {
            Field::Persona | Field::Rfc => Section::Identity,
            Field::Name | Field::Regimen | Field::Curp => Section::General,
            Field::Street
            | Field::ExteriorNumber
            | Field::InteriorNumber
            | Field::Neighborhood
            | Field::PostalCode
            | Field::Municipality
            | Field::State => Section::Address,
            Field::Email | Field::Phone => Section::Contact,
            Field::Representatives
            | Field::RepresentativeName
            | Field::RepresentativeCurp
            | Field::RepresentativePower => Section::Representatives,
            Field::Activity
            | Field::Scian
            | Field::Sector
            | Field::Workers
            | Field::AnnualSales
            | Field::Employer => Section::Activity,
            Field::Clabe => Section::Bank,
        }
    }

    /// The field's stable name, the same as its serialized form.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Persona => "persona",
            Field::Rfc => "rfc",
            Field::Name => "name",
            Field::Regimen => "regimen",
            Field::Curp => "curp",
            Field::Street => "street",
            Field::ExteriorNumber => "exterior_number",
            Field::InteriorNumber => "interior_number",
            Field::Neighborhood => "neighborhood",
            Field::PostalCode => "postal_code",
            Field::Municipality => "municipality",
            Field::State => "state",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Activity => "activity",
            Field::Scian => "scian",
            Field::Sector => "sector",
            Field::Workers => "workers",
            Field::AnnualSales => "annual_sales",
            Field::Employer => "employer",
            Field::Clabe => "clabe",
            Field::Representatives => "representatives",
            Field::RepresentativeName => "representative_name",
            Field::RepresentativeCurp => "representative_curp",
            Field::RepresentativePower => "representative_power",
        }
    }

    /// The field named `s` (see [`Field::as_str`]).
    pub fn parse(s: &str) -> Option<Field> {
        Field::all().iter().copied().find(|f| f.as_str() == s)
    }
}

/// A legal representative, as typed.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct Representative {
    /// Stable id chosen by whoever adds the representative; issues point at it.
    pub id: String,
    pub name: String,
    pub curp: String,
    /// Data of the power of attorney (deed number, notary...).
    pub power_of_attorney: String,
}

/// A registration in progress, every value as the person typed it.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct RegistrationDraft {
    /// `""`, `"fisica"` or `"moral"`.
    pub persona: String,
    pub rfc: String,
    /// Full name (física) or razón social (moral).
    pub name: String,
    /// SAT code of the tax regime, such as `"612"`.
    pub regimen: String,
    /// The owner's CURP; only a persona física has one.
    pub curp: String,
    pub street: String,
    pub exterior_number: String,
    pub interior_number: String,
    pub neighborhood: String,
    pub postal_code: String,
    /// Municipio or alcaldía.
    pub municipality: String,
    /// Code of the federal entity in [`catalog::states`], such as `"CMX"`.
    pub state: String,
    pub email: String,
    pub phone: String,
    /// The goods and services the business offers.
    pub activity: String,
    /// SCIAN code of the main activity (6 digits), optional.
    pub scian: String,
    /// `""`, `"commerce"`, `"industry"` or `"services"`.
    pub sector: String,
    pub workers: String,
    /// In pesos, as typed (`"$20,000,000.50"`).
    pub annual_sales: String,
    /// `""`, `"yes"` or `"no"`.
    pub employer: String,
    pub clabe: String,
    pub representatives: Vec<Representative>,
}

/// Declares [`RegistrationDraft::get`], [`RegistrationDraft::set`] and
/// [`Field::draft_fields`] from one list pairing each top-level field with the member
/// holding its text, so the three cannot disagree. The fields listed after `not text`
/// live in `representatives`.
macro_rules! draft_text {
    ($($field:ident => $member:ident),+ ; not text: $($other:ident),+ $(,)?) => {
        impl RegistrationDraft {
            /// The text typed for `field`; `None` for representative fields.
            pub fn get(&self, field: Field) -> Option<&str> {
                match field {
                    $(Field::$field => Some(&self.$member),)+
                    $(Field::$other)|+ => None,
                }
            }

            /// Stores the text typed for `field`; `false` (and nothing stored) for
            /// representative fields.
            pub fn set(&mut self, field: Field, value: String) -> bool {
                match field {
                    $(Field::$field => self.$member = value,)+
                    $(Field::$other)|+ => return false,
                }
                true
            }
        }

        impl Field {
            /// The top-level fields, stored as text in the draft.
            pub fn draft_fields() -> &'static [Field] {
                &[$(Field::$field),+]
            }
        }
    };
}

draft_text! {
    Persona => persona,
    Rfc => rfc,
    Name => name,
    Regimen => regimen,
    Curp => curp,
    Street => street,
    ExteriorNumber => exterior_number,
    InteriorNumber => interior_number,
    Neighborhood => neighborhood,
    PostalCode => postal_code,
    Municipality => municipality,
    State => state,
    Email => email,
    Phone => phone,
    Activity => activity,
    Scian => scian,
    Sector => sector,
    Workers => workers,
    AnnualSales => annual_sales,
    Employer => employer,
    Clabe => clabe;
    not text: Representatives, RepresentativeName, RepresentativeCurp, RepresentativePower,
}

/// How one wizard step stands.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct SectionReview {
    pub section: Section,
    pub missing: u32,
    pub errors: u32,
    pub warnings: u32,
    /// Nothing missing and nothing wrong (warnings allowed).
    pub done: bool,
}

/// Everything the app can tell about a draft.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Review {
    /// As chosen, else inferred from the RFC's length.
    pub persona: Option<Persona>,
    /// Every problem, in wizard order.
    pub issues: Vec<Issue>,
    /// One per section, in wizard order.
    pub sections: Vec<SectionReview>,
    /// Present once sector, workers and sales can all be read.
    pub size: Option<SizeAssessment>,
    /// The annual sales written as money (`$20,000,000.00 MXN`), once they can be read:
    /// the UI shows this back rather than reading the amount a second way.
    pub annual_sales: Option<String>,
    /// The bank read from the CLABE.
    pub bank: Option<String>,
    /// The postal code lies in Benito Juárez (03000-03949).
    pub in_benito_juarez: bool,
    /// Ready to send: nothing missing and nothing wrong (warnings allowed).
    pub complete: bool,
}

/// Reviews a draft: checks every field and sums up each section, naming the CLABE's
/// bank from `banks` (the catalogue in use).
pub fn review(draft: &RegistrationDraft, banks: &BankCatalogue) -> Review {
    use Need::{Optional, Required};
    let mut found = Found::default();

    // Fields judged on their own text alone.
    let plain: [(Field, &str, Need, &Check<'_>); 17] = [
        (Field::Persona, &draft.persona, Required, &|v| {
            Persona::parse(v).is_none().then_some(Code::PersonaUnknown)
        }),
        (Field::Name, &draft.name, Required, &line_text),
        (Field::Street, &draft.street, Required, &line_text),
        (
            Field::ExteriorNumber,
            &draft.exterior_number,
            Required,
            &line_text,
        ),
        (
            Field::InteriorNumber,
            &draft.interior_number,
            Optional,
            &line_text,
        ),
        (
            Field::Neighborhood,
            &draft.neighborhood,
            Required,
            &line_text,
        ),
        (Field::PostalCode, &draft.postal_code, Required, &|v| {
            postal_code(v).is_none().then_some(Code::PostalCodeShape)
        }),
        (
            Field::Municipality,
            &draft.municipality,
            Required,
            &line_text,
        ),
        (Field::State, &draft.state, Required, &|v| {
            catalog::state(&v.to_uppercase())
                .is_none()
                .then_some(Code::StateUnknown)
        }),
        (Field::Email, &draft.email, Required, &|v| {
            (!is_email(v)).then_some(Code::EmailShape)
        }),
        (Field::Phone, &draft.phone, Required, &|v| {
            (!is_phone(v)).then_some(Code::PhoneShape)
        }),
        (Field::Activity, &draft.activity, Required, &paragraph_text),
        (Field::Scian, &draft.scian, Optional, &|v| {
            (!is_digits(v, 6)).then_some(Code::ScianShape)
        }),
        (Field::Sector, &draft.sector, Required, &|v| {
            Sector::parse(v).is_none().then_some(Code::SectorUnknown)
        }),
        (Field::Workers, &draft.workers, Required, &|v| {
            workers(v).is_none().then_some(Code::WorkersNotNumber)
        }),
        (Field::AnnualSales, &draft.annual_sales, Required, &|v| {
            pesos(v).is_none().then_some(Code::SalesNotAmount)
        }),
        (Field::Employer, &draft.employer, Required, &|v| {
            (!matches!(v, "yes" | "no")).then_some(Code::EmployerUnknown)
        }),
    ];
    for (field, value, need, check) in plain {
        found.value(field, value, need, check, None);
    }

    let chosen = Persona::parse(&draft.persona);
    let rfc = rfc::check(&draft.rfc);
    found.codes(Field::Rfc, &rfc.issues, None);
    if matches!((chosen, rfc.details.persona), (Some(c), Some(r)) if c != r) {
        found.codes(Field::Rfc, &[Code::RfcPersonaMismatch], None);
    }
    let persona = persona_of(draft);

    found.value(
        Field::Regimen,
        &draft.regimen,
        Required,
        &|v| match catalog::regimen(v) {
            None => Some(Code::RegimenUnknown),
            Some(r) if persona.is_some_and(|p| !r.allows(p)) => Some(Code::RegimenNotForPersona),
            Some(_) => None,
        },
        None,
    );
    // Only a persona física has a CURP of its own; a moral's is never asked for.
    if persona == Some(Persona::Fisica) {
        let curp = curp::check(&draft.curp);
        found.codes(Field::Curp, &curp.issues, None);
        if rfc.is_valid() && curp.is_valid() && !curp::agrees_with_rfc(&draft.curp, &draft.rfc) {
            found.codes(Field::Curp, &[Code::CurpRfcMismatch], None);
        }
    }

    let clabe = clabe::check(&draft.clabe, banks);
    found.codes(Field::Clabe, &clabe.issues, None);
    found.name_subject(Code::ClabeUnknownBank, clabe.details.bank_code.as_deref());

    if persona == Some(Persona::Moral) && draft.representatives.is_empty() {
        found.codes(
            Field::Representatives,
            &[Code::RepresentativesMissing],
            None,
        );
    }
    for representative in &draft.representatives {
        found.representative(representative);
    }

    let size = size_of(draft);
    let (issues, sections) = found.finish();
    Review {
        persona,
        complete: sections.iter().all(|s| s.done),
        issues,
        sections,
        size,
        annual_sales: pesos(&draft.annual_sales).map(format_mxn),
        bank: clabe.details.bank,
        in_benito_juarez: postal_code(&draft.postal_code)
            .is_some_and(|code| (3000..=3949).contains(&code)),
    }
}

/// Whom a draft registers: the persona as chosen, else as the RFC's length tells.
pub fn persona_of(draft: &RegistrationDraft) -> Option<Persona> {
    Persona::parse(&draft.persona).or(rfc::check(&draft.rfc).details.persona)
}

/// The business's MiPyME size, once sector, workers and sales can all be read.
pub fn size_of(draft: &RegistrationDraft) -> Option<SizeAssessment> {
    match (
        Sector::parse(&draft.sector),
        workers(&draft.workers),
        pesos(&draft.annual_sales),
    ) {
        (Some(sector), Some(workers), Some(sales)) => Some(classify(sector, workers, sales)),
        _ => None,
    }
}

/// Finds what is wrong in a trimmed, non-empty value.
type Check<'a> = dyn Fn(&str) -> Option<Code> + 'a;

/// Whether an empty value is a problem.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Required,
    Optional,
}

/// The issues found so far, in the order the checks ran.
#[derive(Default)]
struct Found {
    issues: Vec<Issue>,
}

impl Found {
    fn codes(&mut self, field: Field, codes: &[Code], representative: Option<&str>) {
        self.issues.extend(codes.iter().map(|&code| Issue {
            code,
            field,
            representative: representative.map(str::to_owned),
            subject: None,
        }));
    }

    /// Gives the issues with `code` the subject their message names.
    fn name_subject(&mut self, code: Code, subject: Option<&str>) {
        for issue in self.issues.iter_mut().filter(|i| i.code == code) {
            issue.subject = subject.map(str::to_owned);
        }
    }

    /// Checks one text value: `Required` when blank (if it is), else what `check` finds
    /// in the trimmed text.
    fn value(
        &mut self,
        field: Field,
        raw: &str,
        need: Need,
        check: &Check<'_>,
        representative: Option<&str>,
    ) {
        let value = raw.trim();
        let code = if value.is_empty() {
            (need == Need::Required).then_some(Code::Required)
        } else {
            check(value)
        };
        if let Some(code) = code {
            self.codes(field, &[code], representative);
        }
    }

    fn representative(&mut self, representative: &Representative) {
        let id = Some(representative.id.as_str());
        let name = &representative.name;
        self.value(
            Field::RepresentativeName,
            name,
            Need::Required,
            &line_text,
            id,
        );
        let curp = curp::check(&representative.curp);
        self.codes(Field::RepresentativeCurp, &curp.issues, id);
        let power = &representative.power_of_attorney;
        self.value(
            Field::RepresentativePower,
            power,
            Need::Required,
            &line_text,
            id,
        );
    }

    /// The issues in wizard order, and their sum per section.
    fn finish(mut self) -> (Vec<Issue>, Vec<SectionReview>) {
        // Stable: within a section the issues keep the order the checks ran in.
        self.issues.sort_by_key(|issue| issue.field.section());
        let sections: Vec<SectionReview> = Section::all()
            .iter()
            .map(|&section| {
                let count = |severity: Severity| {
                    let n = self
                        .issues
                        .iter()
                        .filter(|i| i.field.section() == section && i.severity() == severity)
                        .count();
                    u32::try_from(n).unwrap_or(u32::MAX)
                };
                let (missing, errors) = (count(Severity::Missing), count(Severity::Error));
                SectionReview {
                    section,
                    missing,
                    errors,
                    warnings: count(Severity::Warning),
                    done: missing == 0 && errors == 0,
                }
            })
            .collect();
        (self.issues, sections)
    }
}

/// Limits of free text: how long it may be and whether it may span lines.
#[derive(Clone, Copy)]
struct TextRule {
    max_chars: usize,
    multiline: bool,
}

/// A one-line value: names, street, numbers, neighborhood...
const LINE: TextRule = TextRule {
    max_chars: 254,
    multiline: false,
};

/// A description, such as the goods and services offered.
const PARAGRAPH: TextRule = TextRule {
    max_chars: 1000,
    multiline: true,
};

fn line_text(value: &str) -> Option<Code> {
    text_problem(value, LINE)
}

fn paragraph_text(value: &str) -> Option<Code> {
    text_problem(value, PARAGRAPH)
}

/// Too long, or with characters official paperwork cannot carry (emoji, symbols).
fn text_problem(value: &str, rule: TextRule) -> Option<Code> {
    if value.chars().count() > rule.max_chars {
        return Some(Code::TooLong);
    }
    let allowed = |c: char| {
        c.is_alphanumeric()
            || c == ' '
            || (rule.multiline && matches!(c, '\n' | '\r'))
            || matches!(
                c,
                '.' | ',' | '&' | '\'' | '"' | '-' | '/' | '(' | ')' | '#' | '°' | ':' | ';' | '+'
                // Word processors turn quotes into typographic ones when text is pasted.
                | '‘' | '’' | '“' | '”'
            )
            // Accents typed on some systems arrive as a letter plus a combining mark.
            || ('\u{300}'..='\u{36f}').contains(&c)
    };
    (!value.chars().all(allowed)).then_some(Code::InvalidCharacters)
}

fn is_digits(value: &str, len: usize) -> bool {
    value.len() == len && value.bytes().all(|b| b.is_ascii_digit())
}

/// The postal code as a number, when it has the 5 digits it must have.
fn postal_code(value: &str) -> Option<u32> {
    let value = value.trim();
    is_digits(value, 5)
        .then_some(value)
        .and_then(|v| v.parse().ok())
}

/// `local@domain.tld`, without spaces, at most 254 characters.
fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    value.chars().count() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && !local.is_empty()
        && !domain.contains('@')
        && labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && tld_ok
}

/// Ten digits once the usual separators and the country code (+52) are gone.
fn is_phone(value: &str) -> bool {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '.' | '(' | ')'))
        .collect();
    let national = match compact.strip_prefix('+') {
        Some(international) => international.strip_prefix("52"),
        None if compact.len() == 12 => compact.strip_prefix("52"),
        None => Some(compact.as_str()),
    };
    national.is_some_and(|n| is_digits(n, 10))
}

/// A head count: a whole number up to a million, thousands separators allowed.
fn workers(value: &str) -> Option<u32> {
    let count: u32 = crate::money::ungroup(value.trim()).ok()?.parse().ok()?;
    (count <= 1_000_000).then_some(count)
}

/// An amount of pesos, read as everywhere else in the app (see [`crate::money`]).
fn pesos(value: &str) -> Option<Decimal> {
    crate::money::parse_pesos(value).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::message::Locale;
    use crate::size::Size;
    use std::str::FromStr;

    /// The review with the shipped bank catalogue.
    fn review(draft: &RegistrationDraft) -> Review {
        super::review(draft, &BankCatalogue::default_catalogue())
    }

    // GODE561231MDFMZM01 worked by hand (CURP values, weights 18 down to 2):
    // G16·18=288 O25·17=425 D13·16=208 E14·15=210 5·14=70 6·13=78 1·12=12 2·11=22 3·10=30
    // 1·9=9 M22·8=176 D13·7=91 F15·6=90 M22·5=110 Z36·4=144 M22·3=66 0·2=0; sum 2029,
    // digit 10 - 9 = 1. Its first 10 characters agree with the RFC GODE561231GR8.
    // The fixture's física, her RFC typed in lower case, an employer, with a SCIAN code.
    fn fisica() -> RegistrationDraft {
        RegistrationDraft {
            rfc: "gode561231gr8".into(),
            scian: "465311".into(),
            employer: "yes".into(),
            ..crate::fixtures::business()
        }
    }

    fn moral() -> RegistrationDraft {
        crate::fixtures::complete_moral_draft("WMT970714R10")
    }

    fn codes(review: &Review) -> Vec<(Field, Code)> {
        review.issues.iter().map(|i| (i.field, i.code)).collect()
    }

    /// The issues a draft has once `change` is applied to a complete one.
    fn issues_after(
        base: fn() -> RegistrationDraft,
        change: impl FnOnce(&mut RegistrationDraft),
    ) -> Vec<(Field, Code)> {
        let mut draft = base();
        change(&mut draft);
        codes(&review(&draft))
    }

    #[test]
    fn complete_fisica() {
        let review = review(&fisica());
        assert_eq!(codes(&review), []);
        assert!(review.complete);
        assert_eq!(review.persona, Some(Persona::Fisica));
        assert_eq!(review.bank.as_deref(), Some("Banamex"));
        assert!(review.in_benito_juarez);
        let size = review.size.unwrap();
        // 4 × 0.1 + 1.2500005 × 0.9 = 0.4 + 1.12500045
        assert_eq!(size.score, Decimal::from_str("1.52500045").unwrap());
        assert_eq!(size.size, Size::Micro);
        assert!(review.sections.iter().all(|s| s.done));
    }

    #[test]
    fn sales_are_written_back_only_as_they_are_read() {
        let sales = |typed: &str| {
            let mut draft = fisica();
            draft.annual_sales = typed.into();
            review(&draft).annual_sales
        };
        assert_eq!(sales("2500000").as_deref(), Some("$2,500,000.00 MXN"));
        assert_eq!(
            sales("$ 20 000 000.5").as_deref(),
            Some("$20,000,000.50 MXN")
        );
        // A decimal comma is refused, not shown back as a hundred times the amount.
        assert_eq!(sales("2,50"), None);
        assert_eq!(sales(""), None);
    }

    #[test]
    fn complete_moral() {
        let review = review(&moral());
        assert_eq!(codes(&review), []);
        assert!(review.complete);
        assert_eq!(review.persona, Some(Persona::Moral));
        assert_eq!(review.bank.as_deref(), Some("BBVA México"));
        assert!(!review.in_benito_juarez);
        let size = review.size.unwrap();
        assert_eq!(size.score, Decimal::from_str("20.5").unwrap());
        assert_eq!(size.size, Size::Small);
    }

    #[test]
    fn empty_draft_misses_every_required_field_in_wizard_order() {
        let review = review(&RegistrationDraft::default());
        let expected: Vec<(Field, Code)> = [
            Field::Persona,
            Field::Rfc,
            Field::Name,
            Field::Regimen,
            Field::Street,
            Field::ExteriorNumber,
            Field::Neighborhood,
            Field::PostalCode,
            Field::Municipality,
            Field::State,
            Field::Email,
            Field::Phone,
            Field::Activity,
            Field::Sector,
            Field::Workers,
            Field::AnnualSales,
            Field::Employer,
            Field::Clabe,
        ]
        .into_iter()
        .map(|f| (f, Code::Required))
        .collect();
        assert_eq!(codes(&review), expected);
        assert!(!review.complete);
        assert_eq!(review.persona, None);
        assert_eq!(review.size, None);
        assert_eq!(review.bank, None);
        let identity = &review.sections[0];
        assert_eq!(
            (identity.section, identity.missing, identity.done),
            (Section::Identity, 2, false)
        );
        let representatives = &review.sections[4];
        assert_eq!(representatives.section, Section::Representatives);
        assert!(representatives.done);
    }

    #[test]
    fn field_problems() {
        use Code::*;
        type Change = fn(&mut RegistrationDraft);
        let long = "a".repeat(10_000);
        let cases: &[(Change, &[(Field, Code)])] = &[
            (
                |d| d.persona = "empresa".into(),
                &[(Field::Persona, PersonaUnknown)],
            ),
            (|d| d.persona = "FÍSICA".into(), &[]),
            (
                |d| d.rfc = "GODE561231GR9".into(),
                &[(Field::Rfc, RfcCheckDigit)],
            ),
            (
                |d| d.rfc = "XAXX010101000".into(),
                &[(Field::Rfc, RfcGeneric)],
            ),
            (|d| d.rfc = "GODE991332GR8".into(), &[(Field::Rfc, RfcDate)]),
            (|d| d.rfc = "GODE561231".into(), &[(Field::Rfc, RfcLength)]),
            (
                |d| d.name = "Emma 😀 Gómez".into(),
                &[(Field::Name, InvalidCharacters)],
            ),
            (
                |d| d.name = "Emma\nGómez".into(),
                &[(Field::Name, InvalidCharacters)],
            ),
            (|d| d.name = "  ".into(), &[(Field::Name, Required)]),
            (
                |d| d.name = "Jose\u{301} O’Brien-Núñez (hijo) #2".into(),
                &[],
            ),
            (|d| d.name = "Алексей Иванов".into(), &[]),
            (|d| d.name = "x".repeat(254), &[]),
            (|d| d.name = "x".repeat(255), &[(Field::Name, TooLong)]),
            (
                |d| d.regimen = "999".into(),
                &[(Field::Regimen, RegimenUnknown)],
            ),
            (
                |d| d.regimen = "601".into(),
                &[(Field::Regimen, RegimenNotForPersona)],
            ),
            (|d| d.regimen = "626".into(), &[]),
            (|d| d.curp = String::new(), &[(Field::Curp, Required)]),
            (
                |d| d.curp = "GODE561231MDFMZM02".into(),
                &[(Field::Curp, CurpCheckDigit)],
            ),
            (
                |d| d.curp = "GODE561231MDFMZM0".into(),
                &[(Field::Curp, CurpLength)],
            ),
            (
                |d| d.curp = "HEGG560427MVZRRL04".into(),
                &[(Field::Curp, CurpRfcMismatch)],
            ),
            (|d| d.interior_number = "Depto. 4-B".into(), &[]),
            (
                |d| d.postal_code = "3310".into(),
                &[(Field::PostalCode, PostalCodeShape)],
            ),
            (
                |d| d.postal_code = "0331O".into(),
                &[(Field::PostalCode, PostalCodeShape)],
            ),
            (
                |d| d.state = "Jalisco".into(),
                &[(Field::State, StateUnknown)],
            ),
            (
                |d| d.email = "emma @ejemplo.com".into(),
                &[(Field::Email, EmailShape)],
            ),
            (
                |d| d.email = "emma@ejemplo".into(),
                &[(Field::Email, EmailShape)],
            ),
            (
                |d| d.email = "emma@@ejemplo.com".into(),
                &[(Field::Email, EmailShape)],
            ),
            (
                |d| d.email = "@ejemplo.com".into(),
                &[(Field::Email, EmailShape)],
            ),
            (
                |d| d.email = "emma@ejemplo..com".into(),
                &[(Field::Email, EmailShape)],
            ),
            (
                |d| d.email = "emma@ejemplo.c".into(),
                &[(Field::Email, EmailShape)],
            ),
            (
                |d| d.email = format!("{}@ejemplo.com", "e".repeat(250)),
                &[(Field::Email, EmailShape)],
            ),
            (
                |d| d.email = " Emma.Gomez+ventas@sub.ejemplo.com.mx ".into(),
                &[],
            ),
            (|d| d.phone = "(55) 1234-5678".into(), &[]),
            (|d| d.phone = "55.1234.5678".into(), &[]),
            (|d| d.phone = "+52 55 1234 5678".into(), &[]),
            (|d| d.phone = "525512345678".into(), &[]),
            (
                |d| d.phone = "+1 55 1234 5678".into(),
                &[(Field::Phone, PhoneShape)],
            ),
            (
                |d| d.phone = "1234 5678".into(),
                &[(Field::Phone, PhoneShape)],
            ),
            (
                |d| d.phone = "55 1234 567A".into(),
                &[(Field::Phone, PhoneShape)],
            ),
            (
                |d| d.phone = "545512345678".into(),
                &[(Field::Phone, PhoneShape)],
            ),
            (|d| d.activity = "a".repeat(1000), &[]),
            (
                |d| d.activity = "a".repeat(1001),
                &[(Field::Activity, TooLong)],
            ),
            (
                |d| d.activity = "Venta 🛒".into(),
                &[(Field::Activity, InvalidCharacters)],
            ),
            (|d| d.scian = String::new(), &[]),
            (|d| d.scian = "46531".into(), &[(Field::Scian, ScianShape)]),
            (
                |d| d.sector = "retail".into(),
                &[(Field::Sector, SectorUnknown)],
            ),
            (|d| d.workers = "1,200".into(), &[]),
            (|d| d.workers = "1000000".into(), &[]),
            (
                |d| d.workers = "1000001".into(),
                &[(Field::Workers, WorkersNotNumber)],
            ),
            (
                |d| d.workers = "-3".into(),
                &[(Field::Workers, WorkersNotNumber)],
            ),
            (
                |d| d.workers = "2.5".into(),
                &[(Field::Workers, WorkersNotNumber)],
            ),
            (
                |d| d.workers = "diez".into(),
                &[(Field::Workers, WorkersNotNumber)],
            ),
            (|d| d.annual_sales = "20,000,000.50".into(), &[]),
            (|d| d.annual_sales = "$ 20 000 000".into(), &[]),
            (|d| d.annual_sales = "0".into(), &[]),
            (
                |d| d.annual_sales = "20,5".into(),
                &[(Field::AnnualSales, SalesNotAmount)],
            ),
            (
                |d| d.annual_sales = "20.505".into(),
                &[(Field::AnnualSales, SalesNotAmount)],
            ),
            (
                |d| d.annual_sales = "20.".into(),
                &[(Field::AnnualSales, SalesNotAmount)],
            ),
            (
                |d| d.annual_sales = "-5".into(),
                &[(Field::AnnualSales, SalesNotAmount)],
            ),
            (
                |d| d.annual_sales = "veinte".into(),
                &[(Field::AnnualSales, SalesNotAmount)],
            ),
            (
                |d| d.annual_sales = "9".repeat(40),
                &[(Field::AnnualSales, SalesNotAmount)],
            ),
            (
                |d| d.employer = "si".into(),
                &[(Field::Employer, EmployerUnknown)],
            ),
            (
                |d| d.clabe = "002010077777777772".into(),
                &[(Field::Clabe, ClabeCheckDigit)],
            ),
            (
                |d| d.clabe = "999180001234567899".into(),
                &[(Field::Clabe, ClabeUnknownBank)],
            ),
            (
                |d| d.clabe = "0020100777".into(),
                &[(Field::Clabe, ClabeLength)],
            ),
        ];
        for (i, (change, expected)) in cases.iter().enumerate() {
            assert_eq!(issues_after(fisica, change), *expected, "case {i}");
        }

        // Ten thousand characters in every text field: each is too long, none is lost.
        let mut draft = fisica();
        for &field in Field::draft_fields() {
            assert!(draft.set(field, long.clone()));
        }
        let review = review(&draft);
        for field in [
            Field::Name,
            Field::Street,
            Field::Neighborhood,
            Field::Activity,
        ] {
            assert!(
                review
                    .issues
                    .iter()
                    .any(|i| i.field == field && i.code == TooLong),
                "{field:?}"
            );
        }
        assert!(!review.complete);
        assert_eq!(draft.get(Field::Name), Some(long.as_str()));
    }

    #[test]
    fn a_bank_the_catalogue_lacks_only_warns_and_the_registration_can_be_sent() {
        let mut draft = fisica();
        draft.clabe = "999180001234567899".into();
        let review = review(&draft);
        assert!(review.complete, "a warning never blocks sending");
        assert_eq!(review.bank, None);
        let [issue] = review.issues.as_slice() else {
            panic!("one issue: {:?}", review.issues);
        };
        let view = issue.view(Locale::Es);
        assert_eq!(view.severity, Severity::Warning);
        assert_eq!(
            view.message,
            "No reconocemos el banco 999; revisa la CLABE."
        );
        let bank = review.sections.iter().find(|s| s.section == Section::Bank);
        assert!(bank.is_some_and(|s| s.done && s.warnings == 1));

        // The catalogue in use names it once it lists the code.
        let newer = BankCatalogue::from_json(
            r#"{"version": "v2", "banks": [{"code": "999", "name": "Banco Nuevo"}]}"#,
        )
        .unwrap();
        let review = super::review(&draft, &newer);
        assert_eq!(review.issues, []);
        assert_eq!(review.bank.as_deref(), Some("Banco Nuevo"));
    }

    #[test]
    fn persona_and_rfc() {
        use Code::*;
        // A física choosing "moral" with its 13-character RFC: mismatch, and the regime
        // and the missing representatives follow the chosen persona.
        let issues = issues_after(fisica, |d| d.persona = "moral".into());
        assert_eq!(
            issues,
            [
                (Field::Rfc, RfcPersonaMismatch),
                (Field::Regimen, RegimenNotForPersona),
                (Field::Representatives, RepresentativesMissing),
            ]
        );
        // Without a choice, the RFC's length decides.
        let mut draft = moral();
        draft.persona = String::new();
        let review = review(&draft);
        assert_eq!(review.persona, Some(Persona::Moral));
        assert_eq!(codes(&review), [(Field::Persona, Required)]);
        // A wrong RFC check digit is only a warning: still complete.
        let mut draft = fisica();
        draft.rfc = "GODE561231GR9".into();
        let review = self::review(&draft);
        assert!(review.complete);
        assert_eq!(review.sections[0].warnings, 1);
        assert!(review.sections[0].done);
        // So is a CURP that disagrees with the RFC.
        let mut draft = fisica();
        draft.curp = "HEGG560427MVZRRL04".into();
        assert!(self::review(&draft).complete);
    }

    #[test]
    fn representatives() {
        use Code::*;
        let issues = issues_after(moral, |d| d.representatives.clear());
        assert_eq!(issues, [(Field::Representatives, RepresentativesMissing)]);

        let mut draft = moral();
        draft.representatives.push(Representative {
            id: "r2".into(),
            name: "Ana 🙂".into(),
            curp: "HEGG560427MVZRRL05".into(),
            power_of_attorney: " ".into(),
        });
        let review = review(&draft);
        let found: Vec<_> = review
            .issues
            .iter()
            .map(|i| (i.field, i.code, i.representative.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (Field::RepresentativeName, InvalidCharacters, Some("r2")),
                (Field::RepresentativeCurp, CurpCheckDigit, Some("r2")),
                (Field::RepresentativePower, Required, Some("r2")),
            ]
        );
        let section = &review.sections[4];
        assert_eq!(
            (section.missing, section.errors, section.done),
            (1, 2, false)
        );

        // A física needs none, but one that is added is checked the same way.
        assert!(self::review(&fisica()).complete);
        let issues = issues_after(fisica, |d| {
            d.representatives.push(Representative {
                id: "r1".into(),
                ..Representative::default()
            })
        });
        assert_eq!(
            issues,
            [
                (Field::RepresentativeName, Required),
                (Field::RepresentativeCurp, Required),
                (Field::RepresentativePower, Required),
            ]
        );
    }

    #[test]
    fn issues_follow_wizard_order() {
        let mut draft = moral();
        draft.clabe = String::new();
        draft.workers = "x".into();
        draft.representatives[0].name = String::new();
        draft.email = "x".into();
        draft.rfc = "W".into();
        let fields: Vec<Field> = review(&draft).issues.iter().map(|i| i.field).collect();
        assert_eq!(
            fields,
            [
                Field::Rfc,
                Field::Email,
                Field::RepresentativeName,
                Field::Workers,
                Field::Clabe,
            ]
        );
        let sections: Vec<Section> = fields.iter().map(|f| f.section()).collect();
        assert!(sections.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn benito_juarez_postal_codes() {
        let cases = [
            ("03000", true),
            ("03949", true),
            ("03100", true),
            ("03950", false),
            ("02999", false),
            ("3100", false),
            ("", false),
        ];
        for (code, inside) in cases {
            let mut draft = fisica();
            draft.postal_code = code.into();
            assert_eq!(review(&draft).in_benito_juarez, inside, "{code}");
        }
    }

    #[test]
    fn amounts_and_counts() {
        let amount = |s: &str| pesos(s).map(|d| d.to_string());
        let cases = [
            ("20,000,000.50", Some("20000000.50")),
            ("$20,000,000.5", Some("20000000.5")),
            ("$ 1 250 000", Some("1250000")),
            ("999", Some("999")),
            ("1,000", Some("1000")),
            ("0.5", Some("0.5")),
            ("1000,000", None),
            (",100", None),
            ("1,00", None),
            ("1.000,50", None),
            ("", None),
            ("$", None),
        ];
        for (input, expected) in cases {
            assert_eq!(amount(input).as_deref(), expected, "{input:?}");
        }
        assert_eq!(workers("0"), Some(0));
        assert_eq!(workers("12,345"), Some(12_345));
        assert_eq!(workers(&"9".repeat(10_000)), None);
    }

    #[test]
    fn draft_text_access() {
        let mut draft = RegistrationDraft::default();
        for (i, &field) in Field::draft_fields().iter().enumerate() {
            assert!(draft.set(field, format!("value {i}")));
        }
        for (i, &field) in Field::draft_fields().iter().enumerate() {
            assert_eq!(draft.get(field), Some(format!("value {i}").as_str()));
        }
        let representative_fields = [
            Field::Representatives,
            Field::RepresentativeName,
            Field::RepresentativeCurp,
            Field::RepresentativePower,
        ];
        for field in representative_fields {
            assert!(!draft.set(field, "x".into()));
            assert_eq!(draft.get(field), None);
            assert!(!Field::draft_fields().contains(&field));
        }
        assert_eq!(
            Field::draft_fields().len() + representative_fields.len(),
            Field::all().len()
        );

        // Every draft member is reachable through a field, named as it serializes.
        let json = serde_json::to_value(&draft).unwrap();
        for &field in Field::draft_fields() {
            assert_eq!(json[field.as_str()].as_str(), draft.get(field));
        }
        let back: RegistrationDraft = serde_json::from_value(json).unwrap();
        assert_eq!(back, draft);
    }

    #[test]
    fn names_and_parsing() {
        for &field in Field::all() {
            let json = serde_json::to_string(&field).unwrap();
            assert_eq!(json, format!("\"{}\"", field.as_str()));
            assert_eq!(Field::parse(field.as_str()), Some(field));
        }
        assert_eq!(Field::parse("RFC"), None);
        assert_eq!(
            serde_json::to_string(&Persona::Fisica).unwrap(),
            "\"fisica\""
        );
        assert_eq!(
            serde_json::to_string(&Section::Representatives).unwrap(),
            "\"representatives\""
        );
        let personas = [
            ("fisica", Some(Persona::Fisica)),
            ("física", Some(Persona::Fisica)),
            (" Moral ", Some(Persona::Moral)),
            ("", None),
            ("persona", None),
        ];
        for (input, expected) in personas {
            assert_eq!(Persona::parse(input), expected, "{input:?}");
        }
        assert_eq!(
            Section::all(),
            [
                Section::Identity,
                Section::General,
                Section::Address,
                Section::Contact,
                Section::Representatives,
                Section::Activity,
                Section::Bank,
            ]
        );
    }

    #[test]
    fn review_serializes_for_the_ui() {
        let mut draft = fisica();
        draft.rfc = "GODE561231GR9".into();
        let review = review(&draft);
        let json = serde_json::to_value(&review).unwrap();
        assert_eq!(json["persona"], "fisica");
        assert_eq!(json["size"]["score"], "1.52500045");
        assert_eq!(json["size"]["size"], "micro");
        assert_eq!(json["annual_sales"], "$1,250,000.50 MXN");
        assert_eq!(json["issues"][0]["code"], "rfc_check_digit");
        assert_eq!(json["issues"][0]["field"], "rfc");
        let view = review.issues[0].view(Locale::Es);
        assert_eq!(view.message, Code::RfcCheckDigit.message(Locale::Es));
    }

    #[test]
    fn ui_types_declare_as_typescript() {
        use crate::identifiers::{curp::CurpDetails, Verdict};
        use ts_rs::TS;
        let cases = [
            (SizeAssessment::decl(), "score: string"),
            (CurpDetails::decl(), "birth_date: string | null"),
            (Verdict::<CurpDetails>::decl(), "details: D"),
            (Review::decl(), "size: SizeAssessment | null"),
            (Field::decl(), "\"representative_power\""),
        ];
        for (decl, expected) in cases {
            assert!(decl.contains(expected), "{decl}");
        }
    }
}
