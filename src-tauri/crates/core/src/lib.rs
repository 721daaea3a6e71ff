//! Ventanilla's domain, free of IO: Mexican identifiers (RFC, CURP, CLABE) and their
//! check digits, the catalogue of banks a CLABE names, the MiPyME business size, and
//! the supplier registration with its review ("what is missing or wrong"), tenders as
//! a bidder sees them and how they are read out of any publisher's OCDS file (from a
//! reader, streaming), exact money, the bids prepared on tenders with their printable
//! proposal, and the frozen canonical form of a submission. Everything the app, the
//! CLI and the server decide about a supplier is decided here, so they all decide it
//! the same way.

#![deny(missing_docs)]

pub mod acuse;
pub mod appointments;
pub mod banks;
pub mod bid;
pub mod catalog;
pub mod checklist;
pub mod day_report;
pub mod failure;
pub mod filecheck;
pub mod fit;
pub mod identifiers;
pub mod message;
pub mod money;
pub mod ocds;
pub mod proposal;
pub mod registration;
pub mod size;
pub mod snapshot;
pub mod stamp;
pub mod tender;
pub mod text;

pub use failure::{Failure, FailureCode};
pub use identifiers::{clabe, curp, rfc, Verdict};
pub use message::{Code, Issue, IssueView, Locale, Severity};
pub use registration::{
    review, Field, Persona, RegistrationDraft, Representative, Review, ReviewFacts, Section,
    SectionReview,
};
pub use size::{Sector, Size, SizeAssessment};
