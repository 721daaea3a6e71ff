//! Questions on a tender (aclaraciones): taken once per idempotency key until the
//! enquiry period ends by the server's clock, refused with a reason in Spanish when
//! empty, too long, late or on a closed tender; answered (and re-answered) by the
//! alcaldía with the real binary, published to everyone in `tender.enquiries` without
//! who asked, every answer its own release in the record, all valid OCDS 1.1.5.

use std::io::Write;
use std::process::{Command, Stdio};

use chrono::Duration;
use reqwest::Response;
use serde_json::{json, Value};
use uuid::Uuid;
use ventanilla_api::enquiry::QuestionRecord;
use ventanilla_api::ocds::{Release, ReleasePackage};
use ventanilla_api::ReceiptKind;

use super::common::{problem, rfc, start, Server};
use super::ocds::{published, validate};
use super::tenders::{CLOSING, OPEN};

const CLOSED: &str = "ocds-abj-sandbox-LP-ABJ-2026-009";

fn question(asker: &str, text: &str) -> Value {
    json!({"submission_id": Uuid::now_v7(), "asker_rfc": asker, "question": text})
}

async fn ask(server: &Server, token: &str, ocid: &str, body: &Value) -> Response {
    server
        .http
        .post(server.url(&format!("/v1/tenders/{ocid}/enquiries")))
        .bearer_auth(token)
        .header("idempotency-key", body["submission_id"].as_str().unwrap())
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Runs `ventanilla-server answer` with `text` on stdin; answers (success, stdout+stderr).
fn answer(server: &Server, ocid: &str, id: &str, text: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
        .args([
            "answer",
            "--data-dir",
            server.dir.path().to_str().unwrap(),
            ocid,
            id,
        ])
        .args(server.database_flags())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[tokio::test]
async fn questions_are_refused_empty_too_long_late_or_on_a_closed_tender() {
    let server = start().await;
    let asker = rfc("ANA");
    let token = server.supplier("ana@example.mx", &asker).await;

    let empty = ask(&server, &token, OPEN, &question(&asker, "  \n ")).await;
    let refused = problem(empty, 422, "validation").await;
    assert_eq!(refused.errors[0].pointer, "/question");
    assert_eq!(refused.errors[0].code, "empty");
    assert!(refused.detail.contains("vacía"), "{}", refused.detail);

    let long = ask(
        &server,
        &token,
        OPEN,
        &question(&asker, &"a".repeat(20_000)),
    )
    .await;
    let refused = problem(long, 422, "validation").await;
    assert_eq!(refused.errors[0].code, "too_long");
    assert!(
        refused.detail.contains("20000 caracteres") && refused.detail.contains("2000"),
        "{}",
        refused.detail
    );

    let closed = ask(&server, &token, CLOSED, &question(&asker, "¿Hay prórroga?")).await;
    let refused = problem(closed, 422, "tender-closed").await;
    assert!(refused.detail.contains("ya cerró"), "{}", refused.detail);

    // Another business's RFC: this account does not act for it.
    let other = ask(&server, &token, OPEN, &question(&rfc("BET"), "¿Y yo?")).await;
    problem(other, 422, "not-acting-for").await;

    // The closing tender takes questions for one hour, bids for three: by the server's
    // clock, a question two hours in is late though bids are still taken.
    let body = question(&asker, "¿Se aceptan entregas parciales?");
    assert_eq!(ask(&server, &token, CLOSING, &body).await.status(), 201);
    server.clock.advance(Duration::hours(2));
    let late = ask(&server, &token, CLOSING, &question(&asker, "¿Y otra?")).await;
    let refused = problem(late, 422, "enquiry-period-ended").await;
    assert!(
        refused.detail.contains("periodo de preguntas"),
        "{}",
        refused.detail
    );
    // The one accepted in time replays as it was, even now.
    let replay = ask(&server, &token, CLOSING, &body).await;
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
}

#[tokio::test]
async fn answered_questions_are_published_to_everyone_without_who_asked() {
    let server = start().await;
    let asker = rfc("ANA");
    let email = "ana.preguntona@example.mx";
    let token = server.supplier(email, &asker).await;
    let text = "¿Se aceptan entregas parciales del papel bond?";
    let body = question(&asker, text);
    let response = ask(&server, &token, OPEN, &body).await;
    assert_eq!(response.status(), 201);
    let record: QuestionRecord = response.json().await.unwrap();
    assert_eq!(record.receipt.kind, ReceiptKind::Question);
    assert_eq!(record.receipt.subject_rfc, asker);
    assert_eq!(
        record.receipt.payload_sha256,
        ventanilla_api::sha256_hex(text.as_bytes())
    );
    let unanswered = ask(&server, &token, OPEN, &question(&asker, "¿Sin respuesta?")).await;
    assert_eq!(unanswered.status(), 201);
    let id = record.submission_id.to_string();

    // Not answered: not published.
    let release: Release = server
        .get(None, &format!("/v1/tenders/{OPEN}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(release.tender.enquiries.is_empty());
    assert!(release.tender.enquiry_period.is_some());

    let dir = server.dir.path().to_str().unwrap().to_owned();
    let (ok, said) = answer(&server, OPEN, &id, "  \n");
    assert!(!ok && said.contains("La respuesta está vacía"), "{said}");
    let (ok, said) = answer(&server, OPEN, &Uuid::now_v7().to_string(), "Sí.");
    assert!(!ok && said.contains("no tiene ninguna pregunta"), "{said}");
    let (ok, said) = answer(&server, "ocds-abj-no-existe", &id, "Sí.");
    assert!(!ok && said.contains("No hay ninguna licitación"), "{said}");
    let (ok, said) = answer(&server, OPEN, &id, "Sí, en dos entregas.\n");
    assert!(ok && said.contains("respondida"), "{said}");
    let (ok, said) = answer(&server, OPEN, &id, "Sí, en dos entregas.");
    assert!(
        !ok && said.contains("ya tiene exactamente esa respuesta"),
        "{said}"
    );
    let (ok, said) = answer(&server, OPEN, &id, "Sí, en tres entregas como máximo.");
    assert!(ok && said.contains("respuesta cambiada"), "{said}");
    // The command stamps answers by the real clock; the test server's is behind it.
    server.clock.set(chrono::Utc::now() + Duration::minutes(1));

    let listed = Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
        .args(["questions", "--data-dir", &dir, OPEN])
        .args(server.database_flags())
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.contains(&id) && !listed.contains(&asker), "{listed}");

    let release: Release = server
        .get(None, &format!("/v1/tenders/{OPEN}"))
        .await
        .json()
        .await
        .unwrap();
    let enquiries = &release.tender.enquiries;
    assert_eq!(enquiries.len(), 1, "only the answered question");
    assert_eq!(enquiries[0].id, id);
    assert_eq!(enquiries[0].description, text);
    assert_eq!(enquiries[0].answer, "Sí, en tres entregas como máximo.");
    assert_eq!(enquiries[0].date, record.asked_at);
    assert_eq!(release.id, format!("{OPEN}-aclaracion-2"));

    // The record keeps both answers, each its own release.
    let record_package: Value = server
        .get(None, &format!("/v1/tenders/{OPEN}/record"))
        .await
        .json()
        .await
        .unwrap();
    let releases = record_package["records"][0]["releases"].as_array().unwrap();
    let ids: Vec<&str> = releases.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            format!("{OPEN}-convocatoria"),
            format!("{OPEN}-aclaracion-1"),
            format!("{OPEN}-aclaracion-2")
        ]
    );
    assert_eq!(
        releases[1]["tender"]["enquiries"][0]["answer"],
        "Sí, en dos entregas."
    );
    assert_eq!(
        record_package["records"][0]["compiledRelease"]["tender"]["enquiries"][0]["answer"],
        "Sí, en tres entregas como máximo."
    );

    // Nothing anyone can read names the asker: not the package, not a release, not
    // the record, not the public log.
    let mut documents = published(&server).await;
    let record_bytes = serde_json::to_vec(&record_package).unwrap();
    documents.push(("record".to_owned(), record_bytes));
    let log = server.get(None, "/v1/log").await.bytes().await.unwrap();
    let package: ReleasePackage = serde_json::from_slice(&documents[0].1).unwrap();
    assert!(package
        .extensions
        .iter()
        .any(|e| e.contains("ocds_enquiry_extension")));
    for (name, bytes) in documents.iter().chain([&("log".to_owned(), log.to_vec())]) {
        let text = String::from_utf8_lossy(bytes);
        for secret in [asker.as_str(), email, "preguntona"] {
            assert!(!text.contains(secret), "{name} names the asker: {secret}");
        }
    }
    validate(&documents);
}
