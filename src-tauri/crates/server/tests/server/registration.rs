//! Registrations: documents, idempotency, tenancy, review, receipts and the log.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;
use ventanilla_api::receipt::GENESIS_HASH;
use ventanilla_api::registration::{
    Observation, RegistrationAccepted, ReviewStatus, SupplierStatus,
};
use ventanilla_api::{LogPage, PublicKeys, ReceiptKind};

use super::common::{problem, rfc, start};

#[tokio::test]
async fn missing_and_foreign_documents_are_named() {
    let server = start().await;
    let supplier = rfc("DOC");
    let token = server.supplier("doc@example.mx", &supplier).await;
    let mut body = server.registration_body(&token, &supplier).await;
    let key = body["submission_id"].as_str().unwrap().to_owned();
    let documents = body["documents"].as_array().unwrap().clone();

    body["documents"] = Value::Array(documents[1..].to_vec());
    let missing = problem(
        server
            .put_registration(&token, &supplier, &key, &body)
            .await,
        422,
        "missing-documents",
    )
    .await;
    let first_code = documents[0]["requirement"].as_str().unwrap();
    assert_eq!(missing.errors.len(), 1);
    assert_eq!(missing.errors[0].pointer, first_code);
    assert!(missing.detail.contains(first_code));

    // A hash this account never uploaded (here: someone else's) is not a document.
    let other = server.supplier("otro@example.mx", &rfc("OTR")).await;
    let foreign = server.upload(&other, b"ajeno").await;
    let mut with_foreign = documents.clone();
    with_foreign[0]["sha256"] = Value::String(foreign);
    body["documents"] = Value::Array(with_foreign);
    let unknown = problem(
        server
            .put_registration(&token, &supplier, &key, &body)
            .await,
        422,
        "unknown-documents",
    )
    .await;
    assert_eq!(unknown.errors[0].pointer, "/documents/0/sha256");

    // The key was freed by the failures: the corrected body goes through with it.
    body["documents"] = Value::Array(documents);
    let accepted = server
        .put_registration(&token, &supplier, &key, &body)
        .await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn idempotency_replays_refuses_other_bodies_and_needs_the_key() {
    let server = start().await;
    let supplier = rfc("IDE");
    let token = server.supplier("ide@example.mx", &supplier).await;
    let body = server.registration_body(&token, &supplier).await;
    let key = body["submission_id"].as_str().unwrap().to_owned();

    let no_key = server
        .http
        .put(server.url(&format!("/v1/suppliers/{supplier}/registration")))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    problem(no_key, 400, "idempotency-key-required").await;
    problem(
        server
            .put_registration(&token, &supplier, "otra-clave", &body)
            .await,
        422,
        "validation",
    )
    .await;

    let first = server
        .put_registration(&token, &supplier, &key, &body)
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let replay = server
        .put_registration(&token, &supplier, &key, &body)
        .await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(first, replay);

    let mut changed = body.clone();
    changed["employer"] = Value::Bool(true);
    problem(
        server
            .put_registration(&token, &supplier, &key, &changed)
            .await,
        422,
        "idempotency-key-reused",
    )
    .await;

    // Only one receipt was issued.
    let log: LogPage = server
        .get(Some(&token), "/v1/log")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log.entries.len(), 1);
}

#[tokio::test]
async fn concurrent_resends_make_one_registration() {
    let server = start().await;
    let supplier = rfc("CON");
    let token = server.supplier("con@example.mx", &supplier).await;
    let body = server.registration_body(&token, &supplier).await;
    let key = body["submission_id"].as_str().unwrap().to_owned();
    let url = server.url(&format!("/v1/suppliers/{supplier}/registration"));
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let request = server
            .http
            .put(&url)
            .bearer_auth(&token)
            .header("idempotency-key", &key);
        sends.spawn(request.json(&body).send());
    }
    let mut created = 0;
    while let Some(answer) = sends.join_next().await {
        let answer = answer.unwrap().unwrap();
        match answer.status().as_u16() {
            201 => created += 1,
            _ => {
                problem(answer, 409, "idempotency-in-progress").await;
            }
        }
    }
    assert!(created >= 1);
    // Whatever each send was told, one registration and one receipt exist.
    let log: LogPage = server
        .get(Some(&token), "/v1/log")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log.entries.len(), 1);
}

