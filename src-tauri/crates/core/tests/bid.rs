//! The bid's review and freezing, on the fixtures' tender and business.
#![allow(clippy::unwrap_used)]

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

use ventanilla_core::bid::*;
use ventanilla_core::checklist::{Catalogue, Profile};
use ventanilla_core::message::Code;
use ventanilla_core::registration::RegistrationDraft;
use ventanilla_core::tender::{Tender, TenderStatus};
use ventanilla_testkit::fixtures;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A bid on a 3-item tender with everything filled in.
fn complete(tender: &Tender) -> BidDraft {
    let mut draft = BidDraft::new("0193e1c4-0000-7000-8000-000000000001".into(), tender);
    for item in &tender.items {
        let typed = draft.items.entry(item.id.clone()).or_default();
        typed.set(
            ItemField::Offered,
            format!("Cuaderno marca Ñandú {}", item.id),
        );
        typed.set(ItemField::Delivery, "10 días hábiles".into());
        typed.set(ItemField::UnitPrice, "1,234.50".into());
        typed.set(ItemField::Quantity, "4".into());
    }
    draft.accepted = Declaration::all().to_vec();
    draft
}

fn bidder(business: &RegistrationDraft) -> Bidder<'_> {
    Bidder {
        draft: business,
        documents: Vec::new(),
    }
}

fn before_deadline() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 10, 12, 0, 0).unwrap()
}

/// The review of `draft` by the fixture's business with no documents, before the
/// deadline.
fn review_now(draft: &BidDraft, tender: &Tender) -> BidReview {
    review_bid(
        draft,
        tender,
        &bidder(&fixtures::business()),
        before_deadline(),
    )
}

fn codes(review: &BidReview) -> Vec<(Code, Option<&str>, Option<ItemField>)> {
    review
        .issues
        .iter()
        .map(|i| (i.code, i.item.as_deref(), i.field))
        .collect()
}

#[test]
fn a_complete_bid_is_ready_with_exact_totals() {
    let tender = fixtures::tender(3);
    let review = review_now(&complete(&tender), &tender);
    assert_eq!(codes(&review), vec![]);
    assert!(review.ready);
    // Quantities 1, 2 and the typed 4 (the tender left the last one out).
    let quantities: Vec<_> = review.lines.iter().map(|l| l.quantity.unwrap()).collect();
    assert_eq!(quantities, vec![dec("1"), dec("2"), dec("4")]);
    let totals = review.totals.unwrap();
    assert_eq!(totals.subtotal, dec("8641.50"));
    assert_eq!(totals.iva, dec("1382.64"));
    assert_eq!(totals.total, dec("10024.14"));
    assert_eq!(totals.bid_bond, Some(dec("432.08")));
    assert_eq!(review.seconds_left, Some(5 * 86400 + 8 * 3600));
    // A micro business also declares its size.
    assert_eq!(review.declarations.len(), 3);
    assert!(review.declarations[2].text.contains("micro empresa"));
    assert!(review.declarations[2].text.contains("$1,250,000.50 MXN"));
    assert!(review.declarations[0]
        .text
        .starts_with("Emma Gómez Díaz, con RFC GODE561231GR8"));
}

