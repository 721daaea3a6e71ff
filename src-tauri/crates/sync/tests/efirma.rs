//! Signed submissions through the outbox to a server that refuses unsigned ones: the
//! registration and a bid signed with the business's FIEL before they are queued, sent
//! once, and kept with receipts that bind the signature; a FIEL that cannot sign for
//! the business queues nothing.
#![allow(clippy::unwrap_used)]

use ventanilla_testkit as support;

use chrono::{Duration, Utc};
use support::{complete_business, Server, PASSWORD};
use ventanilla_api::auth::Role;
use ventanilla_api::Receipt;
use ventanilla_core::checklist::mexico_city_today;
use ventanilla_efirma::Credentials;
use ventanilla_store::{Library, OutboxItem, OutboxState};
use ventanilla_sync::{
    queue_bid, queue_registration, sign_up, sync_now, ClientOptions, DrainOptions, NewAccount,
};
use ventanilla_testkit::efirma::{Issued, Spec, TestCa, CURP_FISICA, RFC_FISICA};

fn company_fiel(rfc: &str) -> Spec {
    Spec {
        unique_identifier: format!("{rfc} / {RFC_FISICA}"),
        serial_number: format!(" / {CURP_FISICA}"),
        ..Spec::moral()
    }
}

/// Runs `with` on the credentials of `issued` opened with `password`.
fn with_fiel<T>(issued: &Issued, password: &str, with: impl FnOnce(&Credentials<'_>) -> T) -> T {
    let (certificate, key) = (issued.cer_bytes(), issued.key_bytes());
    with(&Credentials {
        certificate: &certificate,
        key: &key,
        password: password.as_bytes(),
    })
}

/// The receipt of a sent item binds the SHA-256 of the signature it was queued with.
fn assert_sent_binding_its_signature(item: &OutboxItem, issued: &Issued) -> Receipt {
    assert_eq!(item.state, OutboxState::Sent, "{item:#?}");
    let p7s = item.submission.signature.as_deref().unwrap();
    let receipt: Receipt = serde_json::from_str(&item.receipt.as_ref().unwrap().json).unwrap();
    assert_eq!(
        receipt.signature_sha256.as_deref(),
        Some(ventanilla_api::sha256_hex(p7s).as_str())
    );
    assert_eq!(
        receipt.signer_certificate_number.as_deref(),
        Some(issued.certificate_number.as_str())
    );
    receipt
}

#[tokio::test]
async fn a_signed_registration_and_bid_go_out_once_with_receipts_binding_their_signature() {
    let dir = support::scratch();
    let ca = TestCa::new();
    let server = Server::start_trusting(&dir.path().join("server"), &ca);
    let library = Library::open(dir.path().join("data")).unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    let id = complete_business(&library, &files, 3, 200);
    let rfc = library.list_businesses("").unwrap()[0].summary.rfc.clone();
    let account = NewAccount {
        role: Role::Operator,
        email: "camara@ejemplo.mx".into(),
        password: PASSWORD.into(),
        rfc: None,
        handover: None,
    };
    sign_up(&library, &server.base(), &account, ClientOptions::default())
        .await
        .unwrap();
    let today = mexico_city_today(Utc::now());
    let business = library.open_business(&id).unwrap();

    // What cannot sign for this business queues nothing, each with its own reason.
    let fiel = ca.issue(&company_fiel(&rfc));
    let representative = ca.issue(&Spec::fisica());
    let expired = ca.issue(&company_fiel(&rfc).valid(
        Utc::now() - Duration::days(800),
        Utc::now() - Duration::days(1),
    ));
    let csd = ca.issue(&company_fiel(&rfc).csd());
    for (issued, password, code) in [
        (&fiel, "otra contraseña", "wrong_password"),
        (&fiel, "", "password_missing"),
        (
            &representative,
            ventanilla_testkit::efirma::PASSWORD,
            "certificate_rfc_mismatch",
        ),
        (
            &expired,
            ventanilla_testkit::efirma::PASSWORD,
            "certificate_expired",
        ),
        (
            &csd,
            ventanilla_testkit::efirma::PASSWORD,
            "certificate_is_csd",
        ),
    ] {
        let refused = with_fiel(issued, password, |fiel| {
            queue_registration(&library, &id, today, Some(fiel)).unwrap_err()
        });
        assert_eq!(refused.code(), code);
        assert!(
            refused.message().starts_with("No se envió nada."),
            "{}",
            refused.message()
        );
        assert!(business.outbox().unwrap().is_empty());
    }

    let queued = with_fiel(&fiel, ventanilla_testkit::efirma::PASSWORD, |fiel| {
        queue_registration(&library, &id, today, Some(fiel)).unwrap()
    });
    let p7s = queued.submission.signature.clone().unwrap();
    ventanilla_efirma::verify_detached(queued.submission.snapshot.as_bytes(), &p7s).unwrap();
    assert!(queued
        .submission
        .body
        .contains(&ventanilla_api::signature::encode(&p7s)));
    let first = sync_now(&library, DrainOptions::default(), &|_| {}).await;
    assert_eq!(first.sent.len(), 1, "{first:#?}");
    let registration = business.outbox_item(&queued.submission.id).unwrap();
    let receipt = assert_sent_binding_its_signature(&registration, &fiel);
    assert_eq!(
        receipt.signer.as_deref(),
        Some("OÑORO & ASOCIADOS SA DE CV")
    );
    let acuse = ventanilla_sync::acuse::acuse_pdf(&registration, "Oñoro").unwrap();
    let text = ventanilla_testkit::fixtures::pdf_text(&acuse);
    assert!(
        text.contains("Firmante: OÑORO & ASOCIADOS SA DE CV"),
        "{text}"
    );
    assert!(text.contains(&fiel.certificate_number), "{text}");

    let tender = support::open_tender(&library);
    let frozen = support::ready_bid(&library, &business, &tender);
    let bid = frozen.submission_id.clone();
    let refused = with_fiel(&csd, ventanilla_testkit::efirma::PASSWORD, |csd| {
        queue_bid(&library, &id, &business, frozen.clone(), Some(csd)).unwrap_err()
    });
    assert_eq!(refused.code(), "certificate_is_csd");
    assert!(
        !business.has_submission(&bid).unwrap(),
        "the bid stays a draft"
    );
    with_fiel(&fiel, ventanilla_testkit::efirma::PASSWORD, |fiel| {
        queue_bid(&library, &id, &business, frozen, Some(fiel)).unwrap()
    });
    let second = sync_now(&library, DrainOptions::default(), &|_| {}).await;
    assert_eq!(second.sent.len(), 1, "{second:#?}");
    assert_sent_binding_its_signature(&business.outbox_item(&bid).unwrap(), &fiel);
    assert_eq!(
        server.count("SELECT count(*) FROM bid WHERE efirma IS NOT NULL"),
        1
    );
    assert_eq!(
        server.count("SELECT count(*) FROM registration WHERE efirma IS NOT NULL"),
        1
    );
}
