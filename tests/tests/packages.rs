//! The installers as an owner gets them, built by `./dev package` and run by
//! `./dev test-packages`: the .deb inspected, installed with apt-get, run from the PATH
//! and removed; the Windows installer and programs under Wine, for a user whose name
//! has a space and accents. Ignored in the ordinary test run, as they need the release
//! packages, root (apt-get changes the machine) and Wine.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use ventanilla_store::Library;
use ventanilla_testkit::fixtures::one_page_pdf;
use ventanilla_tests::{package, workspace_root};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const APP_DATA_FOLDER: &str = "mx.cdmx.benitojuarez.ventanilla";
const RFC: &str = "EKU9003173C9";

fn deb() -> PathBuf {
    package(&format!("ventanilla_{VERSION}_amd64.deb"))
}

fn run(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(command: &mut Command) -> String {
    String::from_utf8_lossy(&run(command).stdout).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn checklist_status(checklist: &Value, code: &str) -> Value {
    checklist["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["code"] == code))
        .map(|item| item["status"]["kind"].clone())
        .unwrap_or_else(|| panic!("no {code} in {checklist}"))
}

fn today() -> String {
    ventanilla_core::checklist::mexico_city_today(chrono::Utc::now()).to_string()
}

#[test]
#[ignore = "needs `./dev package`; run by `./dev test-packages`"]
fn the_deb_carries_the_three_programs_the_desktop_entry_and_webkitgtk() {
    let deb = deb();
    let fields = stdout(
        Command::new("dpkg-deb")
            .arg("-f")
            .arg(&deb)
            .args(["Package", "Version", "Depends"]),
    );
    assert!(fields.contains("Package: ventanilla\n"), "{fields}");
    assert!(
        fields.contains(&format!("Version: {VERSION}\n")),
        "{fields}"
    );
    for dependency in ["libwebkit2gtk-4.1-0", "libgtk-3-0"] {
        assert!(fields.contains(dependency), "{fields}");
    }
    let contents = stdout(Command::new("dpkg-deb").arg("-c").arg(&deb));
    // The last column of each line, with or without the "./" some bundlers write.
    let paths: Vec<&str> = contents
        .lines()
        .filter_map(|line| line.split_whitespace().last())
        .map(|path| path.trim_start_matches("./"))
        .collect();
    for path in [
        "usr/bin/ventanilla-app",
        "usr/bin/ventanilla",
        "usr/bin/ventanilla-server",
        "usr/share/applications/Ventanilla.desktop",
        "usr/share/icons/hicolor/128x128/apps/ventanilla-app.png",
    ] {
        assert!(paths.contains(&path), "{path} not in\n{contents}");
    }
    let unpacked = tempfile::tempdir().expect("temp dir");
    run(Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(unpacked.path()));
    let entry = std::fs::read_to_string(
        unpacked
            .path()
            .join("usr/share/applications/Ventanilla.desktop"),
    )
    .expect("the desktop entry");
    assert!(entry.contains("Exec=ventanilla-app"), "{entry}");
    assert!(entry.contains("Icon=ventanilla-app"), "{entry}");
}

/// Waits for the app's "ready" line on stderr (the home screen shown), then closes it.
fn launch_to_ready(mut app: Command) {
    let mut child = app
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the installed app starts");
    let stderr = BufReader::new(child.stderr.take().expect("piped stderr"));
    let ready = stderr
        .lines()
        .map_while(Result::ok)
        .any(|line| line.contains("ventanilla: ready"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        ready,
        "the installed app exited before its home screen was ready"
    );
}

#[test]
#[ignore = "needs `./dev package` and root; run by `./dev test-packages`"]
fn the_deb_installs_runs_from_the_path_and_uninstalls_keeping_the_data() {
    let apt = |args: &[&str]| {
        run(Command::new("apt-get")
            .args(["-y", "-qq"])
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive"));
    };
    apt(&["install", &deb().display().to_string()]);

    let which = stdout(Command::new("sh").args(["-c", "command -v ventanilla"]));
    assert_eq!(which.trim(), "/usr/bin/ventanilla");
    let version = stdout(Command::new("ventanilla").arg("--version"));
    assert_eq!(version.trim(), format!("ventanilla {VERSION}"));
    let version = stdout(Command::new("ventanilla-server").arg("--version"));
    assert_eq!(version.trim(), format!("ventanilla-server {VERSION}"));

    // An owner's home: the CLI and the app find the data in its default place.
    let home = tempfile::tempdir().expect("temp dir");
    let as_owner = |program: &str| {
        let mut command = Command::new(program);
        command
            .env("HOME", home.path())
            .env_remove("XDG_DATA_HOME")
            .env_remove("VENTANILLA_DATA_DIR");
        command
    };
    run(as_owner("ventanilla").args([
        "businesses",
        "create",
        "--rfc",
        RFC,
        "--name",
        "Papelería Pérez",
    ]));
    launch_to_ready(as_owner("ventanilla-app"));

    apt(&["remove", "ventanilla"]);
    assert!(!Path::new("/usr/bin/ventanilla").exists());
    assert!(!Path::new("/usr/bin/ventanilla-app").exists());
    let data = home.path().join(".local/share").join(APP_DATA_FOLDER);
    let library = Library::open(&data).expect("the data folder survives the removal");
    let businesses = library
        .list_businesses("")
        .expect("the businesses are listed");
    assert_eq!(businesses.len(), 1);
    assert_eq!(businesses[0].summary.rfc, RFC);
}

/// The owner of the throwaway Windows: the profile folder, %APPDATA% and every path
/// below them have a space and accents.
const WINDOWS_USER: &str = "José Pérez";

/// A throwaway Wine prefix, Debian's 64-bit Wine, for `WINDOWS_USER`.
struct Wine {
    prefix: tempfile::TempDir,
}

impl Wine {
    fn new() -> Wine {
        let wine = Wine {
            prefix: tempfile::tempdir().expect("temp dir"),
        };
        run(wine.command("cmd").args(["/c", "exit"]));
        let shim = wine.c_drive().join("windows/system32/bcryptprimitives.dll");
        run(Command::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-s", "-o"])
            .arg(&shim)
            .arg(workspace_root().join("tests/wine/bcryptprimitives.c"))
            .arg("-ladvapi32"));
        wine
    }

    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new("/usr/lib/wine/wine64");
        command
            .arg(program)
            .env("WINEPREFIX", self.prefix.path())
            .env("WINEDEBUG", "-all")
            // No Mono nor Gecko: they would be downloads, and nothing here needs them.
            .env("WINEDLLOVERRIDES", "mscoree=;mshtml=")
            .env("USER", WINDOWS_USER)
            .env("LANG", "C.UTF-8")
            .env_remove("DISPLAY");
        command
    }

    fn c_drive(&self) -> PathBuf {
        self.prefix.path().join("drive_c")
    }

    /// The user's profile folder, seen from Linux.
    fn profile(&self) -> PathBuf {
        self.c_drive().join("users").join(WINDOWS_USER)
    }

    /// Where the installer puts the programs, seen from Linux.
    fn install_dir(&self) -> PathBuf {
        self.profile().join("AppData/Local/Programs/Ventanilla")
    }

    fn windows_path(&self, path: &Path) -> String {
        let inside = path.strip_prefix(self.c_drive()).expect("a path on C:");
        format!("C:\\{}", inside.display().to_string().replace('/', "\\"))
    }

    /// The installed CLI, run with `args`, its data in the default folder.
    fn ventanilla(&self, args: &[&str]) -> Output {
        self.command(self.install_dir().join("ventanilla.exe"))
            .args(args)
            .env_remove("VENTANILLA_DATA_DIR")
            .output()
            .expect("wine runs ventanilla.exe")
    }

    fn installer(&self) -> Command {
        let mut command = self.command(package(&format!("Ventanilla_{VERSION}_x64-setup.exe")));
        command.arg("/S");
        command
    }

    fn install(&self) {
        run(&mut self.installer());
    }

    /// Registers the WebView2 runtime as installed, the way its installer leaves the
    /// registry (only the version: Wine cannot run the real runtime).
    fn register_webview2(&self) {
        run(self.command("reg").args([
            "add",
            "HKCU\\Software\\Microsoft\\EdgeUpdate\\Clients\\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}",
            "/v",
            "pv",
            "/t",
            "REG_SZ",
            "/d",
            "131.0.2903.86",
            "/f",
        ]));
    }
}

/// Starts the installed server in sandbox mode and asks its health over loopback.
fn server_health(wine: &Wine) -> String {
    let data = wine.profile().join("Servidor de prueba");
    let mut server = wine
        .command(wine.install_dir().join("ventanilla-server.exe"))
        .args(["--sandbox", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(wine.windows_path(&data))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wine runs ventanilla-server.exe");
    let stderr = BufReader::new(server.stderr.take().expect("piped stderr"));
    let address = stderr.lines().map_while(Result::ok).find_map(|line| {
        let (_, after) = line.split_once("listening on http://")?;
        after.split_whitespace().next().map(str::to_owned)
    });
    let answer = address.map(|address| {
        let mut stream = TcpStream::connect(&address).expect("the server accepts");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("a read timeout");
        write!(
            stream,
            "GET /v1/health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .expect("the request is sent");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    });
    let _ = server.kill();
    let _ = server.wait();
    assert!(data.is_dir(), "the server's data folder {}", data.display());
    answer.expect("the server names the address it listens on")
}

#[test]
#[ignore = "needs `./dev package` and Wine; run by `./dev test-packages`"]
fn the_windows_installer_and_programs_work_for_a_user_named_jose_perez() {
    let started = Instant::now();
    let wine = Wine::new();
    // A bare Wine has no WebView2: the installer says what to install (a message box,
    // answered by itself in silent mode) and installs nothing.
    let refused = wine.installer().output().expect("wine runs the installer");
    assert_eq!(refused.status.code(), Some(3), "{refused:?}");
    assert!(!wine.install_dir().exists());

    wine.register_webview2();
    wine.install();
    let start_menu = wine
        .profile()
        .join("AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Ventanilla");
    for entry in ["Ventanilla.lnk", "Ventanilla (línea de comandos).lnk"] {
        assert!(
            start_menu.join(entry).is_file(),
            "no {entry} in {}",
            start_menu.display()
        );
    }

    // The registry names a runtime whose files are not there: the window app finds
    // that out itself and says what to install, instead of failing to draw.
    let app = wine
        .command(wine.install_dir().join("ventanilla-app.exe"))
        .output()
        .expect("wine runs ventanilla-app.exe");
    let said = String::from_utf8_lossy(&app.stderr);
    assert_eq!(app.status.code(), Some(1), "{said}");
    assert!(
        said.contains("falta Microsoft Edge WebView2 Runtime") && said.contains("instálalo desde"),
        "{said}"
    );

    let version = wine.ventanilla(&["--version"]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("ventanilla {VERSION}")
    );
    let check = wine.ventanilla(&["check", "rfc", "eku-900317-3c9"]);
    assert!(check.status.success());
    assert_eq!(json(&check)["valid"], true);
    let check = wine.ventanilla(&["check", "rfc", "ABC-851301-XY1"]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(json(&check)["valid"], false);

    let created = wine.ventanilla(&[
        "businesses",
        "create",
        "--rfc",
        RFC,
        "--name",
        "Papelería José Pérez",
    ]);
    assert!(created.status.success(), "{}", json(&created));
    // The default data folder is %APPDATA%'s, under the accented profile.
    let data = wine.profile().join("AppData/Roaming").join(APP_DATA_FOLDER);
    assert!(data.is_dir(), "no data in {}", data.display());

    let documents = wine.profile().join("Documents");
    std::fs::create_dir_all(&documents).expect("the Documents folder");
    let pdf = documents.join("constancia de situación fiscal.pdf");
    std::fs::write(&pdf, one_page_pdf(15, 2_000)).expect("the PDF is written");
    let attached = wine.ventanilla(&[
        "attach",
        RFC,
        "CSF",
        &wine.windows_path(&pdf),
        "--issued",
        &today(),
    ]);
    assert!(attached.status.success(), "{}", json(&attached));
    assert_eq!(
        json(&attached)["original_name"],
        "constancia de situación fiscal.pdf"
    );
    let checklist = wine.ventanilla(&["checklist", RFC]);
    assert!(checklist.status.success(), "{}", json(&checklist));
    assert_eq!(checklist_status(&json(&checklist), "CSF"), "attached");

    let health = server_health(&wine);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");

    // Installed again over itself, as an update would be: the business stays.
    wine.install();
    let listed = wine.ventanilla(&["businesses"]);
    assert_eq!(json(&listed)[0]["rfc"], RFC);

    // Uninstalled in place (`_?=` keeps NSIS from running a copy in the background).
    let install_dir = wine.install_dir();
    run(wine
        .command(install_dir.join("Desinstalar Ventanilla.exe"))
        .arg("/S")
        .arg(format!("_?={}", wine.windows_path(&install_dir))));
    for program in ["ventanilla.exe", "ventanilla-app.exe"] {
        assert!(!install_dir.join(program).exists(), "{program} stays");
    }
    assert!(!start_menu.exists());
    let library = Library::open(&data).expect("the data folder survives uninstalling");
    assert_eq!(library.list_businesses("").expect("listed").len(), 1);
    eprintln!(
        "Wine: installed, used and uninstalled in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}
