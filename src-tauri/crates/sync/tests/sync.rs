//! The sync client against the real reference server on loopback: through a proxy
//! that drops, cuts, delays and answers 503 (exactly once, nothing lost or stuck); an
//! upload cut at 60 % resumed from the server's offset; an upload slower than the cap
//! of a small exchange carried on while its bytes move; and servers that answer
//! garbage, HTML, truncated JSON, a bad signature, another key or a clock far off.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use chrono::Utc;
use ventanilla_api::auth::Role;
use ventanilla_api::Receipt;
use ventanilla_core::checklist::mexico_city_today;
use ventanilla_store::{Library, OutboxState, PinnedKey};
use ventanilla_sync::{
    accept_new_key, issue_handover, queue_registration, sign_in, sign_up, sync_now, verify_receipt,
    ClientOptions, DrainOptions, DrainSummary, NewAccount, RetryPolicy, SyncError,
};
use ventanilla_testkit::{complete_business, Background, Faults, Proxy, Server, PASSWORD};

/// Quick retries: the faults are many and the waits would only slow the test.
fn options(chunk_bytes: usize) -> DrainOptions {
    DrainOptions {
        everything_now: true,
        chunk_bytes,
        status_fresh_for: chrono::Duration::minutes(15),
        client: ClientOptions {
            connect_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(20),
            timeout: Duration::from_secs(20),
            retry: RetryPolicy {
                tries: 4,
                base: Duration::from_millis(2),
                cap: Duration::from_millis(50),
                later_base: Duration::from_millis(1),
                later_cap: Duration::from_millis(5),
            },
        },
    }
}

/// An operator account created on `server`, signed in through `base` (which may be
/// a faulty proxy: sign-in is retried until it gets through).
async fn operator(library: &Library, server: &Server, base: &str, email: &str) {
    let scratch = ventanilla_testkit::scratch();
    let account = NewAccount {
        role: Role::Operator,
        email: email.to_owned(),
        password: PASSWORD.to_owned(),
        rfc: None,
        handover: None,
    };
    let scratch_library = Library::open(scratch.path()).unwrap();
    sign_up(
        &scratch_library,
        &server.base(),
        &account,
        ClientOptions::default(),
    )
    .await
    .unwrap();
    for _ in 0..20 {
        if sign_in(library, base, email, PASSWORD, options(1).client)
            .await
            .is_ok()
        {
            return;
        }
    }
    panic!("could not sign in through {base}");
}

/// Drains until nothing is pending, at most `rounds` times; answers the summaries.
async fn drain_until_settled(
    library: &Library,
    options: &DrainOptions,
    rounds: usize,
) -> Vec<DrainSummary> {
    let mut summaries = Vec::new();
    for _ in 0..rounds {
        let summary = sync_now(library, options.clone(), &|_| {}).await;
        let settled = summary.stopped.is_none() && summary.pending.is_empty();
        summaries.push(summary);
        if settled {
            break;
        }
    }
    summaries
}

/// Every item of every business: (state, receipt json, submission).
fn items(library: &Library) -> Vec<ventanilla_store::OutboxItem> {
    library
        .list_businesses("")
        .unwrap()
        .iter()
        .flat_map(|b| library.open_business(&b.id).unwrap().outbox().unwrap())
        .collect()
}

