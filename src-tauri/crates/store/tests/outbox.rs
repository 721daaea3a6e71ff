//! The outbox on a real business database: a submission and its entry written
//! together and frozen, states moving as the drain reports, the receipt kept with the
//! "sent" mark, a referenced file kept in the vault, and a rejection pulled back onto
//! the checklist.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Days, Utc};
use ventanilla_core::checklist::{mexico_city_today, Catalogue, Status};
use ventanilla_core::{Failure, FailureCode, Field, Locale, RegistrationDraft};
use ventanilla_store::{
    Library, OutboxState, ReviewRecord, StoreError, StoredReceipt, Submission, SubmissionKind,
    SubmittedDocument,
};
use ventanilla_testkit::fixtures::one_page_pdf;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[test]
fn a_submission_is_frozen_sent_once_and_its_rejection_reaches_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let mut draft = RegistrationDraft::default();
    draft.set(Field::Rfc, "EKU9003173C9".into());
    draft.set(Field::Persona, "moral".into());
    let id = library.create_business(&draft).unwrap();
    let business = library.open_business(&id).unwrap();
    let catalogue = Catalogue::default_catalogue();
    let pdf = dir.path().join("csf.pdf");
    std::fs::write(&pdf, one_page_pdf(1, 100)).unwrap();
    let today = mexico_city_today(Utc::now());
    let attach_csf = || {
        business
            .attach(
                &pdf,
                catalogue.requirement("CSF").unwrap(),
                None,
                Some(today),
                None,
                &mut |_, _| true,
            )
            .unwrap()
    };
    let csf = attach_csf();

    let submission = Submission {
        id: "0190a000-0000-7000-8000-000000000001".into(),
        kind: SubmissionKind::Registration,
        rfc: "EKU9003173C9".into(),
        snapshot: "{}".into(),
        sha256: "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a".into(),
        documents: vec![SubmittedDocument {
            requirement: "CSF".into(),
            sha256: csf.sha256.clone(),
        }],
        body: "{\"rfc\":\"EKU9003173C9\"}".into(),
        // Any bytes: the store keeps them as they are, the signature is checked elsewhere.
        signature: Some(vec![0x30, 0x80, 0x06, 0x09, 0x00, 0xff]),
        created_at: at("2026-11-24T17:00:00.000Z"),
    };
    let unsent = |library: &Library| library.list_businesses("").unwrap()[0].unsent;
    assert_eq!(unsent(&library), Some(0), "counted when it opened");
    business.queue_submission(&submission).unwrap();
    library.record_unsent(&id, &business).unwrap();
    assert_eq!(unsent(&library), Some(1));
    assert_eq!(library.find_submission(&submission.id).unwrap(), id);
    let queued = business.outbox_item(&submission.id).unwrap();
    assert_eq!(queued.state, OutboxState::Queued);
    assert_eq!(queued.submission, submission);
    assert_eq!(business.pending_submissions(None).unwrap().len(), 1);
    assert!(business
        .pending_submissions(Some(at("2000-01-01T00:00:00.000Z")))
        .unwrap()
        .is_empty());

    // Once written, a snapshot cannot be changed, even by hand.
    let path = dir.path().join("businesses").join(&id).join("business.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let changed = conn.execute("UPDATE submission SET snapshot = '{\"x\":1}'", []);
    assert!(changed.unwrap_err().to_string().contains("immutable"));

    // The file stays in the vault while the submission needs it.
    business.remove_document(&csf.id).unwrap();
    assert!(business.open_document(&csf.sha256).is_ok());

    business.mark_sending(&submission.id).unwrap();
    business
        .defer_submission(
            &submission.id,
            at("2000-01-01T00:00:00.000Z"),
            &FailureCode::Offline.into(),
        )
        .unwrap();
    let deferred = business.outbox_item(&submission.id).unwrap();
    assert_eq!(
        (deferred.state, deferred.attempts),
        (OutboxState::Queued, 1)
    );
    assert_eq!(deferred.last_error, Some(FailureCode::Offline.into()));
    let busy = Failure::from(FailureCode::ServerBusy).with("status", 503);
    business.hold_submission(&submission.id, &busy).unwrap();
    let held = business.outbox_item(&submission.id).unwrap();
    assert_eq!(held.last_error, Some(busy));
    assert!(business.pending_submissions(None).unwrap().is_empty());
    assert_eq!(business.held_submissions().unwrap().len(), 1);
    business.retry_submission(&submission.id).unwrap();
    assert_eq!(business.pending_submissions(None).unwrap().len(), 1);
    assert!(business.held_submissions().unwrap().is_empty());
    // Only a held submission is put back: a queued one is already on its way.
    let queued_again = business.retry_submission(&submission.id).unwrap_err();
    assert!(matches!(
        queued_again,
        StoreError::NotHeld { sent: false, .. }
    ));

    let receipt = StoredReceipt {
        receipt_id: "r1".into(),
        json: "{}".into(),
        key_id: "k".into(),
        verified_at: at("2026-11-24T17:01:00.000Z"),
    };
    business.record_receipt(&submission.id, &receipt).unwrap();
    let sent = business.outbox_item(&submission.id).unwrap();
    assert_eq!(sent.state, OutboxState::Sent);
    assert_eq!(sent.receipt, Some(receipt));
    assert!(business.pending_submissions(None).unwrap().is_empty());
    // A sent submission stays sent: retrying it is refused, in words.
    let resent = business.retry_submission(&submission.id).unwrap_err();
    assert!(matches!(resent, StoreError::NotHeld { sent: true, .. }));
    assert!(resent
        .message(ventanilla_core::Locale::Es)
        .contains("acuse"));
    assert_eq!(
        business.outbox_item(&submission.id).unwrap().state,
        OutboxState::Sent
    );
    library.record_unsent(&id, &business).unwrap();
    assert_eq!(unsent(&library), Some(0));
    assert!(matches!(
        business.outbox_item("nope"),
        Err(StoreError::UnknownSubmission(_))
    ));

    // The current CSF (attached again, same file) is the one the alcaldía rejects.
    let again = attach_csf();
    let review = ReviewRecord {
        status: "rechazado".into(),
        submission: submission.id.clone(),
        reviewed_at: Some(at("2026-11-25T10:00:00.000Z")),
        observations: vec![("CSF".into(), "La constancia es de otro RFC.".into())],
        pulled_at: at("2026-11-25T11:00:00.000Z"),
    };
    business.record_review(&review).unwrap();
    assert_eq!(business.review_status().unwrap(), Some(review.clone()));
    let checklist = business
        .checklist(
            &catalogue,
            None,
            today.checked_add_days(Days::new(1)).unwrap(),
        )
        .unwrap()
        .unwrap();
    let item = checklist.items.iter().find(|i| i.code == "CSF").unwrap();
    assert_eq!(
        item.status,
        Status::Rejected {
            reason: "La constancia es de otro RFC.".into()
        }
    );
    assert_eq!(business.documents().unwrap()[0].id, again.id);
    business
        .record_review(&ReviewRecord {
            status: "aprobado".into(),
            observations: vec![],
            ..review
        })
        .unwrap();
    assert_eq!(business.documents().unwrap()[0].rejected_reason, None);
}

