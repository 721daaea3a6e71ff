//! What unauthenticated clients can hold or guess: connections that trickle or idle are
//! closed, connections past the limit refused, and sign-in guesses bounded per email
//! and per client address without locking the owner out.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::common::{client_from, problem, rfc, start, start_with, ServerProcess, PASSWORD};

/// Sends a request's headers one byte a second until the server closes the
/// connection; false if it ever answered or took the whole head.
async fn trickle(address: String) -> bool {
    let Ok(mut socket) = TcpStream::connect(address).await else {
        return false;
    };
    let head = b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Relleno: ";
    let mut answer = [0u8; 64];
    for byte in head.iter().chain(std::iter::repeat(&b'a')) {
        if socket.write_all(&[*byte]).await.is_err() {
            return true;
        }
        tokio::select! {
            read = socket.read(&mut answer) => return matches!(read, Ok(0) | Err(_)),
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
    false
}

#[tokio::test]
async fn trickling_and_idle_connections_are_closed_while_the_server_keeps_answering() {
    let server = ServerProcess::start("077", &["--header-timeout", "2"]);
    let address = server.base.trim_start_matches("http://").to_owned();
    let baseline = server.open_files();

    let slow: Vec<_> = (0..300)
        .map(|_| tokio::spawn(trickle(address.clone())))
        .collect();
    // A kept-alive connection that asks once and then says nothing more.
    let mut idle = TcpStream::connect(&address).await.unwrap();
    idle.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();

    let health = reqwest::Client::new()
        .get(server.url("/v1/health"))
        .header("connection", "close")
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    let closed = tokio::time::timeout(Duration::from_secs(60), async {
        let mut closed = 0;
        for connection in slow {
            closed += usize::from(connection.await.unwrap());
        }
        closed
    })
    .await
    .expect("the trickling connections are closed");
    assert_eq!(closed, 300);
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), idle.read_to_end(&mut answer))
        .await
        .expect("the idle connection is closed")
        .unwrap();
    assert!(answer.starts_with(b"HTTP/1.1 200"));
    drop(idle);

    // Every socket the server opened for them is given back.
    let mut open = server.open_files();
    for _ in 0..100 {
        if open <= baseline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        open = server.open_files();
    }
    assert_eq!(open, baseline);
}

#[tokio::test]
async fn past_the_connection_limit_a_client_is_told_to_come_back() {
    let server = start_with(|config| config.max_connections = 3).await;
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(&address).await.unwrap());
    }
    let mut refused = TcpStream::connect(&address).await.unwrap();
    let mut answer = String::new();
    refused.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("retry-after: 5"));
    assert!(answer.contains("application/problem+json"));
    assert!(answer.contains("urn:ventanilla:problem:server-busy"));

    drop(held);
    let fresh = reqwest::Client::new();
    let mut status = None;
    for _ in 0..100 {
        let response = fresh.get(server.url("/v1/health")).send().await;
        status = response.ok().map(|r| r.status());
        if status == Some(StatusCode::OK) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, Some(StatusCode::OK));
}

#[tokio::test]
async fn a_burst_of_guesses_gets_no_more_tries_than_one_at_a_time() {
    let server = start().await;
    server.supplier("rafaga@example.mx", &rfc("RAF")).await;
    let guesses = (0..100).map(|i| {
        let (http, url) = (server.http.clone(), server.url("/v1/session"));
        tokio::spawn(async move {
            let body = serde_json::json!({"email": "rafaga@example.mx", "password": format!("intento número {i}")});
            http.post(url).json(&body).send().await.unwrap().status()
        })
    });
    let mut statuses = Vec::new();
    for guess in guesses.collect::<Vec<_>>() {
        statuses.push(guess.await.unwrap());
    }
    let wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((wrong, limited), (5, 95), "{statuses:?}");
}

#[tokio::test]
async fn a_guesser_is_slowed_while_the_owner_signs_in_from_elsewhere() {
    let server = start().await;
    server.supplier("duena@example.mx", &rfc("DUE")).await;
    let guesser = super::common::Peer {
        base: server.base.clone(),
        http: client_from([127, 0, 0, 1]),
    };
    let owner = super::common::Peer {
        base: server.base.clone(),
        http: client_from([127, 0, 0, 2]),
    };
    for _ in 0..5 {
        let wrong = guesser.sign_in("duena@example.mx", "no es la clave").await;
        problem(wrong, 401, "invalid-credentials").await;
    }
    let slowed = guesser.sign_in("duena@example.mx", PASSWORD).await;
    let retry_after: i64 = slowed.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&retry_after));
    let slowed = problem(slowed, 429, "too-many-attempts").await;
    assert!(slowed.detail.contains("Vuelve a intentarlo en 15 minutos"));
    assert!(slowed.detail.contains("hora de la Ciudad de México"));

    let signed_in = owner.sign_in("duena@example.mx", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::CREATED);
    // The owner's success does not give the guesser its tries back.
    let still = guesser.sign_in("duena@example.mx", "otra conjetura").await;
    problem(still, 429, "too-many-attempts").await;

    // Guessing across many emails runs out too, for that address alone.
    let sprayer = super::common::Peer {
        base: server.base.clone(),
        http: client_from([127, 0, 0, 3]),
    };
    for i in 0..20 {
        let wrong = sprayer
            .sign_in(&format!("{i}@example.mx"), "no es la clave")
            .await;
        problem(wrong, 401, "invalid-credentials").await;
    }
    let sprayed = sprayer.sign_in("duena@example.mx", PASSWORD).await;
    problem(sprayed, 429, "too-many-attempts").await;
    assert_eq!(
        owner.sign_in("duena@example.mx", PASSWORD).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn many_people_signing_in_at_once_from_one_address_all_get_in() {
    let server = start().await;
    let emails: Vec<String> = (0..25).map(|i| format!("oficina{i}@example.mx")).collect();
    for email in &emails {
        let body = serde_json::json!({"role": "operator", "email": email, "password": PASSWORD});
        assert_eq!(server.sign_up(body).await.status(), StatusCode::CREATED);
    }
    let sign_ins = emails.iter().map(|email| {
        let (http, url) = (server.http.clone(), server.url("/v1/session"));
        let body = serde_json::json!({"email": email, "password": PASSWORD});
        tokio::spawn(async move { http.post(url).json(&body).send().await.unwrap().status() })
    });
    for sign_in in sign_ins.collect::<Vec<_>>() {
        assert_eq!(sign_in.await.unwrap(), StatusCode::CREATED);
    }
}
