//! The client against hostile servers, tiny TCP servers on loopback started by each
//! test: one that answers every request with a redirect to another address (which
//! records whatever reaches it), one whose answer never ends, and one that drips its
//! answer a byte at a time. None of them gets more than it is owed: no request
//! follows a redirect, no answer is read past what its endpoint can need, and a
//! connection that stalls (or drags on past the cap of a small exchange) is left.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use ventanilla_api::auth::{Account, Role, Session};
use ventanilla_store::Library;
use ventanilla_sync::{
    sign_in, sign_up, sync_now, ClientOptions, DrainOptions, NewAccount, RetryPolicy,
};
use ventanilla_testkit::{Background, PASSWORD};

/// A request as a hostile server read it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    body: Vec<u8>,
}

/// What a hostile server does with a request.
enum Reply {
    /// These bytes, then the connection closes.
    Once(Vec<u8>),
    /// A 200 whose body of blanks (JSON's own whitespace) goes on and on.
    Endless,
    /// `head` at once, then `body` with a pause before each of its first `slow` bytes.
    Drip {
        head: Vec<u8>,
        body: Vec<u8>,
        pause: Duration,
        slow: usize,
    },
}

/// An endless answer stops here all the same, so a client that reads it all still
/// ends (and fails its test) rather than filling the machine.
const ENDLESS_SAFETY_BOUND: u64 = 256 * 1024 * 1024;

struct Hostile {
    address: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Body bytes written by `Endless` replies, on every connection.
    streamed: Arc<AtomicU64>,
    _background: Background,
}

impl Hostile {
    fn start(answer: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Hostile {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let streamed = Arc::new(AtomicU64::new(0));
        let (log, counter) = (seen.clone(), streamed.clone());
        let answer = Arc::new(answer);
        let (background, address) = Background::run(move |listener, mut stopped| async move {
            loop {
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    _ = &mut stopped => return,
                };
                let Ok((stream, _)) = accepted else { continue };
                let (log, counter, answer) = (log.clone(), counter.clone(), answer.clone());
                tokio::spawn(async move {
                    let mut stream = stream;
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    log.lock().unwrap().push(request.clone());
                    let _ = reply(&mut stream, answer(&request), &counter).await;
                });
            }
        });
        Hostile {
            address,
            seen,
            streamed,
            _background: background,
        }
    }

    fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn requests_to(&self, path: &str) -> usize {
        self.seen().iter().filter(|s| s.path == path).count()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One request: its head, and its body by its Content-Length.
async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(at) = find(&data, b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut words = head.split_whitespace();
    let method = words.next()?.to_owned();
    let path = words.next()?.to_owned();
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&buffer[..read]);
    }
    Some(Seen { method, path, body })
}

async fn reply(stream: &mut TcpStream, reply: Reply, streamed: &AtomicU64) -> std::io::Result<()> {
    match reply {
        Reply::Once(bytes) => stream.write_all(&bytes).await?,
        Reply::Endless => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n")
                .await?;
            let blanks = vec![b' '; 64 * 1024];
            while streamed.load(Ordering::SeqCst) < ENDLESS_SAFETY_BOUND {
                stream.write_all(&blanks).await?;
                streamed.fetch_add(blanks.len() as u64, Ordering::SeqCst);
            }
        }
        Reply::Drip {
            head,
            body,
            pause,
            slow,
        } => {
            stream.write_all(&head).await?;
            for byte in &body[..slow] {
                tokio::time::sleep(pause).await;
                stream.write_all(&[*byte]).await?;
            }
            stream.write_all(&body[slow..]).await?;
        }
    }
    stream.shutdown().await
}