#[tokio::test]
async fn three_hundred_registrations_arrive_exactly_once_through_a_faulty_network() {
    const BUSINESSES: usize = 300;
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let proxy = Proxy::start(
        server.address,
        Faults {
            seed: 20261124,
            drop: 0.05,
            unavailable: 0.05,
            delay: 0.05,
            cut_within: Some(48 * 1024),
            cut_once_at: None,
        },
    );
    let library = Library::open(dir.path().join("data")).unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let today = mexico_city_today(Utc::now());
    for n in 0..BUSINESSES {
        let id = complete_business(&library, &files, n, 600);
        queue_registration(&library, &id, today, None).unwrap();
    }
    operator(&library, &server, &proxy.base(), "camara@ejemplo.mx").await;

    let summaries = drain_until_settled(&library, &options(64 * 1024), 60).await;
    let last = summaries.last().unwrap();
    assert!(
        last.stopped.is_none() && last.pending.is_empty(),
        "{last:#?}"
    );
    assert!(summaries.len() > 1 || last.sent.len() == BUSINESSES);
    let sent: usize = summaries.iter().map(|s| s.sent.len()).sum();
    assert_eq!(sent, BUSINESSES, "each item reported sent once");
    assert!(summaries.iter().all(|s| s.needs_attention.is_empty()));

    // Exactly once on the server.
    server.holds_each_registration_once(BUSINESSES);

    // Every item sent with a receipt that verifies with the pinned key.
    let key = library.pinned_key().unwrap().unwrap();
    let all = items(&library);
    assert_eq!(all.len(), BUSINESSES);
    let mut receipts = HashSet::new();
    for item in &all {
        assert_eq!(item.state, OutboxState::Sent, "{item:?}");
        let stored = item.receipt.as_ref().unwrap();
        let receipt: Receipt = serde_json::from_str(&stored.json).unwrap();
        verify_receipt(&receipt, &key, &item.submission, Utc::now()).unwrap();
        assert!(receipts.insert(receipt.receipt_id));
    }
    assert!(proxy.client_bytes.load(Ordering::SeqCst) > 0);

    // A second sync with nothing new sends no document bytes.
    let again = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert_eq!(again.document_bytes_sent, 0);
    assert!(again.sent.is_empty() && again.pending.is_empty());
    assert!(
        !again.catalogue_updated,
        "the catalogue's ETag still matches"
    );
    assert!(
        library.tender_count().unwrap() > 0,
        "the sandbox's tenders came down with the first drain"
    );
    assert_eq!(
        again.tenders_updated, None,
        "the tender list's ETag still matches"
    );
}

#[tokio::test]
async fn an_upload_cut_at_sixty_percent_resumes_from_the_servers_offset() {
    const CHUNK: usize = 32 * 1024;
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let (library, id, _) = ventanilla_testkit::queued_registration(dir.path(), 7, 150_000);
    let business = library.open_business(&id).unwrap();
    let total: u64 = business.outbox().unwrap()[0]
        .submission
        .documents
        .iter()
        .map(|d| business.open_document(&d.sha256).unwrap().len())
        .sum();

    // Sign in directly, then send through a proxy that cuts once at 60 % of the bytes.
    operator(&library, &server, &server.base(), "uno@ejemplo.mx").await;
    let proxy = Proxy::start(
        server.address,
        Faults {
            cut_once_at: Some(total * 6 / 10),
            ..Faults::default()
        },
    );
    *proxy.upstream.lock().unwrap() = server.address;
    let token = library.token().unwrap().unwrap();
    let key = library.pinned_key().unwrap().unwrap();
    library.set_server_url(&proxy.base()).unwrap();
    library.save_session("uno@ejemplo.mx", &token).unwrap();
    library.pin_key(&key).unwrap();

    let summary = sync_now(&library, options(CHUNK), &|_| {}).await;
    assert_eq!(summary.sent.len(), 1, "{summary:#?}");
    assert!(
        summary.document_bytes_sent > total,
        "the cut hit an upload: {} of {total}",
        summary.document_bytes_sent
    );
    assert!(
        summary.document_bytes_sent <= total + CHUNK as u64,
        "at most one chunk re-sent: {} for {total}",
        summary.document_bytes_sent
    );
    assert_eq!(server.count("SELECT count(*) FROM registration"), 1);
}

/// How the tampering server spoils the answer to a registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spoil {
    Nothing,
    Html,
    Garbage,
    Truncated,
    BadSignature,
}

struct Tamper {
    upstream: String,
    spoil: Mutex<Spoil>,
    http: reqwest::Client,
}

