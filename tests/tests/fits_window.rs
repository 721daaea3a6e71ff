//! «Para ti» in the real window: a stationery shop that gave its SCIAN code and what it
//! offers sees, on its home card, how many open tenders fit it; a notice tells the one
//! closing within 3 days; Convocatorias' «Para ti» lists them newest first with why
//! (its SCIAN code matching an item, a word it offers); a file bringing a new tender
//! that fits is told as new.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use ventanilla_core::{Field, RegistrationDraft};
use ventanilla_store::{Library, TenderSource};
use ventanilla_tests::window::AppWindow;

fn release(
    ocid: &str,
    date: &str,
    title: &str,
    item: &str,
    class: (&str, &str),
    end: &str,
) -> String {
    format!(
        r#"{{"ocid": "{ocid}", "id": "{ocid}-1", "date": "{date}", "buyer": {{"name": "Alcaldía Benito Juárez"}},
   "tender": {{"title": "{title}", "status": "active", "procurementMethod": "open", "mainProcurementCategory": "goods",
              "tenderPeriod": {{"endDate": "{end}"}},
              "items": [{{"id": "1", "description": "{item}", "quantity": "100", "unit": {{"name": "pieza"}},
                         "classification": {{"scheme": "{}", "id": "{}"}}}}]}}}}"#,
        class.0, class.1
    )
}

fn package(releases: &[String]) -> String {
    format!(r#"{{"releases": [{}]}}"#, releases.join(","))
}

fn business(library: &Library, name: &str, scian: &str, offer: &str) {
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Persona, "moral".into());
    draft.set(Field::Name, name.into());
    draft.set(Field::Scian, scian.into());
    draft.set(Field::Activity, offer.into());
    library.create_business(&draft).unwrap();
}

#[tokio::test(flavor = "multi_thread")]

async fn a_business_sees_the_tenders_that_fit_it_and_why() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let soon = (Utc::now() + Duration::days(2)).to_rfc3339();
    {
        let library = Library::open(data.path()).unwrap();
        business(
            &library,
            "Papelería La Estrella",
            "465311",
            "Papelería, tóner y artículos de oficina",
        );
        business(
            &library,
            "Herrería Ruiz",
            "",
            "Herrería, puertas y protecciones",
        );
        let catalogue = package(&[
            release(
                "ocds-bj-2099-010",
                "2026-01-10T09:00:00-06:00",
                "Papelería para las oficinas de la alcaldía",
                "Cuaderno profesional de 100 hojas",
                ("CUCOP", "21101"),
                "2099-03-20T14:00:00-06:00",
            ),
            release(
                "ocds-bj-2099-011",
                "2026-01-12T09:00:00-06:00",
                "Consumibles de impresión",
                "Cartucho de tóner negro",
                ("SCIAN", "465311"),
                &soon,
            ),
            release(
                "ocds-bj-2099-012",
                "2026-01-11T09:00:00-06:00",
                "Mantenimiento de parques",
                "Poda de árboles",
                ("CUCOP", "35101"),
                "2099-02-01T14:00:00-06:00",
            ),
        ]);
        library
            .import_tenders(catalogue.as_bytes(), &TenderSource::File("usb".into()))
            .unwrap();
    }
    let later = files.path().join("nuevas.json");
    std::fs::write(
        &later,
        package(&[release(
            "ocds-bj-2099-013",
            "2026-01-20T09:00:00-06:00",
            "Útiles escolares y papelería para las escuelas",
            "Paquete de útiles escolares",
            ("CUCOP", "21101"),
            "2099-04-01T14:00:00-06:00",
        )]),
    )
    .unwrap();

    let app = AppWindow::launch_with(data.path(), &[("VENTANILLA_PICK_FILE", &later)]).await;
    // WebKit's WebDriver leaves the clipped (ellipsis) newest title out of the
    // rendered text, so the card is read from the DOM.
    app.wait_content(
        "[data-testid='card-fits']",
        |t| t.contains("Para ti: 2 convocatorias") && t.contains("Consumibles de impresión"),
        "the shop's card counts its two fitting tenders, the newest named",
    )
    .await;
    assert_eq!(
        app.count("[data-testid='card-fits']").await,
        1,
        "the smith has none"
    );
    app.wait_text(
        "[data-testid='fit-notices']",
        |t| {
            t.contains("Cierra el")
                && t.contains("Papelería La Estrella")
                && t.contains("Consumibles de impresión")
        },
        "the tender closing within 3 days is told",
    )
    .await;
    app.screenshot("fits-home").await;

    app.click("[data-testid='card-fits'] button").await;
    app.wait_text(
        "#tenders-tab-for_you[aria-selected='true']",
        |t| t == "Para ti",
        "Convocatorias opens on «Para ti»",
    )
    .await;
    let shop = "[data-testid='fit-group']:first-of-type";
    app.wait_text(
        &format!("{shop} li:first-child [data-testid='fit-row']"),
        |t| {
            t.contains("Consumibles de impresión")
                && t.contains(
                    "Tu actividad SCIAN 465311 coincide con la partida «Cartucho de tóner negro».",
                )
                && t.contains("Menciona «tóner», que tú ofreces.")
        },
        "the newest fit first, with its SCIAN and word reasons",
    )
    .await;
    app.wait_text(
        &format!("{shop} [data-testid='fit-row'][data-ocid='ocds-bj-2099-010']"),
        |t| {
            t.contains("Menciona «Papelería», que tú ofreces.")
                && t.contains("Menciona «oficina», que tú ofreces.")
        },
        "the other fit, by the words it mentions",
    )
    .await;
    assert_eq!(
        app.count("[data-testid='fit-row'][data-ocid='ocds-bj-2099-012']")
            .await,
        0
    );
    app.wait_text(
        "[data-testid='fit-group']:last-of-type",
        |t| t.contains("Herrería Ruiz") && t.contains("ninguna convocatoria vigente coincide"),
        "the smith is told nothing fits yet",
    )
    .await;
    app.screenshot("fits-para-ti").await;

    // The keyboard moves between the tabs.
    app.press("#tenders-tab-for_you", "\u{E012}").await;
    app.wait_focus("tenders-tab-all").await;
    app.find("#tender-search").await;
    app.press("#tenders-tab-all", "\u{E014}").await;
    app.wait_focus("tenders-tab-for_you").await;

    // A file with a new tender that fits: told as new, and listed first.
    app.click("#import-tenders").await;
    app.wait_text(
        "[data-testid='fit-notices']",
        |t| {
            t.contains(
                "Nueva para Papelería La Estrella: Útiles escolares y papelería para las escuelas",
            )
        },
        "the new fitting tender is told",
    )
    .await;
    app.wait_text(
        &format!("{shop} li:first-child [data-testid='fit-row']"),
        |t| t.contains("Útiles escolares y papelería") && t.contains("Menciona «Papelería»"),
        "the new tender first in «Para ti»",
    )
    .await;
    app.screenshot("fits-new").await;
    app.quit().await;
}
