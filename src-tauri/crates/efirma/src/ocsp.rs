//! Whether the SAT still holds a FIEL good: an OCSP request (RFC 6960) for a certificate
//! and its issuer, and the responder's answer read and checked. Bytes in, bytes out:
//! sending the request over HTTP is the caller's.
//!
//! The answer counts only when it is a successful basic response, about exactly this
//! certificate, signed by its issuer or by a responder certificate the issuer gave the
//! OCSP-signing purpose, and current at the instant asked about.

use chrono::{DateTime, Duration, Utc};
use const_oid::db::{rfc5280, rfc5912, rfc6960};
use der::asn1::{BitString, GeneralizedTime, OctetString};
use der::{Decode, Encode, Reader, Sequence, SliceReader, Tag, TagNumber, Tagged};
use sha1::{Digest, Sha1};
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::certificate::{verify_rsa, Certificate};

/// How far the responder's clock may be from ours.
const CLOCK_SKEW_MINUTES: i64 = 5;
/// How old an answer without a `nextUpdate` may be.
const MAX_AGE_HOURS: i64 = 24;

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct CertId {
    hash_algorithm: AlgorithmIdentifierOwned,
    issuer_name_hash: OctetString,
    issuer_key_hash: OctetString,
    serial_number: SerialNumber,
}

#[derive(Sequence)]
struct Request {
    req_cert: CertId,
}

/// `TBSRequest` with its version left at the default, no requestor name and no
/// extensions (no nonce: SAT's responder answers from pre-signed responses).
#[derive(Sequence)]
struct TbsRequest {
    request_list: Vec<Request>,
}

#[derive(Sequence)]
struct OcspRequest {
    tbs_request: TbsRequest,
}

#[derive(Sequence)]
struct ResponseBytes {
    response_type: const_oid::ObjectIdentifier,
    response: OctetString,
}

#[derive(Sequence)]
struct OcspResponse {
    response_status: der::Any,
    #[asn1(context_specific = "0", optional = "true")]
    response_bytes: Option<ResponseBytes>,
}

#[derive(Sequence)]
struct BasicOcspResponse {
    /// Kept whole: its DER is what the signature covers.
    tbs_response_data: der::Any,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    #[asn1(context_specific = "0", optional = "true")]
    certs: Option<Vec<der::Any>>,
}

#[derive(Sequence)]
struct ResponseData {
    #[asn1(context_specific = "0", optional = "true")]
    version: Option<u8>,
    responder_id: der::Any,
    produced_at: GeneralizedTime,
    responses: Vec<SingleResponse>,
    #[asn1(context_specific = "1", optional = "true")]
    response_extensions: Option<der::Any>,
}

#[derive(Sequence)]
struct SingleResponse {
    cert_id: CertId,
    /// `[0]` good, `[1]` revoked (with its `RevokedInfo`), `[2]` unknown; implicit tags.
    cert_status: der::Any,
    this_update: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true")]
    next_update: Option<GeneralizedTime>,
    #[asn1(context_specific = "1", optional = "true")]
    single_extensions: Option<der::Any>,
}

/// What the responder says of a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateStatus {
    /// Not revoked.
    Good,
    /// Revoked at that instant.
    Revoked { at: DateTime<Utc> },
    /// The responder does not know the certificate.
    Unknown,
}

/// Why an answer could not be taken as the responder's word on this certificate.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OcspError {
    /// Not a DER OCSP response, or not a basic one.
    #[error("the OCSP response is unreadable")]
    Unreadable,
    /// The responder refused to answer (malformedRequest, tryLater, unauthorized, …).
    #[error("the OCSP responder refused to answer (status {0})")]
    Refused(u8),
    /// The response says nothing of this certificate.
    #[error("the OCSP response is about another certificate")]
    OtherCertificate,
    /// Neither the issuer nor a responder it authorized signed it.
    #[error("the OCSP response is not signed by the certificate's issuer or its responder")]
    Unsigned,
    /// Produced for another time than the instant asked about.
    #[error("the OCSP response is not current")]
    Stale,
}

fn sha1(bytes: &[u8]) -> OctetString {
    OctetString::new(Sha1::digest(bytes).to_vec()).expect("a SHA-1 digest fits")
}

fn cert_id(certificate: &Certificate, issuer: &Certificate) -> der::Result<CertId> {
    let issuer_tbs = issuer.parsed().tbs_certificate();
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: rfc5912::ID_SHA_1,
            parameters: Some(der::Any::null()),
        },
        issuer_name_hash: sha1(&issuer_tbs.subject().to_der()?),
        issuer_key_hash: sha1(
            issuer_tbs
                .subject_public_key_info()
                .subject_public_key
                .raw_bytes(),
        ),
        serial_number: certificate
            .parsed()
            .tbs_certificate()
            .serial_number()
            .clone(),
    })
}

