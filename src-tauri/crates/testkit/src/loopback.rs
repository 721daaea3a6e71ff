//! The real reference server on loopback, in sandbox mode on a runtime and thread of
//! its own, and the scratch folders the tests keep their files in.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use ventanilla_server::clock::{Clock, ManualClock};
use ventanilla_server::efirma::EfirmaPolicy;
use ventanilla_server::test_fiel::TestCa;
use ventanilla_server::{serve, App, Config};

use crate::businesses::DOCUMENTS;

/// The password of every account the tests sign up on the server.
pub const PASSWORD: &str = "una contraseña larga";

/// A temporary folder, in memory where the system has one (`/dev/shm`): the tests
/// write thousands of small files and databases, each synced, and they measure the
/// protocol, not the disk.
pub fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

/// A runtime on a thread of its own, stopped when dropped.
pub struct Background {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Background {
    /// Binds a loopback port and runs `start` on it (with the signal that asks it to
    /// stop) on a two-worker runtime; answers the handle and the bound address.
    pub fn run<F, Fut>(start: F) -> (Background, SocketAddr)
    where
        F: FnOnce(TcpListener, tokio::sync::oneshot::Receiver<()>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()>,
    {
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let (address_tx, address_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                address_tx.send(listener.local_addr().unwrap()).unwrap();
                start(listener, stopped).await;
            });
        });
        let address = address_rx.recv().unwrap();
        (
            Background {
                stop: Some(stop),
                thread: Some(thread),
            },
            address,
        )
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The reference server in sandbox mode, its data in `dir`.
pub struct Server {
    /// Where it listens.
    pub address: SocketAddr,
    /// Its data folder (`server.db`, `documents/`).
    pub dir: PathBuf,
    /// The clock it stands on, when it was started on one.
    clock: Option<Arc<ManualClock>>,
    _background: Background,
}

impl Server {
    /// On the machine's clock, or on one standing at `clock`.
    pub fn start(dir: &Path, clock: Option<DateTime<Utc>>) -> Server {
        Server::start_with(dir, clock, EfirmaPolicy::default())
    }

    /// On the machine's clock, refusing submissions not signed by a FIEL of `authority`.
    pub fn start_trusting(dir: &Path, authority: &TestCa) -> Server {
        let certificate =
            ventanilla_efirma::Certificate::from_der(&authority.certificate()).unwrap();
        Server::start_with(dir, None, EfirmaPolicy::trusting(vec![certificate]))
    }

    fn start_with(dir: &Path, clock: Option<DateTime<Utc>>, efirma: EfirmaPolicy) -> Server {
        let mut config = Config::new(dir);
        config.sandbox = true;
        config.efirma = efirma;
        let clock = clock.map(|at| Arc::new(ManualClock::new(at)));
        config.clock = clock.clone().map(|manual| manual as Arc<dyn Clock>);
        let app = App::open(config).unwrap();
        let (background, address) = Background::run(move |listener, stopped| async move {
            serve(listener, &app, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Server {
            address,
            dir: dir.to_path_buf(),
            clock,
            _background: background,
        }
    }

    /// Moves the clock it was started on to `at` (the bids' opening, say).
    pub fn set_clock(&self, at: DateTime<Utc>) {
        self.clock
            .as_ref()
            .expect("a server started on a clock of its own")
            .set(at);
    }

    /// Its base URL, for a client's server setting.
    pub fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Counts rows of the server's own database.
    pub fn count(&self, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.dir.join("server.db")).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// The server holds exactly the registrations of `businesses` complete businesses
    /// (see [`complete_business`]), one receipt each, every distinct document stored
    /// once (as a row and as a file), and no upload left unfinished.
    pub fn holds_each_registration_once(&self, businesses: usize) {
        let businesses = businesses as i64;
        assert_eq!(self.count("SELECT count(*) FROM registration"), businesses);
        assert_eq!(self.count("SELECT count(*) FROM receipt"), businesses);
        let shared = DOCUMENTS.iter().filter(|(_, shared)| *shared).count() as i64;
        let documents = businesses * (DOCUMENTS.len() as i64 - shared) + shared;
        assert_eq!(self.count("SELECT count(*) FROM document"), documents);
        let files = std::fs::read_dir(self.dir.join("documents"))
            .unwrap()
            .count();
        assert_eq!(files as i64, documents);
        assert_eq!(
            self.count("SELECT count(*) FROM upload WHERE offset < size"),
            0,
            "no upload left unfinished"
        );
    }
}
