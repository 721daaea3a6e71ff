//! The server as a value: its state, its router and its limits.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, head, post, put};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::Service as _;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use ventanilla_api::documents::MAX_CHUNK_BYTES;
use ventanilla_api::problem::PROBLEM_CONTENT_TYPE;
use ventanilla_api::ProblemType;
use ventanilla_core::banks::BankCatalogue;
use ventanilla_core::checklist::Catalogue;

use crate::blobs::{BlobError, Blobs, BlobsUrl, S3Keys};
use crate::clock::{Clock, DatabaseClock, SystemClock};
use crate::committer::Committer;
use crate::database::Database;
use crate::efirma::EfirmaPolicy;
use crate::error::{problem_response, type_for_status, usual_detail, ApiError};
use crate::extract::{matches_etag, unauthenticated, Caller};
use crate::files::{create_private_dir, Files};
use crate::inflight::InFlight;
use crate::limiter::SignInLimiter;
use crate::routes;
use crate::s3::S3Blobs;
use crate::sessions::Sessions;
use crate::signing::{log_signer, ReceiptSigner, SignerError};
use crate::storage::{self, PointReads, Storage, StorageError};

/// The largest JSON body accepted, in bytes. A snapshot is text and a few kilobytes.
const MAX_JSON_BYTES: usize = 1024 * 1024;

/// How the server is started.
pub struct Config {
    pub data_dir: PathBuf,
    /// Seeds the sample tenders and lets operators sign up themselves.
    pub sandbox: bool,
    /// The clock deadlines are judged by; `None`: the real time, the machine's on SQLite
    /// and the database's on PostgreSQL (see [`DatabaseClock`]).
    pub clock: Option<Arc<dyn Clock>>,
    /// How long a bearer token lasts.
    pub session_ttl: chrono::Duration,
    /// How long a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// How long a client may take to send a request's headers, and to start the next
    /// request on a connection kept alive, before the connection is closed: so that
    /// connections trickling a byte now and then, or left idle, do not pile up.
    pub header_timeout: Duration,
    /// Connections served at once. Past them a new connection is answered 503 and
    /// closed, keeping the server's file handles and memory bounded.
    pub max_connections: usize,
    /// Bytes of documents (finished, and unfinished uploads as declared) one account
    /// may keep on the server.
    pub account_quota_bytes: u64,
    /// How submissions' e.firma are checked; by default no trust store, unsigned
    /// submissions accepted (see [`crate::efirma`]).
    pub efirma: EfirmaPolicy,
    /// Where the data is kept; `None`: `server.db` in the data folder.
    pub database: Option<Database>,
    /// Where documents are kept; `None`: the data folder.
    pub blobs: Option<BlobsUrl>,
    /// The keys of an S3 document store (the environment's, for the binary).
    pub s3_keys: Option<S3Keys>,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            sandbox: false,
            clock: None,
            session_ttl: chrono::Duration::hours(12),
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
            account_quota_bytes: 2 * 1024 * 1024 * 1024,
            efirma: EfirmaPolicy::default(),
            database: None,
            blobs: None,
            s3_keys: None,
        }
    }
}

