//! The registration in the padrón de proveedores and its review.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::documents::DocumentRef;
use crate::receipt::Receipt;

/// `PUT /v1/suppliers/{rfc}/registration`: a frozen snapshot of the supplier's file.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationSubmission {
    /// Fixed when the draft was created; also sent as the `Idempotency-Key`.
    pub submission_id: Uuid,
    /// The supplier's RFC, the same as in the path.
    pub rfc: String,
    /// Has workers registered with IMSS, so the social-security documents apply.
    pub employer: bool,
    /// The registration as canonical JSON text (an object). The receipt signs the
    /// SHA-256 of exactly these bytes, so they travel as a string.
    pub snapshot: String,
    /// The documents, by requirement code and hash.
    pub documents: Vec<DocumentRef>,
    /// The e.firma (FIEL) of the business: standard base64 of the DER detached CMS
    /// SignedData (`.p7s`) made over exactly the UTF-8 bytes of `snapshot` (SHA-256
    /// with RSA, the signer's certificate embedded). A server with a trust store refuses
    /// a submission without it (`efirma/missing`); the receipt binds its SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Byte)]
    pub signature: Option<String>,
}

/// The answer to an accepted registration (201, and each replay of it).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct RegistrationAccepted {
    /// The submission's id, as sent.
    pub submission_id: Uuid,
    /// The supplier's RFC, normalized.
    pub rfc: String,
    /// Always `en_revision` on acceptance.
    pub status: ReviewStatus,
    /// The signed receipt of the registration.
    pub receipt: Receipt,
}

/// Where a registration stands with the alcaldía.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Received, not yet reviewed.
    EnRevision,
    /// Accepted into the padrón: the supplier may bid.
    Aprobado,
    /// See the observations for what to correct.
    Rechazado,
}

/// `GET /v1/suppliers/{rfc}`: the latest registration's review.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct SupplierStatus {
    /// The supplier's RFC, normalized.
    pub rfc: String,
    /// Where the latest registration stands.
    pub status: ReviewStatus,
    /// The submission the status is about.
    pub submission_id: Uuid,
    /// When the server accepted that registration.
    pub submitted_at: DateTime<Utc>,
    /// When a reviewer decided on it; absent while in review.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The reviewer's remarks, per document.
    pub observations: Vec<Observation>,
}

/// A reviewer's remark about one document.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Observation {
    /// The requirement code, such as `OPINION_SAT`.
    pub requirement: String,
    /// What is wrong and what to do, in Spanish.
    pub text: String,
}
