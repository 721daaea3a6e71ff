//! A bid from start to receipt in the real window, offline first: the tenders the
//! alcaldía published are imported from a file (as a chamber hands them out), the
//! owner signs and sends the registration and prepares a bid with no server in reach; the
//! review names the document the tender asks for beyond the registration, which is
//! attached from the bid itself; both wait in the queue. The server comes back, the
//! owner signs in and syncs, and the bid shows as sent with its verified receipt,
//! recorded once on the server with the total the owner saw.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use chrono::Utc;
use ventanilla_core::checklist::mexico_city_today;
use ventanilla_store::{Library, StatusFilter, TenderQuery, TenderSource};
use ventanilla_testkit::fixtures;
use ventanilla_testkit::Server;
use ventanilla_tests::fiel::{TestFiel, PASSWORD};
use ventanilla_tests::window::AppWindow;

/// The sandbox's published tenders, saved to `file` while the server runs.
async fn download_tenders(server: &Server, file: &std::path::Path) {
    let body = reqwest::get(format!("{}/v1/tenders", server.base()))
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .await
        .unwrap();
    std::fs::write(file, body).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bid_prepared_offline_is_delivered_with_a_verified_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let package = files.join("convocatorias.json");
    {
        let server = Server::start(&dir.path().join("server"), None);
        download_tenders(&server, &package).await;
    }
    // The open tender with the latest deadline, and its items, read the way the app
    // reads the file.
    let scratch = tempfile::tempdir().unwrap();
    let reader = Library::open(scratch.path()).unwrap();
    reader
        .import_tenders(
            std::fs::File::open(&package).unwrap(),
            &TenderSource::File(package.display().to_string()),
        )
        .unwrap();
    let open = TenderQuery {
        status: Some(StatusFilter::Open),
        ..TenderQuery::default()
    };
    let latest = reader
        .search_tenders(&open, Utc::now())
        .unwrap()
        .into_iter()
        .max_by_key(|t| t.deadline)
        .unwrap();
    let tender = reader.tender(&latest.ocid).unwrap().unwrap();
    let id = {
        let library = Library::open(&data).unwrap();
        ventanilla_testkit::complete_business(&library, &files, 4, 400)
    };
    let fiel = TestFiel::for_company(&ventanilla_testkit::rfc_for(4));
    fiel.remember_for(&data, &id);
    // Asked by a licitación, not by the registration.
    let statements = files.join("Estados financieros 2025.pdf");
    std::fs::write(&statements, fixtures::one_page_pdf(77, 2_000)).unwrap();
    let today = mexico_city_today(Utc::now()).format("%d/%m/%Y").to_string();
    // The tender dialog takes the JSON file, the document dialog the PDF.
    let picks = std::env::join_paths([&package, &statements]).unwrap();

    let app = AppWindow::launch_with(&data, &[("VENTANILLA_PICK_FILE", Path::new(&picks))]).await;
    app.click("[data-testid='business-card'] button.open").await;
    app.click("#nav-summary").await;
    app.click("[data-action='submit-registration']").await;
    app.sign(PASSWORD).await;
    app.click("#go-home").await;

    app.click("#open-tenders").await;
    app.click("#import-tenders").await;
    app.click(&format!(
        "[data-testid='tender-row'][data-ocid='{}']",
        tender.ocid
    ))
    .await;
    app.click("#prepare-bid").await;
    app.click(".choices button.choice").await;
    app.find("#bid-title").await;

    app.click("#bid-tab-technical").await;
    for item in &tender.items {
        app.type_into(&format!("#bid-{}-offered", item.id), "Nuevo, con factura")
            .await;
        app.type_into(&format!("#bid-{}-delivery", item.id), "10 días hábiles")
            .await;
    }
    app.click("#bid-tab-economic").await;
    for item in &tender.items {
        app.type_into(&format!("#bid-{}-unit_price", item.id), "1,234.50")
            .await;
        if item.quantity.is_none() {
            app.type_into(&format!("#bid-{}-quantity", item.id), "3")
                .await;
        }
    }
    app.wait_text("#bid-total", |t| t.ends_with(" MXN"), "the bid's total")
        .await;
    let total = app.text("#bid-total").await;
    app.click("#bid-tab-declarations").await;
    for declaration in ["no_impediment", "no_conflict_of_interest", "mipyme_size"] {
        // The last one sits below the tab's fold, and WebKitGTK's driver scrolls only
        // the document, not the tab's own pane.
        let checkbox = format!("#bid-declaration-{declaration}");
        app.scroll_to(&checkbox).await;
        app.click(&checkbox).await;
    }
    app.click("#bid-tab-review").await;
    app.find("[data-testid='bid-review'] li[data-code]").await;
    assert!(
        app.text("[data-testid='bid-review']")
            .await
            .contains("Estados financieros"),
        "the review names the missing document"
    );
    app.screenshot("bid-offline-missing").await;

    // From the bid to the document, in the checklist of a licitación, and back.
    app.click("#bid-tab-documents").await;
    app.click("#bid-attach-EDOS_FIN").await;
    app.wait_focus("attach-EDOS_FIN").await;
    assert_eq!(app.value("#checklist-procedure").await, "licitacion");
    app.type_into("#issued-EDOS_FIN", &today).await;
    app.click("#attach-EDOS_FIN").await;
    app.find("[data-testid='checklist-item'][data-code='EDOS_FIN'][data-status='attached']")
        .await;
    app.screenshot("bid-offline-attached").await;
    app.click("#tab-bids").await;
    app.click("#bid-tab-review").await;
    app.click("#bid-submit").await;
    app.sign(PASSWORD).await;
    app.find("#bid-queued").await;
    app.screenshot("bid-offline-queued").await;

    // Both wait in the queue: the registration first, then the bid that relies on it.
    app.click("[data-action='open-sync']").await;
    app.find("li[data-kind='registration'][data-state='queued']")
        .await;
    app.find("li[data-kind='bid'][data-state='queued']").await;
    app.screenshot("bid-offline-sync-queued").await;

    let server = Server::start(&dir.path().join("server"), None);
    app.create_supplier_account(
        &server.base(),
        "papeleria@ejemplo.mx",
        ventanilla_testkit::PASSWORD,
        &ventanilla_testkit::rfc_for(4),
    )
    .await;
    app.click("[data-action='sync-now']").await;
    app.wait_text(
        "li[data-kind='bid'][data-state='sent'] [data-verified='true']",
        |t| t.contains("Firma verificada"),
        "the bid's receipt with its verified signature",
    )
    .await;
    app.find("li[data-kind='registration'][data-state='sent']")
        .await;
    app.screenshot("bid-offline-sent").await;
    app.quit().await;

    assert_eq!(server.count("SELECT count(*) FROM registration"), 1);
    assert_eq!(server.count("SELECT count(*) FROM bid"), 1);
    // The alcaldía holds the total the owner saw, to the centavo.
    let conn = rusqlite::Connection::open(server.dir.join("server.db")).unwrap();
    let (ocid, amount): (String, String) = conn
        .query_row("SELECT ocid, amount FROM bid", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(ocid, tender.ocid);
    let shown = total.trim_start_matches('$').trim_end_matches(" MXN");
    assert_eq!(amount, shown.replace(',', ""), "shown {total}");
}
