//! Documents in an S3-compatible object store (`--blobs s3://…`): a real one (moto's
//! server), on PostgreSQL runs, where the servers keep documents there as the
//! alcaldía's deployment does. Chunks of one upload may reach different instances; the
//! store going away answers 503 and loses nothing; a store that cannot be used stops
//! the start.

use std::process::Command;
use std::sync::atomic::Ordering;

use ventanilla_api::documents::UploadStatus;
use ventanilla_server::blobs::BlobsUrl;
use ventanilla_testkit::objects::object_store;
use ventanilla_testkit::postgres::on_postgres;
use ventanilla_testkit::{Faults, Proxy};

use super::common::{problem, rfc, start, start_with, test_s3_keys, Server};

/// The bucket a server keeps its documents in.
fn bucket_of(server: &Server) -> String {
    match &server.blobs {
        Some(BlobsUrl::S3(location)) => location.bucket.clone(),
        other => panic!("documents kept in {other:?}, not a bucket"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunks_of_one_upload_sent_to_two_instances_make_one_document_in_the_bucket() {
    if !on_postgres() {
        return;
    }
    let first = start().await;
    // Its own data folder, with a copy of the signing key only: nothing of the
    // documents is shared but the bucket.
    let own_dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        first.dir.path().join("receipt-signing.key"),
        own_dir.path().join("receipt-signing.key"),
    )
    .unwrap();
    let (database, blobs) = (first.database.clone(), first.blobs.clone());
    let second = start_with(|config| {
        config.data_dir = own_dir.path().to_owned();
        config.database = Some(database);
        config.blobs = blobs;
    })
    .await;
    let bucket = bucket_of(&first);

    let token = first.supplier("trozos@example.mx", &rfc("TRZ")).await;
    let bytes: Vec<u8> = (0..300_000u32).map(|n| (n % 251) as u8).collect();
    let upload = second.create_upload(&token, &bytes).await;
    let mut offset = 0;
    for (n, chunk) in bytes.chunks(70_000).enumerate() {
        let instance = [&first, &second][n % 2];
        let response = instance.patch(&token, upload.id, offset, chunk).await;
        assert_eq!(response.status(), 200, "chunk {n}");
        let status: UploadStatus = response.json().await.unwrap();
        offset += chunk.len() as u64;
        assert_eq!(status.offset, offset);
    }
    let store = object_store();
    let key = format!("documents/{}", upload.sha256);
    assert_eq!(store.object(&bucket, &key).as_deref(), Some(&bytes[..]));
    assert!(
        store.keys(&bucket, "uploads/").is_empty(),
        "chunks left behind"
    );
    for instance in [&first, &second] {
        let known = instance
            .http
            .head(instance.url(&format!("/v1/documents/{}", upload.sha256)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(known.status(), 200);
    }
    assert!(!own_dir.path().join("documents").exists());

    // Bytes that do not hash to what was declared make no document and leave no chunk.
    let declared = b"lo que se dijo que era";
    let upload = first.create_upload(&token, declared).await;
    let sent = b"otra cosa, mismo largo!";
    problem(
        second
            .patch(&token, upload.id, 0, &sent[..declared.len()])
            .await,
        422,
        "upload-hash-mismatch",
    )
    .await;
    let key = format!("documents/{}", upload.sha256);
    assert_eq!(store.object(&bucket, &key), None);
    assert!(store.keys(&bucket, "uploads/").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_store_gone_mid_upload_is_answered_503_and_the_upload_resumes_when_it_returns() {
    if !on_postgres() {
        return;
    }
    let store = object_store();
    let proxy = Proxy::start(([127, 0, 0, 1], store.port()).into(), Faults::default());
    let bucket = store.bucket();
    let through_proxy = format!("s3://{bucket}?endpoint={}", proxy.base());
    let server = start_with(|config| {
        config.blobs = Some(BlobsUrl::parse(&through_proxy).unwrap());
    })
    .await;
    let token = server.supplier("caida@example.mx", &rfc("CAI")).await;
    let bytes = b"%PDF-1.7 la primera mitad | y la segunda mitad".to_vec();
    let upload = server.create_upload(&token, &bytes).await;
    let (head, tail) = bytes.split_at(20);
    assert_eq!(server.patch(&token, upload.id, 0, head).await.status(), 200);

    proxy.down.store(true, Ordering::SeqCst);
    let refused = problem(
        server.patch(&token, upload.id, 20, tail).await,
        503,
        "document-store-unavailable",
    )
    .await;
    assert!(
        refused.detail.contains("continúa desde donde iba"),
        "{}",
        refused.detail
    );
    let health = server
        .http
        .get(server.url("/v1/health"))
        .send()
        .await
        .unwrap();
    problem(health, 503, "document-store-unavailable").await;
    // Nothing of the refused chunk counts.
    let status: UploadStatus = server
        .http
        .get(server.url(&format!("/v1/uploads/{}", upload.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status.offset, 20);

    proxy.down.store(false, Ordering::SeqCst);
    let health = server
        .http
        .get(server.url("/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let finished: UploadStatus = server
        .patch(&token, upload.id, 20, tail)
        .await
        .json()
        .await
        .unwrap();
    assert!(finished.complete);
    let key = format!("documents/{}", upload.sha256);
    assert_eq!(store.object(&bucket, &key), Some(bytes));
}

#[test]
fn a_document_store_that_cannot_be_used_stops_the_start_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let start = |blobs: &str, keys: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ventanilla-server"));
        command
            .args(["--allow-unsigned", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args(["--blobs", blobs])
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN");
        if keys {
            let keys = test_s3_keys();
            command
                .env("AWS_ACCESS_KEY_ID", keys.access_key)
                .env("AWS_SECRET_ACCESS_KEY", keys.secret_key);
        }
        command.output().unwrap()
    };
    // Each is refused with `code`, saying every one of `says`.
    let refused = |blobs: &str, keys: bool, code: i32, says: &[&str]| {
        let output = start(blobs, keys);
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{said}");
        assert!(says.iter().all(|s| said.contains(s)), "{said}");
    };
    refused("s3:/documentos", true, 2, &["file:CARPETA o s3://CUBETA"]);
    let nobody = "s3://documentos?endpoint=http://127.0.0.1:1";
    refused(nobody, false, 1, &["AWS_ACCESS_KEY_ID"]);
    // Nothing listens on port 1.
    refused(
        nobody,
        true,
        1,
        &[
            "No se puede usar el almacén de documentos s3://documentos",
            "que la cubeta exista",
        ],
    );
}
