//! Content-addressed documents and resumable uploads.

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use ventanilla_api::documents::UploadStatus;

use super::common::{problem, rfc, start};

#[tokio::test]
async fn a_document_is_its_uploaders_alone() {
    let server = start().await;
    let ana = server.supplier("ana@example.mx", &rfc("ANA")).await;
    let beto = server.supplier("beto@example.mx", &rfc("BET")).await;
    let bytes = b"%PDF-1.7 constancia";
    let sha = ventanilla_api::sha256_hex(bytes);
    let head = |token: String| {
        let request = server
            .http
            .head(server.url(&format!("/v1/documents/{sha}")))
            .bearer_auth(token);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(head(ana.clone()).await, StatusCode::NOT_FOUND);

    let upload = server.create_upload(&ana, bytes).await;
    assert_eq!((upload.offset, upload.complete), (0, false));
    let done = server.patch(&ana, upload.id, 0, bytes).await;
    assert_eq!(done.status(), StatusCode::OK);
    let done: UploadStatus = done.json().await.unwrap();
    assert!(done.complete);
    assert_eq!(head(ana.clone()).await, StatusCode::OK);
    assert!(server.stored_document(&sha).is_some());

    // Beto knows the hash but not the bytes: to him the document does not exist.
    assert_eq!(head(beto.clone()).await, StatusCode::NOT_FOUND);
    let path = format!("/v1/uploads/{}", upload.id);
    problem(server.get(Some(&beto), &path).await, 404, "not-found").await;
    problem(
        server.patch(&beto, upload.id, 0, bytes).await,
        404,
        "not-found",
    )
    .await;
    // Uploading it himself works, and Ana's copy is untouched.
    assert_eq!(server.upload(&beto, bytes).await, sha);
    assert_eq!(head(beto).await, StatusCode::OK);

    // Ana asking again is complete at once, without sending a byte.
    let again = server.create_upload(&ana, bytes).await;
    assert!(again.complete);
}

#[tokio::test]
async fn an_interrupted_upload_resumes_at_the_servers_offset() {
    let server = start().await;
    let token = server.supplier("corte@example.mx", &rfc("COR")).await;
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let upload = server.create_upload(&token, &bytes).await;

    let first = server.patch(&token, upload.id, 0, &bytes[..100_000]).await;
    assert_eq!(first.headers()["upload-offset"], "100000");

    // The connection dies halfway through the second chunk.
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "PATCH /v1/uploads/{} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/offset+octet-stream\r\nUpload-Offset: 100000\r\n\
         Content-Length: 100000\r\n\r\n",
        upload.id
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(&bytes[100_000..150_000]).await.unwrap();
    drop(socket);

    // After the cut the client asks where to go on; nothing of the lost chunk counts.
    let offset = server
        .http
        .head(server.url(&format!("/v1/uploads/{}", upload.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(offset.status(), StatusCode::OK);
    assert_eq!(offset.headers()["upload-offset"], "100000");
    assert_eq!(offset.headers()["upload-length"], "300000");

    // A chunk for the wrong offset is refused and damages nothing.
    let wrong = server
        .patch(&token, upload.id, 150_000, &bytes[150_000..])
        .await;
    assert_eq!(wrong.headers()["upload-offset"], "100000");
    problem(wrong, 409, "upload-offset-mismatch").await;

    let second = server
        .patch(&token, upload.id, 100_000, &bytes[100_000..200_000])
        .await;
    assert_eq!(second.status(), StatusCode::OK);
    let last = server
        .patch(&token, upload.id, 200_000, &bytes[200_000..])
        .await;
    let last: UploadStatus = last.json().await.unwrap();
    assert!(last.complete);
    // The last answer may be lost too: asking again says it is complete.
    let status: UploadStatus = server
        .get(Some(&token), &format!("/v1/uploads/{}", upload.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(status.complete);
    let stored = server.stored_document(&upload.sha256).unwrap();
    assert_eq!(stored, bytes);
}

#[tokio::test]
async fn racing_chunks_of_one_upload_land_once_while_other_uploads_go_on() {
    let server = start().await;
    let token = server.supplier("carrera@example.mx", &rfc("CAR")).await;
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 241) as u8).collect();
    let upload = server.create_upload(&token, &bytes).await;
    // The same first half, sent eight times at once (a client's retries racing).
    let racing = (0..8).map(|_| server.patch(&token, upload.id, 0, &bytes[..100_000]));
    let answers = futures_util::future::join_all(racing).await;
    let taken = answers
        .iter()
        .filter(|a| a.status() == StatusCode::OK)
        .count();
    let refused = answers
        .iter()
        .filter(|a| a.status() == StatusCode::CONFLICT)
        .count();
    assert_eq!((taken, refused), (1, 7));
    let last = server
        .patch(&token, upload.id, 100_000, &bytes[100_000..])
        .await;
    assert!(last.json::<UploadStatus>().await.unwrap().complete);
    let stored = server.stored_document(&upload.sha256).unwrap();
    assert_eq!(stored, bytes);

    // Ten different documents uploaded at the same time are each stored whole.
    let files: Vec<Vec<u8>> = (0..10u8)
        .map(|n| (0..50_000u32).map(|i| (i % 13) as u8 ^ n).collect())
        .collect();
    let hashes =
        futures_util::future::join_all(files.iter().map(|f| server.upload(&token, f))).await;
    for (file, sha) in files.iter().zip(&hashes) {
        let stored = server.stored_document(sha).unwrap();
        assert_eq!(&stored, file);
    }
}

#[tokio::test]
async fn bad_uploads_are_refused_and_nothing_is_kept() {
    let server = start().await;
    let token = server.supplier("mal@example.mx", &rfc("MAL")).await;
    let create = |body: serde_json::Value| {
        server
            .http
            .post(server.url("/v1/uploads"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let refused = problem(
        create(json!({"size": 0, "sha256": "xyz"})).await.unwrap(),
        422,
        "validation",
    )
    .await;
    assert_eq!(refused.errors.len(), 2);
    problem(
        create(json!({"size": 30_000_000, "sha256": "a".repeat(64)}))
            .await
            .unwrap(),
        422,
        "validation",
    )
    .await;

    // Declared one hash, sent other bytes.
    let declared = b"lo que dije";
    let upload = server.create_upload(&token, declared).await;
    problem(
        server.patch(&token, upload.id, 0, b"lo que mando").await,
        422,
        "upload-exceeds-size",
    )
    .await;
    problem(
        server.patch(&token, upload.id, 0, b"lo que dijo").await,
        422,
        "upload-hash-mismatch",
    )
    .await;
    problem(
        server
            .get(Some(&token), &format!("/v1/uploads/{}", upload.id))
            .await,
        404,
        "not-found",
    )
    .await;
    assert_eq!(server.stored_document(&upload.sha256), None);
    assert_eq!(server.uploads_in_progress(), 0);

    let upload = server.create_upload(&token, declared).await;
    let path = server.url(&format!("/v1/uploads/{}", upload.id));
    let no_type = server
        .http
        .patch(&path)
        .bearer_auth(&token)
        .header("upload-offset", 0)
        .body("x")
        .send()
        .await
        .unwrap();
    problem(no_type, 415, "unsupported-media-type").await;
    let no_offset = server
        .http
        .patch(&path)
        .bearer_auth(&token)
        .header("content-type", "application/offset+octet-stream")
        .body("x")
        .send()
        .await
        .unwrap();
    problem(no_offset, 400, "malformed-request").await;
    problem(
        server.get(Some(&token), "/v1/uploads/no-es-uuid").await,
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn unfinished_uploads_are_capped_and_expire() {
    let server = start().await;
    let token = server.supplier("tope@example.mx", &rfc("TOP")).await;
    let mut first = None;
    for i in 0..ventanilla_api::documents::MAX_UNFINISHED_UPLOADS {
        let bytes = format!("documento {i}");
        let upload = server.create_upload(&token, bytes.as_bytes()).await;
        server.patch(&token, upload.id, 0, b"doc").await;
        first.get_or_insert(upload);
    }
    let refused = server
        .http
        .post(server.url("/v1/uploads"))
        .bearer_auth(&token)
        .json(&json!({"size": 3, "sha256": "b".repeat(64)}))
        .send()
        .await
        .unwrap();
    problem(refused, 429, "too-many-uploads").await;

    server
        .clock
        .advance(chrono::Duration::hours(24) + chrono::Duration::seconds(1));
    // The session expired meanwhile.
    let session: serde_json::Value = server
        .sign_in("tope@example.mx", super::common::PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let fresh = server.create_upload(&token, b"nuevo").await;
    assert!(!fresh.complete);
    let first = first.unwrap();
    problem(
        server
            .get(Some(&token), &format!("/v1/uploads/{}", first.id))
            .await,
        404,
        "not-found",
    )
    .await;
    assert_eq!(server.uploads_in_progress(), 0);
}

/// A client whose `POST /v1/uploads` answer was lost cannot name that upload; once the
/// same bytes are stored through another, the lost one is done too, so lost answers
/// never pile up against the cap on unfinished uploads.
#[tokio::test]
async fn finishing_a_document_completes_its_lost_twins() {
    let server = start().await;
    let token = server.supplier("ana@example.mx", &rfc("ANA")).await;
    let bytes = b"%PDF-1.7 una respuesta perdida";
    let lost = server.create_upload(&token, bytes).await;
    let other = server.supplier("beto@example.mx", &rfc("BET")).await;
    let others = server.create_upload(&other, bytes).await;
    let retried = server.create_upload(&token, bytes).await;
    assert_ne!(lost.id, retried.id);
    let response = server.patch(&token, retried.id, 0, bytes).await;
    assert_eq!(response.status(), StatusCode::OK);
    let status = |token: String, id: uuid::Uuid| {
        let server = &server;
        async move {
            server
                .get(Some(&token), &format!("/v1/uploads/{id}"))
                .await
                .json::<UploadStatus>()
                .await
                .unwrap()
        }
    };
    assert!(status(token.clone(), lost.id).await.complete);
    assert!(
        !status(other, others.id).await.complete,
        "another account's upload of the same bytes is its own"
    );
}
