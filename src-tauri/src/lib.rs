//! Ventanilla's desktop shell. It owns the window: webview calls become
//! [`ventanilla_desk::Desk`] operations, files come in through its dialogs and drops
//! (named to the page by token), and progress goes out as events. What the window
//! does lives in `ventanilla-desk`, Tauri-free; all decisions in `ventanilla-core`.

#[macro_use]
mod ipc_commands;

mod commands;
mod dialogs;
mod ipc;
pub mod picks;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{DragDropEvent, Emitter, Manager, WindowEvent};
use ventanilla_core::{Failure, FailureCode};

/// The invoke handler for `ipc_commands!`: each name is the function in `commands`.
macro_rules! command_handler {
    ($($command:ident),* $(,)?) => {
        tauri::generate_handler![$(commands::$command),*]
    };
}

/// How often the window tries, in the background, to send what is due.
const BACKGROUND_SYNC: Duration = Duration::from_secs(60);
/// How often the window checks whether it sat idle long enough to lock.
const IDLE_CHECK: Duration = Duration::from_secs(15);

/// Builds and runs the app against the default data folder (or `VENTANILLA_DATA_DIR`).
pub fn run() {
    let data_dir = ventanilla_store::default_data_dir();
    let desk = ventanilla_desk::Desk::open(data_dir.clone());
    let locale = desk.locale();
    // Checked before Tauri tries to draw, which would fail with no word on what to do.
    #[cfg(windows)]
    if wry::webview_version().is_err() {
        cannot_open(&Failure::from(FailureCode::WebViewMissing).message(locale));
    }
    let sync = commands::SyncState {
        data_dir,
        monitor: Arc::new(ventanilla_desk::outbox::SyncMonitor::default()),
        draining: Arc::new(Mutex::new(())),
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(commands::AppState(Mutex::new(desk)))
        .manage(sync)
        .manage(picks::PickedFiles::default())
        .on_window_event(|window, event| {
            // Closing the window locks every unlocked business, as "Siguiente persona"
            // does, so what the day's report needs of them is kept first.
            if let WindowEvent::CloseRequested { .. } = event {
                let _ = window.state::<commands::AppState>().desk().next_person();
            }
            // The page hears of dropped files by token (`files-dropped`), never by path.
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, position }) = event {
                let picks = window.state::<picks::PickedFiles>();
                let dropped = ventanilla_desk::views::DroppedFiles {
                    files: paths
                        .iter()
                        .map(|path| picks.register(path.clone()))
                        .collect(),
                    position: ventanilla_desk::views::DropPoint {
                        x: position.x,
                        y: position.y,
                    },
                };
                let _ = window.emit(ipc::FILES_DROPPED, dropped);
            }
        })
        .setup(|app| {
            // Offline first: whatever is due goes out when a connection appears,
            // without the person having to press anything.
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(BACKGROUND_SYNC);
                let sync = handle.state::<commands::SyncState>();
                let _ = commands::drain_once(
                    &handle,
                    &sync.data_dir,
                    &sync.monitor,
                    &sync.draining,
                    false,
                );
            });
            // Keys are forgotten after the idle limit; the page then shows its lock.
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(IDLE_CHECK);
                let state = handle.state::<commands::AppState>();
                if state.desk().lock_if_idle(std::time::Instant::now()) {
                    let _ = handle.emit(ipc::LOCKED_IDLE, ());
                }
            });
            Ok(())
        })
        .invoke_handler(ipc_commands!(command_handler))
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            cannot_open(
                &Failure::from(FailureCode::WindowFailed)
                    .with("detail", e)
                    .message(locale),
            )
        });
}

/// Says why there is no window and ends: on stderr, and on Windows, whose app has no
/// console, in a message box too.
fn cannot_open(text: &str) -> ! {
    eprintln!("{text}");
    #[cfg(windows)]
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("Ventanilla")
        .set_description(text)
        .show();
    std::process::exit(1);
}

#[cfg(test)]
mod tests {
    /// The app-data folder Tauri would pick and the one the CLI uses are named after
    /// the same identifier.
    #[test]
    fn tauri_identifier_matches_the_data_folder_name() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap_or_default();
        assert_eq!(
            config["identifier"].as_str(),
            Some(ventanilla_store::APP_IDENTIFIER)
        );
    }
}
