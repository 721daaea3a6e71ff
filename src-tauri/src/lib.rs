//! Ventanilla's desktop shell. It owns the window: webview calls become
//! [`ventanilla_desk::Desk`] operations, files come in through its dialogs and drops
//! (named to the page by token), and progress goes out as events. What the window
//! does lives in `ventanilla-desk`, Tauri-free; all decisions in `ventanilla-core`.

mod commands;
mod dialogs;
pub mod picks;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tauri::{DragDropEvent, Emitter, Manager, WindowEvent};

/// How often the window tries, in the background, to send what is due.
const BACKGROUND_SYNC: Duration = Duration::from_secs(60);

/// Builds and runs the app against the default data folder (or `VENTANILLA_DATA_DIR`).
pub fn run() {
    let data_dir = ventanilla_store::default_data_dir();
    let desk = ventanilla_desk::Desk::open(data_dir.clone());
    let sync = commands::SyncState {
        data_dir,
        monitor: Arc::new(ventanilla_desk::outbox::SyncMonitor::default()),
        draining: Arc::new(Mutex::new(())),
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::AppState(Mutex::new(desk)))
        .manage(sync)
        .manage(picks::PickedFiles::default())
        .on_window_event(|window, event| {
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
                let _ = window.emit("files-dropped", dropped);
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
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_locale,
            commands::catalogues,
            commands::list_businesses,
            commands::create_business,
            commands::delete_business,
            commands::open_business,
            commands::set_field,
            commands::add_representative,
            commands::update_representative,
            commands::remove_representative,
            commands::report_ready,
            commands::checklist,
            commands::pick_document,
            commands::attach_document,
            commands::set_document_dates,
            commands::remove_document,
            commands::document_preview,
            commands::list_tenders,
            commands::tender,
            commands::pick_tender_file,
            commands::import_tenders,
            commands::server_settings,
            commands::sign_in,
            commands::accept_new_key,
            commands::readiness,
            commands::submit_registration,
            commands::submit_bid,
            commands::sync_state,
            commands::retry_submission,
            commands::sync_now,
            commands::prepare_bid,
            commands::list_bids,
            commands::open_bid,
            commands::set_bid_item_field,
            commands::set_bid_validity_days,
            commands::set_bid_declaration,
            commands::confirm_bid,
            commands::delete_bid,
            commands::export_bid_pdf,
            commands::export_receipt_pdf,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Ventanilla no pudo abrir su ventana: {e}");
            std::process::exit(1);
        });
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
