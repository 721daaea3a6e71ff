//! A business on a shared laptop: locked with its owner's passphrase, unlocked for the
//! owner's turn, locked again by "Siguiente persona" or when the window sits idle, and
//! handed home in its file (`.ventanilla`).

use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use ventanilla_store::Conflict;

use crate::desk::Desk;
use crate::views::{BusinessView, CommandError};

/// How long a window may sit untouched before every unlocked business locks again,
/// unless `idle_lock_minutes` in `app.db` says otherwise.
pub const IDLE_LOCK_MINUTES: u64 = 10;
const IDLE_SETTING: &str = "idle_lock_minutes";

type Outcome<T> = Result<T, CommandError>;

/// The lock dialog's answer.
#[derive(Deserialize, Clone, Debug, TS)]
pub struct LockRequest {
    /// The owner's passphrase (at least 8 characters).
    pub passphrase: String,
    /// The name to show the business by while it is locked.
    pub label: String,
}

/// What to do with a business's file whose business is already here.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportChoice {
    /// Ask (the first try).
    Ask,
    /// Keep the one here and import the file's as another business.
    KeepBoth,
    /// Replace the one here, only when the file's is newer.
    Replace,
}

/// What a handover wrote.
#[derive(Serialize, Clone, Debug, TS)]
pub struct HandedOver {
    /// The file written.
    pub path: String,
    /// Documents and database packed.
    pub files: u32,
    /// Their bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What an import took in.
#[derive(Serialize, Clone, Debug, TS)]
pub struct TakenIn {
    /// The business's id here.
    pub id: crate::ids::BusinessId,
    /// Its name.
    pub name: String,
    /// Whether it replaced the copy that was here.
    pub replaced: bool,
    /// Whether it is locked (it then opens with the same passphrase).
    pub locked: bool,
}

impl Desk {
    /// Locks business `id` with the owner's passphrase; it stays open for this turn.
    pub fn lock_business(&mut self, id: &str, request: &LockRequest) -> Outcome<()> {
        // Its connection holds the old key material; the next action reopens it.
        self.close_business();
        let library = self.library()?;
        library
            .lock_business(id, &request.passphrase, &request.label)
            .map_err(|e| self.fail(e))
    }

    /// Unlocks business `id` for this turn and opens it.
    pub fn unlock_business(&mut self, id: &str, passphrase: &str) -> Outcome<BusinessView> {
        self.require_consent(id)?;
        let library = self.library()?;
        library
            .unlock_business(id, passphrase)
            .map_err(|e| self.fail(e))?;
        self.open_business(id)
    }

    /// A passphrase to print for an owner who has none in mind.
    pub fn generate_passphrase(&self) -> String {
        ventanilla_store::generate_passphrase()
    }

    /// "Siguiente persona": the span of work ends, the open business closes and every
    /// unlocked business locks again, its keys forgotten (what the day's report needs
    /// of it kept first, without its RFC or name).
    pub fn next_person(&mut self) -> Outcome<()> {
        self.end_activity();
        let library = self.library()?;
        let kept = crate::report::keep_locked_facts(library);
        // Locked whatever happened: a report line is worth less than the owner's data.
        library.lock_again(None);
        kept.map_err(|e| self.fail(e))
    }

    /// Locks every unlocked business again when nothing was done for the idle limit;
    /// answers whether it did (the window then shows its lock page).
    pub fn lock_if_idle(&mut self, now: Instant) -> bool {
        let limit = Duration::from_secs(60 * self.idle_lock_minutes());
        let idle = self
            .last_action()
            .is_some_and(|at| now.saturating_duration_since(at) >= limit);
        // Checked every few seconds: the map of keys in memory, no database.
        let any_unlocked = self
            .library()
            .is_ok_and(|library| !library.unlocked_businesses().is_empty());
        if idle && any_unlocked {
            // It locks even when the report's facts could not be kept.
            let _ = self.next_person();
        }
        idle && any_unlocked
    }

    fn idle_lock_minutes(&self) -> u64 {
        self.library()
            .ok()
            .and_then(|l| l.setting(IDLE_SETTING).ok().flatten())
            .and_then(|m| m.parse().ok())
            .filter(|&m| m > 0)
            .unwrap_or(IDLE_LOCK_MINUTES)
    }

    /// «Entregar expediente»: writes business `id` to `path`, sealed with
    /// `passphrase` (a locked business's own).
    pub fn hand_over(&mut self, id: &str, path: &Path, passphrase: &str) -> Outcome<HandedOver> {
        self.close_business();
        let library = self.library()?;
        let exported = library
            .export_bundle(id, path, passphrase)
            .map_err(|e| self.fail(e))?;
        Ok(HandedOver {
            path: path.display().to_string(),
            files: exported.files as u32,
            bytes: exported.bytes,
        })
    }

    /// Takes in a business's file; with [`ImportChoice::Ask`], a business already here
    /// is refused with `bundle_exists` so the person can choose.
    pub fn take_in(
        &mut self,
        path: &Path,
        passphrase: &str,
        choice: ImportChoice,
    ) -> Outcome<TakenIn> {
        self.close_business();
        let conflict = match choice {
            ImportChoice::Ask => None,
            ImportChoice::KeepBoth => Some(Conflict::KeepBoth),
            ImportChoice::Replace => Some(Conflict::Replace),
        };
        let library = self.library()?;
        let imported = library
            .import_bundle(path, passphrase, conflict)
            .map_err(|e| self.fail(e))?;
        Ok(TakenIn {
            locked: library.is_locked(&imported.id),
            id: imported.id.into(),
            name: imported.name,
            replaced: imported.replaced,
        })
    }
}
