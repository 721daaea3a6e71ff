//! The e.firma on a submission (`signature` of a registration or a bid).
//!
//! The value is the standard base64 (with padding) of a DER detached CMS SignedData,
//! the `.p7s` file, made with the supplier's FIEL over exactly the UTF-8 bytes of the
//! submission's `snapshot` string: SHA-256 with RSA PKCS#1 v1.5, the signer's
//! certificate embedded, signed attributes contentType, messageDigest, signingTime and
//! signingCertificateV2. Anyone can check it with
//! `openssl cms -verify -binary -inform DER -in X.p7s -content SNAPSHOT -noverify`.
//!
//! A server with a trust store of SAT CA certificates refuses a submission without it
//! (`efirma/missing`) or with one that does not hold (`efirma/bad-signature`,
//! `efirma/not-fiel`, `efirma/expired`, `efirma/untrusted`, `efirma/rfc-mismatch`),
//! and its receipt binds the accepted signature by SHA-256
//! (its `signature_sha256`).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

/// The `signature` field's text for the `.p7s` bytes `p7s`.
pub fn encode(p7s: &[u8]) -> String {
    BASE64.encode(p7s)
}

/// The `.p7s` bytes of a `signature` field; `None` when it is not standard base64.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    BASE64.decode(text).ok()
}