/// Forwards every request to the real server; spoils the answer to a registration.
async fn tampered(State(tamper): State<Arc<Tamper>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let url = format!("{}{}", tamper.upstream, parts.uri);
    let mut forward = tamper
        .http
        .request(parts.method.clone(), url)
        .body(bytes.to_vec());
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            forward = forward.header(name, value);
        }
    }
    let answer = forward.send().await.unwrap();
    let status = answer.status();
    let content_type = answer.headers().get("content-type").cloned();
    let mut body = answer.bytes().await.unwrap().to_vec();
    let spoil = *tamper.spoil.lock().unwrap();
    let is_registration = parts.uri.path().ends_with("/registration");
    let mut content_type = content_type.and_then(|v| v.to_str().ok().map(str::to_owned));
    if is_registration {
        match spoil {
            Spoil::Nothing => {}
            Spoil::Html => {
                body = b"<!DOCTYPE html><html><body>Portal cautivo</body></html>".to_vec();
                content_type = Some("text/html".into());
            }
            Spoil::Garbage => body = b"\x00\x9f ok ok".to_vec(),
            Spoil::Truncated => body.truncate(body.len() / 2),
            Spoil::BadSignature => {
                let mut json: serde_json::Value = serde_json::from_slice(&body).unwrap();
                let signature = json["receipt"]["signature"].as_str().unwrap().to_owned();
                let flipped = if signature.starts_with('A') { "B" } else { "A" };
                json["receipt"]["signature"] = format!("{flipped}{}", &signature[1..]).into();
                body = serde_json::to_vec(&json).unwrap();
            }
        }
    }
    let mut response = Response::builder().status(status.as_u16());
    if let Some(content_type) = content_type {
        response = response.header("content-type", content_type);
    }
    response.body(Body::from(body)).unwrap()
}

/// The tampering proxy in front of `upstream`: its switch, its address, and the
/// runtime it runs on (stopped when dropped).
fn start_tamper(upstream: String) -> (Arc<Tamper>, String, Background) {
    let tamper = Arc::new(Tamper {
        upstream,
        spoil: Mutex::new(Spoil::Nothing),
        http: reqwest::Client::new(),
    });
    let state = tamper.clone();
    let (running, address) = Background::run(move |listener, stopped| async move {
        let app = axum::Router::new().fallback(tampered).with_state(state);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    });
    (tamper, format!("http://{address}"), running)
}

#[tokio::test]
async fn bad_servers_leave_a_clear_message_and_nothing_marked_sent() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let (tamper, base, _tampering) = start_tamper(server.base());
    let (library, id, submission) = ventanilla_testkit::queued_registration(dir.path(), 3, 300);
    operator(&library, &server, &base, "malo@ejemplo.mx").await;
    let business = library.open_business(&id).unwrap();
    let quick = options(64 * 1024);

    // Unreadable answers: left for later with a clear message, never sent.
    for (spoil, words) in [
        (Spoil::Html, "página web"),
        (Spoil::Garbage, "no se pudo leer"),
        (Spoil::Truncated, "no se pudo leer"),
    ] {
        *tamper.spoil.lock().unwrap() = spoil;
        let summary = sync_now(&library, quick.clone(), &|_| {}).await;
        assert!(summary.sent.is_empty(), "{spoil:?}");
        let item = business.outbox_item(&submission).unwrap();
        assert_eq!(item.state, OutboxState::Queued, "{spoil:?}");
        assert!(item.receipt.is_none());
        let error = item
            .last_error
            .unwrap()
            .message(ventanilla_core::Locale::Es);
        assert!(error.contains(words), "{spoil:?}: {error}");
        assert!(error.contains("No se marcó nada como enviado"), "{error}");
    }

    // A bad signature: held for a person, never sent.
    *tamper.spoil.lock().unwrap() = Spoil::BadSignature;
    let summary = sync_now(&library, quick.clone(), &|_| {}).await;
    assert_eq!(summary.needs_attention.len(), 1);
    let item = business.outbox_item(&submission).unwrap();
    assert_eq!(item.state, OutboxState::NeedsAttention);
    assert!(item
        .last_error
        .unwrap()
        .message(ventanilla_core::Locale::Es)
        .contains("firma"));
    assert!(item.receipt.is_none());

    // Another key than the pinned one: the drain stops before sending anything.
    business.retry_submission(&submission).unwrap();
    *tamper.spoil.lock().unwrap() = Spoil::Nothing;
    let real = library.pinned_key().unwrap().unwrap();
    library
        .pin_key(&PinnedKey {
            key_id: "0000000000000000".into(),
            public_key: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into(),
        })
        .unwrap();
    let summary = sync_now(&library, quick.clone(), &|_| {}).await;
    let stop = summary.stopped.unwrap();
    assert_eq!(stop.code, "key_changed");
    assert!(stop.message.contains("llave"), "{}", stop.message);
    assert_eq!(summary.pending.len(), 1);
    assert_eq!(
        business.outbox_item(&submission).unwrap().state,
        OutboxState::Queued
    );

    assert_eq!(stop.published_key.as_deref(), Some(real.key_id.as_str()));

    // Trusting a key the person was not shown is refused; the one shown is pinned.
    let refused = accept_new_key(&library, quick.client.clone(), Some("1111111111111111"))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "key_changed");
    assert_eq!(
        library.pinned_key().unwrap().unwrap().key_id,
        "0000000000000000"
    );
    let trusted = accept_new_key(
        &library,
        quick.client.clone(),
        stop.published_key.as_deref(),
    )
    .await
    .unwrap();
    assert_eq!(trusted, real);

    // The true key and a sound server: sent, once, with its receipt (the server had
    // accepted it already; the replay carries the same receipt).
    let summary = sync_now(&library, quick.clone(), &|_| {}).await;
    assert_eq!(summary.sent.len(), 1, "{summary:#?}");
    assert_eq!(server.count("SELECT count(*) FROM registration"), 1);
    assert_eq!(server.count("SELECT count(*) FROM receipt"), 1);
    let item = business.outbox_item(&submission).unwrap();
    assert_eq!(item.state, OutboxState::Sent);
    assert!(summary.statuses_pulled >= 1);
    assert_eq!(
        business.review_status().unwrap().unwrap().status,
        "en_revision"
    );
}

