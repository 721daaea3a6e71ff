//! A bid prepared in the real window: import a tender from an OCDS file, press
//! *Preparar propuesta* on it and choose the business, type prices (a decimal comma is
//! explained where it was typed, the totals follow every keystroke), fill the technical
//! part and the declarations, and save the proposal as a PDF that `pdftotext` reads
//! back.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use ventanilla_store::Library;
use ventanilla_testkit::fixtures;
use ventanilla_tests::window::AppWindow;

/// One open licitación with two items (1 and 2 pieces) and a 5 % bid bond.
const PACKAGE: &str = r#"{"uri": "usb", "publishedDate": "2026-11-20T09:00:00Z", "releases": [
  {"ocid": "ocds-bj2026-LP-014", "id": "ocds-bj2026-LP-014-01", "date": "2026-11-20T09:00:00-06:00",
   "buyer": {"name": "Alcaldía Benito Juárez, Dirección de Recursos Materiales"},
   "tender": {"title": "Adquisición de artículos de papelería y cómputo", "status": "active",
              "procurementMethod": "open", "mainProcurementCategory": "goods",
              "tenderPeriod": {"endDate": "2099-12-15T14:00:00-06:00"}, "bidBond": "0.05",
              "items": [
                {"id": "1", "description": "Cuaderno profesional de 100 hojas", "quantity": 1,
                 "unit": {"name": "pieza"}, "classification": {"scheme": "CUCOP", "id": "21101"}},
                {"id": "2", "description": "Caja de plumas", "quantity": "2",
                 "unit": {"name": "pieza"}, "classification": {"scheme": "CUCOP", "id": "21101"}}]}}
]}"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_bid_is_priced_completed_and_printed() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    Library::open(data.path())
        .unwrap()
        .create_business(&fixtures::business())
        .unwrap();
    let package = files.path().join("convocatorias.json");
    std::fs::write(&package, PACKAGE).unwrap();
    let pdf = files.path().join("propuesta.pdf");

    let app = AppWindow::launch_with(
        data.path(),
        &[
            ("VENTANILLA_PICK_FILE", &package),
            ("VENTANILLA_SAVE_FILE", &pdf),
        ],
    )
    .await;
    app.click("#open-tenders").await;
    app.click("#import-tenders").await;
    app.click("[data-testid='tender-row'][data-ocid='ocds-bj2026-LP-014']")
        .await;
    app.click("#prepare-bid").await;
    app.find(".choices button.choice").await;
    app.screenshot("choose-business").await;
    app.click(".choices button.choice").await;
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
