//! Harness for Ventanilla's whole-system tests and benchmarks: finding the built
//! binaries, and driving the real app window through `tauri-driver` (WebDriver).

pub mod window;

use std::path::PathBuf;

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A binary built by cargo for `profile` ("debug" or "release"), honouring
/// `CARGO_TARGET_DIR`. Panics with the command that builds it when it is missing.
pub fn built_binary(name: &str, profile: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let path = target.join(profile).join(name);
    let flag = if profile == "release" {
        " --release"
    } else {
        ""
    };
    assert!(
        path.is_file(),
        "{} is missing: build it first with `cargo build{flag} -p {name}`",
        path.display()
    );
    path
}
