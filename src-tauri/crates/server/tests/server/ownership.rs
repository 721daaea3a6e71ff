//! Who acts for an RFC: the operator that registered it until its owner claims it with
//! a handover code, then the owner alone, plus the operators it delegates to for as
//! long as the delegation lasts. Sealed bids are read only by the account that sent
//! them until the opening.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Response, StatusCode};
use serde_json::json;
use ventanilla_api::bid::BidRecord;
use ventanilla_api::ocds::Release;
use ventanilla_api::ownership::{Delegation, Delegations, Handover};
use ventanilla_server::clock::Clock;

use super::common::{problem, rfc, start, start_with, Server, PASSWORD};
use super::tenders::{bid_body, post_bid, CLOSING, OPEN};

async fn grant(
    server: &Server,
    owner: &str,
    rfc: &str,
    operator_email: &str,
    expires_at: DateTime<Utc>,
) -> Response {
    server
        .http
        .post(server.url(&format!("/v1/suppliers/{rfc}/delegations")))
        .bearer_auth(owner)
        .json(&json!({"operator_email": operator_email, "expires_at": expires_at}))
        .send()
        .await
        .unwrap()
}

async fn revoke(server: &Server, owner: &str, rfc: &str, operator_id: &str) -> Response {
    server
        .http
        .delete(server.url(&format!("/v1/suppliers/{rfc}/delegations/{operator_id}")))
        .bearer_auth(owner)
        .send()
        .await
        .unwrap()
}

/// Asserts that `token` reads `path`.
async fn reads(server: &Server, token: &str, path: &str) {
    let status = server.get(Some(token), path).await.status();
    assert_eq!(status, StatusCode::OK, "{path} as read by this account");
}

/// Asserts that `token` does not act for `rfc`: its status is not even confirmed to
/// exist, and a bid as it is refused.
async fn acts_not(server: &Server, token: &str, rfc: &str) {
    let status_path = format!("/v1/suppliers/{rfc}");
    problem(
        server.get(Some(token), &status_path).await,
        404,
        "not-found",
    )
    .await;
    problem(
        post_bid(server, token, CLOSING, &bid_body(rfc)).await,
        422,
        "supplier-not-registered",
    )
    .await;
}

