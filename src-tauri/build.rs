include!("src/ipc_commands.rs");

fn main() {
    // Declaring the app's commands makes Tauri require a permission for each, so the
    // capability file is the one list of what the webview may call.
    let commands: &[&str] = ipc_commands!(command_names);
    println!("cargo:rerun-if-changed=src/ipc_commands.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("the Tauri build configuration is valid");
}
