//! Every main screen as a shop owner meets it, in the real window: the sync bar takes
//! its own row and covers nothing, each screen has the ES/EN switch, empty screens
//! lead somewhere, Configuración comes preset, times read in Mexico City time whatever
//! the computer's zone; and at the smallest window (960×600) with the text at 200 %
//! every control can still be reached and nothing covers another.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use chrono::{DateTime, Utc};
use ventanilla_core::{Field, RegistrationDraft};
use ventanilla_store::Library;
use ventanilla_tests::window::AppWindow;

/// One open tender, as a chamber hands them out.
const TENDERS: &str = r#"{"uri": "usb", "publishedDate": "2026-01-10T09:00:00Z", "releases": [
  {"ocid": "ocds-bj-2099-010", "id": "1", "date": "2026-01-10T09:00:00-06:00",
   "buyer": {"name": "Alcaldía Benito Juárez"},
   "tender": {"title": "Suministro de papelería para oficinas", "status": "active",
              "mainProcurementCategory": "goods",
              "tenderPeriod": {"endDate": "2099-03-20T14:00:00-06:00"},
              "items": [{"id": "1", "description": "Hojas blancas tamaño carta", "quantity": "500",
                         "unit": {"name": "paquete"}}]}}
]}"#;

/// A data folder with a complete business (documents attached) and a few named ones,
/// so the home list fills the screen.
fn shop_data(root: &Path) -> (std::path::PathBuf, String) {
    let data = root.join("data");
    let files = root.join("files");
    std::fs::create_dir(&files).unwrap();
    let library = Library::open(&data).unwrap();
    let complete = ventanilla_testkit::complete_business(&library, &files, 3, 300);
    for name in [
        "Papelería La Esperanza",
        "Ferretería Hermanos Ruiz",
        "Tortillería Doña Mary",
    ] {
        let mut draft = RegistrationDraft::default();
        draft.set(Field::Name, name.into());
        library.create_business(&draft).unwrap();
    }
    (data, complete)
}

