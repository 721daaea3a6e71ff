//! The HTTP side: one exchange at a time, its answer read whole and sorted into
//! success or a [`SyncError`]; transient failures retried with capped exponential
//! backoff and full jitter.
//!
//! No server is trusted blindly: the address must be https unless the server is on
//! this computer; a redirect is an error, never followed (it would carry the request,
//! a password or a registration, to another address); each answer is read as it
//! arrives, up to what its endpoint can need ([`Expect`]); and a connection that
//! stops moving is given up after [`ClientOptions::idle_timeout`], a small exchange
//! after [`ClientOptions::timeout`] in all.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::stream;
use reqwest::header::{HeaderMap, CONTENT_LENGTH};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use ventanilla_api::problem::PROBLEM_CONTENT_TYPE;
use ventanilla_api::Problem;
use ventanilla_core::{Failure, FailureCode};
use ventanilla_store::Token;

use crate::error::{Result, SyncError};

/// How hard to try before leaving an item for later.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Tries of one exchange within a drain before the item waits for the next one.
    pub tries: u32,
    /// The first wait; each next one doubles, up to `cap`.
    pub base: Duration,
    /// The longest wait between tries within a drain.
    pub cap: Duration,
    /// The first wait between drains for an item left for later, doubling up to
    /// `later_cap`.
    pub later_base: Duration,
    /// The longest wait between drains for an item left for later.
    pub later_cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            tries: 6,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(8),
            later_base: Duration::from_secs(30),
            later_cap: Duration::from_secs(3600),
        }
    }
}

/// A small generator for jitter: no need for a cryptographic one, only for clients
/// that do not retry in step.
fn jitter_fraction() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    // splitmix64
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait before try `attempt` (1 for the first retry): a random share of
/// `base × 2^(attempt-1)`, capped ("full jitter").
pub fn backoff(base: Duration, cap: Duration, attempt: u32) -> Duration {
    let ceiling = base
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
        .min(cap);
    ceiling.mul_f64(jitter_fraction())
}

/// An answer read whole.
pub struct Answer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The answer's headers.
    pub headers: HeaderMap,
    /// The whole body, within its endpoint's cap.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as `T`, or `Unreadable` (a cut or garbage body is retried: the
    /// requests here are all safe to repeat).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| SyncError::Unreadable {
            status: self.status.as_u16(),
            what: describe_garbage(&self.body, &e),
        })
    }

    /// A header's value, when present and readable as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The error an unexpected answer means.
    pub fn failure(&self) -> SyncError {
        let status = self.status.as_u16();
        let is_problem = self
            .header("content-type")
            .is_some_and(|t| t.starts_with(PROBLEM_CONTENT_TYPE));
        let problem: Option<Box<Problem>> = is_problem
            .then(|| serde_json::from_slice(&self.body).ok())
            .flatten();
        let detail = problem
            .as_ref()
            .map(|p| p.detail.clone())
            .unwrap_or_else(|| self.status.canonical_reason().unwrap_or("").to_owned());
        match status {
            401 => SyncError::SignedOut(detail),
            408 | 429 | 500..=599 => SyncError::Busy { status, detail },
            400..=499 if problem.is_some() => SyncError::Refused {
                status,
                detail,
                problem,
            },
            // A 4xx without the contract's problem body, or any other status: not the
            // alcaldía's API answering (a proxy, a captive portal).
            _ => SyncError::Unreadable {
                status,
                what: describe_garbage(&self.body, &"not a problem+json answer of the API"),
            },
        }
    }
}

/// A short, safe description of an unreadable body, for the item's message.
fn describe_garbage(body: &[u8], error: &dyn std::fmt::Display) -> Failure {
    let start = String::from_utf8_lossy(&body[..body.len().min(200)]).to_lowercase();
    if start.contains("<html") || start.contains("<!doctype") {
        FailureCode::AnswerWebPage.into()
    } else if body.is_empty() {
        FailureCode::AnswerEmpty.into()
    } else {
        Failure::from(FailureCode::AnswerMalformed).with("detail", error)
    }
}

/// What an exchange's answer may be: how many bytes of body its endpoint can need
/// (a server sending more is not the alcaldía's API, and would otherwise fill the
/// memory), and whether it must end within the client's overall cap or may go on as
/// long as bytes keep moving (an upload on a slow line, a large catalogue).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Expect {
    max_bytes: usize,
    bounded: bool,
}

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