#[tokio::test]
async fn a_receipt_from_a_clock_far_off_is_not_believed() {
    let dir = ventanilla_testkit::scratch();
    let far = "2031-01-01T00:00:00Z".parse().unwrap();
    let server = Server::start(&dir.path().join("server"), Some(far));
    let (library, id, submission) = ventanilla_testkit::queued_registration(dir.path(), 4, 300);
    operator(&library, &server, &server.base(), "reloj@ejemplo.mx").await;
    let summary = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert_eq!(summary.needs_attention.len(), 1, "{summary:#?}");
    let item = library
        .open_business(&id)
        .unwrap()
        .outbox_item(&submission)
        .unwrap();
    assert_eq!(item.state, OutboxState::NeedsAttention);
    assert!(item
        .last_error
        .unwrap()
        .message(ventanilla_core::Locale::Es)
        .contains("hora del servidor"));
}

#[tokio::test]
async fn offline_nothing_moves_and_a_refusal_keeps_the_servers_words() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let (library, id, submission) = ventanilla_testkit::queued_registration(dir.path(), 5, 300);
    let today = mexico_city_today(Utc::now());
    assert_eq!(
        queue_registration(&library, &id, today, None)
            .unwrap_err()
            .code(),
        "already_queued"
    );
    // A supplier account of another RFC: the server refuses to act for this one.
    let account = NewAccount {
        role: Role::Supplier,
        email: "otro@ejemplo.mx".into(),
        password: PASSWORD.into(),
        rfc: Some(ventanilla_testkit::rfc_for(99)),
        handover: None,
    };
    sign_up(&library, &server.base(), &account, ClientOptions::default())
        .await
        .unwrap();

    let item_now = || {
        library
            .open_business(&id)
            .unwrap()
            .outbox_item(&submission)
            .unwrap()
    };

    // Offline: a dead address.
    let token = library.token().unwrap().unwrap();
    let key = library.pinned_key().unwrap().unwrap();
    library.set_server_url("http://127.0.0.1:9").unwrap();
    let summary = sync_now(&library, options(1024), &|_| {}).await;
    assert!(!summary.online);
    assert_eq!(summary.stopped.unwrap().code, "offline");
    assert_eq!(summary.pending.len(), 1);
    let item = item_now();
    assert_eq!((item.state, item.attempts), (OutboxState::Queued, 0));

    library.set_server_url(&server.base()).unwrap();
    library.save_session("otro@ejemplo.mx", &token).unwrap();
    library.pin_key(&key).unwrap();
    let summary = sync_now(&library, options(1024), &|_| {}).await;
    assert_eq!(summary.needs_attention.len(), 1, "{summary:#?}");
    let item = item_now();
    assert_eq!(item.state, OutboxState::NeedsAttention);
    assert!(item
        .last_error
        .unwrap()
        .message(ventanilla_core::Locale::Es)
        .starts_with("La alcaldía no aceptó el envío: "),);
}