#[test]
fn bad_prices_and_quantities_are_explained_where_they_are() {
    let tender = fixtures::tender(3);
    let mut draft = complete(&tender);
    let cases = [
        ("1", ItemField::UnitPrice, "", Code::Required),
        ("1", ItemField::UnitPrice, "doce", Code::PriceNotNumber),
        ("1", ItemField::UnitPrice, "-12", Code::PriceNegative),
        ("1", ItemField::UnitPrice, "12,50", Code::PriceDecimalComma),
        (
            "1",
            ItemField::UnitPrice,
            "12.505",
            Code::PriceTooManyDecimals,
        ),
        (
            "1",
            ItemField::UnitPrice,
            "99999999999999",
            Code::PriceTooLarge,
        ),
        ("3", ItemField::Quantity, "2,5", Code::QuantityDecimalComma),
        ("3", ItemField::Quantity, "-2", Code::QuantityNegative),
        ("3", ItemField::Quantity, "", Code::QuantityMissing),
        ("2", ItemField::Offered, " ", Code::Required),
        ("2", ItemField::Delivery, "", Code::Required),
    ];
    for (item, field, typed, code) in cases {
        let kept = draft.item_value(item, field).to_owned();
        draft.items.get_mut(item).unwrap().set(field, typed.into());
        let review = review_now(&draft, &tender);
        assert_eq!(
            codes(&review),
            vec![(code, Some(item), Some(field))],
            "{typed:?}"
        );
        assert!(!review.ready);
        // The other lines still add up.
        assert!(review.totals.is_some());
        draft.items.get_mut(item).unwrap().set(field, kept);
    }
    // A quantity typed for an item whose quantity the tender states is ignored.
    draft
        .items
        .get_mut("1")
        .unwrap()
        .set(ItemField::Quantity, "nada".into());
    assert!(review_now(&draft, &tender).ready);
}

#[test]
fn price_validity_must_be_whole_days() {
    let tender = fixtures::tender(1);
    let mut draft = complete(&tender);
    for (typed, expected) in [
        ("90", None),
        ("365", None),
        ("", Some(Code::Required)),
        ("0", Some(Code::ValidityDaysNotNumber)),
        ("366", Some(Code::ValidityDaysNotNumber)),
        ("90.5", Some(Code::ValidityDaysNotNumber)),
        ("noventa", Some(Code::ValidityDaysNotNumber)),
    ] {
        draft.price_validity_days = typed.into();
        let review = review_now(&draft, &tender);
        assert_eq!(review.issues.first().map(|i| i.code), expected, "{typed:?}");
    }
}

#[test]
fn absurd_totals_give_a_message_not_a_panic() {
    let mut tender = fixtures::tender(2);
    for item in &mut tender.items {
        item.quantity = Some(Decimal::MAX);
    }
    let review = review_now(&complete(&tender), &tender);
    assert_eq!(review.totals, None);
    assert!(review.issues.iter().any(|i| i.code == Code::BidTooLarge));
    assert!(!review.ready);
}

#[test]
fn the_deadline_is_judged_at_the_second() {
    let tender = fixtures::tender(1);
    let business = fixtures::business();
    let draft = complete(&tender);
    let deadline = tender.deadline.unwrap();
    let on_time = review_bid(&draft, &tender, &bidder(&business), deadline);
    assert!(on_time.ready);
    assert_eq!(on_time.seconds_left, Some(0));
    let late = deadline + Duration::seconds(1);
    let review = review_bid(&draft, &tender, &bidder(&business), late);
    assert_eq!(review.seconds_left, Some(-1));
    assert_eq!(codes(&review), vec![(Code::DeadlinePassed, None, None)]);
    match freeze(&draft, &tender, &bidder(&business), &[], late) {
        Err(FreezeError::NotReady(issues)) => {
            assert_eq!(issues[0].code, Code::DeadlinePassed)
        }
        other => panic!("froze a late bid: {other:?}"),
    }
    assert!(freeze(&draft, &tender, &bidder(&business), &[], deadline).is_ok());
}

#[test]
fn a_moved_tender_needs_review_until_confirmed() {
    let mut tender = fixtures::tender(1);
    let mut draft = complete(&tender);
    tender.release_date += Duration::hours(1);
    let review = review_now(&draft, &tender);
    assert!(review.needs_review);
    assert_eq!(codes(&review), vec![(Code::TenderChanged, None, None)]);
    tender.release_id = "ocds-bj2026-LP-014-02".into();
    draft.release_id = tender.release_id.clone();
    assert!(draft.needs_review(&tender), "the date alone still differs");
    draft.release_date = tender.release_date;
    assert!(review_now(&draft, &tender).ready);

    tender.status = TenderStatus::Withdrawn;
    let review = review_now(&draft, &tender);
    assert_eq!(codes(&review), vec![(Code::TenderWithdrawn, None, None)]);
}

