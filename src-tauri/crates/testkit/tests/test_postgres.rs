//! `ventanilla-test-postgres`, the PostgreSQL scripts start: it prints the URL of a
//! database that answers, and the cluster is gone once the program ends.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ventanilla_testkit::postgres::postgres_bin;

fn answers(url: &str) -> bool {
    let output = Command::new(postgres_bin().join("psql"))
        .args([url, "-tAc", "SELECT 1"])
        .output()
        .expect("psql runs");
    String::from_utf8_lossy(&output.stdout).trim() == "1"
}

#[test]
fn the_test_postgres_prints_a_database_that_answers_and_stops_when_it_ends() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ventanilla-test-postgres"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("it starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("its output");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("it prints a line");
    let url = line.trim();
    assert!(url.starts_with("postgres://"), "{url}");
    assert!(answers(url));

    drop(child.stdin.take());
    assert!(child.wait().expect("it ends").success());
    let ended = Instant::now();
    while answers(url) {
        assert!(
            ended.elapsed() < Duration::from_secs(30),
            "the cluster outlived its program"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
