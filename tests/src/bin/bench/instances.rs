//! The `instances` section: two servers on one PostgreSQL database, as the alcaldía
//! deploys them, against one server on SQLite and against pgbench's rate of batched
//! inserts on the same PostgreSQL (the ceiling the database allows), rounds
//! alternating; then one of the two killed in the middle of a round, and what its 201s
//! became.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use ventanilla_api::receipt::GENESIS_HASH;
use ventanilla_api::{LogPage, PublicKeys};
use ventanilla_testkit::postgres::Cluster;
use ventanilla_tests::built_binary;

use super::{
    bid_lists, expect, load, median, next_of, open_tenders, register_bidders, report, summary,
    Pace, Prepared, ServerProcess, CLIENTS, ROUND, TARGET_PER_SECOND,
};

/// The most bids per second the rounds on PostgreSQL are prepared for.
const MAX_PER_SECOND: usize = 8_000;
/// How long the round with a kill lasts, and when in it the instance is killed.
const KILL_ROUND: Duration = Duration::from_secs(4);
const KILL_AT: Duration = Duration::from_secs(1);
/// Rows per transaction of the pgbench ceiling: about what one group commit holds.
const PGBENCH_BATCH: usize = 64;

pub fn bench_instances(runs: usize) {
    let cluster = Cluster::start();
    let url = cluster.database();
    let server = built_binary("ventanilla-server", "release");
    let dirs = [(); 2].map(|()| tempfile::tempdir().expect("temp dir"));
    let made = Command::new(&server)
        .args(["keys", "init", "--data-dir"])
        .arg(dirs[0].path())
        .args(["--database-url", &url])
        .output()
        .expect("keys init runs");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let key = "receipt-signing.key";
    std::fs::copy(dirs[0].path().join(key), dirs[1].path().join(key)).expect("key copied");
    let mut instances: Vec<ServerProcess> = dirs
        .into_iter()
        .map(|dir| ServerProcess::start_in(dir, &["--database-url", &url]))
        .collect();
    let sqlite = ServerProcess::start();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(CLIENTS)
            .build()
            .expect("an HTTP client");
        let bases: Vec<String> = instances.iter().map(|i| i.base.clone()).collect();
        let open = open_tenders(&http, &bases[0]).await;
        let per_client =
            |rate: usize, round: Duration| (rate * round.as_secs() as usize).div_ceil(CLIENTS) + 1;
        let (flat_out, paced) = (
            per_client(MAX_PER_SECOND, ROUND),
            per_client(TARGET_PER_SECOND, ROUND),
        );
        let killed = per_client(MAX_PER_SECOND, KILL_ROUND);
        let bidders = (CLIENTS * (runs * (flat_out + paced) + killed)).div_ceil(open.len());
        let clients = register_bidders(&http, &bases[0], bidders).await;
        let mut postgres_bids = bid_lists(&clients, &open, &bases);
        let sqlite_bidders = (CLIENTS * runs * flat_out).div_ceil(open.len());
        let sqlite_clients = register_bidders(&http, &sqlite.base, sqlite_bidders).await;
        let mut sqlite_bids = bid_lists(&sqlite_clients, &open, std::slice::from_ref(&sqlite.base));
        let pids = |servers: &[ServerProcess]| servers.iter().map(|s| s.child.id()).collect();
        let postgres_pids: Vec<u32> = pids(&instances);
        let [mut on_postgres, mut on_sqlite, mut paced_postgres] = [(); 3].map(|()| Vec::new());
        let mut ceiling = Vec::new();
        for _ in 0..runs {
            let lists = next_of(&mut postgres_bids, flat_out);
            on_postgres.push(load(&http, &postgres_pids, lists, 201, Pace::FlatOut).await);
            let lists = next_of(&mut sqlite_bids, flat_out);
            on_sqlite.push(load(&http, &[sqlite.child.id()], lists, 201, Pace::FlatOut).await);
            let lists = next_of(&mut postgres_bids, paced);
            let target = Pace::Offered(TARGET_PER_SECOND as f64);
            paced_postgres.push(load(&http, &postgres_pids, lists, 201, target).await);
            ceiling.push(pgbench_ceiling(&cluster, &url));
        }
        let (rate, p50, p99, cpu, _) = summary(&on_postgres);
        let (s_rate, s_p50, s_p99, s_cpu, _) = summary(&on_sqlite);
        let ceiling = median(ceiling);
        report(
            "2 instances on PostgreSQL: bids/s flat out",
            "/s",
            rate,
            "1 instance on SQLite",
            s_rate,
        );
        report("  bid latency p50", "ms", p50, "SQLite p50", s_p50);
        report("  bid latency p99", "ms", p99, "SQLite p99", s_p99);
        report(
            "  servers' CPU s per 1,000 bids",
            "s",
            cpu,
            "SQLite server's",
            s_cpu,
        );
        report(
            "  bids/s against the database's ceiling",
            "/s",
            rate,
            &format!("pgbench, {PGBENCH_BATCH} rows/commit"),
            ceiling,
        );
        let (p_rate, p_p50, p_p99, _, _) = summary(&paced_postgres);
        let what = format!("2 instances, {TARGET_PER_SECOND}/s offered: bids/s");
        report(&what, "/s", p_rate, "offered", TARGET_PER_SECOND as f64);
        report("  bid latency p50", "ms", p_p50, "flat-out p50", p50);
        report("  bid latency p99", "ms", p_p99, "flat-out p99", p99);

        let lists = next_of(&mut postgres_bids, killed);
        let victim = instances.pop().expect("a second instance");
        kill_round(&http, lists, &bases, victim).await;
    });
}

