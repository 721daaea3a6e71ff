//! A bid signed with the business's e.firma in the real window: "Firmar y enviar" asks
//! for the `.cer` and the `.key` (the system's dialogs), shows whose certificate it is
//! before anything is signed, refuses a wrong password in plain Spanish at the password
//! field with everything chosen and typed still there, then signs; the bid goes out
//! and its receipt names the signer and the certificate number. The business
//! remembers where the files are, and nothing is left in the outbox unsigned.
#![allow(clippy::unwrap_used)]

use ventanilla_testkit as support;

use std::path::Path;

use chrono::Utc;
use support::Server;
use ventanilla_core::bid::{Declaration, ItemField};
use ventanilla_core::checklist::mexico_city_today;
use ventanilla_desk::outbox::{sign_in, SignInForm};
use ventanilla_desk::Desk;
use ventanilla_efirma::Credentials;
use ventanilla_store::{Library, StatusFilter, TenderQuery, TenderSource};
use ventanilla_testkit::fixtures;
use ventanilla_testkit::{complete_business, rfc_for};
use ventanilla_tests::fiel::{TestFiel, PASSWORD};
use ventanilla_tests::window::AppWindow;

/// Business 6, registered (its registration signed and queued ahead of the bid),
/// signed in to `server`, with a complete bid on the open tender with the latest
/// deadline; the bid's id.
async fn business_with_a_complete_bid(
    server: &Server,
    data: &Path,
    files: &Path,
    fiel: &TestFiel,
) -> (String, ventanilla_desk::ids::BidId) {
    let tenders = files.join("convocatorias.json");
    let body = reqwest::get(format!("{}/v1/tenders", server.base()))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    std::fs::write(&tenders, body).unwrap();
    let library = Library::open(data).unwrap();
    library
        .import_tenders(
            std::fs::File::open(&tenders).unwrap(),
            &TenderSource::File(tenders.display().to_string()),
        )
        .unwrap();
    let open = TenderQuery {
        status: Some(StatusFilter::Open),
        ..TenderQuery::default()
    };
    let ocid = library
        .search_tenders(&open, Utc::now())
        .unwrap()
        .into_iter()
        .max_by_key(|t| t.deadline)
        .unwrap()
        .ocid;
    let id = complete_business(&library, files, 6, 400);
    // Signed as the app signs, but without the business remembering the files: the
    // window is where the owner chooses them.
    let (certificate, key) = (fiel.issued.cer_bytes(), fiel.issued.key_bytes());
    let credentials = Credentials {
        certificate: &certificate,
        key: &key,
        password: PASSWORD.as_bytes(),
    };
    ventanilla_sync::queue_registration(
        &library,
        &id,
        mexico_city_today(Utc::now()),
        Some(&credentials),
    )
    .unwrap();
    drop(library);

    let mut desk = Desk::open(data.to_path_buf());
    let bid = desk.prepare_bid(&id, &ocid).unwrap();
    for item in &bid.items {
        let mut fields = vec![
            (ItemField::Offered, "Papel bond carta, con factura"),
            (ItemField::Delivery, "10 días hábiles"),
            (ItemField::UnitPrice, "1,234.50"),
        ];
        if item.quantity.is_none() {
            fields.push((ItemField::Quantity, "3"));
        }
        for (field, value) in fields {
            desk.set_bid_item_field(&id, &bid.id, &item.id, field, value)
                .unwrap();
        }
    }
    for &declaration in Declaration::all() {
        desk.set_bid_declaration(&id, &bid.id, declaration, true)
            .unwrap();
    }
    // What the tender asks for beyond the registration's documents.
    let today = mexico_city_today(Utc::now()).format("%Y-%m-%d").to_string();
    for (n, document) in bid
        .documents
        .iter()
        .filter(|d| d.required && !d.ready)
        .enumerate()
    {
        let pdf = files.join(format!("{}.pdf", document.code));
        std::fs::write(&pdf, fixtures::one_page_pdf(500 + n as u64, 1_000)).unwrap();
        desk.attach_document(
            &id,
            &document.code,
            document.representative.as_deref(),
            &pdf,
            Some(&today),
            None,
            bid.procedure,
            &mut |_, _| true,
        )
        .unwrap();
    }
    let ready = desk.open_bid(&id, &bid.id).unwrap();
    assert!(ready.ready, "{:?}", ready.issues);
    // The desk's network calls run their own runtime, so off this test's.
    let form = SignInForm {
        url: server.base(),
        email: "firma@ejemplo.mx".into(),
        password: support::PASSWORD.into(),
        create: true,
        operator: false,
        rfc: Some(rfc_for(6)),
        handover: None,
    };
    let folder = data.to_path_buf();
    std::thread::spawn(move || sign_in(&folder, form))
        .join()
        .unwrap()
        .unwrap();
    (id, bid.id)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bid_is_signed_with_the_fiel_chosen_in_the_window_and_sent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let server = Server::start(&dir.path().join("server"), None);
    let fiel = TestFiel::for_company(&rfc_for(6));
    let (id, bid) = business_with_a_complete_bid(&server, &data, &files, &fiel).await;

    // The .cer dialog takes the certificate, the .key dialog the key.
    let picks = std::env::join_paths([&fiel.issued.cer, &fiel.issued.key]).unwrap();
    let app = AppWindow::launch_with(&data, &[("VENTANILLA_PICK_FILE", Path::new(&picks))]).await;
    app.click("[data-testid='business-card'] button.open").await;
    app.click("#tab-bids").await;
    app.click(&format!("button.bid-open[data-bid='{bid}']"))
        .await;
    app.click("#bid-tab-review").await;
    app.click("#bid-submit").await;

    // Nothing chosen yet: the focus is on choosing the certificate.
    app.find("[data-testid='sign-dialog']").await;
    app.wait_content(
        "[data-testid='sign-certificate-name']",
        |t| t == "Sin elegir",
        "no certificate chosen yet",
    )
    .await;
    app.wait_focus("sign-choose-certificate").await;
    app.screenshot("sign-empty").await;

    // The certificate's facts, before anything is signed.
    app.click("#sign-choose-certificate").await;
    app.wait_content(
        "[data-fact='holder']",
        |t| t == "OÑORO & ASOCIADOS SA DE CV",
        "the holder, Ñ and & as SAT writes them",
    )
    .await;
    let window = &app;
    let content =
        move |css: &'static str| async move { window.content(css).await.unwrap_or_default() };
    assert_eq!(content("[data-fact='rfc']").await, rfc_for(6));
    assert_eq!(
        content("[data-fact='certificate_number']").await,
        fiel.issued.certificate_number
    );
    assert!(content("[data-fact='not_after']").await.contains('/'));
    app.click("#sign-choose-key").await;
    app.wait_content(
        "[data-testid='sign-key-name']",
        |t| t == "private.key",
        "the key file's name",
    )
    .await;
    app.screenshot("sign-facts").await;

    // A wrong password: said at the password, selected to retype; nothing else lost.
    app.type_into("#sign-password", "contraseña del portal")
        .await;
    app.click("#sign-confirm").await;
    app.wait_content(
        "[data-testid='sign-problem'][data-input='password']",
        |t| t.contains("La contraseña de la llave privada no es correcta"),
        "the wrong-password message",
    )
    .await;
    app.wait_focus("sign-password").await;
    assert_eq!(app.value("#sign-password").await, "contraseña del portal");
    assert_eq!(
        content("[data-testid='sign-certificate-name']").await,
        "certificate.cer"
    );
    assert_eq!(
        content("[data-fact='holder']").await,
        "OÑORO & ASOCIADOS SA DE CV"
    );
    app.screenshot("sign-wrong-password").await;
    let outbox = || {
        Library::open(&data)
            .unwrap()
            .open_business(&id)
            .unwrap()
            .outbox()
            .unwrap()
    };
    assert_eq!(
        outbox().len(),
        1,
        "only the registration: the bid was not queued"
    );

    // The right one, and Enter: signed and queued.
    app.type_into("#sign-password", PASSWORD).await;
    app.press("#sign-password", "\u{E007}").await;
    app.wait_gone("[data-testid='sign-dialog']").await;
    app.find("#bid-queued").await;

    app.click("[data-action='open-sync']").await;
    app.click("[data-action='sync-now']").await;
    app.wait_text(
        "li[data-kind='bid'][data-state='sent'] [data-testid='receipt-signer']",
        |t| t == "OÑORO & ASOCIADOS SA DE CV",
        "the bid's receipt naming its signer",
    )
    .await;
    assert_eq!(
        app.text("li[data-kind='bid'] [data-testid='receipt-certificate']")
            .await,
        fiel.issued.certificate_number
    );
    app.screenshot("sign-sent").await;
    app.quit().await;

    // Every submission went out signed, over its exact snapshot, and the business
    // remembers the files it was signed with.
    for item in outbox() {
        let p7s = item.submission.signature.expect("signed");
        let verified =
            ventanilla_efirma::verify_detached(item.submission.snapshot.as_bytes(), &p7s).unwrap();
        assert_eq!(verified.signer.facts().rfc, rfc_for(6));
    }
    let remembered = Library::open(&data)
        .unwrap()
        .open_business(&id)
        .unwrap()
        .fiel()
        .unwrap();
    assert_eq!(
        remembered.certificate.as_deref(),
        Some(fiel.issued.cer.as_path())
    );
    assert_eq!(remembered.key.as_deref(), Some(fiel.issued.key.as_path()));
    assert_eq!(
        server.count("SELECT count(*) FROM bid WHERE efirma IS NOT NULL"),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fiel_expiring_within_thirty_days_is_warned_on_the_home_card_and_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let id = complete_business(&Library::open(&data).unwrap(), &files, 7, 200);
    let now = Utc::now();
    let ca = ventanilla_testkit::efirma::TestCa::new();
    let soon = ca.issue(&ventanilla_testkit::efirma::Spec {
        unique_identifier: rfc_for(7),
        ..ventanilla_testkit::efirma::Spec::fisica().valid(
            now - chrono::Duration::days(700),
            now + chrono::Duration::days(20),
        )
    });
    let mut desk = Desk::open(data.clone());
    desk.set_fiel_file(&id, ventanilla_desk::fiel::FielFile::Certificate, &soon.cer)
        .unwrap();
    desk.set_fiel_file(&id, ventanilla_desk::fiel::FielFile::Key, &soon.key)
        .unwrap();
    drop(desk);

    let app = AppWindow::launch(&data).await;
    let days = |t: &str| {
        t.starts_with("Tu e.firma vence en ")
            && ["19 días", "20 días", "21 días"]
                .iter()
                .any(|d| t.contains(d))
    };
    app.wait_text(
        "[data-testid='business-card'] [data-testid='fiel-renewal']",
        days,
        "the home card's renewal warning",
    )
    .await;
    app.screenshot("fiel-renewal-home").await;
    app.click("[data-testid='business-card'] button.open").await;
    app.wait_text(
        ".topbar [data-testid='fiel-renewal']",
        days,
        "the workspace's renewal warning",
    )
    .await;
    app.screenshot("fiel-renewal-workspace").await;
    app.quit().await;
}
