//! An SAT certificate (`.cer`): who it belongs to, whether it is a FIEL or a CSD, and the
//! checks a signature needs (dates, profile, RFC, issuing CA).

use chrono::{DateTime, Utc};
use const_oid::db::{rfc3280, rfc4519, rfc5280, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::AnyRef;
use der::referenced::OwnedToRef;
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::PublicKey;
use serde::Serialize;
use sha2::{Sha256, Sha384, Sha512};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::name::Name;
use x509_cert::time::Time;

use crate::EfirmaError;

/// What an SAT certificate is for, told apart by key usage, extended key usage and subject.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The e.firma: signs documents as the person or company.
    Fiel,
    /// A certificado de sello digital: seals invoices only.
    Csd,
    /// Neither profile.
    Other,
}

/// The facts a person checks on their certificate, as SAT writes them.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct CertificateFacts {
    pub kind: Kind,
    /// The holder's RFC; for a persona moral, the company's.
    pub rfc: String,
    /// For a persona moral, the legal representative's RFC.
    pub representative_rfc: Option<String>,
    /// The holder's CURP; for a persona moral, the representative's.
    pub curp: Option<String>,
    /// The holder's name or company name.
    pub holder: String,
    pub email: Option<String>,
    /// The número de certificado: 20 digits.
    pub certificate_number: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// The issuing CA's distinguished name, most specific part first.
    pub issuer: String,
}

/// A parsed certificate with its facts.
#[derive(Clone, Debug)]
pub struct Certificate {
    der: Vec<u8>,
    parsed: x509_cert::Certificate,
    public_key: PublicKey,
    facts: CertificateFacts,
}

