//! The IPC surface beyond the command list (`ipc_commands.rs`): the names of the events
//! the shell emits (their payloads are typed in `ventanilla_desk::views`). Its tests keep the
//! other places that name commands (capability file, `api.ts`, `docs/IPC.md`) in step
//! with the one list.

/// Emitted while `attach_document` copies a file into the vault: [`AttachProgress`].
pub const ATTACH_PROGRESS: &str = "attach-progress";
/// Emitted while `import_tenders` reads an OCDS file: [`ImportProgress`].
pub const TENDER_IMPORT_PROGRESS: &str = "tender-import-progress";
/// Emitted while a drain sends an item: `SendingView`.
pub const SYNC_PROGRESS: &str = "sync-progress";
/// Emitted after a drain, whatever it achieved: no payload.
pub const SYNC_CHANGED: &str = "sync-changed";
/// Emitted when files are dropped on the window: `DroppedFiles`.
pub const FILES_DROPPED: &str = "files-dropped";
/// Emitted when the window sat idle and every unlocked business locked again: no
/// payload.
pub const LOCKED_IDLE: &str = "locked-idle";

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    /// Every command of the one list, as a set.
    fn commands() -> BTreeSet<String> {
        let names: &[&str] = ipc_commands!(command_names);
        names.iter().map(|name| name.to_string()).collect()
    }

    fn read(relative: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()))
    }

    /// The capability grants exactly the listed commands, plus listening to events.
    #[test]
    fn capability_grants_exactly_the_listed_commands() {
        let capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/main.json")).unwrap_or_default();
        let permissions: BTreeSet<String> = capability["permissions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|permission| permission.as_str().map(str::to_string))
            .collect();
        let mut expected: BTreeSet<String> = commands()
            .iter()
            .map(|command| format!("allow-{}", command.replace('_', "-")))
            .collect();
        expected.insert("core:event:allow-listen".into());
        expected.insert("core:event:allow-unlisten".into());
        assert_eq!(permissions, expected, "capabilities/main.json");
    }

    /// `api.ts` has a function for every command and calls no other.
    #[test]
    fn api_ts_calls_exactly_the_listed_commands() {
        let api = read("../ui/src/lib/api.ts");
        let called: BTreeSet<String> = api
            .split("call<")
            .skip(1)
            .filter_map(|rest| rest.split_once(">(\""))
            .filter_map(|(_, rest)| rest.split_once('"'))
            .map(|(command, _)| command.to_string())
            .collect();
        assert_eq!(called, commands(), "ui/src/lib/api.ts");
    }

    /// `docs/IPC.md` has a row in its command tables for every command and documents
    /// no other.
    #[test]
    fn ipc_doc_documents_exactly_the_listed_commands() {
        let doc = read("../docs/IPC.md");
        let mut in_command_table = false;
        let mut documented = BTreeSet::new();
        for line in doc.lines() {
            if line.starts_with("| command |") {
                in_command_table = true;
            } else if !line.starts_with('|') {
                in_command_table = false;
            } else if let Some((command, _)) = in_command_table
                .then(|| line.strip_prefix("| `"))
                .flatten()
                .and_then(|rest| rest.split_once('`'))
            {
                documented.insert(command.to_string());
            }
        }
        assert_eq!(documented, commands(), "docs/IPC.md");
    }
}
