//! `./dev bench`: Ventanilla's figures, each beside a baseline measured in the same run.
//!
//! - launch to ready (home screen showing data) and idle memory of the app and its
//!   WebKit processes, against a bare Tauri window built with the same profile; and
//!   the app the .deb installed (`/usr/bin/ventanilla-app`), when it is installed;
//! - with `packages` named (after `./dev package`): the .deb's and the Windows
//!   installer's sizes, against the programs they carry, uncompressed;
//! - the home list's load with 1,000 businesses on disk, against a plain scan of the
//!   same index table;
//! - one registration edit persisted, against a plain single-row upsert;
//! - a 200 MB file attached to the document vault (copied, hashed and synced in one
//!   pass), against `sha256sum` and `cp` of the same file run as processes;
//! - the document checklists of 1,000 businesses evaluated in memory, against a walk
//!   over the same profiles that evaluates nothing;
//! - the checklist page of one business with 200 documents (command → data), against
//!   reading its 200 document rows alone;
//! - a 10,000-release OCDS package (about 50 MB) imported into the tender catalogue by
//!   the `ventanilla` CLI as a process, with its peak memory, against parsing the same
//!   file into a `serde_json::Value` in a process; then catalogue searches over the
//!   10,000 tenders, against a plain scan of their titles;
//! - «Para ti»: every open tender of the same 10,000-tender catalogue matched against
//!   1,000 businesses' activities in memory, against one pass folding the tenders'
//!   text (the least any matcher reads); the refresh the desk runs after a sync (open
//!   tenders read from `app.db`, matched, counts stored), against reading those rows
//!   alone; and the home list of the 1,000 businesses with their matches (command →
//!   data), against a plain scan of the index table;
//! - one price edited in a bid on a 500-item tender, stored and answered with the
//!   line, the exact totals and the problem counts (command → data), against a plain
//!   single-row upsert;
//! - bids accepted per second by the sandbox API server (release, as a process) from
//!   64 concurrent clients on loopback, flat out and paced at 1,000 bids/s offered,
//!   with p50/p99 latency and CPU per request, against the same clients calling its
//!   health endpoint the same way, rounds alternating; beside them, bids signed with an
//!   e.firma each (the server verifying every signature, chain and RFC included) flat
//!   out, and the server's verification of one signature in process against verifying
//!   the CMS signature alone; then 300 connections trickling
//!   a header byte a second (how many the server still holds past its header timeout,
//!   health latency among them), a burst of 100 wrong passwords on one email (how many
//!   reach the hash) and the owner signing in from another address meanwhile;
//! - the sync drain of 200 registrations with 1,000 documents of 1 MB to the sandbox
//!   server (release, as a process) over loopback, against one `curl` uploading the
//!   same bytes to the same server; the client's bytes on the wire counted by a proxy
//!   against what the server lacked, and a second drain that must send no document;
//! - an e.firma's key decrypted and a 1 MB file signed (detached `.p7s`), and the
//!   signature verified, in process, against `openssl cms` as a process;
//! - a locked business: unlocked (against opening it unlocked), an edit persisted
//!   (against the same edit before the lock), its 50 MB file written and taken in
//!   (against copying its folder);
//! - two server instances on one PostgreSQL ([`instances`]): bids flat out and paced
//!   against one instance on SQLite and pgbench's batched inserts, then one instance
//!   killed mid-load.
//!
//! Usage: `bench [RUNS] [SECTION...]` (default 7 runs, every section; sections are
//! `launch`, `home`, `edits`, `attach`, `checklists`, `page`, `tenders`, `fits`, `bid`, `server`,
//! `instances`, `sync`, `efirma`, `locks` and, only when named, `packages`). Medians are
//! reported; nothing here asserts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use std::hint::black_box;
use std::io::Write;

use rusqlite::Connection;
use serde_json::json;
use ventanilla_core::bid::ItemField;
use ventanilla_core::checklist::{evaluate, Catalogue, DocumentFact, Profile};
use ventanilla_core::{Field, Persona, RegistrationDraft};
use ventanilla_desk::Desk;
use ventanilla_store::{Library, StatusFilter, TenderQuery};
use ventanilla_testkit::fixtures::one_page_pdf;
use ventanilla_tests::{built_binary, package, target_dir};

mod instances;

const BUSINESSES: usize = 1_000;
const EDITS: usize = 1_000;
/// The size of the file attached, in bytes (decimal megabytes, as throughput is given).
const ATTACH_BYTES: usize = 200 * 1_000_000;

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

/// Where the .deb puts the app.
const INSTALLED_APP: &str = "/usr/bin/ventanilla-app";

fn bench_launch(runs: usize) {
    let app = built_binary("ventanilla-app", "release");
    let bare = built_binary("bare-window", "release");
    let installed = Path::new(INSTALLED_APP);
    let installed = installed.is_file().then_some(installed);
    let data = tempfile::tempdir().expect("temp dir");
    populate(data.path(), 20);
    let (mut app_ms, mut app_mib, mut bare_ms, mut bare_mib) = (vec![], vec![], vec![], vec![]);
    let mut installed_ms = vec![];
    // Alternate so that any drift in the machine's load hits both alike.
    for _ in 0..runs {
        let (ms, mib) = launch(&bare, data.path());
        bare_ms.push(ms);
        bare_mib.push(mib);
        let (ms, mib) = launch(&app, data.path());
        app_ms.push(ms);
        app_mib.push(mib);
        if let Some(installed) = installed {
            installed_ms.push(launch(installed, data.path()).0);
        }
    }
    let bare_ms = median(bare_ms);
    report(
        "launch to home ready (20 businesses)",
        "ms",
        median(app_ms),
        "bare Tauri window",
        bare_ms,
    );
    if installed.is_some() {
        report(
            "launch to home ready, installed from .deb",
            "ms",
            median(installed_ms),
            "bare Tauri window",
            bare_ms,
        );
    }
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

/// A file of `bytes` pseudo-random bytes (so no layer can compress or deduplicate it)
/// framed as a PDF: its start and end are all the checks read of a file this large.
fn write_large_pdf(path: &Path, bytes: usize) {
    let head = b"%PDF-1.7\n";
    let tail = b"\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n";
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("bench file"));
    out.write_all(head).expect("bench file written");
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut left = bytes - head.len() - tail.len();
    let mut block = vec![0_u8; 1 << 16];
    while left > 0 {
        for word in block.chunks_exact_mut(8) {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        let n = left.min(block.len());
        out.write_all(&block[..n]).expect("bench file written");
        left -= n;
    }
    out.write_all(tail).expect("bench file written");
    out.flush().expect("bench file written");
}

/// Runs a command to completion, panicking when it fails.
fn run(program: &str, args: &[&Path]) {
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(status.success(), "{program} failed");
}

fn bench_attach(runs: usize) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let source = scratch.path().join("expediente.pdf");
    write_large_pdf(&source, ATTACH_BYTES);
    let library = Library::open(scratch.path().join("data")).expect("bench data folder");
    let id = library
        .create_business(&RegistrationDraft::default())
        .expect("bench business");
    let business = library.open_business(&id).expect("bench business opens");
    // The catalogue accepts a few megabytes; what is measured here is the copy.
    let mut requirement = Catalogue::default_catalogue()
        .requirement("CURRICULUM")
        .expect("CURRICULUM is in the catalogue")
        .clone();
    requirement.max_bytes = u64::MAX;
    let copy = scratch.path().join("copia.pdf");
    let (mut ours, mut plain, mut plain_synced) = (vec![], vec![], vec![]);
    // Alternate, and start each from the same page cache: the source was just written.
    for _ in 0..runs {
        plain.push(time_ms(|| {
            run("sha256sum", &[&source]);
            run("cp", &[&source, &copy]);
        }));
        let _ = std::fs::remove_file(&copy);
        plain_synced.push(time_ms(|| {
            run("sha256sum", &[&source]);
            run("cp", &[&source, &copy]);
            run("sync", &[&copy]);
        }));
        let _ = std::fs::remove_file(&copy);
        let mut document = None;
        ours.push(time_ms(|| {
            document = Some(
                business
                    .attach(&source, &requirement, None, None, None, &mut |_, _| true)
                    .expect("attached"),
            );
        }));
        // Removing the only record deletes the file, so the next run copies again.
        if let Some(document) = document {
            business.remove_document(&document.id).expect("removed");
        }
    }
    let throughput = |samples: Vec<f64>| ATTACH_BYTES as f64 / 1e6 / (median(samples) / 1000.0);
    let ours = throughput(ours);
    report(
        "attach 200 MB (one pass: copy, SHA-256, fsync)",
        "MB/s",
        ours,
        "sha256sum + cp, processes",
        throughput(plain),
    );
    report(
        "  the same, baseline also synced",
        "MB/s",
        ours,
        "sha256sum + cp + sync FILE",
        throughput(plain_synced),
    );
}

