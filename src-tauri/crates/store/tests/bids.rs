//! Bids in a business's database on real files: autosave per field as typed, the
//! tender copy they were prepared against, confirming, listing, finding and deleting.
#![allow(clippy::unwrap_used)]

use chrono::Duration;
use ventanilla_core::bid::{review_bid, Annex, Bidder, Declaration, ItemField};
use ventanilla_core::Code;
use ventanilla_store::{Library, StoreError};
use ventanilla_testkit::fixtures;

#[test]
fn a_bid_keeps_every_field_as_typed_across_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let tender = fixtures::tender(3);
    let (business_id, bid_id) = {
        let library = Library::open(dir.path()).unwrap();
        let id = library.create_business(&fixtures::business()).unwrap();
        let business = library.open_business(&id).unwrap();
        let bid = business.create_bid(&tender).unwrap();
        business
            .set_bid_item_field(&bid.id, "1", ItemField::UnitPrice, "12,50")
            .unwrap();
        business
            .set_bid_item_field(
                &bid.id,
                "1",
                ItemField::Offered,
                "Cuaderno «Ñandú» ¿rayado?",
            )
            .unwrap();
        business
            .set_bid_item_field(&bid.id, "3", ItemField::Quantity, "2.5")
            .unwrap();
        business.set_bid_validity_days(&bid.id, "noventa").unwrap();
        business
            .set_bid_declaration(&bid.id, Declaration::NoImpediment, true)
            .unwrap();
        business
            .set_bid_declaration(&bid.id, Declaration::MipymeSize, true)
            .unwrap();
        business
            .set_bid_declaration(&bid.id, Declaration::MipymeSize, false)
            .unwrap();
        let annex = Annex {
            item_id: "2".into(),
            sha256: "c".repeat(64),
            name: "ficha técnica.pdf".into(),
        };
        business.add_bid_annex(&bid.id, &annex).unwrap();
        business.add_bid_annex(&bid.id, &annex).unwrap();
        (id, bid.id)
    };
    let library = Library::open(dir.path()).unwrap();
    let business = library.open_business(&business_id).unwrap();
    let stored = business.load_bid(&bid_id).unwrap();
    assert_eq!(stored.prepared_against, tender);
    let draft = &stored.draft;
    assert_eq!(draft.ocid, tender.ocid);
    assert_eq!(draft.item_value("1", ItemField::UnitPrice), "12,50");
    assert_eq!(
        draft.item_value("1", ItemField::Offered),
        "Cuaderno «Ñandú» ¿rayado?"
    );
    assert_eq!(draft.item_value("3", ItemField::Quantity), "2.5");
    assert_eq!(draft.item_value("2", ItemField::Offered), "");
    assert_eq!(draft.price_validity_days, "noventa");
    assert_eq!(draft.accepted, vec![Declaration::NoImpediment]);
    assert_eq!(draft.annexes.len(), 1);

    // What was typed is judged on reading, and kept.
    let business_draft = business.load_draft().unwrap();
    let bidder = Bidder {
        draft: &business_draft,
        documents: Vec::new(),
    };
    let review = review_bid(draft, &tender, &bidder, tender.release_date);
    assert!(review
        .issues
        .iter()
        .any(|i| i.code == Code::PriceDecimalComma));
    assert!(review
        .issues
        .iter()
        .any(|i| i.code == Code::ValidityDaysNotNumber));

    assert_eq!(library.find_bid(&bid_id).unwrap(), business_id);
    business
        .remove_bid_annex(&bid_id, "2", &"c".repeat(64))
        .unwrap();
    assert!(business.load_bid(&bid_id).unwrap().draft.annexes.is_empty());
}

#[test]
fn a_new_bid_starts_with_ninety_days_of_validity() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let id = library.create_business(&fixtures::business()).unwrap();
    let business = library.open_business(&id).unwrap();
    let bid = business.create_bid(&fixtures::tender(1)).unwrap();
    assert_eq!(business.load_bid(&bid.id).unwrap().draft, bid);
    assert_eq!(bid.price_validity_days, "90");
}

#[test]
fn confirming_prepares_the_bid_against_the_tender_as_it_is_now() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let id = library.create_business(&fixtures::business()).unwrap();
    let business = library.open_business(&id).unwrap();
    let mut tender = fixtures::tender(2);
    let bid = business.create_bid(&tender).unwrap();
    tender.release_id = "ocds-bj2026-LP-014-02".into();
    tender.release_date += Duration::days(2);
    assert!(business
        .load_bid(&bid.id)
        .unwrap()
        .draft
        .needs_review(&tender));
    business.confirm_bid(&bid.id, &tender).unwrap();
    let stored = business.load_bid(&bid.id).unwrap();
    assert!(!stored.draft.needs_review(&tender));
    assert_eq!(stored.prepared_against, tender);
}

