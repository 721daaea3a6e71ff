//! Ventanilla's desk: every operation the app's window offers, as plain Rust on the
//! person's data folder, with no Tauri in it. [`Desk`] opens the library and answers
//! in the IPC view types ([`views`] and each area's own), which derive the TypeScript
//! the webview is written against (`ui/src/lib/bindings.ts`).
//!
//! The desktop shell (`ventanilla-app`) only locks a desk, calls one operation and
//! forwards the answer; the CLI and the benchmarks call the same operations. The desk
//! decides nothing itself either: rules live in `ventanilla-core`, files in
//! `ventanilla-store`, the talk with the alcaldía's server in `ventanilla-sync`.

#![deny(missing_docs)]

pub mod appointments;
pub mod bids;
pub mod desk;
pub mod documents;
mod error;
pub mod fiel;
pub mod fits;
pub mod ids;
pub mod locks;
pub mod outbox;
pub mod queue;
pub mod report;
pub mod tenders;
pub mod views;

pub use desk::Desk;