/// A thousand businesses as the rules see them: both personas, with and without
/// workers, up to three representatives, and about half their documents in, with
/// dates spread so that every status occurs on [`CHECKLIST_DAY`].
fn checklist_profiles(catalogue: &Catalogue) -> Vec<(Profile, Vec<DocumentFact>)> {
    (0..BUSINESSES)
        .map(|i| {
            let representatives: Vec<String> = (0..i % 4).map(|r| format!("r{i}-{r}")).collect();
            let documents = catalogue
                .requirements
                .iter()
                .enumerate()
                .filter(|(n, _)| (i + n) % 2 == 0)
                .map(|(n, r)| {
                    // Read as the UI sends it; issue dates run from March to late June.
                    serde_json::from_value(json!({
                        "requirement": r.code,
                        "representative": representatives.first(),
                        "issued_on": format!("2025-{:02}-{:02}", 3 + (i + n) % 4, 1 + (i * 7 + n * 13) % 28),
                        "expires_on": format!("2025-{:02}-{:02}", 6 + (i + n) % 3, 1 + (i + n) % 28),
                        "rejected": (n == 3 && i % 10 == 0).then_some("Ilegible"),
                    }))
                    .expect("a document fact")
                })
                .collect();
            let profile = Profile {
                persona: if i % 2 == 0 {
                    Persona::Moral
                } else {
                    Persona::Fisica
                },
                employer: i % 3 == 0,
                representatives,
            };
            (profile, documents)
        })
        .collect()
}

/// The Mexico City day the checklists are evaluated on.
const CHECKLIST_DAY: &str = "2025-06-10";

fn bench_checklists(runs: usize) {
    let catalogue = Catalogue::default_catalogue();
    let businesses = checklist_profiles(&catalogue);
    let today = serde_json::from_value(json!(CHECKLIST_DAY)).expect("a day");
    let ours: Vec<f64> = (0..runs)
        .map(|_| {
            time_ms(|| {
                for (profile, documents) in &businesses {
                    black_box(evaluate(&catalogue, profile, None, today, documents));
                }
            })
        })
        .collect();
    let walk: Vec<f64> = (0..runs)
        .map(|_| {
            time_ms(|| {
                for (profile, documents) in &businesses {
                    black_box((profile, documents));
                }
            })
        })
        .collect();
    report(
        "checklists of 1,000 businesses, in memory",
        "ms",
        median(ours),
        "walk over the same profiles",
        median(walk),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, file] = args.as_slice() {
        if flag == PARSE_JSON_FLAG {
            parse_json_baseline(Path::new(file));
            return;
        }
    }
    let runs = args.first().and_then(|a| a.parse().ok()).unwrap_or(7usize);
    let sections: Vec<&str> = args
        .iter()
        .filter(|a| a.parse::<usize>().is_err())
        .map(String::as_str)
        .collect();
    let wanted = |section: &str| sections.is_empty() || sections.contains(&section);
    println!("Ventanilla benchmarks: medians of {runs} runs ({EDITS} for edits)\n");
    if wanted("launch") {
        bench_launch(runs);
    }
    if wanted("home") || wanted("edits") {
        let root = bench_home_list(runs);
        if wanted("edits") {
            bench_edits(&root);
        }
        let _ = std::fs::remove_dir_all(root);
    }
    if wanted("attach") {
        bench_attach(runs);
    }
    if wanted("checklists") {
        bench_checklists(runs);
    }
    if wanted("page") {
        bench_checklist_page(runs);
    }
    if wanted("tenders") {
        bench_tenders(runs);
    }
    if wanted("fits") {
        bench_fits(runs);
    }
    if wanted("bid") {
        bench_bid_edit();
    }
    if wanted("server") {
        bench_server(runs);
    }
    if wanted("instances") {
        instances::bench_instances(runs);
    }
    if wanted("sync") {
        bench_sync(runs);
    }
    if wanted("efirma") {
        bench_efirma(runs);
    }
    if wanted("locks") {
        bench_locks(runs);
    }
    // Only when named: it needs `./dev package` first.
    if sections.contains(&"packages") {
        bench_packages();
    }
}

fn megabytes(path: &Path) -> f64 {
    let bytes = std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len();
    bytes as f64 / 1e6
}

/// The installers' sizes against the programs they carry, uncompressed.
fn bench_packages() {
    let version = env!("CARGO_PKG_VERSION");
    let deb = package(&format!("ventanilla_{version}_amd64.deb"));
    let programs: f64 = ["ventanilla-app", "ventanilla", "ventanilla-server"]
        .iter()
        .map(|name| megabytes(&built_binary(name, "release")))
        .sum();
    report(".deb size", "MB", megabytes(&deb), "its programs", programs);
    let setup = package(&format!("Ventanilla_{version}_x64-setup.exe"));
    let windows = target_dir().join("windows/x86_64-pc-windows-gnu/release");
    let programs: f64 = [
        "ventanilla.exe",
        "ventanilla-server.exe",
        "ventanilla-app.exe",
    ]
    .iter()
    .map(|name| windows.join(name))
    .filter(|path| path.is_file())
    .map(|path| megabytes(&path))
    .sum();
    report(
        "Windows installer size",
        "MB",
        megabytes(&setup),
        "its programs",
        programs,
    );
}

const TENDER_RELEASES: usize = 10_000;
/// Items per tender: a typical goods tender's partidas, and about 50 MB in all.
const TENDER_ITEMS: usize = 12;
/// Makes the bench binary, run as a child, the baseline process of the tender import.
const PARSE_JSON_FLAG: &str = "--parse-json";

/// The baseline child: the whole file read and parsed into a JSON tree.
fn parse_json_baseline(file: &Path) {
    let bytes = std::fs::read(file).expect("package file");
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("package JSON");
    black_box(value);
}

/// Runs a process to completion: its wall time in ms and its peak resident memory in
/// MiB (`VmHWM`, a high-water mark, sampled every 2 ms while it runs, so only growth in
/// its last 2 ms could be missed).
fn run_measured(command: &mut Command) -> (f64, f64) {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::null())
        .spawn()
        .expect("start the measured process");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0.0f64;
    loop {
        if let Some(status) = child.try_wait().expect("wait for the measured process") {
            assert!(status.success(), "the measured process failed");
            break;
        }
        let hwm = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<f64>().ok())
            });
        peak_kib = peak_kib.max(hwm.unwrap_or(0.0));
        std::thread::sleep(Duration::from_millis(2));
    }
    (started.elapsed().as_secs_f64() * 1000.0, peak_kib / 1024.0)
}

fn bench_tenders(runs: usize) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let package = scratch.path().join("convocatorias.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&package).expect("package"));
    ventanilla_testkit::fixtures::write_release_package(&mut out, TENDER_RELEASES, TENDER_ITEMS)
        .expect("write the package");
    out.flush().expect("write the package");
    drop(out);
    let megabytes = std::fs::metadata(&package).expect("package").len() as f64 / 1e6;
    let cli = built_binary("ventanilla", "release");
    let myself = std::env::current_exe().expect("the bench binary");
    let (mut import_ms, mut import_mib, mut parse_ms, mut parse_mib) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut data = PathBuf::new();
    for run in 0..runs {
        data = scratch.path().join(format!("data-{run}"));
        let (ms, mib) = run_measured(
            Command::new(&cli)
                .arg("--data-dir")
                .arg(&data)
                .args(["tenders", "import"])
                .arg(&package),
        );
        import_ms.push(ms);
        import_mib.push(mib);
        let (ms, mib) = run_measured(Command::new(&myself).arg(PARSE_JSON_FLAG).arg(&package));
        parse_ms.push(ms);
        parse_mib.push(mib);
    }
    let library = Library::open(&data).expect("the imported catalogue");
    assert_eq!(library.tender_count().expect("count"), TENDER_RELEASES);
    let what = format!("tender import, {TENDER_RELEASES} releases, {megabytes:.0} MB");
    report(
        &what,
        "ms",
        median(import_ms),
        "serde_json Value parse",
        median(parse_ms),
    );
    report(
        "tender import peak memory",
        "MiB",
        median(import_mib),
        "serde_json Value parse",
        median(parse_mib),
    );

    // What a user types, and the Convocatorias page's default list (open, 200 shown).
    let now: chrono::DateTime<chrono::Utc> = "2026-01-01T00:00:00Z".parse().expect("instant");
    let queries = [
        ("lote 4321", None),
        ("luminarias", None),
        ("toner", None),
        ("", Some(StatusFilter::Open)),
    ];
    let conn = Connection::open(data.join("app.db")).expect("app.db");
    let (mut ours, mut scan) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        for (text, status) in queries {
            let query = TenderQuery {
                text: text.into(),
                status,
                limit: Some(200),
                ..TenderQuery::default()
            };
            ours.push(time_ms(|| {
                black_box(library.search_tenders(&query, now).expect("search"));
            }));
            scan.push(time_ms(|| {
                let mut statement = conn
                    .prepare_cached("SELECT ocid, title FROM tender WHERE title LIKE ?1 LIMIT 200")
                    .expect("scan");
                let rows: Vec<(String, String)> = statement
                    .query_map([format!("%{text}%")], |r| Ok((r.get(0)?, r.get(1)?)))
                    .expect("scan")
                    .collect::<Result<_, _>>()
                    .expect("scan");
                black_box(rows);
            }));
        }
    }
    report(
        &format!("tender search, {TENDER_RELEASES} tenders"),
        "ms",
        median(ours),
        "LIKE scan of titles",
        median(scan),
    );
}

