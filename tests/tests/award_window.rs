//! The award (fallo) in the real window: a business's registration and bid reach the
//! alcaldía, which awards the tender to that bid (the `award` command's own function,
//! run as if the bids had been opened); the next sync brings the result, which the
//! tender page, the bid and the home card show, with the amount.
#![allow(clippy::unwrap_used)]

use chrono::Duration;
use ventanilla_server::admin::{self, Decision, ServerData};
use ventanilla_store::OutboxState;
use ventanilla_testkit::Server;
use ventanilla_tests::window::AppWindow;

#[tokio::test(flavor = "multi_thread")]
async fn the_award_to_the_owners_bid_shows_on_the_tender_the_bid_and_the_home_card() {
    let dir = tempfile::tempdir().unwrap();
    let (library, id, _) = ventanilla_testkit::queued_registration(dir.path(), 7, 200);
    let data = dir.path().join("data");
    // The server's clock moves to the opening of the bids once the bid is in.
    let server = Server::start(&dir.path().join("server"), Some(chrono::Utc::now()));

    let app = AppWindow::launch(&data).await;
    app.click("[data-action='open-sync']").await;
    app.create_supplier_account(
        &server.base(),
        "imprenta@ejemplo.mx",
        ventanilla_testkit::PASSWORD,
        &ventanilla_testkit::rfc_for(7),
    )
    .await;
    app.click("[data-action='sync-now']").await;
    app.find("li[data-kind='registration'][data-state='sent']")
        .await;

    // The owner's bid, prepared and queued as the bid page does, sent by the window.
    let tender = ventanilla_testkit::open_tender(&library);
    let business = library.open_business(&id).unwrap();
    let frozen = ventanilla_testkit::ready_bid(&library, &business, &tender);
    let bid = frozen.submission_id.clone();
    let total = ventanilla_core::money::format_mxn(frozen.total);
    ventanilla_sync::queue_bid(&library, &id, &business, frozen, None).unwrap();
    app.click("[data-action='sync-now']").await;
    app.find("li[data-kind='bid'][data-state='sent']").await;
    assert_eq!(business.outbox_item(&bid).unwrap().state, OutboxState::Sent);

    let decided = tender
        .opening
        .expect("the sandbox tender has an opening time")
        + Duration::minutes(5);
    server.set_clock(decided);
    admin::award(
        ServerData::folder(&server.dir),
        &tender.ocid,
        &Decision::Bid(bid.clone()),
        decided,
    )
    .unwrap();
    app.click("[data-action='sync-now']").await;
    app.click("#sync-back").await;

    let won = format!("Ganó: {}", tender.title);
    app.wait_text(
        "[data-testid='card-won']",
        |t| t == won,
        "the home card says the business won",
    )
    .await;
    app.screenshot("award-home").await;

    app.click("#open-tenders").await;
    // Awarded, it is no longer among the open ones the list starts with.
    app.click("#tender-status option[value='']").await;
    app.click(&format!(
        "[data-testid='tender-row'][data-ocid='{}']",
        tender.ocid
    ))
    .await;
    app.scroll_to("[data-testid='tender-award']").await;
    let rfc = ventanilla_testkit::rfc_for(7);
    app.wait_text(
        "[data-testid='tender-award'][data-status='won'] .award-result",
        |t| t == format!("Ganó {rfc} por {total}."),
        "the tender names the winner and the amount",
    )
    .await;
    app.screenshot("award-tender").await;
    app.click("#tender-back").await;
    app.click("#tenders-home").await;

    app.click("[data-testid='business-card'] button.open").await;
    app.click("#tab-bids").await;
    app.wait_text(
        "[data-testid='bid-result'][data-outcome='won']",
        |t| t.starts_with("Ganó") && t.contains(&total),
        "the bid says it won, for how much",
    )
    .await;
    app.screenshot("award-bid").await;
    app.quit().await;
}
