//! Signed receipts and the append-only log that orders them.
//!
//! The server signs each acceptance with Ed25519 over [`Receipt::signed_bytes`]; the
//! client checks it with the key from `GET /v1/keys` before telling anyone "received".
//! Every receipt takes the next position in one log and names the hash of the entry
//! before it, so a log that was rewritten no longer chains.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// `previous_log_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was accepted.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    /// A registration in the padrón de proveedores.
    Registration,
    /// A bid on a tender.
    Bid,
}

impl ReceiptKind {
    /// The kind as written in [`Receipt::signed_bytes`] and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptKind::Registration => "registration",
            ReceiptKind::Bid => "bid",
        }
    }
}

/// What the server learnt, when it received a signed submission, of whether the SAT had
/// revoked the signer's certificate.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Revocation {
    /// The SAT's OCSP responder answered that the certificate was not revoked.
    Good,
    /// Not checked: the server has no OCSP responder configured, or it did not answer
    /// in time or with an answer that could be trusted ("no verificada").
    Unverified,
}

impl Revocation {
    /// As written in [`Receipt::signed_bytes`] and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Revocation::Good => "good",
            Revocation::Unverified => "unverified",
        }
    }

    /// Reads [`Revocation::as_str`]'s words back.
    pub fn parse(text: &str) -> Option<Revocation> {
        [Revocation::Good, Revocation::Unverified]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// The server's signed word that it accepted a submission.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Receipt {
    /// The receipt's id, for looking it up again.
    pub receipt_id: Uuid,
    /// Whether a registration or a bid was accepted.
    pub kind: ReceiptKind,
    /// The RFC of the supplier the submission is about.
    pub subject_rfc: String,
    /// SHA-256 of the submitted snapshot's bytes.
    pub payload_sha256: String,
    /// When the server accepted it, by the server's clock.
    pub server_time: DateTime<Utc>,
    /// Its position in the receipt log, from 0.
    pub log_index: u64,
    /// The hash of the log entry before it ([`GENESIS_HASH`] for the first).
    pub previous_log_hash: String,
    /// Ed25519 signature of [`Receipt::signed_bytes`], standard base64.
    pub signature: String,
    /// For a submission signed with an e.firma: the SHA-256 (hex) of its `.p7s` bytes,
    /// which the server verified over the snapshot. Absent for an unsigned one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_sha256: Option<String>,
    /// The signer, as its FIEL certificate names the holder (a person or a company).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The signer certificate's número de certificado (20 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_certificate_number: Option<String>,
    /// Whether the signer's certificate was checked against revocation at receipt.
    /// Absent for an unsigned submission and on receipts issued before the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_revocation: Option<Revocation>,
}

/// Why a receipt or a key was not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// A key that is not 32 bytes of base64.
    #[error("the public key is not 32 bytes of base64")]
    MalformedKey,
    /// A signature that is not 64 bytes of base64.
    #[error("the signature is not 64 bytes of base64")]
    MalformedSignature,
    /// A well-formed signature that the key did not make over these bytes.
    #[error("the signature does not match the receipt")]
    BadSignature,
}