#[test]
fn an_error_kept_as_a_sentence_before_codes_still_reads_as_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(dir.path()).unwrap();
    let id = library
        .create_business(&RegistrationDraft::default())
        .unwrap();
    let submission = Submission {
        id: "0190a000-0000-7000-8000-000000000002".into(),
        kind: SubmissionKind::Registration,
        rfc: "EKU9003173C9".into(),
        snapshot: "{}".into(),
        sha256: "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a".into(),
        documents: vec![],
        body: "{}".into(),
        signature: None,
        created_at: at("2026-11-24T17:00:00.000Z"),
    };
    let business = library.open_business(&id).unwrap();
    business.queue_submission(&submission).unwrap();
    drop(business);

    // As version 6 of the schema (the last before codes) left it: the Spanish sentence itself.
    let sentence = "Sin conexión con el servidor de la alcaldía. Lo pendiente sigue guardado.";
    let path = dir.path().join("businesses").join(&id).join("business.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE outbox SET last_error = ?1", [sentence])
        .unwrap();
    // The tables of later versions go too, so their migrations run again as they would.
    conn.execute_batch("DROP TABLE activity").unwrap();
    conn.pragma_update(None, "user_version", 6).unwrap();
    drop(conn);

    let item = library
        .open_business(&id)
        .unwrap()
        .outbox_item(&submission.id)
        .unwrap();
    let kept = item.last_error.unwrap();
    assert_eq!(kept.code, FailureCode::EarlierError);
    assert_eq!(kept.message(Locale::Es), sentence);
    assert!(kept.message(Locale::En).starts_with(sentence));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let stored: String = conn
        .query_row("SELECT last_error FROM outbox", [], |row| row.get(0))
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stored).unwrap()["code"],
        "earlier_error"
    );
}