fn answer(status: &str, content_type: &str, body: &str) -> Reply {
    Reply::Once(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

fn healthy() -> Reply {
    answer(
        "200 OK",
        "application/json",
        r#"{"status":"ok","version":"0.0.0"}"#,
    )
}

fn not_found() -> Reply {
    answer(
        "404 Not Found",
        "application/problem+json",
        r#"{"type":"about:blank","title":"No encontrado","status":404,"detail":"No existe."}"#,
    )
}

/// Short timeouts and two quick tries: each hostile case takes seconds.
fn quick(idle: Duration, overall: Duration) -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        idle_timeout: idle,
        timeout: overall,
        retry: RetryPolicy {
            tries: 2,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(5),
            later_base: Duration::from_millis(1),
            later_cap: Duration::from_millis(5),
        },
    }
}

fn drain(client: ClientOptions) -> DrainOptions {
    DrainOptions {
        client,
        ..DrainOptions::default()
    }
}

fn supplier() -> NewAccount {
    NewAccount {
        role: Role::Supplier,
        email: "proveedor@ejemplo.mx".into(),
        password: PASSWORD.into(),
        rfc: Some(ventanilla_testkit::rfc_for(1)),
        handover: None,
    }
}

#[tokio::test]
async fn a_redirect_is_refused_and_the_other_address_receives_nothing() {
    let other = Hostile::start(|_| healthy());
    let elsewhere = other.base();
    let redirecting = Hostile::start(move |seen| {
        Reply::Once(
            format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: {elsewhere}{}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                seen.path
            )
            .into_bytes(),
        )
    });
    let dir = ventanilla_testkit::scratch();
    let library = Library::open(dir.path()).unwrap();
    let options = quick(Duration::from_secs(5), Duration::from_secs(10));

    // Signing up: the form, password included, goes to the address typed, and no
    // further.
    let refused = sign_up(&library, &redirecting.base(), &supplier(), options.clone())
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "redirected");
    let message = refused.message();
    assert!(message.contains("redirección"), "{message}");
    assert!(message.contains("Configuración"), "{message}");
    let asked = redirecting.seen();
    assert_eq!(asked.len(), 1, "not retried: {asked:?}");
    assert_eq!(
        (asked[0].method.as_str(), asked[0].path.as_str()),
        ("POST", "/v1/accounts")
    );
    assert!(String::from_utf8_lossy(&asked[0].body).contains(PASSWORD));
    assert!(
        other.seen().is_empty(),
        "the registration reached the other address: {:?}",
        other.seen()
    );
    assert_eq!(library.token().unwrap(), None);

    // Syncing: another address's health does not make this server "online".
    let summary = sync_now(&library, drain(options), &|_| {}).await;
    assert!(!summary.online, "{summary:#?}");
    assert_eq!(summary.stopped.unwrap().code, "redirected");
    assert!(other.seen().is_empty(), "{:?}", other.seen());
}

#[tokio::test]
async fn an_endless_answer_is_cut_where_its_endpoint_stops_needing_more() {
    let dir = ventanilla_testkit::scratch();
    let library = Library::open(dir.path()).unwrap();
    let options = quick(Duration::from_secs(5), Duration::from_secs(30));

    // The health check needs a few fields: an answer that never ends is refused.
    let endless_health = Hostile::start(|_| Reply::Endless);
    library.set_server_url(&endless_health.base()).unwrap();
    let summary = sync_now(&library, drain(options.clone()), &|_| {}).await;
    assert!(!summary.online);
    let stop = summary.stopped.unwrap();
    assert_eq!(stop.code, "answer_too_large");
    assert!(stop.message.contains("más datos"), "{}", stop.message);
    // What the connection's buffers took on top of the 4 KiB read, at most.
    let streamed = endless_health.streamed.load(Ordering::SeqCst);
    assert!(streamed < 16 * 1024 * 1024, "{streamed} bytes streamed");

    // The tender catalogue may be large, not endless: cut at its cap, not retried,
    // and the rest of the drain goes on.
    let endless_tenders = Hostile::start(|seen| match seen.path.as_str() {
        "/v1/health" => healthy(),
        "/v1/tenders" => Reply::Endless,
        _ => not_found(),
    });
    library.set_server_url(&endless_tenders.base()).unwrap();
    let summary = sync_now(&library, drain(options), &|_| {}).await;
    assert!(summary.online, "{summary:#?}");
    assert_eq!(summary.tenders_updated, None);
    assert_eq!(endless_tenders.requests_to("/v1/tenders"), 1, "not retried");
    assert!(
        endless_tenders.requests_to("/v1/keys") >= 1,
        "the drain went on"
    );
    let streamed = endless_tenders.streamed.load(Ordering::SeqCst);
    assert!(
        streamed < (64 + 16) * 1024 * 1024,
        "{streamed} bytes streamed"
    );
}

