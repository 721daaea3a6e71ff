//! The alcaldía API contract, shared by Ventanilla's client and the reference server:
//! every body that crosses the wire ([`auth`], [`ownership`], [`documents`],
//! [`registration`], [`bid`], [`enquiry`], the OCDS shapes in [`ocds`], the purchasing figures in
//! [`stats`]), the problem+json errors
//! ([`problem`]), the e.firma a submission carries ([`signature`]), the signed receipts
//! and their log ([`receipt`]), and the OpenAPI 3.1
//! document built from all of them ([`openapi`]). One definition per shape, so client
//! and server cannot disagree about a field.

#![deny(missing_docs)]

pub mod auth;
pub mod bid;
pub mod documents;
pub mod enquiry;
pub mod ocds;
pub mod openapi;
pub mod ownership;
pub mod problem;
pub mod receipt;
pub mod registration;
pub mod signature;
pub mod stats;

pub use problem::{FieldError, Problem, ProblemType};
pub use receipt::{
    LogEntry, LogPage, PublicKey, PublicKeys, Receipt, ReceiptError, ReceiptKind, Revocation,
};

/// Names the header that makes a submission safe to resend; its value is the
/// submission's own UUID.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// Names the header that carries an upload's byte offset (as in tus).
pub const UPLOAD_OFFSET: &str = "Upload-Offset";
/// Names the header that carries an upload's total size.
pub const UPLOAD_LENGTH: &str = "Upload-Length";
/// The media type of a chunk sent to an upload.
pub const UPLOAD_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// The answer of `GET /v1/health`.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq, utoipa::ToSchema)]
pub struct Health {
    /// `ok` once the server can take requests.
    pub status: String,
    /// The server's version.
    pub version: String,
    /// The database the server keeps its data in: `sqlite` or `postgres` (absent from
    /// servers older than the choice).
    #[serde(default)]
    pub backend: String,
    /// Where it keeps documents: `file` (its disk) or `s3` (an object store; absent
    /// from servers older than the choice).
    #[serde(default)]
    pub documents: String,
}

/// Whether `text` is a SHA-256 digest as the API writes it: 64 lowercase hex digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The SHA-256 of `bytes` as the API writes it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
