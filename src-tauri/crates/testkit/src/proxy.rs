//! A fault-injecting TCP proxy on loopback, to put between a client and the server:
//! connections dropped, answered 503, delayed or cut half-way, drawn from a seed so a
//! failing run repeats.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::loopback::Background;

/// What the proxy does to connections, drawn from a seeded generator.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Seeds every decision, so a run repeats.
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
    /// Where it listens.
    pub address: SocketAddr,
    /// Bytes from the client, on every connection, cut or not.
    pub client_bytes: Arc<AtomicU64>,
    /// Where it forwards to; switchable while running.
    pub upstream: Arc<Mutex<SocketAddr>>,
    /// While set, the upstream is as good as gone: new connections are closed at once
    /// and open ones are cut at their next bytes.
    pub down: Arc<AtomicBool>,
    _background: Background,
}

/// xorshift64*: a seeded stream of numbers, enough for fault decisions.
pub struct Rng(u64);

impl Rng {
    /// The stream drawn from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next number.
    // Not an `Iterator`: the stream never ends, and callers draw from it one at a time.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `p` (never when `p` is 0).
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p && p > 0.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

impl Proxy {
    /// Starts forwarding to `upstream` with `faults`.
    pub fn start(upstream: SocketAddr, faults: Faults) -> Proxy {
        let client_bytes = Arc::new(AtomicU64::new(0));
        let upstream = Arc::new(Mutex::new(upstream));
        let down = Arc::new(AtomicBool::new(false));
        let (counted, target, gone) = (client_bytes.clone(), upstream.clone(), down.clone());
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
                    down: gone.clone(),
                    counted: counted.clone(),
                    budget,
                    cut_once: cut_once.clone(),
                    delay: faults.delay,
                    rng: Mutex::new(Rng::new(delay_seed)),
                    spent: AtomicU64::new(0),
                };
                tokio::spawn(async move {
                    if drop_it || connection.down.load(Ordering::SeqCst) {
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
            down,
            _background: background,
        }
    }

    /// Its base URL, for a client's server setting.
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
    down: Arc<AtomicBool>,
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
            if self.down.load(Ordering::SeqCst) {
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
