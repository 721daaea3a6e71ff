//! The e.firma on submissions. A server with a trust store accepts a registration or a
//! bid signed over its exact snapshot by a FIEL of its RFC, current at the receipt,
//! issued by a trusted CA, and its receipt binds the signature; every other case is
//! refused with its own problem type, and nothing is recorded.

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use ventanilla_api::bid::BidRecord;
use ventanilla_api::registration::RegistrationAccepted;
use ventanilla_api::{LogPage, PublicKeys, Receipt, Revocation};
use ventanilla_efirma::{sign_detached, Certificate, Credentials};
use ventanilla_server::efirma::{EfirmaPolicy, OcspResponder};
use ventanilla_server::test_fiel::{Issued, Spec, TestCa, CURP_FISICA, PASSWORD, RFC_FISICA};

use super::common::{problem, rfc, start, start_instant, start_with, Server};
use super::tenders::{bid_body, post_bid, OPEN};

/// A server that trusts `ca` alone and refuses unsigned submissions.
async fn trusting(ca: &TestCa) -> Server {
    let authority = Certificate::from_der(&ca.certificate()).unwrap();
    start_with(|config| config.efirma = EfirmaPolicy::trusting(vec![authority])).await
}

/// A persona moral's FIEL for the company `rfc`, current around the test servers'
/// start.
fn company_fiel(rfc: &str) -> Spec {
    Spec {
        unique_identifier: format!("{rfc} / {RFC_FISICA}"),
        serial_number: format!(" / {CURP_FISICA}"),
        ..Spec::moral()
    }
    .valid(
        start_instant() - Duration::days(365),
        start_instant() + Duration::days(3 * 365),
    )
}

/// The `signature` field of `snapshot` signed by `issued` at `at`, as Ventanilla signs.
fn signed(issued: &Issued, snapshot: &str, at: DateTime<Utc>) -> String {
    let (certificate, key) = (issued.cer_bytes(), issued.key_bytes());
    let credentials = Credentials {
        certificate: &certificate,
        key: &key,
        password: PASSWORD.as_bytes(),
    };
    let p7s = sign_detached(&credentials, snapshot.as_bytes(), at, None).unwrap();
    ventanilla_api::signature::encode(&p7s)
}

/// The `signature` field of `snapshot` signed with `openssl cms -sign`, which signs with
/// any certificate (a CSD too).
fn signed_by_openssl(issued: &Issued, snapshot: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (content, p7s) = (dir.path().join("snapshot.json"), dir.path().join("s.p7s"));
    std::fs::write(&content, snapshot).unwrap();
    issued.openssl_sign(&content, &p7s);
    ventanilla_api::signature::encode(&std::fs::read(p7s).unwrap())
}

fn with_signature(mut body: Value, signature: &str) -> Value {
    body["signature"] = signature.into();
    body
}

fn snapshot(body: &Value) -> String {
    body["snapshot"].as_str().unwrap().to_owned()
}

/// A supplier account of `rfc` and a complete registration body for it, unsigned.
async fn registration(server: &Server, letters: &str) -> (String, String, Value) {
    let rfc = rfc(letters);
    let token = server
        .supplier(&format!("{letters}@example.mx"), &rfc)
        .await;
    let body = server.registration_body(&token, &rfc).await;
    (token, rfc, body)
}

async fn put(server: &Server, token: &str, rfc: &str, body: &Value) -> reqwest::Response {
    let key = body["submission_id"].as_str().unwrap().to_owned();
    server.put_registration(token, rfc, &key, body).await
}

/// Sends a registration of `letters` signed by `signature_of` its snapshot, answering
/// the response.
async fn register_signed_by(
    server: &Server,
    letters: &str,
    signature_of: impl FnOnce(&str) -> String,
) -> reqwest::Response {
    let (token, rfc, body) = registration(server, letters).await;
    let signature = signature_of(&snapshot(&body));
    put(server, &token, &rfc, &with_signature(body, &signature)).await
}

