//! FIELs and CSDs of SAT's shapes made by `openssl` (the test CA), read, refused, signed
//! with and verified, with `openssl cms` checking our signatures and making signatures
//! we check.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use ventanilla_core::Locale;
use ventanilla_efirma::{
    inspect, sign_detached, verify_detached, verify_fiel_signature, Certificate, Credentials,
    EfirmaError, Kind,
};
use ventanilla_testkit::efirma::{
    openssl_verify, Issued, Spec, TestCa, CURP_FISICA, PASSWORD, RFC_FISICA, RFC_MORAL,
};

fn credentials<'a>(cer: &'a [u8], key: &'a [u8]) -> Credentials<'a> {
    Credentials {
        certificate: cer,
        key,
        password: PASSWORD.as_bytes(),
    }
}

fn codes(problems: &[EfirmaError]) -> Vec<&'static str> {
    problems.iter().map(EfirmaError::code).collect()
}

/// `openssl` with `args`: whether it succeeded, and what it printed.
fn openssl(args: &[&str]) -> (bool, String) {
    let output = Command::new("openssl").args(args).output().unwrap();
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

fn sign_file(fiel: &Issued, content: &[u8], at: DateTime<Utc>) -> Vec<u8> {
    let (cer, key) = (fiel.cer_bytes(), fiel.key_bytes());
    sign_detached(&credentials(&cer, &key), content, at, None).unwrap()
}

#[test]
fn a_persona_fisica_fiel_reads_as_sat_writes_it_with_latin1_enye() {
    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::fisica());
    let (cer, key) = (fiel.cer_bytes(), fiel.key_bytes());
    let inspection = inspect(&credentials(&cer, &key), Utc::now(), Some("iañl750210963 "));
    assert!(inspection.usable(), "{:?}", inspection.problems);
    let facts = inspection.certificate.unwrap();
    assert_eq!(facts.kind, Kind::Fiel);
    assert_eq!(facts.rfc, RFC_FISICA);
    assert_eq!(facts.representative_rfc, None);
    assert_eq!(facts.curp.as_deref(), Some(CURP_FISICA));
    assert_eq!(facts.holder, "JOSÉ IAÑEZ LÓPEZ");
    assert_eq!(facts.email.as_deref(), Some("contacto@ejemplo.mx"));
    assert_eq!(facts.certificate_number, fiel.certificate_number);
    assert_eq!(facts.certificate_number.len(), 20);
    assert!(facts
        .issuer
        .starts_with("C=MX, O=Ventanilla pruebas, CN=AC DE PRUEBAS"));
    assert!(facts.not_before < Utc::now() && Utc::now() < facts.not_after);
}

#[test]
fn a_persona_moral_fiel_is_the_companys_with_its_representative() {
    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::moral());
    let (cer, key) = (fiel.cer_bytes(), fiel.key_bytes());
    let inspection = inspect(&credentials(&cer, &key), Utc::now(), Some(RFC_MORAL));
    assert!(inspection.usable(), "{:?}", inspection.problems);
    let facts = inspection.certificate.unwrap();
    assert_eq!(facts.rfc, RFC_MORAL);
    assert_eq!(facts.representative_rfc.as_deref(), Some(RFC_FISICA));
    assert_eq!(facts.curp.as_deref(), Some(CURP_FISICA));
    assert_eq!(facts.holder, "OÑORO & ASOCIADOS SA DE CV");

    // The representative's RFC is not the business's.
    let inspection = inspect(&credentials(&cer, &key), Utc::now(), Some(RFC_FISICA));
    assert_eq!(codes(&inspection.problems), ["certificate_rfc_mismatch"]);
    let message = inspection.problems[0].message(Locale::Es);
    assert!(
        message.contains(RFC_MORAL) && message.contains(RFC_FISICA),
        "{message}"
    );
    assert_eq!(
        sign_detached(&credentials(&cer, &key), b"x", Utc::now(), Some(RFC_FISICA)),
        Err(inspection.problems[0].clone())
    );
}

