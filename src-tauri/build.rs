fn main() {
    // Declaring the app's commands makes Tauri require a permission for each, so the
    // capability file is the one list of what the webview may call.
    let commands = &[
        "app_info",
        "set_locale",
        "catalogues",
        "list_businesses",
        "create_business",
        "delete_business",
        "open_business",
        "set_field",
        "add_representative",
        "update_representative",
        "remove_representative",
        "report_ready",
        "checklist",
        "pick_document",
        "attach_document",
        "set_document_dates",
        "remove_document",
        "document_preview",
        "list_tenders",
        "tender",
        "pick_tender_file",
        "import_tenders",
        "server_settings",
        "sign_in",
        "accept_new_key",
        "readiness",
        "submit_registration",
        "submit_bid",
        "sync_state",
        "retry_submission",
        "sync_now",
        "prepare_bid",
        "list_bids",
        "open_bid",
        "set_bid_item_field",
        "set_bid_validity_days",
        "set_bid_declaration",
        "confirm_bid",
        "delete_bid",
        "export_bid_pdf",
        "export_receipt_pdf",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("the Tauri build configuration is valid");
}
