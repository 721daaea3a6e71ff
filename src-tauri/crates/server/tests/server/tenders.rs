//! Tenders as OCDS, sealed bids and the deadline by the server's clock.

use chrono::Duration;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;
use ventanilla_api::bid::BidRecord;
use ventanilla_api::ocds::{Release, ReleasePackage};
use ventanilla_api::PublicKeys;

use super::common::{problem, rfc, start, Server};

pub const OPEN: &str = "ocds-abj-sandbox-LP-ABJ-2026-014";
pub const CLOSING: &str = "ocds-abj-sandbox-IR-ABJ-2026-007";
const CLOSED: &str = "ocds-abj-sandbox-LP-ABJ-2026-009";

pub fn bid_body(tenderer: &str) -> Value {
    json!({
        "submission_id": Uuid::now_v7(),
        "tenderer_rfc": tenderer,
        "snapshot": format!("{{\"economica\":{{\"total\":\"116000.00\"}},\"rfc\":\"{tenderer}\"}}"),
        "value": {"amount": "116000.00", "currency": "MXN"},
    })
}

pub async fn post_bid(server: &Server, token: &str, ocid: &str, body: &Value) -> Response {
    server
        .http
        .post(server.url(&format!("/v1/tenders/{ocid}/bids")))
        .bearer_auth(token)
        .header("idempotency-key", body["submission_id"].as_str().unwrap())
        .json(body)
        .send()
        .await
        .unwrap()
}

/// A registered supplier's token.
pub async fn bidder(server: &Server, letters: &str) -> (String, String) {
    let supplier = rfc(letters);
    let token = server
        .supplier(&format!("{letters}@example.mx"), &supplier)
        .await;
    server.register(&token, &supplier).await;
    (token, supplier)
}

