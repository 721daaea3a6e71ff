//! Accounts and sessions. A supplier account belongs to one RFC; an operator account
//! (chamber of commerce staff) acts for the businesses it registered until their
//! owners claim them, and then only where an owner delegates ([`crate::ownership`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted: hashing is deliberately slow, so the input is bounded.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The longest email accepted (RFC 5321's limit for a path): longer ones are refused
/// before anything is looked up or remembered.
pub const MAX_EMAIL_CHARS: usize = 254;

/// Who an account is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A business acting for itself: its RFC is fixed at sign-up.
    Supplier,
    /// Chamber staff registering businesses in an assisted session.
    Operator,
}

/// `POST /v1/accounts`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    pub role: Role,
    pub email: String,
    pub password: String,
    /// Required for a supplier, absent for an operator.
    #[serde(default)]
    pub rfc: Option<String>,
    /// The handover code the operator that registered the supplier's RFC issued
    /// (`POST /v1/suppliers/{rfc}/handover`): required to claim an RFC an operator
    /// holds, refused anywhere else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<String>,
}

/// An account as the API shows it (never its password).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Account {
    pub id: Uuid,
    pub role: Role,
    /// Lowercased and trimmed.
    pub email: String,
    /// The supplier's RFC, normalized; `null` for an operator.
    pub rfc: Option<String>,
}

/// `POST /v1/session`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

/// A bearer token, sent as `Authorization: Bearer <token>` until it expires or is
/// revoked with `DELETE /v1/session`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Session {
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    pub expires_at: DateTime<Utc>,
    pub account: Account,
}