/// How long an instance holds an idempotency key it claimed in the database: past any
/// request's end (it is given back then), so that it runs out only when its instance
/// stopped without giving it back.
fn idempotency_lease(request_timeout: Duration) -> chrono::Duration {
    chrono::Duration::from_std(request_timeout * 2).unwrap_or(chrono::Duration::minutes(1))
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("No se puede usar la carpeta de datos {} ({source}). Revisa que exista o pueda crearse y que tengas permiso de escribir en ella.", path.display())]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("No se puede usar el catálogo de bancos {} ({reason}). Corrígelo o quítalo para publicar el que trae el servidor.", path.display())]
    Banks { path: PathBuf, reason: String },
    #[error("La base de datos ya tiene recibos firmados con otra llave ({kept}); la de este servidor es {mine}. Copia receipt-signing.key de la carpeta de datos del servidor que la creó (o de las otras instancias) a --data-dir: con otra llave, los recibos nuevos no se podrían verificar con la que ya se publicó.")]
    OtherSigningKey { kept: String, mine: String },
    #[error("La base de datos ya tiene recibos firmados con la llave {kept} y esta instancia no tiene su copia. Copia receipt-signing.key de la carpeta de datos de otra instancia (la creó `ventanilla-server keys init` o la primera instancia) a --data-dir y vuelve a iniciar.")]
    NoSigningKey { kept: String },
    #[error("No se puede usar la base de datos ({why}). Revisa que PostgreSQL esté en marcha y acepte conexiones, y que --database-url nombre su servidor, usuario y base.{advice}", why = .0, advice = crate::postgres::tls_advice(.0))]
    DatabaseDown(String),
    #[error(transparent)]
    Storage(StorageError),
    #[error("Para guardar los documentos en {bucket} faltan sus llaves: define AWS_ACCESS_KEY_ID y AWS_SECRET_ACCESS_KEY (y AWS_SESSION_TOKEN si son temporales) en el entorno del servidor.")]
    NoS3Keys { bucket: String },
    #[error("No se puede usar el almacén de documentos {place} ({why}). Revisa que esté en marcha y acepte conexiones, que la cubeta exista y que sus llaves tengan permiso de leer y escribir en ella.")]
    BlobsDown { place: String, why: BlobError },
}

impl From<StorageError> for StartError {
    /// At start, a database that cannot be reached or refuses (a wrong user, a missing
    /// database) is the same thing to fix: the database and `--database-url`.
    fn from(error: StorageError) -> StartError {
        match error {
            StorageError::Unreachable(why) => StartError::DatabaseDown(why),
            StorageError::Postgres(e) => StartError::DatabaseDown(e.to_string()),
            other => StartError::Storage(other),
        }
    }
}

/// A body with the ETag of its bytes, for conditional GETs.
pub struct Tagged {
    pub body: Vec<u8>,
    pub etag: String,
}

impl Tagged {
    pub fn new(body: Vec<u8>) -> Tagged {
        let etag = format!("\"{}\"", &ventanilla_api::sha256_hex(&body)[..32]);
        Tagged { body, etag }
    }

    /// 304 when the client already holds this version, else the JSON with its ETag.
    pub fn respond(self, request_headers: &axum::http::HeaderMap) -> Response {
        let etag = HeaderValue::from_str(&self.etag).unwrap_or(HeaderValue::from_static("\"\""));
        if matches_etag(request_headers, &self.etag) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
        }
        (
            [
                (header::ETAG, etag),
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
            ],
            self.body,
        )
            .into_response()
    }
}

pub(crate) struct Inner {
    pub storage: Arc<dyn Storage>,
    pub blobs: Box<dyn Blobs>,
    pub signer: Arc<ReceiptSigner>,
    /// Appends submissions to the receipt log, in batches.
    pub committer: Committer,
    pub sessions: Sessions,
    pub clock: Arc<dyn Clock>,
    pub limiter: SignInLimiter,
    pub catalogue: Catalogue,
    pub banks: BankCatalogue,
    /// Chunks of one upload are written one at a time; different uploads go at once.
    pub upload_locks: UploadLocks,
    pub in_flight: InFlight,
    pub session_ttl: chrono::Duration,
    pub request_timeout: Duration,
    pub header_timeout: Duration,
    /// One permit per connection served.
    pub connections: Arc<Semaphore>,
    /// One permit per password being hashed: Argon2 takes 19 MiB and a core for a
    /// while, so sign-ins beyond the cores wait their turn instead of all at once.
    pub hashing: Arc<Semaphore>,
    pub account_quota_bytes: u64,
    /// Operators may sign up themselves.
    pub sandbox: bool,
    pub efirma: EfirmaPolicy,
}

