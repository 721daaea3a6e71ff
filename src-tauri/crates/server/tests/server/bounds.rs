//! What a client can make the server keep: no state for impossible sign-ins, weak
//! passwords refused, a quota per account, a full disk told as such, and files only the
//! server's user can read.

use reqwest::StatusCode;
use serde_json::json;
use ventanilla_testkit::postgres::on_postgres;

use super::common::{problem, rfc, start, start_with, ServerProcess, SmallDisk, PASSWORD};

#[tokio::test]
async fn an_email_longer_than_any_address_is_refused_before_it_counts() {
    let server = start().await;
    server.supplier("ana@example.mx", &rfc("LAR")).await;
    let long = format!("{}@example.mx", "a".repeat(300));
    let huge = format!("{}@example.mx", "b".repeat(1_000_000));
    // More than the sign-in limit allows for one email or one address, all refused
    // as unusable rather than counted as failures.
    for email in std::iter::repeat_n(&long, 25).chain([&huge]) {
        let refused = problem(
            server.sign_in(email, "equivocada!!").await,
            422,
            "validation",
        )
        .await;
        assert_eq!(refused.errors[0].pointer, "/email");
        assert_eq!(refused.errors[0].code, "email_length");
        assert!(refused.errors[0].detail.contains("254 caracteres"));
    }
    let overlong_password = server.sign_in("ana@example.mx", &"p".repeat(300)).await;
    let refused = problem(overlong_password, 422, "validation").await;
    assert_eq!(refused.errors[0].code, "password_length");
    assert_eq!(
        server.sign_in("ana@example.mx", PASSWORD).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn guessable_passwords_are_refused_at_sign_up_saying_why() {
    let server = start().await;
    let email = "compras.norte@example.mx";
    let cases = [
        ("zzzzzzzzzzzz", "password_repeated", "un solo carácter"),
        (email, "password_is_email", "tu correo"),
        ("Compras.Norte", "password_is_email", "antes de la @"),
        ("qwertyuiop", "password_common", "de las más usadas"),
        ("Contraseña123", "password_common", "de las más usadas"),
    ];
    for (password, code, words) in cases {
        let body =
            json!({"role": "supplier", "email": email, "password": password, "rfc": rfc("CNO")});
        let refused = problem(server.sign_up(body).await, 422, "validation").await;
        assert_eq!(refused.errors.len(), 1, "{password}");
        assert_eq!(refused.errors[0].pointer, "/password");
        assert_eq!(refused.errors[0].code, code, "{password}");
        assert!(refused.errors[0].detail.contains(words), "{password}");
    }
    let body = json!({"role": "supplier", "email": email, "password": PASSWORD, "rfc": rfc("CNO")});
    assert_eq!(server.sign_up(body).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn an_account_past_its_quota_is_refused_with_507_and_others_are_not() {
    let server = start_with(|config| config.account_quota_bytes = 3000).await;
    let ana = server.supplier("cuota@example.mx", &rfc("CUO")).await;
    let first = vec![b'a'; 2000];
    server.upload(&ana, &first).await;
    let second = vec![b'b'; 1500];
    let response = server
        .http
        .post(server.url("/v1/uploads"))
        .bearer_auth(&ana)
        .json(&json!({"size": second.len(), "sha256": ventanilla_api::sha256_hex(&second)}))
        .send()
        .await
        .unwrap();
    let refused = problem(response, 507, "quota-exceeded").await;
    assert!(
        refused.detail.contains("límite de 3 KiB"),
        "{}",
        refused.detail
    );
    // A document the account already has takes no more room.
    assert!(server.create_upload(&ana, &first).await.complete);
    let other = server.supplier("otra@example.mx", &rfc("OTR")).await;
    server.upload(&other, &second).await;
}

#[tokio::test]
async fn a_full_disk_is_answered_507_and_the_server_recovers_when_there_is_room() {
    let Some(disk) = SmallDisk::mount(4 * 1024 * 1024) else {
        return;
    };
    let data_dir = disk.path.join("datos");
    // Documents on that disk too, whatever the backend.
    let server = start_with(|config| {
        config.data_dir = data_dir;
        config.blobs = None;
    })
    .await;
    let token = server.supplier("lleno@example.mx", &rfc("LLE")).await;

    let too_big = vec![b'x'; 6 * 1024 * 1024];
    let upload = server.create_upload(&token, &too_big).await;
    let refused = problem(
        server.patch(&token, upload.id, 0, &too_big).await,
        507,
        "insufficient-storage",
    )
    .await;
    assert!(refused.detail.contains("sin espacio en disco"));
    // The bytes that did fit were given back: a small document still goes in.
    server.upload(&token, b"%PDF-1.7 cabe").await;

    // The disk filled by something else: the database cannot write either. Only SQLite
    // keeps it in the data folder.
    if on_postgres() {
        return;
    }
    let filler = disk.path.join("relleno");
    let mut file = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut file, &block).is_ok() {}
    drop(file);
    let body = json!({"role": "supplier", "email": "otra@example.mx", "password": PASSWORD, "rfc": rfc("OTL")});
    problem(
        server.sign_up(body.clone()).await,
        507,
        "insufficient-storage",
    )
    .await;
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(server.sign_up(body).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn what_the_server_keeps_only_its_user_can_read_whatever_the_umask() {
    let server = ServerProcess::start("000", &[]);
    let token = server.supplier("umask@example.mx", &rfc("UMA")).await;
    server.upload(&token, b"%PDF-1.7 completo").await;
    let unfinished = server.create_upload(&token, b"%PDF-1.7 a medias").await;
    let response = server.patch(&token, unfinished.id, 0, b"%PDF").await;
    assert_eq!(response.status(), StatusCode::OK);

    let mut seen = Vec::new();
    let mut pending = vec![server.data_dir.clone()];
    while let Some(path) = pending.pop() {
        use std::os::unix::fs::PermissionsExt;
        let metadata = std::fs::metadata(&path).unwrap();
        let mode = metadata.permissions().mode() & 0o777;
        let name = path
            .strip_prefix(&server.data_dir)
            .unwrap()
            .display()
            .to_string();
        if metadata.is_dir() {
            assert_eq!(mode, 0o700, "folder {name} is {mode:o}");
            pending.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(mode, 0o600, "file {name} is {mode:o}");
        }
        seen.push(name);
    }
    let database: &[&str] = match on_postgres() {
        true => &[],
        false => &["server.db", "server.db-wal"],
    };
    for kept in database.iter().chain(&["receipt-signing.key"]) {
        assert!(
            seen.iter().any(|name| name == kept),
            "{kept} not in {seen:?}"
        );
    }
    for folder in ["documents/", "uploads/"] {
        assert!(
            seen.iter().any(|name| name.starts_with(folder)),
            "nothing in {folder}: {seen:?}"
        );
    }
}
