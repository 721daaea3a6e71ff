//! Ventanilla's desktop shell. It owns the window and translates: webview calls into
//! [`desk::Desk`] operations, and their errors into messages in the user's language.
//! All decisions live in `ventanilla-core`, all files in `ventanilla-store`.

mod commands;
pub mod desk;
pub mod error;
pub mod views;

use std::sync::Mutex;

/// Builds and runs the app against the default data folder (or `VENTANILLA_DATA_DIR`).
pub fn run() {
    let desk = desk::Desk::open(ventanilla_store::default_data_dir());
    tauri::Builder::default()
        .manage(commands::AppState(Mutex::new(desk)))
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
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Ventanilla no pudo abrir su ventana: {e}");
            std::process::exit(1);
        });
}