#[tokio::test]
async fn tenders_are_an_ocds_package_with_an_etag() {
    let server = start().await;
    let response = server.get(None, "/v1/tenders").await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let package: ReleasePackage = response.json().await.unwrap();
    assert_eq!(package.version, "1.1");
    let ocids: Vec<&str> = package.releases.iter().map(|r| r.ocid.as_str()).collect();
    assert_eq!(ocids, [CLOSED, CLOSING, OPEN]);
    let statuses: Vec<&str> = package
        .releases
        .iter()
        .map(|r| r.tender.status.as_str())
        .collect();
    assert_eq!(statuses, ["complete", "active", "active"]);
    assert!(package
        .releases
        .iter()
        .all(|r| r.tender.value.currency == "MXN"));

    let cached = server
        .http
        .get(server.url("/v1/tenders"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);

    let one: Release = server
        .get(None, &format!("/v1/tenders/{OPEN}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one.tender.procurement_method, "open");
    problem(
        server.get(None, "/v1/tenders/ocds-no-existe").await,
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn the_deadline_is_judged_by_the_server_clock_to_the_second() {
    let server = start().await;
    let (ana, ana_rfc) = bidder(&server, "ANA").await;
    let (beto, beto_rfc) = bidder(&server, "BET").await;
    let release: Release = server
        .get(None, &format!("/v1/tenders/{CLOSING}"))
        .await
        .json()
        .await
        .unwrap();
    let deadline = release.tender.tender_period.end_date;

    server.clock.set(deadline - Duration::seconds(1));
    let on_time = bid_body(&ana_rfc);
    let accepted = post_bid(&server, &ana, CLOSING, &on_time).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let accepted: BidRecord = accepted.json().await.unwrap();
    assert_eq!(accepted.submitted_at, deadline - Duration::seconds(1));
    let keys: PublicKeys = server.get(None, "/v1/keys").await.json().await.unwrap();
    assert_eq!(
        accepted
            .receipt
            .verify(&keys.keys[0].verifying_key().unwrap()),
        Ok(())
    );
    assert_eq!(
        accepted.receipt.payload_sha256,
        ventanilla_api::sha256_hex(on_time["snapshot"].as_str().unwrap().as_bytes())
    );

    server.clock.set(deadline + Duration::seconds(1));
    let late = problem(
        post_bid(&server, &beto, CLOSING, &bid_body(&beto_rfc)).await,
        422,
        "deadline-passed",
    )
    .await;
    assert!(late.detail.contains("Ciudad de México"));
    // The bid made on time replays after the deadline: its receipt is not lost.
    let replay = post_bid(&server, &ana, CLOSING, &on_time).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    let replay: BidRecord = replay.json().await.unwrap();
    assert_eq!(replay, accepted);
    problem(
        post_bid(&server, &beto, CLOSED, &bid_body(&beto_rfc)).await,
        422,
        "deadline-passed",
    )
    .await;
}

/// Bids of one bidder on one tender sent all at once, each under its own key, land in
/// the same batches of the receipt log: one is taken, the others refused, and the log
/// stays whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bids_of_one_bidder_sent_at_once_are_taken_once_and_the_log_stays_whole() {
    let server = start().await;
    let (token, supplier) = bidder(&server, "RAC").await;
    let bodies: Vec<Value> = (0..12).map(|_| bid_body(&supplier)).collect();
    let sent = bodies
        .iter()
        .map(|body| post_bid(&server, &token, OPEN, body));
    let answers = futures_util::future::join_all(sent).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|&s| s == 201 || s == 409),
        "{statuses:?}"
    );
    let log = server.chained_log(&token).await;
    let bids = log
        .iter()
        .filter(|entry| {
            entry
                .receipt
                .as_ref()
                .is_some_and(|r| r.kind == ventanilla_api::ReceiptKind::Bid)
        })
        .count();
    assert_eq!(bids, 1);
}

#[tokio::test]
async fn a_bid_is_sealed_until_the_opening() {
    let server = start().await;
    let (ana, ana_rfc) = bidder(&server, "ANA").await;
    let (beto, _) = bidder(&server, "BET").await;
    let body = bid_body(&ana_rfc);
    let bid: BidRecord = post_bid(&server, &ana, OPEN, &body)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/v1/tenders/{OPEN}/bids/{}", bid.bid_id);

    assert_eq!(server.get(Some(&ana), &path).await.status(), StatusCode::OK);
    problem(server.get(Some(&beto), &path).await, 404, "not-found").await;
    problem(
        server
            .get(
                Some(&ana),
                &format!("/v1/tenders/{OPEN}/bids/{}", Uuid::now_v7()),
            )
            .await,
        404,
        "not-found",
    )
    .await;
    let before: Release = server
        .get(None, &format!("/v1/tenders/{OPEN}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(before.bids.is_none());
    assert!(!before.parties.iter().any(|p| p.identifier.id == ana_rfc));

    // A second bid by the same bidder on the same tender is refused.
    problem(
        post_bid(&server, &ana, OPEN, &bid_body(&ana_rfc)).await,
        409,
        "bid-exists",
    )
    .await;

    server.clock.set(before.tender.bid_opening.date);
    let after: Release = server
        .get(None, &format!("/v1/tenders/{OPEN}"))
        .await
        .json()
        .await
        .unwrap();
    let details = after.bids.unwrap().details;
    assert_eq!(details.len(), 1);
    assert_eq!(details[0].id, bid.bid_id.to_string());
    assert_eq!(details[0].value.amount.to_string(), "116000.00");
    assert_eq!(details[0].tenderers[0].name, ana_rfc);
    assert!(after
        .parties
        .iter()
        .any(|p| p.identifier.id == ana_rfc && p.roles == ["tenderer"]));
    assert_eq!(after.tag, ["tenderUpdate"]);
}

#[tokio::test]
async fn only_registered_suppliers_bid_for_themselves() {
    let server = start().await;
    let (ana, ana_rfc) = bidder(&server, "ANA").await;
    let lone_rfc = rfc("SOL");
    let lone = server.supplier("sol@example.mx", &lone_rfc).await;
    // Not registered; and bidding as someone else reads exactly the same.
    problem(
        post_bid(&server, &lone, OPEN, &bid_body(&lone_rfc)).await,
        422,
        "supplier-not-registered",
    )
    .await;
    problem(
        post_bid(&server, &lone, OPEN, &bid_body(&ana_rfc)).await,
        422,
        "supplier-not-registered",
    )
    .await;

    let mut bad = bid_body(&ana_rfc);
    bad["value"] = json!({"amount": "-1.005", "currency": "USD"});
    let refused = problem(post_bid(&server, &ana, OPEN, &bad).await, 422, "validation").await;
    assert_eq!(refused.errors.len(), 2);
    let mut bad = bid_body(&ana_rfc);
    bad["snapshot"] = json!("[1, 2]");
    problem(post_bid(&server, &ana, OPEN, &bad).await, 422, "validation").await;
    problem(
        post_bid(&server, &ana, "ocds-no-existe", &bid_body(&ana_rfc)).await,
        404,
        "not-found",
    )
    .await;
    let no_key = server
        .http
        .post(server.url(&format!("/v1/tenders/{OPEN}/bids")))
        .bearer_auth(&ana)
        .json(&bid_body(&ana_rfc))
        .send()
        .await
        .unwrap();
    problem(no_key, 400, "idempotency-key-required").await;
}

#[tokio::test]
async fn an_amount_in_exponent_notation_is_refused_where_it_is() {
    let server = start().await;
    let (ana, ana_rfc) = bidder(&server, "EXP").await;
    // Numbers written with an exponent are refused too (the api crate tests their raw
    // text): a `serde_json::Value` cannot carry it.
    for amount in [json!("1e10"), json!("1.16E5"), json!("-1.5E-3")] {
        let mut bad = bid_body(&ana_rfc);
        bad["value"]["amount"] = amount.clone();
        let refused = problem(post_bid(&server, &ana, OPEN, &bad).await, 422, "validation").await;
        assert_eq!(refused.errors[0].pointer, "/value/amount", "{amount}");
    }
    let mut bad = bid_body(&ana_rfc);
    bad["value"]["amount"] = json!("1e10");
    let refused = problem(post_bid(&server, &ana, OPEN, &bad).await, 422, "validation").await;
    assert!(
        refused.errors[0]
            .detail
            .contains("sin exponentes como 1e10"),
        "{}",
        refused.errors[0].detail
    );
    let accepted = post_bid(&server, &ana, OPEN, &bid_body(&ana_rfc)).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
}
