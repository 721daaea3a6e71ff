//! `ventanilla efirma` on FIELs and CSDs made by the `openssl` test CA: inspect, sign
//! and verify as a script would run them, with `openssl cms` checking the signature.
#![allow(clippy::unwrap_used)]

mod binary;

use std::path::Path;

use binary::{command, run, ventanilla};
use serde_json::Value;
use ventanilla_testkit::efirma::{
    openssl_verify, Issued, Spec, TestCa, PASSWORD, RFC_FISICA, RFC_MORAL,
};

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The password in a file, with the newline an editor leaves.
fn password_file(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("password.txt");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    file
}

fn fiel_args<'a>(fiel: &'a Issued, password: &'a Path) -> Vec<&'a str> {
    vec![
        "--cer",
        path(&fiel.cer),
        "--key",
        path(&fiel.key),
        "--password-file",
        path(password),
    ]
}

fn first_error_code(json: &Value) -> &str {
    json["errors"][0]["code"]
        .as_str()
        .or_else(|| json["error"]["code"].as_str())
        .unwrap()
}

#[test]
fn inspect_prints_the_facts_and_passes_only_a_current_fiel_whose_key_matches() {
    let ca = TestCa::new();
    let dir = tempfile::tempdir().unwrap();
    let password = password_file(dir.path());
    let fiel = ca.issue(&Spec::moral());
    let mut args = vec!["efirma", "inspect"];
    args.extend(fiel_args(&fiel, &password));
    let (status, json) = ventanilla(dir.path(), &args);
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["usable"], true);
    assert_eq!(json["kind"], "fiel");
    assert_eq!(json["rfc"], RFC_MORAL);
    assert_eq!(json["representative_rfc"], RFC_FISICA);
    assert_eq!(json["holder"], "OÑORO & ASOCIADOS SA DE CV");
    assert_eq!(json["certificate_number"], fiel.certificate_number);
    assert!(json["not_after"].as_str().is_some());
    assert!(json["issuer"].as_str().unwrap().contains("AC DE PRUEBAS"));
    assert_eq!(json["errors"], Value::Array(vec![]));

    // Another business's RFC.
    args.extend(["--rfc", RFC_FISICA]);
    let (status, json) = ventanilla(dir.path(), &args);
    assert_eq!(status, 1);
    assert_eq!(first_error_code(&json), "certificate_rfc_mismatch");

    let csd = ca.issue(&Spec::fisica().csd());
    let mut args = vec!["efirma", "inspect"];
    args.extend(fiel_args(&csd, &password));
    let (status, json) = ventanilla(dir.path(), &args);
    assert_eq!(status, 1);
    assert_eq!(json["usable"], false);
    assert_eq!(json["kind"], "csd");
    assert_eq!(first_error_code(&json), "certificate_is_csd");
}

#[test]
fn a_wrong_password_on_standard_input_is_refused_in_spanish() {
    let ca = TestCa::new();
    let dir = tempfile::tempdir().unwrap();
    let fiel = ca.issue(&Spec::fisica());
    let (status, json, _) = run(
        command(dir.path()).args([
            "efirma",
            "inspect",
            "--cer",
            path(&fiel.cer),
            "--key",
            path(&fiel.key),
        ]),
        "no es la clave\n",
    );
    assert_eq!(status, 1);
    assert_eq!(first_error_code(&json), "wrong_password");
    assert!(json["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("La contraseña de la llave privada no es correcta"));
    // The right facts are still shown, so the person sees whose FIEL it is.
    assert_eq!(json["rfc"], RFC_FISICA);
}

#[test]
fn sign_writes_a_p7s_openssl_accepts_and_verify_checks_it_against_the_file() {
    let ca = TestCa::new();
    let dir = tempfile::tempdir().unwrap();
    let password = password_file(dir.path());
    let fiel = ca.issue(&Spec::fisica());
    let proposal = dir.path().join("propuesta técnica.pdf");
    std::fs::write(&proposal, b"%PDF-1.7\n propuesta").unwrap();
    let mut args = vec!["efirma", "sign", path(&proposal)];
    args.extend(fiel_args(&fiel, &password));
    let (status, json) = ventanilla(dir.path(), &args);
    assert_eq!(status, 0, "{json}");
    let p7s = dir.path().join("propuesta técnica.pdf.p7s");
    assert_eq!(json["signature"], path(&p7s));
    assert_eq!(json["signer"]["rfc"], RFC_FISICA);
    openssl_verify(&proposal, &p7s, None).unwrap();

    let (status, json) = ventanilla(
        dir.path(),
        &["efirma", "verify", path(&proposal), path(&p7s)],
    );
    assert_eq!(status, 0, "{json}");
    assert_eq!(json["valid"], true);
    assert_eq!(
        json["signer"]["certificate_number"],
        fiel.certificate_number
    );
    assert!(json["signing_time"].as_str().is_some());

    std::fs::write(&proposal, b"%PDF-1.7\n otra propuesta").unwrap();
    let (status, json) = ventanilla(
        dir.path(),
        &["efirma", "verify", path(&proposal), path(&p7s)],
    );
    assert_eq!(status, 1);
    assert_eq!(json["valid"], false);
    assert_eq!(first_error_code(&json), "signature_invalid");

    // --out, and a CSD refused without writing anything.
    let out = dir.path().join("firma.p7s");
    let csd = ca.issue(&Spec::fisica().csd());
    let mut args = vec!["efirma", "sign", path(&proposal), "--out", path(&out)];
    args.extend(fiel_args(&csd, &password));
    let (status, json) = ventanilla(dir.path(), &args);
    assert_eq!(status, 1);
    assert_eq!(json["signed"], false);
    assert_eq!(first_error_code(&json), "certificate_is_csd");
    assert!(!out.exists());
}

#[test]
fn missing_files_are_refusals_and_missing_arguments_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-existe.pdf");
    let (status, json) = ventanilla(
        dir.path(),
        &["efirma", "verify", path(&missing), path(&missing)],
    );
    assert_eq!(status, 1);
    assert_eq!(first_error_code(&json), "file_unreadable");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no-existe.pdf"));
    assert_eq!(
        ventanilla(dir.path(), &["efirma", "inspect", "--key", "x.key"]).0,
        2
    );
    assert_eq!(
        ventanilla(dir.path(), &["efirma", "verify", "solo-uno"]).0,
        2
    );
}
