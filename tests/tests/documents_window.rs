//! The document checklist in the real window: attach a PDF with an issue date 40 days
//! back and see it expired, replace it, date the new one today and see it ready, with
//! the earlier version kept; and dates typed day first, as Mexico writes them, read
//! as that day under a C system locale.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate, Utc};
use ventanilla_core::checklist::mexico_city_today;
use ventanilla_core::{rfc, Field, RegistrationDraft};
use ventanilla_store::Library;
use ventanilla_testkit::fixtures::one_page_pdf;
use ventanilla_tests::window::AppWindow;

const TAB: &str = "\u{E004}";
const ARROW_UP: &str = "\u{E013}";
const ARROW_DOWN: &str = "\u{E015}";
/// Control held, A pressed, Control released: selects what a field holds.
const SELECT_ALL: &str = "\u{E009}a\u{E000}";

/// A persona física's business in `data`, and a constancia to attach, in `files`.
fn business_and_constancia(data: &Path, files: &Path) -> (String, PathBuf) {
    let body = "PEMJ800101AB";
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Persona, "fisica".into());
    draft.set(
        Field::Rfc,
        format!("{body}{}", rfc::check_digit(body).unwrap()),
    );
    draft.set(Field::Name, "Juana Pérez Martínez".into());
    let id = Library::open(data)
        .unwrap()
        .create_business(&draft)
        .unwrap();
    let pdf = files.join("Constancia de situación fiscal.pdf");
    std::fs::write(&pdf, one_page_pdf(7, 20_000)).unwrap();
    (id, pdf)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_document_is_replaced_and_the_item_becomes_ready() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let (id, pdf) = business_and_constancia(data.path(), files.path());

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

    // Typed as printed on the paper, day first.
    app.type_into(
        "#issued-CSF",
        &forty_days_ago.format("%d/%m/%Y").to_string(),
    )
    .await;
    app.click("#attach-CSF").await;
    app.find(&format!("{item}[data-status='expired']")).await;
    app.screenshot("documents-expired").await;

    // A replacement is a new paper: it asks for its own issue date.
    app.click("#attach-CSF").await;
    app.find(&format!("{item}[data-status='needs_date']")).await;
    // Digits alone, without the slashes.
    app.type_into("#issued-CSF", &today.format("%d%m%Y").to_string())
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
    // The item grew with its history and dates: its buttons sit below the pane's fold.
    app.scroll_to("#preview-CSF").await;
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
    let mut stored = Vec::new();
    std::io::Read::read_to_end(
        &mut store.open_document(&current[0].sha256).unwrap(),
        &mut stored,
    )
    .unwrap();
    assert_eq!(stored, std::fs::read(&pdf).unwrap());
}

/// Under a C or English system locale a native date input reads "03/12/2026" as
/// 12 March; the checklist's own field reads it day first, keeps what cannot be a day
/// as typed with a message beside it, and steps the day with the arrow keys.
#[tokio::test(flavor = "multi_thread")]
async fn a_date_typed_day_first_is_that_day_under_a_c_locale() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let (id, pdf) = business_and_constancia(data.path(), files.path());
    let item = "[data-testid='checklist-item'][data-code='CSF']";
    let field = "#issued-CSF";
    let shown = format!("{item} [data-testid='document']");
    let c = Path::new("C");

    let app = AppWindow::launch_with(
        data.path(),
        &[("VENTANILLA_PICK_FILE", &pdf), ("LC_ALL", c), ("LANG", c)],
    )
    .await;
    app.click("[data-testid='business-card'] button.open").await;
    app.click("#tab-documents").await;
    let input = app.find(field).await;
    assert_eq!(
        input.attr("placeholder").await.unwrap().as_deref(),
        Some("dd/mm/aaaa"),
        "the field says how to write the date, in the app's language"
    );

    // One-digit day, then Tab: the field writes it back whole, before any file.
    app.press(field, &format!("3/12/2026{TAB}")).await;
    assert_eq!(app.value(field).await, "03/12/2026");
    app.click("#attach-CSF").await;
    app.wait_text(
        &shown,
        |t| t.contains("Expedido el 03/12/2026"),
        "the document issued on 3 December 2026",
    )
    .await;

    // An impossible day stays as typed, with the message beside the field; the stored
    // date does not change.
    app.press(field, SELECT_ALL).await;
    app.press(field, &format!("31/02/2026{TAB}")).await;
    app.wait_text(
        &format!("{item} [data-testid='date-error']"),
        |t| t == "Escribe la fecha como dd/mm/aaaa, por ejemplo 03/12/2026.",
        "the message about how to write the date",
    )
    .await;
    assert_eq!(app.value(field).await, "31/02/2026");
    assert_eq!(
        app.find(field)
            .await
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    app.screenshot("documents-date-error").await;

    // Digits alone mend it; the arrows step a day down and back up, each one saved.
    app.press(field, SELECT_ALL).await;
    app.press(field, "03122026").await;
    app.wait_gone(&format!("{item} [data-testid='date-error']"))
        .await;
    app.press(field, ARROW_DOWN).await;
    assert_eq!(app.value(field).await, "02/12/2026");
    app.wait_text(
        &shown,
        |t| t.contains("Expedido el 02/12/2026"),
        "the day before, saved",
    )
    .await;
    app.press(field, ARROW_UP).await;
    app.wait_text(
        &shown,
        |t| t.contains("Expedido el 03/12/2026"),
        "3 December again, saved",
    )
    .await;
    app.find(&format!(
        "{item} [data-testid='dates-state'][data-state='saved']"
    ))
    .await;
    app.quit().await;

    let store = Library::open(data.path())
        .unwrap()
        .open_business(&id)
        .unwrap();
    let current = store.documents().unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].issued_on, NaiveDate::from_ymd_opt(2026, 12, 3));
}
