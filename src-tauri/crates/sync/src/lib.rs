//! Ventanilla's client of the alcaldía API, offline first.
//!
//! - [`session`]: sign-up and sign-in (the token kept apart by the store), and the
//!   server's receipt-signing key, pinned at first contact; a changed key stops
//!   everything with a warning.
//! - [`submit`]: freezing a complete registration into a snapshot queued in the
//!   business's outbox, in one transaction, with or without a connection.
//! - [`drain`]: sending what is queued when the server answers: documents asked for
//!   by hash and uploaded in resumable chunks, then each submission with its
//!   idempotency key (so a resend is harmless), retries with capped, jittered backoff
//!   for transient failures, the server's own message kept on a refused item, and a
//!   receipt verified (signature, hash, kind, RFC, id, clock) before anything is
//!   marked sent; then the review status pulled back and the requirement and bank
//!   catalogues refreshed with their ETags. Every summary lists everything still not
//!   sent (held items, queued ones, damaged businesses holding some), whichever drain
//!   met it; [`retry_held`] puts held items back in the queue.
//! - [`acuse`]: the printable acuse of a sent submission, from its verified receipt.
//! - [`client`]: no server trusted blindly (https unless on this computer, no
//!   redirect followed, answers capped per endpoint, stalled connections given up).
//!
//! A submission has a kind (registration, or a bid on a tender); the drain routes each
//! kind to its endpoint and checks its receipt the same way, so bids plug in by
//! queueing a `SubmissionKind::Bid` with an `api::bid::BidSubmission` body.

#![deny(missing_docs)]

pub mod acuse;
pub mod client;
pub mod drain;
pub mod error;
pub mod session;
pub mod submit;

pub use client::{Client, ClientOptions, RetryPolicy};
pub use drain::{
    retry_held, verify_receipt, DamagedReport, Drain, DrainOptions, DrainSummary, ItemReport,
    Progress, Retry, Stop,
};
pub use error::SyncError;
pub use session::{
    accept_new_key, check_key, client_for, issue_handover, sign_in, sign_out, sign_up, NewAccount,
};
pub use submit::{
    missing_for_registration, queue_bid, queue_question, queue_registration, SubmitError,
};

/// Drains every business's outbox once (see [`Drain`]).
pub async fn sync_now(
    library: &ventanilla_store::Library,
    options: DrainOptions,
    progress: &(dyn Fn(&Progress) + Sync),
) -> DrainSummary {
    Drain::new(library, options, progress).run().await
}
