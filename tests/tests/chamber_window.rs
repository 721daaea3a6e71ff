//! A chamber's day in the real window: the appointments CSV imported through the home
//! screen's button (the file dialog answered by the test), the businesses it created
//! listed, and the rows it refused told line by line; then operator mode turned on in
//! Configuración, two people served from today's queue in the order of their
//! appointments, each after their consent ("Siguiente persona" between them), and the
//! day's report saved as CSV and PDF listing both under the operator, with the
//! consent's time;
//! and a day on the shared laptop: each business locked with its owner's passphrase,
//! locked again by "Siguiente persona", opened only with it, one handed over in its
//! file and erased, the report listing both by their labels, and the file taken back.
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

/// Turns operator mode on in Configuración under `operator` (refused first without a
/// name, saying why) and comes back to the home screen's operator bar.
async fn chamber_mode_on(app: &AppWindow, operator: &str) {
    app.click("#open-settings").await;
    app.scroll_to("#chamber-mode").await;
    app.click("#chamber-mode").await;
    app.wait_text(
        "[data-testid='chamber-error']",
        |t| t.contains("Escribe tu nombre"),
        "the name asked for",
    )
    .await;
    app.type_into("#operator-name", operator).await;
    app.click("#chamber-mode").await;
    app.wait_text(
        "[data-testid='chamber-saved']",
        |t| t.contains(operator),
        "chamber mode on under the operator's name",
    )
    .await;
    app.click("#settings-back").await;
    app.wait_text(
        "[data-testid='chamber-bar']",
        |t| t.contains(operator) && t.contains("Siguiente persona"),
        "the operator's bar",
    )
    .await;
}

/// Creates a business for someone without an appointment (their consent ticked in the
/// dialog) and types its RFC in the wizard.
async fn serve(app: &AppWindow, name: &str, rfc: &str) {
    app.click("#walk-in").await;
    app.click("#create-persona-moral").await;
    app.type_into("#create-name", name).await;
    app.click("#create-consent").await;
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

/// Today's queue: two appointments, the later one first in the file.
const QUEUE: &str = "rfc,nombre,cita\nEKU9003173C9,Escuela Kemper Urgate,11:30\nGODE561231GR8,Papelería Peña,9:15 am\n";

/// The queue's `nth` entry (from 1), read by its `textContent`: WebKit's WebDriver
/// leaves out the clipped name of a row's rendered text.
fn queued(nth: usize) -> String {
    format!("[data-testid='day-queue'] li:nth-child({nth})")
}

/// «Atender» on the queue's `nth` entry: the owner's consent, then the business opens.
async fn attend(app: &AppWindow, nth: usize, rfc: &str) {
    app.click(&format!("{} [data-attend]", queued(nth))).await;
    app.wait_content(
        "#consent-body",
        |t| t.contains("Léelo con el dueño"),
        "the consent asked first",
    )
    .await;
    app.screenshot("consent-dialog").await;
    app.click("#consent-given").await;
    app.click("#consent-confirm").await;
    app.find("#field-rfc").await;
    assert_eq!(app.value("#field-rfc").await, rfc);
    app.click("#go-home").await;
    app.wait_content(&queued(nth), |t| t.contains("Atendiendo"), "being served")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_serves_two_people_from_the_queue_and_the_days_report_lists_both() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let report = files.path().join("informe.csv");
    let csv = files.path().join("citas.csv");
    std::fs::write(&csv, QUEUE).unwrap();
    let app = AppWindow::launch_with(
        data.path(),
        &[
            ("VENTANILLA_SAVE_FILE", &report),
            ("VENTANILLA_PICK_FILE", &csv),
        ],
    )
    .await;
    app.wait_gone("[data-testid='chamber-bar']").await;

    chamber_mode_on(&app, "Ana Ruiz").await;
    app.screenshot("settings-chamber").await;
    app.find("[data-testid='queue-empty']").await;
    app.click("#import-appointments").await;
    app.wait_content(
        &queued(1),
        |t| t.contains("09:15") && t.contains("Papelería Peña") && t.contains("En espera"),
        "the earliest appointment first",
    )
    .await;
    app.wait_content(
        &queued(2),
        |t| t.contains("11:30") && t.contains("Escuela Kemper Urgate"),
        "then the later one",
    )
    .await;
    app.screenshot("day-queue").await;

    attend(&app, 1, "GODE561231GR8").await;
    app.click("#next-person").await;
    app.find("[data-testid='next-person-ready']").await;
    app.wait_content(&queued(1), |t| t.contains("Atendido"), "served")
        .await;
    attend(&app, 2, "EKU9003173C9").await;
    app.wait_content(
        "[data-testid='day-queue']",
        |t| t.contains("2 de 2 atendidos"),
        "both served",
    )
    .await;

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
            ("GODE561231GR8", "Papelería Peña", "Ana Ruiz"),
            ("EKU9003173C9", "Escuela Kemper Urgate", "Ana Ruiz"),
        ]
    );
    for row in &rows {
        assert_eq!(row[7].len(), 5, "the consent's time, HH:MM: {row:?}");
    }
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
        "Consentimiento del dueño: a las",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

