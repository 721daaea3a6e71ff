//! The supplier registration (alta en el padrón de proveedores): the draft exactly as
//! the person typed it, and its [`review`]: what is missing or wrong, section by section,
//! and whether it can be sent.
//!
//! The draft keeps raw text on purpose: nothing typed is ever lost, even when invalid,
//! so a person can fill the form over several evenings and fix things at their pace.

mod draft;
mod fields;
mod review;
mod values;

pub use draft::{persona_of, size_of, RegistrationDraft, Representative};
pub use fields::{Field, Persona, Section};
pub use review::{review, Review, ReviewFacts, SectionReview};