/// The document store `config` names, checked to answer.
fn open_blobs(config: &Config) -> Result<Box<dyn Blobs>, StartError> {
    let folder = match &config.blobs {
        None => &config.data_dir,
        Some(BlobsUrl::Folder(dir)) => dir,
        Some(BlobsUrl::S3(location)) => {
            let keys = config.s3_keys.clone().ok_or_else(|| StartError::NoS3Keys {
                bucket: location.bucket.clone(),
            })?;
            let place = match &location.endpoint {
                Some(endpoint) => format!("s3://{} en {endpoint}", location.bucket),
                None => format!("s3://{} ({})", location.bucket, location.region),
            };
            let s3 = S3Blobs::open(location, keys)
                .map_err(|why| StartError::BlobsDown { place, why })?;
            return Ok(Box::new(s3));
        }
    };
    let files = Files::open(folder).map_err(|source| StartError::DataDir {
        path: folder.clone(),
        source,
    })?;
    Ok(Box::new(files))
}

/// Locks striped by upload id: a chunk holds its upload's stripe from reading the
/// offset to recording the new one, so two chunks of one upload never interleave,
/// while uploads that land on other stripes are written at the same time.
pub(crate) struct UploadLocks([tokio::sync::Mutex<()>; UPLOAD_STRIPES]);

const UPLOAD_STRIPES: usize = 64;

impl Default for UploadLocks {
    fn default() -> Self {
        UploadLocks(std::array::from_fn(|_| tokio::sync::Mutex::new(())))
    }
}

impl UploadLocks {
    pub async fn hold(&self, upload: uuid::Uuid) -> tokio::sync::MutexGuard<'_, ()> {
        // Version-7 ids end in random bits, so the low ones spread evenly.
        let stripe = (upload.as_u128() % UPLOAD_STRIPES as u128) as usize;
        self.0[stripe].lock().await
    }
}

/// The running server's state, cheap to clone into each request.
#[derive(Clone)]
pub struct App(pub(crate) Arc<Inner>);

