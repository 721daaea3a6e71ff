//! What the sync tests share: the real reference server on loopback (on a thread of
//! its own), a fault-injecting TCP proxy in front of it, and complete businesses
//! (from `ventanilla_sync::testing`).
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use ventanilla_server::clock::{Clock, ManualClock, SystemClock};
use ventanilla_server::efirma::EfirmaPolicy;
use ventanilla_server::{serve, App, Config};

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
    pub address: SocketAddr,
    pub dir: PathBuf,
    _background: Background,
}

impl Server {
    /// On the machine's clock, or on one standing at `clock`.
    pub fn start(dir: &Path, clock: Option<DateTime<Utc>>) -> Server {
        Server::start_with(dir, clock, EfirmaPolicy::default())
    }

    /// On the machine's clock, refusing submissions not signed by a FIEL of `authority`.
    pub fn start_trusting(
        dir: &Path,
        authority: &ventanilla_efirma::test_support::TestCa,
    ) -> Server {
        let certificate =
            ventanilla_efirma::Certificate::from_der(&authority.certificate()).unwrap();
        Server::start_with(dir, None, EfirmaPolicy::trusting(vec![certificate]))
    }

    fn start_with(dir: &Path, clock: Option<DateTime<Utc>>, efirma: EfirmaPolicy) -> Server {
        let mut config = Config::new(dir);
        config.sandbox = true;
        config.efirma = efirma;
        config.clock = match clock {
            Some(at) => Arc::new(ManualClock::new(at)) as Arc<dyn Clock>,
            None => Arc::new(SystemClock),
        };
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
            _background: background,
        }
    }

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

/// What the proxy does to connections, drawn from a seeded generator.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    pub seed: u64,
    /// Share of connections closed at once.
    pub drop: f64,
    /// Share of connections answered 503 without reaching the server.
    pub unavailable: f64,
    /// Share of reads delayed (by up to 20 ms).
    pub delay: f64,
    /// When set, every connection is cut after a random number of bytes (either way)
    /// drawn below this: requests and answers cut half-way.
    pub cut_within: Option<u64>,
    /// Cut the first connection whose client bytes reach this many (once).
    pub cut_once_at: Option<u64>,
}

/// A TCP proxy on loopback that counts the bytes the client sends and injects faults.
pub struct Proxy {
    pub address: SocketAddr,
    /// Bytes from the client, on every connection, cut or not.
    pub client_bytes: Arc<AtomicU64>,
    /// Where it forwards to; switchable while running.
    pub upstream: Arc<Mutex<SocketAddr>>,
    _background: Background,
}

/// xorshift64*: a seeded stream of numbers, enough for fault decisions.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p && p > 0.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

impl Proxy {
    pub fn start(upstream: SocketAddr, faults: Faults) -> Proxy {
        let client_bytes = Arc::new(AtomicU64::new(0));
        let upstream = Arc::new(Mutex::new(upstream));
        let (counted, target) = (client_bytes.clone(), upstream.clone());
        let (background, address) = Background::run(move |listener, mut stopped| async move {
            let rng = Arc::new(Mutex::new(Rng::new(faults.seed)));
            let cut_once = Arc::new(Mutex::new(faults.cut_once_at));
            loop {
                let accepted = tokio::select! {
                    accepted = listener.accept() => accepted,
                    _ = &mut stopped => return,
                };
                let Ok((client, _)) = accepted else { continue };
                let upstream = *target.lock().unwrap();
                let (drop_it, unavailable, budget, delay_seed) = {
                    let mut rng = rng.lock().unwrap();
                    (
                        rng.chance(faults.drop),
                        rng.chance(faults.unavailable),
                        faults.cut_within.map(|n| 1 + rng.below(n)),
                        rng.next(),
                    )
                };
                let connection = Connection {
                    counted: counted.clone(),
                    budget,
                    cut_once: cut_once.clone(),
                    delay: faults.delay,
                    rng: Mutex::new(Rng::new(delay_seed)),
                    spent: AtomicU64::new(0),
                };
                tokio::spawn(async move {
                    if drop_it {
                        return;
                    }
                    if unavailable {
                        answer_unavailable(client).await;
                        return;
                    }
                    let Ok(server) = TcpStream::connect(upstream).await else {
                        return;
                    };
                    Arc::new(connection).pump(client, server).await;
                });
            }
        });
        Proxy {
            address,
            client_bytes,
            upstream,
            _background: background,
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.address)
    }
}

