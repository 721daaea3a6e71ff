//! The acuse of a sent submission, printed only from the receipt that verified and
//! was kept with it.

use ventanilla_api::Receipt;
use ventanilla_core::acuse::{self, AcuseFacts, AcuseSignature, AcuseSubject};
use ventanilla_store::{OutboxItem, StoredReceipt, SubmissionKind};

/// The receipt kept when it verified, read back; `None` before one arrived.
pub fn verified_receipt(item: &OutboxItem) -> Option<(Receipt, &StoredReceipt)> {
    let stored = item.receipt.as_ref()?;
    let receipt: Receipt = serde_json::from_str(&stored.json).ok()?;
    Some((receipt, stored))
}

/// What a submission of `kind` sends, as an acuse or a report names it.
pub fn subject_of(kind: &SubmissionKind) -> AcuseSubject {
    match kind {
        SubmissionKind::Registration => AcuseSubject::Registration,
        SubmissionKind::Bid { ocid } => AcuseSubject::Bid { ocid: ocid.clone() },
        SubmissionKind::Question { ocid } => AcuseSubject::Question { ocid: ocid.clone() },
    }
}

/// The printable acuse of `item`, a submission of the business `business_name`;
/// `None` while it has no verified receipt.
pub fn acuse_pdf(item: &OutboxItem, business_name: &str) -> Option<Vec<u8>> {
    let (receipt, stored) = verified_receipt(item)?;
    let subject = subject_of(&item.submission.kind);
    Some(acuse::acuse_pdf(&AcuseFacts {
        subject: &subject,
        business_name,
        rfc: &receipt.subject_rfc,
        submission: &item.submission.id,
        folio: &receipt.receipt_id.to_string(),
        server_time: receipt.server_time,
        payload_sha256: &receipt.payload_sha256,
        key_id: &stored.key_id,
        log_index: receipt.log_index,
        verified_at: stored.verified_at,
        efirma: receipt
            .signature_sha256
            .as_deref()
            .map(|sha256| AcuseSignature {
                signer: receipt.signer.as_deref().unwrap_or_default(),
                certificate_number: receipt
                    .signer_certificate_number
                    .as_deref()
                    .unwrap_or_default(),
                sha256,
                revocation_checked: receipt
                    .signer_revocation
                    .map(|r| r == ventanilla_api::Revocation::Good),
            }),
    }))
}
