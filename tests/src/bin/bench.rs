//! `./dev bench`: Ventanilla's figures, each beside a baseline measured in the same run.
//!
//! - launch to ready (home screen showing data) and idle memory of the app and its
//!   WebKit processes, against a bare Tauri window built with the same profile;
//! - the home list's load with 1,000 businesses on disk, against a plain scan of the
//!   same index table;
//! - one registration edit persisted, against a plain single-row upsert.
//!
//! Usage: `bench [RUNS]` (default 7). Medians are reported; nothing here asserts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use ventanilla_app::desk::Desk;
use ventanilla_core::{Field, RegistrationDraft};
use ventanilla_store::Library;
use ventanilla_tests::built_binary;

const BUSINESSES: usize = 1_000;
const EDITS: usize = 1_000;

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let mid = samples.len() / 2;
    if samples.len().is_multiple_of(2) {
        (samples[mid - 1] + samples[mid]) / 2.0
    } else {
        samples[mid]
    }
}

fn report(what: &str, unit: &str, ours: f64, baseline_name: &str, baseline: f64) {
    println!(
        "{what:<44} {ours:>10.2} {unit:<3} | {baseline_name:<26} {baseline:>10.2} {unit:<3} | ratio {:>5.2}",
        ours / baseline
    );
}

/// Every process whose ancestry leads to `root`, `root` included.
fn process_tree(root: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            // The command name may hold spaces; the parent pid is 2 fields after its ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parents.push((pid, ppid));
            }
        }
    }
    let mut tree = vec![root];
    let mut grew = true;
    while grew {
        grew = false;
        for &(pid, ppid) in &parents {
            if tree.contains(&ppid) && !tree.contains(&pid) {
                tree.push(pid);
                grew = true;
            }
        }
    }
    tree
}

/// Resident memory of a process tree in MiB, summed from each process's VmRSS.
fn resident_mib(root: u32) -> f64 {
    process_tree(root)
        .into_iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .sum::<f64>()
        / 1024.0
}

fn stop(mut child: Child) {
    let tree = process_tree(child.id());
    let _ = child.kill();
    let _ = child.wait();
    for pid in tree.into_iter().skip(1) {
        let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
    }
}

