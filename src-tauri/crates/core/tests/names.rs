//! The names core's enums are stored under in the databases and sent under on the wire,
//! byte for byte: `as_str`, serde and `parse` all agree with the literal names the
//! stored data already holds, and every variant is listed.
#![allow(clippy::unwrap_used)]

use std::fmt::Debug;

use serde::{de::DeserializeOwned, Serialize};
use ventanilla_core::bid::{Declaration, ItemField};
use ventanilla_core::ocds::SkipReason;
use ventanilla_core::{Field, Persona};

/// Each variant's name is `name` in every form: `as_str`, JSON and `parse`.
fn same_name_everywhere<T>(
    names: &[(T, &str)],
    all: &[T],
    as_str: fn(T) -> &'static str,
    parse: fn(&str) -> Option<T>,
) where
    T: Copy + PartialEq + Debug + Serialize + DeserializeOwned,
{
    assert_eq!(
        names.iter().map(|(v, _)| *v).collect::<Vec<_>>(),
        all,
        "every variant, in declaration order"
    );
    for &(variant, name) in names {
        assert_eq!(as_str(variant), name);
        assert_eq!(
            serde_json::to_string(&variant).unwrap(),
            format!("\"{name}\"")
        );
        assert_eq!(
            serde_json::from_str::<T>(&format!("\"{name}\"")).unwrap(),
            variant
        );
        assert_eq!(parse(name), Some(variant), "{name}");
    }
}

#[test]
fn registration_fields_keep_their_stored_names() {
    use Field::*;
    let names = [
        (Persona, "persona"),
        (Rfc, "rfc"),
        (Name, "name"),
        (Regimen, "regimen"),
        (Curp, "curp"),
        (Street, "street"),
        (ExteriorNumber, "exterior_number"),
        (InteriorNumber, "interior_number"),
        (Neighborhood, "neighborhood"),
        (PostalCode, "postal_code"),
        (Municipality, "municipality"),
        (State, "state"),
        (Email, "email"),
        (Phone, "phone"),
        (Activity, "activity"),
        (Scian, "scian"),
        (Sector, "sector"),
        (Workers, "workers"),
        (AnnualSales, "annual_sales"),
        (Employer, "employer"),
        (Clabe, "clabe"),
        (Representatives, "representatives"),
        (RepresentativeName, "representative_name"),
        (RepresentativeCurp, "representative_curp"),
        (RepresentativePower, "representative_power"),
    ];
    same_name_everywhere(&names, Field::all(), Field::as_str, Field::parse);
    assert_eq!(Field::parse("RFC"), None, "names are exact");
}

#[test]
fn bid_fields_and_declarations_keep_their_stored_names() {
    let fields = [
        (ItemField::Offered, "offered"),
        (ItemField::BrandModel, "brand_model"),
        (ItemField::Delivery, "delivery"),
        (ItemField::Warranty, "warranty"),
        (ItemField::UnitPrice, "unit_price"),
        (ItemField::Quantity, "quantity"),
    ];
    same_name_everywhere(
        &fields,
        ItemField::all(),
        ItemField::as_str,
        ItemField::parse,
    );
    assert_eq!(ItemField::parse("price"), None);
    let declarations = [
        (Declaration::NoImpediment, "no_impediment"),
        (Declaration::NoConflictOfInterest, "no_conflict_of_interest"),
        (Declaration::MipymeSize, "mipyme_size"),
    ];
    same_name_everywhere(
        &declarations,
        Declaration::all(),
        Declaration::as_str,
        Declaration::parse,
    );
}

#[test]
fn personas_are_stored_unaccented_and_read_as_people_type_them() {
    let names = [(Persona::Fisica, "fisica"), (Persona::Moral, "moral")];
    same_name_everywhere(
        &names,
        &[Persona::Fisica, Persona::Moral],
        Persona::as_str,
        Persona::parse,
    );
    for (typed, read) in [
        ("física", Some(Persona::Fisica)),
        ("FÍSICA", Some(Persona::Fisica)),
        (" Moral ", Some(Persona::Moral)),
        ("", None),
        ("persona", None),
    ] {
        assert_eq!(Persona::parse(typed), read, "{typed:?}");
    }
}

#[test]
fn skip_reasons_keep_their_codes() {
    let reasons = [
        (SkipReason::NoOcid, "no_ocid"),
        (SkipReason::NoTender, "no_tender"),
        (
            SkipReason::BadDate {
                field: "date",
                text: "31/12/2026".into(),
            },
            "bad_date",
        ),
        (
            SkipReason::BadNumber {
                field: "tender.value.amount".into(),
                text: "1,5".into(),
            },
            "bad_number",
        ),
        (SkipReason::UnknownStatus("open".into()), "unknown_status"),
        (
            SkipReason::Malformed("expected a string".into()),
            "malformed",
        ),
        (SkipReason::Superseded, "superseded"),
    ];
    for (reason, code) in reasons {
        assert_eq!(reason.code(), code);
    }
}