/// How the home list writes a business's last change: dd/mm/aaaa hh:mm, Mexico City.
fn mexico_city(instant: &DateTime<Utc>) -> String {
    instant
        .with_timezone(&chrono_tz::America::Mexico_City)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The screen shows the language switch and the sync bar covers none of `content`.
async fn clear_and_bilingual(app: &AppWindow, content: &str) {
    app.find("[data-testid='screen'] #locale-en").await;
    let covered = app.covered_by_sync_bar(content).await;
    assert!(covered.is_empty(), "the sync bar covers: {covered:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_keeps_clear_of_the_sync_bar_and_leads_somewhere() {
    let root = tempfile::tempdir().unwrap();
    let (data, complete) = shop_data(root.path());
    let tenders = root.path().join("convocatorias.json");
    std::fs::write(&tenders, TENDERS).unwrap();
    let shown = root.path().join("shown-folder.txt");
    // The computer thinks it is in Tokyo; the app still speaks Mexico City time. The
    // build's or sandbox's server comes preset (nothing listens there).
    let tokyo = Path::new("Asia/Tokyo");
    let sandbox = Path::new("http://127.0.0.1:9");
    let app = AppWindow::launch_with(
        &data,
        &[
            ("VENTANILLA_PICK_FILE", &tenders),
            ("VENTANILLA_SHOWN_FOLDER", &shown),
            ("TZ", tokyo),
            ("VENTANILLA_SERVER_URL", sandbox),
        ],
    )
    .await;

    // Home: every card clear of the bar, each last change in Mexico City time.
    let cards = "[data-testid='business-card'], [data-testid='business-card'] button";
    app.find("[data-testid='business-card']").await;
    clear_and_bilingual(&app, cards).await;
    for entry in Library::open(&data).unwrap().list_businesses("").unwrap() {
        let when = mexico_city(&entry.updated_at);
        app.wait_text(
            &format!(
                "[data-testid='business-card'][data-id='{}'] .updated",
                entry.id
            ),
            |t| t.ends_with(&when),
            &format!("the last change at {when}, Mexico City time"),
        )
        .await;
    }
    app.screenshot("home").await;

    // Convocatorias, empty: plain words, both ways to fill it, no jargon in sight.
    app.click("#open-tenders").await;
    app.wait_text(
        "[data-testid='tenders-empty']",
        |t| {
            t.contains("Aún no hay convocatorias.")
                && t.contains("Se descargan al sincronizar con la alcaldía, o puedes abrir el archivo que te dio tu cámara.")
        },
        "the empty catalogue explained",
    )
    .await;
    app.find("#tenders-empty-sync").await;
    // WebKit's driver reads a closed <details>'s contents as text, so they are left out.
    let shown_text = app
        .client
        .execute(
            "const screen = document.querySelector(\"[data-testid='screen']\").cloneNode(true);
             screen.querySelectorAll('details:not([open]) > :not(summary)').forEach((e) => e.remove());
             return screen.textContent;",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        shown_text.contains("Avanzado"),
        "the note sits under «Avanzado»"
    );
    assert!(
        !shown_text.contains("OCDS"),
        "jargon outside «Avanzado»: {shown_text}"
    );
    clear_and_bilingual(&app, "[data-testid='tenders-empty'] button").await;
    app.screenshot("tenders-empty").await;
    app.click("#tenders-empty-import").await;
    app.find("[data-testid='tender-row'][data-ocid='ocds-bj-2099-010']")
        .await;
    clear_and_bilingual(&app, "[data-testid='tender-row']").await;
    app.screenshot("tenders").await;
    app.click("[data-testid='tender-row']").await;
    app.find("[data-testid='tender-page']").await;
    clear_and_bilingual(&app, "[data-testid='tender-page'] button").await;
    app.screenshot("tender").await;
    app.click("#tender-back").await;
    app.click("#tenders-home").await;

    // A business without bids: its Propuestas lead to Convocatorias.
    app.click(&format!(
        "[data-testid='business-card'][data-id='{complete}'] button.open"
    ))
    .await;
    app.click("#tab-documents").await;
    app.find("[data-testid='checklist-item']").await;
    clear_and_bilingual(
        &app,
        "[data-testid='checklist-item'], [data-testid='status-badge'], [data-testid='checklist-item'] button",
    )
    .await;
    app.screenshot("documents").await;
    app.click("#tab-bids").await;
    app.find("[data-testid='bids-empty']").await;
    app.click("#bids-open-tenders").await;
    app.find("#app[data-view='tenders'] [data-testid='tender-row']")
        .await;
    app.click("#tenders-home").await;

    // Configuración: the address preset and folded away, the folder with its
    // actions, the version.
    app.click("#open-settings").await;
    app.find("h1#settings-title").await;
    assert_eq!(app.value("input[name='url']").await, "http://127.0.0.1:9");
    let folded = app
        .client
        .execute(
            "return document.querySelector('details.advanced').open",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        folded,
        serde_json::json!(false),
        "the preset address stays under «Avanzado»"
    );
    // The path whole, not cut by its ellipsis (WebKit's driver reads an element that
    // clips its overflow as empty, so its words and its widths are asked of the page).
    let folder = app
        .client
        .execute(
            "const path = document.querySelector(\"[data-testid='data-dir']\");
             return [path.textContent, path.scrollWidth <= path.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        folder,
        serde_json::json!([data.display().to_string(), true]),
        "the data folder shown whole"
    );
    app.click("#open-data-folder").await;
    let started = std::time::Instant::now();
    while !shown.exists() && started.elapsed().as_secs() < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        std::fs::read_to_string(&shown).unwrap(),
        data.display().to_string()
    );
    app.wait_text(
        "[data-testid='app-version']",
        |t| t.contains(env!("CARGO_PKG_VERSION")),
        "the app's version",
    )
    .await;
    clear_and_bilingual(&app, "form.server, form.server button, .block").await;
    app.screenshot("settings").await;
    app.click("#settings-back").await;

    // Envíos: "Sincronizar ahora" once; a sync that reaches no server is no
    // "última sincronización".
    app.click("[data-action='open-sync']").await;
    app.find("[data-action='sync-now']").await;
    let offers = app
        .client
        .execute(
            "return [...document.querySelectorAll('button')].filter(b => b.textContent.includes('Sincronizar ahora')).length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(offers, serde_json::json!(1));
    app.click("[data-action='sync-now']").await;
    app.find("[data-action='sync-now']:not([disabled])").await;
    app.wait_text(
        "[data-testid='last-sync']",
        |t| t.contains("Aún no hay una sincronización completa"),
        "no successful sync yet",
    )
    .await;
    clear_and_bilingual(&app, "form.server, [data-testid='last-sync']").await;
    app.screenshot("sync").await;

    // In English, the app's own words are English.
    app.click("[data-testid='screen'] #locale-en").await;
    app.wait_text(
        "[data-testid='last-sync']",
        |t| t == "No complete sync with the borough yet.",
        "the sync page in English",
    )
    .await;
    app.click("#sync-back").await;
    app.click("#open-tenders").await;
    app.find("[data-testid='tender-row']").await;
    app.wait_text("#import-tenders", |t| t == "Open a tenders file", "English")
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_small_window_with_large_text_keeps_every_control_reachable() {
    let root = tempfile::tempdir().unwrap();
    let (data, complete) = shop_data(root.path());
    let app = AppWindow::launch(&data).await;
    app.resize(960, 600).await;
    app.text_zoom(200).await;

    let screens: [(&str, &str, &str); 4] = [
        ("home", "", "[data-testid='business-card']"),
        (
            "tenders-empty",
            "#open-tenders",
            "[data-testid='tenders-empty'] button",
        ),
        ("settings", "#open-settings", "form.server button"),
        ("sync", "[data-action='open-sync']", "form.server"),
    ];
    for (name, way_in, content) in screens {
        if !way_in.is_empty() {
            app.click(way_in).await;
        }
        app.find(content).await;
        app.screenshot(&format!("small-{name}")).await;
        let unreachable = app.unreachable_controls().await;
        assert!(unreachable.is_empty(), "{name}: {unreachable:?}");
        clear_and_bilingual(&app, content).await;
        if !way_in.is_empty() {
            app.click("[data-testid='screen'] .page-bar button.back")
                .await;
            app.find("#app[data-view='home']").await;
        }
    }

    app.click(&format!(
        "[data-testid='business-card'][data-id='{complete}'] button.open"
    ))
    .await;
    app.click("#tab-documents").await;
    app.find("[data-testid='checklist-item']").await;
    clear_and_bilingual(&app, "[data-testid='checklist-item']").await;
    app.screenshot("small-documents").await;
    app.quit().await;
}
