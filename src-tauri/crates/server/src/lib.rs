//! The reference alcaldía API server: the sandbox Ventanilla runs against out of the
//! box, the executable truth of the contract in `ventanilla-api`, and the peer every
//! sync test talks to. axum on tokio; SQLite or PostgreSQL behind the [`storage::Storage`] trait;
//! receipts signed with Ed25519 and chained in an append-only log.
//!
//! [`App::open`] prepares a data folder and [`serve`] answers on a listener; the
//! `ventanilla-server` binary wraps both, plus the alcaldía's commands ([`admin`]).

pub mod admin;
mod app;
pub mod banks;
pub mod blobs;
mod bridge;
mod chain;
pub mod clock;
mod codes;
mod committer;
#[cfg(test)]
mod conformance;
mod credentials;
pub mod database;
pub mod efirma;
mod error;
mod extract;
mod files;
mod inflight;
mod limiter;
pub mod postgres;
mod routes;
mod s3;
mod sandbox;
pub mod sessions;
mod signing;
pub mod sqlite;
pub mod storage;
pub mod test_fiel;

pub use app::{serve, App, Config, StartError};