/// What the bench's businesses offer: one in five names a good the catalogue's tenders
/// ask for (each of those then fits 2,000 of the 10,000 tenders, far more than a real
/// catalogue would give), the rest things no tender asks for; every third has a SCIAN
/// code as well.
const OFFERS: [(&str, &str); 10] = [
    ("465311", "Papelería, artículos de escritorio y copias"),
    ("", "Tortillas de maíz y de harina"),
    ("238130", "Herrería, puertas y protecciones"),
    ("", "Mantenimiento de jardines y poda"),
    ("722511", "Comida corrida, banquetes y eventos"),
    ("", "Uniformes bordados, playeras y gorras"),
    ("811111", "Reparación de vehículos, afinación y frenos"),
    ("", "Fumigación y control de plagas"),
    ("541211", "Contabilidad, declaraciones y nómina"),
    ("", "Cerrajería y duplicado de llaves"),
];

fn bench_fits(runs: usize) {
    use ventanilla_core::fit::{FitIndex, Interests};
    let scratch = tempfile::tempdir().expect("temp dir");
    // The catalogue generator's deadlines fall in 2026; moved ten years ahead, every
    // tender is open whenever the bench runs.
    let mut package = Vec::new();
    ventanilla_testkit::fixtures::write_release_package(
        &mut package,
        TENDER_RELEASES,
        TENDER_ITEMS,
    )
    .expect("write the package");
    let package = String::from_utf8(package)
        .expect("UTF-8")
        .replace("\"2026-", "\"2036-");
    let root = scratch.path().join("data");
    let library = Library::open(&root).expect("the bench data folder opens");
    library
        .import_tenders(
            package.as_bytes(),
            &ventanilla_store::TenderSource::File("bench".into()),
        )
        .expect("import");
    for i in 0..BUSINESSES {
        let (scian, offer) = OFFERS[i % OFFERS.len()];
        let mut draft = RegistrationDraft::default();
        draft.set(Field::Persona, "moral".into());
        draft.set(Field::Name, format!("Negocio de prueba número {i}"));
        draft.set(Field::Scian, if i % 3 == 0 { scian } else { "" }.into());
        draft.set(Field::Activity, offer.into());
        library.create_business(&draft).expect("a bench business");
    }
    let now = chrono::Utc::now();
    let open: Vec<_> = library
        .open_tenders(now)
        .expect("open tenders")
        .into_iter()
        .map(|(tender, _)| tender)
        .collect();
    assert_eq!(open.len(), TENDER_RELEASES);
    let activities = library.activities().expect("activities");
    assert_eq!(activities.len(), BUSINESSES);

    let (mut ours, mut fold_pass, mut fitting) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        ours.push(time_ms(|| {
            let index = FitIndex::new(&open, now);
            fitting = activities
                .iter()
                .map(|a| index.fits(&Interests::new(&a.scian, &a.offer)).len())
                .sum();
        }));
        fold_pass.push(time_ms(|| {
            let mut bytes = 0;
            for tender in &open {
                bytes += ventanilla_core::text::fold(&tender.title).len()
                    + ventanilla_core::text::fold(&tender.description).len();
                for item in &tender.items {
                    bytes += ventanilla_core::text::fold(&item.description).len();
                }
            }
            black_box(bytes);
        }));
    }
    println!("({fitting} fits in all)");
    report(
        &format!("«Para ti» match, {TENDER_RELEASES} tenders × {BUSINESSES} businesses"),
        "ms",
        median(ours),
        "folding the tenders' text",
        median(fold_pass),
    );

    let conn = Connection::open(root.join("app.db")).expect("app.db");
    let (mut refresh, mut rows) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        refresh.push(time_ms(|| {
            ventanilla_desk::fits::refresh(&library, now).expect("refresh");
        }));
        rows.push(time_ms(|| {
            let mut statement = conn
                .prepare_cached(
                    "SELECT j.json FROM tender t JOIN tender_json j USING (ocid)
                     WHERE t.status = 'active' AND t.deadline > ?1",
                )
                .expect("prepared");
            let mut read = statement
                .query([ventanilla_core::stamp::format(now)])
                .expect("query");
            let mut bytes = 0;
            while let Ok(Some(row)) = read.next() {
                bytes += row
                    .get_ref(0)
                    .map_or(0, |v| v.as_bytes().map_or(0, <[u8]>::len));
            }
            black_box(bytes);
        }));
    }
    report(
        "«Para ti» refresh after a sync (app.db)",
        "ms",
        median(refresh),
        "reading the open tenders",
        median(rows),
    );

    let desk = Desk::open(root.clone());
    let home: Vec<f64> = (0..runs)
        .map(|_| {
            time_ms(|| {
                let list = desk.list("").expect("home list");
                assert_eq!(list.iter().filter(|b| b.fits > 0).count(), BUSINESSES / 5);
            })
        })
        .collect();
    report(
        "home list with «Para ti», 1,000 businesses",
        "ms",
        median(home),
        "SELECT * of the index",
        rusqlite_scan_baseline(&root.join("app.db"), runs),
    );
}

/// Registrations drained in the sync section, and the size of each document.
const SYNC_REGISTRATIONS: usize = 200;
const SYNC_DOCUMENT_BYTES: usize = 1_000_000;

/// A loopback TCP proxy to `upstream` that counts the bytes its clients send.
async fn counting_proxy(upstream: String) -> (String, Arc<std::sync::atomic::AtomicU64>) {
    use std::sync::atomic::{AtomicU64, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let counted = Arc::new(AtomicU64::new(0));
    let total = counted.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let (upstream, total) = (upstream.clone(), total.clone());
            tokio::spawn(async move {
                let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await else {
                    return;
                };
                // Counted when the connection ends: a drain ends with its connections.
                if let Ok((sent, _)) = tokio::io::copy_bidirectional(&mut client, &mut server).await
                {
                    total.fetch_add(sent, Ordering::SeqCst);
                }
            });
        }
    });
    (format!("http://{address}"), counted)
}

/// A temporary folder in memory where there is one: both sides read their files from
/// the same place, so the disk measured is the server's.
fn memory_tempdir() -> tempfile::TempDir {
    tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .expect("temp dir")
}

