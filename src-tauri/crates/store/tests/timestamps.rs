//! Instants in the files a person already has: written as text by earlier releases,
//! read back as the same instants, written again in the same text, and a value that
//! cannot be read is an error, never a receipt or a date quietly gone.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use ventanilla_core::checklist::Catalogue;
use ventanilla_store::{BusinessStore, Library, StoredReceipt};
use ventanilla_testkit::fixtures;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

const SUBMISSION: &str = "0190a000-0000-7000-8000-000000000001";

/// A library with one business holding a bid, a document and a sent registration,
/// every instant of them rewritten by hand as the text an earlier release stored.
fn data_folder_as_an_earlier_release_left_it(dir: &Path) -> (String, PathBuf) {
    let library = Library::open(dir).unwrap();
    let id = library.create_business(&fixtures::business()).unwrap();
    let business = library.open_business(&id).unwrap();
    business.create_bid(&fixtures::tender(1)).unwrap();
    let pdf = dir.join("csf.pdf");
    std::fs::write(&pdf, fixtures::one_page_pdf(1, 100)).unwrap();
    let catalogue = Catalogue::default_catalogue();
    let requirement = catalogue.requirement("CSF").unwrap();
    business
        .attach(&pdf, requirement, None, None, None, &mut |_, _| true)
        .unwrap();
    drop(business);
    drop(library);

    Connection::open(dir.join("app.db"))
        .unwrap()
        .execute_batch("UPDATE business SET updated_at = '2026-11-20T09:15:30.250Z';")
        .unwrap();
    let business_db = dir.join("businesses").join(&id).join("business.db");
    Connection::open(&business_db)
        .unwrap()
        .execute_batch(&format!(
            "UPDATE bid SET created_at = '2026-11-21T10:00:00.000Z',
                            updated_at = '2026-11-21T10:30:00.999Z';
             UPDATE document SET attached_at = '2026-11-22T08:00:00.001Z';
             INSERT INTO submission (id, kind, rfc, snapshot, sha256, body, created_at)
             VALUES ('{SUBMISSION}', 'registration', 'EKU9003173C9', '{{}}',
                     '{sha}', '{{}}', '2026-11-24T17:00:00.000Z');
             INSERT INTO outbox (submission, state, attempts, next_attempt_at, updated_at)
             VALUES ('{SUBMISSION}', 'sent', 1, '2026-11-24T17:00:00.000Z',
                     '2026-11-24T17:01:00.500Z');
             INSERT INTO receipt (submission, receipt_id, json, key_id, verified_at)
             VALUES ('{SUBMISSION}', 'r1', '{{}}', 'k1', '2026-11-24T17:01:00.000Z');
             INSERT INTO review_status (id, status, submission, reviewed_at, observations,
                                        pulled_at)
             VALUES (1, 'en_revision', '{SUBMISSION}', NULL, '[]', '2026-11-25T11:00:00.000Z');",
            sha = "a".repeat(64)
        ))
        .unwrap();
    (id, business_db)
}

fn stored_text(db: &Path, sql: &str) -> String {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn an_existing_files_instants_read_back_as_they_were_written() {
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = data_folder_as_an_earlier_release_left_it(dir.path());
    let library = Library::open(dir.path()).unwrap();

    let listed = library.list_businesses("").unwrap();
    assert_eq!(listed[0].updated_at, at("2026-11-20T09:15:30.250Z"));
    let business: BusinessStore = library.open_business(&id).unwrap();
    let bid = &business.bids().unwrap()[0];
    assert_eq!(bid.created_at, at("2026-11-21T10:00:00Z"));
    assert_eq!(bid.updated_at, at("2026-11-21T10:30:00.999Z"));
    assert_eq!(
        business.documents().unwrap()[0].attached_at,
        at("2026-11-22T08:00:00.001Z")
    );
    let sent = business.outbox_item(SUBMISSION).unwrap();
    assert_eq!(sent.submission.created_at, at("2026-11-24T17:00:00Z"));
    assert_eq!(sent.next_attempt_at, at("2026-11-24T17:00:00Z"));
    assert_eq!(sent.updated_at, at("2026-11-24T17:01:00.5Z"));
    let receipt = sent.receipt.unwrap();
    assert_eq!(receipt.verified_at, at("2026-11-24T17:01:00Z"));
    let review = business.review_status().unwrap().unwrap();
    assert_eq!(review.reviewed_at, None);
    assert_eq!(review.pulled_at, at("2026-11-25T11:00:00Z"));
    // What the CLI prints of them is the text that was stored.
    let printed = serde_json::to_value(bid).unwrap();
    assert_eq!(printed["updated_at"], "2026-11-21T10:30:00.999Z");
}

#[test]
fn instants_are_written_in_the_text_earlier_releases_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let (id, business_db) = data_folder_as_an_earlier_release_left_it(dir.path());
    let library = Library::open(dir.path()).unwrap();
    let business = library.open_business(&id).unwrap();
    let second = "0190a000-0000-7000-8000-000000000002";
    let mut submission = business.outbox_item(SUBMISSION).unwrap().submission;
    submission.id = second.into();
    submission.created_at = at("2026-11-26T12:00:00.042Z");
    business.queue_submission(&submission).unwrap();
    business
        .record_receipt(
            second,
            &StoredReceipt {
                receipt_id: "r2".into(),
                json: "{}".into(),
                key_id: "k1".into(),
                verified_at: at("2026-11-26T12:00:05Z"),
            },
        )
        .unwrap();
    let text = |sql: &str| stored_text(&business_db, &sql.replace("ID", second));
    assert_eq!(
        text("SELECT created_at FROM submission WHERE id = 'ID'"),
        "2026-11-26T12:00:00.042Z"
    );
    assert_eq!(
        text("SELECT verified_at FROM receipt WHERE submission = 'ID'"),
        "2026-11-26T12:00:05.000Z"
    );
    // Both kinds of rows sort as time, old and new together.
    let newest_first: Vec<String> = business
        .outbox()
        .unwrap()
        .into_iter()
        .map(|i| i.submission.id)
        .collect();
    assert_eq!(newest_first, [second, SUBMISSION]);
}

#[test]
fn an_instant_that_cannot_be_read_is_an_error_not_a_missing_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let (id, business_db) = data_folder_as_an_earlier_release_left_it(dir.path());
    Connection::open(&business_db)
        .unwrap()
        .execute_batch("UPDATE receipt SET verified_at = 'ayer por la tarde';")
        .unwrap();
    let library = Library::open(dir.path()).unwrap();
    let business = library.open_business(&id).unwrap();
    let error = business.outbox_item(SUBMISSION).unwrap_err();
    assert_eq!(error.code(), "storage_error", "{error:?}");
}
