//! The SAT e.firma (FIEL), with which Mexican public procurement accepts a proposal.
//!
//! - Reading a FIEL: the `.cer` (DER X.509) and its facts, RFC, CURP, holder, número de
//!   certificado, validity, issuer ([`Certificate`]); the `.key` (DER PKCS#8, PBES2 with
//!   PBKDF2-HMAC-SHA1 and 3DES) decrypted with its password.
//! - Refusing what cannot sign ([`inspect`]): a CSD (the invoice seal), a certificate out
//!   of its validity at the instant given, a key that is not the certificate's, another
//!   business's RFC, a wrong password.
//! - Signing ([`sign_detached`]): a detached CMS SignedData (`.p7s`, CAdES-BES shape),
//!   SHA-256 with RSA PKCS#1 v1.5, verifiable by anyone with
//!   `openssl cms -verify -binary -inform DER -in X.p7s -content X -noverify`. The
//!   decrypted key lives only for the call and is zeroized when dropped.
//! - Verifying ([`verify_detached`]) a detached signature over exact bytes, and for a
//!   submission ([`verify_fiel_signature`]) also that its signer is a FIEL valid at the
//!   instant given, of the expected RFC, issued by one of the trusted CA certificates.
//! - Telling when to renew ([`renewal_due`]): from [`RENEWAL_NOTICE_DAYS`] before the
//!   certificate's last day.
//!
//! - Asking whether a FIEL is revoked ([`ocsp`]): the OCSP request to send to SAT's
//!   responder and its answer checked; sending it is the caller's.
//!
//! Pure Rust (no OpenSSL) and no IO: bytes in, values out.

mod certificate;
mod error;
pub mod ocsp;
mod renewal;
mod signature;

use chrono::{DateTime, Utc};
use pkcs8::{DecodePrivateKey, EncryptedPrivateKeyInfoRef};
use rsa::pkcs1v15::SigningKey;
use rsa::{PrivateKey, PublicKey};
use sha2::Sha256;

pub use certificate::{Certificate, CertificateFacts, Kind};
pub use error::EfirmaError;
pub use renewal::{days_left, renewal_due, RENEWAL_NOTICE_DAYS};
pub use signature::{verify_detached, VerifiedSignature};

/// A FIEL as the person hands it over: the `.cer` and `.key` files' bytes and the key's
/// password.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    pub certificate: &'a [u8],
    pub key: &'a [u8],
    pub password: &'a [u8],
}

/// What [`inspect`] found: the certificate's facts (if it could be read) and every
/// reason it cannot sign.
#[derive(Clone, Debug)]
pub struct Inspection {
    pub certificate: Option<CertificateFacts>,
    pub problems: Vec<EfirmaError>,
}

impl Inspection {
    /// Whether the FIEL can sign: a current FIEL of the right RFC whose key decrypts and
    /// matches.
    pub fn usable(&self) -> bool {
        self.certificate.is_some() && self.problems.is_empty()
    }
}

/// Decrypts SAT's `.key`. A file that is not an encrypted PKCS#8 key is unreadable; once
/// it is, any failure is the password's (3DES padding lets some wrong passwords through
/// to a parse error of the decrypted bytes).
fn decrypt_key(key: &[u8], password: &[u8]) -> Result<PrivateKey, EfirmaError> {
    let encrypted =
        EncryptedPrivateKeyInfoRef::try_from(key).map_err(|_| EfirmaError::KeyUnreadable)?;
    if password.is_empty() {
        return Err(EfirmaError::PasswordMissing);
    }
    // The decrypted document zeroizes itself when dropped.
    let decrypted = encrypted
        .decrypt(password)
        .map_err(|_| EfirmaError::WrongPassword)?;
    PrivateKey::from_pkcs8_der(decrypted.as_bytes()).map_err(|_| EfirmaError::WrongPassword)
}

/// The key of `credentials`, checked to be `certificate`'s.
fn signing_key(
    certificate: &Certificate,
    credentials: &Credentials<'_>,
) -> Result<SigningKey<Sha256>, EfirmaError> {
    let key = decrypt_key(credentials.key, credentials.password)?;
    if &PublicKey::from(&key) != certificate.public_key() {
        return Err(EfirmaError::KeyMismatch);
    }
    Ok(SigningKey::new(key))
}

/// Reads a FIEL and says whether it can sign at `at` for the business of `expected_rfc`
/// (any RFC when `None`): the certificate's facts and every problem found, the key's
/// included.
pub fn inspect(
    credentials: &Credentials<'_>,
    at: DateTime<Utc>,
    expected_rfc: Option<&str>,
) -> Inspection {
    let certificate = match Certificate::from_der(credentials.certificate) {
        Ok(certificate) => certificate,
        Err(e) => {
            return Inspection {
                certificate: None,
                problems: vec![e],
            }
        }
    };
    let mut problems = certificate.signing_problems(at, expected_rfc);
    if let Err(e) = signing_key(&certificate, credentials) {
        problems.push(e);
    }
    Inspection {
        certificate: Some(certificate.facts().clone()),
        problems,
    }
}

/// Signs `content` with a FIEL that can sign at `at` for the business of
/// `expected_rfc`: a detached CMS SignedData in DER (the `.p7s` file's bytes) whose
/// signingTime is `at`. Refuses with the first problem [`inspect`] would report.
pub fn sign_detached(
    credentials: &Credentials<'_>,
    content: &[u8],
    at: DateTime<Utc>,
    expected_rfc: Option<&str>,
) -> Result<Vec<u8>, EfirmaError> {
    let certificate = Certificate::from_der(credentials.certificate)?;
    certificate.check_signing(at, expected_rfc)?;
    let key = signing_key(&certificate, credentials)?;
    signature::sign(&certificate, &key, content, at)
}

/// Everything a receiver checks of a submission's signature: it verifies over exactly
/// `content`, and its signer is a FIEL valid at `at` (the receipt time: the signingTime
/// is the signer's claim), of `expected_rfc`, issued by one of `authorities` (the SAT's
/// CA certificates, from configuration).
pub fn verify_fiel_signature(
    content: &[u8],
    p7s: &[u8],
    authorities: &[Certificate],
    at: DateTime<Utc>,
    expected_rfc: Option<&str>,
) -> Result<VerifiedSignature, EfirmaError> {
    let verified = verify_detached(content, p7s)?;
    verified.signer.check_signing(at, expected_rfc)?;
    verified.signer.issued_by(authorities, at)?;
    Ok(verified)
}
