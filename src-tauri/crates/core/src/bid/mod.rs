//! A bid (propuesta) on a tender, as the owner prepares it: the technical part per item,
//! the economic part, the documents the tender asks for, and the declarations; its
//! review (exactly what is missing, time left, whether the tender moved since), and its
//! frozen form for sending.
//!
//! Like the registration, everything is kept as typed and judged on reading, so a
//! price typed with a decimal comma is explained, never lost.

mod declaration;
mod economic;
mod freeze;
mod model;
mod review;

pub use declaration::{declaration_text, declarations_for, Declaration};
pub use economic::{economic, Line};
pub use freeze::{freeze, DocumentHash, FreezeError, FrozenBid};
pub use model::{
    current_tender, Annex, BidDraft, ItemDraft, ItemField, DEFAULT_PRICE_VALIDITY_DAYS,
};
pub use review::{
    checklist_procedure, deadline_passed, review_bid, tender_documents, BidIssue, BidIssueView,
    BidReview, Bidder, DeclarationText, Tab,
};
