//! Starting a server and the steps most tests share.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;
use ventanilla_api::documents::{DocumentRef, UploadStatus};
use ventanilla_api::receipt::GENESIS_HASH;
use ventanilla_api::registration::RegistrationAccepted;
use ventanilla_api::{LogEntry, LogPage, Problem, PublicKeys};
use ventanilla_core::checklist::{Catalogue, Profile};
use ventanilla_core::Persona;
use ventanilla_server::admin::ServerData;
use ventanilla_server::blobs::{BlobsUrl, S3Keys};
use ventanilla_server::clock::ManualClock;
use ventanilla_server::database::Database;
use ventanilla_server::storage::Storage;
use ventanilla_server::{serve, App, Config};
use ventanilla_testkit::objects::{self, object_store};
use ventanilla_testkit::postgres::{on_postgres, test_database_url};

pub const PASSWORD: &str = "una contraseña larga";

/// A server started in-process, on a clock the test moves.
pub struct Server {
    pub peer: Peer,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
    /// Where it keeps its data: SQLite in `dir`, or the test's PostgreSQL database.
    pub database: Database,
    /// Where it keeps documents: `dir`, or (on PostgreSQL) a bucket of the test's
    /// object store.
    pub blobs: Option<BlobsUrl>,
}

/// Any running server, as its clients see it: the steps most tests share.
pub struct Peer {
    pub base: String,
    pub http: Client,
}

impl std::ops::Deref for Server {
    type Target = Peer;

    fn deref(&self) -> &Peer {
        &self.peer
    }
}

/// The instant every test server starts at.
pub fn start_instant() -> DateTime<Utc> {
    "2026-11-24T15:00:00Z".parse().unwrap()
}

/// A persona moral RFC with a correct check digit, from three letters.
pub fn rfc(letters: &str) -> String {
    let base = format!("{letters}010203A1");
    let digit = ventanilla_core::rfc::check_digit(&base).unwrap();
    format!("{base}{digit}")
}

pub async fn start() -> Server {
    start_with(|_| {}).await
}

/// A sandbox server on a manual clock, with `adjust` applied to its configuration.
pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(start_instant()));
    let mut config = Config::new(dir.path());
    config.sandbox = true;
    config.clock = Some(clock.clone());
    config.database = test_database_url().map(|url| Database::parse(&url).unwrap());
    // On PostgreSQL as the alcaldía deploys it: documents in an object store.
    if on_postgres() {
        config.blobs = Some(test_bucket());
        config.s3_keys = Some(test_s3_keys());
    }
    adjust(&mut config);
    let database = config
        .database
        .clone()
        .unwrap_or_else(|| Database::in_data_dir(&config.data_dir));
    let blobs = config.blobs.clone();
    let app = App::open(config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { serve(listener, &app, std::future::pending()).await });
    Server {
        peer: Peer {
            base,
            http: Client::new(),
        },
        clock,
        dir,
        database,
        blobs,
    }
}

/// A fresh bucket of the test process's object store, as `--blobs`.
pub fn test_bucket() -> BlobsUrl {
    let store = object_store();
    BlobsUrl::parse(&store.blobs_url(&store.bucket())).unwrap()
}

/// The keys the test object store is signed in with.
pub fn test_s3_keys() -> S3Keys {
    S3Keys {
        access_key: objects::ACCESS_KEY.to_owned(),
        secret_key: objects::SECRET_KEY.to_owned(),
        session_token: None,
    }
}

impl Server {
    /// Its storage, opened beside it, for a test that reads or writes what the API
    /// does not.
    pub fn storage(&self) -> Arc<dyn Storage> {
        self.database.open().unwrap()
    }

    /// How the alcaldía's functions find this server's data.
    pub fn server_data(&self) -> ServerData<'_> {
        ServerData {
            data_dir: self.dir.path(),
            database: Some(&self.database),
        }
    }

    /// The bytes kept as the document `sha256`, from its folder or its bucket.
    pub fn stored_document(&self, sha256: &str) -> Option<Vec<u8>> {
        match &self.blobs {
            Some(BlobsUrl::S3(location)) => {
                object_store().object(&location.bucket, &format!("documents/{sha256}"))
            }
            _ => std::fs::read(self.blobs_dir().join("documents").join(sha256)).ok(),
        }
    }

    /// How many uploads have bytes kept but not yet a document.
    pub fn uploads_in_progress(&self) -> usize {
        match &self.blobs {
            Some(BlobsUrl::S3(location)) => {
                let keys = object_store().keys(&location.bucket, "uploads/");
                let uploads: std::collections::HashSet<&str> = keys
                    .iter()
                    .filter_map(|key| key.split('/').nth(1))
                    .collect();
                uploads.len()
            }
            _ => std::fs::read_dir(self.blobs_dir().join("uploads"))
                .unwrap()
                .count(),
        }
    }

    fn blobs_dir(&self) -> std::path::PathBuf {
        match &self.blobs {
            Some(BlobsUrl::Folder(dir)) => dir.clone(),
            _ => self.dir.path().to_owned(),
        }
    }

    /// `--database-url URL` on PostgreSQL, nothing on SQLite: what the alcaldía's
    /// commands need besides `--data-dir` to find this server's data.
    pub fn database_flags(&self) -> Vec<String> {
        match &self.database {
            Database::Postgres(config) => database_flags(Some(url_of(config))),
            Database::Sqlite(_) => Vec::new(),
        }
    }
}

