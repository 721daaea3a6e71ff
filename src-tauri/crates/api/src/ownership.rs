//! Who acts for an RFC. Its *owner* is the supplier account created with it. Until one
//! exists, the operator that registered the business (its *registrar*) holds it, and
//! hands it over with a one-time code: the owner signs up presenting it
//! ([`crate::auth::SignUp::handover`]) and from then on holds the RFC alone. An owner
//! lets an operator act for it again only through a delegation, which expires and
//! which the owner may revoke at any time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The longest a delegation may last, in days.
pub const MAX_DELEGATION_DAYS: i64 = 366;

/// The answer of `POST /v1/suppliers/{rfc}/handover`: a code for the business's owner
/// to present when creating its supplier account. Issuing another voids this one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Handover {
    /// The RFC the code hands over.
    pub rfc: String,
    /// Twelve letters and digits in groups of four (`7KQF-9XMA-3TDE`); dashes, spaces
    /// and case do not matter when presented.
    pub code: String,
    /// After this instant the code claims nothing.
    pub expires_at: DateTime<Utc>,
}

/// `POST /v1/suppliers/{rfc}/delegations`: the owner lets an operator act for its RFC
/// (register, read its status, bid) until `expires_at`. Granting again to the same
/// operator replaces the expiry.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelegationGrant {
    /// The operator account's email.
    pub operator_email: String,
    /// In the future, and at most [`MAX_DELEGATION_DAYS`] days ahead.
    pub expires_at: DateTime<Utc>,
}

/// A current delegation. Revoked with
/// `DELETE /v1/suppliers/{rfc}/delegations/{operator_id}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Delegation {
    /// The RFC the operator may act for.
    pub rfc: String,
    /// The operator account's id.
    pub operator_id: Uuid,
    /// The operator account's email.
    pub operator_email: String,
    /// When the owner granted it (or last extended it).
    pub granted_at: DateTime<Utc>,
    /// After this instant the operator may no longer act for the RFC.
    pub expires_at: DateTime<Utc>,
}

/// The answer of `GET /v1/suppliers/{rfc}/delegations`: the current ones, soonest to
/// expire first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Delegations {
    /// The current delegations, soonest to expire first.
    pub delegations: Vec<Delegation>,
}

/// A handover code as compared: without dashes or spaces, in capitals.
pub fn normalize_handover_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_compared_without_dashes_spaces_or_case() {
        assert_eq!(normalize_handover_code(" 7kqf-9xma 3tde "), "7KQF9XMA3TDE");
    }
}