#[test]
fn documents_and_declarations_missing_are_listed() {
    let tender = fixtures::tender(1);
    let business = fixtures::business();
    let profile = Profile::from_draft(&business).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let documents = tender_documents(
        &Catalogue::default_catalogue(),
        &profile,
        &tender,
        today,
        &[],
    );
    assert!(!documents.is_empty());
    let mut draft = complete(&tender);
    draft.accepted = vec![Declaration::NoImpediment];
    let bidder = Bidder {
        draft: &business,
        documents: documents.clone(),
    };
    let review = review_bid(&draft, &tender, &bidder, before_deadline());
    let missing_documents: Vec<_> = review
        .issues
        .iter()
        .filter(|i| i.code == Code::DocumentNotReady)
        .filter_map(|i| i.subject.clone())
        .collect();
    let required: Vec<_> = documents
        .iter()
        .filter(|d| d.required)
        .map(|d| d.code.clone())
        .collect();
    assert_eq!(missing_documents, required);
    let declarations: Vec<_> = review
        .issues
        .iter()
        .filter(|i| i.code == Code::DeclarationNotAccepted)
        .filter_map(|i| i.subject.as_deref())
        .collect();
    assert_eq!(declarations, vec!["no_conflict_of_interest", "mipyme_size"]);

    // A tender listing its requirements narrows the checklist to them.
    let mut narrow = tender.clone();
    narrow.requirements = vec![documents[0].code.clone()];
    let only = tender_documents(
        &Catalogue::default_catalogue(),
        &profile,
        &narrow,
        today,
        &[],
    );
    assert_eq!(
        only.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        vec![documents[0].code.as_str()]
    );
}

#[test]
fn a_large_business_makes_no_mipyme_declaration() {
    let mut business = fixtures::business();
    business.workers = "900".into();
    business.annual_sales = "900,000,000".into();
    assert_eq!(
        declarations_for(&business),
        vec![Declaration::NoImpediment, Declaration::NoConflictOfInterest]
    );
}

#[test]
fn freezing_is_canonical_with_amounts_as_strings() {
    let tender = fixtures::tender(3);
    let business = fixtures::business();
    let mut draft = complete(&tender);
    draft.annexes.push(Annex {
        item_id: "2".into(),
        sha256: "a".repeat(64),
        name: "ficha técnica.pdf".into(),
    });
    let registered = [DocumentHash {
        requirement: "CSF".into(),
        representative: None,
        sha256: "b".repeat(64),
    }];
    let freeze_now = || {
        freeze(
            &draft,
            &tender,
            &bidder(&business),
            &registered,
            before_deadline(),
        )
        .unwrap()
    };
    let frozen = freeze_now();
    assert_eq!(frozen.total, dec("10024.14"));
    assert_eq!(frozen.submission_id, draft.id);
    assert_eq!(frozen.tenderer_rfc, "GODE561231GR8");
    assert_eq!(
        frozen.documents.len(),
        1,
        "no document of the bidder's checklist was given"
    );
    assert_eq!(frozen.documents[0].requirement, "ANEXO");
    let json: serde_json::Value = serde_json::from_str(&frozen.snapshot.canonical_json).unwrap();
    assert_eq!(json["economic"]["total"], "10024.14");
    assert_eq!(json["economic"]["lines"][0]["unit_price"], "1234.50");
    assert_eq!(json["economic"]["lines"][2]["quantity"], "4");
    assert_eq!(json["economic"]["bid_bond"], "432.08");
    assert_eq!(
        json["technical"][1]["annexes"][0]["name"],
        "ficha técnica.pdf"
    );
    // The same facts freeze to the same bytes.
    assert_eq!(freeze_now().snapshot, frozen.snapshot);
}

#[test]
fn a_tender_gone_from_the_catalogue_counts_as_withdrawn() {
    let tender = fixtures::tender(1);
    assert_eq!(current_tender(Some(tender.clone()), &tender), tender);
    let gone = current_tender(None, &tender);
    assert_eq!(gone.status, TenderStatus::Withdrawn);
    assert_eq!(gone.items, tender.items);
}
