//! A throwaway PostgreSQL for scripts (`./dev test` runs schemathesis against the server
//! on it): starts a cluster as the tests do, prints the URL of an empty database on a
//! line, and keeps it until this process ends (its watcher then stops the cluster and
//! removes its folder, however the process ended).

use std::io::{BufRead, Write};

fn main() {
    let cluster = ventanilla_testkit::postgres::Cluster::start();
    let url = cluster.database();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{url}");
    let _ = out.flush();
    // Until the script closes our standard input, or kills us.
    for _ in std::io::stdin().lock().lines() {}
}
