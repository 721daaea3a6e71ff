//! Offline first, in the real window: a complete registration is submitted with no
//! server, shows as queued; the server comes up, the person signs in and syncs, and
//! the item shows as sent with its verified receipt.
#![allow(clippy::unwrap_used)]

#[path = "../../src-tauri/crates/sync/tests/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use support::Server;
use ventanilla_store::Library;
use ventanilla_tests::window::AppWindow;

#[tokio::test(flavor = "multi_thread")]
async fn a_registration_submitted_offline_is_sent_with_a_verified_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    {
        let library = Library::open(&data).unwrap();
        ventanilla_sync::testing::complete_business(&library, &files, 2, 400);
    }

    let app = AppWindow::launch(&data).await;
    app.click("[data-testid='business-card'] button.open").await;
    app.click("#nav-summary").await;
    app.click("[data-action='submit-registration']").await;
    app.click("[data-action='open-sync']").await;
    app.find("li[data-state='queued']").await;
    app.screenshot("sync-queued").await;

    // The server comes up; create an account and sync.
    let server = Server::start(&dir.path().join("server"), None);
    app.type_into("input[name='url']", &server.base()).await;
    app.type_into("input[name='email']", "duena@ejemplo.mx")
        .await;
    app.type_into("input[name='password']", support::PASSWORD)
        .await;
    app.click("input[name='create']").await;
    app.type_into("input[name='rfc']", &ventanilla_sync::testing::rfc_for(2))
        .await;
    app.click("form.server button[type='submit']").await;
    app.find("[data-signed-in='true']").await;
    app.click("[data-action='sync-now']").await;
    app.find("li[data-state='sent']").await;
    app.wait_text(
        "li[data-state='sent'] [data-verified='true']",
        |t| t.contains("Firma verificada"),
        "the receipt's verified signature",
    )
    .await;
    app.screenshot("sync-sent").await;
    app.quit().await;
    assert_eq!(server.count("SELECT count(*) FROM registration"), 1);
}