/// A bid accepted for `token` as `rfc` on `ocid`, and the path that reads it.
async fn accepted_bid(server: &Server, token: &str, ocid: &str, rfc: &str) -> String {
    let response = post_bid(server, token, ocid, &bid_body(rfc)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let bid: BidRecord = response.json().await.unwrap();
    format!("/v1/tenders/{ocid}/bids/{}", bid.bid_id)
}

/// A server whose sessions outlast the opening of every sample tender, so that a test
/// reads bids on both sides of it with the same tokens.
async fn start_long_sessions() -> Server {
    start_with(|config| config.session_ttl = Duration::days(30)).await
}

async fn opening(server: &Server, ocid: &str) -> DateTime<Utc> {
    let release: Release = server
        .get(None, &format!("/v1/tenders/{ocid}"))
        .await
        .json()
        .await
        .unwrap();
    release.tender.bid_opening.date
}

#[tokio::test]
async fn a_stranger_cannot_take_an_rfc_an_operator_registered() {
    let server = start().await;
    let operator = server.operator("camara@example.mx").await;
    let client = rfc("CLI");
    server.register(&operator, &client).await;
    let sealed = accepted_bid(&server, &operator, OPEN, &client).await;

    let stranger = json!({"role": "supplier", "email": "extrano@example.mx", "password": PASSWORD, "rfc": client});
    let refused = problem(server.sign_up(stranger.clone()).await, 409, "rfc-held").await;
    assert!(
        refused.detail.contains("código de entrega"),
        "{}",
        refused.detail
    );
    assert!(refused.detail.contains("alcaldía"), "{}", refused.detail);
    // Nor does a made-up code get it; and the refused email has no account to sign in with.
    let mut guessed = stranger;
    guessed["handover"] = json!("AAAA-BBBB-CCCC");
    let refused = problem(server.sign_up(guessed).await, 422, "validation").await;
    assert_eq!(refused.errors[0].pointer, "/handover");
    assert_eq!(refused.errors[0].code, "handover_invalid");
    problem(
        server.sign_in("extrano@example.mx", PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;

    // A stranger with an account of its own neither reads the sealed bid nor bids as the RFC.
    let other = server.supplier("otro@example.mx", &rfc("OTR")).await;
    problem(server.get(Some(&other), &sealed).await, 404, "not-found").await;
    problem(
        post_bid(&server, &other, CLOSING, &bid_body(&client)).await,
        422,
        "supplier-not-registered",
    )
    .await;
    // Nor may anyone but the registrar issue a code for it.
    problem(server.handover(&other, &client).await, 404, "not-found").await;
    let rival = server.operator("rival@example.mx").await;
    problem(server.handover(&rival, &client).await, 404, "not-found").await;
}

#[tokio::test]
async fn the_registrar_acts_until_the_owner_claims_with_the_handover_code() {
    let server = start_long_sessions().await;
    let operator = server.operator("camara@example.mx").await;
    let client = rfc("CLI");
    let status_path = format!("/v1/suppliers/{client}");
    server.register(&operator, &client).await;
    let sealed = accepted_bid(&server, &operator, OPEN, &client).await;
    reads(&server, &operator, &status_path).await;

    let first: Handover = server
        .handover(&operator, &client)
        .await
        .json()
        .await
        .unwrap();
    let response = server.handover(&operator, &client).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let second: Handover = response.json().await.unwrap();
    assert_eq!(second.rfc, client);
    assert_eq!(second.expires_at, server.clock.now() + Duration::days(7));
    // Issuing again voided the first code.
    let with_first = json!({"role": "supplier", "email": "duena@example.mx", "password": PASSWORD, "rfc": client, "handover": first.code});
    problem(server.sign_up(with_first).await, 422, "validation").await;
    // The code is typed as the person likes: lower case, spaces for dashes.
    let typed = second.code.to_lowercase().replace('-', " ");
    let owner = server.claim("duena@example.mx", &client, &typed).await;

    // The operator no longer acts for the business: no status, no bids, no new code.
    acts_not(&server, &operator, &client).await;
    problem(server.handover(&operator, &client).await, 404, "not-found").await;
    // The code is used up: nobody claims the RFC again with it.
    let again = json!({"role": "supplier", "email": "otra@example.mx", "password": PASSWORD, "rfc": client, "handover": second.code});
    problem(server.sign_up(again).await, 409, "rfc-held").await;

    // The owner reads the registration and bids. The operator's sealed bid stays the
    // operator's until the opening, and then the owner reads it too.
    reads(&server, &owner, &status_path).await;
    let own = accepted_bid(&server, &owner, CLOSING, &client).await;
    reads(&server, &owner, &own).await;
    reads(&server, &operator, &sealed).await;
    problem(server.get(Some(&owner), &sealed).await, 404, "not-found").await;
    server.clock.set(opening(&server, OPEN).await);
    reads(&server, &owner, &sealed).await;
}

#[tokio::test]
async fn a_code_expires_and_an_owner_who_signed_up_first_keeps_operators_out() {
    let server = start_long_sessions().await;
    let operator = server.operator("camara@example.mx").await;
    let client = rfc("CLI");
    server.register(&operator, &client).await;
    let code: Handover = server
        .handover(&operator, &client)
        .await
        .json()
        .await
        .unwrap();
    server.clock.set(code.expires_at);
    let late = json!({"role": "supplier", "email": "duena@example.mx", "password": PASSWORD, "rfc": client, "handover": code.code});
    let refused = problem(server.sign_up(late).await, 422, "validation").await;
    assert!(refused.errors[0].detail.contains("caducó"));

    // An owner that signed up before any operator registered the RFC holds it: an
    // operator can neither register it nor bid as it.
    let owned = rfc("DUE");
    let _owner = server.supplier("due@example.mx", &owned).await;
    let body = server.registration_body(&operator, &owned).await;
    let key = body["submission_id"].as_str().unwrap().to_owned();
    problem(
        server
            .put_registration(&operator, &owned, &key, &body)
            .await,
        404,
        "not-found",
    )
    .await;
    problem(server.handover(&operator, &owned).await, 404, "not-found").await;
    // An operator account takes no code.
    let refused = server
        .sign_up(json!({"role": "operator", "email": "op2@example.mx", "password": PASSWORD, "handover": "AAAA"}))
        .await;
    let refused = problem(refused, 422, "validation").await;
    assert_eq!(refused.errors[0].pointer, "/handover");
}

#[tokio::test]
async fn a_delegation_lets_an_operator_act_until_revoked_or_expired() {
    let server = start_long_sessions().await;
    let client = rfc("CLI");
    let owner = server.supplier("duena@example.mx", &client).await;
    server.register(&owner, &client).await;
    let operator = server.operator("camara@example.mx").await;
    let _supplier = server.supplier("otro@example.mx", &rfc("OTR")).await;
    let status_path = format!("/v1/suppliers/{client}");
    let delegations_path = format!("/v1/suppliers/{client}/delegations");
    acts_not(&server, &operator, &client).await;

    let now = server.clock.now();
    let past = grant(&server, &owner, &client, "camara@example.mx", now).await;
    let refused = problem(past, 422, "validation").await;
    assert_eq!(refused.errors[0].pointer, "/expires_at");
    let too_long = now + Duration::days(400);
    let refused = problem(
        grant(&server, &owner, &client, "camara@example.mx", too_long).await,
        422,
        "validation",
    )
    .await;
    assert_eq!(refused.errors[0].pointer, "/expires_at");
    let in_two_days = now + Duration::days(2);
    for not_an_operator in ["otro@example.mx", "nadie@example.mx"] {
        let refused = problem(
            grant(&server, &owner, &client, not_an_operator, in_two_days).await,
            422,
            "validation",
        )
        .await;
        assert_eq!(refused.errors[0].pointer, "/operator_email");
    }
    // Only the owner grants: not the operator for itself.
    problem(
        grant(
            &server,
            &operator,
            &client,
            "camara@example.mx",
            in_two_days,
        )
        .await,
        404,
        "not-found",
    )
    .await;

    let granted = grant(&server, &owner, &client, " Camara@Example.mx", in_two_days).await;
    assert_eq!(granted.status(), StatusCode::CREATED);
    let granted: Delegation = granted.json().await.unwrap();
    assert_eq!(granted.operator_email, "camara@example.mx");
    let listed: Delegations = server
        .get(Some(&owner), &delegations_path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.delegations, std::slice::from_ref(&granted));
    problem(
        server.get(Some(&operator), &delegations_path).await,
        404,
        "not-found",
    )
    .await;

    // Delegated, the operator reads the status and bids; its sealed bid is its own.
    reads(&server, &operator, &status_path).await;
    let sealed = accepted_bid(&server, &operator, OPEN, &client).await;
    reads(&server, &operator, &sealed).await;
    problem(server.get(Some(&owner), &sealed).await, 404, "not-found").await;

    // Revoked, it acts no more.
    let operator_id = granted.operator_id.to_string();
    let revoked = revoke(&server, &owner, &client, &operator_id).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    problem(
        revoke(&server, &owner, &client, &operator_id).await,
        404,
        "not-found",
    )
    .await;
    acts_not(&server, &operator, &client).await;

    // Granted again for an hour, it acts until the hour is up.
    let in_an_hour = server.clock.now() + Duration::hours(1);
    let again = grant(&server, &owner, &client, "camara@example.mx", in_an_hour).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    reads(&server, &operator, &status_path).await;
    server.clock.advance(Duration::hours(1));
    acts_not(&server, &operator, &client).await;
    let listed: Delegations = server
        .get(Some(&owner), &delegations_path)
        .await
        .json()
        .await
        .unwrap();
    assert!(listed.delegations.is_empty());

    // After the opening, whoever acts for the RFC reads its bids: the owner does; the
    // operator, whose delegation lapsed, still reads the one it sent.
    server.clock.set(opening(&server, OPEN).await);
    reads(&server, &owner, &sealed).await;
    reads(&server, &operator, &sealed).await;
}
