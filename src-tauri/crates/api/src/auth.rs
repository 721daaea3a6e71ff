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
    /// Supplier or operator; fixed for the account's life.
    pub role: Role,
    /// Where the account is reached; compared lowercased and trimmed, one account per address.
    pub email: String,
    /// Between [`MIN_PASSWORD_CHARS`] and [`MAX_PASSWORD_CHARS`] characters; only its hash is kept.
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
    /// The account's id, fixed at sign-up.
    pub id: Uuid,
    /// Supplier or operator.
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
    /// The account's email, in any case.
    pub email: String,
    /// The account's password.
    pub password: String,
}

/// A bearer token, sent as `Authorization: Bearer <token>` until it expires or is
/// revoked with `DELETE /v1/session`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Session {
    /// The secret to send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// After this instant the token is refused and the client signs in again.
    pub expires_at: DateTime<Utc>,
    /// The account signed in.
    pub account: Account,
}
