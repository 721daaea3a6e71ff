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
    /// The e.firma (FIEL) of the business: standard base64 of the DER detached CMS
    /// SignedData (`.p7s`) made over exactly the UTF-8 bytes of `snapshot` (SHA-256
    /// with RSA, the signer's certificate embedded). A server with a trust store refuses
    /// a submission without it (`efirma/missing`); the receipt binds its SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub signature: Option<String>,
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
