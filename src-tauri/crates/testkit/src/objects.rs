//! A real S3-compatible object store for tests: moto's server, started by the test
//! process itself ([`object_store`]), one per process, on a free loopback port, with an
//! empty bucket for each test ([`ObjectStore::bucket`]).
//!
//! The program is `VENTANILLA_MOTO_SERVER` (`./dev test` installs moto from PyPI and
//! sets it), else `moto_server` on the PATH. A watcher process stops it once the test
//! process is gone, as for [`crate::postgres::Cluster`].

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rusty_s3::actions::S3Action;
use rusty_s3::{Bucket, Credentials, UrlStyle};

/// The environment variable naming moto's `moto_server` program.
pub const MOTO_SERVER: &str = "VENTANILLA_MOTO_SERVER";

/// The keys the test servers sign in with (moto takes any).
pub const ACCESS_KEY: &str = "ventanilla-pruebas";
/// See [`ACCESS_KEY`].
pub const SECRET_KEY: &str = "secreto-de-pruebas";

const REGION: &str = "us-east-1";

/// The store this test process shares, started on first use.
pub fn object_store() -> &'static ObjectStore {
    static SHARED: OnceLock<ObjectStore> = OnceLock::new();
    SHARED.get_or_init(ObjectStore::start)
}

/// A running object store.
pub struct ObjectStore {
    port: u16,
    buckets: AtomicU64,
    /// Stopped by the watcher, never waited for: the store lives as long as the tests.
    _server: std::process::Child,
}

impl ObjectStore {
    fn start() -> ObjectStore {
        let program = std::env::var(MOTO_SERVER).unwrap_or_else(|_| "moto_server".to_owned());
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {program} ({e}): run ./dev test, or pip install 'moto[server]' and set {MOTO_SERVER}")
            });
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; kill {child}",
            pid = std::process::id(),
            child = child.id()
        );
        let watched = Command::new("sh")
            .args(["-c", &format!("({script}) </dev/null >/dev/null 2>&1 &")])
            .status()
            .unwrap();
        assert!(
            watched.success(),
            "the object store's watcher did not start"
        );
        let store = ObjectStore {
            port,
            buckets: AtomicU64::new(0),
            _server: child,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{program} did not listen on port {port} within a minute"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        store
    }

    /// Where it listens: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Creates an empty bucket and answers its name.
    pub fn bucket(&self) -> String {
        let n = self.buckets.fetch_add(1, Ordering::Relaxed);
        let name = format!("pruebas-{}-{n}", std::process::id());
        let bucket = self.handle(&name);
        let url = bucket.create_bucket(&credentials()).sign(SIGNED_FOR);
        let (status, body) = self.request("PUT", &url);
        assert_eq!(
            status,
            200,
            "create bucket {name}: {}",
            String::from_utf8_lossy(&body)
        );
        name
    }

    /// The `--blobs` URL of `bucket` here.
    pub fn blobs_url(&self, bucket: &str) -> String {
        format!("s3://{bucket}?endpoint={}", self.endpoint())
    }

    /// The bytes of `key` in `bucket`; `None` when there is no such object.
    pub fn object(&self, bucket: &str, key: &str) -> Option<Vec<u8>> {
        let url = self
            .handle(bucket)
            .get_object(Some(&credentials()), key)
            .sign(SIGNED_FOR);
        match self.request("GET", &url) {
            (200, body) => Some(body),
            (404, _) => None,
            (status, body) => panic!("GET {key}: {status} {}", String::from_utf8_lossy(&body)),
        }
    }

    /// The keys in `bucket` under `prefix`.
    pub fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let handle = self.handle(bucket);
        let credentials = credentials();
        let mut list = handle.list_objects_v2(Some(&credentials));
        list.with_prefix(prefix);
        let (status, body) = self.request("GET", &list.sign(SIGNED_FOR));
        let text = String::from_utf8(body).unwrap();
        assert_eq!(status, 200, "list {bucket}: {text}");
        rusty_s3::actions::ListObjectsV2::parse_response(&text)
            .unwrap()
            .contents
            .into_iter()
            .map(|object| object.key)
            .collect()
    }

    fn handle(&self, bucket: &str) -> Bucket {
        let endpoint = self.endpoint().parse().unwrap();
        Bucket::new(endpoint, UrlStyle::Path, bucket.to_owned(), REGION).unwrap()
    }

    /// One request over HTTP/1.0 (so the answer is neither chunked nor kept alive).
    fn request(&self, method: &str, url: &url::Url) -> (u16, Vec<u8>) {
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "{method} {target} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let split = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP answer");
        let head = String::from_utf8_lossy(&answer[..split]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        (status, answer[split + 4..].to_vec())
    }
}

const SIGNED_FOR: Duration = Duration::from_secs(60);

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY)
}