fn bench_sync(runs: usize) {
    use std::sync::atomic::Ordering;
    use ventanilla_sync::{sign_up, sync_now, ClientOptions, DrainOptions, NewAccount};
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let (mut ours, mut theirs, mut wire, mut second) = (vec![], vec![], vec![], vec![]);
    let mut documents = 0;
    for run in 0..runs {
        let server = ServerProcess::start();
        let data = memory_tempdir();
        let files = memory_tempdir();
        let library = Library::open(data.path()).expect("a library");
        let today = ventanilla_core::checklist::mexico_city_today(chrono::Utc::now());
        for n in 0..SYNC_REGISTRATIONS {
            let id = ventanilla_testkit::complete_business(
                &library,
                files.path(),
                n,
                SYNC_DOCUMENT_BYTES,
            );
            ventanilla_sync::queue_registration(&library, &id, today, None).expect("complete");
        }
        let upstream = server.base.trim_start_matches("http://").to_owned();
        let (proxy, counted) = runtime.block_on(counting_proxy(upstream));
        let account = NewAccount {
            role: ventanilla_api::auth::Role::Operator,
            email: format!("sync{run}@example.com"),
            password: "una contraseña larga".into(),
            rfc: None,
            handover: None,
        };
        runtime
            .block_on(sign_up(
                &library,
                &server.base,
                &account,
                ClientOptions::default(),
            ))
            .expect("signed up");
        // Signed in directly; the drain alone goes through the proxy.
        let token = library.token().expect("token").expect("a token");
        let key = library.pinned_key().expect("key").expect("a key");
        library.set_server_url(&proxy).expect("proxy address");
        library
            .save_session(&account.email, &token)
            .expect("session");
        library.pin_key(&key).expect("pinned");

        // What the server lacks: every distinct file, and each submission's body.
        let mut lacked = 0u64;
        let mut files_sent = Vec::new();
        for entry in library.list_businesses("").expect("businesses") {
            let business = library.open_business(&entry.id).expect("a business");
            for item in business.outbox().expect("outbox") {
                lacked += item.submission.body.len() as u64;
                for document in &item.submission.documents {
                    // A business without a lock keeps each file as attached, by its hash.
                    let path = library
                        .root()
                        .join("businesses")
                        .join(&entry.id)
                        .join("vault")
                        .join(&document.sha256);
                    if !files_sent.iter().any(|(sha, _)| sha == &document.sha256) {
                        lacked += std::fs::metadata(&path).expect("a file").len();
                        files_sent.push((document.sha256.clone(), path));
                    }
                }
            }
        }
        documents = files_sent.len();
        let document_bytes: u64 = files_sent
            .iter()
            .map(|(_, p)| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
            .sum();

        let started = Instant::now();
        let summary = runtime.block_on(sync_now(&library, DrainOptions::default(), &|_| {}));
        let drain_seconds = started.elapsed().as_secs_f64();
        assert_eq!(summary.sent.len(), SYNC_REGISTRATIONS, "{summary:?}");
        // The proxy counts a connection when it closes: the client's pool closes with
        // the drain, so wait for the last count to land.
        std::thread::sleep(Duration::from_millis(500));
        wire.push(counted.swap(0, Ordering::SeqCst) as f64 / lacked as f64);
        let again = runtime.block_on(sync_now(&library, DrainOptions::default(), &|_| {}));
        second.push(again.document_bytes_sent as f64);
        ours.push(document_bytes as f64 / 1e6 / drain_seconds);

        // curl: the same bytes, to uploads of another account on the same server.
        let curl_seconds = runtime.block_on(curl_upload(&server.base, run, &files_sent));
        theirs.push(document_bytes as f64 / 1e6 / curl_seconds);
    }
    println!(
        "sync: {SYNC_REGISTRATIONS} registrations, {documents} documents of {} MB",
        SYNC_DOCUMENT_BYTES / 1_000_000
    );
    report(
        "drain throughput",
        "MB/s",
        median(ours.clone()),
        "curl upload, same bytes",
        median(theirs.clone()),
    );
    println!(
        "{:<44} {:>10.3}     (target <= 1.05)",
        "client bytes on the wire / bytes lacked",
        median(wire)
    );
    println!(
        "{:<44} {:>10.0} B   (target 0)",
        "second drain: document bytes sent",
        median(second)
    );
}

/// Seconds one `curl` process takes to PATCH every file into a fresh upload of a new
/// account (uploads created beforehand, untimed).
async fn curl_upload(base: &str, run: usize, files: &[(String, PathBuf)]) -> f64 {
    let http = reqwest::Client::new();
    let token = operator_token(&http, base, &format!("curl{run}@example.com")).await;
    let mut args: Vec<String> = Vec::new();
    // The server keeps 20 unfinished uploads per account: curl goes in batches.
    let mut seconds = 0.0;
    for batch in files.chunks(20) {
        args.clear();
        for (sha256, path) in batch {
            let size = std::fs::metadata(path).expect("a file").len();
            let upload = expect(
                http.post(format!("{base}/v1/uploads"))
                    .bearer_auth(&token)
                    .json(&json!({"size": size, "sha256": sha256})),
                201,
            )
            .await;
            if !args.is_empty() {
                args.push("--next".into());
            }
            args.extend([
                "-sS".into(),
                "-o".into(),
                "/dev/null".into(),
                "-X".into(),
                "PATCH".into(),
                "-H".into(),
                format!("Authorization: Bearer {token}"),
                "-H".into(),
                "Content-Type: application/offset+octet-stream".into(),
                "-H".into(),
                "Upload-Offset: 0".into(),
                "--data-binary".into(),
                format!("@{}", path.display()),
                format!(
                    "{base}/v1/uploads/{}",
                    upload["id"].as_str().expect("an id")
                ),
            ]);
        }
        let started = Instant::now();
        let status = Command::new("curl")
            .args(&args)
            .status()
            .expect("curl runs");
        seconds += started.elapsed().as_secs_f64();
        assert!(status.success());
    }
    seconds
}

/// Items in the tender of the bid benchmark.
const BID_ITEMS: usize = 500;

/// A business with a bid on a 500-item tender, every item filled in; then one unit
/// price edited after another, each answered with its line and the totals.
fn bench_bid_edit() {
    let root = tempfile::tempdir().expect("temp dir");
    let library = Library::open(root.path()).expect("library");
    let id = library
        .create_business(&ventanilla_testkit::fixtures::business())
        .expect("business");
    let business = library.open_business(&id).expect("opens");
    let tender = ventanilla_testkit::fixtures::tender(BID_ITEMS);
    let bid = business.create_bid(&tender).expect("bid");
    for item in &tender.items {
        for (field, value) in [
            (ItemField::Offered, "Cuaderno profesional"),
            (ItemField::Delivery, "10 días hábiles"),
            (ItemField::UnitPrice, "1,234.50"),
            (ItemField::Quantity, "3"),
        ] {
            business
                .set_bid_item_field(&bid.id, &item.id, field, value)
                .expect("field");
        }
    }
    drop(business);
    drop(library);
    let mut desk = Desk::open(root.path().to_path_buf());
    let ours: Vec<f64> = (0..EDITS)
        .map(|i| {
            let item = format!("{}", i % BID_ITEMS + 1);
            let price = format!("{}.{:02}", 1000 + i, i % 100);
            time_ms(|| {
                let saved = desk
                    .set_bid_item_field(&id, &bid.id, &item, ItemField::UnitPrice, &price)
                    .expect("edit saved");
                black_box(saved.totals);
            })
        })
        .collect();
    let baseline = upsert_baseline(&root.path().join("plain.db"), EDITS);
    report(
        "bid price edit → totals, 500 items (median)",
        "ms",
        median(ours),
        "plain one-row upsert",
        median(baseline),
    );
}

/// A persona moral with 190 legal representatives (one ID each) and every other
/// document attached: 200 current documents.
fn bench_checklist_page(runs: usize) {
    let root = tempfile::tempdir().expect("temp dir");
    let files = tempfile::tempdir().expect("temp dir");
    let library = Library::open(root.path()).expect("bench library");
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Persona, "moral".into());
    draft.set(Field::Name, "Comercializadora de prueba".into());
    draft.set(Field::Employer, "yes".into());
    let id = library.create_business(&draft).expect("bench business");
    let store = library.open_business(&id).expect("bench business opens");
    let representatives: Vec<String> = (0..190)
        .map(|_| store.add_representative().expect("representative").id)
        .collect();
    let catalogue = Catalogue::default_catalogue();
    let today = ventanilla_desk::documents::today();
    let mut attached = 0;
    for requirement in &catalogue.requirements {
        let owners: Vec<Option<&str>> = if requirement.per_representative {
            representatives.iter().map(|r| Some(r.as_str())).collect()
        } else {
            vec![None]
        };
        for owner in owners {
            if attached == 200 {
                break;
            }
            let file = files.path().join(format!("doc-{attached}.pdf"));
            std::fs::write(&file, one_page_pdf(attached as u64, 2_000)).expect("bench file");
            let expires = today.checked_add_days(chrono::Days::new(365));
            let issued = Some(today);
            store
                .attach(&file, requirement, owner, issued, expires, &mut |_, _| true)
                .expect("bench document attached");
            attached += 1;
        }
    }
    drop(store);
    drop(library);
    let mut desk = Desk::open(root.path().to_path_buf());
    let ours: Vec<f64> = (0..runs)
        .map(|_| time_ms(|| drop(black_box(desk.checklist(&id, None).expect("checklist")))))
        .collect();
    let library = Library::open(root.path()).expect("bench library");
    let store = library.open_business(&id).expect("bench business opens");
    let rows: Vec<f64> = (0..runs)
        .map(|_| time_ms(|| drop(black_box(store.documents().expect("documents")))))
        .collect();
    report(
        &format!("checklist page, {attached} documents (command → data)"),
        "ms",
        median(ours),
        "reading the document rows",
        median(rows),
    );
}