#[tokio::test]
async fn another_account_can_neither_read_nor_write_a_registration() {
    let server = start().await;
    let ana_rfc = rfc("ANA");
    let ana = server.supplier("ana@example.mx", &ana_rfc).await;
    let beto = server.supplier("beto@example.mx", &rfc("BET")).await;
    server.register(&ana, &ana_rfc).await;
    let status_path = format!("/v1/suppliers/{ana_rfc}");
    let status: SupplierStatus = server
        .get(Some(&ana), &status_path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status.status, ReviewStatus::EnRevision);

    problem(
        server.get(Some(&beto), &status_path).await,
        404,
        "not-found",
    )
    .await;
    let body = server.registration_body(&beto, &ana_rfc).await;
    let key = body["submission_id"].as_str().unwrap().to_owned();
    problem(
        server.put_registration(&beto, &ana_rfc, &key, &body).await,
        404,
        "not-found",
    )
    .await;

    // An operator registers a business and acts for it; another operator does not.
    let operator = server.operator("camara@example.mx").await;
    let rival = server.operator("rival@example.mx").await;
    let client_rfc = rfc("CLI");
    server.register(&operator, &client_rfc).await;
    let client_path = format!("/v1/suppliers/{client_rfc}");
    assert_eq!(
        server.get(Some(&operator), &client_path).await.status(),
        StatusCode::OK
    );
    problem(
        server.get(Some(&rival), &client_path).await,
        404,
        "not-found",
    )
    .await;
    problem(
        server.get(Some(&operator), &status_path).await,
        404,
        "not-found",
    )
    .await;
    // The business's owner, claiming it with the operator's handover code, reads it too.
    let handover: ventanilla_api::ownership::Handover = server
        .handover(&operator, &client_rfc)
        .await
        .json()
        .await
        .unwrap();
    let owner = server
        .claim("cliente@example.mx", &client_rfc, &handover.code)
        .await;
    assert_eq!(
        server.get(Some(&owner), &client_path).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_review_shows_in_the_status_with_its_observations() {
    let server = start().await;
    let supplier = rfc("REV");
    let token = server.supplier("rev@example.mx", &supplier).await;
    let accepted = server.register(&token, &supplier).await;
    let observation =
        ventanilla_server::admin::parse_observation("csf=Tiene más de 30 días").unwrap();
    assert_eq!(
        observation,
        Observation {
            requirement: "CSF".into(),
            text: "Tiene más de 30 días".into()
        }
    );
    assert!(ventanilla_server::admin::parse_observation("sin texto").is_err());
    ventanilla_server::admin::review(
        server.server_data(),
        &supplier.to_lowercase(),
        ReviewStatus::Rechazado,
        std::slice::from_ref(&observation),
        super::common::start_instant(),
    )
    .unwrap();
    let status: SupplierStatus = server
        .get(Some(&token), &format!("/v1/suppliers/{supplier}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status.status, ReviewStatus::Rechazado);
    assert_eq!(status.submission_id, accepted.submission_id);
    assert_eq!(status.observations, [observation]);
    assert!(status.reviewed_at.is_some());
    assert!(ventanilla_server::admin::review(
        server.server_data(),
        &rfc("NAD"),
        ReviewStatus::Aprobado,
        &[],
        super::common::start_instant(),
    )
    .is_err());
}

#[tokio::test]
async fn receipts_verify_with_the_published_key_and_the_log_chains() {
    let server = start().await;
    let keys: PublicKeys = server.get(None, "/v1/keys").await.json().await.unwrap();
    let key = keys.keys[0].verifying_key().unwrap();
    let mut mine = Vec::new();
    let ana_rfc = rfc("CHA");
    let ana = server.supplier("cha@example.mx", &ana_rfc).await;
    let beto_rfc = rfc("CHB");
    let beto = server.supplier("chb@example.mx", &beto_rfc).await;
    for (token, supplier) in [(&ana, &ana_rfc), (&beto, &beto_rfc), (&ana, &ana_rfc)] {
        let accepted: RegistrationAccepted = server.register(token, supplier).await;
        let receipt = &accepted.receipt;
        assert_eq!(receipt.verify(&key), Ok(()));
        assert_eq!(receipt.kind, ReceiptKind::Registration);
        assert_eq!(&receipt.subject_rfc, supplier);
        if token == &ana {
            mine.push(receipt.clone());
        }
    }
    // A tampered receipt fails.
    let mut forged = mine[0].clone();
    forged.subject_rfc = beto_rfc.clone();
    assert!(forged.verify(&key).is_err());

    let log: LogPage = server
        .get(Some(&ana), "/v1/log")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log.entries.len(), 3);
    assert_eq!(log.next_after, None);
    let mut previous = GENESIS_HASH.to_owned();
    let mut seen = HashSet::new();
    for (i, entry) in log.entries.iter().enumerate() {
        assert_eq!(entry.index, i as u64);
        assert_eq!(entry.previous_hash, previous);
        if let Some(receipt) = &entry.receipt {
            assert_eq!(receipt.verify(&key), Ok(()));
            assert_eq!(receipt.entry_hash().unwrap(), entry.entry_hash);
            assert_eq!(receipt.previous_log_hash, entry.previous_hash);
            seen.insert(receipt.receipt_id);
        }
        previous = entry.entry_hash.clone();
    }
    // Ana sees her two receipts and only the hash of Beto's.
    assert_eq!(seen, mine.iter().map(|r| r.receipt_id).collect());
    assert!(log.entries[1].receipt.is_none());

    let anonymous: LogPage = server
        .get(None, "/v1/log?after=0")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(anonymous.entries.len(), 2);
    assert!(anonymous.entries.iter().all(|e| e.receipt.is_none()));
    assert_eq!(anonymous.entries[1].entry_hash, log.entries[2].entry_hash);
    problem(
        server.get(None, "/v1/log?after=-1").await,
        400,
        "malformed-request",
    )
    .await;
    problem(
        server.get(None, "/v1/log?desde=1").await,
        400,
        "malformed-request",
    )
    .await;
}