/// Reads a problem answer, checking its media type and status.
pub async fn problem(response: Response, status: u16, code: &str) -> Problem {
    assert_eq!(response.status().as_u16(), status, "expected {code}");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(
        problem.problem_type,
        format!("urn:ventanilla:problem:{code}")
    );
    assert_eq!(problem.status, status);
    assert!(!problem.detail.is_empty());
    problem
}

impl Peer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn sign_up(&self, body: Value) -> Response {
        self.http
            .post(self.url("/v1/accounts"))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.http
            .post(self.url("/v1/session"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// A token for a new account.
    async fn account(&self, body: Value) -> String {
        let email = body["email"].as_str().unwrap().to_owned();
        assert_eq!(self.sign_up(body).await.status(), StatusCode::CREATED);
        let session: Value = self.sign_in(&email, PASSWORD).await.json().await.unwrap();
        session["token"].as_str().unwrap().to_owned()
    }

    pub async fn supplier(&self, email: &str, rfc: &str) -> String {
        self.account(json!({"role": "supplier", "email": email, "password": PASSWORD, "rfc": rfc}))
            .await
    }

    /// A token for the supplier account that claims `rfc` with a handover code.
    pub async fn claim(&self, email: &str, rfc: &str, code: &str) -> String {
        self.account(json!({"role": "supplier", "email": email, "password": PASSWORD, "rfc": rfc, "handover": code}))
            .await
    }

    /// Asks for a handover code of `rfc`.
    pub async fn handover(&self, token: &str, rfc: &str) -> Response {
        self.http
            .post(self.url(&format!("/v1/suppliers/{rfc}/handover")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn operator(&self, email: &str) -> String {
        self.account(json!({"role": "operator", "email": email, "password": PASSWORD}))
            .await
    }

    pub async fn create_upload(&self, token: &str, bytes: &[u8]) -> UploadStatus {
        let response = self
            .http
            .post(self.url("/v1/uploads"))
            .bearer_auth(token)
            .json(&json!({"size": bytes.len(), "sha256": ventanilla_api::sha256_hex(bytes)}))
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert_eq!(
            status,
            StatusCode::CREATED,
            "{}",
            response.text().await.unwrap()
        );
        response.json().await.unwrap()
    }

    pub async fn patch(&self, token: &str, id: Uuid, offset: u64, chunk: &[u8]) -> Response {
        self.http
            .patch(self.url(&format!("/v1/uploads/{id}")))
            .bearer_auth(token)
            .header("content-type", "application/offset+octet-stream")
            .header("upload-offset", offset)
            .body(chunk.to_vec())
            .send()
            .await
            .unwrap()
    }

    /// Uploads `bytes` in one chunk and answers their hash.
    pub async fn upload(&self, token: &str, bytes: &[u8]) -> String {
        let upload = self.create_upload(token, bytes).await;
        if !upload.complete {
            let response = self.patch(token, upload.id, 0, bytes).await;
            assert_eq!(response.status(), StatusCode::OK);
        }
        upload.sha256
    }

    /// Uploads one document per required requirement of a persona moral that is not
    /// an employer, answering the references.
    pub async fn required_documents(&self, token: &str) -> Vec<DocumentRef> {
        let profile = Profile {
            persona: Persona::Moral,
            employer: false,
            representatives: Vec::new(),
        };
        let mut documents = Vec::new();
        for requirement in Catalogue::default_catalogue().requirements {
            if requirement.required && requirement.applies.includes(&profile, None) {
                let bytes = format!("%PDF-1.7 {} {token}", requirement.code);
                documents.push(DocumentRef {
                    sha256: self.upload(token, bytes.as_bytes()).await,
                    requirement: requirement.code,
                });
            }
        }
        documents
    }

    pub async fn put_registration(
        &self,
        token: &str,
        rfc: &str,
        key: &str,
        body: &Value,
    ) -> Response {
        self.http
            .put(self.url(&format!("/v1/suppliers/{rfc}/registration")))
            .bearer_auth(token)
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A complete registration body for `rfc`, documents uploaded by `token`.
    pub async fn registration_body(&self, token: &str, rfc: &str) -> Value {
        json!({
            "submission_id": Uuid::now_v7(),
            "rfc": rfc,
            "employer": false,
            "snapshot": format!("{{\"razon_social\":\"Comercializadora {rfc}\",\"rfc\":\"{rfc}\"}}"),
            "documents": self.required_documents(token).await,
        })
    }

    /// Registers `rfc` with every required document.
    pub async fn register(&self, token: &str, rfc: &str) -> RegistrationAccepted {
        let body = self.registration_body(token, rfc).await;
        let key = body["submission_id"].as_str().unwrap().to_owned();
        let response = self.put_registration(token, rfc, &key, &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// The whole receipt log, as `token` sees it, checked to be whole: gapless, chained
    /// from the start, every receipt (all `token`'s) signed by the server's key.
    pub async fn chained_log(&self, token: &str) -> Vec<LogEntry> {
        let keys: PublicKeys = self.get(None, "/v1/keys").await.json().await.unwrap();
        let key = keys.keys[0].verifying_key().unwrap();
        let log: LogPage = self.get(Some(token), "/v1/log").await.json().await.unwrap();
        assert_eq!(log.next_after, None);
        let mut previous = GENESIS_HASH.to_owned();
        for (i, entry) in log.entries.iter().enumerate() {
            let receipt = entry.receipt.as_ref().unwrap();
            assert_eq!(entry.index, i as u64);
            assert_eq!(receipt.previous_log_hash, previous);
            assert_eq!(receipt.verify(&key), Ok(()));
            assert_eq!(receipt.entry_hash().unwrap(), entry.entry_hash);
            previous = entry.entry_hash.clone();
        }
        log.entries
    }

    pub async fn get(&self, token: Option<&str>, path: &str) -> Response {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }
}

/// The real `ventanilla-server` binary, started in sandbox mode as its own process on
/// a free loopback port, with a data folder it creates; killed when dropped.
pub struct ServerProcess {
    pub peer: Peer,
    pub data_dir: std::path::PathBuf,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for ServerProcess {
    type Target = Peer;

    fn deref(&self) -> &Peer {
        &self.peer
    }
}

impl ServerProcess {
    /// Starts it under `umask` (octal, as the shell takes it) with `args` added.
    pub fn start(umask: &str, args: &[&str]) -> ServerProcess {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("datos");
        let mut child = std::process::Command::new("sh")
            .args(["-c", r#"umask "$0" && exec "$@""#, umask])
            .arg(env!("CARGO_BIN_EXE_ventanilla-server"))
            .args(["--sandbox", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&data_dir)
            .args(test_database_flags())
            .args(args)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().expect("the server names its address").unwrap();
            if let Some(address) = line.split("listening on ").nth(1) {
                break address.trim().to_owned();
            }
        };
        // Keep reading what it logs, so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        ServerProcess {
            peer: Peer {
                base,
                http: Client::new(),
            },
            data_dir,
            child,
            _dir: dir,
        }
    }

    /// How many files (sockets included) the server process has open.
    pub fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .unwrap()
            .count()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A tmpfs of a few megabytes mounted for a test, so that the server's disk can really
/// fill up; unmounted (lazily: the server may still hold files there) when dropped.
/// `None`, saying why, when not running as root, who alone may mount.
pub struct SmallDisk {
    pub path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    pub fn mount(bytes: u64) -> Option<SmallDisk> {
        let uid = std::process::Command::new("id").arg("-u").output().unwrap();
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            eprintln!("skipped: mounting a small file system for a full disk needs root");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(mounted.success(), "mount -t tmpfs failed");
        Some(SmallDisk {
            path: dir.path().to_owned(),
            _dir: dir,
        })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
    }
}

/// A client whose connections come from `address` (any of 127.0.0.0/8 reaches the
/// server on loopback), so that tests can sign in as different client addresses.
pub fn client_from(address: [u8; 4]) -> Client {
    Client::builder()
        .local_address(std::net::IpAddr::from(address))
        .build()
        .unwrap()
}

/// `--database-url URL` of a new database when the tests run on PostgreSQL, nothing on
/// SQLite: for a test that starts the binary itself.
pub fn test_database_flags() -> Vec<String> {
    database_flags(test_database_url())
}

/// The URL of a test database: user, host, port and name (the test clusters trust every
/// local connection, so there is no password).
fn url_of(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts() {
        [tokio_postgres::config::Host::Tcp(host)] => host.clone(),
        other => panic!("a test database is on one TCP host, not {other:?}"),
    };
    let (user, port, name) = (config.get_user(), config.get_ports(), config.get_dbname());
    format!(
        "postgres://{}@{host}:{}/{}",
        user.unwrap(),
        port[0],
        name.unwrap()
    )
}

/// `--database-url URL` when there is a URL.
fn database_flags(url: Option<String>) -> Vec<String> {
    url.map(|url| vec!["--database-url".to_owned(), url])
        .unwrap_or_default()
}