/// Rows per second pgbench commits on `url`: 8 clients, each transaction inserting
/// [`PGBENCH_BATCH`] rows the size of a bid's (a snapshot, ids, a stamp), durable as
/// the server's (`fsync` and `synchronous_commit` on).
fn pgbench_ceiling(cluster: &Cluster, url: &str) -> f64 {
    let psql = cluster.bin().join("psql");
    let made = Command::new(psql)
        .args([url, "-q", "-c"])
        .arg(
            "CREATE TABLE IF NOT EXISTS pgbench_bid (id uuid, ocid text, rfc text, \
             snapshot text, at timestamptz)",
        )
        .output()
        .expect("psql runs");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let script = tempfile::NamedTempFile::new().expect("a script file");
    std::fs::write(
        script.path(),
        format!(
            "INSERT INTO pgbench_bid SELECT gen_random_uuid(), 'ocds-abj-sandbox-LP-ABJ-2026-014', \
             'AAA010203A1B', repeat('x', 200), now() FROM generate_series(1, {PGBENCH_BATCH});\n"
        ),
    )
    .expect("the script is written");
    let seconds = ROUND.as_secs().to_string();
    let output = Command::new(cluster.bin().join("pgbench"))
        .args(["-n", "-c", "8", "-j", "2", "-T", &seconds, "-f"])
        .arg(script.path())
        .arg(url)
        .output()
        .expect("pgbench runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tps: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("pgbench reports its tps");
    tps * PGBENCH_BATCH as f64
}

/// Flat out against both instances, with `victim` (the second) killed (SIGKILL) a
/// second in. A client whose instance is gone sends the same request (same key) to the
/// survivor, as Ventanilla's outbox does on its next attempt. Then: how many 201s'
/// receipts are in the log, whether the log chains from its start, and how the survivor
/// answered.
async fn kill_round(
    http: &reqwest::Client,
    lists: Vec<std::vec::IntoIter<Prepared>>,
    bases: &[String],
    mut victim: ServerProcess,
) {
    let started = Instant::now();
    let survivor = bases[0].clone();
    let tasks: Vec<_> = lists
        .into_iter()
        .map(|requests| {
            let (http, survivor) = (http.clone(), survivor.clone());
            tokio::spawn(async move {
                let mut outcome = KillOutcome::default();
                for prepared in requests {
                    if started.elapsed() >= KILL_ROUND {
                        break;
                    }
                    let mut url = prepared.url.clone();
                    loop {
                        match send(&http, &url, &prepared).await {
                            Ok((status, body)) => {
                                outcome.count(status, &body, &url, &survivor, started);
                                break;
                            }
                            Err(()) if !url.starts_with(&survivor) => {
                                outcome.failed_over += 1;
                                let path = url.split_once("/v1/").map_or("", |(_, p)| p);
                                url = format!("{survivor}/v1/{path}");
                            }
                            Err(()) => {
                                outcome.lost += 1;
                                break;
                            }
                        }
                    }
                }
                outcome
            })
        })
        .collect();
    tokio::time::sleep(KILL_AT).await;
    let _ = victim.child.kill();
    let _ = victim.child.wait();
    let mut total = KillOutcome::default();
    for task in tasks {
        total.add(task.await.expect("a client finished"));
    }
    let (stored, breaks, entries) = stored_and_chained(http, &survivor, &total.receipts).await;
    let answered = total.receipts.len() as f64;
    report(
        "kill 1 of 2 mid-load: 201s stored and chained",
        "",
        stored as f64,
        "201s answered",
        answered,
    );
    report(
        "  log entries out of the chain",
        "",
        breaks as f64,
        "log entries",
        entries as f64,
    );
    let after = (KILL_ROUND - KILL_AT).as_secs_f64();
    report(
        "  survivor's 201s/s after the kill",
        "/s",
        total.survivor_after as f64 / after,
        "both, before the kill",
        total.before as f64 / KILL_AT.as_secs_f64(),
    );
    report(
        "  requests sent again to the survivor",
        "",
        total.failed_over as f64,
        "requests lost",
        total.lost as f64,
    );
}

#[derive(Default)]
struct KillOutcome {
    /// The receipts of the 201s.
    receipts: Vec<Value>,
    before: usize,
    survivor_after: usize,
    failed_over: usize,
    lost: usize,
}

impl KillOutcome {
    fn count(&mut self, status: u16, body: &str, url: &str, survivor: &str, started: Instant) {
        if status != 201 {
            return;
        }
        let record: Value = serde_json::from_str(body).unwrap_or_default();
        self.receipts.push(record["receipt"].clone());
        if started.elapsed() < KILL_AT {
            self.before += 1;
        } else if url.starts_with(survivor) {
            self.survivor_after += 1;
        }
    }

    fn add(&mut self, other: KillOutcome) {
        self.receipts.extend(other.receipts);
        self.before += other.before;
        self.survivor_after += other.survivor_after;
        self.failed_over += other.failed_over;
        self.lost += other.lost;
    }
}

/// Sends `prepared` to `url`; `Err` when no answer came (the instance is gone).
async fn send(http: &reqwest::Client, url: &str, prepared: &Prepared) -> Result<(u16, String), ()> {
    let response = prepared.request(http, url).send().await.map_err(drop)?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(drop)?;
    Ok((status, body))
}

/// How many of `receipts` are in the log at their index with the hash they name, each
/// verified with the published key; and, of the log read whole from `base`, how many
/// entries are out of place (a gap, or a previous hash not the entry before's) among
/// how many.
async fn stored_and_chained(
    http: &reqwest::Client,
    base: &str,
    receipts: &[Value],
) -> (usize, usize, usize) {
    let keys: PublicKeys =
        serde_json::from_value(expect(http.get(format!("{base}/v1/keys")), 200).await)
            .expect("the keys");
    let key = keys.keys[0].verifying_key().expect("a key");
    let mut hashes = Vec::new();
    let mut breaks = 0;
    let mut after: Option<u64> = None;
    loop {
        let url = match after {
            Some(after) => format!("{base}/v1/log?after={after}"),
            None => format!("{base}/v1/log"),
        };
        let page: LogPage =
            serde_json::from_value(expect(http.get(url), 200).await).expect("a log page");
        for entry in page.entries {
            let previous = hashes.last().map_or(GENESIS_HASH, String::as_str);
            if entry.index as usize != hashes.len() || entry.previous_hash != previous {
                breaks += 1;
            }
            hashes.push(entry.entry_hash);
        }
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let stored = receipts
        .iter()
        .filter(|receipt| {
            let Ok(receipt) = serde_json::from_value::<ventanilla_api::Receipt>((*receipt).clone())
            else {
                return false;
            };
            receipt.verify(&key).is_ok()
                && receipt
                    .entry_hash()
                    .is_ok_and(|hash| hashes.get(receipt.log_index as usize) == Some(&hash))
        })
        .count();
    (stored, breaks, hashes.len())
}
