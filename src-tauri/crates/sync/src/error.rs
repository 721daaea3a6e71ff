//! What can go wrong talking to the server, sorted by what to do about it: wait and
//! retry (transient), stop the item for a person to look at, or stop the whole drain.

use ventanilla_api::Problem;
use ventanilla_core::{Failure, FailureCode, Locale};
use ventanilla_store::StoreError;

/// A failed exchange with the server, or with the local files it needed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No server address is set.
    #[error("no server address is set")]
    NoServer,
    /// Nobody is signed in, or the session expired or was revoked (with the server's
    /// or a technical detail, for logs).
    #[error("not signed in: {0}")]
    SignedOut(String),
    /// No answer: no network, refused connection, timeout, a cut (a technical detail,
    /// for logs).
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    /// The server said it is busy or failing (408, 429, 5xx).
    #[error("the server answered {status}: {detail}")]
    Busy {
        /// The HTTP status.
        status: u16,
        /// The server's explanation, or the status's name.
        detail: String,
    },
    /// The server answered with a redirect to another address, which is not followed:
    /// it would carry the request (a password, a registration) there.
    #[error("the server answered {status}, a redirect, which is not followed")]
    Redirected {
        /// The HTTP status (3xx).
        status: u16,
    },
    /// The answer is longer than its endpoint can need: not the alcaldía's API.
    #[error("the answer is longer than {limit} bytes")]
    TooLarge {
        /// The endpoint's cap, in bytes.
        limit: usize,
    },
    /// An answer that is not what the contract says (HTML, garbage, truncated JSON).
    #[error("the server's answer ({status}) could not be read: {}", .what.to_json())]
    Unreadable {
        /// The HTTP status.
        status: u16,
        /// What the answer looked like, for support.
        what: Failure,
    },
    /// The server refused the request for a reason a person must fix.
    #[error("the server refused it ({status}): {detail}")]
    Refused {
        /// The HTTP status (4xx).
        status: u16,
        /// The server's own Spanish explanation.
        detail: String,
        /// The problem+json answer, when the server sent one.
        problem: Option<Box<Problem>>,
    },
    /// The receipt does not prove the server accepted this submission.
    #[error("the receipt was not accepted: {}", .0.to_json())]
    Receipt(Failure),
    /// The server's signing key is not the one pinned at first contact.
    #[error("the receipt-signing key changed from {pinned} to {published}")]
    KeyChanged {
        /// The id of the key trusted so far (or the one the person was shown).
        pinned: String,
        /// The id of the key the server publishes now.
        published: String,
    },
    /// A file the submission references is not in the vault as it was attached.
    #[error("document {sha256} is missing or altered in the vault: {}", .reason.to_json())]
    Document {
        /// The file's SHA-256.
        sha256: String,
        /// Missing or altered, for support.
        reason: Failure,
    },
    /// The local files failed (the outbox, the vault, the settings).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Worth retrying later on its own: nothing a person must change.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SyncError::Unreachable(_) | SyncError::Busy { .. } | SyncError::Unreadable { .. }
        )
    }

    /// Stops the whole drain, not only the item: every item would meet it.
    pub fn stops_the_drain(&self) -> bool {
        matches!(
            self,
            SyncError::NoServer
                | SyncError::SignedOut(_)
                | SyncError::Redirected { .. }
                | SyncError::KeyChanged { .. }
                | SyncError::Store(_)
        )
    }

    /// A stable code for the UI, the CLI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::NoServer => "no_server",
            SyncError::SignedOut(_) => "signed_out",
            SyncError::Unreachable(_) => "offline",
            SyncError::Busy { .. } => "server_busy",
            SyncError::Redirected { .. } => "redirected",
            SyncError::TooLarge { .. } => "answer_too_large",
            SyncError::Unreadable { .. } => "bad_answer",
            SyncError::Refused { .. } => "refused",
            SyncError::Receipt(_) => "receipt_invalid",
            SyncError::KeyChanged { .. } => "key_changed",
            SyncError::Document { .. } => "document_missing",
            SyncError::Store(e) => e.code(),
        }
    }

    /// What happened and what to do, as a value to word in any language (and to keep
    /// as an item's last error).
    pub fn failure(&self) -> Failure {
        use FailureCode as C;
        match self {
            SyncError::NoServer => C::NoServer.into(),
            SyncError::SignedOut(_) => C::SignedOut.into(),
            SyncError::Unreachable(_) => C::Offline.into(),
            SyncError::Busy { status, .. } => Failure::from(C::ServerBusy).with("status", status),
            SyncError::Redirected { status } => Failure::from(C::Redirected).with("status", status),
            SyncError::TooLarge { limit } => {
                Failure::from(C::AnswerTooLarge).with("size", size_text(*limit))
            }
            SyncError::Unreadable { status, what } => Failure::from(C::BadAnswer)
                .with("status", status)
                .with_reason("what", what.clone()),
            SyncError::Refused { detail, .. } => Failure::from(C::Refused).with("detail", detail),
            SyncError::Receipt(why) => {
                Failure::from(C::ReceiptInvalid).with_reason("reason", why.clone())
            }
            SyncError::KeyChanged { pinned, published } => Failure::from(C::KeyChanged)
                .with("pinned", pinned)
                .with("published", published),
            SyncError::Document { reason, .. } => {
                Failure::from(C::DocumentMissing).with_reason("reason", reason.clone())
            }
            SyncError::Store(e) => e.failure(),
        }
    }

    /// What happened and what to do, in Spanish (the CLI's words).
    pub fn message(&self) -> String {
        self.failure().message(Locale::Es)
    }
}

/// A byte count in words: "4 KiB", "64 MiB".
fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

/// Result alias for this crate.
pub type Result<T, E = SyncError> = std::result::Result<T, E>;