/// Decodes a directory string as SAT writes it. T61String holds Latin-1 bytes (Ñ as
/// 0xD1), which `der`'s TeletexString refuses, so its bytes are read as Latin-1.
fn directory_text(value: &der::Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::VisibleString => {
            String::from_utf8(bytes.to_vec()).ok()
        }
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

fn attribute(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    name.iter()
        .find(|atv| atv.oid == oid)
        .and_then(|atv| directory_text(&atv.value))
        .map(|text| text.trim().to_owned())
}

/// Reads "COMPANY / REPRESENTATIVE" (persona moral) or a single value.
fn split_pair(text: &str) -> (Option<String>, Option<String>) {
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    match text.split_once('/') {
        Some((own, representative)) => (non_empty(own), non_empty(representative)),
        None => (non_empty(text), None),
    }
}

fn distinguished_name(name: &Name) -> String {
    let label = |oid: ObjectIdentifier| match oid {
        rfc4519::COMMON_NAME => "CN".to_owned(),
        rfc4519::ORGANIZATION_NAME => "O".to_owned(),
        rfc4519::ORGANIZATIONAL_UNIT_NAME => "OU".to_owned(),
        rfc4519::COUNTRY_NAME => "C".to_owned(),
        rfc4519::ST => "ST".to_owned(),
        rfc4519::L => "L".to_owned(),
        rfc3280::EMAIL_ADDRESS => "emailAddress".to_owned(),
        other => other.to_string(),
    };
    let parts: Vec<String> = name
        .iter_rdn()
        .flat_map(|rdn| rdn.iter())
        .filter_map(|atv| directory_text(&atv.value).map(|v| format!("{}={v}", label(atv.oid))))
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join(", ")
}

/// A certificate or CMS time as a UTC instant.
pub(crate) fn instant(time: &Time) -> DateTime<Utc> {
    let seconds = i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The número de certificado: SAT writes the 20 digits as the serial's ASCII bytes.
fn certificate_number(serial: &[u8]) -> String {
    if !serial.is_empty() && serial.iter().all(u8::is_ascii_digit) {
        serial.iter().map(|&b| char::from(b)).collect()
    } else {
        serial.iter().map(|b| format!("{b:02X}")).collect()
    }
}

fn kind(tbs: &x509_cert::TbsCertificate) -> Kind {
    let usages = match tbs.get_extension::<KeyUsage>() {
        Ok(Some((_, usage))) => usage.0,
        _ => return Kind::Other,
    };
    let extended = match tbs.get_extension::<ExtendedKeyUsage>() {
        Ok(found) => found.map(|(_, eku)| eku.0),
        Err(_) => return Kind::Other,
    };
    let has_unit = tbs
        .subject()
        .iter()
        .any(|atv| atv.oid == rfc4519::ORGANIZATIONAL_UNIT_NAME);
    let signs = usages.contains(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation);
    let fiel_usages =
        signs && usages.contains(KeyUsages::DataEncipherment | KeyUsages::KeyAgreement);
    match extended {
        Some(purposes)
            if fiel_usages
                && !has_unit
                && purposes.contains(&rfc5280::ID_KP_EMAIL_PROTECTION)
                && purposes.contains(&rfc5280::ID_KP_CLIENT_AUTH) =>
        {
            Kind::Fiel
        }
        None if signs && !fiel_usages && has_unit => Kind::Csd,
        _ => Kind::Other,
    }
}

/// The exact bytes of the TBSCertificate as sent, which its signature covers (not a
/// re-encoding, which could reorder a set).
fn raw_tbs(der: &[u8]) -> der::Result<&[u8]> {
    let outer = AnyRef::from_der(der)?;
    let mut reader = SliceReader::new(outer.value())?;
    reader.tlv_bytes()
}

/// The RSA key of a subject public key info, refusing other algorithms.
fn rsa_key(certificate: &x509_cert::Certificate) -> Option<PublicKey> {
    let spki = certificate.tbs_certificate().subject_public_key_info();
    if spki.algorithm.oid != rfc5912::RSA_ENCRYPTION {
        return None;
    }
    PublicKey::try_from(spki.owned_to_ref()).ok()
}

/// Verifies an RSA PKCS#1 v1.5 signature whose algorithm is named by `algorithm`
/// (sha256/384/512WithRSAEncryption).
pub(crate) fn verify_rsa(
    key: &PublicKey,
    algorithm: ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<(), EfirmaError> {
    let signature = Signature::try_from(signature).map_err(|_| EfirmaError::SignatureInvalid)?;
    let checked = match algorithm {
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION => {
            VerifyingKey::<Sha256>::new(key.clone()).verify(message, &signature)
        }
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION => {
            VerifyingKey::<Sha384>::new(key.clone()).verify(message, &signature)
        }
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION => {
            VerifyingKey::<Sha512>::new(key.clone()).verify(message, &signature)
        }
        _ => return Err(EfirmaError::SignatureUnsupported),
    };
    checked.map_err(|_| EfirmaError::SignatureInvalid)
}

/// An RFC as compared: case (Ñ and ñ too) and surrounding spaces do not matter.
fn normalized_rfc(rfc: &str) -> String {
    rfc.trim().to_uppercase()
}

impl Certificate {
    /// Reads a DER certificate (SAT's `.cer`).
    pub fn from_der(der: &[u8]) -> Result<Certificate, EfirmaError> {
        let parsed = x509_cert::Certificate::from_der(der)
            .map_err(|_| EfirmaError::CertificateUnreadable)?;
        let public_key = rsa_key(&parsed).ok_or(EfirmaError::CertificateUnreadable)?;
        let tbs = parsed.tbs_certificate();
        let subject = tbs.subject();
        let (rfc, representative_rfc) =
            split_pair(&attribute(subject, rfc4519::X_500_UNIQUE_IDENTIFIER).unwrap_or_default());
        let (own_curp, representative_curp) =
            split_pair(&attribute(subject, rfc4519::SERIAL_NUMBER).unwrap_or_default());
        let facts = CertificateFacts {
            kind: kind(tbs),
            rfc: rfc.unwrap_or_default(),
            representative_rfc,
            curp: representative_curp.or(own_curp),
            holder: attribute(subject, rfc4519::NAME)
                .or_else(|| attribute(subject, rfc4519::COMMON_NAME))
                .unwrap_or_default(),
            email: attribute(subject, rfc3280::EMAIL_ADDRESS),
            certificate_number: certificate_number(tbs.serial_number().as_bytes()),
            not_before: instant(&tbs.validity().not_before),
            not_after: instant(&tbs.validity().not_after),
            issuer: distinguished_name(tbs.issuer()),
        };
        Ok(Certificate {
            der: der.to_vec(),
            parsed,
            public_key,
            facts,
        })
    }

    pub fn facts(&self) -> &CertificateFacts {
        &self.facts
    }

    /// The certificate as read, byte for byte.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub(crate) fn parsed(&self) -> &x509_cert::Certificate {
        &self.parsed
    }

    pub(crate) fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// Whether `at` falls within the certificate's validity.
    pub fn check_valid_at(&self, at: DateTime<Utc>) -> Result<(), EfirmaError> {
        if at < self.facts.not_before {
            Err(EfirmaError::NotYetValid {
                not_before: self.facts.not_before,
            })
        } else if at > self.facts.not_after {
            Err(EfirmaError::Expired {
                not_after: self.facts.not_after,
            })
        } else {
            Ok(())
        }
    }

    /// Every reason this certificate cannot sign for the business of `expected_rfc`
    /// (any business if `None`) at `at`: not a FIEL (all of its signals are required),
    /// outside its validity, or of another RFC (a persona moral's is the company's).
    /// Empty when it can.
    pub fn signing_problems(
        &self,
        at: DateTime<Utc>,
        expected_rfc: Option<&str>,
    ) -> Vec<EfirmaError> {
        let mut problems = Vec::new();
        if self.facts.kind != Kind::Fiel {
            problems.push(EfirmaError::NotFiel(self.facts.kind));
        }
        if let Err(e) = self.check_valid_at(at) {
            problems.push(e);
        }
        if let Some(expected) = expected_rfc {
            if normalized_rfc(expected) != normalized_rfc(&self.facts.rfc) {
                problems.push(EfirmaError::RfcMismatch {
                    expected: normalized_rfc(expected),
                    found: self.facts.rfc.clone(),
                });
            }
        }
        problems
    }

    /// The first of [`Certificate::signing_problems`], if any.
    pub fn check_signing(
        &self,
        at: DateTime<Utc>,
        expected_rfc: Option<&str>,
    ) -> Result<(), EfirmaError> {
        match self.signing_problems(at, expected_rfc).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// The CA among `authorities` that issued this certificate: its subject is this
    /// certificate's issuer, it is a CA valid at `at`, and its key verifies this
    /// certificate's signature. SAT's certificates carry no key identifiers, so the
    /// issuer is found by name. Revocation (OCSP) is not checked here.
    pub fn issued_by<'a>(
        &self,
        authorities: &'a [Certificate],
        at: DateTime<Utc>,
    ) -> Result<&'a Certificate, EfirmaError> {
        let issuer = self
            .parsed
            .tbs_certificate()
            .issuer()
            .to_der()
            .map_err(|_| EfirmaError::Untrusted)?;
        let tbs = raw_tbs(&self.der).map_err(|_| EfirmaError::Untrusted)?;
        let signature = self.parsed.signature().raw_bytes();
        let algorithm = self.parsed.signature_algorithm().oid;
        authorities
            .iter()
            .find(|ca| {
                ca.parsed.tbs_certificate().subject().to_der().ok().as_ref() == Some(&issuer)
                    && ca.is_authority()
                    && ca.check_valid_at(at).is_ok()
                    && verify_rsa(&ca.public_key, algorithm, tbs, signature).is_ok()
            })
            .ok_or(EfirmaError::Untrusted)
    }

    fn is_authority(&self) -> bool {
        matches!(
            self.parsed.tbs_certificate().get_extension::<BasicConstraints>(),
            Ok(Some((_, constraints))) if constraints.ca
        )
    }
}
