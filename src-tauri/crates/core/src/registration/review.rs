//! The review of a draft: what is missing or wrong, field by field and section by
//! section, and whether it can be sent.

use serde::Serialize;
use ts_rs::TS;

use super::values::{
    is_digits, is_email, is_phone, line_text, paragraph_text, pesos, postal_code, workers,
};
use super::{persona_of, size_of, Field, Persona, RegistrationDraft, Representative, Section};
use crate::banks::BankCatalogue;
use crate::catalog;
use crate::identifiers::{clabe, curp, rfc};
use crate::message::{Code, Issue, Severity};
use crate::money::format_mxn;
use crate::size::{Sector, SizeAssessment};

/// How one wizard step stands.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct SectionReview {
    /// The step.
    pub section: Section,
    /// Required values not filled in yet.
    pub missing: u32,
    /// Values that cannot be right; they block sending.
    pub errors: u32,
    /// Values that are probably wrong; they do not block.
    pub warnings: u32,
    /// Nothing missing and nothing wrong (warnings allowed).
    pub done: bool,
}

/// Everything the app can tell about a draft: its problems, which the UI words in the
/// person's language, and the facts, which need no words and reach the UI as they are.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Review {
    /// Every problem, in wizard order: section after section.
    pub issues: Vec<Issue>,
    /// What the draft comes to, in no language.
    pub facts: ReviewFacts,
}

/// What a review finds besides its problems.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct ReviewFacts {
    /// As chosen, else inferred from the RFC's length.
    pub persona: Option<Persona>,
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
        issues,
        facts: ReviewFacts {
            persona,
            complete: sections.iter().all(|s| s.done),
            sections,
            size,
            annual_sales: pesos(&draft.annual_sales).map(format_mxn),
            bank: clabe.details.bank,
            in_benito_juarez: postal_code(&draft.postal_code)
                .is_some_and(|code| (3000..=3949).contains(&code)),
        },
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
