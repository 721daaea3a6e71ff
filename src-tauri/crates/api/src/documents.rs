//! Content-addressed documents and their resumable uploads. A document is known by the
//! SHA-256 of its bytes; the client asks `HEAD /v1/documents/{sha256}` before sending
//! any byte, and uploads by offset so a cut connection resumes where it stopped.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The largest document the server takes, in bytes (the catalogue's own limits are
/// smaller; this one protects the server).
pub const MAX_DOCUMENT_BYTES: u64 = 25 * 1024 * 1024;
/// The largest chunk one `PATCH` may carry, in bytes.
pub const MAX_CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// Uploads one account may have unfinished at a time.
pub const MAX_UNFINISHED_UPLOADS: u32 = 20;
/// Hours an unfinished upload is kept; then its bytes are dropped.
pub const UPLOAD_EXPIRY_HOURS: i64 = 24;

/// `POST /v1/uploads`: the size and hash of the whole file, known before sending it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUpload {
    /// In bytes, at least 1 and at most [`MAX_DOCUMENT_BYTES`].
    pub size: u64,
    /// SHA-256 of the whole file, 64 lowercase hex digits.
    pub sha256: String,
}

/// Where an upload stands. `offset` is how many bytes the server holds; the next chunk
/// must start there.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct UploadStatus {
    /// The upload's id, for its `PATCH` and `HEAD` requests.
    pub id: Uuid,
    /// The whole file's size in bytes, as declared.
    pub size: u64,
    /// Bytes the server holds: where the next chunk starts.
    pub offset: u64,
    /// SHA-256 of the whole file, as declared.
    pub sha256: String,
    /// True once every byte arrived and matched the hash: the document is stored.
    pub complete: bool,
}

/// A document referenced from a submission.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    /// The requirement it satisfies, such as `CSF`.
    pub requirement: String,
    /// SHA-256 of the file, which must have been uploaded by the same account.
    pub sha256: String,
}
