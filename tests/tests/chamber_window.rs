//! A chamber's day in the real window: the appointments CSV imported through the home
//! screen's button (the file dialog answered by the test), the businesses it created
//! listed, and the rows it refused told line by line; then operator mode turned on in
//! Configuración, two people served one after the other ("Siguiente persona" between
//! them), and the day's report saved as CSV and PDF listing both under the operator.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use ventanilla_store::Library;
use ventanilla_testkit::fixtures::pdf_text;
use ventanilla_tests::window::AppWindow;

const ENTER: &str = "\u{E007}";

/// UTF-8 with a byte order mark (as Excel saves it), semicolons, a quoted name holding
/// the separator, a blank row, and two rows the wizard's checks refuse.
const APPOINTMENTS: &str = "\u{feff}rfc;nombre;correo;telefono;curp;clabe;calle;numero_exterior;colonia;codigo_postal;municipio;entidad\r\n\
GODE561231GR8;\"Peña; José\";jose@example.mx;55 1234 5678;;;Insurgentes Sur;1602;Crédito Constructor;03940;Benito Juárez;CDMX\r\n\
;;;;;;;;;;;\r\n\
EKU9003173C9;Escuela Kemper Urgate;;;;;;;;;;\r\n\
MELM8305281H0;María López;;;MELM830528MDFRPR0X;;;;;;;\r\n\
XAXX0101010;Sin dígito;;;;;;;;;;\r\n";

#[tokio::test(flavor = "multi_thread")]
async fn the_appointments_csv_is_imported_through_the_button() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let csv = files.path().join("citas.csv");
    std::fs::write(&csv, APPOINTMENTS).unwrap();

    let app = AppWindow::launch_with(data.path(), &[("VENTANILLA_PICK_FILE", &csv)]).await;
    app.find("[data-testid='home-empty']").await;
    app.click("#import-appointments").await;
    app.wait_text(
        "[data-testid='appointments-report']",
        |t| t.contains("2 negocios nuevos") && t.contains("2 filas con errores"),
        "two businesses created and two rows refused",
    )
    .await;
    for line in [5, 6] {
        app.wait_text(
            &format!("[data-testid='appointments-refused'] li[data-line='{line}']"),
            |t| t.contains(&format!("Línea {line}")) && t.len() > 12,
            "the refused line with its reason",
        )
        .await;
    }
    app.wait_text(
        "[data-testid='appointments-refused'] li[data-line='5']",
        |t| t.contains("curp"),
        "the CURP named as the column at fault",
    )
    .await;
    app.wait_text(
        "main",
        |t| t.contains("Peña; José") && t.contains("Escuela Kemper Urgate"),
        "the two new businesses listed",
    )
    .await;
    app.screenshot("appointments-imported").await;

    // A second import creates nothing new.
    app.click("#import-appointments").await;
    app.wait_text(
        "[data-testid='appointments-report']",
        |t| t.contains("0 negocios nuevos") && t.contains("2 que ya estaban"),
        "nothing created the second time",
    )
    .await;
    app.quit().await;

    let library = Library::open(data.path()).unwrap();
    let mut rfcs: Vec<String> = library
        .list_businesses("")
        .unwrap()
        .into_iter()
        .map(|b| b.summary.rfc)
        .collect();
    rfcs.sort();
    assert_eq!(rfcs, ["EKU9003173C9", "GODE561231GR8"]);
}

/// Creates a business from the home screen's dialog and types its RFC in the wizard.
async fn serve(app: &AppWindow, name: &str, rfc: &str) {
    app.click("#new-business").await;
    app.click("#create-persona-moral").await;
    app.type_into("#create-name", name).await;
    app.press("#create-confirm", ENTER).await;
    app.find("#field-rfc").await;
    app.type_into("#field-rfc", rfc).await;
    app.find("[data-testid='save-state'][data-state='saved']")
        .await;
    app.click("#go-home").await;
    app.find("[data-testid='chamber-bar']").await;
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a byte order mark for Excel");
    csv::Reader::from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_serves_two_people_and_the_days_report_lists_both() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let report = files.path().join("informe.csv");
    let app = AppWindow::launch_with(data.path(), &[("VENTANILLA_SAVE_FILE", &report)]).await;
    app.wait_gone("[data-testid='chamber-bar']").await;

    app.click("#open-settings").await;
    app.scroll_to("#chamber-mode").await;
    // On without a name is refused, saying why.
    app.click("#chamber-mode").await;
    app.wait_text(
        "[data-testid='chamber-error']",
        |t| t.contains("Escribe tu nombre"),
        "the name asked for",
    )
    .await;
    app.type_into("#operator-name", "Ana Ruiz").await;
    app.click("#chamber-mode").await;
    app.wait_text(
        "[data-testid='chamber-saved']",
        |t| t.contains("Ana Ruiz"),
        "chamber mode on under the operator's name",
    )
    .await;
    app.screenshot("settings-chamber").await;
    app.click("#settings-back").await;
    app.wait_text(
        "[data-testid='chamber-bar']",
        |t| t.contains("Ana Ruiz") && t.contains("Siguiente persona"),
        "the operator's bar",
    )
    .await;

    serve(&app, "Escuela Kemper Urgate", "EKU9003173C9").await;
    app.click("#next-person").await;
    app.find("[data-testid='next-person-ready']").await;
    serve(&app, "Papelería Peña", "GODE561231GR8").await;

    app.click("#day-report-csv").await;
    app.wait_text(
        "[data-testid='day-report-saved']",
        |t| t.contains("2 negocios atendidos"),
        "the report saved with both businesses",
    )
    .await;
    app.screenshot("home-chamber").await;
    let rows = csv_rows(&report);
    let listed: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[4].as_str(), r[5].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("EKU9003173C9", "Escuela Kemper Urgate", "Ana Ruiz"),
            ("GODE561231GR8", "Papelería Peña", "Ana Ruiz"),
        ]
    );
    app.quit().await;

    // The same report as PDF, from the same operator's bar after a restart.
    let pdf = files.path().join("informe.pdf");
    let app = AppWindow::launch_with(data.path(), &[("VENTANILLA_SAVE_FILE", &pdf)]).await;
    app.click("#day-report-pdf").await;
    app.find("[data-testid='day-report-saved']").await;
    app.quit().await;
    let text = pdf_text(&std::fs::read(&pdf).unwrap());
    for expected in [
        "Negocios atendidos: 2",
        "Escuela Kemper Urgate — EKU9003173C9",
        "Papelería Peña — GODE561231GR8",
        "Ana Ruiz",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}
