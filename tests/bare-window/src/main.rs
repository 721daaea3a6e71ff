//! An empty Tauri window, built with the same profile as Ventanilla, that reports
//! ready when its page has loaded: the benchmark's baseline.

#[tauri::command]
fn report_ready() {
    eprintln!("ventanilla: ready");
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![report_ready])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("bare window failed: {e}");
            std::process::exit(1);
        });
}