impl App {
    /// Opens the data folder (creating it), its database and signing key, and seeds the
    /// sample tenders in sandbox mode.
    pub fn open(config: Config) -> Result<App, StartError> {
        let dir = &config.data_dir;
        let data_dir = |source| StartError::DataDir {
            path: dir.clone(),
            source,
        };
        create_private_dir(dir).map_err(data_dir)?;
        let database = config
            .database
            .clone()
            .unwrap_or_else(|| Database::in_data_dir(dir));
        let (storage, coordination) = database.open_shared()?;
        // Other instances may write a shared database too.
        let shared = coordination.is_some();
        let blobs = open_blobs(&config)?;
        let signer = Arc::new(log_signer(dir, storage.as_ref()).map_err(|e| match e {
            SignerError::File(e) => data_dir(e),
            SignerError::Storage(e) => e.into(),
            SignerError::Missing { kept } => StartError::NoSigningKey { kept },
            SignerError::Other { kept, mine } => StartError::OtherSigningKey { kept, mine },
        })?);
        let banks = crate::banks::load(dir)?;
        let clock: Arc<dyn Clock> = match (config.clock, &coordination) {
            (Some(clock), _) => clock,
            (None, None) => Arc::new(SystemClock),
            (None, Some(database)) => {
                Arc::new(DatabaseClock::start(database, Arc::new(SystemClock))?)
            }
        };
        if config.sandbox {
            crate::sandbox::seed(storage.as_ref(), clock.now())?;
        }
        let limiter = match &coordination {
            None => SignInLimiter::default(),
            Some(database) => SignInLimiter::Shared(Arc::clone(database)),
        };
        let in_flight = match coordination {
            None => InFlight::in_process(),
            Some(database) => InFlight::Leased {
                database,
                lease: idempotency_lease(config.request_timeout),
            },
        };
        let committer =
            Committer::start(Arc::clone(&storage), Arc::clone(&signer)).map_err(data_dir)?;
        Ok(App(Arc::new(Inner {
            storage,
            blobs,
            signer,
            committer,
            sessions: match shared {
                true => Sessions::for_shared_database(),
                false => Sessions::for_one_process(),
            },
            clock,
            limiter,
            catalogue: Catalogue::default_catalogue(),
            banks,
            upload_locks: UploadLocks::default(),
            in_flight,
            session_ttl: config.session_ttl,
            request_timeout: config.request_timeout,
            header_timeout: config.header_timeout,
            connections: Arc::new(Semaphore::new(config.max_connections)),
            hashing: Arc::new(Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            )),
            account_quota_bytes: config.account_quota_bytes,
            sandbox: config.sandbox,
            efirma: config.efirma,
        })))
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/v1/health", get(routes::public::health))
            .route("/v1/requirements", get(routes::public::requirements))
            .route("/v1/banks", get(routes::public::banks))
            .route("/v1/keys", get(routes::public::keys))
            .route("/v1/log", get(routes::public::log))
            .route("/v1/accounts", post(routes::accounts::sign_up))
            .route(
                "/v1/session",
                post(routes::accounts::sign_in).delete(routes::accounts::sign_out),
            )
            .route(
                "/v1/documents/{sha256}",
                head(routes::documents::has_document),
            )
            .route("/v1/uploads", post(routes::documents::create_upload))
            .route(
                "/v1/uploads/{id}",
                get(routes::documents::upload_status)
                    .head(routes::documents::upload_offset)
                    .patch(routes::documents::upload_chunk)
                    .layer(DefaultBodyLimit::max(MAX_CHUNK_BYTES)),
            )
            .route(
                "/v1/suppliers/{rfc}/registration",
                put(routes::suppliers::submit_registration),
            )
            .route("/v1/suppliers/{rfc}", get(routes::suppliers::status))
            .route(
                "/v1/suppliers/{rfc}/handover",
                post(routes::ownership::issue_handover),
            )
            .route(
                "/v1/suppliers/{rfc}/delegations",
                get(routes::ownership::delegations).post(routes::ownership::grant_delegation),
            )
            .route(
                "/v1/suppliers/{rfc}/delegations/{operator_id}",
                delete(routes::ownership::revoke_delegation),
            )
            .route("/v1/stats", get(routes::tenders::stats))
            .route("/v1/tenders", get(routes::tenders::list))
            .route("/v1/tenders/{ocid}", get(routes::tenders::one))
            .route("/v1/tenders/{ocid}/record", get(routes::tenders::record))
            .route("/v1/tenders/{ocid}/bids", post(routes::tenders::submit_bid))
            .route("/v1/tenders/{ocid}/enquiries", post(routes::tenders::ask))
            .route("/v1/tenders/{ocid}/bids/{id}", get(routes::tenders::bid))
            .fallback(|| async { ApiError::plain(ProblemType::NotFound) })
            .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                self.0.request_timeout,
            ))
            .layer(CatchPanicLayer::custom(|_| {
                eprintln!("ventanilla-server: a request handler panicked");
                ApiError::plain(ProblemType::Internal).into_response()
            }))
            .layer(middleware::from_fn(problems_only))
            .with_state(self.clone())
    }

    /// Runs a point read (one row by its key) right here, on the request's thread: it
    /// takes microseconds and, in WAL mode, never waits for a commit, so a hop to the
    /// blocking pool would cost more than the read. Any storage failure is internal.
    pub(crate) fn lookup<T>(
        &self,
        read: impl FnOnce(&dyn Storage) -> storage::Result<T>,
    ) -> Result<T, ApiError> {
        read(self.0.storage.as_ref()).map_err(ApiError::from)
    }

    /// The point reads, to await right here.
    pub(crate) fn reads(&self) -> &dyn PointReads {
        self.0.storage.as_ref()
    }

    /// Runs password hashing (`work`) on a blocking thread once one of the hashing
    /// permits is free. The permit goes with the work, so a request given up on (timed
    /// out, client gone) does not free it while its hash is still being computed.
    pub(crate) async fn argon2<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = Arc::clone(&self.0.hashing)
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(ApiError::internal)
    }

    /// Runs a storage call on a blocking thread, any storage failure being internal.
    pub(crate) async fn db<T, F>(&self, call: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Storage) -> storage::Result<T> + Send + 'static,
    {
        self.db_outcome(call).await?.map_err(ApiError::from)
    }

    /// Runs a storage call on a blocking thread, handing back its own outcome for the
    /// caller to judge (a conflict may be the client's doing).
    pub(crate) async fn db_outcome<T, F>(&self, call: F) -> Result<storage::Result<T>, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Storage) -> storage::Result<T> + Send + 'static,
    {
        let storage = Arc::clone(&self.0.storage);
        tokio::task::spawn_blocking(move || call(storage.as_ref()))
            .await
            .map_err(ApiError::internal)
    }

    /// The account a bearer token belongs to, if it is current: from the sessions in
    /// memory, else from the database (and then remembered).
    pub(crate) async fn caller(&self, token: &str) -> Result<Caller, ApiError> {
        let token_sha256 = ventanilla_api::sha256_hex(token.as_bytes());
        let now = self.0.clock.now();
        let sessions = &self.0.sessions;
        let account = match sessions.current(&token_sha256, now) {
            Some(account) => account,
            None => {
                let epoch = sessions.epoch();
                let session = self
                    .reads()
                    .session(&token_sha256, now)
                    .await?
                    .ok_or_else(unauthenticated)?;
                let account = session.account.clone();
                sessions.remember(token_sha256.clone(), session, epoch, now);
                account
            }
        };
        Ok(Caller {
            account,
            token_sha256,
        })
    }
}

