//! The receipt log's hash chain, whichever database keeps it: where the log continues
//! (its head), how a submission's receipt takes the next place (sealed with its index
//! and the hash of the entry before it, so that the signature covers its place), and
//! the receipt columns both schemas share.

use ventanilla_api::receipt::GENESIS_HASH;
use ventanilla_api::Receipt;

use crate::storage::{Result, Seal, StorageError, Submission};

/// The columns of a `receipt` row, in the order every query reads them.
const RECEIPT_FIELDS: [&str; 14] = [
    "receipt_id",
    "kind",
    "subject_rfc",
    "payload_sha256",
    "server_time",
    "log_index",
    "previous_hash",
    "signature",
    "entry_hash",
    "account_id",
    "signature_sha256",
    "signer",
    "signer_certificate_number",
    "signer_revocation",
];

/// The receipt columns, each qualified with `prefix` (such as `r.`).
pub(crate) fn receipt_columns(prefix: &str) -> String {
    RECEIPT_FIELDS.map(|f| format!("{prefix}{f}")).join(", ")
}

/// Where the log continues: the next index and the hash the next entry chains to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LogHead {
    pub index: u64,
    pub previous: String,
}

impl LogHead {
    /// The head of an empty log.
    pub fn genesis() -> LogHead {
        LogHead {
            index: 0,
            previous: GENESIS_HASH.to_owned(),
        }
    }
}

/// A receipt sealed in its place, with the hash of its entry.
pub(crate) struct Sealed {
    pub receipt: Receipt,
    pub entry_hash: String,
}

impl Sealed {
    /// Seals `submission`'s receipt as the entry at `head`.
    pub fn at(head: &LogHead, submission: &Submission, seal: Seal<'_>) -> Result<Sealed> {
        let mut receipt = submission.receipt.clone();
        receipt.log_index = head.index;
        receipt.previous_log_hash = head.previous.clone();
        seal(&mut receipt);
        let entry_hash = receipt
            .entry_hash()
            .map_err(|e| StorageError::Corrupt(format!("sealed receipt: {e}")))?;
        Ok(Sealed {
            receipt,
            entry_hash,
        })
    }

    /// Where the log continues after this entry.
    pub fn next_head(&self) -> LogHead {
        LogHead {
            index: self.receipt.log_index + 1,
            previous: self.entry_hash.clone(),
        }
    }
}
