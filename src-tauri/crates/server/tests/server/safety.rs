//! Malformed requests: always a 4xx problem, never a 500 or a bare body.

use reqwest::StatusCode;

use super::common::{problem, rfc, start};

#[tokio::test]
async fn routing_errors_are_problems() {
    let server = start().await;
    problem(server.get(None, "/v1/nada").await, 404, "not-found").await;
    problem(server.get(None, "/").await, 404, "not-found").await;
    let wrong_method = server
        .http
        .delete(server.url("/v1/tenders"))
        .send()
        .await
        .unwrap();
    assert!(wrong_method.headers().contains_key("allow"));
    problem(wrong_method, 405, "method-not-allowed").await;
}

#[tokio::test]
async fn bad_bodies_are_problems() {
    let server = start().await;
    let url = server.url("/v1/accounts");
    let send = |content_type: &'static str, body: Vec<u8>| {
        server
            .http
            .post(&url)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    problem(
        send("application/json", b"{\"role\": ".to_vec())
            .await
            .unwrap(),
        400,
        "malformed-request",
    )
    .await;
    problem(
        send("application/json", b"\xff\xfe".to_vec())
            .await
            .unwrap(),
        400,
        "malformed-request",
    )
    .await;
    problem(
        send("text/plain", b"{}".to_vec()).await.unwrap(),
        415,
        "unsupported-media-type",
    )
    .await;
    let wrong_shape = problem(
        send("application/json", b"{\"role\": \"rey\"}".to_vec())
            .await
            .unwrap(),
        422,
        "validation",
    )
    .await;
    assert_eq!(wrong_shape.errors[0].code, "schema");
    problem(
        send(
            "application/json",
            br#"{"role":"operator","email":"a@b.mx","password":"0123456789","extra":1}"#.to_vec(),
        )
        .await
        .unwrap(),
        422,
        "validation",
    )
    .await;
    let huge = vec![b' '; 2 * 1024 * 1024];
    problem(
        send("application/json", huge).await.unwrap(),
        413,
        "payload-too-large",
    )
    .await;
}

#[tokio::test]
async fn bad_paths_and_headers_are_problems() {
    let server = start().await;
    let supplier = rfc("SEG");
    let token = server.supplier("seg@example.mx", &supplier).await;
    problem(
        server.get(Some(&token), "/v1/suppliers/no-es-rfc").await,
        404,
        "not-found",
    )
    .await;
    let body = server.registration_body(&token, &supplier).await;
    let key = body["submission_id"].as_str().unwrap();
    problem(
        server.put_registration(&token, "ABC", key, &body).await,
        422,
        "invalid-rfc",
    )
    .await;
    let bad_auth = server
        .http
        .get(server.url("/v1/log"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    problem(bad_auth, 401, "unauthenticated").await;
    let head = server
        .http
        .head(server.url("/v1/documents/no-es-hash"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::NOT_FOUND);
    let long_key = "k".repeat(300);
    problem(
        server
            .put_registration(&token, &supplier, &long_key, &body)
            .await,
        400,
        "malformed-request",
    )
    .await;
}

#[tokio::test]
async fn a_request_that_stalls_is_answered_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = super::common::start_with(|config| {
        config.request_timeout = std::time::Duration::from_millis(300);
    })
    .await;
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    // Promises a body and never sends it.
    let head = "POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\nConnection: close\r\n\r\n{";
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"));
    assert!(answer.contains("urn:ventanilla:problem:timeout"));
}

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let server = start().await;
    let token = server.supplier("doc@example.mx", &rfc("DOC")).await;
    let document: serde_json::Value =
        serde_json::from_str(&ventanilla_api::openapi::document_json()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    for (path, item) in paths {
        let concrete = path
            .replace("{sha256}", &"0".repeat(64))
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            .replace("{rfc}", &rfc("DOC"))
            .replace("{ocid}", "ocds-abj-sandbox-LP-ABJ-2026-014");
        for method in item.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = server
                .http
                .request(method.clone(), server.url(&concrete))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(status.as_u16() < 500, "{method} {path}: {status}");
            if !path.contains('{') {
                assert_ne!(status, StatusCode::NOT_FOUND, "{method} {path}");
            }
        }
    }
}