#[tokio::test]
async fn a_rejection_pulled_back_shows_on_the_checklist_with_the_reviewers_words() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let (library, id, _) = ventanilla_testkit::queued_registration(dir.path(), 6, 300);
    let today = mexico_city_today(Utc::now());
    operator(&library, &server, &server.base(), "revision@ejemplo.mx").await;
    let mut always = options(64 * 1024);
    always.status_fresh_for = chrono::Duration::zero();
    let summary = sync_now(&library, always.clone(), &|_| {}).await;
    assert_eq!((summary.sent.len(), summary.statuses_pulled), (1, 1));

    let rfc = ventanilla_testkit::rfc_for(6);
    let observation =
        ventanilla_server::admin::parse_observation("CSF=La constancia no es legible.").unwrap();
    ventanilla_server::admin::review(
        ventanilla_server::admin::ServerData::folder(&server.dir),
        &rfc,
        ventanilla_api::registration::ReviewStatus::Rechazado,
        &[observation],
        Utc::now(),
    )
    .unwrap();
    let summary = sync_now(&library, always, &|_| {}).await;
    assert_eq!(summary.statuses_pulled, 1);
    let business = library.open_business(&id).unwrap();
    assert_eq!(
        business.review_status().unwrap().unwrap().status,
        "rechazado"
    );
    let checklist = business
        .checklist(&library.catalogue().unwrap(), None, today)
        .unwrap()
        .unwrap();
    let csf = checklist.items.iter().find(|i| i.code == "CSF").unwrap();
    assert_eq!(
        csf.status,
        ventanilla_core::checklist::Status::Rejected {
            reason: "La constancia no es legible.".into()
        }
    );
    let missing = ventanilla_sync::missing_for_registration(
        true,
        Some(&checklist),
        &library.catalogue().unwrap(),
    );
    assert!(
        missing.iter().any(|m| m
            .message(ventanilla_core::Locale::Es)
            .contains("Constancia")),
        "{missing:?}"
    );
}

