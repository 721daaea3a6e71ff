//! Errors in the person's language: switched to English, the window tells what a
//! registration still lacks, a held submission's error and why a sync stopped in
//! English, each worded from the code and data Rust keeps, not from a stored sentence.
#![allow(clippy::unwrap_used)]

use ventanilla_core::{Failure, FailureCode, RegistrationDraft};
use ventanilla_store::Library;
use ventanilla_tests::fiel::{TestFiel, PASSWORD};
use ventanilla_tests::window::AppWindow;

#[tokio::test(flavor = "multi_thread")]
async fn in_english_readiness_outbox_and_sync_errors_are_english() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let (complete, incomplete) = {
        let library = Library::open(&data).unwrap();
        let complete = ventanilla_testkit::complete_business(&library, &files, 3, 300);
        let incomplete = library
            .create_business(&RegistrationDraft::default())
            .unwrap();
        (complete, incomplete)
    };
    let fiel = TestFiel::for_company(&ventanilla_testkit::rfc_for(3));
    fiel.remember_for(&data, &complete);

    let app = AppWindow::launch(&data).await;
    app.click("[data-testid='screen'] #locale-en").await;
    let card = |id: &str| format!("[data-testid='business-card'][data-id='{id}'] button.open");

    // What the empty registration lacks, in English.
    app.click(&card(&incomplete)).await;
    app.click("#nav-summary").await;
    app.wait_text(
        "[data-testid='submit-missing']",
        |t| {
            t.contains("Complete or correct the registration's data.")
                && t.contains("Say whether it is an individual")
                && !t.contains("completar")
        },
        "what the registration lacks, in English",
    )
    .await;
    app.screenshot("errors-readiness-en").await;

    // The complete one is signed and queued; then its receipt failed to verify, as the drain
    // leaves it.
    app.click("#go-home").await;
    app.click(&card(&complete)).await;
    app.click("#nav-summary").await;
    app.click("[data-action='submit-registration']").await;
    app.sign(PASSWORD).await;
    app.click("[data-action='open-sync']").await;
    app.find("li[data-state='queued']").await;
    {
        let library = Library::open(&data).unwrap();
        let business = library.open_business(&complete).unwrap();
        let item = business.outbox().unwrap().remove(0);
        let failure = Failure::from(FailureCode::ReceiptInvalid)
            .with_reason("reason", FailureCode::ReceiptSignature);
        business
            .hold_submission(&item.submission.id, &failure)
            .unwrap();
    }

    // No server is set: the sync stops, and says so in English; the held item's
    // error reads in English too.
    app.click("[data-action='sync-now']").await;
    app.wait_text(
        "[data-stopped='no_server']",
        |t| t.contains("server address is missing") && !t.contains("Falta"),
        "why the sync stopped, in English",
    )
    .await;
    app.wait_text(
        "li[data-state='needs_attention'] .reason",
        |t| {
            t.starts_with("The receipt could not be verified: its signature does not match")
                && !t.contains("firma")
        },
        "the held submission's error, in English",
    )
    .await;
    app.screenshot("errors-sync-en").await;

    // Back in Spanish, the same stored error reads in Spanish.
    app.click("[data-testid='screen'] #locale-es").await;
    app.wait_text(
        "li[data-state='needs_attention'] .reason",
        |t| t.starts_with("El acuse de recibo no pudo verificarse: su firma no corresponde"),
        "the held submission's error, in Spanish",
    )
    .await;
    app.quit().await;
}