impl Receipt {
    /// The exact bytes the signature covers: a version line, then each field on its own
    /// line, the time in RFC 3339 UTC. Signer and verifier both build them here. A
    /// receipt of a signed submission is `v2`: the e.firma's SHA-256, its certificate
    /// number and its signer (as a JSON string, being free text) follow; an unsigned
    /// one keeps `v1`'s bytes, so receipts issued before e.firma still verify. With the
    /// revocation check's outcome it is `v3`: that word follows on a last line.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let (version, efirma) = match &self.signature_sha256 {
            None => ("v1", String::new()),
            Some(sha256) => {
                let efirma = format!(
                    "\n{sha256}\n{}\n{}",
                    self.signer_certificate_number.as_deref().unwrap_or(""),
                    serde_json::Value::from(self.signer.as_deref().unwrap_or("")),
                );
                match self.signer_revocation {
                    None => ("v2", efirma),
                    Some(revocation) => ("v3", format!("{efirma}\n{}", revocation.as_str())),
                }
            }
        };
        format!(
            "ventanilla-receipt-{version}\n{}\n{}\n{}\n{}\n{}\n{}\n{}{efirma}",
            self.receipt_id,
            self.kind.as_str(),
            self.subject_rfc,
            self.payload_sha256,
            self.server_time
                .to_rfc3339_opts(SecondsFormat::AutoSi, true),
            self.log_index,
            self.previous_log_hash,
        )
        .into_bytes()
    }

    /// The signature's raw bytes.
    pub fn signature_bytes(&self) -> Result<[u8; 64], ReceiptError> {
        let bytes = BASE64
            .decode(&self.signature)
            .map_err(|_| ReceiptError::MalformedSignature)?;
        bytes
            .try_into()
            .map_err(|_| ReceiptError::MalformedSignature)
    }

    /// Checks the signature with the server's published key.
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), ReceiptError> {
        let signature = Signature::from_bytes(&self.signature_bytes()?);
        key.verify(&self.signed_bytes(), &signature)
            .map_err(|_| ReceiptError::BadSignature)
    }

    /// The hash of its log entry, which the next entry names: SHA-256 over the signed
    /// bytes followed by the signature, hex.
    pub fn entry_hash(&self) -> Result<String, ReceiptError> {
        let mut bytes = self.signed_bytes();
        bytes.extend_from_slice(&self.signature_bytes()?);
        Ok(crate::sha256_hex(&bytes))
    }
}

/// `GET /v1/keys`: the keys receipts are signed with.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct PublicKeys {
    /// The keys receipts may be signed with.
    pub keys: Vec<PublicKey>,
}

/// One signing key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct PublicKey {
    /// The first 16 hex digits of the key's SHA-256, to tell keys apart.
    pub key_id: String,
    /// Always `Ed25519`.
    pub algorithm: String,
    /// The 32-byte public key, standard base64.
    pub public_key: String,
}

impl PublicKey {
    /// Describes `key`.
    pub fn from_key(key: &VerifyingKey) -> PublicKey {
        let bytes = key.to_bytes();
        PublicKey {
            key_id: crate::sha256_hex(&bytes)[..16].to_owned(),
            algorithm: "Ed25519".to_owned(),
            public_key: BASE64.encode(bytes),
        }
    }

    /// The key, for [`Receipt::verify`].
    pub fn verifying_key(&self) -> Result<VerifyingKey, ReceiptError> {
        let bytes: [u8; 32] = BASE64
            .decode(&self.public_key)
            .map_err(|_| ReceiptError::MalformedKey)?
            .try_into()
            .map_err(|_| ReceiptError::MalformedKey)?;
        VerifyingKey::from_bytes(&bytes).map_err(|_| ReceiptError::MalformedKey)
    }
}

/// One position of the receipt log. Everyone sees the chain of hashes; only the
/// account a receipt belongs to sees the receipt itself, so the log proves order and
/// completeness without telling anyone who else registered or bid.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct LogEntry {
    /// Its position in the log, from 0.
    pub index: u64,
    /// The entry hash of the position before ([`GENESIS_HASH`] for the first).
    pub previous_hash: String,
    /// [`Receipt::entry_hash`] of the receipt at this position.
    pub entry_hash: String,
    /// Present when the receipt is the caller's own.
    pub receipt: Option<Receipt>,
}

