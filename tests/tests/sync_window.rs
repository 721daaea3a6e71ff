//! Offline first, in the real window: a complete registration is signed with the
//! business's e.firma and submitted with no server, shows as queued; the server comes up, the person creates an account in
//! Configuración and syncs, and the item shows as sent with its verified receipt. Then the server's signing key is
//! no longer the pinned one: the drain stops with the warning, and the person trusts
//! the new key only after confirming it.
#![allow(clippy::unwrap_used)]

use fantoccini::Locator;
use ventanilla_store::{Library, PinnedKey};
use ventanilla_testkit::Server;
use ventanilla_tests::fiel::{TestFiel, PASSWORD};
use ventanilla_tests::window::AppWindow;

#[tokio::test(flavor = "multi_thread")]
async fn a_registration_submitted_offline_is_sent_with_a_verified_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let id = {
        let library = Library::open(&data).unwrap();
        ventanilla_testkit::complete_business(&library, &files, 2, 400)
    };
    let fiel = TestFiel::for_company(&ventanilla_testkit::rfc_for(2));
    fiel.remember_for(&data, &id);

    let app = AppWindow::launch(&data).await;
    app.click("[data-testid='business-card'] button.open").await;
    app.click("#nav-summary").await;
    app.click("[data-action='submit-registration']").await;
    app.sign(PASSWORD).await;
    app.click("[data-action='open-sync']").await;
    app.find("li[data-state='queued']").await;
    app.screenshot("sync-queued").await;

    // The server comes up; create an account in Configuración, then sync.
    let server = Server::start(&dir.path().join("server"), None);
    app.click("#sync-back").await;
    app.click("#open-settings").await;
    // The version shown is the one the installers carry: the workspace's.
    app.wait_text(
        "[data-testid='app-version']",
        |t| t.contains(env!("CARGO_PKG_VERSION")),
        "the app's version in Configuración",
    )
    .await;
    app.create_supplier_account(
        &server.base(),
        "duena@ejemplo.mx",
        ventanilla_testkit::PASSWORD,
        &ventanilla_testkit::rfc_for(2),
    )
    .await;
    app.screenshot("settings").await;
    app.click("#settings-back").await;
    app.click("[data-action='open-sync']").await;
    app.click("[data-action='sync-now']").await;
    app.find("li[data-state='sent']").await;
    app.wait_text(
        "li[data-state='sent'] [data-verified='true']",
        |t| t.contains("Firma verificada"),
        "the receipt's verified signature",
    )
    .await;
    app.screenshot("sync-sent").await;

    // Seen from here, a rotated key and an impostor look alike: the pinned key is no
    // longer the one the server publishes.
    Library::open(&data)
        .unwrap()
        .pin_key(&PinnedKey {
            key_id: "0000000000000000".into(),
            public_key: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into(),
        })
        .unwrap();
    app.click("[data-action='sync-now']").await;
    app.wait_text(
        "[data-stopped='key_changed']",
        |t| t.contains("llave") && t.contains("Confirma el cambio con la alcaldía"),
        "the changed-key warning",
    )
    .await;
    app.click("#trust-key").await;
    app.screenshot("sync-key-changed").await;
    app.click("#trust-key-confirm").await;
    app.find("[data-key-trusted]").await;
    app.wait_gone("[data-stopped]").await;
    // A drain with the trusted key goes through without a stop.
    app.click("[data-action='sync-now']").await;
    app.find("[data-action='sync-now']:not([disabled])").await;
    assert!(app
        .client
        .find(Locator::Css("[data-stopped]"))
        .await
        .is_err());
    app.quit().await;
    let pinned = Library::open(&data).unwrap().pinned_key().unwrap().unwrap();
    assert_ne!(pinned.key_id, "0000000000000000");
    assert_eq!(server.count("SELECT count(*) FROM registration"), 1);
}
