//! A real PostgreSQL for tests, started by the test process itself: one throwaway
//! cluster per process ([`cluster`]), in a temporary folder, listening on a free
//! loopback port, with an empty database for each test ([`Cluster::database`]).
//!
//! `initdb` runs as the `postgres` user when the tests run as root (PostgreSQL refuses
//! to run as root), as the tests' own user otherwise. The cluster is stopped and its
//! folder removed when its [`Cluster`] is dropped, and also by a watcher process once
//! the test process is gone: the shared cluster lives in a static, which is never
//! dropped, and a test process may be killed.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The environment variable that runs the server's tests on PostgreSQL: `postgres`
/// (anything else, or nothing, keeps them on SQLite).
pub const TEST_DATABASE: &str = "VENTANILLA_TEST_DATABASE";

/// The URL of the database a test's server keeps its data in (its `--database-url`): a
/// fresh PostgreSQL database of the shared [`cluster`] when [`TEST_DATABASE`] says
/// `postgres`, else `None` (SQLite in the server's data folder).
pub fn test_database_url() -> Option<String> {
    on_postgres().then(|| cluster().database())
}

/// Whether [`TEST_DATABASE`] runs the tests on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var(TEST_DATABASE).is_ok_and(|name| name == "postgres")
}

/// The cluster this test process shares, started on first use.
pub fn cluster() -> &'static Cluster {
    static SHARED: OnceLock<Cluster> = OnceLock::new();
    SHARED.get_or_init(Cluster::start)
}

/// A running PostgreSQL cluster of its own.
pub struct Cluster {
    bin: PathBuf,
    /// Holds `data/`, the log and the Unix socket; owned by whoever runs the server.
    dir: PathBuf,
    port: u16,
    /// Whether the server runs as `postgres` (the tests run as root).
    as_postgres: bool,
    /// Whether it takes TLS connections only, with a certificate of [`Cluster::ca`].
    tls: bool,
    databases: AtomicU64,
}

/// The newest PostgreSQL's programs: `VENTANILLA_PG_BIN`, else the highest version in
/// `/usr/lib/postgresql/` (Debian's layout).
pub fn postgres_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("VENTANILLA_PG_BIN") {
        return PathBuf::from(bin);
    }
    let versions = std::fs::read_dir("/usr/lib/postgresql").unwrap_or_else(|e| {
        panic!("no PostgreSQL in /usr/lib/postgresql ({e}): apt-get install postgresql, or set VENTANILLA_PG_BIN")
    });
    versions
        .flatten()
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .max()
        .map(|(_, bin)| bin)
        .expect("no /usr/lib/postgresql/NN/bin/initdb: apt-get install postgresql")
}

