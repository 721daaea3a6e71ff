//! Several instances of the server on one PostgreSQL database (and one data folder):
//! submissions sent to each at once take their places in one gapless receipt chain,
//! what one instance answered the other replays, a sign-out on one holds on the
//! other, failed sign-ins on both add up, and an instance without the others' signing
//! key is refused. PostgreSQL only:
//! SQLite's file belongs to one process.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;
use ventanilla_api::bid::BidRecord;
use ventanilla_server::database::Database;
use ventanilla_server::{App, Config, StartError};
use ventanilla_testkit::postgres::{cluster, on_postgres};

use super::common::{client_from, problem, rfc, start, start_with, Peer, Server, PASSWORD};

const OPEN: &str = "ocds-abj-sandbox-LP-ABJ-2026-014";
/// Businesses registered and bidding, half through each instance.
const BIDDERS: usize = 20;
/// Of them, those that send their bid to both instances at once.
const TWICE: usize = 8;

fn letters(n: usize) -> String {
    let letter = |k: usize| char::from(b'A' + (k % 26) as u8);
    format!("M{}{}", letter(n / 26), letter(n))
}

/// A second instance of `first`'s server: its data folder, its database.
async fn second_instance(first: &Server) -> Server {
    let data_dir = first.dir.path().to_owned();
    let database = first.database.clone();
    let blobs = first.blobs.clone();
    start_with(|config| {
        config.data_dir = data_dir;
        config.database = Some(database);
        config.blobs = blobs;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_keep_one_gapless_chain_and_replay_each_others_answers() {
    if !on_postgres() {
        return;
    }
    let first = start().await;
    let second = second_instance(&first).await;
    let instances = [&first, &second];
    // Sessions are in the database: a token from one instance works on the other.
    let token = first.operator("instancias@example.mx").await;
    let documents = second.required_documents(&token).await;
    let rfcs: Vec<String> = (0..BIDDERS + TWICE).map(|n| rfc(&letters(n))).collect();

    let registrations = rfcs.iter().enumerate().map(|(n, rfc)| {
        let id = Uuid::now_v7().to_string();
        let body = json!({
            "submission_id": id, "rfc": rfc, "employer": false, "documents": documents,
            "snapshot": format!("{{\"razon_social\":\"Comercializadora {rfc}\"}}"),
        });
        let (instance, token) = (instances[n % 2], &token);
        async move { instance.put_registration(token, rfc, &id, &body).await }
    });
    for answer in futures_util::future::join_all(registrations).await {
        assert_eq!(answer.status(), StatusCode::CREATED);
    }

    let bid_bodies: Vec<_> = rfcs[..BIDDERS]
        .iter()
        .map(|rfc| {
            json!({
                "submission_id": Uuid::now_v7(), "tenderer_rfc": rfc,
                "value": {"amount": "1000.00", "currency": "MXN"},
                "snapshot": format!("{{\"propuesta\":\"{rfc}\"}}"),
            })
        })
        .collect();
    let send_bid = |instance: &Server, body: &serde_json::Value| {
        instance
            .http
            .post(instance.url(&format!("/v1/tenders/{OPEN}/bids")))
            .bearer_auth(&token)
            .header("idempotency-key", body["submission_id"].as_str().unwrap())
            .json(body)
            .send()
    };
    let bids = bid_bodies
        .iter()
        .enumerate()
        .map(|(n, body)| send_bid(instances[n % 2], body));
    let mut answered = Vec::new();
    for answer in futures_util::future::join_all(bids).await {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), StatusCode::CREATED);
        answered.push(answer.json::<BidRecord>().await.unwrap());
    }

    for instance in instances {
        let log = instance.chained_log(&token).await;
        assert_eq!(log.len(), 2 * BIDDERS + TWICE);
        for bid in &answered {
            let index = usize::try_from(bid.receipt.log_index).unwrap();
            assert_eq!(log[index].receipt.as_ref(), Some(&bid.receipt));
        }
    }
    // The same bid sent to both at once: one receipt. The instance that finds the
    // other holding the key answers 409 (or, if the other was done, replays its answer);
    // the client's retry then replays the one receipt.
    for rfc in &rfcs[BIDDERS..] {
        let body = json!({
            "submission_id": Uuid::now_v7(), "tenderer_rfc": rfc,
            "value": {"amount": "900.00", "currency": "MXN"},
            "snapshot": format!("{{\"propuesta\":\"{rfc}\"}}"),
        });
        let (one, other) = tokio::join!(send_bid(&first, &body), send_bid(&second, &body));
        let mut receipts = Vec::new();
        for (instance, answer) in [(&first, one.unwrap()), (&second, other.unwrap())] {
            let answer = match answer.status() {
                StatusCode::CONFLICT => {
                    problem(answer, 409, "idempotency-in-progress").await;
                    send_bid(instance, &body).await.unwrap()
                }
                _ => answer,
            };
            assert_eq!(answer.status(), StatusCode::CREATED);
            receipts.push(answer.json::<BidRecord>().await.unwrap().receipt);
        }
        assert_eq!(receipts[0], receipts[1]);
    }
    let log = first.chained_log(&token).await;
    assert_eq!(log.len(), 2 * (BIDDERS + TWICE));

    // Each bid resent to the instance that did not take it replays its receipt.
    for (n, (body, bid)) in bid_bodies.iter().zip(&answered).enumerate() {
        let replay = send_bid(instances[(n + 1) % 2], body).await.unwrap();
        assert_eq!(replay.status(), StatusCode::CREATED);
        let replayed: BidRecord = replay.json().await.unwrap();
        assert_eq!(replayed.receipt, bid.receipt);
    }
}

#[tokio::test]
async fn a_sign_out_on_one_instance_ends_the_session_on_the_other() {
    if !on_postgres() {
        return;
    }
    let first = start().await;
    let second = second_instance(&first).await;
    let supplier = rfc("OUT");
    let token = first.supplier("salir@example.mx", &supplier).await;
    let status_path = format!("/v1/suppliers/{supplier}");
    // Signed in on both (the second has looked the session up).
    for instance in [&first, &second] {
        problem(
            instance.get(Some(&token), &status_path).await,
            404,
            "not-found",
        )
        .await;
    }
    let out = first
        .http
        .delete(first.url("/v1/session"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    // The second read the session less than a second ago; past that it reads it again.
    tokio::time::sleep(ventanilla_server::sessions::SHARED_FRESHNESS).await;
    let refused = second.get(Some(&token), &status_path).await;
    problem(refused, 401, "unauthenticated").await;
}

/// `ventanilla-server keys init` on a data folder and a database: its exit status, and
/// what it printed (the public key, or why not).
fn keys_init(data_dir: &std::path::Path, database_url: &str) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
        .args(["keys", "init", "--data-dir"])
        .arg(data_dir)
        .args(["--database-url", database_url])
        .output()
        .unwrap();
    let text = match output.status.success() {
        true => String::from_utf8(output.stdout).unwrap(),
        false => String::from_utf8(output.stderr).unwrap(),
    };
    (output.status.success(), text.trim().to_owned())
}

#[tokio::test]
async fn instances_after_the_first_load_its_key_and_are_refused_without_it_or_with_another() {
    if !on_postgres() {
        return;
    }
    let key = "receipt-signing.key";
    // keys init before any instance starts: the key's file, recorded in the database.
    let database = cluster().database();
    let made = tempfile::tempdir().unwrap();
    let (ok, public_key) = keys_init(made.path(), &database);
    assert!(ok, "{public_key}");
    assert_eq!(public_key.len(), 44, "a base64 Ed25519 key: {public_key}");
    let (ok, why) = keys_init(made.path(), &database);
    assert!(!ok && why.contains("Ya hay una llave"), "{why}");
    let (ok, why) = keys_init(tempfile::tempdir().unwrap().path(), &database);
    assert!(!ok && why.contains("ya tiene recibos firmados"), "{why}");

    let open = |dir: &std::path::Path, url: &str| {
        let mut config = Config::new(dir);
        config.database = Some(Database::parse(url).unwrap());
        App::open(config)
    };
    assert!(open(made.path(), &database).is_ok());
    // An instance without the key is refused, and makes none of its own.
    let other = tempfile::tempdir().unwrap();
    let Err(refused) = open(other.path(), &database) else {
        panic!("an instance without the key started");
    };
    assert!(
        matches!(refused, StartError::NoSigningKey { .. }),
        "{refused}"
    );
    assert!(refused.to_string().contains("Copia receipt-signing.key"));
    assert!(!other.path().join(key).exists());

    // An instance with another key (one made for another database) is refused too.
    let (ok, _) = keys_init(other.path(), &cluster().database());
    assert!(ok);
    let Err(refused) = open(other.path(), &database) else {
        panic!("a server with another signing key started");
    };
    assert!(
        matches!(refused, StartError::OtherSigningKey { .. }),
        "{refused}"
    );
    std::fs::copy(made.path().join(key), other.path().join(key)).unwrap();
    assert!(open(other.path(), &database).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_spread_over_two_instances_add_up() {
    if !on_postgres() {
        return;
    }
    let first = start().await;
    let second = second_instance(&first).await;
    first.supplier("repartida@example.mx", &rfc("REP")).await;
    let from = |server: &Server, last: u8| Peer {
        base: server.base.clone(),
        http: client_from([127, 0, 0, last]),
    };
    let guessers = [from(&first, 1), from(&second, 1)];
    for n in 0..5 {
        let wrong = guessers[n % 2]
            .sign_in("repartida@example.mx", "no es la clave")
            .await;
        problem(wrong, 401, "invalid-credentials").await;
    }
    for guesser in &guessers {
        let refused = guesser.sign_in("repartida@example.mx", PASSWORD).await;
        problem(refused, 429, "too-many-attempts").await;
    }
    // The owner, from elsewhere, still gets in on either.
    let owner = from(&second, 2);
    assert_eq!(
        owner
            .sign_in("repartida@example.mx", PASSWORD)
            .await
            .status(),
        StatusCode::CREATED
    );

    // One address guessing many emails, half on each instance, runs out on both.
    let sprayers = [from(&first, 3), from(&second, 3)];
    for n in 0..20 {
        let wrong = sprayers[n % 2]
            .sign_in(&format!("{n}@example.mx"), "no es la clave")
            .await;
        problem(wrong, 401, "invalid-credentials").await;
    }
    for sprayer in &sprayers {
        let refused = sprayer.sign_in("repartida@example.mx", PASSWORD).await;
        problem(refused, 429, "too-many-attempts").await;
    }
}
