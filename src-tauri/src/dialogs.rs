//! The system's file dialogs and file manager, opened from Rust so the webview needs no
//! dialog, shell or file system permission of its own.
//!
//! Built with the `test-dialogs` feature (the window tests' build, never a release),
//! `VENTANILLA_PICK_FILE` and `VENTANILLA_SAVE_FILE` answer the dialogs instead, and
//! `VENTANILLA_SHOWN_FOLDER` names a file that records the folder shown, because
//! WebDriver cannot reach a native dialog or another program's window.

use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// Asks for a file to open among those of `extensions`; `None` when the person cancels.
pub fn pick_file(app: &AppHandle, filter: &str, extensions: &[&str]) -> Option<PathBuf> {
    #[cfg(feature = "test-dialogs")]
    if let Some(answer) = scripted::pick(extensions) {
        return Some(answer);
    }
    app.dialog()
        .file()
        .add_filter(filter, extensions)
        .blocking_pick_file()
        .and_then(|file| file.into_path().ok())
}

/// Asks where to save a PDF, offering `file_name`; `None` when the person cancels.
pub fn save_pdf(app: &AppHandle, file_name: &str) -> Option<PathBuf> {
    save_file(app, file_name, "PDF", &["pdf", "PDF"])
}

/// Asks where to save a file among those of `extensions`, offering `file_name`; `None`
/// when the person cancels.
pub fn save_file(
    app: &AppHandle,
    file_name: &str,
    filter: &str,
    extensions: &[&str],
) -> Option<PathBuf> {
    #[cfg(feature = "test-dialogs")]
    if let Some(answer) = scripted::save(extensions) {
        return Some(answer);
    }
    app.dialog()
        .file()
        .add_filter(filter, extensions)
        .set_file_name(file_name)
        .blocking_save_file()
        .and_then(|file| file.into_path().ok())
}

/// Opens `folder` in the system's file manager (Files, Explorer, Finder).
pub fn show_folder(folder: &Path) -> std::io::Result<()> {
    #[cfg(feature = "test-dialogs")]
    if let Some(record) = scripted::shown_folder() {
        return std::fs::write(record, folder.as_os_str().as_encoded_bytes());
    }
    let opener = if cfg!(target_os = "windows") {
        "explorer"
    } else if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    // Not waited for: the file manager lives on after the call.
    std::process::Command::new(opener)
        .arg(folder)
        .spawn()
        .map(drop)
}

/// The window tests' answers to the dialogs, from the environment.
#[cfg(feature = "test-dialogs")]
mod scripted {
    use std::path::PathBuf;

    /// `VENTANILLA_PICK_FILE`: one path, or several joined like `PATH`, of which each
    /// dialog takes the first its filter accepts (else the first).
    pub fn pick(extensions: &[&str]) -> Option<PathBuf> {
        answer("VENTANILLA_PICK_FILE", extensions)
    }

    /// `VENTANILLA_SHOWN_FOLDER`: the file where the folder shown is written.
    pub fn shown_folder() -> Option<PathBuf> {
        std::env::var_os("VENTANILLA_SHOWN_FOLDER")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }

    /// `VENTANILLA_SAVE_FILE`: as `VENTANILLA_PICK_FILE`, for the save dialogs.
    pub fn save(extensions: &[&str]) -> Option<PathBuf> {
        answer("VENTANILLA_SAVE_FILE", extensions)
    }

    fn answer(variable: &str, extensions: &[&str]) -> Option<PathBuf> {
        let paths = std::env::var_os(variable).filter(|p| !p.is_empty())?;
        let paths: Vec<_> = std::env::split_paths(&paths).collect();
        let accepted = paths.iter().find(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        });
        accepted.or(paths.first()).cloned()
    }
}
