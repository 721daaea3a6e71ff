//! Everything the server publishes as OCDS (the release package, each release, with
//! and without opened bids) validates against the official OCDS 1.1.5 schemas in
//! `../shared/standards/ocds-1.1.5`, checked by a real JSON Schema validator (Python
//! `jsonschema`, which `./dev` installs pinned); and amounts and quantities are JSON
//! numbers that the app's own importer reads back exactly.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::json;
use ventanilla_api::ocds::{Release, ReleasePackage, EXTENSIONS};
use ventanilla_core::ocds::{read_tenders, Entry};
use ventanilla_server::storage::TenderRecord;

use super::common::{start, Server};
use super::tenders::{bid_body, bidder, post_bid};

const EXACT: &str = "ocds-abj-sandbox-LP-ABJ-2026-099";
const AMOUNT: &str = "1234567890123.45";
const QUANTITIES: [&str; 2] = ["0.125", "1500.5"];

/// The workspace root, where `../shared` is resolved from.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

/// The Python with `jsonschema` that `./dev` installs (`VENTANILLA_OCDS_PYTHON`), else
/// the newest such virtual environment it left in `~/.cache/ventanilla`.
fn validator_python() -> PathBuf {
    if let Some(python) = std::env::var_os("VENTANILLA_OCDS_PYTHON") {
        return PathBuf::from(python);
    }
    let cache = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cache/ventanilla"))
        .unwrap_or_default();
    let mut found: Vec<PathBuf> = std::fs::read_dir(&cache)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("jsonschema-"))
        .map(|e| e.path().join("bin/python"))
        .filter(|python| python.exists())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "no OCDS validator: run `./dev test` once (it installs jsonschema into {}), or set VENTANILLA_OCDS_PYTHON to a Python that has jsonschema[format-nongpl]",
            cache.display()
        )
    })
}

/// Publishes, beside the sandbox's tenders, one whose amount and quantities a float
/// would not keep.
fn publish_exact_tender(server: &Server) {
    let storage = server.storage();
    let mut record: TenderRecord = storage.tenders().unwrap().remove(0);
    let release = &mut record.release;
    release.ocid = EXACT.to_owned();
    release.id = format!("{EXACT}-convocatoria");
    release.tender.id = "LP-ABJ-2026-099".to_owned();
    release.tender.value.amount = Decimal::from_str(AMOUNT).unwrap();
    for (item, quantity) in release.tender.items.iter_mut().zip(QUANTITIES) {
        item.quantity = Decimal::from_str(quantity).unwrap();
    }
    storage.publish_tender(&record).unwrap();
}

/// The package and every release, as published now.
pub async fn published(server: &Server) -> Vec<(String, Vec<u8>)> {
    let package = server.get(None, "/v1/tenders").await.bytes().await.unwrap();
    let releases = serde_json::from_slice::<ReleasePackage>(&package)
        .unwrap()
        .releases;
    let mut documents = vec![("package".to_owned(), package.to_vec())];
    for release in releases {
        let path = format!("/v1/tenders/{}", release.ocid);
        let body = server.get(None, &path).await.bytes().await.unwrap();
        documents.push((release.ocid, body.to_vec()));
    }
    documents
}

/// Runs the validator over `documents`; answers its report, failing on any error.
pub fn validate(documents: &[(String, Vec<u8>)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = documents
        .iter()
        .enumerate()
        .map(|(i, (name, body))| {
            let path = dir.path().join(format!("{i:02}-{name}.json"));
            std::fs::write(&path, body).unwrap();
            path
        })
        .collect();
    let root = workspace_root();
    let output = Command::new(validator_python())
        .arg(root.join("src-tauri/crates/server/tests/ocds/validate.py"))
        .arg(root.join("../shared/standards/ocds-1.1.5"))
        .args(&files)
        .output()
        .expect("the OCDS validator runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "schema errors:\n{report}");
    let summary = format!("ocds-schema: {} documents, 0 errors", documents.len());
    assert!(report.contains(&summary), "{report}");
    report
}

#[tokio::test]
async fn every_published_document_validates_against_the_ocds_1_1_5_schemas() {
    let server = start().await;
    publish_exact_tender(&server);
    let mut documents = published(&server).await;

    // Bids on the tenders still open (amounts as numbers, and as the strings earlier
    // clients sent), then past every opening: the releases list them.
    let (ana, ana_rfc) = bidder(&server, "ANA").await;
    let (bety, bety_rfc) = bidder(&server, "BET").await;
    let mut bids = 0;
    for (ocid, _) in &documents[1..] {
        let mut body = bid_body(&ana_rfc);
        body["value"] = json!({"amount": 98765.43, "currency": "MXN"});
        if post_bid(&server, &ana, ocid, &body).await.status() == 201 {
            let body = bid_body(&bety_rfc);
            assert_eq!(post_bid(&server, &bety, ocid, &body).await.status(), 201);
            bids += 2;
        }
    }
    assert_eq!(bids, 4, "two bids on each of the two open tenders");
    server.clock.advance(chrono::Duration::days(60));
    let opened = published(&server).await;
    let with_bids = opened
        .iter()
        .filter(|(_, body)| String::from_utf8_lossy(body).contains("\"bids\":{\"details\""))
        .count();
    assert!(with_bids >= 2, "opened releases carry their bids");
    documents.extend(opened);

    let report = validate(&documents);
    assert!(report.contains("0 errors"));

    // The package declares the extensions its releases use.
    let package: serde_json::Value = serde_json::from_slice(&documents[0].1).unwrap();
    assert_eq!(package["extensions"], json!(EXTENSIONS));
    assert!(package["uri"]
        .as_str()
        .is_some_and(|uri| uri == server.url("/v1/tenders")));
}

#[tokio::test]
async fn amounts_and_quantities_are_numbers_the_importer_reads_exactly() {
    let server = start().await;
    publish_exact_tender(&server);
    let package = server.get(None, "/v1/tenders").await.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&package);
    assert!(text.contains(&format!("\"amount\":{AMOUNT}")), "{text}");
    for quantity in QUANTITIES {
        assert!(text.contains(&format!("\"quantity\":{quantity}")), "{text}");
    }
    assert!(!text.contains("\"amount\":\""), "no amount is a string");

    let mut tenders = Vec::new();
    read_tenders(&package[..], |entry| {
        if let Entry::Tender(tender) = entry {
            tenders.push(*tender);
        }
        Ok::<(), ()>(())
    })
    .unwrap();
    let exact = tenders.iter().find(|t| t.ocid == EXACT).unwrap();
    assert_eq!(exact.value, Some(Decimal::from_str(AMOUNT).unwrap()));
    let quantities: Vec<Option<Decimal>> = exact.items.iter().map(|i| i.quantity).collect();
    assert_eq!(
        &quantities[..2],
        QUANTITIES.map(|q| Some(Decimal::from_str(q).unwrap()))
    );
    // And the server's own types read them back the same.
    let release: Release = server
        .get(None, &format!("/v1/tenders/{EXACT}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(release.tender.value.amount.to_string(), AMOUNT);
    assert_eq!(release.tender.items[0].quantity.to_string(), QUANTITIES[0]);
}