#[test]
fn bids_are_listed_found_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let first = library.create_business(&fixtures::business()).unwrap();
    let second = library.create_business(&fixtures::business()).unwrap();
    let one = library
        .open_business(&first)
        .unwrap()
        .create_bid(&fixtures::tender(1))
        .unwrap();
    let business = library.open_business(&second).unwrap();
    let older = business.create_bid(&fixtures::tender(1)).unwrap();
    let newer = business.create_bid(&fixtures::tender(2)).unwrap();
    business
        .set_bid_item_field(&older.id, "1", ItemField::Warranty, "1 año")
        .unwrap();

    let listed: Vec<_> = business.bids().unwrap().into_iter().map(|b| b.id).collect();
    assert_eq!(
        listed,
        vec![older.id.clone(), newer.id.clone()],
        "the last edited first"
    );
    let entry = &business.bids().unwrap()[0];
    assert_eq!(entry.title, fixtures::tender(1).title);
    assert_eq!(entry.deadline, fixtures::tender(1).deadline);

    assert_eq!(library.find_bid(&one.id).unwrap(), first);
    assert_eq!(library.find_bid(&newer.id).unwrap(), second);
    assert!(matches!(
        library.find_bid("nope"),
        Err(StoreError::UnknownBid(_))
    ));

    business.delete_bid(&older.id).unwrap();
    assert!(matches!(
        business.load_bid(&older.id),
        Err(StoreError::UnknownBid(_))
    ));
    assert!(matches!(
        business.delete_bid(&older.id),
        Err(StoreError::UnknownBid(_))
    ));
    let err = business
        .set_bid_item_field(&older.id, "1", ItemField::Offered, "x")
        .unwrap_err();
    assert_eq!(err.code(), "unknown_bid");
    assert!(err
        .message(ventanilla_core::Locale::Es)
        .contains("propuesta"));
    assert_eq!(business.bids().unwrap().len(), 1);
}

/// Fills every field of a bid on `tender` and confirms every declaration.
fn fill(
    business: &ventanilla_store::BusinessStore,
    bid: &str,
    tender: &ventanilla_core::tender::Tender,
) {
    for item in &tender.items {
        for (field, value) in [
            (ItemField::Offered, "Cuaderno"),
            (ItemField::Delivery, "5 días"),
            (ItemField::UnitPrice, "$10.00"),
            (ItemField::Quantity, "3"),
        ] {
            business
                .set_bid_item_field(bid, &item.id, field, value)
                .unwrap();
        }
    }
    for &declaration in Declaration::all() {
        business
            .set_bid_declaration(bid, declaration, true)
            .unwrap();
    }
}

#[test]
fn freezing_sends_the_tender_s_documents_by_hash_and_waits_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let id = library.create_business(&fixtures::business()).unwrap();
    let business = library.open_business(&id).unwrap();
    let catalogue = library.catalogue().unwrap();
    let mut tender = fixtures::tender(2);
    tender.requirements = vec!["CSF".into()];
    // The vault judges issue dates by the real clock.
    let now = chrono::Utc::now();
    tender.deadline = Some(now + Duration::days(3));
    let bid = business.create_bid(&tender).unwrap();
    fill(&business, &bid.id, &tender);

    let refused = business
        .freeze_bid(
            &catalogue,
            business.load_bid(&bid.id).unwrap(),
            tender.clone(),
            now,
        )
        .unwrap();
    match refused {
        Err(ventanilla_core::bid::FreezeError::NotReady(issues)) => {
            assert_eq!(issues.len(), 1);
            assert_eq!(issues[0].code, Code::DocumentNotReady);
            assert_eq!(issues[0].subject.as_deref(), Some("CSF"));
        }
        other => panic!("froze without the CSF: {other:?}"),
    }

    let source = dir.path().join("csf.pdf");
    std::fs::write(&source, fixtures::one_page_pdf(7, 0)).unwrap();
    let issued = ventanilla_core::checklist::mexico_city_today(now);
    let document = business
        .attach(
            &source,
            catalogue.requirement("CSF").unwrap(),
            None,
            Some(issued),
            None,
            &mut |_, _| true,
        )
        .unwrap();
    let frozen = business
        .freeze_bid(
            &catalogue,
            business.load_bid(&bid.id).unwrap(),
            tender.clone(),
            now,
        )
        .unwrap()
        .unwrap();
    assert_eq!(frozen.documents.len(), 1);
    assert_eq!(frozen.documents[0].sha256, document.sha256);
    // Quantities 1 and 2 from the tender at $10.00, plus IVA.
    assert_eq!(frozen.total.to_string(), "34.80");
    assert!(frozen.snapshot.canonical_json.contains(&document.sha256));

    // The catalogue lost the tender: the bid is kept, judged withdrawn, not frozen.
    let gone = ventanilla_core::bid::current_tender(
        None,
        &business.load_bid(&bid.id).unwrap().prepared_against,
    );
    let state = business
        .bid_state(
            &catalogue,
            business.load_bid(&bid.id).unwrap(),
            gone.clone(),
            now,
        )
        .unwrap();
    assert!(state
        .review
        .issues
        .iter()
        .any(|i| i.code == Code::TenderWithdrawn));
    assert!(business
        .freeze_bid(
            &catalogue,
            business.load_bid(&bid.id).unwrap(),
            gone.clone(),
            now
        )
        .unwrap()
        .is_err());
    assert_eq!(
        state.stored.draft.item_value("1", ItemField::UnitPrice),
        "$10.00"
    );
    let pdf = business
        .bid_state(
            &catalogue,
            business.load_bid(&bid.id).unwrap(),
            tender.clone(),
            now,
        )
        .unwrap()
        .proposal(&catalogue, now);
    assert!(pdf.starts_with(b"%PDF-"));
}