/// Starts `binary`, waits for its "ready" line, lets it idle, and returns
/// (milliseconds to ready, idle resident MiB).
fn launch(binary: &Path, data_dir: &Path) -> (f64, f64) {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .env("VENTANILLA_DATA_DIR", data_dir)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("NO_AT_BRIDGE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    let stderr = child.stderr.take().map(BufReader::new);
    let mut ready = None;
    if let Some(lines) = stderr {
        for line in lines.lines().map_while(Result::ok) {
            if line.contains("ventanilla: ready") {
                ready = Some(started.elapsed());
                break;
            }
        }
    }
    let Some(ready) = ready else {
        stop(child);
        panic!("{} exited before reporting ready", binary.display());
    };
    std::thread::sleep(Duration::from_secs(3));
    let memory = resident_mib(child.id());
    stop(child);
    (ready.as_secs_f64() * 1000.0, memory)
}

fn populate(root: &Path, count: usize) {
    let library = Library::open(root).expect("the bench data folder opens");
    for i in 0..count {
        let mut draft = RegistrationDraft::default();
        draft.set(
            Field::Persona,
            if i % 2 == 0 { "moral" } else { "fisica" }.into(),
        );
        draft.set(Field::Name, format!("Negocio de prueba número {i}"));
        draft.set(Field::Rfc, format!("NEG{:06}AB{}", 100_101 + i, i % 10));
        library
            .create_business(&draft)
            .expect("a bench business is created");
    }
}

fn time_ms(mut run: impl FnMut()) -> f64 {
    let started = Instant::now();
    run();
    started.elapsed().as_secs_f64() * 1000.0
}

fn bench_launch(runs: usize) {
    let app = built_binary("ventanilla-app", "release");
    let bare = built_binary("bare-window", "release");
    let data = tempfile::tempdir().expect("temp dir");
    populate(data.path(), 20);
    let (mut app_ms, mut app_mib, mut bare_ms, mut bare_mib) = (vec![], vec![], vec![], vec![]);
    // Alternate so that any drift in the machine's load hits both alike.
    for _ in 0..runs {
        let (ms, mib) = launch(&bare, data.path());
        bare_ms.push(ms);
        bare_mib.push(mib);
        let (ms, mib) = launch(&app, data.path());
        app_ms.push(ms);
        app_mib.push(mib);
    }
    report(
        "launch to home ready (20 businesses)",
        "ms",
        median(app_ms),
        "bare Tauri window",
        median(bare_ms),
    );
    report(
        "idle resident memory, app + WebKit",
        "MiB",
        median(app_mib),
        "bare Tauri window",
        median(bare_mib),
    );
}

fn bench_home_list(runs: usize) -> PathBuf {
    let root = std::env::temp_dir().join(format!("ventanilla-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let started = Instant::now();
    populate(&root, BUSINESSES);
    println!(
        "(created {BUSINESSES} businesses in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let desk = Desk::open(root.clone());
    let ours: Vec<f64> = (0..runs)
        .map(|_| time_ms(|| assert_eq!(desk.list("").map(|l| l.len()).unwrap_or(0), BUSINESSES)))
        .collect();
    let db = rusqlite_scan_baseline(&root.join("app.db"), runs);
    report(
        "home list, 1,000 businesses (command → data)",
        "ms",
        median(ours),
        "SELECT * of the index",
        db,
    );
    root
}

/// Reading every row of the same index table, with nothing else done.
fn rusqlite_scan_baseline(app_db: &Path, runs: usize) -> f64 {
    let conn = Connection::open(app_db).expect("app.db opens");
    median(
        (0..runs)
            .map(|_| {
                time_ms(|| {
                    let mut statement = conn
                        .prepare_cached("SELECT * FROM business")
                        .expect("prepared");
                    let mut rows = statement.query([]).expect("query runs");
                    let mut count = 0;
                    while let Ok(Some(_)) = rows.next() {
                        count += 1;
                    }
                    assert_eq!(count, BUSINESSES);
                })
            })
            .collect(),
    )
}

/// One row upserted per edit in a WAL database with the store's pragmas.
fn upsert_baseline(path: &Path, edits: usize) -> Vec<f64> {
    let conn = Connection::open(path).expect("scratch db opens");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE field (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
    )
    .expect("scratch schema");
    (0..edits)
        .map(|i| {
            time_ms(|| {
                conn.execute(
                    "INSERT INTO field VALUES ('street', ?1)
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    [format!("Av. Cuauhtémoc {i}")],
                )
                .expect("upsert");
            })
        })
        .collect()
}

fn bench_edits(root: &Path) {
    let mut desk = Desk::open(root.to_path_buf());
    let id = desk
        .list("")
        .ok()
        .and_then(|l| l.first().map(|b| b.id.clone()))
        .expect("a business");
    let ours: Vec<f64> = (0..EDITS)
        .map(|i| {
            let value = format!("Av. Cuauhtémoc {i}");
            time_ms(|| {
                desk.set_field(&id, Field::Street, &value)
                    .expect("edit saved");
            })
        })
        .collect();
    let scratch = tempfile::tempdir().expect("temp dir");
    let baseline = upsert_baseline(&scratch.path().join("plain.db"), EDITS);
    report(
        "registration edit persisted (median)",
        "ms",
        median(ours),
        "plain one-row upsert",
        median(baseline),
    );
}

fn main() {
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7usize);
    println!("Ventanilla benchmarks: medians of {runs} runs ({EDITS} for edits)\n");
    bench_launch(runs);
    let root = bench_home_list(runs);
    bench_edits(&root);
    let _ = std::fs::remove_dir_all(root);
}
