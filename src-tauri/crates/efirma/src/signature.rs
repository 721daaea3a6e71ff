//! Detached CMS signatures (`.p7s`, CAdES-BES shape): made with a FIEL's key, verified
//! over given bytes.

use chrono::{DateTime, Utc};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::{rfc5911, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, OctetString, SetOfVec};
use der::{Decode, Encode, Header, Length, Reader, Sequence, SliceReader, Tag, Tagged};
use rsa::pkcs1v15::SigningKey;
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::attr::{Attribute, AttributeValue};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::time::Time;

use crate::certificate::{instant, verify_rsa, Certificate};
use crate::EfirmaError;

/// `ESSCertIDv2` (RFC 5035) with the hash algorithm left at its default, SHA-256.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

#[derive(Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// `SigningCertificateV2`: binds the signature to its signer's certificate, so another
/// certificate with the same key cannot be passed off as the signer (CAdES requires it).
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn single_value_attribute(oid: ObjectIdentifier, der: &[u8]) -> Result<Attribute, der::Error> {
    let mut values = SetOfVec::new();
    values.insert(AttributeValue::from_der(der)?)?;
    Ok(Attribute { oid, values })
}

fn signing_time_attribute(at: DateTime<Utc>) -> Result<Attribute, der::Error> {
    let seconds = u64::try_from(at.timestamp()).map_err(|_| der::ErrorKind::DateTime)?;
    let time = Time::from(der::DateTime::from_unix_duration(
        std::time::Duration::from_secs(seconds),
    )?);
    single_value_attribute(rfc5911::ID_SIGNING_TIME, &time.to_der()?)
}

fn signing_certificate_attribute(certificate: &Certificate) -> Result<Attribute, der::Error> {
    let tbs = certificate.parsed().tbs_certificate();
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(certificate.der()).to_vec())?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
                serial_number: tbs.serial_number().clone(),
            },
        }],
    };
    single_value_attribute(rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2, &value.to_der()?)
}

fn failed<E>(_: E) -> EfirmaError {
    EfirmaError::SigningFailed
}

/// Signs `content` detached: SHA-256 with RSA PKCS#1 v1.5, the certificate embedded,
/// signed attributes contentType, messageDigest, signingTime (`at`) and
/// signingCertificateV2.
pub(crate) fn sign(
    certificate: &Certificate,
    key: &SigningKey<Sha256>,
    content: &[u8],
    at: DateTime<Utc>,
) -> Result<Vec<u8>, EfirmaError> {
    let digest = Sha256::digest(content);
    let digest_algorithm = AlgorithmIdentifierOwned {
        oid: rfc5912::ID_SHA_256,
        parameters: None,
    };
    let encapsulated = EncapsulatedContentInfo {
        econtent_type: rfc5911::ID_DATA,
        econtent: None,
    };
    let tbs = certificate.parsed().tbs_certificate();
    let signer = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: tbs.issuer().clone(),
        serial_number: tbs.serial_number().clone(),
    });
    let mut signer_info = SignerInfoBuilder::new(
        signer,
        digest_algorithm.clone(),
        &encapsulated,
        Some(digest.as_slice()),
    )
    .map_err(failed)?;
    signer_info
        .add_signed_attribute(signing_time_attribute(at).map_err(failed)?)
        .map_err(failed)?
        .add_signed_attribute(signing_certificate_attribute(certificate).map_err(failed)?)
        .map_err(failed)?;
    let content_info = SignedDataBuilder::new(&encapsulated)
        .add_digest_algorithm(digest_algorithm)
        .map_err(failed)?
        .add_certificate(CertificateChoices::Certificate(
            certificate.parsed().clone(),
        ))
        .map_err(failed)?
        .add_signer_info::<_, rsa::pkcs1v15::Signature>(signer_info, key)
        .map_err(failed)?
        .build()
        .map_err(failed)?;
    content_info.to_der().map_err(failed)
}

/// A signature that verified over the given bytes.
#[derive(Clone, Debug)]
pub struct VerifiedSignature {
    /// The signer's certificate, as embedded in the signature.
    pub signer: Certificate,
    /// The signingTime attribute, as claimed by the signer.
    pub signing_time: Option<DateTime<Utc>>,
}