fn is_root() -> bool {
    let uid = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&uid.stdout).trim() == "0"
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Cluster {
    /// Makes and starts a cluster in a new temporary folder.
    pub fn start() -> Cluster {
        Cluster::make(false)
    }

    /// A cluster that takes TLS connections only over TCP, its certificate (for
    /// 127.0.0.1) issued by a CA of its own made with openssl: [`Cluster::ca`].
    pub fn start_tls() -> Cluster {
        Cluster::make(true)
    }

    /// The PEM certificate of the CA that issued a TLS cluster's certificate.
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    fn make(tls: bool) -> Cluster {
        let bin = postgres_bin();
        let as_postgres = is_root();
        // In /tmp when the server runs as postgres, who may not reach into root's own
        // temporary folder ($TMPDIR). Kept past this function: the cluster (or its
        // watcher) removes it.
        let parent = match as_postgres {
            true => PathBuf::from("/tmp"),
            false => std::env::temp_dir(),
        };
        let dir = tempfile::Builder::new()
            .prefix("ventanilla-pg-")
            .tempdir_in(parent)
            .unwrap()
            .keep();
        if as_postgres {
            let owned = Command::new("chown")
                .arg("postgres:postgres")
                .arg(&dir)
                .status()
                .unwrap();
            assert!(owned.success(), "chown postgres {}", dir.display());
        }
        let cluster = Cluster {
            bin,
            dir,
            port: free_port(),
            as_postgres,
            tls,
            databases: AtomicU64::new(0),
        };
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "-U",
                "postgres",
            ],
        );
        if tls {
            cluster.make_certificates();
        }
        cluster.start_again();
        cluster.watch();
        cluster
    }

    /// The CA, the server's certificate and key (its owner's alone, as PostgreSQL
    /// demands) and an hba file that refuses TCP connections without TLS.
    fn make_certificates(&self) {
        let dir = &self.dir;
        let openssl = |args: &[&str]| {
            let output = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        openssl(
            &[
                &["req", "-x509"][..],
                &ec,
                &[
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.crt",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=Ventanilla test CA",
                ],
            ]
            .concat(),
        );
        openssl(
            &[
                &["req"][..],
                &ec,
                &[
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.csr",
                    "-subj",
                    "/CN=127.0.0.1",
                ],
            ]
            .concat(),
        );
        std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ]);
        std::fs::write(
            dir.join("hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 reject\n",
        )
        .unwrap();
        for file in ["server.key", "server.crt", "hba.conf"] {
            let path = dir.join(file);
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .unwrap();
            if self.as_postgres {
                let owned = Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(&path)
                    .status()
                    .unwrap();
                assert!(owned.success(), "chown postgres {}", path.display());
            }
        }
    }

    /// Starts the server on the cluster's folder and port, waiting until it answers.
    pub fn start_again(&self) {
        let mut options = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} \
             -c fsync=on -c max_connections=300",
            self.port,
            self.dir.display()
        );
        if self.tls {
            let dir = self.dir.display();
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key \
                 -c hba_file={dir}/hba.conf"
            ));
        }
        let log = self.dir.join("log").display().to_string();
        let data = self.data();
        self.run(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-w", "-o", &options, "start"],
        );
    }

    /// Stops the server at once, as a crash would, keeping its data: for a test of what
    /// its clients do while the database is away ([`Cluster::start_again`] brings it
    /// back).
    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "stop", "-m", "immediate"]);
    }

    /// The folder of PostgreSQL's programs (`pgbench`, `psql`…).
    pub fn bin(&self) -> &std::path::Path {
        &self.bin
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    /// The command that runs PostgreSQL's program `name` as the cluster's owner.
    fn command(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        let mut command = match self.as_postgres {
            true => {
                let mut runuser = Command::new("runuser");
                runuser.args(["-u", "postgres", "--"]).arg(program);
                runuser
            }
            false => Command::new(program),
        };
        // Somewhere the postgres user may stand in (initdb checks its working folder).
        command.current_dir(&self.dir);
        command
    }

    /// Runs `name` with `args`, failing the test with its output when it fails.
    fn run(&self, name: &str, args: &[&str]) {
        let output = self.command(name).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{name} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Starts a process that stops the cluster and removes its folder once this test
    /// process has ended, however it ended.
    fn watch(&self) {
        let stop = format!(
            "{} -D {} stop -m immediate",
            self.bin.join("pg_ctl").display(),
            self.data()
        );
        let stop = match self.as_postgres {
            true => format!("runuser -u postgres -- {stop}"),
            false => stop,
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop}; \
             for _ in 1 2 3 4 5; do rm -rf {dir} && break; sleep 1; done",
            pid = std::process::id(),
            dir = self.dir.display()
        );
        // In the background of a shell that returns at once: the watcher, orphaned,
        // outlives this process.
        let started = Command::new("sh")
            .args(["-c", &format!("({script}) </dev/null >/dev/null 2>&1 &")])
            .status()
            .unwrap();
        assert!(started.success(), "the cluster's watcher did not start");
    }

    /// Creates an empty database and answers its URL.
    pub fn database(&self) -> String {
        let n = self.databases.fetch_add(1, Ordering::Relaxed);
        let name = format!("test_{n}");
        let port = self.port.to_string();
        let output = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-T",
                "template0",
                &name,
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "createdb {name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["-D", &self.data(), "stop", "-m", "immediate"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
