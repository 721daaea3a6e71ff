//! The home screen in the real window when the disk is not as it should be: one
//! damaged business among healthy ones, and a data folder that cannot be used.
#![allow(clippy::unwrap_used)]

use ventanilla_core::{Field, Locale, RegistrationDraft};
use ventanilla_store::{damage_message, Library, StoreError};
use ventanilla_tests::window::AppWindow;

fn named(name: &str) -> RegistrationDraft {
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Name, name.into());
    draft
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_business_is_marked_and_the_others_still_open() {
    let data = tempfile::tempdir().unwrap();
    let library = Library::open(data.path()).unwrap();
    let healthy = library.create_business(&named("Papelería Sana")).unwrap();
    let broken = library.create_business(&named("Ferretería Rota")).unwrap();
    drop(library);
    let broken_db = data
        .path()
        .join("businesses")
        .join(&broken)
        .join("business.db");
    std::fs::write(broken_db, b"scribbled over by a failing disk").unwrap();

    let app = AppWindow::launch(data.path()).await;
    let damaged = format!("[data-testid='business-card'][data-id='{broken}']");
    app.find(&format!("{damaged}[data-health='damaged']")).await;
    app.wait_text(
        &damaged,
        |t| t.contains(&damage_message(Locale::Es)),
        "the damage explained",
    )
    .await;
    app.wait_gone(&format!("{damaged} button.open")).await;
    app.screenshot("home-damaged").await;

    app.click(&format!(
        "[data-testid='business-card'][data-id='{healthy}'] button.open"
    ))
    .await;
    app.type_into("#field-rfc", "EKU9003173C9").await;
    app.find("[data-testid='save-state'][data-state='saved']")
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_data_folder_that_cannot_be_used_is_explained_instead_of_crashing() {
    let scratch = tempfile::tempdir().unwrap();
    let not_a_folder = scratch.path().join("datos");
    std::fs::write(&not_a_folder, b"a file where the data folder should be").unwrap();
    let expected = Library::open(&not_a_folder).err().unwrap();
    assert!(matches!(expected, StoreError::DataDirUnwritable { .. }));

    let app = AppWindow::launch(&not_a_folder).await;
    app.wait_text(
        ".failed",
        |t| t.contains(&expected.message(Locale::Es)),
        "the reason shown",
    )
    .await;
    app.quit().await;
}