/// The only signer's SignerInfo exactly as sent: its signed attributes must be verified
/// over their original bytes, and decoding a SET OF sorts it.
fn raw_signer_info(signed_data: &[u8]) -> Result<&[u8], EfirmaError> {
    let unreadable = |_| EfirmaError::SignatureUnreadable;
    let mut reader = SliceReader::new(signed_data).map_err(unreadable)?;
    let sequence = AnyRef::decode(&mut reader).map_err(unreadable)?;
    let mut fields = SliceReader::new(sequence.value()).map_err(unreadable)?;
    // version, digestAlgorithms, encapContentInfo, then [0] certificates, [1] crls.
    for _ in 0..3 {
        fields.tlv_bytes().map_err(unreadable)?;
    }
    while matches!(
        Tag::peek(&fields).map_err(unreadable)?,
        Tag::ContextSpecific { .. }
    ) {
        fields.tlv_bytes().map_err(unreadable)?;
    }
    let signer_infos = AnyRef::decode(&mut fields).map_err(unreadable)?;
    let mut signers = SliceReader::new(signer_infos.value()).map_err(unreadable)?;
    let only = signers.tlv_bytes().map_err(unreadable)?;
    if !signers.is_finished() {
        return Err(EfirmaError::SignatureUnsupported);
    }
    Ok(only)
}

/// The signed attributes' original bytes re-tagged as the SET OF they are signed as.
fn signed_attributes_message(signer_info: &[u8]) -> Result<Vec<u8>, EfirmaError> {
    let unreadable = |_| EfirmaError::SignatureUnreadable;
    let sequence = AnyRef::from_der(signer_info).map_err(unreadable)?;
    let mut fields = SliceReader::new(sequence.value()).map_err(unreadable)?;
    // version, sid, digestAlgorithm
    for _ in 0..3 {
        fields.tlv_bytes().map_err(unreadable)?;
    }
    let attributes = AnyRef::decode(&mut fields).map_err(unreadable)?;
    if !matches!(attributes.tag(), Tag::ContextSpecific { number, .. } if number.value() == 0) {
        return Err(EfirmaError::SignatureUnsupported);
    }
    let value = attributes.value();
    let header = Header::new(Tag::Set, Length::try_from(value.len()).map_err(unreadable)?);
    let mut message = header.to_der().map_err(unreadable)?;
    message.extend_from_slice(value);
    Ok(message)
}

fn digest(algorithm: ObjectIdentifier, content: &[u8]) -> Result<Vec<u8>, EfirmaError> {
    match algorithm {
        rfc5912::ID_SHA_256 => Ok(Sha256::digest(content).to_vec()),
        rfc5912::ID_SHA_384 => Ok(Sha384::digest(content).to_vec()),
        rfc5912::ID_SHA_512 => Ok(Sha512::digest(content).to_vec()),
        _ => Err(EfirmaError::SignatureUnsupported),
    }
}

/// The RSA signature algorithm a signer info means: `rsaEncryption` (as OpenSSL writes
/// it) takes its hash from the digest algorithm.
fn signature_algorithm(signer_info: &SignerInfo) -> Result<ObjectIdentifier, EfirmaError> {
    let with_rsa = match signer_info.digest_alg.oid {
        rfc5912::ID_SHA_256 => rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        rfc5912::ID_SHA_384 => rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
        rfc5912::ID_SHA_512 => rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
        _ => return Err(EfirmaError::SignatureUnsupported),
    };
    let named = signer_info.signature_algorithm.oid;
    if named == rfc5912::RSA_ENCRYPTION || named == with_rsa {
        Ok(with_rsa)
    } else {
        Err(EfirmaError::SignatureUnsupported)
    }
}

/// The single value of the signed attribute `oid`; `None` when absent, refused when
/// repeated.
fn attribute_value(
    signer_info: &SignerInfo,
    oid: ObjectIdentifier,
) -> Result<Option<&AttributeValue>, EfirmaError> {
    let Some(attributes) = &signer_info.signed_attrs else {
        return Ok(None);
    };
    let mut found = attributes.iter().filter(|a| a.oid == oid);
    match (found.next(), found.next()) {
        (None, _) => Ok(None),
        (Some(attribute), None) if attribute.values.len() == 1 => Ok(attribute.values.get(0)),
        _ => Err(EfirmaError::SignatureInvalid),
    }
}

fn signer_certificate(
    signed_data: &SignedData,
    signer_info: &SignerInfo,
) -> Result<Certificate, EfirmaError> {
    let SignerIdentifier::IssuerAndSerialNumber(id) = &signer_info.sid else {
        return Err(EfirmaError::SignatureUnsupported);
    };
    let embedded = signed_data
        .certificates
        .as_ref()
        .and_then(|set| {
            set.0.iter().find_map(|choice| match choice {
                CertificateChoices::Certificate(c)
                    if c.tbs_certificate().issuer() == &id.issuer
                        && c.tbs_certificate().serial_number() == &id.serial_number =>
                {
                    Some(c)
                }
                _ => None,
            })
        })
        .ok_or(EfirmaError::SignatureUnsupported)?;
    let der = embedded
        .to_der()
        .map_err(|_| EfirmaError::SignatureUnreadable)?;
    Certificate::from_der(&der)
}

