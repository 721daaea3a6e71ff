//! `./dev bench`: Ventanilla's figures, each beside a baseline measured in the same run.
//!
//! - launch to ready (home screen showing data) and idle memory of the app and its
//!   WebKit processes, against a bare Tauri window built with the same profile;
//! - the home list's load with 1,000 businesses on disk, against a plain scan of the
//!   same index table;
//! - one registration edit persisted, against a plain single-row upsert;
//! - a 200 MB file attached to the document vault (copied, hashed and synced in one
//!   pass), against `sha256sum` and `cp` of the same file run as processes;
//! - the document checklists of 1,000 businesses evaluated in memory, against a walk
//!   over the same profiles that evaluates nothing;
//! - the checklist page of one business with 200 documents (command → data), against
//!   reading its 200 document rows alone;
//! - one price edited in a bid on a 500-item tender, stored and answered with the
//!   line, the exact totals and the problem counts (command → data), against a plain
//!   single-row upsert;
//! - bids accepted per second by the sandbox API server (release, as a process) from
//!   64 concurrent clients on loopback, with p50/p99 latency, against the same clients
//!   calling its health endpoint, rounds alternating.
//!
//! Usage: `bench [RUNS] [SECTION...]` (default 7 runs, every section; sections are
//! `launch`, `home`, `edits`, `attach`, `checklists`, `page`, `bid` and `server`). Medians are
//! reported; nothing here asserts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::hint::black_box;
use std::io::Write;

use rusqlite::Connection;
use serde_json::json;
use ventanilla_app::desk::Desk;
use ventanilla_core::bid::ItemField;
use ventanilla_core::checklist::{evaluate, Catalogue, DocumentFact, Profile};
use ventanilla_core::fixtures::one_page_pdf;
use ventanilla_core::{Field, Persona, RegistrationDraft};
use ventanilla_store::Library;
use ventanilla_tests::built_binary;

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
    if wanted("bid") {
        bench_bid_edit();
    }
    if wanted("server") {
        bench_server();
    }
}

/// Items in the tender of the bid benchmark.
const BID_ITEMS: usize = 500;

