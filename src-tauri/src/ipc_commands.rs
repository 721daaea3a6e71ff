// The app's commands, named once. `build.rs` includes this file to declare them in the
// app manifest (so Tauri requires a permission for each), `lib.rs` to make the invoke
// handler; `ipc::tests` fail when the capability file, `ui/src/lib/api.ts` or
// `docs/IPC.md` name other commands. A plain file, not a module: build scripts cannot
// reach the crate's modules.

/// Calls `$apply![app_info, set_locale, …]` with every command, in handler order.
macro_rules! ipc_commands {
    ($apply:ident) => {
        $apply![
            app_info,
            open_data_folder,
            set_locale,
            catalogues,
            list_businesses,
            create_business,
            delete_business,
            open_business,
            set_field,
            add_representative,
            update_representative,
            remove_representative,
            report_ready,
            checklist,
            pick_document,
            attach_document,
            set_document_dates,
            remove_document,
            document_preview,
            list_tenders,
            tender,
            pick_tender_file,
            import_tenders,
            tenders_for_you,
            take_fit_notices,
            notify_desktop,
            pick_appointments_file,
            import_appointments,
            set_chamber_mode,
            next_person,
            day_queue,
            give_consent,
            lock_business,
            unlock_business,
            generate_passphrase,
            hand_over,
            pick_bundle_file,
            import_bundle,
            export_day_report,
            fiel,
            pick_fiel_file,
            set_fiel_file,
            server_settings,
            sign_in,
            accept_new_key,
            readiness,
            submit_registration,
            submit_bid,
            sync_state,
            retry_submission,
            sync_now,
            prepare_bid,
            ask_question,
            list_bids,
            open_bid,
            set_bid_item_field,
            set_bid_validity_days,
            set_bid_declaration,
            confirm_bid,
            delete_bid,
            export_bid_pdf,
            export_receipt_pdf,
        ]
    };
}

/// The commands' names as strings, for `ipc_commands!(command_names)`.
#[allow(unused_macros)]
macro_rules! command_names {
    ($($command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}