/// If the signature names its certificate (signingCertificateV2 with SHA-256), it must
/// be the embedded one.
fn check_signing_certificate(
    signer_info: &SignerInfo,
    signer: &Certificate,
) -> Result<(), EfirmaError> {
    let Some(value) = attribute_value(signer_info, rfc5911::ID_AA_SIGNING_CERTIFICATE_V_2)? else {
        return Ok(());
    };
    let invalid = |_| EfirmaError::SignatureInvalid;
    // SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2, … }: the first is the signer's.
    let certs: AnyRef<'_> = SliceReader::new(value.value())
        .and_then(|mut r| r.decode())
        .map_err(invalid)?;
    let first: AnyRef<'_> = SliceReader::new(certs.value())
        .and_then(|mut r| r.decode())
        .map_err(invalid)?;
    let mut fields = SliceReader::new(first.value()).map_err(invalid)?;
    let hash = match Tag::peek(&fields).map_err(invalid)? {
        Tag::Sequence => {
            let algorithm: AlgorithmIdentifierOwned = fields.decode().map_err(invalid)?;
            let hash: OctetString = fields.decode().map_err(invalid)?;
            (algorithm.oid, hash)
        }
        _ => (rfc5912::ID_SHA_256, fields.decode().map_err(invalid)?),
    };
    if hash.1.as_bytes() == digest(hash.0, signer.der())?.as_slice() {
        Ok(())
    } else {
        Err(EfirmaError::SignatureInvalid)
    }
}

/// Verifies a detached CMS signature (`p7s`) over exactly `content`: one signer, whose
/// certificate is embedded, signed attributes whose messageDigest is the content's and
/// whose signature the certificate's key verifies over their bytes as sent. Says nothing
/// about whether the certificate is a current FIEL or issued by the SAT: see
/// [`Certificate::check_signing`] and [`Certificate::issued_by`], or
/// [`crate::verify_fiel_signature`] for all of it.
pub fn verify_detached(content: &[u8], p7s: &[u8]) -> Result<VerifiedSignature, EfirmaError> {
    let unreadable = |_| EfirmaError::SignatureUnreadable;
    let content_info = ContentInfo::from_der(p7s).map_err(unreadable)?;
    if content_info.content_type != rfc5911::ID_SIGNED_DATA {
        return Err(EfirmaError::SignatureUnreadable);
    }
    let signed_data_der = content_info.content.to_der().map_err(unreadable)?;
    let signed_data = SignedData::from_der(&signed_data_der).map_err(unreadable)?;
    let raw_signer = raw_signer_info(&signed_data_der)?;
    let signer_info = SignerInfo::from_der(raw_signer).map_err(unreadable)?;
    let encapsulated = &signed_data.encap_content_info;
    if let Some(embedded) = &encapsulated.econtent {
        if embedded.value() != content {
            return Err(EfirmaError::SignatureInvalid);
        }
    }
    let expected_digest = digest(signer_info.digest_alg.oid, content)?;
    let message_digest = attribute_value(&signer_info, rfc5911::ID_MESSAGE_DIGEST)?
        .ok_or(EfirmaError::SignatureUnsupported)?;
    if message_digest.value() != expected_digest.as_slice() {
        return Err(EfirmaError::SignatureInvalid);
    }
    let content_type = attribute_value(&signer_info, rfc5911::ID_CONTENT_TYPE)?
        .ok_or(EfirmaError::SignatureUnsupported)?;
    if content_type.decode_as::<ObjectIdentifier>().ok() != Some(encapsulated.econtent_type) {
        return Err(EfirmaError::SignatureInvalid);
    }
    let signer = signer_certificate(&signed_data, &signer_info)?;
    verify_rsa(
        signer.public_key(),
        signature_algorithm(&signer_info)?,
        &signed_attributes_message(raw_signer)?,
        signer_info.signature.as_bytes(),
    )?;
    check_signing_certificate(&signer_info, &signer)?;
    let signing_time = attribute_value(&signer_info, rfc5911::ID_SIGNING_TIME)?
        .and_then(|value| value.to_der().ok())
        .and_then(|der| Time::from_der(&der).ok())
        .map(|time| instant(&time));
    Ok(VerifiedSignature {
        signer,
        signing_time,
    })
}