#[tokio::test]
async fn a_dripping_server_is_left_when_it_stalls_and_at_the_cap_of_a_small_exchange() {
    let session = serde_json::to_vec(&Session {
        token: "una-sesion-que-nunca-llega".into(),
        token_type: "Bearer".into(),
        expires_at: Utc::now() + chrono::Duration::hours(1),
        account: Account {
            id: uuid::Uuid::now_v7(),
            role: Role::Operator,
            email: "camara@ejemplo.mx".into(),
            rfc: None,
        },
    })
    .unwrap();
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        session.len()
    )
    .into_bytes();
    let dir = ventanilla_testkit::scratch();
    let library = Library::open(dir.path()).unwrap();

    // A byte every two seconds, then the rest: with one second of silence allowed,
    // each try is left at its first pause, however complete the answer would become.
    let (stall_head, stall_body) = (head.clone(), session.clone());
    let stalling = Hostile::start(move |seen| match seen.path.as_str() {
        "/v1/session" => Reply::Drip {
            head: stall_head.clone(),
            body: stall_body.clone(),
            pause: Duration::from_secs(2),
            slow: 3,
        },
        _ => not_found(),
    });
    let stalled = sign_in(
        &library,
        &stalling.base(),
        "camara@ejemplo.mx",
        PASSWORD,
        quick(Duration::from_secs(1), Duration::from_secs(60)),
    )
    .await
    .unwrap_err();
    assert_eq!(stalled.code(), "offline", "{stalled:?}");
    assert_eq!(stalling.requests_to("/v1/session"), 2, "each try left");
    assert_eq!(
        library.token().unwrap(),
        None,
        "no session from a dripped answer"
    );

    // Never silent for a second, but never done: a small exchange ends at its cap.
    let dragging = Hostile::start(move |seen| match seen.path.as_str() {
        "/v1/session" => Reply::Drip {
            head: head.clone(),
            body: session.clone(),
            pause: Duration::from_millis(300),
            slow: session.len(),
        },
        _ => not_found(),
    });
    let dragged = sign_in(
        &library,
        &dragging.base(),
        "camara@ejemplo.mx",
        PASSWORD,
        quick(Duration::from_secs(1), Duration::from_secs(2)),
    )
    .await
    .unwrap_err();
    assert_eq!(dragged.code(), "offline", "{dragged:?}");
    assert_eq!(dragging.requests_to("/v1/session"), 2);
    assert_eq!(library.token().unwrap(), None);
}

#[tokio::test]
async fn a_server_on_the_network_without_https_is_refused_before_anything_is_sent() {
    let dir = ventanilla_testkit::scratch();
    let library = Library::open(dir.path()).unwrap();
    let options = quick(Duration::from_secs(1), Duration::from_secs(2));
    let refused = sign_up(
        &library,
        "http://proveedores.alcaldia.example",
        &supplier(),
        options.clone(),
    )
    .await
    .unwrap_err();
    assert_eq!(refused.code(), "insecure_server");
    assert!(
        refused.message().contains("https://"),
        "{}",
        refused.message()
    );
    assert_eq!(library.server_url().unwrap(), None, "not kept");

    // An address kept by an earlier version is refused when used.
    library
        .set_setting("server.url", "http://proveedores.alcaldia.example")
        .unwrap();
    let summary = sync_now(&library, drain(options), &|_| {}).await;
    assert!(!summary.online);
    assert_eq!(summary.stopped.unwrap().code, "insecure_server");
}