impl Expect {
    /// `GET /v1/health`: a few fields.
    pub(crate) const HEALTH: Expect = Expect {
        max_bytes: 4 * KIB,
        bounded: true,
    };
    /// A session, the keys, a receipt, an upload's status, a review, a problem.
    pub(crate) const SMALL: Expect = Expect {
        max_bytes: 256 * KIB,
        bounded: true,
    };
    /// The answer to an upload chunk (small), however long the chunk takes to go out.
    pub(crate) const UPLOAD: Expect = Expect {
        max_bytes: 256 * KIB,
        bounded: false,
    };
    /// A catalogue: requirements (about 20 KB today) or banks (about 10 KB).
    pub(crate) const CATALOGUE: Expect = Expect {
        max_bytes: 4 * MIB,
        bounded: false,
    };
    /// The tender catalogue, an OCDS package (about 5 MB per 1,000 tenders).
    pub(crate) const TENDERS: Expect = Expect {
        max_bytes: 64 * MIB,
        bounded: false,
    };
}

/// The last moment bytes moved on an exchange, either way.
#[derive(Clone)]
struct Motion(Arc<Mutex<Instant>>);

impl Motion {
    fn new() -> Motion {
        Motion(Arc::new(Mutex::new(Instant::now())))
    }

    fn moved(&self) {
        if let Ok(mut last) = self.0.lock() {
            *last = Instant::now();
        }
    }

    fn still_for(&self) -> Duration {
        self.0.lock().map(|last| last.elapsed()).unwrap_or_default()
    }

    /// Ends once nothing moved for `idle`.
    async fn stalled(&self, idle: Duration) {
        loop {
            let still = self.still_for();
            if still >= idle {
                return;
            }
            tokio::time::sleep(idle - still).await;
        }
    }
}

/// Pieces an upload chunk is handed to the connection in: each one taken means the
/// previous ones left.
const UPLOAD_PIECE: usize = 64 * KIB;

/// A connection to one server, signed in or not.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<Token>,
    idle_timeout: Duration,
    timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

/// How the client connects.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// How long to wait for a connection to open.
    pub connect_timeout: Duration,
    /// How long a connection may stay still (no byte of the answer arriving, none of
    /// an upload leaving) before the exchange is given up: a server that drips is
    /// left as soon as it stalls, not after a long wait repeated at each retry.
    pub idle_timeout: Duration,
    /// The longest a small exchange may take in all (everything but upload chunks and
    /// catalogue downloads, which go on as long as bytes move).
    pub timeout: Duration,
    /// How often and how patiently to retry.
    pub retry: RetryPolicy,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
        }
    }
}

impl Client {
    /// A client of the server at `base` (`https://host[:port]`, or `http://` to a
    /// server on this computer); any other address is refused before anything is sent.
    pub fn new(base: &str, token: Option<Token>, options: ClientOptions) -> Result<Client> {
        let base = ventanilla_store::check_server_address(base)?;
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ventanilla/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        Ok(Client {
            http,
            base,
            token,
            idle_timeout: options.idle_timeout,
            timeout: options.timeout,
            retry: options.retry,
        })
    }

    /// The server's base URL, as checked (no trailing slash).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A request to `path` on the server, with the session's token when there is one.
    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => request.bearer_auth(token.expose()),
            None => request,
        }
    }

    /// Sends one request and reads its answer whole, as `expect` allows; no answer
    /// (or a stalled one) is `Unreachable`, a redirect is `Redirected`.
    pub(crate) async fn exchange(&self, request: RequestBuilder, expect: Expect) -> Result<Answer> {
        self.watched(request, expect, &Motion::new()).await
    }

    /// Sends one upload chunk and reads its answer: no overall cap, as long as the
    /// chunk's bytes keep leaving and the answer then comes.
    pub(crate) async fn upload(&self, request: RequestBuilder, chunk: Vec<u8>) -> Result<Answer> {
        let motion = Motion::new();
        let length = chunk.len();
        let leaving = motion.clone();
        let pieces: Vec<Vec<u8>> = chunk.chunks(UPLOAD_PIECE).map(<[u8]>::to_vec).collect();
        let body = stream::iter(pieces.into_iter().map(move |piece| {
            leaving.moved();
            Ok::<_, std::io::Error>(piece)
        }));
        let request = request
            .header(CONTENT_LENGTH, length)
            .body(reqwest::Body::wrap_stream(body));
        self.watched(request, Expect::UPLOAD, &motion).await
    }

    /// The exchange, given up once `motion` stood still for the idle timeout.
    async fn watched(
        &self,
        request: RequestBuilder,
        expect: Expect,
        motion: &Motion,
    ) -> Result<Answer> {
        let request = if expect.bounded {
            request.timeout(self.timeout)
        } else {
            request
        };
        tokio::select! {
            answer = receive(request, expect, motion) => answer,
            () = motion.stalled(self.idle_timeout) => Err(SyncError::Unreachable(
                "the connection stalled".to_owned(),
            )),
        }
    }

    /// Runs `step` until it succeeds, fails for good, or used up its tries.
    pub(crate) async fn retrying<T, F, Fut>(&self, mut step: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match step().await {
                Err(e) if e.is_transient() && attempt < self.retry.tries => {
                    tokio::time::sleep(backoff(self.retry.base, self.retry.cap, attempt)).await;
                }
                outcome => return outcome,
            }
        }
    }

    /// `GET path` answered 200 with `T` (a small answer), retried while transient.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.retrying(|| async {
            let answer = self
                .exchange(self.request(Method::GET, path), Expect::SMALL)
                .await?;
            if answer.status != StatusCode::OK {
                return Err(answer.failure());
            }
            answer.json()
        })
        .await
    }

    /// The server's health, quickly: one try of `GET /v1/health`, within 5 s at most.
    pub async fn health(&self) -> Result<ventanilla_api::Health> {
        let request = self
            .request(Method::GET, "/v1/health")
            .timeout(self.timeout.min(Duration::from_secs(5)));
        let answer = self.exchange(request, Expect::HEALTH).await?;
        if answer.status != StatusCode::OK {
            return Err(answer.failure());
        }
        answer.json()
    }

    /// Whether the server answers at all, quickly (see [`Client::health`]).
    pub async fn reachable(&self) -> bool {
        self.health().await.is_ok()
    }
}