/// Concurrent clients of the load benchmark, each on its own keep-alive connection.
const CLIENTS: usize = 64;
/// How long each measured round lasts.
const ROUND: Duration = Duration::from_secs(2);
/// The most bids per second the flat-out rounds are prepared for: the server takes one
/// bid per bidder and tender, so each round needs fresh businesses.
const MAX_BIDS_PER_SECOND: usize = 4_000;
/// The rate the paced rounds offer: the issue's figure.
const TARGET_PER_SECOND: usize = 1_000;

/// Businesses that send signed bids in the server section, each with its own FIEL.
const SIGNED_BIDDERS: usize = 2_048;

/// A sandbox `ventanilla-server` started as a process on a free loopback port, killed
/// when dropped. It accepts unsigned submissions too (`--allow-unsigned`), so that the
/// unsigned figures stay comparable with earlier runs, and verifies every signature
/// sent against its test CA.
struct ServerProcess {
    child: Child,
    base: String,
    data: tempfile::TempDir,
}

impl ServerProcess {
    fn start() -> ServerProcess {
        ServerProcess::start_in(tempfile::tempdir().expect("temp dir"), &[])
    }

    /// One on the data folder `data`, with `args` added.
    fn start_in(data: tempfile::TempDir, args: &[&str]) -> ServerProcess {
        let mut child = Command::new(built_binary("ventanilla-server", "release"))
            .args(["--sandbox", "--allow-unsigned", "--listen", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(data.path())
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .expect("ventanilla-server starts");
        let stderr = child.stderr.take().map(BufReader::new);
        let base = stderr
            .and_then(|lines| {
                lines
                    .lines()
                    .map_while(Result::ok)
                    .find_map(|l| l.split_once("listening on ").map(|(_, url)| url.to_owned()))
            })
            .expect("ventanilla-server names its address");
        ServerProcess { child, base, data }
    }

    /// The sandbox's test CA, which the server trusts.
    fn authority(&self) -> ventanilla_testkit::efirma::TestCa {
        let dir = ventanilla_server::efirma::sandbox::authority_dir(self.data.path());
        ventanilla_testkit::efirma::TestCa::kept_in(&dir)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A valid persona moral RFC for each number below 28 × 26³ (three letters, then the
/// day of the month of its date).
fn bench_rfc(n: usize) -> String {
    let letter = |k: usize| char::from(b'A' + (n / 26_usize.pow(k as u32) % 26) as u8);
    let day = 1 + n / 26_usize.pow(3);
    let base = format!("{}{}{}0102{day:02}A1", letter(2), letter(1), letter(0));
    let digit = ventanilla_core::rfc::check_digit(&base).expect("a check digit");
    format!("{base}{digit}")
}

/// Sends `request`, panicking unless it answers `status`, and reads its JSON.
async fn expect(request: reqwest::RequestBuilder, status: u16) -> serde_json::Value {
    let response = request.send().await.expect("the server answers");
    let got = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap_or_default()
}

/// The token of a new sandbox operator account `email`.
async fn operator_token(http: &reqwest::Client, base: &str, email: &str) -> String {
    let password = "una contraseña larga";
    let account = json!({"role": "operator", "email": email, "password": password});
    expect(http.post(format!("{base}/v1/accounts")).json(&account), 201).await;
    let sign_in = json!({"email": email, "password": password});
    let session = expect(http.post(format!("{base}/v1/session")).json(&sign_in), 201).await;
    session["token"].as_str().expect("a token").to_owned()
}

/// A sandbox operator (chamber staff) that has registered `rfcs`, with its token.
async fn operator_with(http: &reqwest::Client, base: &str, n: usize, rfcs: &[String]) -> String {
    let token = operator_token(http, base, &format!("operador{n}@example.com")).await;
    let moral = Profile {
        persona: Persona::Moral,
        employer: false,
        representatives: Vec::new(),
    };
    let mut documents = Vec::new();
    for requirement in Catalogue::default_catalogue().requirements {
        if !(requirement.required && requirement.applies.includes(&moral, None)) {
            continue;
        }
        let bytes = format!("%PDF-1.7 {} {n}", requirement.code).into_bytes();
        let sha256 = ventanilla_api::sha256_hex(&bytes);
        let create = json!({"size": bytes.len(), "sha256": sha256});
        let upload = http.post(format!("{base}/v1/uploads")).bearer_auth(&token);
        let upload = expect(upload.json(&create), 201).await;
        let id = upload["id"].as_str().expect("an upload id");
        let chunk = http
            .patch(format!("{base}/v1/uploads/{id}"))
            .bearer_auth(&token)
            .header("content-type", "application/offset+octet-stream")
            .header("upload-offset", 0)
            .body(bytes);
        expect(chunk, 200).await;
        documents.push(json!({"requirement": requirement.code, "sha256": sha256}));
    }
    for rfc in rfcs {
        let id = uuid::Uuid::now_v7();
        let body = json!({
            "submission_id": id, "rfc": rfc, "employer": false, "documents": documents,
            "snapshot": format!("{{\"razon_social\":\"Comercializadora {rfc}\"}}"),
        });
        let put = http
            .put(format!("{base}/v1/suppliers/{rfc}/registration"))
            .bearer_auth(&token)
            .header("idempotency-key", id.to_string());
        expect(put.json(&body), 201).await;
    }
    token
}

/// What one round of load gave: answers per second of the expected status, every
/// request's latency in milliseconds, and the CPU seconds the servers and this process
/// (the load generator) spent.
struct Load {
    per_second: f64,
    latencies: Vec<f64>,
    server_cpu: f64,
    client_cpu: f64,
}

/// The CPU time (user and system) process `pid` has used, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // utime and stime are the 12th and 13th fields after the command name's ')'.
    let ticks: f64 = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|t| t.parse::<f64>().ok())
                .sum()
        })
        .unwrap_or_default();
    // The kernel counts in USER_HZ ticks, 100 per second on Linux.
    ticks / 100.0
}

/// How the clients of a round send.
#[derive(Clone, Copy)]
enum Pace {
    /// Each sends its next request as soon as the last is answered.
    FlatOut,
    /// Together they offer this many requests per second, each client on its own
    /// schedule; a request's latency counts from when it was due, so a slow answer
    /// that delays the next request is not hidden (no coordinated omission).
    Offered(f64),
}

/// Runs one client per request list for `ROUND`, each sending its requests one after
/// another on its own keep-alive connection, at `pace`, until the round ends or its
/// list does; counts the answers with status `ok`. The requests are built beforehand,
/// so that the load generator does as little as it can while measured.
async fn load(
    http: &reqwest::Client,
    servers: &[u32],
    clients: Vec<std::vec::IntoIter<Prepared>>,
    ok: u16,
    pace: Pace,
) -> Load {
    let servers_cpu = || servers.iter().map(|&pid| cpu_seconds(pid)).sum::<f64>();
    let (server_cpu, client_cpu) = (servers_cpu(), cpu_seconds(std::process::id()));
    let count = clients.len() as f64;
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(n, requests)| {
            let http = http.clone();
            // When each request of this client is due, if paced: staggered starts.
            let due = move |k: usize| match pace {
                Pace::FlatOut => None,
                Pace::Offered(rate) => {
                    let interval = count / rate;
                    Some(
                        started + Duration::from_secs_f64(interval * (k as f64 + n as f64 / count)),
                    )
                }
            };
            tokio::spawn(async move {
                let (mut accepted, mut latencies) = (0_usize, Vec::new());
                for (k, prepared) in requests.enumerate() {
                    if started.elapsed() >= ROUND {
                        break;
                    }
                    let due = due(k);
                    if let Some(due) = due {
                        if due - started >= ROUND {
                            break;
                        }
                        tokio::time::sleep_until(due.into()).await;
                    }
                    let request = prepared.request(&http, &prepared.url);
                    let sent = due.unwrap_or_else(Instant::now);
                    let response = request.send().await.expect("the server answers");
                    let status = response.status().as_u16();
                    let _ = response.bytes().await;
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    accepted += usize::from(status == ok);
                }
                (accepted, latencies)
            })
        })
        .collect();
    let (mut accepted, mut latencies) = (0, Vec::new());
    for task in tasks {
        let (n, l) = task.await.expect("a client finished");
        accepted += n;
        latencies.extend(l);
    }
    Load {
        per_second: accepted as f64 / started.elapsed().as_secs_f64(),
        latencies,
        server_cpu: servers_cpu() - server_cpu,
        client_cpu: cpu_seconds(std::process::id()) - client_cpu,
    }
}