#[test]
fn a_csd_is_told_apart_and_refused_for_signing() {
    let ca = TestCa::new();
    let csd = ca.issue(&Spec::fisica().csd());
    let (cer, key) = (csd.cer_bytes(), csd.key_bytes());
    let inspection = inspect(&credentials(&cer, &key), Utc::now(), None);
    assert_eq!(inspection.certificate.as_ref().unwrap().kind, Kind::Csd);
    assert_eq!(codes(&inspection.problems), ["certificate_is_csd"]);
    assert!(inspection.problems[0]
        .message(Locale::Es)
        .contains("sello digital (CSD)"));
    assert_eq!(
        sign_detached(&credentials(&cer, &key), b"x", Utc::now(), None),
        Err(EfirmaError::NotFiel(Kind::Csd))
    );
}

#[test]
fn expired_and_not_yet_valid_certificates_are_refused_at_the_instant_given() {
    let ca = TestCa::new();
    let now = Utc::now();
    let expired =
        ca.issue(&Spec::fisica().valid(now - Duration::days(1500), now - Duration::days(40)));
    let (cer, key) = (expired.cer_bytes(), expired.key_bytes());
    let inspection = inspect(&credentials(&cer, &key), now, None);
    assert_eq!(codes(&inspection.problems), ["certificate_expired"]);
    // Back when it was valid, it could sign.
    assert!(inspect(&credentials(&cer, &key), now - Duration::days(100), None).usable());

    let future =
        ca.issue(&Spec::fisica().valid(now + Duration::days(3), now + Duration::days(900)));
    let (cer, key) = (future.cer_bytes(), future.key_bytes());
    let inspection = inspect(&credentials(&cer, &key), now, None);
    assert_eq!(codes(&inspection.problems), ["certificate_not_yet_valid"]);
    assert!(matches!(
        sign_detached(&credentials(&cer, &key), b"x", now, None),
        Err(EfirmaError::NotYetValid { .. })
    ));
}

#[test]
fn a_key_of_another_certificate_is_refused() {
    let ca = TestCa::new();
    let one = ca.issue(&Spec::fisica());
    let other = ca.issue(&Spec::fisica());
    let (cer, key) = (one.cer_bytes(), other.key_bytes());
    let inspection = inspect(&credentials(&cer, &key), Utc::now(), None);
    assert_eq!(codes(&inspection.problems), ["key_mismatch"]);
    assert_eq!(
        sign_detached(&credentials(&cer, &key), b"x", Utc::now(), None),
        Err(EfirmaError::KeyMismatch)
    );
}

#[test]
fn files_of_another_kind_and_an_empty_password_are_told_apart() {
    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::fisica());
    let (cer, key) = (fiel.cer_bytes(), fiel.key_bytes());
    let pem_cer = std::fs::read(&fiel.cer_pem).unwrap();
    let pem_key = std::fs::read(&fiel.key_pem).unwrap();
    let now = Utc::now();
    for not_a_certificate in [&b""[..], b"hola", &pem_cer, &key] {
        let inspection = inspect(&credentials(not_a_certificate, &key), now, None);
        assert!(inspection.certificate.is_none());
        assert_eq!(codes(&inspection.problems), ["certificate_unreadable"]);
    }
    for not_a_key in [&b""[..], &pem_key, &cer] {
        let inspection = inspect(&credentials(&cer, not_a_key), now, None);
        assert_eq!(codes(&inspection.problems), ["key_unreadable"]);
    }
    let empty = Credentials {
        password: b"",
        ..credentials(&cer, &key)
    };
    assert_eq!(
        codes(&inspect(&empty, now, None).problems),
        ["password_missing"]
    );
}

/// A small deterministic generator, so a failure names its password.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn every_wrong_password_reads_as_the_password_and_never_panics() {
    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::fisica());
    let (cer, key) = (fiel.cer_bytes(), fiel.key_bytes());
    let alphabet: Vec<char> =
        "abcdefghijkmnopqrstuvwxyzABCDEFGHIJKLMNÑOPQRSTUVWXYZ0123456789ñáé_-.@ "
            .chars()
            .collect();
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut tried = 0;
    while tried < 300 {
        let length = 1 + (random.next() % 24) as usize;
        let password: String = (0..length)
            .map(|_| alphabet[(random.next() % alphabet.len() as u64) as usize])
            .collect();
        if password == PASSWORD {
            continue;
        }
        tried += 1;
        let wrong = Credentials {
            password: password.as_bytes(),
            ..credentials(&cer, &key)
        };
        let inspection = inspect(&wrong, Utc::now(), None);
        assert_eq!(
            codes(&inspection.problems),
            ["wrong_password"],
            "{password:?}"
        );
        assert!(inspection.problems[0]
            .message(Locale::Es)
            .to_lowercase()
            .contains("la contraseña de la llave privada no es correcta"));
    }
}

