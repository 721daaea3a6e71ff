//! The tender catalogue in the real window: import an OCDS file (one damaged release
//! among them) through the file dialog, find a tender by a word of one of its items
//! typed without accents, open it and read its deadline in Mexico City time.
#![allow(clippy::unwrap_used)]

use ventanilla_tests::window::AppWindow;

const PACKAGE: &str = r#"{"uri": "usb", "publishedDate": "2026-01-10T09:00:00Z", "releases": [
  {"ocid": "ocds-bj-2099-001", "id": "1", "date": "2026-01-10T09:00:00-06:00",
   "buyer": {"name": "Alcaldía Benito Juárez"},
   "tender": {"title": "Adquisición de material de limpieza", "status": "active",
              "procurementMethod": "open", "mainProcurementCategory": "goods",
              "tenderPeriod": {"endDate": "2099-03-20T14:00:00"},
              "bidBond": "0.05",
              "items": [{"id": "1", "description": "Jabón líquido para manos", "quantity": "250",
                         "unit": {"name": "litro"}, "classification": {"scheme": "CUCOP", "id": "21601"}}],
              "documents": [{"title": "Bases de la licitación", "url": "https://example.test/bases.pdf"}],
              "criteria": [{"requirementGroups": [{"requirements": [{"id": "EDOS_FIN"}]}]}]}},
  {"ocid": "ocds-bj-2099-002", "id": "1", "date": "2026-01-10T09:00:00-06:00",
   "tender": {"title": "Mantenimiento de parques", "status": "active", "mainProcurementCategory": "services",
              "tenderPeriod": {"endDate": "2099-02-01T14:00:00-06:00"}}},
  {"ocid": "ocds-bj-roto", "date": "el martes", "tender": {"title": "Sin fecha"}}
]}"#;

#[tokio::test(flavor = "multi_thread")]
async fn an_imported_tender_is_found_by_search_and_opened() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("convocatorias.json");
    std::fs::write(&file, PACKAGE).unwrap();

    let app = AppWindow::launch_with(data.path(), &[("VENTANILLA_PICK_FILE", &file)]).await;
    app.click("#open-tenders").await;
    app.find("[data-testid='tenders-empty']").await;
    app.click("#import-tenders").await;
    app.wait_text(
        "[data-testid='import-report']",
        |t| t.contains("2 nuevas"),
        "two tenders imported",
    )
    .await;
    app.wait_text(
        "[data-testid='import-report'] summary",
        |t| t.contains('1'),
        "one release skipped",
    )
    .await;
    app.find("[data-testid='tender-row'][data-ocid='ocds-bj-2099-002']")
        .await;

    app.type_into("#tender-search", "jabon liquido").await;
    app.wait_gone("[data-testid='tender-row'][data-ocid='ocds-bj-2099-002']")
        .await;
    app.screenshot("tenders").await;
    app.click("[data-testid='tender-row'][data-ocid='ocds-bj-2099-001']")
        .await;

    app.wait_text(
        "[data-testid='tender-title']",
        |t| t == "Adquisición de material de limpieza",
        "the tender's title",
    )
    .await;
    // Published without an offset: Mexico City time, shown as such.
    app.wait_text(
        "[data-testid='tender-deadline']",
        |t| t.contains("2099") && t.contains("14:00") && t.contains("Ciudad de México"),
        "the deadline in Mexico City time",
    )
    .await;
    app.wait_text(
        "[data-testid='countdown'][data-open='true']",
        |t| t.starts_with("Quedan"),
        "a countdown",
    )
    .await;
    app.wait_text(
        "[data-testid='tender-items']",
        |t| {
            t.contains("Jabón líquido para manos") && t.contains("250") && t.contains("CUCOP 21601")
        },
        "the items",
    )
    .await;
    app.wait_text(
        "[data-testid='tender-requirements']",
        |t| !t.is_empty() && !t.contains("EDOS_FIN"),
        "the requirement named from the catalogue",
    )
    .await;
    app.find("#prepare-bid:not([disabled])").await;
    app.screenshot("tender").await;

    app.click("#tender-back").await;
    app.find("[data-testid='tender-row'][data-ocid='ocds-bj-2099-001']")
        .await;
    app.quit().await;
}