#[test]
fn an_incomplete_registration_cannot_be_submitted_and_says_what_is_missing() {
    let dir = ventanilla_testkit::scratch();
    let library = Library::open(dir.path()).unwrap();
    let mut draft =
        ventanilla_testkit::fixtures::complete_moral_draft(&ventanilla_testkit::rfc_for(1));
    draft.clabe = String::new();
    let id = library.create_business(&draft).unwrap();
    let error = queue_registration(&library, &id, mexico_city_today(Utc::now()), None).unwrap_err();
    assert_eq!(error.code(), "incomplete");
    let message = error.message();
    assert!(message.contains("datos del registro"), "{message}");
    assert!(message.contains("Constancia"), "{message}");
    assert!(library
        .open_business(&id)
        .unwrap()
        .outbox()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_bid_on_a_sandbox_tender_is_delivered_once_with_a_verified_receipt() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), Some(Utc::now()));
    let (library, id, _) = ventanilla_testkit::queued_registration(dir.path(), 7, 300);
    operator(&library, &server, &server.base(), "camara@ejemplo.mx").await;

    // The first drain registers the business and brings the sandbox's tenders down.
    let first = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert_eq!(first.sent.len(), 1, "{first:#?}");
    let tender = ventanilla_testkit::open_tender(&library);
    let business = library.open_business(&id).unwrap();
    let frozen = ventanilla_testkit::ready_bid(&library, &business, &tender);
    let bid = frozen.submission_id.clone();
    let total = frozen.total;
    let queued =
        ventanilla_sync::queue_bid(&library, &id, &business, frozen.clone(), None).unwrap();
    assert_eq!(queued.state, OutboxState::Queued);
    // The index counts it at once, so a sync lists it even if the file is damaged first.
    let entry = library.list_businesses("").unwrap().remove(0);
    assert_eq!(entry.unsent, Some(1));
    assert_eq!(
        ventanilla_sync::queue_bid(&library, &id, &business, frozen, None)
            .unwrap_err()
            .code(),
        "already_queued",
        "a bid goes out once"
    );

    let second = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert_eq!(second.sent.len(), 1, "{second:#?}");
    let item = business.outbox_item(&bid).unwrap();
    assert_eq!(item.state, OutboxState::Sent);
    let receipt: Receipt = serde_json::from_str(&item.receipt.as_ref().unwrap().json).unwrap();
    let key = library.pinned_key().unwrap().unwrap();
    verify_receipt(&receipt, &key, &item.submission, Utc::now()).unwrap();
    assert_eq!(server.count("SELECT count(*) FROM bid"), 1);
    assert!(!total.is_zero() && total.is_sign_positive());

    // The alcaldía awards the tender to it once the bids are opened: the next drain
    // brings the award to the catalogue and the home card's word to the index.
    let decided = tender.opening.unwrap() + chrono::Duration::minutes(5);
    server.set_clock(decided);
    ventanilla_server::admin::award(
        ventanilla_server::admin::ServerData::folder(&server.dir),
        &tender.ocid,
        &ventanilla_server::admin::Decision::Bid(bid.clone()),
        decided,
    )
    .unwrap();
    sync_now(&library, options(64 * 1024), &|_| {}).await;
    let award = library
        .tender(&tender.ocid)
        .unwrap()
        .unwrap()
        .award
        .unwrap();
    assert!(award.bid_ids.contains(&bid), "{award:#?}");
    let entry = library.list_businesses("").unwrap().remove(0);
    assert_eq!(entry.won.as_deref(), Some(tender.title.as_str()));
}

#[tokio::test]
async fn an_upload_longer_than_the_cap_of_a_small_exchange_goes_on_while_bytes_move() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    // Every read through the proxy waits up to 20 ms: a 1.5 MB chunk takes about a
    // second to go out, twice the cap of a small exchange, never still for long.
    let slow = Proxy::start(
        server.address,
        Faults {
            seed: 11,
            delay: 1.0,
            ..Faults::default()
        },
    );
    let (library, id, submission) =
        ventanilla_testkit::queued_registration(dir.path(), 8, 1_500_000);
    operator(&library, &server, &slow.base(), "lenta@ejemplo.mx").await;
    let mut patient = options(4 * 1024 * 1024);
    patient.client.idle_timeout = Duration::from_secs(10);
    patient.client.timeout = Duration::from_millis(500);
    let summary = sync_now(&library, patient, &|_| {}).await;
    assert_eq!(summary.sent.len(), 1, "{summary:#?}");
    assert!(summary.document_bytes_sent >= 9 * 1_500_000);
    let item = library
        .open_business(&id)
        .unwrap()
        .outbox_item(&submission)
        .unwrap();
    assert_eq!(item.state, OutboxState::Sent);
    server.holds_each_registration_once(1);
}