#[test]
fn our_signature_verifies_with_openssl_and_here_with_its_facts() {
    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::moral());
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("propuesta.pdf");
    std::fs::write(&content, b"%PDF-1.7 propuesta \x00\xff\r\n binaria").unwrap();
    let at = Utc::now().trunc_subsecs(0);
    let p7s = sign_file(&fiel, &std::fs::read(&content).unwrap(), at);
    let p7s_path = dir.path().join("propuesta.pdf.p7s");
    std::fs::write(&p7s_path, &p7s).unwrap();
    openssl_verify(&content, &p7s_path, None).unwrap();
    // The full chain too, through openssl's own checks of our CA.
    openssl_verify(&content, &p7s_path, Some(&ca.certificate_pem())).unwrap();
    let (_, printed) = openssl(&[
        "cms",
        "-cmsout",
        "-print",
        "-inform",
        "DER",
        "-in",
        p7s_path.to_str().unwrap(),
    ]);
    for attribute in [
        "contentType",
        "messageDigest",
        "signingTime",
        "signingCertificateV2",
    ] {
        assert!(
            printed.contains(attribute),
            "{attribute} missing:\n{printed}"
        );
    }
    assert!(printed.contains("eContent: <ABSENT>"), "{printed}");

    let verified = verify_detached(&std::fs::read(&content).unwrap(), &p7s).unwrap();
    assert_eq!(verified.signing_time, Some(at));
    assert_eq!(verified.signer.facts().rfc, RFC_MORAL);
    assert_eq!(
        verified.signer.facts().certificate_number,
        fiel.certificate_number
    );
}

#[test]
fn an_openssl_signature_verifies_here() {
    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::fisica());
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("anexo.txt");
    std::fs::write(&content, "Anexo técnico\n".repeat(1000)).unwrap();
    let p7s_path = dir.path().join("anexo.txt.p7s");
    fiel.openssl_sign(&content, &p7s_path);
    let verified = verify_detached(
        &std::fs::read(&content).unwrap(),
        &std::fs::read(&p7s_path).unwrap(),
    )
    .unwrap();
    assert_eq!(verified.signer.facts().rfc, RFC_FISICA);
    let signed_at = verified.signing_time.unwrap();
    assert!((Utc::now() - signed_at).num_minutes().abs() < 5);
}

#[test]
fn tampered_content_and_a_signature_of_another_file_are_refused() {
    let ca = TestCa::new();
    let fiel = ca.issue(&Spec::fisica());
    let dir = tempfile::tempdir().unwrap();
    let original = b"Precio total: $1,000.00".to_vec();
    let p7s = sign_file(&fiel, &original, Utc::now());
    let tampered = b"Precio total: $9,000.00".to_vec();
    assert_eq!(
        verify_detached(&tampered, &p7s).unwrap_err(),
        EfirmaError::SignatureInvalid
    );
    let other_p7s = sign_file(&fiel, b"otro archivo", Utc::now());
    assert_eq!(
        verify_detached(&original, &other_p7s).unwrap_err(),
        EfirmaError::SignatureInvalid
    );
    // openssl agrees.
    let (content, p7s_path) = (dir.path().join("c"), dir.path().join("c.p7s"));
    std::fs::write(&content, &tampered).unwrap();
    std::fs::write(&p7s_path, &p7s).unwrap();
    assert!(openssl_verify(&content, &p7s_path, None).is_err());

    // A flipped byte anywhere never panics, and never verifies to other facts: what
    // the signature does not cover (its list of digest algorithms) may change, what it
    // covers may not.
    let facts = verify_detached(&original, &p7s)
        .unwrap()
        .signer
        .facts()
        .clone();
    let mut refused = 0;
    for position in 0..p7s.len() {
        let mut broken = p7s.clone();
        broken[position] ^= 0x01;
        match verify_detached(&original, &broken) {
            Ok(verified) => assert_eq!(verified.signer.facts(), &facts, "byte {position}"),
            Err(_) => refused += 1,
        }
    }
    assert!(refused > p7s.len() * 9 / 10, "{refused} of {}", p7s.len());
    for garbage in [&b""[..], b"no es una firma", &fiel.cer_bytes()] {
        assert_eq!(
            verify_detached(&original, garbage).unwrap_err(),
            EfirmaError::SignatureUnreadable
        );
    }
}

