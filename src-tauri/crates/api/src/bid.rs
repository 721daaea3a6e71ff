//! Bids (propuestas) on a tender.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::documents::DocumentRef;
use crate::ocds::Money;
use crate::receipt::Receipt;

/// `POST /v1/tenders/{ocid}/bids`: a frozen bid.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidSubmission {
    /// Fixed when the draft was created; also sent as the `Idempotency-Key`. It
    /// becomes the bid's id.
    pub submission_id: Uuid,
    /// The bidder, which must be registered and acted for by the caller.
    pub tenderer_rfc: String,
    /// The bid (technical, economic and legal parts) as canonical JSON text (an
    /// object); the receipt signs the SHA-256 of exactly these bytes.
    pub snapshot: String,
    /// The total, IVA included, in MXN.
    pub value: Money,
    /// Annexes and registered documents, by hash.
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
}

/// A bid as its bidder sees it: the answer to a submission (201, and each replay) and
/// to `GET /v1/tenders/{ocid}/bids/{id}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct BidRecord {
    /// The bid's id: the submission's `submission_id`.
    pub bid_id: Uuid,
    /// The tender's contracting process id.
    pub ocid: String,
    /// The bidder's RFC, normalized.
    pub tenderer_rfc: String,
    /// The total, IVA included, in MXN.
    pub value: Money,
    /// When the server accepted it, by the server's clock (before the deadline).
    pub submitted_at: DateTime<Utc>,
    /// The signed receipt of the bid.
    pub receipt: Receipt,
}