/// Sends `request` and reads its answer as it arrives, each piece counted as motion;
/// refuses a redirect, and a body longer than `expect` allows.
async fn receive(request: RequestBuilder, expect: Expect, motion: &Motion) -> Result<Answer> {
    let unreachable = |e: reqwest::Error| SyncError::Unreachable(without_url(&e));
    let mut response = request.send().await.map_err(unreachable)?;
    motion.moved();
    let status = response.status();
    if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
        return Err(SyncError::Redirected {
            status: status.as_u16(),
        });
    }
    let too_large = SyncError::TooLarge {
        limit: expect.max_bytes,
    };
    if response
        .content_length()
        .is_some_and(|length| length > expect.max_bytes as u64)
    {
        return Err(too_large);
    }
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while let Some(piece) = response.chunk().await.map_err(unreachable)? {
        motion.moved();
        if body.len() + piece.len() > expect.max_bytes {
            return Err(too_large);
        }
        body.extend_from_slice(&piece);
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// A reqwest error without its URL, which may carry a query; kind only.
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the answer was cut"
    } else {
        "the connection failed"
    };
    kind.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_cap_and_stays_under_it() {
        let base = Duration::from_millis(100);
        let cap = Duration::from_secs(2);
        for attempt in 1..40 {
            let wait = backoff(base, cap, attempt);
            let ceiling = (base * 2u32.pow((attempt - 1).min(10))).min(cap);
            assert!(wait <= ceiling, "{attempt}: {wait:?} > {ceiling:?}");
        }
        let spread: std::collections::HashSet<Duration> =
            (0..20).map(|_| backoff(base, cap, 5)).collect();
        assert!(spread.len() > 10, "jitter spreads the waits: {spread:?}");
    }

    #[test]
    fn answers_are_sorted_by_what_to_do() {
        let answer = |status: u16, content_type: &str, body: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                "content-type",
                content_type.parse().unwrap_or_else(|_| unreachable!()),
            );
            Answer {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
                headers,
                body: body.as_bytes().to_vec(),
            }
        };
        let problem = r#"{"type":"urn:ventanilla:problem:missing-documents","title":"t","status":422,"detail":"Faltan documentos obligatorios: CSF."}"#;
        let refused = answer(422, PROBLEM_CONTENT_TYPE, problem).failure();
        assert!(!refused.is_transient());
        assert!(refused
            .message()
            .contains("Faltan documentos obligatorios: CSF."));
        for status in [408, 429, 500, 502, 503] {
            assert!(answer(status, "text/plain", "").failure().is_transient());
        }
        let portal = answer(403, "text/html", "<!DOCTYPE html><html>Wi-Fi</html>").failure();
        assert!(portal.is_transient());
        assert!(
            portal.message().contains("página web"),
            "{}",
            portal.message()
        );
        let truncated = answer(201, "application/json", r#"{"receipt": {"rec"#);
        let error = truncated
            .json::<serde_json::Value>()
            .err()
            .map(|e| e.message());
        assert!(error.is_some_and(|m| m.contains("no se pudo leer")));
        assert_eq!(
            answer(401, PROBLEM_CONTENT_TYPE, problem).failure().code(),
            "signed_out"
        );
    }
}
