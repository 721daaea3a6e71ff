//! Harness for Ventanilla's whole-system tests and benchmarks: finding the built
//! binaries, driving the real app window through `tauri-driver` (WebDriver), and the
//! e.firma the window signs with.

pub mod fiel;
pub mod window;

use std::path::PathBuf;

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Cargo's target folder, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// What `./dev package` built: the .deb and the Windows installer. Panics with the
/// command that builds it when `file` is missing.
pub fn package(file: &str) -> PathBuf {
    let path = target_dir().join("packages").join(file);
    assert!(
        path.is_file(),
        "{} is missing: build it first with `./dev package`",
        path.display()
    );
    path
}

/// A binary built by cargo for `profile` ("debug" or "release"), honouring
/// `CARGO_TARGET_DIR`. Panics with the command that builds it when it is missing.
pub fn built_binary(name: &str, profile: &str) -> PathBuf {
    let path = target_dir().join(profile).join(name);
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