/// A business with a bid on a 500-item tender, every item filled in; then one unit
/// price edited after another, each answered with its line and the totals.
fn bench_bid_edit() {
    let root = tempfile::tempdir().expect("temp dir");
    let library = Library::open(root.path()).expect("library");
    let id = library
        .create_business(&ventanilla_core::fixtures::business())
        .expect("business");
    let business = library.open_business(&id).expect("opens");
    let tender = ventanilla_core::fixtures::tender(BID_ITEMS);
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
    let today = ventanilla_app::documents::today();
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
const ROUNDS: usize = 3;
/// Businesses registered before the bids: one bid each per open tender, as the server
/// takes one bid per bidder and tender, enough for about 2,500 bids/s over the rounds.
const BIDDERS: usize = 7_500;

/// A sandbox `ventanilla-server` started as a process on a free loopback port, killed
/// when dropped.
struct ServerProcess {
    child: Child,
    base: String,
    _data: tempfile::TempDir,
}

impl ServerProcess {
    fn start() -> ServerProcess {
        let data = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(built_binary("ventanilla-server", "release"))
            .args(["--sandbox", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data.path())
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
        ServerProcess {
            child,
            base,
            _data: data,
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A valid persona moral RFC for each number below 26³.
fn bench_rfc(n: usize) -> String {
    let letter = |k: usize| char::from(b'A' + (n / 26_usize.pow(k as u32) % 26) as u8);
    let base = format!("{}{}{}010203A1", letter(2), letter(1), letter(0));
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

/// A sandbox operator (chamber staff) that has registered `rfcs`, with its token.
async fn operator_with(http: &reqwest::Client, base: &str, n: usize, rfcs: &[String]) -> String {
    let email = format!("operador{n}@example.com");
    let password = "una contraseña larga";
    let account = json!({"role": "operator", "email": email, "password": password});
    expect(http.post(format!("{base}/v1/accounts")).json(&account), 201).await;
    let sign_in = json!({"email": email, "password": password});
    let session = expect(http.post(format!("{base}/v1/session")).json(&sign_in), 201).await;
    let token = session["token"].as_str().expect("a token").to_owned();
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

/// What one round of load gave: answers per second of the expected status, and every
/// request's latency in milliseconds.
struct Load {
    per_second: f64,
    latencies: Vec<f64>,
}

/// Runs `clients` for `ROUND`, each sending the requests its `next` makes until the
/// round ends or it has none left; counts the answers with status `ok`.
async fn load<F>(clients: Vec<F>, ok: u16) -> Load
where
    F: FnMut() -> Option<reqwest::RequestBuilder> + Send + 'static,
{
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|mut next| {
            tokio::spawn(async move {
                let (mut accepted, mut latencies) = (0_usize, Vec::new());
                while started.elapsed() < ROUND {
                    let Some(request) = next() else { break };
                    let sent = Instant::now();
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
    }
}

fn percentile(mut samples: Vec<f64>, p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn bench_server() {
    let server = ServerProcess::start();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let base = server.base.clone();
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(CLIENTS)
            .build()
            .expect("an HTTP client");
        expect(http.get(format!("{base}/v1/health")), 200).await;
        let tenders = expect(http.get(format!("{base}/v1/tenders")), 200).await;
        let now = chrono::Utc::now();
        let open: Vec<String> = tenders["releases"]
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
            .collect();
        let started = Instant::now();
        let rfcs: Vec<String> = (0..BIDDERS).map(bench_rfc).collect();
        let per_client = rfcs.chunks(BIDDERS.div_ceil(CLIENTS)).map(<[String]>::to_vec);
        let operators = per_client.enumerate().map(|(n, rfcs)| {
            let (http, base) = (http.clone(), base.clone());
            tokio::spawn(async move { (operator_with(&http, &base, n, &rfcs).await, rfcs) })
        });
        let mut bidders = Vec::new();
        for operator in operators.collect::<Vec<_>>() {
            bidders.push(operator.await.expect("an operator is prepared"));
        }
        println!(
            "(registered {BIDDERS} businesses through {CLIENTS} operators in {:.1} s; {} open tenders)",
            started.elapsed().as_secs_f64(),
            open.len()
        );
        // Each client bids, in turn, as each of its businesses on each open tender.
        // Shared with each round's closure, so that no bid is sent twice.
        let queues: Vec<_> = bidders
            .into_iter()
            .map(|(token, rfcs)| {
                let bids: Vec<(String, String)> = rfcs
                    .iter()
                    .flat_map(|rfc| open.iter().map(move |ocid| (ocid.clone(), rfc.clone())))
                    .collect();
                (token, Arc::new(Mutex::new(bids.into_iter())))
            })
            .collect();
        let (mut bids, mut health) = (Vec::new(), Vec::new());
        // Alternate so that any drift in the machine's load hits both alike.
        for _ in 0..ROUNDS {
            let health_clients = (0..CLIENTS).map(|_| {
                let (http, url) = (http.clone(), format!("{base}/v1/health"));
                move || Some(http.get(&url))
            });
            health.push(load(health_clients.collect(), 200).await);
            let bid_clients = queues.iter().map(|(token, queue)| {
                let (http, base, token) = (http.clone(), base.clone(), token.clone());
                let queue = Arc::clone(queue);
                move || {
                    let (ocid, rfc) = queue.lock().ok()?.next()?;
                    let id = uuid::Uuid::now_v7();
                    let body = json!({
                        "submission_id": id, "tenderer_rfc": rfc,
                        "value": {"amount": "845000.50", "currency": "MXN"},
                        "snapshot": format!("{{\"propuesta\":\"{rfc}\"}}"),
                    });
                    Some(
                        http.post(format!("{base}/v1/tenders/{ocid}/bids"))
                            .bearer_auth(&token)
                            .header("idempotency-key", id.to_string())
                            .json(&body),
                    )
                }
            });
            bids.push(load(bid_clients.collect(), 201).await);
        }
        let summary = |rounds: Vec<Load>| {
            let rate = median(rounds.iter().map(|l| l.per_second).collect());
            let all: Vec<f64> = rounds.into_iter().flat_map(|l| l.latencies).collect();
            (rate, percentile(all.clone(), 0.5), percentile(all, 0.99))
        };
        let (bid_rate, bid_p50, bid_p99) = summary(bids);
        let (health_rate, health_p50, health_p99) = summary(health);
        let what = format!("bids accepted, {CLIENTS} clients (durable)");
        report(&what, "/s", bid_rate, "GET /v1/health", health_rate);
        report("  bid latency p50", "ms", bid_p50, "GET /v1/health p50", health_p50);
        report("  bid latency p99", "ms", bid_p99, "GET /v1/health p99", health_p99);
    });
}