/// A request built before the round that sends it.
struct Prepared {
    method: reqwest::Method,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
}

impl Prepared {
    /// A bid on `ocid` at `base`, sent by `token` under the idempotency key `id`.
    fn bid(
        base: &str,
        ocid: &str,
        token: &str,
        id: uuid::Uuid,
        body: &serde_json::Value,
    ) -> Prepared {
        Prepared {
            method: reqwest::Method::POST,
            url: format!("{base}/v1/tenders/{ocid}/bids"),
            headers: vec![
                ("authorization", format!("Bearer {token}")),
                ("idempotency-key", id.to_string()),
            ],
            body: Some(body.to_string()),
        }
    }

    /// The request, sent to `url` (its own, or another instance's).
    fn request(&self, http: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
        let mut request = http.request(self.method.clone(), url);
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        if let Some(body) = &self.body {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        request
    }
}

/// Rounds summed up: the median rate, p50 and p99 over every request, and the server's
/// and the load generator's CPU seconds per 1,000 requests.
fn summary(rounds: &[Load]) -> (f64, f64, f64, f64, f64) {
    let rate = median(rounds.iter().map(|l| l.per_second).collect());
    let all: Vec<f64> = rounds.iter().flat_map(|l| l.latencies.clone()).collect();
    let requests = all.len() as f64 / 1000.0;
    let server_cpu: f64 = rounds.iter().map(|l| l.server_cpu).sum();
    let client_cpu: f64 = rounds.iter().map(|l| l.client_cpu).sum();
    (
        rate,
        percentile(all.clone(), 0.5),
        percentile(all, 0.99),
        server_cpu / requests,
        client_cpu / requests,
    )
}

fn percentile(mut samples: Vec<f64>, p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

/// The FIELs of the signed bidders: one certificate each from the sandbox's test CA,
/// all on one RSA key (issuing thousands with a key each would take minutes), and
/// what the server checks them against.
struct Signing {
    authority: ventanilla_efirma::Certificate,
}

impl Signing {
    /// The `signature` field of `snapshot` signed with `issued`, as Ventanilla signs.
    fn sign(&self, issued: &ventanilla_testkit::efirma::Issued, snapshot: &str) -> String {
        let (certificate, key) = (issued.cer_bytes(), issued.key_bytes());
        let credentials = ventanilla_efirma::Credentials {
            certificate: &certificate,
            key: &key,
            password: ventanilla_testkit::efirma::PASSWORD.as_bytes(),
        };
        let p7s = ventanilla_efirma::sign_detached(
            &credentials,
            snapshot.as_bytes(),
            chrono::Utc::now(),
            None,
        )
        .expect("the bench FIEL signs");
        ventanilla_api::signature::encode(&p7s)
    }

    /// The server's check of one bid's e.firma (signature over the snapshot, FIEL
    /// profile, validity, RFC and issuer), in process, against the CMS signature
    /// verified alone.
    async fn report_verification(&self) {
        use ventanilla_testkit::efirma::{Spec, TestCa, CURP_FISICA, RFC_FISICA};
        let ca = TestCa::new();
        let rfc = bench_rfc(0);
        let issued = ca.issue(&Spec {
            unique_identifier: format!("{rfc} / {RFC_FISICA}"),
            serial_number: format!(" / {CURP_FISICA}"),
            ..Spec::moral()
        });
        let snapshot = format!("{{\"propuesta\":\"{rfc}\"}}");
        let signature = self.sign(&issued, &snapshot);
        let p7s = ventanilla_api::signature::decode(&signature).expect("base64");
        let authority =
            ventanilla_efirma::Certificate::from_der(&ca.certificate()).expect("the CA");
        let policy = ventanilla_server::efirma::EfirmaPolicy::trusting(vec![
            self.authority.clone(),
            authority,
        ]);
        let now = chrono::Utc::now();
        let samples = 200;
        let mut full = Vec::with_capacity(samples);
        for _ in 0..samples {
            let started = Instant::now();
            let checked =
                ventanilla_server::efirma::check(&policy, &snapshot, Some(&signature), &rfc, now)
                    .await;
            full.push(started.elapsed().as_secs_f64() * 1000.0);
            assert!(black_box(checked).is_ok(), "the bench bid verifies");
        }
        let alone: Vec<f64> = (0..samples)
            .map(|_| {
                time_ms(|| {
                    black_box(
                        ventanilla_efirma::verify_detached(snapshot.as_bytes(), &p7s)
                            .expect("the bench signature verifies"),
                    );
                })
            })
            .collect();
        report(
            "server e.firma check of one bid (in process)",
            "ms",
            median(full),
            "CMS signature verified alone",
            median(alone),
        );
    }
}

/// [`SIGNED_BIDDERS`] businesses after the first `skip` of [`bench_rfc`], registered by
/// [`CLIENTS`] operators, each with its FIEL: per operator its token and its
/// businesses' (RFC, FIEL).
async fn signed_bidders(
    server: &ServerProcess,
    http: &reqwest::Client,
    base: &str,
    skip: usize,
) -> (
    Vec<(String, Vec<(String, ventanilla_testkit::efirma::Issued)>)>,
    Signing,
) {
    use ventanilla_testkit::efirma::{Spec, CURP_FISICA, RFC_FISICA};
    let started = Instant::now();
    let ca = server.authority();
    let company = |rfc: &str| Spec {
        unique_identifier: format!("{rfc} / {RFC_FISICA}"),
        serial_number: format!(" / {CURP_FISICA}"),
        ..Spec::moral()
    };
    let rfcs: Vec<String> = (skip..skip + SIGNED_BIDDERS).map(bench_rfc).collect();
    let first = ca.issue(&company(&rfcs[0]));
    let mut clients = Vec::new();
    for (n, share) in rfcs.chunks(SIGNED_BIDDERS.div_ceil(CLIENTS)).enumerate() {
        let token = operator_with(http, base, CLIENTS + n, share).await;
        let fiels = share
            .iter()
            .map(|rfc| (rfc.clone(), ca.issue_with_key_of(&company(rfc), &first)))
            .collect();
        clients.push((token, fiels));
    }
    println!(
        "(registered {SIGNED_BIDDERS} signing businesses and issued their FIELs in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let authority = ventanilla_efirma::Certificate::from_der(&ca.certificate()).expect("the CA");
    (clients, Signing { authority })
}

/// The sandbox tenders open for at least five more minutes.
async fn open_tenders(http: &reqwest::Client, base: &str) -> Vec<String> {
    let tenders = expect(http.get(format!("{base}/v1/tenders")), 200).await;
    let now = chrono::Utc::now();
    tenders["releases"]
        .as_array()
        .expect("releases")
        .iter()
        .filter(|r| {
            r["tender"]["tenderPeriod"]["endDate"]
                .as_str()
                .and_then(|d| d.parse::<chrono::DateTime<chrono::Utc>>().ok())
                .is_some_and(|end| end > now + chrono::Duration::minutes(5))
        })
        .map(|r| r["ocid"].as_str().expect("an ocid").to_owned())
        .collect()
}

/// `bidders` businesses registered at `base` by [`CLIENTS`] operators at once: per
/// operator, its token and its businesses' RFCs.
async fn register_bidders(
    http: &reqwest::Client,
    base: &str,
    bidders: usize,
) -> Vec<(String, Vec<String>)> {
    let started = Instant::now();
    let rfcs: Vec<String> = (0..bidders).map(bench_rfc).collect();
    let shares = rfcs
        .chunks(bidders.div_ceil(CLIENTS))
        .map(<[String]>::to_vec);
    let operators = shares.enumerate().map(|(n, rfcs)| {
        let (http, base) = (http.clone(), base.to_owned());
        tokio::spawn(async move { (operator_with(&http, &base, n, &rfcs).await, rfcs) })
    });
    let mut clients = Vec::new();
    for operator in operators.collect::<Vec<_>>() {
        clients.push(operator.await.expect("an operator is prepared"));
    }
    println!(
        "(registered {bidders} businesses at {base} through {CLIENTS} operators in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    clients
}

/// Each client's bids, in turn as each of its businesses on each open tender, sent to
/// `bases[n % bases.len()]` for client n; a round takes the next bids of each
/// ([`next_of`]), so that no bid is sent twice.
fn bid_lists(
    clients: &[(String, Vec<String>)],
    open: &[String],
    bases: &[String],
) -> Vec<std::vec::IntoIter<Prepared>> {
    clients
        .iter()
        .enumerate()
        .map(|(n, (token, rfcs))| {
            let base = &bases[n % bases.len()];
            let bids: Vec<Prepared> = rfcs
                .iter()
                .flat_map(|rfc| open.iter().map(move |ocid| (ocid, rfc)))
                .map(|(ocid, rfc)| {
                    let id = uuid::Uuid::now_v7();
                    let body = json!({
                        "submission_id": id, "tenderer_rfc": rfc,
                        "value": {"amount": "845000.50", "currency": "MXN"},
                        "snapshot": format!("{{\"propuesta\":\"{rfc}\"}}"),
                    });
                    Prepared::bid(base, ocid, token, id, &body)
                })
                .collect();
            bids.into_iter()
        })
        .collect()
}

/// The next `per_client` requests of each client's list.
fn next_of(
    lists: &mut [std::vec::IntoIter<Prepared>],
    per_client: usize,
) -> Vec<std::vec::IntoIter<Prepared>> {
    lists
        .iter_mut()
        .map(|list| {
            list.by_ref()
                .take(per_client)
                .collect::<Vec<_>>()
                .into_iter()
        })
        .collect()
}

fn bench_server(runs: usize) {
    let server = ServerProcess::start();
    let server_pid = server.child.id();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let base = server.base.clone();
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(CLIENTS)
            .build()
            .expect("an HTTP client");
        expect(http.get(format!("{base}/v1/health")), 200).await;
        let open = open_tenders(&http, &base).await;
        // Enough businesses for every round at the most bids per second prepared for.
        let per_client = |rate: usize| (rate * ROUND.as_secs() as usize).div_ceil(CLIENTS) + 1;
        let (flat_out, paced) = (
            per_client(MAX_BIDS_PER_SECOND),
            per_client(TARGET_PER_SECOND),
        );
        let bidders = (runs * CLIENTS * (flat_out + paced)).div_ceil(open.len());
        let clients = register_bidders(&http, &base, bidders).await;
        let mut bid_lists = bid_lists(&clients, &open, std::slice::from_ref(&base));
        let (signed_clients, signing) = signed_bidders(&server, &http, &base, bidders).await;
        let signed_per_client = (SIGNED_BIDDERS / CLIENTS * open.len()).div_ceil(runs);
        let mut signed_lists: Vec<_> = signed_clients
            .iter()
            .map(|(token, fiels)| {
                let bids: Vec<Prepared> = fiels
                    .iter()
                    .flat_map(|fiel| open.iter().map(move |ocid| (ocid, fiel)))
                    .map(|(ocid, (rfc, issued))| {
                        let id = uuid::Uuid::now_v7();
                        let snapshot = format!("{{\"propuesta\":\"{rfc}\",\"ocid\":\"{ocid}\"}}");
                        let body = json!({
                            "submission_id": id, "tenderer_rfc": rfc,
                            "value": {"amount": "845000.50", "currency": "MXN"},
                            "signature": signing.sign(issued, &snapshot),
                            "snapshot": snapshot,
                        });
                        Prepared::bid(&base, ocid, token, id, &body)
                    })
                    .collect();
                bids.into_iter()
            })
            .collect();
        let mut next_signed = |per_client: usize| next_of(&mut signed_lists, per_client);
        let health_lists = |per_client: usize| {
            (0..CLIENTS)
                .map(|_| {
                    let requests: Vec<Prepared> = (0..per_client)
                        .map(|_| Prepared {
                            method: reqwest::Method::GET,
                            url: format!("{base}/v1/health"),
                            headers: Vec::new(),
                            body: None,
                        })
                        .collect();
                    requests.into_iter()
                })
                .collect::<Vec<_>>()
        };
        let mut next_bids = |per_client: usize| next_of(&mut bid_lists, per_client);
        let target = Pace::Offered(TARGET_PER_SECOND as f64);
        let [mut bids, mut health, mut paced_bids, mut paced_health, mut signed] =
            [(); 5].map(|()| Vec::new());
        // Alternate so that any drift in the machine's load hits both alike.
        for _ in 0..runs {
            // Health answers about ten times faster than the bids are prepared for.
            let lists = health_lists(flat_out * 10);
            health.push(load(&http, &[server_pid], lists, 200, Pace::FlatOut).await);
            let lists = next_bids(flat_out);
            bids.push(load(&http, &[server_pid], lists, 201, Pace::FlatOut).await);
            let lists = next_signed(signed_per_client);
            signed.push(load(&http, &[server_pid], lists, 201, Pace::FlatOut).await);
            let lists = health_lists(paced);
            paced_health.push(load(&http, &[server_pid], lists, 200, target).await);
            let lists = next_bids(paced);
            paced_bids.push(load(&http, &[server_pid], lists, 201, target).await);
        }
        let (rate, p50, p99, server, client) = summary(&bids);
        let (h_rate, h_p50, h_p99, h_server, h_client) = summary(&health);
        let what = format!("bids accepted, {CLIENTS} clients flat out (durable)");
        report(&what, "/s", rate, "GET /v1/health", h_rate);
        report("  bid latency p50", "ms", p50, "GET /v1/health p50", h_p50);
        report("  bid latency p99", "ms", p99, "GET /v1/health p99", h_p99);
        let cpu = "CPU s per 1,000 requests";
        report(
            &format!("  server {cpu}"),
            "s",
            server,
            "health, server",
            h_server,
        );
        report(
            &format!("  load generator {cpu}"),
            "s",
            client,
            "health, load gen.",
            h_client,
        );
        let (s_rate, s_p50, s_p99, s_server, _) = summary(&signed);
        let what = format!("bids with e.firma verified, {CLIENTS} clients flat out (durable)");
        report(&what, "/s", s_rate, "unsigned bids, same run", rate);
        report(
            "  signed bid latency p50",
            "ms",
            s_p50,
            "unsigned bid p50",
            p50,
        );
        report(
            "  signed bid latency p99",
            "ms",
            s_p99,
            "unsigned bid p99",
            p99,
        );
        report(
            &format!("  server {cpu}"),
            "s",
            s_server,
            "unsigned bids, server",
            server,
        );
        signing.report_verification().await;
        let (rate, p50, p99, _, _) = summary(&paced_bids);
        let (h_rate, h_p50, h_p99, _, _) = summary(&paced_health);
        let what = format!("bids accepted, {TARGET_PER_SECOND}/s offered by {CLIENTS} clients");
        report(&what, "/s", rate, "GET /v1/health, same pace", h_rate);
        report("  bid latency p50", "ms", p50, "GET /v1/health p50", h_p50);
        report("  bid latency p99", "ms", p99, "GET /v1/health p99", h_p99);
        bench_abuse(&base, server_pid).await;
    });
}

/// The size of the file signed: a proposal PDF with its annexes.
const SIGNED_BYTES: usize = 1_000_000;

/// An e.firma's key decrypted and a 1 MB file signed (a detached `.p7s`), and that
/// signature verified, in process, against `openssl cms` doing the same as a process;
/// the FIEL comes from the test CA, shaped like SAT's (3DES PKCS#8 key, RSA 2048).
fn bench_efirma(runs: usize) {
    use ventanilla_efirma::{sign_detached, verify_detached, Credentials};
    use ventanilla_testkit::efirma::{openssl_verify, Spec, TestCa, PASSWORD};

    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::fisica());
    let (cer, key) = (fiel.cer_bytes(), fiel.key_bytes());
    let credentials = Credentials {
        certificate: &cer,
        key: &key,
        password: PASSWORD.as_bytes(),
    };
    let dir = tempfile::tempdir().expect("bench folder");
    let content_path = dir.path().join("propuesta.pdf");
    let content = one_page_pdf(7, SIGNED_BYTES);
    std::fs::write(&content_path, &content).expect("bench file written");
    let p7s_path = dir.path().join("propuesta.pdf.p7s");
    let samples = runs.max(20);
    let mut p7s = Vec::new();
    let sign: Vec<f64> = (0..samples)
        .map(|_| {
            time_ms(|| {
                p7s = sign_detached(&credentials, &content, chrono::Utc::now(), None)
                    .expect("the bench FIEL signs");
            })
        })
        .collect();
    std::fs::write(&p7s_path, &p7s).expect("bench signature written");
    let openssl_p7s = dir.path().join("openssl.p7s");
    let openssl_sign: Vec<f64> = (0..samples)
        .map(|_| time_ms(|| fiel.openssl_sign(&content_path, &openssl_p7s)))
        .collect();
    report(
        "e.firma key decrypted + 1 MB signed",
        "ms",
        median(sign),
        "openssl cms -sign (process)",
        median(openssl_sign),
    );
    let verify: Vec<f64> = (0..samples)
        .map(|_| {
            time_ms(|| {
                black_box(verify_detached(&content, &p7s).expect("the bench signature verifies"));
            })
        })
        .collect();
    let openssl_verify: Vec<f64> = (0..samples)
        .map(|_| {
            time_ms(|| {
                openssl_verify(&content_path, &p7s_path, None)
                    .expect("openssl verifies the bench signature")
            })
        })
        .collect();
    report(
        "1 MB detached signature verified",
        "ms",
        median(verify),
        "openssl cms -verify (process)",
        median(openssl_verify),
    );
}

/// Slow connections opened at once by the abuse section.
const SLOW_CONNECTIONS: usize = 300;

/// What unauthenticated clients get out of the server: connections trickling a header
/// byte a second (how many it still holds once its 10 s header timeout has passed, and
/// health latency meanwhile), a burst of wrong passwords on one email (how many are
/// let through to the hash), and whether the owner still signs in from another address.
async fn bench_abuse(base: &str, server_pid: u32) {
    use tokio::io::AsyncWriteExt;
    let open_files =
        || std::fs::read_dir(format!("/proc/{server_pid}/fd")).map_or(0, |d| d.count()) as f64;
    // No idle connections kept, so that the server's open files count only the slow.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("an HTTP client");
    let health_ms = || async {
        let started = Instant::now();
        expect(http.get(format!("{base}/v1/health")), 200).await;
        started.elapsed().as_secs_f64() * 1000.0
    };
    let idle_health = health_ms().await;
    // The load rounds' kept-alive connections close once idle past the header timeout.
    tokio::time::sleep(Duration::from_secs(11)).await;
    let baseline = open_files();
    let address = base.trim_start_matches("http://").to_owned();
    let slow: Vec<_> = (0..SLOW_CONNECTIONS)
        .map(|_| {
            let address = address.clone();
            tokio::spawn(async move {
                let Ok(mut socket) = tokio::net::TcpStream::connect(address).await else {
                    return;
                };
                for byte in b"GET /v1/health HTTP/1.1\r\nX-Relleno: "
                    .iter()
                    .cycle()
                    .take(30)
                {
                    if socket.write_all(&[*byte]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let held_early = open_files() - baseline;
    let slow_health = health_ms().await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    let held_late = open_files() - baseline;
    slow.iter().for_each(tokio::task::JoinHandle::abort);
    report(
        "slow clients: connections held after 13 s",
        "",
        held_late,
        "held after 1 s",
        held_early,
    );
    report(
        "  health latency among them",
        "ms",
        slow_health,
        "health latency, idle",
        idle_health,
    );

    let email = "adivinada@example.com";
    let password = "una contraseña larga";
    let account = json!({"role": "operator", "email": email, "password": password});
    expect(http.post(format!("{base}/v1/accounts")).json(&account), 201).await;
    let guesses = (0..100).map(|i| {
        let (http, url) = (http.clone(), format!("{base}/v1/session"));
        tokio::spawn(async move {
            let guess = json!({"email": email, "password": format!("intento {i}")});
            let response = http.post(url).json(&guess).send().await;
            response.map(|r| r.status().as_u16()).unwrap_or_default()
        })
    });
    let mut let_through = 0.0;
    for guess in guesses.collect::<Vec<_>>() {
        if guess.await.unwrap_or_default() == 401 {
            let_through += 1.0;
        }
    }
    report(
        "sign-in guesses let through (burst, 1 email)",
        "",
        let_through,
        "guesses sent",
        100.0,
    );
    let owner = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("an HTTP client");
    let sign_in = json!({"email": email, "password": password});
    let response = owner
        .post(format!("{base}/v1/session"))
        .json(&sign_in)
        .send()
        .await;
    let status = response.map(|r| r.status().as_u16()).unwrap_or_default();
    println!("  the owner, from another address, during the lock: HTTP {status} (201: signed in)");
}

/// Documents of the business whose file is handed over: ten of about this many bytes
/// (50 MB in all; a document may have 5 MiB at most).
const LOCKED_DOCUMENT_BYTES: usize = 5_000_000;

/// Every file under `folder`, copied to `to` (the baseline of a business's file: its
/// bytes moved, not sealed).
fn copy_folder(folder: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("copy folder");
    for entry in std::fs::read_dir(folder).expect("folder").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("file copied");
        }
    }
}

/// A locked business on the chamber's laptop: unlocking (Argon2id and SQLCipher's open)
/// against opening the same business unlocked; an edit persisted locked against the
/// same edit before the lock; its file of 50 MB written and taken in against copying
/// its folder.
fn bench_locks(runs: usize) {
    const PASSPHRASE: &str = "banco de pruebas 2026";
    let scratch = tempfile::tempdir().expect("temp dir");
    let data = scratch.path().join("data");
    let files = scratch.path().join("files");
    std::fs::create_dir_all(&files).expect("files folder");
    let library = Library::open(&data).expect("library");
    let id = ventanilla_testkit::complete_business(&library, &files, 1, LOCKED_DOCUMENT_BYTES);
    // A tenth: a newer CSF, the first kept in its history.
    let newer = files.join("newer-csf.pdf");
    std::fs::write(&newer, one_page_pdf(77, LOCKED_DOCUMENT_BYTES)).expect("bench file");
    let catalogue = Catalogue::default_catalogue();
    library
        .open_business(&id)
        .and_then(|business| {
            business.attach(
                &newer,
                catalogue.requirement("CSF").expect("the CSF"),
                None,
                None,
                None,
                &mut |_, _| true,
            )
        })
        .expect("attached");
    let folder = data.join("businesses").join(&id);

    let edits = |desk: &mut Desk| -> f64 {
        median(
            (0..EDITS)
                .map(|i| {
                    let value = format!("Av. Cuauhtémoc {i}");
                    time_ms(|| {
                        desk.set_field(&id, Field::Street, &value)
                            .expect("edit saved");
                    })
                })
                .collect(),
        )
    };
    let mut desk = Desk::open(data.clone());
    let plain_edit = edits(&mut desk);
    let plain_open: Vec<f64> = (0..runs)
        .map(|_| time_ms(|| drop(library.open_business(&id).expect("opens"))))
        .collect();

    desk.lock_business(
        &id,
        &ventanilla_desk::locks::LockRequest {
            passphrase: PASSPHRASE.into(),
            label: "Banco".into(),
        },
    )
    .expect("locked");
    let locked_edit = edits(&mut desk);
    drop(desk);
    let unlock: Vec<f64> = (0..runs)
        .map(|_| {
            library.lock_again(None);
            time_ms(|| library.unlock_business(&id, PASSPHRASE).expect("unlocks"))
        })
        .collect();
    report(
        "locked business unlocked (median)",
        "ms",
        median(unlock),
        "the same opened unlocked",
        median(plain_open),
    );
    report(
        "edit of a locked business persisted (median)",
        "ms",
        locked_edit,
        "the same edit unlocked",
        plain_edit,
    );

    let (mut export, mut import, mut copy) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let file = scratch.path().join(format!("{run}.ventanilla"));
        export.push(time_ms(|| {
            library
                .export_bundle(&id, &file, PASSPHRASE)
                .expect("exported");
        }));
        let home = Library::open(scratch.path().join(format!("home-{run}"))).expect("library");
        import.push(time_ms(|| {
            home.import_bundle(&file, PASSPHRASE, None)
                .expect("imported");
        }));
        let copied = scratch.path().join(format!("copy-{run}"));
        copy.push(time_ms(|| copy_folder(&folder, &copied)));
        let _ = std::fs::remove_file(&file);
    }
    report(
        "business file of 50 MB written (median)",
        "ms",
        median(export),
        "its folder copied",
        median(copy.clone()),
    );
    report(
        "business file of 50 MB taken in (median)",
        "ms",
        median(import),
        "its folder copied",
        median(copy),
    );
}
