//! A bid prepared in the real window: open a business's bid on a tender, type prices
//! (a decimal comma is explained where it was typed, the totals follow every
//! keystroke), fill the technical part and the declarations, and save the proposal as
//! a PDF that `pdftotext` reads back.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use ventanilla_core::fixtures;
use ventanilla_store::Library;
use ventanilla_tests::window::AppWindow;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "unfinished: passes through the economic, technical and declarations tabs, then the next WebDriver command never returns (seen on the loaded 2-core machine); run with --ignored to investigate"]
async fn a_bid_is_priced_completed_and_printed() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let library = Library::open(data.path()).unwrap();
    let id = library.create_business(&fixtures::business()).unwrap();
    let tender = fixtures::tender(2);
    let bid = library
        .open_business(&id)
        .unwrap()
        .create_bid(&tender)
        .unwrap();
    drop(library);
    let pdf = files.path().join("propuesta.pdf");

    let app = AppWindow::launch_with(data.path(), &[("VENTANILLA_SAVE_FILE", &pdf)]).await;
    app.click("[data-testid='business-card'] button.open").await;
    app.click("#tab-bids").await;
    app.click(&format!("button.bid-open[data-bid='{}']", bid.id))
        .await;
    app.find("#bid-title").await;

    app.click("#bid-tab-economic").await;
    app.type_into("#bid-1-unit_price", "12,5").await;
    app.find("#bid-1-economic-issues [data-code='price_decimal_comma']")
        .await;
    app.type_into("#bid-1-unit_price", "1,234.50").await;
    app.wait_text(
        "#bid-total",
        |t| t == "$1,432.02 MXN",
        "the total of item 1",
    )
    .await;
    app.type_into("#bid-2-unit_price", "100").await;
    app.wait_text(
        "#bid-subtotal",
        |t| t == "$1,434.50 MXN",
        "subtotal of both lines",
    )
    .await;
    app.wait_text("#bid-total", |t| t == "$1,664.02 MXN", "total with IVA")
        .await;
    assert_eq!(app.text("#bid-iva").await, "$229.52 MXN");
    assert_eq!(app.text("#bid-bond").await, "$71.73 MXN");
    app.screenshot("bid-economic").await;

    app.click("#bid-tab-technical").await;
    for item in ["1", "2"] {
        app.type_into(
            &format!("#bid-{item}-offered"),
            "Cuaderno «Ñandú» de 100 hojas",
        )
        .await;
        app.type_into(&format!("#bid-{item}-delivery"), "10 días hábiles")
            .await;
    }
    app.click("#bid-tab-declarations").await;
    for declaration in ["no_impediment", "no_conflict_of_interest", "mipyme_size"] {
        app.click(&format!("#bid-declaration-{declaration}")).await;
    }
    app.screenshot("bid-declarations").await;
    app.click("#bid-export").await;
    app.find("#bid-exported").await;
    // The review lists what is left: the business's documents only.
    app.client
        .execute("document.getElementById('bid-tab-review').click()", vec![])
        .await
        .unwrap();
    app.wait_text(
        "[data-testid='bid-review']",
        |t| t.contains("Documentos") && !t.contains("Declaraciones:") && !t.contains("Técnica"),
        "the review listing the missing documents only",
    )
    .await;
    app.screenshot("bid-review").await;
    app.quit().await;

    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext is needed (Debian package poppler-utils)");
    let text = String::from_utf8(output.stdout).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Propuesta técnica y económica",
        "Cuaderno «Ñandú» de 100 hojas",
        "Total $1,664.02 MXN",
        "Garantía de sostenimiento: $71.73 MXN",
        "bajo protesta de decir verdad",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}
