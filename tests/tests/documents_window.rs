//! The document checklist in the real window: attach a PDF with an issue date 40 days
//! back and see it expired, replace it, date the new one today and see it ready, with
//! the earlier version kept.
#![allow(clippy::unwrap_used)]

use chrono::{Days, Utc};
use ventanilla_core::checklist::mexico_city_today;
use ventanilla_core::fixtures::one_page_pdf;
use ventanilla_core::{rfc, Field, RegistrationDraft};
use ventanilla_store::Library;
use ventanilla_tests::window::AppWindow;

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_document_is_replaced_and_the_item_becomes_ready() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let body = "PEMJ800101AB";
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Persona, "fisica".into());
    draft.set(
        Field::Rfc,
        format!("{body}{}", rfc::check_digit(body).unwrap()),
    );
    draft.set(Field::Name, "Juana Pérez Martínez".into());
    let id = Library::open(data.path())
        .unwrap()
        .create_business(&draft)
        .unwrap();
    let pdf = files.path().join("Constancia de situación fiscal.pdf");
    std::fs::write(&pdf, one_page_pdf(7, 20_000)).unwrap();

    let today = mexico_city_today(Utc::now());
    let forty_days_ago = today.checked_sub_days(Days::new(40)).unwrap();
    let item = "[data-testid='checklist-item'][data-code='CSF']";

    let app = AppWindow::launch_with(data.path(), &[("VENTANILLA_PICK_FILE", &pdf)]).await;
    app.click("[data-testid='business-card'] button.open").await;
    app.click("#tab-documents").await;
    app.find(&format!("{item}[data-status='missing']")).await;
    let readiness_before = app.text("[data-testid='readiness']").await;
    // The list is the registration's; a tender's procedure can be chosen instead.
    app.wait_text(
        "label.for",
        |t| {
            t.starts_with("Documentos para")
                && t.contains("el registro de proveedor")
                && !t.contains('{')
        },
        "the choice of procedure, its label whole",
    )
    .await;

    app.set_value(
        "#issued-CSF",
        &forty_days_ago.format("%Y-%m-%d").to_string(),
    )
    .await;
    app.click("#attach-CSF").await;
    app.find(&format!("{item}[data-status='expired']")).await;
    app.screenshot("documents-expired").await;

    // A replacement is a new paper: it asks for its own issue date.
    app.click("#attach-CSF").await;
    app.find(&format!("{item}[data-status='needs_date']")).await;
    app.set_value("#issued-CSF", &today.format("%Y-%m-%d").to_string())
        .await;
    app.find(&format!("{item}[data-status='attached']")).await;
    app.wait_text(
        "[data-testid='readiness']",
        |t| !t.is_empty() && t != readiness_before,
        "readiness counting the new document",
    )
    .await;
    app.screenshot("documents").await;

    // The stored PDF opens inside the window, drawn by the page (no PDF plugin needed).
    app.click("#preview-CSF").await;
    app.find("[data-testid='preview'][data-state='pdf'] [data-testid='preview-canvas']")
        .await;
    let painted = "const c = document.querySelector(\"[data-testid='preview-canvas']\");
         if (!c || c.width === 0) return false;
         const px = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data;
         return px[3] === 255;";
    let mut drawn = serde_json::Value::Bool(false);
    for _ in 0..100 {
        drawn = app.client.execute(painted, vec![]).await.unwrap();
        if drawn == serde_json::Value::Bool(true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        drawn,
        serde_json::Value::Bool(true),
        "the page is painted on the canvas"
    );
    app.screenshot("preview").await;
    app.quit().await;

    let library = Library::open(data.path()).unwrap();
    let store = library.open_business(&id).unwrap();
    let history = store.history("CSF", None).unwrap();
    assert_eq!(
        history.len(),
        2,
        "the replaced document stays in the item's history"
    );
    assert!(history
        .iter()
        .all(|d| d.original_name == "Constancia de situación fiscal.pdf"));
    let current = store.documents().unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].issued_on, Some(today));
    let stored = std::fs::read(store.vault_path(&current[0])).unwrap();
    assert_eq!(stored, std::fs::read(&pdf).unwrap());
}