/// Checks that `receipt` is signed by the server and binds `signature` and its signer.
async fn assert_binds(server: &Server, receipt: &Receipt, signature: &str, issued: &Issued) {
    let keys: PublicKeys = server.get(None, "/v1/keys").await.json().await.unwrap();
    assert_eq!(
        receipt.verify(&keys.keys[0].verifying_key().unwrap()),
        Ok(())
    );
    let p7s = ventanilla_api::signature::decode(signature).unwrap();
    assert_eq!(
        receipt.signature_sha256.as_deref(),
        Some(ventanilla_api::sha256_hex(&p7s).as_str())
    );
    assert_eq!(
        receipt.signer.as_deref(),
        Some("OÑORO & ASOCIADOS SA DE CV")
    );
    assert_eq!(
        receipt.signer_certificate_number.as_deref(),
        Some(issued.certificate_number.as_str())
    );
    let mut forged = receipt.clone();
    forged.signature_sha256 = Some(ventanilla_api::sha256_hex(b"otra firma"));
    assert!(forged
        .verify(&keys.keys[0].verifying_key().unwrap())
        .is_err());
}

#[tokio::test]
async fn a_signed_registration_and_bid_are_accepted_and_their_receipts_bind_the_signature() {
    let ca = TestCa::new();
    let server = trusting(&ca).await;
    let (token, rfc, body) = registration(&server, "FIR").await;
    let fiel = ca.issue(&company_fiel(&rfc));
    let signature = signed(&fiel, &snapshot(&body), start_instant());
    let response = put(&server, &token, &rfc, &with_signature(body, &signature)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let accepted: RegistrationAccepted = response.json().await.unwrap();
    assert_binds(&server, &accepted.receipt, &signature, &fiel).await;

    let bid = bid_body(&rfc);
    let bid_signature = signed(&fiel, &snapshot(&bid), start_instant());
    let response = post_bid(&server, &token, OPEN, &with_signature(bid, &bid_signature)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: BidRecord = response.json().await.unwrap();
    assert_binds(&server, &record.receipt, &bid_signature, &fiel).await;

    // The log shows its owner who signed each of its receipts.
    let page: LogPage = server
        .get(Some(&token), "/v1/log")
        .await
        .json()
        .await
        .unwrap();
    let signers: Vec<_> = page
        .entries
        .iter()
        .filter_map(|e| e.receipt.as_ref())
        .map(|r| (r.signer.clone(), r.signer_certificate_number.clone()))
        .collect();
    let expected = (
        Some("OÑORO & ASOCIADOS SA DE CV".to_owned()),
        Some(fiel.certificate_number.clone()),
    );
    assert_eq!(signers, [expected.clone(), expected]);
}

#[tokio::test]
async fn an_unsigned_submission_is_refused_as_missing_and_nothing_is_recorded() {
    let ca = TestCa::new();
    let server = trusting(&ca).await;
    let (token, rfc, body) = registration(&server, "MIS").await;
    let refused = problem(
        put(&server, &token, &rfc, &body).await,
        422,
        "efirma/missing",
    )
    .await;
    assert!(refused.detail.contains("e.firma"), "{}", refused.detail);
    // Not registered: the same key, now signed, is accepted (refusals are not kept).
    let fiel = ca.issue(&company_fiel(&rfc));
    let signature = signed(&fiel, &snapshot(&body), start_instant());
    let response = put(&server, &token, &rfc, &with_signature(body, &signature)).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let bid = bid_body(&rfc);
    problem(
        post_bid(&server, &token, OPEN, &bid).await,
        422,
        "efirma/missing",
    )
    .await;
    let page: LogPage = server.get(None, "/v1/log").await.json().await.unwrap();
    assert_eq!(page.entries.len(), 1, "only the signed registration");
}

#[tokio::test]
async fn a_tampered_snapshot_or_another_files_signature_is_refused() {
    let ca = TestCa::new();
    let server = trusting(&ca).await;
    let (token, rfc, body) = registration(&server, "TAM").await;
    let fiel = ca.issue(&company_fiel(&rfc));
    let signature = signed(&fiel, &snapshot(&body), start_instant());

    let mut tampered = with_signature(body.clone(), &signature);
    tampered["snapshot"] = snapshot(&body)
        .replace("Comercializadora", "Distribuidora")
        .into();
    let refused = problem(
        put(&server, &token, &rfc, &tampered).await,
        422,
        "efirma/bad-signature",
    )
    .await;
    assert_eq!(refused.errors[0].pointer, "/signature");
    assert_eq!(refused.errors[0].code, "signature_invalid");

    let other_file = signed(&fiel, "{\"otro\":\"archivo\"}", start_instant());
    let response = put(
        &server,
        &token,
        &rfc,
        &with_signature(body.clone(), &other_file),
    )
    .await;
    problem(response, 422, "efirma/bad-signature").await;

    for garbage in ["no es base64 ☃", "aGVsbG8="] {
        let response = put(
            &server,
            &token,
            &rfc,
            &with_signature(body.clone(), garbage),
        )
        .await;
        problem(response, 422, "efirma/bad-signature").await;
    }
}

#[tokio::test]
async fn a_csd_is_refused_as_not_a_fiel() {
    let ca = TestCa::new();
    let server = trusting(&ca).await;
    let response = register_signed_by(&server, "CSD", |snapshot| {
        let csd = ca.issue(&company_fiel(&rfc("CSD")).csd());
        signed_by_openssl(&csd, snapshot)
    })
    .await;
    let refused = problem(response, 422, "efirma/not-fiel").await;
    assert!(
        refused.detail.contains("sello digital"),
        "{}",
        refused.detail
    );
}

#[tokio::test]
async fn validity_is_judged_at_the_receipt_not_at_the_claimed_signing_time() {
    let ca = TestCa::new();
    let server = trusting(&ca).await;
    let (token, rfc, body) = registration(&server, "VEN").await;
    // Valid until an hour after the server's start, signed while it was valid.
    let fiel = ca.issue(&company_fiel(&rfc).valid(
        start_instant() - Duration::days(365),
        start_instant() + Duration::hours(1),
    ));
    let signature = signed(&fiel, &snapshot(&body), start_instant());
    server.clock.advance(Duration::hours(2));
    let response = put(&server, &token, &rfc, &with_signature(body, &signature)).await;
    let refused = problem(response, 422, "efirma/expired").await;
    assert!(refused.detail.contains("venció"), "{}", refused.detail);
}

#[tokio::test]
async fn a_fiel_from_another_ca_is_untrusted() {
    let (ca, stranger) = (TestCa::new(), TestCa::new());
    let server = trusting(&ca).await;
    let response = register_signed_by(&server, "UNT", |snapshot| {
        let fiel = stranger.issue(&company_fiel(&rfc("UNT")));
        signed(&fiel, snapshot, start_instant())
    })
    .await;
    problem(response, 422, "efirma/untrusted").await;
}

#[tokio::test]
async fn a_fiel_of_another_rfc_than_the_company_is_refused() {
    let ca = TestCa::new();
    let server = trusting(&ca).await;
    // The representative's own FIEL does not sign for the company.
    let response = register_signed_by(&server, "RFM", |snapshot| {
        let representative = ca.issue(&Spec::fisica().valid(
            start_instant() - Duration::days(365),
            start_instant() + Duration::days(365),
        ));
        signed(&representative, snapshot, start_instant())
    })
    .await;
    let refused = problem(response, 422, "efirma/rfc-mismatch").await;
    assert!(refused.detail.contains(RFC_FISICA), "{}", refused.detail);
}

#[tokio::test]
async fn without_a_trust_store_unsigned_is_accepted_and_a_signature_still_checked_and_bound() {
    let server = start().await;
    let (token, rfc, body) = registration(&server, "SIN").await;
    let unsigned = body.clone();
    let response = put(&server, &token, &rfc, &unsigned).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let accepted: RegistrationAccepted = response.json().await.unwrap();
    assert_eq!(accepted.receipt.signature_sha256, None);

    let ca = TestCa::new();
    let fiel = ca.issue(&company_fiel(&rfc));
    let bid = bid_body(&rfc);
    let mut tampered = with_signature(
        bid.clone(),
        &signed(&fiel, &snapshot(&bid), start_instant()),
    );
    tampered["snapshot"] = "{\"economica\":{\"total\":\"1.00\"}}".into();
    problem(
        post_bid(&server, &token, OPEN, &tampered).await,
        422,
        "efirma/bad-signature",
    )
    .await;
    let signature = signed(&fiel, &snapshot(&bid), start_instant());
    let response = post_bid(&server, &token, OPEN, &with_signature(bid, &signature)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let record: BidRecord = response.json().await.unwrap();
    assert_binds(&server, &record.receipt, &signature, &fiel).await;
}

/// Starts the real binary with `args`, answering once it listens (then stops it), or
/// with what it printed when it exited instead.
fn start_binary(args: &[&std::ffi::OsStr]) -> Result<(), String> {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let mut printed = String::new();
    for line in lines.map_while(Result::ok) {
        if line.contains("listening on ") {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(());
        }
        printed.push_str(&line);
    }
    assert_eq!(child.wait().unwrap().code(), Some(1), "{printed}");
    Err(printed)
}

#[test]
fn a_server_outside_the_sandbox_starts_only_with_a_readable_trust_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("datos");
    let cas = dir.path().join("ac-sat");
    std::fs::create_dir(&cas).unwrap();
    let with = |extra: &[&std::ffi::OsStr]| {
        let mut args = vec!["--data-dir".as_ref(), data.as_os_str()];
        args.extend_from_slice(extra);
        start_binary(&args)
    };
    let refused = with(&[]).unwrap_err();
    assert!(refused.contains("--efirma-ca"), "{refused}");
    let refused = with(&["--efirma-ca".as_ref(), cas.as_os_str()]).unwrap_err();
    assert!(refused.contains("no tiene certificados"), "{refused}");
    std::fs::write(cas.join("notas.txt"), "no es un certificado").unwrap();
    let refused = with(&["--efirma-ca".as_ref(), cas.as_os_str()]).unwrap_err();
    assert!(refused.contains("notas.txt"), "{refused}");

    std::fs::remove_file(cas.join("notas.txt")).unwrap();
    let (sat, other) = (TestCa::new(), TestCa::new());
    std::fs::write(cas.join("ac-sat.cer"), sat.certificate()).unwrap();
    std::fs::copy(other.certificate_pem(), cas.join("ac-otra.pem")).unwrap();
    assert_eq!(with(&["--efirma-ca".as_ref(), cas.as_os_str()]), Ok(()));
    assert_eq!(with(&["--allow-unsigned".as_ref()]), Ok(()));
}

#[tokio::test]
async fn the_sandbox_trusts_its_test_ca_and_issues_test_fiels_for_it() {
    let server = super::common::ServerProcess::start("022", &[]);
    let rfc = rfc("SAN");
    let out = tempfile::tempdir().unwrap();
    let issued = std::process::Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
        .args(["test-fiel", "--data-dir"])
        .arg(&server.data_dir)
        .args(["--rfc", &rfc, "--name", "Sandbox SA de CV", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(issued.status.success(), "{issued:?}");
    let files: Value = serde_json::from_slice(&issued.stdout).unwrap();
    let read = |field: &str| std::fs::read(files[field].as_str().unwrap()).unwrap();
    let password = String::from_utf8(read("password_file")).unwrap();

    let token = server.supplier("sandbox@example.mx", &rfc).await;
    let body = server.registration_body(&token, &rfc).await;
    let key = body["submission_id"].as_str().unwrap().to_owned();
    let unsigned = server.put_registration(&token, &rfc, &key, &body).await;
    problem(unsigned, 422, "efirma/missing").await;

    let (certificate, private_key) = (read("cer"), read("key"));
    let credentials = Credentials {
        certificate: &certificate,
        key: &private_key,
        password: password.trim_end().as_bytes(),
    };
    let p7s = sign_detached(
        &credentials,
        snapshot(&body).as_bytes(),
        Utc::now(),
        Some(&rfc),
    )
    .unwrap();
    let signed = with_signature(body, &ventanilla_api::signature::encode(&p7s));
    let response = server.put_registration(&token, &rfc, &key, &signed).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let accepted: RegistrationAccepted = response.json().await.unwrap();
    assert_eq!(accepted.receipt.signer.as_deref(), Some("SANDBOX SA DE CV"));
    assert_eq!(
        accepted.receipt.signer_certificate_number.as_deref(),
        files["certificate_number"].as_str()
    );
}

/// A server that trusts `ca` and asks the OCSP responder at `url` about each signer, on
/// the machine's clock (a responder dates its answers now).
async fn trusting_with_ocsp(ca: &TestCa, url: &str) -> Server {
    let authority = Certificate::from_der(&ca.certificate()).unwrap();
    let responder = OcspResponder::new(url).unwrap();
    start_with(|config| {
        config.efirma = EfirmaPolicy {
            ocsp: Some(responder),
            ..EfirmaPolicy::trusting(vec![authority])
        };
        config.clock = None;
    })
    .await
}

/// A FIEL of `ca` for the company of `letters`, current now.
fn company_fiel_of(ca: &TestCa, letters: &str) -> Issued {
    ca.issue(&company_fiel(&rfc(letters)))
}

/// Sends a registration of `letters` signed now by `fiel`, answering the response.
async fn register_now(server: &Server, fiel: &Issued, letters: &str) -> reqwest::Response {
    register_signed_by(server, letters, |snapshot| {
        signed(fiel, snapshot, Utc::now())
    })
    .await
}

#[tokio::test]
async fn with_ocsp_a_current_fiel_is_accepted_as_checked_and_a_revoked_one_refused() {
    let ca = TestCa::new();
    let (current, revoked) = (company_fiel_of(&ca, "OCG"), company_fiel_of(&ca, "OCR"));
    ca.revoke(&revoked);
    let responder = ca.ocsp_responder();
    let server = trusting_with_ocsp(&ca, &responder.url).await;

    let response = register_now(&server, &current, "OCG").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let accepted: RegistrationAccepted = response.json().await.unwrap();
    assert_eq!(accepted.receipt.signer_revocation, Some(Revocation::Good));
    // The receipt's signature covers the check's outcome.
    let keys: PublicKeys = server.get(None, "/v1/keys").await.json().await.unwrap();
    let key = keys.keys[0].verifying_key().unwrap();
    assert_eq!(accepted.receipt.verify(&key), Ok(()));
    let mut forged = accepted.receipt.clone();
    forged.signer_revocation = Some(Revocation::Unverified);
    assert!(forged.verify(&key).is_err());

    let refused = problem(
        register_now(&server, &revoked, "OCR").await,
        422,
        "efirma/revoked",
    )
    .await;
    assert!(refused.detail.contains("revocó"), "{}", refused.detail);
    let page: LogPage = server.get(None, "/v1/log").await.json().await.unwrap();
    assert_eq!(page.entries.len(), 1, "the revoked one left nothing");
}

#[tokio::test]
async fn without_an_answer_from_ocsp_the_submission_is_accepted_as_not_verified() {
    let ca = TestCa::new();
    // A responder that is gone: nothing listens at its address any more.
    let url = ca.ocsp_responder().url.clone();
    let server = trusting_with_ocsp(&ca, &url).await;
    let response = register_now(&server, &company_fiel_of(&ca, "OCU"), "OCU").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let accepted: RegistrationAccepted = response.json().await.unwrap();
    assert_eq!(
        accepted.receipt.signer_revocation,
        Some(Revocation::Unverified)
    );
    // Without a responder configured, the same: nothing was verified.
    let plain = trusting(&ca).await;
    let fiel = company_fiel_of(&ca, "OCN");
    let response = register_signed_by(&plain, "OCN", |snapshot| {
        signed(&fiel, snapshot, start_instant())
    })
    .await;
    let accepted: RegistrationAccepted = response.json().await.unwrap();
    assert_eq!(
        accepted.receipt.signer_revocation,
        Some(Revocation::Unverified)
    );
}
