//! The registration wizard in the real window: what a chamber operator does with a
//! persona moral, and that quitting mid-section loses nothing.
#![allow(clippy::unwrap_used)]

use ventanilla_core::rfc;
use ventanilla_tests::window::AppWindow;

fn moral_rfc() -> String {
    let body = "TLE080512K4";
    format!("{body}{}", rfc::check_digit(body).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn persona_moral_survives_a_restart_with_errors_shown_on_the_way() {
    let data = tempfile::tempdir().unwrap();
    let rfc = moral_rfc();

    let app = AppWindow::launch(data.path()).await;
    app.click("#new-business").await;
    app.click("#create-persona-moral").await;
    app.click("#create-confirm").await;

    // Identity: a malformed RFC is explained next to the field, then corrected.
    app.find("#field-rfc").await;
    app.type_into("#field-rfc", "tle-0805").await;
    app.wait_text(
        "#issue-rfc",
        |t| t.contains("RFC"),
        "an explanation of the malformed RFC",
    )
    .await;
    app.type_into("#field-rfc", &rfc.to_lowercase()).await;
    // Once the RFC is stored and reviewed ("guardado"), it has no issue; before
    // that, the field just cleared may show none either.
    app.find("[data-testid='save-state'][data-state='saved']")
        .await;
    app.wait_gone("#issue-rfc").await;

    // General data and the address, typed by keyboard only.
    app.click("#nav-general").await;
    app.type_into("#field-name", "Tortillería La Esperanza, S.A. de C.V.")
        .await;
    app.click("#nav-address").await;
    app.type_into("#field-street", "Av. Cuauhtémoc").await;
    app.type_into("#field-exterior_number", "1240").await;
    app.type_into("#field-neighborhood", "Santa Cruz Atoyac")
        .await;
    app.type_into("#field-postal_code", "03310").await;
    app.type_into("#field-municipality", "Benito Juárez").await;
    app.wait_text(
        "[data-testid='save-state']",
        |t| !t.is_empty(),
        "a save state",
    )
    .await;
    app.find("[data-testid='save-state'][data-state='saved']")
        .await;
    app.screenshot("wizard").await;
    app.quit().await;

    // Relaunch on the same data: the business and everything typed are there.
    let app = AppWindow::launch(data.path()).await;
    app.wait_text(
        "[data-testid='business-card']",
        |t| t.contains("Tortillería La Esperanza") && t.contains(&rfc),
        "the business with its name and RFC",
    )
    .await;
    app.screenshot("home").await;
    app.click("[data-testid='business-card'] button.open").await;
    assert_eq!(app.value("#field-rfc").await, rfc.to_lowercase());
    assert!(app
        .find("#field-persona-moral")
        .await
        .is_selected()
        .await
        .unwrap());
    app.click("#nav-general").await;
    assert_eq!(
        app.value("#field-name").await,
        "Tortillería La Esperanza, S.A. de C.V."
    );
    app.click("#nav-address").await;
    assert_eq!(app.value("#field-street").await, "Av. Cuauhtémoc");
    assert_eq!(app.value("#field-postal_code").await, "03310");
    assert_eq!(app.value("#field-municipality").await, "Benito Juárez");
    app.quit().await;
}
