//! The registration's review, field by field, and the draft's text access.
#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use rust_decimal::Decimal;

use ventanilla_core::banks::BankCatalogue;
use ventanilla_core::message::{Code, Locale, Severity};
use ventanilla_core::registration::*;
use ventanilla_core::size::{Size, SizeAssessment};
use ventanilla_testkit::fixtures;

/// The review with the shipped bank catalogue.
fn review(draft: &RegistrationDraft) -> Review {
    ventanilla_core::registration::review(draft, &BankCatalogue::default_catalogue())
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
        ..fixtures::business()
    }
}

fn moral() -> RegistrationDraft {
    fixtures::complete_moral_draft("WMT970714R10")
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
    assert!(review.facts.complete);
    assert_eq!(review.facts.persona, Some(Persona::Fisica));
    assert_eq!(review.facts.bank.as_deref(), Some("Banamex"));
    assert!(review.facts.in_benito_juarez);
    let size = review.facts.size.unwrap();
    // 4 × 0.1 + 1.2500005 × 0.9 = 0.4 + 1.12500045
    assert_eq!(size.score, Decimal::from_str("1.52500045").unwrap());
    assert_eq!(size.size, Size::Micro);
    assert!(review.facts.sections.iter().all(|s| s.done));
}

#[test]
fn sales_are_written_back_only_as_they_are_read() {
    let sales = |typed: &str| {
        let mut draft = fisica();
        draft.annual_sales = typed.into();
        review(&draft).facts.annual_sales
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
    assert!(review.facts.complete);
    assert_eq!(review.facts.persona, Some(Persona::Moral));
    assert_eq!(review.facts.bank.as_deref(), Some("BBVA México"));
    assert!(!review.facts.in_benito_juarez);
    let size = review.facts.size.unwrap();
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
    assert!(!review.facts.complete);
    assert_eq!(review.facts.persona, None);
    assert_eq!(review.facts.size, None);
    assert_eq!(review.facts.bank, None);
    let identity = &review.facts.sections[0];
    assert_eq!(
        (identity.section, identity.missing, identity.done),
        (Section::Identity, 2, false)
    );
    let representatives = &review.facts.sections[4];
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
    assert!(!review.facts.complete);
    assert_eq!(draft.get(Field::Name), Some(long.as_str()));
}

#[test]
fn a_bank_the_catalogue_lacks_only_warns_and_the_registration_can_be_sent() {
    let mut draft = fisica();
    draft.clabe = "999180001234567899".into();
    let review = review(&draft);
    assert!(review.facts.complete, "a warning never blocks sending");
    assert_eq!(review.facts.bank, None);
    let [issue] = review.issues.as_slice() else {
        panic!("one issue: {:?}", review.issues);
    };
    let view = issue.view(Locale::Es);
    assert_eq!(view.severity, Severity::Warning);
    assert_eq!(
        view.message,
        "No reconocemos el banco 999; revisa la CLABE."
    );
    let bank = review
        .facts
        .sections
        .iter()
        .find(|s| s.section == Section::Bank);
    assert!(bank.is_some_and(|s| s.done && s.warnings == 1));

    // The catalogue in use names it once it lists the code.
    let newer = BankCatalogue::from_json(
        r#"{"version": "v2", "banks": [{"code": "999", "name": "Banco Nuevo"}]}"#,
    )
    .unwrap();
    let review = ventanilla_core::registration::review(&draft, &newer);
    assert_eq!(review.issues, []);
    assert_eq!(review.facts.bank.as_deref(), Some("Banco Nuevo"));
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
    assert_eq!(review.facts.persona, Some(Persona::Moral));
    assert_eq!(codes(&review), [(Field::Persona, Required)]);
    // A wrong RFC check digit is only a warning: still complete.
    let mut draft = fisica();
    draft.rfc = "GODE561231GR9".into();
    let review = self::review(&draft);
    assert!(review.facts.complete);
    assert_eq!(review.facts.sections[0].warnings, 1);
    assert!(review.facts.sections[0].done);
    // So is a CURP that disagrees with the RFC.
    let mut draft = fisica();
    draft.curp = "HEGG560427MVZRRL04".into();
    assert!(self::review(&draft).facts.complete);
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
    let section = &review.facts.sections[4];
    assert_eq!(
        (section.missing, section.errors, section.done),
        (1, 2, false)
    );

    // A física needs none, but one that is added is checked the same way.
    assert!(self::review(&fisica()).facts.complete);
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
        assert_eq!(review(&draft).facts.in_benito_juarez, inside, "{code}");
    }
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

/// The stored names of fields and personas are proven in `tests/names.rs`.
#[test]
fn sections_serialize_and_follow_the_wizard() {
    assert_eq!(
        serde_json::to_string(&Section::Representatives).unwrap(),
        "\"representatives\""
    );
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
    assert_eq!(json["facts"]["persona"], "fisica");
    assert_eq!(json["facts"]["size"]["score"], "1.52500045");
    assert_eq!(json["facts"]["size"]["size"], "micro");
    assert_eq!(json["facts"]["annual_sales"], "$1,250,000.50 MXN");
    assert_eq!(json["issues"][0]["code"], "rfc_check_digit");
    assert_eq!(json["issues"][0]["field"], "rfc");
    let view = review.issues[0].view(Locale::Es);
    assert_eq!(view.message, Code::RfcCheckDigit.message(Locale::Es));
}

#[test]
fn ui_types_declare_as_typescript() {
    use ts_rs::TS;
    use ventanilla_core::identifiers::{curp::CurpDetails, Verdict};
    let cases = [
        (SizeAssessment::decl(), "score: string"),
        (CurpDetails::decl(), "birth_date: string | null"),
        (Verdict::<CurpDetails>::decl(), "details: D"),
        (ReviewFacts::decl(), "size: SizeAssessment | null"),
        (Field::decl(), "\"representative_power\""),
    ];
    for (decl, expected) in cases {
        assert!(decl.contains(expected), "{decl}");
    }
}
