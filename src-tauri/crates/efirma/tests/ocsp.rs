//! OCSP against `openssl ocsp` answering for the test CA: our request is one openssl
//! reads, and its signed answers (good, revoked, unknown) are read as it meant them;
//! an answer tampered with, signed by another CA, about another certificate or out of
//! date is not taken.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, Utc};
use ventanilla_efirma::ocsp::{read_response, request, CertificateStatus, OcspError};
use ventanilla_efirma::Certificate;
use ventanilla_testkit::efirma::{Spec, TestCa};

fn certificate(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

#[test]
fn openssl_reads_our_request_and_its_answers_say_good_then_revoked() {
    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::fisica());
    let (signer, issuer) = (
        certificate(&fiel.cer_bytes()),
        certificate(&ca.certificate()),
    );
    let asked = request(&signer, &issuer);

    let answer = ca.ocsp_answer(&asked);
    assert_eq!(
        read_response(&answer, &signer, &issuer, Utc::now()),
        Ok(CertificateStatus::Good)
    );

    ca.revoke(&fiel);
    let answer = ca.ocsp_answer(&asked);
    match read_response(&answer, &signer, &issuer, Utc::now()) {
        Ok(CertificateStatus::Revoked { at }) => {
            assert!((Utc::now() - at).abs() < Duration::minutes(5), "{at}")
        }
        other => panic!("not revoked: {other:?}"),
    }
}

#[test]
fn a_certificate_the_ca_has_no_record_of_is_unknown() {
    let (ca, other) = (TestCa::new(), TestCa::new());
    let issuer = certificate(&ca.certificate());
    // Issued by another CA under the same name, so only the serial differs in the
    // records `ca` answers from.
    let stranger = certificate(&other.issue(&Spec::fisica()).cer_bytes());
    let answer = ca.ocsp_answer(&request(&stranger, &issuer));
    assert_eq!(
        read_response(&answer, &stranger, &issuer, Utc::now()),
        Ok(CertificateStatus::Unknown)
    );
}

#[test]
fn an_answer_that_cannot_be_trusted_is_not_taken() {
    let (ca, other) = (TestCa::new(), TestCa::new());
    let issued = ca.issue(&Spec::fisica());
    let first = certificate(&issued.cer_bytes());
    let second = certificate(&ca.issue(&Spec::moral()).cer_bytes());
    let issuer = certificate(&ca.certificate());
    let answer = ca.ocsp_answer(&request(&first, &issuer));

    // About another certificate of the same CA.
    assert_eq!(
        read_response(&answer, &second, &issuer, Utc::now()),
        Err(OcspError::OtherCertificate)
    );
    // Signed by a CA that did not issue the certificate.
    let forged = other.ocsp_answer(&request(&first, &issuer));
    assert_eq!(
        read_response(&forged, &first, &issuer, Utc::now()),
        Err(OcspError::Unsigned)
    );
    // Its signed part changed (the certificate's serial, the ASCII of its número de
    // certificado, now names another): the signature no longer holds.
    let serial = issued.certificate_number.as_bytes();
    let at = answer
        .windows(serial.len())
        .position(|w| w == serial)
        .unwrap();
    let mut tampered = answer.clone();
    tampered[at + serial.len() - 1] ^= 0x01;
    assert_eq!(
        read_response(&tampered, &first, &issuer, Utc::now()),
        Err(OcspError::Unsigned)
    );
    // Out of date: produced now, asked about a week from now.
    assert_eq!(
        read_response(&answer, &first, &issuer, Utc::now() + Duration::days(7)),
        Err(OcspError::Stale)
    );
    // Not an OCSP response at all.
    assert_eq!(
        read_response(b"<html>504</html>", &first, &issuer, Utc::now()),
        Err(OcspError::Unreadable)
    );
}