#[tokio::test]
async fn an_owner_claims_with_a_handover_code_the_business_an_operator_registered() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let (library, _, _) = ventanilla_testkit::queued_registration(dir.path(), 8, 300);
    operator(&library, &server, &server.base(), "entrega@ejemplo.mx").await;
    let summary = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert_eq!(summary.sent.len(), 1, "{summary:#?}");

    let rfc = ventanilla_testkit::rfc_for(8);
    let owner_dir = ventanilla_testkit::scratch();
    let owner_library = Library::open(owner_dir.path()).unwrap();
    let owner = |handover| NewAccount {
        role: Role::Supplier,
        email: "duena@ejemplo.mx".into(),
        password: PASSWORD.into(),
        rfc: Some(rfc.clone()),
        handover,
    };
    let base = server.base();
    let refused = sign_up(
        &owner_library,
        &base,
        &owner(None),
        ClientOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&refused, SyncError::Refused { status: 409, detail, .. } if detail.contains("código de entrega")),
        "{refused:?}"
    );

    let handover = issue_handover(&library, &rfc, options(1).client)
        .await
        .unwrap();
    assert_eq!(handover.rfc, rfc);
    let account = sign_up(
        &owner_library,
        &base,
        &owner(Some(handover.code)),
        ClientOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(account.rfc.as_deref(), Some(rfc.as_str()));
    // Claimed, the business is no longer the operator's to hand over.
    let after = issue_handover(&library, &rfc, options(1).client)
        .await
        .unwrap_err();
    assert!(
        matches!(after, SyncError::Refused { status: 404, .. }),
        "{after:?}"
    );
}

#[tokio::test]
async fn the_drain_keeps_the_servers_newer_bank_list_and_exact_tender_amounts() {
    use ventanilla_core::banks::{Bank, BankCatalogue};
    use ventanilla_server::sqlite::SqliteStorage;
    use ventanilla_server::storage::Storage;

    let dir = ventanilla_testkit::scratch();
    let server_dir = dir.path().join("server");
    std::fs::create_dir_all(&server_dir).unwrap();
    // The alcaldía publishes a list newer than the one this build shipped with.
    let mut newer = BankCatalogue::default_catalogue();
    newer.version = "spei-2027-01".into();
    newer.banks.push(Bank {
        code: "999".into(),
        name: "Banco Nuevo".into(),
        note: None,
    });
    std::fs::write(
        server_dir.join(ventanilla_server::banks::FILE),
        serde_json::to_string(&newer).unwrap(),
    )
    .unwrap();
    let server = Server::start(&server_dir, None);
    // And a tender whose amount and quantity a float would not keep.
    let storage = SqliteStorage::open(&server_dir).unwrap();
    let mut record = storage.tenders().unwrap().remove(0);
    record.release.ocid = "ocds-abj-sandbox-EXACTO".into();
    record.release.tender.value.amount = "1234567890123.45".parse().unwrap();
    record.release.tender.items[0].quantity = "0.125".parse().unwrap();
    storage.publish_tender(&record).unwrap();

    let library = Library::open(dir.path().join("data")).unwrap();
    library.set_server_url(&server.base()).unwrap();
    assert_eq!(library.banks().unwrap(), BankCatalogue::default_catalogue());

    // Not signed in: the public catalogues still come down.
    let first = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert!(first.online && first.banks_updated, "{first:#?}");
    assert_eq!(library.banks().unwrap(), newer);
    let again = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert!(!again.banks_updated, "the bank list's ETag still matches");
    assert_eq!(library.banks().unwrap(), newer, "kept in app.db");

    // The registration names a bank only the newer list knows.
    let mut draft = ventanilla_testkit::fixtures::complete_moral_draft("WMT970714R10");
    draft.clabe = "999180001234567899".into();
    let review = ventanilla_core::review(&draft, &library.banks().unwrap());
    assert_eq!(review.facts.bank.as_deref(), Some("Banco Nuevo"));

    let tender = library.tender("ocds-abj-sandbox-EXACTO").unwrap().unwrap();
    assert_eq!(
        tender.value.map(|d| d.to_string()).as_deref(),
        Some("1234567890123.45")
    );
    assert_eq!(
        tender.items[0].quantity.map(|d| d.to_string()).as_deref(),
        Some("0.125")
    );
}

