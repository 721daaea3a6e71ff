//! Ventanilla's local storage.
//!
//! `<data>/app.db` holds what is shared: settings, the requirement catalogue in use,
//! the tender catalogue and the index of businesses with the summary the home screen
//! shows. Each business lives
//! in its own folder, `<data>/businesses/<id>/`, with its own `business.db` and its
//! document vault, `vault/`, so that exporting, wiping or locking one business never
//! touches another, and a damaged file only takes down the business it belongs to.
//! Each business's outbox (frozen submissions, their state on the way to the server,
//! verified receipts) lives in its own database too, and so do the paths of its
//! e.firma files (the files themselves stay where the person keeps them); the server's address and pinned
//! key live in `app.db`, the session token in a file of its own.
//! Schemas move forward through numbered migrations run at open. Every folder and file
//! is created readable by its owner only, whatever the umask; a database that is
//! empty is damage, never given a fresh schema over the data it lost (an empty or
//! missing `app.db` is rebuilt from the business folders, as a damaged one is).

#![deny(missing_docs)]

mod activity;
mod appointments;
mod bids;
mod bundle;
mod business;
mod error;
mod fiel;
mod fits;
mod library;
mod lock;
mod migrate;
mod outbox;
mod private;
mod sealed;
mod search;
mod server;
mod tenders;
mod vault;

pub use appointments::Appointment;
pub use bids::{BidEntry, BidState, StoredBid};
pub use bundle::{
    check_passphrase, Conflict, Exported, Imported, BUNDLE_EXTENSION, MIN_PASSPHRASE_CHARS,
};
pub use business::BusinessStore;
pub use error::{damage_message, StoreError};
pub use fiel::RememberedFiel;
pub use fits::{Activity, FitEntry, FitRecord, NoticeKind, PendingNotice};
pub use library::{default_data_dir, BusinessEntry, Health, Library, Summary, APP_IDENTIFIER};
pub use lock::generate_passphrase;
pub use outbox::{
    OutboxItem, OutboxState, ReviewRecord, StoredReceipt, Submission, SubmissionKind,
    SubmittedDocument,
};
pub use server::{check_server_address, PinnedKey, Token};
pub use tenders::{
    is_open, ImportProgress, ImportSummary, StatusFilter, TenderEntry, TenderQuery, TenderSource,
};
pub use vault::{Document, Integrity, VaultFile};

/// Instants are written as text of one fixed width, so SQL orders and compares them
/// as time, and read back with rusqlite's `DateTime<Utc>`.
pub(crate) use ventanilla_core::stamp::format as stamp;

/// The current instant as stored.
pub(crate) fn now() -> String {
    stamp(ventanilla_core::stamp::now())
}

/// Result alias for this crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
