//! Durability: a receipt, once answered, survives the server being killed. The real
//! binary runs as a process, is killed (SIGKILL) while bids are in flight, and is
//! started again on the same data folder (and database).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use reqwest::{Client, StatusCode};
use serde_json::json;
use uuid::Uuid;
use ventanilla_api::bid::BidRecord;

use super::common::{rfc, test_database_flags, Peer};

const OPEN: &str = "ocds-abj-sandbox-LP-ABJ-2026-014";
/// Businesses that each send one bid, all at once.
const BIDDERS: usize = 48;
/// The server is killed once this many bids have been answered.
const KILL_AFTER: usize = 8;

/// `ventanilla-server --sandbox` on a free loopback port, killed when dropped.
struct Process {
    child: Child,
    peer: Peer,
}

/// `database`: its `--database-url`, if any ([`test_database_flags`]).
fn launch(dir: &Path, database: &[String]) -> Process {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
        .args(["--sandbox", "--allow-unsigned", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(dir)
        .args(database)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.split_once("listening on ").map(|(_, url)| url.to_owned()))
        .unwrap();
    // Keep reading, so that the server never writes to a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Process {
        child,
        peer: Peer {
            base,
            http: Client::new(),
        },
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn letters(n: usize) -> String {
    let letter = |k: usize| char::from(b'A' + (k % 26) as u8);
    format!("D{}{}", letter(n / 26), letter(n))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answered_receipt_survives_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let database = test_database_flags();
    let mut first = launch(dir.path(), &database);
    let token = first.peer.operator("durable@example.mx").await;
    let documents = first.peer.required_documents(&token).await;
    let rfcs: Vec<String> = (0..BIDDERS).map(|n| rfc(&letters(n))).collect();
    for rfc in &rfcs {
        let id = Uuid::now_v7().to_string();
        let body = json!({
            "submission_id": id, "rfc": rfc, "employer": false, "documents": documents,
            "snapshot": format!("{{\"razon_social\":\"Comercializadora {rfc}\"}}"),
        });
        let put = first.peer.put_registration(&token, rfc, &id, &body);
        assert_eq!(put.await.status(), StatusCode::CREATED);
    }

    let (sent, mut answers) = tokio::sync::mpsc::unbounded_channel();
    for rfc in &rfcs {
        let id = Uuid::now_v7();
        let body = json!({
            "submission_id": id, "tenderer_rfc": rfc,
            "value": {"amount": "1000.00", "currency": "MXN"},
            "snapshot": format!("{{\"propuesta\":\"{rfc}\"}}"),
        });
        let request = first
            .peer
            .http
            .post(first.peer.url(&format!("/v1/tenders/{OPEN}/bids")))
            .bearer_auth(&token)
            .header("idempotency-key", id.to_string())
            .json(&body);
        let sent = sent.clone();
        tokio::spawn(async move {
            let answer = match request.send().await {
                Ok(r) if r.status() == StatusCode::CREATED => r.json::<BidRecord>().await.ok(),
                _ => None,
            };
            let _ = sent.send(answer.map(|bid| (bid, body)));
        });
    }
    drop(sent);
    let mut answered = Vec::new();
    while let Some(answer) = answers.recv().await {
        answered.extend(answer);
        if answered.len() == KILL_AFTER {
            first.child.kill().unwrap();
        }
    }
    assert!(answered.len() >= KILL_AFTER);
    first.child.wait().unwrap();

    let second = launch(dir.path(), &database);
    let log = second.peer.chained_log(&token).await;
    // Every answered receipt is there, as answered, and its bid replays the same.
    for (bid, body) in &answered {
        let index = usize::try_from(bid.receipt.log_index).unwrap();
        assert_eq!(log[index].receipt.as_ref(), Some(&bid.receipt));
        let replay = second
            .peer
            .http
            .post(second.peer.url(&format!("/v1/tenders/{OPEN}/bids")))
            .bearer_auth(&token)
            .header("idempotency-key", bid.bid_id.to_string())
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), StatusCode::CREATED);
        assert_eq!(&replay.json::<BidRecord>().await.unwrap(), bid);
    }
}

/// SIGTERM, as systemd stops a service: the request being answered is finished, and
/// the server exits cleanly without taking new connections.
#[cfg(unix)]
#[tokio::test]
async fn a_terminated_server_answers_the_request_under_way_and_exits_cleanly() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let mut server = launch(dir.path(), &test_database_flags());
    let address = server.peer.base.trim_start_matches("http://").to_owned();
    let body = r#"{"email":"nadie@example.mx","password":"una contraseña larga"}"#;
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    let head = format!(
        "POST /v1/session HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    // Half the request, then the stop: the server has begun answering it.
    let (first, rest) = body.as_bytes().split_at(10);
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(first).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(std::time::Duration::from_millis(500));
    stream.write_all(rest).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(std::net::TcpStream::connect(&address).is_err());
}