/// Locks the newest card's business (the one just served) from its "…" menu.
async fn lock_newest(app: &AppWindow, label: &str, passphrase: Option<&str>) {
    app.click("[data-testid='business-card']:first-child button.more")
        .await;
    app.click("[data-testid='business-card']:first-child [data-lock]")
        .await;
    app.type_into("#lock-label", label).await;
    match passphrase {
        Some(passphrase) => {
            app.type_into("#lock-passphrase", passphrase).await;
            app.type_into("#lock-again", passphrase).await;
        }
        None => {
            app.click("#lock-generate").await;
            app.find("[data-testid='generated-passphrase'] code").await;
            // The sheet «Imprimir para el dueño» prints: the label and the passphrase.
            let generated = app
                .content("[data-testid='generated-passphrase'] code")
                .await
                .unwrap();
            app.wait_content(
                ".print-sheet",
                |t| t.contains(&generated) && t.contains(&format!("Negocio: {label}")),
                "the printed sheet with the passphrase",
            )
            .await;
        }
    }
    app.wait_content(
        "#lock-body",
        |t| t.contains("cifrados"),
        "what locking does",
    )
    .await;
    app.screenshot("lock-dialog").await;
    app.click("#lock-understood").await;
    app.click("#lock-confirm").await;
    app.wait_gone("#lock-confirm").await;
    app.find("[data-testid='business-card']:first-child [data-testid='card-unlocked']")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chamber_day_locks_each_business_hands_one_over_and_reports_both() {
    const PASSPHRASE: &str = "tlayuda con tasajo";
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let report = files.path().join("informe.csv");
    let bundle = files.path().join("cita1.ventanilla");
    let saves = std::env::join_paths([&report, &bundle]).unwrap();
    let app = AppWindow::launch_with(
        data.path(),
        &[
            ("VENTANILLA_SAVE_FILE", Path::new(&saves)),
            ("VENTANILLA_PICK_FILE", &bundle),
        ],
    )
    .await;
    app.find("[data-testid='home-empty']").await;
    chamber_mode_on(&app, "Luis Mora").await;

    serve(&app, "Escuela Kemper Urgate", "EKU9003173C9").await;
    lock_newest(&app, "Cita 1", Some(PASSPHRASE)).await;
    app.click("#next-person").await;
    app.find("[data-testid='card-locked']").await;
    serve(&app, "Papelería Peña", "GODE561231GR8").await;
    lock_newest(&app, "Cita 2", None).await;
    app.click("#next-person").await;
    app.wait_text(
        "#business-list",
        |t| {
            t.contains("Cita 1")
                && t.contains("Cita 2")
                && !t.contains("EKU9003173C9")
                && !t.contains("Kemper")
                && !t.contains("Peña")
        },
        "both listed by their labels only",
    )
    .await;
    app.screenshot("home-locked").await;

    // The first owner comes back: a wrong passphrase is refused and stays typed.
    let id = Library::open(data.path())
        .unwrap()
        .resolve_business("Cita 1")
        .unwrap();
    app.click(&format!("[data-open='{id}']")).await;
    app.click("#consent-given").await;
    app.click("#consent-confirm").await;
    app.type_into("#unlock-passphrase", "tlayuda sin tasajo")
        .await;
    app.click("#unlock-confirm").await;
    app.wait_text(
        "#unlock-error",
        |t| t.contains("no es la de este negocio"),
        "the refusal",
    )
    .await;
    assert_eq!(app.value("#unlock-passphrase").await, "tlayuda sin tasajo");
    app.screenshot("unlock-refused").await;
    app.type_into("#unlock-passphrase", PASSPHRASE).await;
    app.click("#unlock-confirm").await;
    app.find("#field-rfc").await;
    assert_eq!(app.value("#field-rfc").await, "EKU9003173C9");
    app.click("#go-home").await;

    // Handed over in its file, the day's report taken, then erased from the laptop.
    app.click(&format!("[data-more='{id}']")).await;
    app.click(&format!("[data-handover='{id}']")).await;
    app.type_into("#hand-over-passphrase", PASSPHRASE).await;
    app.click("#hand-over-confirm").await;
    app.wait_content(
        "[data-testid='handed-over']",
        |t| t.contains("cita1.ventanilla"),
        "where the file was saved",
    )
    .await;
    assert!(bundle.is_file());
    app.click("#next-person").await;
    app.click("#day-report-csv").await;
    app.wait_text(
        "[data-testid='day-report-saved']",
        |t| t.contains("2 negocios atendidos"),
        "the report with both businesses",
    )
    .await;
    let rows = csv_rows(&report);
    let listed: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[4].as_str(), r[5].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        listed,
        [("", "Cita 1", "Luis Mora"), ("", "Cita 2", "Luis Mora")]
    );

    app.click("#wipe-after-handover").await;
    app.click("#delete-confirm").await;
    app.wait_text("#business-list", |t| !t.contains("Cita 1"), "erased")
        .await;
    assert!(!data.path().join("businesses").join(&id).exists());

    // Taken back from its file: asked for its passphrase, locked as it left.
    app.click("#import-bundle").await;
    app.type_into("#import-bundle-passphrase", PASSPHRASE).await;
    app.click("#import-bundle-confirm").await;
    app.wait_content(
        "[data-testid='bundle-imported']",
        |t| t.contains("Escuela Kemper Urgate") && t.contains("protegido"),
        "the business back, locked",
    )
    .await;
    app.find(&format!("[data-open='{id}']")).await;
    // A second import of the same file asks what to do.
    app.click("#import-bundle").await;
    app.type_into("#import-bundle-passphrase", PASSPHRASE).await;
    app.click("#import-bundle-confirm").await;
    app.wait_content(
        "[data-testid='bundle-conflict']",
        |t| t.contains("conservar los dos"),
        "the choice asked for",
    )
    .await;
    app.screenshot("bundle-conflict").await;
    app.click("#import-bundle-cancel").await;
    app.quit().await;
    assert_eq!(
        Library::open(data.path())
            .unwrap()
            .list_businesses("")
            .unwrap()
            .len(),
        2
    );
}