#[test]
fn a_submission_is_accepted_only_from_a_current_fiel_of_a_trusted_ca_and_its_rfc() {
    let ca = TestCa::new();
    let stranger = TestCa::new();
    let trusted = [Certificate::from_der(&ca.certificate()).unwrap()];
    let fiel = ca.issue(&Spec::moral());
    let content = b"snapshot exacto".to_vec();
    let now = Utc::now();
    let p7s = sign_file(&fiel, &content, now);
    let verified = verify_fiel_signature(&content, &p7s, &trusted, now, Some(RFC_MORAL)).unwrap();
    assert_eq!(verified.signer.facts().rfc, RFC_MORAL);
    let issuer = verified.signer.issued_by(&trusted, now).unwrap();
    assert_eq!(issuer.der(), ca.certificate());

    assert_eq!(
        verify_fiel_signature(&content, &p7s, &trusted, now, Some(RFC_FISICA)).unwrap_err(),
        EfirmaError::RfcMismatch {
            expected: RFC_FISICA.into(),
            found: RFC_MORAL.into()
        }
    );
    let later = now + Duration::days(5 * 365);
    assert!(matches!(
        verify_fiel_signature(&content, &p7s, &trusted, later, None).unwrap_err(),
        EfirmaError::Expired { .. }
    ));
    // A FIEL of the same shape from another CA is not the SAT's.
    let forged = stranger.issue(&Spec::moral());
    let forged_p7s = sign_file(&forged, &content, now);
    assert!(verify_detached(&content, &forged_p7s).is_ok());
    assert_eq!(
        verify_fiel_signature(&content, &forged_p7s, &trusted, now, Some(RFC_MORAL)).unwrap_err(),
        EfirmaError::Untrusted
    );
    assert_eq!(
        verify_fiel_signature(&content, &p7s, &[], now, None).unwrap_err(),
        EfirmaError::Untrusted
    );
    // A CSD's signature (made by openssl, as we refuse to make one) is no FIEL's.
    let csd = ca.issue(&Spec::moral().csd());
    let dir = tempfile::tempdir().unwrap();
    let (file, p7s_path) = (dir.path().join("f"), dir.path().join("f.p7s"));
    std::fs::write(&file, &content).unwrap();
    csd.openssl_sign(&file, &p7s_path);
    assert_eq!(
        verify_fiel_signature(
            &content,
            &std::fs::read(&p7s_path).unwrap(),
            &trusted,
            now,
            None
        )
        .unwrap_err(),
        EfirmaError::NotFiel(Kind::Csd)
    );
}

#[test]
fn every_refusal_has_a_code_and_a_message_in_both_languages() {
    let at = Utc::now();
    let all = [
        EfirmaError::CertificateUnreadable,
        EfirmaError::KeyUnreadable,
        EfirmaError::PasswordMissing,
        EfirmaError::WrongPassword,
        EfirmaError::KeyMismatch,
        EfirmaError::NotFiel(Kind::Csd),
        EfirmaError::NotFiel(Kind::Other),
        EfirmaError::Expired { not_after: at },
        EfirmaError::NotYetValid { not_before: at },
        EfirmaError::RfcMismatch {
            expected: "A".into(),
            found: "B".into(),
        },
        EfirmaError::Untrusted,
        EfirmaError::SignatureUnreadable,
        EfirmaError::SignatureUnsupported,
        EfirmaError::SignatureInvalid,
        EfirmaError::SigningFailed,
    ];
    let mut seen = std::collections::HashSet::new();
    for error in &all {
        assert!(seen.insert(error.code()), "{} repeated", error.code());
        let (es, en) = (error.message(Locale::Es), error.message(Locale::En));
        assert!(!es.is_empty() && !en.is_empty() && es != en);
    }
}
