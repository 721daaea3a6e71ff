//! `ventanilla bid`: listing a business's bids and printing a bid's proposal, read back
//! with `pdftotext`. Bids are set up through the store, as the app would leave them.
#![allow(clippy::unwrap_used)]

mod binary;

use std::path::Path;

use binary::ventanilla;
use ventanilla_core::bid::{Declaration, ItemField};
use ventanilla_store::Library;
use ventanilla_testkit::fixtures;

fn pdftotext(path: &Path) -> String {
    fixtures::pdf_text(&std::fs::read(path).unwrap())
}

/// A business with one bid on a 3-item tender, its prices typed; returns their ids.
fn business_with_bid(data_dir: &Path) -> (String, String) {
    let library = Library::open(data_dir).unwrap();
    let id = library.create_business(&fixtures::business()).unwrap();
    let business = library.open_business(&id).unwrap();
    let tender = fixtures::tender(3);
    let bid = business.create_bid(&tender).unwrap();
    for (item, price) in [("1", "1,234.50"), ("2", "$99.99"), ("3", "12,5")] {
        business
            .set_bid_item_field(&bid.id, item, ItemField::UnitPrice, price)
            .unwrap();
        business
            .set_bid_item_field(&bid.id, item, ItemField::Offered, "Cuaderno «Ñandú»")
            .unwrap();
        business
            .set_bid_item_field(&bid.id, item, ItemField::Delivery, "10 días hábiles")
            .unwrap();
    }
    business
        .set_bid_item_field(&bid.id, "3", ItemField::Quantity, "7")
        .unwrap();
    business
        .set_bid_declaration(&bid.id, Declaration::NoImpediment, true)
        .unwrap();
    (id, bid.id)
}

#[test]
fn export_pdf_finds_the_bid_and_prints_its_proposal() {
    let dir = tempfile::tempdir().unwrap();
    let (business, bid) = business_with_bid(dir.path());
    // Another business, so the bid has to be looked for.
    Library::open(dir.path())
        .unwrap()
        .create_business(&fixtures::business())
        .unwrap();
    let file = dir.path().join("propuesta ñ.pdf");
    let (status, json) = ventanilla(
        dir.path(),
        &["bid", "export-pdf", &bid, file.to_str().unwrap()],
    );
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["business"], business.as_str());
    assert_eq!(json["ready"], false);
    // Item 3's price has a decimal comma: the total counts the lines that can be read.
    assert_eq!(json["total"], "1664.00");
    let codes: Vec<&str> = json["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"price_decimal_comma"), "{codes:?}");
    assert!(codes.contains(&"declaration_not_accepted"), "{codes:?}");
    assert!(json["missing"][0]["message"].as_str().unwrap().len() > 20);

    let text = pdftotext(&file);
    for expected in [
        "Propuesta técnica y económica",
        "BORRADOR",
        "Emma Gómez Díaz",
        "Cuaderno «Ñandú»",
        "$1,234.50 MXN",
        "$199.98 MXN",
        "por corregir",
        "Subtotal $1,434.48 MXN",
        "IVA 16 % $229.52 MXN",
        "Total $1,664.00 MXN",
        "bajo protesta de decir verdad",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }

    // Naming the business is the same; naming the wrong one is refused.
    let again = dir.path().join("otra.pdf");
    let export_for = |who: &str| {
        let path = again.to_str().unwrap();
        ventanilla(
            dir.path(),
            &["bid", "export-pdf", &bid, path, "--business", who],
        )
        .0
    };
    assert_eq!(
        export_for("GODE561231GR8"),
        1,
        "two businesses share the RFC"
    );
    assert_eq!(export_for(&business), 0);
    assert_eq!(pdftotext(&again), text);
}

#[test]
fn unknown_bids_and_unwritable_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (_, bid) = business_with_bid(dir.path());
    let (status, json) = ventanilla(dir.path(), &["bid", "export-pdf", "no-existe", "x.pdf"]);
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "unknown_bid");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("propuesta"));

    let missing_folder = dir.path().join("no").join("existe.pdf");
    let (status, json) = ventanilla(
        dir.path(),
        &["bid", "export-pdf", &bid, missing_folder.to_str().unwrap()],
    );
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "storage_error");
    assert!(!missing_folder.exists());
}

#[test]
fn bids_are_listed_per_business() {
    let dir = tempfile::tempdir().unwrap();
    let (business, bid) = business_with_bid(dir.path());
    let (status, json) = ventanilla(dir.path(), &["bid", "list", &business]);
    assert_eq!(status, 0);
    assert_eq!(json[0]["id"], bid.as_str());
    assert_eq!(json[0]["ocid"], "ocds-bj2026-LP-014");
    assert_eq!(json[0]["deadline"], "2026-12-15T20:00:00Z");
    let (status, json) = ventanilla(dir.path(), &["bid", "list", "nadie"]);
    assert_eq!(status, 1);
    assert_eq!(json["error"]["code"], "unknown_business");
}
