//! `ventanilla submit` and `ventanilla bid submit` with `--cer`, `--key` and
//! `--password-file` (or the password on standard input), against a server on loopback
//! that refuses unsigned submissions: what cannot sign for the business is refused
//! with its own Spanish message and queues nothing; what can is signed, sent by
//! `ventanilla sync` and received with a receipt that binds the signature.
#![allow(clippy::unwrap_used)]

mod binary;
use ventanilla_testkit as support;

use std::path::{Path, PathBuf};

use binary::{command as ventanilla, run};
use chrono::{Duration, Utc};
use support::{complete_business, Server, PASSWORD};
use ventanilla_api::Receipt;
use ventanilla_store::{Library, OutboxState};
use ventanilla_testkit::efirma::{
    self as test_support, Issued, Spec, TestCa, CURP_FISICA, RFC_FISICA,
};

fn company_fiel(rfc: &str) -> Spec {
    Spec {
        unique_identifier: format!("{rfc} / {RFC_FISICA}"),
        serial_number: format!(" / {CURP_FISICA}"),
        ..Spec::moral()
    }
}

/// The e.firma flags of `issued`, its password in `password_file` when given.
fn fiel_args(issued: &Issued, password_file: Option<&Path>) -> Vec<std::ffi::OsString> {
    let mut args = vec![
        "--cer".into(),
        issued.cer.clone().into_os_string(),
        "--key".into(),
        issued.key.clone().into_os_string(),
    ];
    if let Some(file) = password_file {
        args.extend(["--password-file".into(), file.as_os_str().to_owned()]);
    }
    args
}

fn password_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The receipt kept for the submission `id` of `business`, after it was sent.
fn sent_receipt(library: &Library, business: &str, id: &str) -> (Receipt, Vec<u8>) {
    let item = library
        .open_business(business)
        .unwrap()
        .outbox_item(id)
        .unwrap();
    assert_eq!(item.state, OutboxState::Sent, "{item:#?}");
    let receipt = serde_json::from_str(&item.receipt.unwrap().json).unwrap();
    (receipt, item.submission.signature.unwrap())
}

#[test]
fn submit_and_bid_submit_sign_with_the_fiel_given_or_refuse_and_queue_nothing() {
    let dir = support::scratch();
    let ca = TestCa::new();
    let server = Server::start_trusting(&dir.path().join("server"), &ca);
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let library = Library::open(&data).unwrap();
    let id = complete_business(&library, &files, 5, 300);
    let rfc = library.list_businesses("").unwrap()[0].summary.rfc.clone();
    let fiel = ca.issue(&company_fiel(&rfc));
    let csd = ca.issue(&company_fiel(&rfc).csd());
    let expired = ca.issue(&company_fiel(&rfc).valid(
        Utc::now() - Duration::days(800),
        Utc::now() - Duration::days(1),
    ));
    let representative = ca.issue(&Spec::fisica());
    let right = password_file(
        dir.path(),
        "bien.txt",
        &format!("{}\n", test_support::PASSWORD),
    );
    let wrong = password_file(dir.path(), "mal.txt", "no es la contraseña\n");

    // Each refusal: exit 1, its own code and Spanish message, nothing queued.
    let stdin_password = format!("{}\r\n", test_support::PASSWORD);
    for (issued, file, stdin, code, words) in [
        (
            &fiel,
            Some(wrong.as_path()),
            "",
            "wrong_password",
            "contraseña",
        ),
        (
            &csd,
            None,
            stdin_password.as_str(),
            "certificate_is_csd",
            "sello digital",
        ),
        (
            &expired,
            Some(right.as_path()),
            "",
            "certificate_expired",
            "venció",
        ),
        (
            &representative,
            Some(right.as_path()),
            "",
            "certificate_rfc_mismatch",
            "no del negocio",
        ),
    ] {
        let (status, json, text) = run(
            ventanilla(&data)
                .args(["submit", &id])
                .args(fiel_args(issued, file)),
            stdin,
        );
        assert_eq!(status, 1, "{text}");
        assert_eq!(json["queued"], false);
        assert_eq!(json["error"]["code"], code);
        let message = json["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(words) && message.contains("No se envió nada"),
            "{message}"
        );
        assert!(library
            .open_business(&id)
            .unwrap()
            .outbox()
            .unwrap()
            .is_empty());
    }
    let (status, _, _) = run(
        ventanilla(&data)
            .args(["submit", &id, "--cer"])
            .arg(&fiel.cer),
        "",
    );
    assert_eq!(status, 2, "--cer without --key is a usage error");

    let (status, json, text) = run(
        ventanilla(&data)
            .args(["submit", &id])
            .args(fiel_args(&fiel, Some(&right))),
        "",
    );
    assert_eq!(status, 0, "{text}");
    assert_eq!(json["signed"], true);
    assert_eq!(
        json["signer"]["certificate_number"],
        fiel.certificate_number.as_str()
    );
    let registration = json["submission"].as_str().unwrap().to_owned();

    let (status, _, text) = run(
        ventanilla(&data).args([
            "sign-in",
            "--server",
            &server.base(),
            "--email",
            "camara@ejemplo.mx",
            "--create",
            "operator",
        ]),
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(status, 0, "{text}");
    let (status, _, text) = run(ventanilla(&data).arg("sync"), "");
    assert_eq!(status, 0, "{text}");
    let (receipt, p7s) = sent_receipt(&library, &id, &registration);
    assert_eq!(
        receipt.signature_sha256,
        Some(ventanilla_api::sha256_hex(&p7s))
    );

    // A bid: refused with a CSD and kept as it was, then signed and sent.
    let business = library.open_business(&id).unwrap();
    let bid = support::complete_bid(&business, &support::open_tender(&library));
    let (status, json, text) = run(
        ventanilla(&data)
            .args(["bid", "submit", &bid])
            .args(fiel_args(&csd, Some(&right))),
        "",
    );
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("certificate_is_csd")),
        "{text}"
    );
    assert!(!business.has_submission(&bid).unwrap());
    let (status, json, _) = run(ventanilla(&data).args(["bid", "list", &id]), "");
    assert_eq!(status, 0);
    assert!(json
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["id"] == bid.as_str()));

    let (status, json, text) = run(
        ventanilla(&data)
            .args(["bid", "submit", &bid, "--business", &rfc])
            .args(fiel_args(&fiel, None)),
        &format!("{}\n", test_support::PASSWORD),
    );
    assert_eq!(status, 0, "{text}");
    assert_eq!(json["submission"], bid.as_str());
    let (status, _, text) = run(ventanilla(&data).arg("sync"), "");
    assert_eq!(status, 0, "{text}");
    let (receipt, p7s) = sent_receipt(&library, &id, &bid);
    assert_eq!(
        receipt.signature_sha256,
        Some(ventanilla_api::sha256_hex(&p7s))
    );
    assert_eq!(
        receipt.signer_certificate_number,
        Some(fiel.certificate_number.clone())
    );
}
