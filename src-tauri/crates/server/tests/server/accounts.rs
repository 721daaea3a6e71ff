//! Health, accounts, sessions and the sign-in limit.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use ventanilla_server::database::Database;
use ventanilla_testkit::postgres::{on_postgres, Cluster};

use super::common::{problem, rfc, start, start_with, PASSWORD};

#[tokio::test]
async fn health_answers_ok() {
    let server = start().await;
    let response = server.get(None, "/v1/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let health: ventanilla_api::Health = response.json().await.unwrap();
    assert_eq!(health.status, "ok");
    let backend = match on_postgres() {
        true => "postgres",
        false => "sqlite",
    };
    assert_eq!(health.backend, backend);
}

/// On PostgreSQL only: its own cluster, stopped under the running server and started
/// again.
#[tokio::test]
async fn health_answers_503_while_the_database_is_away_and_ok_once_it_is_back() {
    if !on_postgres() {
        return;
    }
    let own = Cluster::start();
    let url = own.database();
    let server = start_with(|config| config.database = Some(Database::parse(&url).unwrap())).await;
    assert_eq!(
        server.get(None, "/v1/health").await.status(),
        StatusCode::OK
    );
    let token = server.supplier("vuelve@example.mx", &rfc("VUE")).await;
    own.stop();
    let response = server.get(None, "/v1/health").await;
    problem(response, 503, "database-unavailable").await;
    // Any request needing the database says the same, not a bare 500.
    let refused = server.sign_in("vuelve@example.mx", PASSWORD).await;
    problem(refused, 503, "database-unavailable").await;
    // Back: the pool drops the connections the restart closed and makes new ones.
    own.start_again();
    assert_eq!(
        server.get(None, "/v1/health").await.status(),
        StatusCode::OK
    );
    let session = server.sign_in("vuelve@example.mx", PASSWORD).await;
    assert_eq!(session.status(), StatusCode::CREATED);
    let status_path = format!("/v1/suppliers/{}", rfc("VUE"));
    problem(
        server.get(Some(&token), &status_path).await,
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn sign_up_checks_and_refuses_duplicates() {
    let server = start().await;
    let supplier = rfc("ABC");
    let created = server
        .sign_up(json!({"role": "supplier", "email": " Ana@Example.MX ", "password": PASSWORD, "rfc": supplier.to_lowercase()}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let account: Value = created.json().await.unwrap();
    assert_eq!(account["email"], "ana@example.mx");
    assert_eq!(account["rfc"], supplier.as_str());
    assert!(account.get("password").is_none());

    let same_email = server
        .sign_up(json!({"role": "operator", "email": "ana@example.mx", "password": PASSWORD}))
        .await;
    problem(same_email, 409, "account-exists").await;
    let same_rfc = server
        .sign_up(json!({"role": "supplier", "email": "otra@example.mx", "password": PASSWORD, "rfc": supplier}))
        .await;
    let held = problem(same_rfc, 409, "rfc-held").await;
    assert!(held.detail.contains("alcaldía"), "{}", held.detail);

    let bad_rfc = server
        .sign_up(json!({"role": "supplier", "email": "b@example.mx", "password": PASSWORD, "rfc": "ABC01"}))
        .await;
    let refused = problem(bad_rfc, 422, "invalid-rfc").await;
    assert_eq!(refused.errors[0].pointer, "/rfc");

    let weak = server
        .sign_up(json!({"role": "operator", "email": "no-es-correo", "password": "corta", "rfc": supplier}))
        .await;
    let refused = problem(weak, 422, "validation").await;
    let pointers: Vec<&str> = refused.errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["/email", "/password", "/rfc"]);
}

#[tokio::test]
async fn a_session_works_until_signed_out_or_expired() {
    let server = start().await;
    let supplier = rfc("TOK");
    let token = server.supplier("tok@example.mx", &supplier).await;
    let status_path = format!("/v1/suppliers/{supplier}");
    // Signed in, the caller learns it has no registration yet.
    problem(
        server.get(Some(&token), &status_path).await,
        404,
        "not-found",
    )
    .await;

    let out = server
        .http
        .delete(server.url("/v1/session"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let refused = server.get(Some(&token), &status_path).await;
    assert_eq!(refused.headers()["www-authenticate"], "Bearer");
    problem(refused, 401, "unauthenticated").await;

    let session: Value = server
        .sign_in("tok@example.mx", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap();
    problem(
        server.get(Some(token), &status_path).await,
        404,
        "not-found",
    )
    .await;
    server
        .clock
        .advance(Duration::hours(12) + Duration::seconds(1));
    problem(
        server.get(Some(token), &status_path).await,
        401,
        "unauthenticated",
    )
    .await;
    problem(
        server.get(Some("garbage"), &status_path).await,
        401,
        "unauthenticated",
    )
    .await;
    problem(server.get(None, &status_path).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn wrong_passwords_are_limited_per_account() {
    let server = start().await;
    server.supplier("lim@example.mx", &rfc("LIM")).await;
    for _ in 0..5 {
        problem(
            server.sign_in("lim@example.mx", "equivocada!!").await,
            401,
            "invalid-credentials",
        )
        .await;
    }
    let limited = server.sign_in("lim@example.mx", PASSWORD).await;
    assert!(limited.headers().contains_key("retry-after"));
    problem(limited, 429, "too-many-attempts").await;
    // Another account is not affected, and an unknown email reads like a wrong password.
    problem(
        server.sign_in("nadie@example.mx", PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;

    server.clock.advance(Duration::minutes(15));
    assert_eq!(
        server.sign_in("lim@example.mx", PASSWORD).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn requirements_and_keys_are_public_and_the_catalogue_is_cached() {
    let server = start().await;
    let response = server.get(None, "/v1/requirements").await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let catalogue: ventanilla_core::checklist::Catalogue = response.json().await.unwrap();
    assert_eq!(
        catalogue,
        ventanilla_core::checklist::Catalogue::default_catalogue()
    );

    let again = server
        .http
        .get(server.url("/v1/requirements"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let stale = server
        .http
        .get(server.url("/v1/requirements"))
        .header("if-none-match", "\"otra\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);

    let keys: ventanilla_api::PublicKeys = server.get(None, "/v1/keys").await.json().await.unwrap();
    assert_eq!(keys.keys.len(), 1);
    assert!(keys.keys[0].verifying_key().is_ok());
}

#[tokio::test]
async fn outside_the_sandbox_operators_are_created_by_the_alcaldia() {
    let server = super::common::start_with(|config| config.sandbox = false).await;
    let refused = server
        .sign_up(json!({"role": "operator", "email": "op@example.mx", "password": PASSWORD}))
        .await;
    let refused = problem(refused, 422, "validation").await;
    assert_eq!(refused.errors[0].code, "operator_by_invitation");
    // Nor are there sample tenders.
    let package: ventanilla_api::ocds::ReleasePackage =
        server.get(None, "/v1/tenders").await.json().await.unwrap();
    assert!(package.releases.is_empty());

    let now = super::common::start_instant();
    let dir = server.server_data();
    let account =
        ventanilla_server::admin::create_operator(dir, " Op@Example.mx", PASSWORD, now).unwrap();
    assert_eq!(account.role, ventanilla_api::auth::Role::Operator);
    assert!(
        ventanilla_server::admin::create_operator(dir, "op@example.mx", PASSWORD, now).is_err()
    );
    assert!(
        ventanilla_server::admin::create_operator(dir, "otro@example.mx", "corta", now).is_err()
    );
    let session: Value = server
        .sign_in("op@example.mx", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session["account"]["role"], "operator");
}
