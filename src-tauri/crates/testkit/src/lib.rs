//! Ventanilla's test kit, for the tests of every crate and for the bench: the real
//! reference server on loopback ([`Server`], on a [`Background`] runtime), a
//! fault-injecting proxy in front of it ([`Proxy`] with its [`Faults`]), complete
//! businesses ready to submit ([`complete_business`], [`queued_registration`]),
//! hand-built files and facts ([`fixtures`]: PDFs, qpdf and pdftotext, a business, a
//! tender, an OCDS package), and a test CA issuing SAT-shaped FIELs and CSDs with
//! `openssl` ([`efirma`]), a throwaway PostgreSQL cluster with a database per test
//! ([`postgres`]) and an S3-compatible object store with a bucket per test ([`objects`]).
//!
//! It depends on the production crates and they take it only as a dev-dependency, so
//! no test helper ships in a production build. A production crate's own unit tests may
//! use what here deals in bytes and paths (the PDFs, the CA) but not what holds its
//! types: those are another build of the crate there (see `docs/ARCHITECTURE.md`).

#![deny(missing_docs)]
// A test kit fails the test it serves by panicking.
#![allow(clippy::unwrap_used)]

mod businesses;
pub mod fixtures;
mod loopback;
pub mod objects;
pub mod postgres;
mod proxy;

pub use businesses::{
    complete_bid, complete_business, open_tender, queued_registration, ready_bid, rfc_for,
    DOCUMENTS,
};
pub use loopback::{scratch, Background, Server, PASSWORD};
pub use proxy::{Faults, Proxy, Rng};
pub use ventanilla_server::test_fiel as efirma;