/// `GET /v1/log?after=N`: entries after position N (all from the start without it),
/// at most a page at a time.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct LogPage {
    /// The entries, in log order.
    pub entries: Vec<LogEntry>,
    /// Pass as `after` for the next page; absent on the last one.
    pub next_after: Option<u64>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn signed(key: &SigningKey) -> Receipt {
        let mut receipt = Receipt {
            receipt_id: Uuid::nil(),
            kind: ReceiptKind::Bid,
            subject_rfc: "ABC010101AB1".into(),
            payload_sha256: crate::sha256_hex(b"{}"),
            server_time: DateTime::from_timestamp(1_700_000_000, 5_000_000).unwrap(),
            log_index: 0,
            previous_log_hash: GENESIS_HASH.into(),
            signature: String::new(),
            signature_sha256: None,
            signer: None,
            signer_certificate_number: None,
            signer_revocation: None,
        };
        receipt.signature = BASE64.encode(key.sign(&receipt.signed_bytes()).to_bytes());
        receipt
    }

    #[test]
    fn a_signed_receipt_verifies_and_any_change_breaks_it() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let published = PublicKey::from_key(&key.verifying_key());
        let receipt = signed(&key);
        let verifying = published.verifying_key().unwrap();
        assert_eq!(receipt.verify(&verifying), Ok(()));
        let mut forged = receipt.clone();
        forged.log_index = 1;
        assert_eq!(forged.verify(&verifying), Err(ReceiptError::BadSignature));
        forged.signature = "no".into();
        assert_eq!(
            forged.verify(&verifying),
            Err(ReceiptError::MalformedSignature)
        );
    }

    #[test]
    fn a_signed_submissions_receipt_binds_its_efirma() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let verifying = key.verifying_key();
        let unsigned = signed(&key);
        assert!(String::from_utf8(unsigned.signed_bytes())
            .unwrap()
            .starts_with("ventanilla-receipt-v1\n"));
        let mut receipt = unsigned.clone();
        receipt.signature_sha256 = Some(crate::sha256_hex(b"p7s"));
        receipt.signer = Some("OÑORO & ASOCIADOS \"SA\"".into());
        receipt.signer_certificate_number = Some("30001000000500000001".into());
        receipt.signature = BASE64.encode(key.sign(&receipt.signed_bytes()).to_bytes());
        assert_eq!(receipt.verify(&verifying), Ok(()));
        assert_ne!(receipt.entry_hash(), unsigned.entry_hash());
        let json = serde_json::to_string(&receipt).unwrap();
        let back: Receipt = serde_json::from_str(&json).unwrap();
        assert_eq!(back.verify(&verifying), Ok(()));
        assert!(String::from_utf8(receipt.signed_bytes())
            .unwrap()
            .starts_with("ventanilla-receipt-v2\n"));
        receipt.signer_revocation = Some(Revocation::Good);
        receipt.signature = BASE64.encode(key.sign(&receipt.signed_bytes()).to_bytes());
        assert_eq!(receipt.verify(&verifying), Ok(()));
        let bytes = String::from_utf8(receipt.signed_bytes()).unwrap();
        assert!(bytes.starts_with("ventanilla-receipt-v3\n") && bytes.ends_with("\ngood"));
        for forge in [
            |r: &mut Receipt| r.signer_revocation = Some(Revocation::Unverified),
            |r: &mut Receipt| r.signer_revocation = None,
            |r: &mut Receipt| r.signature_sha256 = Some(crate::sha256_hex(b"other")),
            |r: &mut Receipt| r.signer = Some("OTRA PERSONA".into()),
            |r: &mut Receipt| r.signer_certificate_number = Some("30001000000500000002".into()),
            |r: &mut Receipt| r.signature_sha256 = None,
        ] {
            let mut forged = receipt.clone();
            forge(&mut forged);
            assert_eq!(forged.verify(&verifying), Err(ReceiptError::BadSignature));
        }
    }

    #[test]
    fn signed_bytes_survive_the_wire() {
        let receipt = signed(&SigningKey::from_bytes(&[1; 32]));
        let json = serde_json::to_string(&receipt).unwrap();
        let back: Receipt = serde_json::from_str(&json).unwrap();
        assert_eq!(back.signed_bytes(), receipt.signed_bytes());
        let text = String::from_utf8(receipt.signed_bytes()).unwrap();
        assert!(text.contains("\n2023-11-14T22:13:20.005Z\n"), "{text}");
    }
}