/// Gives every error answer made outside the handlers (no route, wrong method, body
/// limit, timeout, unreadable path or query) a problem+json body.
async fn problems_only(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_CONTENT_TYPE.as_bytes());
    if status.as_u16() < 400 || is_problem {
        return response;
    }
    let problem_type = type_for_status(status);
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut answer = problem_response(&ventanilla_api::Problem::new(
        problem_type,
        usual_detail(problem_type),
    ));
    if let Some(allow) = allow {
        answer.headers_mut().insert(header::ALLOW, allow);
    }
    answer
}

/// How long a client refused for too many connections is told to wait, in seconds.
const BUSY_RETRY_SECONDS: u32 = 5;

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests under
/// way finish. Each connection is HTTP/1.1 with the header timeout of the app's
/// [`Config`]; handlers see the client's address as `ConnectInfo<SocketAddr>` (behind a
/// reverse proxy, the proxy's).
pub async fn serve(
    listener: TcpListener,
    app: &App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = app.router();
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file handles, or a connection reset before it was taken:
                    // wait a moment rather than spin, and go on serving the others.
                    eprintln!("ventanilla-server: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = Arc::clone(&app.0.connections).try_acquire_owned() else {
            refuse_busy(&socket);
            continue;
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().call(request)
        });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(app.0.header_timeout)
            .serve_connection(TokioIo::new(socket), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that times out, goes away or sends nonsense ends only its own
            // connection; hyper has already answered what deserved an answer.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Answers a connection past the limit with a short 503 problem and closes it, never
/// waiting on the client: a new socket's send buffer takes these few bytes at once.
/// What the client already sent is read first, so that closing does not reset the
/// connection before the answer is read.
fn refuse_busy(socket: &TcpStream) {
    let mut sent = [0u8; 4096];
    while matches!(socket.try_read(&mut sent), Ok(n) if n > 0) {}
    let problem = ventanilla_api::Problem::new(
        ProblemType::ServerBusy,
        usual_detail(ProblemType::ServerBusy),
    );
    let body = serde_json::to_string(&problem).unwrap_or_default();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: {PROBLEM_CONTENT_TYPE}\r\n\
         retry-after: {BUSY_RETRY_SECONDS}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = socket.try_write(answer.as_bytes());
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn no_more_passwords_are_hashed_at_once_than_there_are_permits() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let app = App::open(Config::new(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        let permits = app.0.hashing.available_permits();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let hashes = (0..4 * permits).map(|_| {
            let (app, running, most) = (app.clone(), Arc::clone(&running), Arc::clone(&most));
            tokio::spawn(async move {
                app.argon2(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            })
        });
        for hash in hashes.collect::<Vec<_>>() {
            assert!(matches!(hash.await, Ok(Ok(()))));
        }
        let most = most.load(Ordering::SeqCst);
        assert!(
            (1..=permits).contains(&most),
            "{most} at once, {permits} permits"
        );
    }
}
