//! The wizard by keyboard alone in the real window: a persona física from the home
//! screen to the summary, the jump from the summary to a field, the language switch,
//! and deleting with confirmation.
#![allow(clippy::unwrap_used)]

use ventanilla_core::{curp, rfc, Code, Locale};
use ventanilla_tests::window::AppWindow;

const ENTER: &str = "\u{E007}";
const SPACE: &str = " ";
const ESCAPE: &str = "\u{E00C}";
const TAB: &str = "\u{E004}";
const BACKSPACE: &str = "\u{E003}";
/// Alt held, → pressed, then every modifier released.
const ALT_RIGHT: &str = "\u{E00A}\u{E014}\u{E000}";

fn fisica_identifiers() -> (String, String) {
    let rfc_body = "PEMJ800101AB";
    let rfc = format!("{rfc_body}{}", rfc::check_digit(rfc_body).unwrap());
    let curp_body = "PEMJ800101HDFRRN0";
    let curp = format!("{curp_body}{}", curp::check_digit(curp_body).unwrap());
    (rfc, curp)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_persona_fisica_by_keyboard_from_home_to_summary_then_deleted() {
    let data = tempfile::tempdir().unwrap();
    let (rfc, curp) = fisica_identifiers();
    let app = AppWindow::launch(data.path()).await;
    app.find("[data-testid='home-empty']").await;
    app.screenshot("home-empty").await;

    app.press("#new-business", ENTER).await;
    app.press("#create-persona-fisica", SPACE).await;
    assert!(app
        .find("#create-persona-fisica")
        .await
        .is_selected()
        .await
        .unwrap());
    app.press("#create-name", "Juana Pérez Martínez").await;
    app.press("#create-confirm", ENTER).await;

    // The wizard opens on identity with the cursor in its first field.
    app.find("#field-rfc").await;
    app.press("#field-rfc", &rfc).await;

    // Alt+→ moves to the next section and focuses its first field.
    app.press("#field-rfc", ALT_RIGHT).await;
    app.wait_focus("field-name").await;
    assert_eq!(app.value("#field-name").await, "Juana Pérez Martínez");
    app.press("#field-curp", &curp).await;
    // Once the CURP is stored and reviewed ("guardado"), it has no issue.
    app.find("[data-testid='save-state'][data-state='saved']")
        .await;
    app.wait_gone("#issue-curp").await;

    // The sales are shown back as core reads them; a decimal comma is not read at all.
    app.press("#nav-activity", ENTER).await;
    app.press("#field-annual_sales", "2500000").await;
    app.wait_text(
        "[data-testid='sales-preview']",
        |t| t.contains("$2,500,000.00 MXN"),
        "core's reading of the sales",
    )
    .await;
    app.screenshot("sales-preview").await;
    app.type_into("#field-annual_sales", "2,50").await;
    app.wait_gone("[data-testid='sales-preview']").await;
    app.find("#issue-annual_sales").await;

    // The summary lists what is missing; its entry takes the cursor to the field.
    app.press("#nav-summary", ENTER).await;
    app.find("[data-testid='summary-pending']").await;
    app.screenshot("summary").await;
    app.press("button[data-field='email']", ENTER).await;
    app.wait_focus("field-email").await;

    // A wrong e-mail is explained next to the field, in English after switching.
    app.press("#field-email", "juana@").await;
    app.wait_text(
        "#issue-email",
        |t| t == Code::EmailShape.message(Locale::Es),
        "the Spanish message",
    )
    .await;
    app.press("#locale-en", ENTER).await;
    app.wait_text(
        "#issue-email",
        |t| t == Code::EmailShape.message(Locale::En),
        "the English message",
    )
    .await;
    app.press("#locale-es", ENTER).await;
    app.wait_text(
        "#issue-email",
        |t| t == Code::EmailShape.message(Locale::Es),
        "Spanish again",
    )
    .await;
    app.find("[data-testid='save-state'][data-state='saved']")
        .await;

    // Back home: deleting asks first; Escape keeps the business, confirming removes it.
    app.press("#go-home", ENTER).await;
    app.wait_text(
        "[data-testid='business-card']",
        |t| t.contains("Juana Pérez Martínez"),
        "the card",
    )
    .await;
    app.press("[data-testid='business-card'] button[data-more]", ENTER)
        .await;
    app.press("[data-testid='business-card'] button[data-delete]", ENTER)
        .await;
    app.wait_text(
        "#delete-title",
        |t| t.contains("Juana Pérez Martínez"),
        "the name in the question",
    )
    .await;
    app.press("#delete-cancel", ESCAPE).await;
    app.wait_gone("#delete-confirm").await;
    app.find("[data-testid='business-card']").await;
    app.press("[data-testid='business-card'] button[data-more]", ENTER)
        .await;
    app.press("[data-testid='business-card'] button[data-delete]", ENTER)
        .await;
    app.press("#delete-confirm", ENTER).await;
    app.find("[data-testid='home-empty']").await;
    assert!(!data
        .path()
        .join("businesses")
        .read_dir()
        .unwrap()
        .any(|_| true));
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_persona_moral_needs_a_representative_whose_curp_is_checked() {
    let data = tempfile::tempdir().unwrap();
    let app = AppWindow::launch(data.path()).await;
    app.press("#new-business", ENTER).await;
    app.press("#create-persona-moral", SPACE).await;
    app.press("#create-confirm", ENTER).await;
    app.press("#nav-representatives", ENTER).await;
    app.press("#nav-summary", ENTER).await;
    app.find("button[data-field='representatives']").await;

    app.press("#nav-representatives", ENTER).await;
    app.press("#rep-add", ENTER).await;
    app.wait_focus("rep-0-name").await;
    app.press("#rep-0-name", "Ana Ñúñez Peña").await;
    app.press("#rep-0-curp", "NUPA800101MDFXXN0").await;
    app.wait_text(
        "#issue-rep-0-curp",
        |t| t == Code::CurpLength.message(Locale::Es),
        "the length error",
    )
    .await;
    app.screenshot("representatives").await;
    app.find("[data-testid='save-state'][data-state='saved']")
        .await;
    app.quit().await;

    let app = AppWindow::launch(data.path()).await;
    app.press("[data-testid='business-card'] button.open", ENTER)
        .await;
    app.press("#nav-representatives", ENTER).await;
    assert_eq!(app.value("#rep-0-name").await, "Ana Ñúñez Peña");
    assert_eq!(app.value("#rep-0-curp").await, "NUPA800101MDFXXN0");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn focus_alone_shows_no_error_and_the_review_says_once_per_section_what_is_missing() {
    let data = tempfile::tempdir().unwrap();
    let app = AppWindow::launch(data.path()).await;
    app.press("#new-business", ENTER).await;
    app.press("#create-persona-moral", SPACE).await;
    app.press("#create-confirm", ENTER).await;
    let required = Code::Required.message(Locale::Es);

    // Tabbing through the empty RFC is not a touch: no message, not marked wrong.
    app.wait_focus("field-persona-moral").await;
    app.press("#field-persona-moral", TAB).await;
    app.wait_focus("field-rfc").await;
    app.press("#field-rfc", TAB).await;
    app.wait_focus("wizard-next").await;
    assert_eq!(app.count("#issue-rfc").await, 0);
    assert_eq!(app.count("#field-rfc[aria-invalid]").await, 0);
    // Typed, erased and left: now it is told to be required.
    app.press("#field-rfc", "x").await;
    app.press("#field-rfc", BACKSPACE).await;
    app.press("#field-rfc", TAB).await;
    app.wait_text("#issue-rfc", |t| t == required, "the required message")
        .await;

    // One count of steps: seven sections, in the heading and in the navigation. The
    // heading's kicker is shown in capitals, and the driver reads it as shown.
    app.press("#nav-address", ENTER).await;
    app.wait_text(
        "[data-testid='step-count']",
        |t| t.to_lowercase() == "paso 3 de 7",
        "step 3 of 7",
    )
    .await;
    app.wait_text(
        "[data-testid='progress']",
        |t| t == "0 de 7 secciones completas",
        "none of seven sections complete",
    )
    .await;
    // The cursor in the street is no touch either; "Siguiente" is: back on the
    // address, its empty fields say so.
    app.wait_focus("field-street").await;
    app.press("#field-street", TAB).await;
    app.wait_focus("field-exterior_number").await;
    assert_eq!(app.count("#issue-street").await, 0);
    app.press("#wizard-next", ENTER).await;
    app.wait_focus("field-email").await;
    app.press("#wizard-prev", ENTER).await;
    app.wait_text("#issue-street", |t| t == required, "the street required")
        .await;
    app.screenshot("address-after-next").await;

    // The review: what is missing in a section is one sentence, for all seven sections.
    app.press("#nav-summary", ENTER).await;
    app.find("[data-testid='summary-pending']").await;
    app.wait_text(
        "[data-testid='step-count']",
        |t| t.to_lowercase() == "para terminar",
        "no step number on the review",
    )
    .await;
    let sections = [
        "identity",
        "general",
        "address",
        "contact",
        "representatives",
        "activity",
        "bank",
    ];
    for section in sections {
        let css = format!("section[data-section='{section}'] li");
        assert_eq!(app.count(&css).await, 1, "{section}: one line");
    }
    assert_eq!(app.count("[data-testid='summary-missing']").await, 7);
    assert_eq!(
        app.text("section[data-section='address'] [data-testid='summary-missing'] .where")
            .await,
        "Faltan 6 datos: Calle, Número exterior, Colonia, Código postal, Alcaldía o municipio y Entidad federativa.",
    );

    // "Enviar registro" comes right after the list, before the way back home; what it
    // lacks is listed starting with a capital.
    app.wait_text(
        "[data-testid='submit-missing'] li",
        |t| t.chars().next().is_some_and(char::is_uppercase),
        "a capital first",
    )
    .await;
    let (_, list_end) = app.edges("section[data-section='bank']").await;
    let (submit_top, _) = app.edges("[data-action='submit-registration']").await;
    let (home_top, _) = app.edges("#summary-home").await;
    assert!(list_end < submit_top && submit_top < home_top);
    app.screenshot("summary-grouped").await;

    // Its sentence leads to the first missing field, each of them now told.
    app.press(
        "section[data-section='address'] [data-testid='summary-missing']",
        ENTER,
    )
    .await;
    app.wait_focus("field-street").await;
    app.wait_text(
        "#issue-neighborhood",
        |t| t == required,
        "the neighborhood required",
    )
    .await;
    app.quit().await;
}