async fn answer_unavailable(mut client: TcpStream) {
    let mut buffer = [0u8; 1024];
    let _ = client.read(&mut buffer).await;
    let _ = client
        .write_all(b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\ncontent-length: 22\r\nconnection: close\r\n\r\n<html>Mantenimiento</html>")
        .await;
    let _ = client.shutdown().await;
}

struct Connection {
    counted: Arc<AtomicU64>,
    /// Bytes (both ways) after which the connection is cut.
    budget: Option<u64>,
    cut_once: Arc<Mutex<Option<u64>>>,
    delay: f64,
    rng: Mutex<Rng>,
    spent: AtomicU64,
}

impl Connection {
    async fn pump(self: Arc<Self>, client: TcpStream, server: TcpStream) {
        let (client_read, client_write) = client.into_split();
        let (server_read, server_write) = server.into_split();
        let up = self.clone().copy(client_read, server_write, true);
        let down = self.clone().copy(server_read, client_write, false);
        // Whichever side ends (or is cut) ends the connection, both ways at once: the
        // halves are dropped together, as a broken network would drop them.
        tokio::select! {
            _ = up => {},
            _ = down => {},
        }
    }

    async fn copy(
        self: Arc<Self>,
        mut from: tokio::net::tcp::OwnedReadHalf,
        mut to: tokio::net::tcp::OwnedWriteHalf,
        from_client: bool,
    ) {
        let mut buffer = vec![0u8; 16 * 1024];
        loop {
            let Ok(read) = from.read(&mut buffer).await else {
                return;
            };
            if read == 0 {
                let _ = to.shutdown().await;
                return;
            }
            let mut allowed = read;
            let spent = self.spent.fetch_add(read as u64, Ordering::SeqCst);
            if let Some(budget) = self.budget {
                if spent + read as u64 > budget {
                    allowed = budget.saturating_sub(spent) as usize;
                }
            }
            if from_client {
                let mut once = self.cut_once.lock().unwrap();
                let total = self.counted.load(Ordering::SeqCst);
                if let Some(at) = *once {
                    if total + read as u64 >= at {
                        allowed = allowed.min(at.saturating_sub(total) as usize);
                        *once = None;
                    }
                }
                self.counted.fetch_add(allowed as u64, Ordering::SeqCst);
            }
            let wait = {
                let mut rng = self.rng.lock().unwrap();
                rng.chance(self.delay).then(|| rng.below(20))
            };
            if let Some(ms) = wait {
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            if to.write_all(&buffer[..allowed]).await.is_err() || allowed < read {
                return;
            }
        }
    }
}

pub use ventanilla_sync::testing::{complete_business, DOCUMENTS};

/// A library in `dir/data` holding complete business number `n` (its documents of
/// about `filler` bytes written to `dir/files`) with its registration queued: the
/// library, the business id and the submission id.
pub fn queued_registration(
    dir: &Path,
    n: usize,
    filler: usize,
) -> (ventanilla_store::Library, String, String) {
    let library = ventanilla_store::Library::open(dir.join("data")).unwrap();
    let files = dir.join("files");
    std::fs::create_dir_all(&files).unwrap();
    let id = complete_business(&library, &files, n, filler);
    let today = ventanilla_core::checklist::mexico_city_today(Utc::now());
    let submission = ventanilla_sync::queue_registration(&library, &id, today, None)
        .unwrap()
        .submission
        .id;
    (library, id, submission)
}

/// A bid on `tender` by `business`, every item offered and every declaration made:
/// complete, its id.
pub fn complete_bid(
    business: &ventanilla_store::BusinessStore,
    tender: &ventanilla_core::tender::Tender,
) -> String {
    use ventanilla_core::bid::{Declaration, ItemField};
    let bid = business.create_bid(tender).unwrap().id;
    for item in &tender.items {
        for (field, value) in [
            (
                ItemField::Offered,
                "Lo que pide la partida, nuevo, con factura",
            ),
            (ItemField::Delivery, "10 días hábiles"),
            (ItemField::UnitPrice, "1,234.50"),
            (ItemField::Quantity, "3"),
        ] {
            if field != ItemField::Quantity || item.quantity.is_none() {
                business
                    .set_bid_item_field(&bid, &item.id, field, value)
                    .unwrap();
            }
        }
    }
    for declaration in [
        Declaration::NoImpediment,
        Declaration::NoConflictOfInterest,
        Declaration::MipymeSize,
    ] {
        business
            .set_bid_declaration(&bid, declaration, true)
            .unwrap();
    }
    bid
}

/// A [`complete_bid`] frozen now: ready to queue.
pub fn ready_bid(
    library: &ventanilla_store::Library,
    business: &ventanilla_store::BusinessStore,
    tender: &ventanilla_core::tender::Tender,
) -> ventanilla_core::bid::FrozenBid {
    let bid = complete_bid(business, tender);
    let catalogue = library.catalogue().unwrap();
    let stored = business.load_bid(&bid).unwrap();
    business
        .freeze_bid(&catalogue, stored, tender.clone(), Utc::now())
        .unwrap()
        .unwrap()
}

/// The first open tender of the catalogue the drain brought down.
pub fn open_tender(library: &ventanilla_store::Library) -> ventanilla_core::tender::Tender {
    let open = ventanilla_store::TenderQuery {
        status: Some(ventanilla_store::StatusFilter::Open),
        ..ventanilla_store::TenderQuery::default()
    };
    let listed = library.search_tenders(&open, Utc::now()).unwrap();
    library.tender(&listed[0].ocid).unwrap().unwrap()
}
