//! The `ventanilla` binary run on a data folder, as a script would run it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The binary on `data_dir`, whatever the environment says.
pub fn command(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ventanilla"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("VENTANILLA_DATA_DIR");
    command
}

/// Runs it with `args`: its exit code and the JSON it printed (`Null` if none).
#[allow(dead_code)] // Not every test file runs it this way.
pub fn ventanilla(data_dir: &Path, args: &[&str]) -> (i32, Value) {
    let output = command(data_dir)
        .args(args)
        .output()
        .expect("the binary runs");
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code().expect("an exit code"), json)
}

/// Runs `command` with `stdin` typed in: its exit code, the JSON it printed (`Null` if
/// none) and the text itself.
#[allow(dead_code)] // Not every test file runs it this way.
pub fn run(command: &mut Command, stdin: &str) -> (i32, Value, String) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("its standard input")
        .write_all(stdin.as_bytes())
        .expect("standard input written");
    let output = child.wait_with_output().expect("the binary ends");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), json, text)
}

/// A data folder with one persona moral, Escuela Kemper Urgate; returns its id.
#[allow(dead_code)] // Not every test file needs it.
pub fn kemper(data_dir: &Path) -> String {
    let (status, json) = ventanilla(
        data_dir,
        &[
            "businesses",
            "create",
            "--rfc",
            "EKU9003173C9",
            "--name",
            "Escuela Kemper Urgate",
        ],
    );
    assert_eq!(status, 0, "{json}");
    json["business"]["id"].as_str().unwrap().to_owned()
}