/// The DER OCSP request asking about `certificate`, issued by `issuer`, to POST as
/// `application/ocsp-request`. The certificate is named by SHA-1 hashes, as every
/// responder understands (the answer's signature, not the hash, is what protects it).
pub fn request(certificate: &Certificate, issuer: &Certificate) -> Vec<u8> {
    let request = cert_id(certificate, issuer).and_then(|req_cert| {
        OcspRequest {
            tbs_request: TbsRequest {
                request_list: vec![Request { req_cert }],
            },
        }
        .to_der()
    });
    request.expect("a request made of a parsed certificate's own fields encodes")
}

fn instant(time: &GeneralizedTime) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + time.to_unix_duration()
}

/// Whether `signer` may sign answers about certificates of `issuer`: it is the issuer,
/// or a certificate the issuer issued for OCSP signing.
fn authorized(signer: &Certificate, issuer: &Certificate, at: DateTime<Utc>) -> bool {
    if signer.der() == issuer.der() {
        return true;
    }
    let for_ocsp = matches!(
        signer.parsed().tbs_certificate().get_extension::<ExtendedKeyUsage>(),
        Ok(Some((_, purposes))) if purposes.0.contains(&rfc5280::ID_KP_OCSP_SIGNING)
    );
    for_ocsp
        && signer.check_valid_at(at).is_ok()
        && signer.issued_by(std::slice::from_ref(issuer), at).is_ok()
}

fn status_of(single: &SingleResponse) -> Result<CertificateStatus, OcspError> {
    let tag = single.cert_status.tag();
    let number = match tag {
        Tag::ContextSpecific { number, .. } => number,
        _ => return Err(OcspError::Unreadable),
    };
    match number {
        TagNumber(0) => Ok(CertificateStatus::Good),
        TagNumber(1) => {
            let mut info =
                SliceReader::new(single.cert_status.value()).map_err(|_| OcspError::Unreadable)?;
            let time: GeneralizedTime = info.decode().map_err(|_| OcspError::Unreadable)?;
            Ok(CertificateStatus::Revoked { at: instant(&time) })
        }
        TagNumber(2) => Ok(CertificateStatus::Unknown),
        _ => Err(OcspError::Unreadable),
    }
}

/// Reads the responder's DER answer about `certificate` (issued by `issuer`) and checks
/// it is the responder's word on it, current at `at`.
pub fn read_response(
    der: &[u8],
    certificate: &Certificate,
    issuer: &Certificate,
    at: DateTime<Utc>,
) -> Result<CertificateStatus, OcspError> {
    let response = OcspResponse::from_der(der).map_err(|_| OcspError::Unreadable)?;
    match response.response_status.value() {
        [0] if response.response_status.tag() == Tag::Enumerated => {}
        [status] => return Err(OcspError::Refused(*status)),
        _ => return Err(OcspError::Unreadable),
    }
    let bytes = response.response_bytes.ok_or(OcspError::Unreadable)?;
    if bytes.response_type != rfc6960::ID_PKIX_OCSP_BASIC {
        return Err(OcspError::Unreadable);
    }
    let basic = BasicOcspResponse::from_der(bytes.response.as_bytes())
        .map_err(|_| OcspError::Unreadable)?;
    let signed = basic
        .tbs_response_data
        .to_der()
        .map_err(|_| OcspError::Unreadable)?;
    let data = ResponseData::from_der(&signed).map_err(|_| OcspError::Unreadable)?;

    let responders: Vec<Certificate> = basic
        .certs
        .iter()
        .flatten()
        .filter_map(|any| Certificate::from_der(&any.to_der().ok()?).ok())
        .collect();
    let signature = basic.signature.raw_bytes();
    let algorithm = basic.signature_algorithm.oid;
    let signed_by_authorized = std::iter::once(issuer)
        .chain(&responders)
        .filter(|signer| authorized(signer, issuer, at))
        .any(|signer| verify_rsa(signer.public_key(), algorithm, &signed, signature).is_ok());
    if !signed_by_authorized {
        return Err(OcspError::Unsigned);
    }

    let wanted = cert_id(certificate, issuer).map_err(|_| OcspError::Unreadable)?;
    let single = data
        .responses
        .iter()
        .find(|single| single.cert_id == wanted)
        .ok_or(OcspError::OtherCertificate)?;
    let skew = Duration::minutes(CLOCK_SKEW_MINUTES);
    let this_update = instant(&single.this_update);
    let fresh_until = match &single.next_update {
        Some(next) => instant(next),
        None => this_update + Duration::hours(MAX_AGE_HOURS),
    };
    if this_update > at + skew || fresh_until < at - skew {
        return Err(OcspError::Stale);
    }
    status_of(single)
}