#[tokio::test]
async fn a_question_asked_offline_arrives_once_and_its_answer_comes_back_and_moves_the_bid() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let proxy = Proxy::start(
        server.address,
        Faults {
            seed: 20261204,
            drop: 0.15,
            unavailable: 0.15,
            delay: 0.05,
            cut_within: Some(48 * 1024),
            cut_once_at: None,
        },
    );
    let (library, id, _) = ventanilla_testkit::queued_registration(dir.path(), 3, 300);
    operator(&library, &server, &server.base(), "camara@ejemplo.mx").await;
    // The first drain registers the business and brings the sandbox's tenders down.
    let first = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert_eq!(first.sent.len(), 1, "{first:#?}");
    let tender = ventanilla_testkit::open_tender(&library);
    assert!(
        tender.takes_questions(Utc::now()),
        "{:?}",
        tender.enquiry_end
    );
    let business = library.open_business(&id).unwrap();
    let draft = business.create_bid(&tender).unwrap();

    // Offline: queued, and nothing moves. (Another address forgets the session and the
    // key; the test puts them back when it points at the server again.)
    let token = library.token().unwrap().unwrap();
    let key = library.pinned_key().unwrap().unwrap();
    let point_at = |base: &str| {
        library.set_server_url(base).unwrap();
        library.save_session("camara@ejemplo.mx", &token).unwrap();
        library.pin_key(&key).unwrap();
    };
    point_at("http://127.0.0.1:9");
    let rfc = business.load_draft().unwrap().rfc;
    let text = "¿Se aceptan entregas parciales?";
    let queued = ventanilla_sync::queue_question(
        &library,
        &id,
        &business,
        &tender.ocid,
        &rfc,
        &format!("  {text}\n"),
    )
    .unwrap();
    for refused in ["   ", &"a".repeat(20_000)] {
        let error =
            ventanilla_sync::queue_question(&library, &id, &business, &tender.ocid, &rfc, refused)
                .unwrap_err();
        assert_eq!(error.code(), "bad_question");
    }
    let offline = sync_now(&library, options(64 * 1024), &|_| {}).await;
    assert!(!offline.online);
    assert_eq!(offline.pending.len(), 1);
    assert_eq!(
        business.outbox_item(&queued.submission.id).unwrap().state,
        OutboxState::Queued
    );

    // Through a network that drops, refuses and cuts: it arrives once.
    point_at(&proxy.base());
    drain_until_settled(&library, &options(64 * 1024), 30).await;
    let item = business.outbox_item(&queued.submission.id).unwrap();
    assert_eq!(item.state, OutboxState::Sent);
    assert_eq!(item.submission.snapshot, text, "sent trimmed");
    let receipt: Receipt = serde_json::from_str(&item.receipt.as_ref().unwrap().json).unwrap();
    assert_eq!(receipt.kind, ventanilla_api::ReceiptKind::Question);
    verify_receipt(&receipt, &key, &item.submission, Utc::now()).unwrap();
    assert_eq!(server.count("SELECT count(*) FROM enquiry"), 1);
    // Sent again as the drain would after a lost answer: the same answer, nothing new.
    let again = reqwest::Client::new()
        .post(format!(
            "{}/v1/tenders/{}/enquiries",
            server.base(),
            tender.ocid
        ))
        .bearer_auth(token.expose())
        .header("idempotency-key", &item.submission.id)
        .header("content-type", "application/json")
        .body(item.submission.body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(server.count("SELECT count(*) FROM enquiry"), 1);

    // Answered by the alcaldía: the next sync brings the answer, and the bid prepared
    // before it needs review, as after any change of the tender.
    let storage = ventanilla_server::sqlite::SqliteStorage::open(&server.dir).unwrap();
    let question_id = item.submission.id.parse().unwrap();
    use ventanilla_server::storage::Storage as _;
    assert!(storage
        .answer_enquiry(
            &tender.ocid,
            question_id,
            "Sí, en dos entregas.",
            Utc::now()
        )
        .unwrap());
    point_at(&server.base());
    sync_now(&library, options(64 * 1024), &|_| {}).await;
    let now = library.tender(&tender.ocid).unwrap().unwrap();
    assert_eq!(now.enquiries.len(), 1);
    assert_eq!(now.enquiries[0].id, item.submission.id);
    assert_eq!(now.enquiries[0].question, text);
    assert_eq!(now.enquiries[0].answer, "Sí, en dos entregas.");
    let stored = business.load_bid(&draft.id).unwrap();
    assert!(stored.draft.needs_review(&now), "an answer moves the bid");
}
