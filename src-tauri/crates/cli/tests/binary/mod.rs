//! The `ventanilla` binary run on a data folder, as a script would run it.

use std::path::Path;
use std::process::Command;

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
