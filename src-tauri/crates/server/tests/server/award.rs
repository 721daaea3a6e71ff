//! The award (fallo) and the contract of a tender, decided by the alcaldía's staff with
//! the real binary: refused with a reason in Spanish when they make no sense, and once
//! recorded, published in the tender's OCDS release as `awards` and `contracts`, valid
//! against the OCDS 1.1.5 schemas.

use std::process::{Command, Output};

use chrono::Duration;
use serde_json::Value;
use ventanilla_api::bid::BidRecord;
use ventanilla_server::storage::TenderRecord;

use super::common::{rfc, start, start_instant, Server};
use super::ocds::{published, validate};
use super::tenders::{bid_body, post_bid};

fn run(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
        .args(args)
        .output()
        .unwrap()
}

/// The command fails, saying `expected` on stderr.
fn refused(args: &[String], expected: &str) {
    let output = run(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{args:?} succeeded");
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
}

/// The command succeeds, answering its stdout.
fn done(args: &[String]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Publishes a tender `number` whose bids are received for an hour from the test
/// servers' start and opened an hour later (`opening` after the start).
fn publish(server: &Server, number: &str, opening: Duration) -> String {
    let storage = server.storage();
    let mut record: TenderRecord = storage.tenders().unwrap().remove(0);
    let ocid = format!("ocds-abj-sandbox-{number}");
    record.release.ocid = ocid.clone();
    record.release.id = format!("{ocid}-convocatoria");
    record.release.tender.id = number.to_owned();
    record.release.tender.status = "active".to_owned();
    record.deadline = start_instant() + Duration::hours(1);
    record.opening = start_instant() + opening;
    storage.publish_tender(&record).unwrap();
    ocid
}

/// A supplier registered with the sector, workers and annual sales that give its
/// MiPyME size.
async fn sized_bidder(
    server: &Server,
    letters: &str,
    (sector, workers, sales): (&str, &str, &str),
) -> (String, String) {
    let supplier = rfc(letters);
    let token = server
        .supplier(&format!("{letters}@example.mx"), &supplier)
        .await;
    let mut body = server.registration_body(&token, &supplier).await;
    body["snapshot"] = Value::String(
        serde_json::json!({
            "rfc": supplier,
            "registration": {"sector": sector, "workers": workers, "annual_sales": sales},
        })
        .to_string(),
    );
    let key = body["submission_id"].as_str().unwrap().to_owned();
    let response = server
        .put_registration(&token, &supplier, &key, &body)
        .await;
    assert_eq!(response.status(), 201);
    (token, supplier)
}

async fn bid(server: &Server, token: &str, rfc: &str, ocid: &str) -> BidRecord {
    let response = post_bid(server, token, ocid, &bid_body(rfc)).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn award_and_contract_are_refused_when_they_make_no_sense_and_published_when_they_do() {
    let server = start().await;
    let dir = server.dir.path().to_str().unwrap();
    let won = publish(&server, "LP-ABJ-2026-101", Duration::hours(2));
    let deserted = publish(&server, "LP-ABJ-2026-102", Duration::hours(2));
    // Opened only in a year, by the real clock the command reads.
    let sealed = publish(&server, "LP-ABJ-2026-103", Duration::days(400));
    // Services, 8 workers, 3 M pesos: micro. Industry, 400 workers, 900 M: large.
    let (ana, ana_rfc) = sized_bidder(&server, "ANA", ("services", "8", "$3,000,000")).await;
    let (bety, bety_rfc) = sized_bidder(&server, "BET", ("industry", "400", "900000000")).await;
    let winner = bid(&server, &ana, &ana_rfc, &won).await;
    bid(&server, &bety, &bety_rfc, &won).await;
    let elsewhere = bid(&server, &ana, &ana_rfc, &deserted).await;
    let sealed_bid = bid(&server, &ana, &ana_rfc, &sealed).await;
    let winner_id = winner.bid_id.to_string();

    let award = |ocid: &str, rest: &[&str]| {
        let mut args = vec!["award", "--data-dir", dir, ocid];
        args.extend_from_slice(rest);
        let args = args.into_iter().map(str::to_owned);
        args.chain(server.database_flags()).collect::<Vec<_>>()
    };

    refused(
        &award("ocds-abj-no-existe", &["--bid", &winner_id]),
        "No hay ninguna licitación con el OCID ocds-abj-no-existe",
    );
    refused(
        &award(&won, &["--bid", &elsewhere.bid_id.to_string()]),
        &format!("es de la licitación {deserted}, no de {won}"),
    );
    refused(
        &award(&won, &["--bid", &uuid::Uuid::now_v7().to_string()]),
        &format!("La licitación {won} no tiene ninguna propuesta con el id"),
    );
    refused(
        &award(&won, &["--bid", "la-de-ana"]),
        "«la-de-ana» no es un id de propuesta válido",
    );
    refused(&award(&won, &[]), "Falta");
    refused(
        &award(&won, &["--bid", &winner_id, "--unsuccessful"]),
        "no puede usarse junto con",
    );
    refused(
        &award(&sealed, &["--bid", &sealed_bid.bid_id.to_string()]),
        "el fallo solo puede darse después de la apertura",
    );
    let contract = |ocid: &str, rest: &[&str]| {
        let mut args = vec!["contract", "--data-dir", dir, ocid];
        args.extend_from_slice(rest);
        let args = args.into_iter().map(str::to_owned);
        args.chain(server.database_flags()).collect::<Vec<_>>()
    };
    let period = ["--start", "2027-01-01", "--end", "2027-12-31"];
    refused(
        &contract(&won, &period),
        &format!("La licitación {won} aún no tiene fallo"),
    );

    let said = done(&award(&won, &["--bid", &winner_id]));
    assert!(said.contains(&winner_id), "{said}");
    refused(
        &award(&won, &["--unsuccessful"]),
        &format!("La licitación {won} ya tiene fallo"),
    );
    refused(
        &contract(&won, &["--start", "2027-12-31", "--end", "2027-01-01"]),
        "antes de empezar",
    );
    refused(
        &contract(&won, &["--start", "2027-01-01", "--end", "2027-02-30"]),
        "no es válido para --end",
    );
    refused(
        &contract(&won, &[&period[..], &["--amount", "0"]].concat()),
        "debe ser mayor que cero",
    );
    let said = done(&contract(
        &won,
        &[&period[..], &["--amount", "115000.50"]].concat(),
    ));
    assert!(said.contains("115000.50 MXN"), "{said}");
    refused(
        &contract(&won, &period),
        &format!("La licitación {won} ya tiene contrato"),
    );
    done(&award(&deserted, &["--unsuccessful"]));
    refused(
        &contract(&deserted, &period),
        &format!("La licitación {deserted} no tuvo ganador"),
    );
    done(&award(&sealed, &["--cancelled"]));

    // Before the opening by the server's clock nothing of it shows; after, all of it.
    let release: Value = server
        .get(None, &format!("/v1/tenders/{won}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(release.get("awards").is_none(), "{release}");
    server.clock.advance(Duration::hours(3));
    let release: Value = server
        .get(None, &format!("/v1/tenders/{won}"))
        .await
        .json()
        .await
        .unwrap();
    let awarded = &release["awards"][0];
    assert_eq!(awarded["status"], "active");
    assert_eq!(awarded["relatedBids"], serde_json::json!([winner_id]));
    let supplier = format!("MX-RFC-{ana_rfc}");
    assert_eq!(awarded["suppliers"][0]["id"], supplier.as_str());
    assert_eq!(awarded["value"]["amount"], 116000.0);
    let party = release["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == supplier.as_str())
        .unwrap();
    assert_eq!(party["roles"], serde_json::json!(["tenderer", "supplier"]));
    assert_eq!(party["details"]["scale"], "micro");
    let other = format!("MX-RFC-{bety_rfc}");
    let party = release["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == other.as_str())
        .unwrap();
    assert_eq!(party["details"]["scale"], "large");
    let signed = &release["contracts"][0];
    assert_eq!(signed["awardID"], awarded["id"]);
    assert_eq!(signed["value"]["amount"], 115000.5);
    assert_eq!(signed["period"]["startDate"], "2027-01-01T00:00:00Z");
    assert_eq!(release["tag"], serde_json::json!(["contract"]));
    assert_eq!(release["id"], format!("{won}-contrato").as_str());

    let nobody: Value = server
        .get(None, &format!("/v1/tenders/{deserted}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(nobody["tender"]["status"], "unsuccessful");
    assert_eq!(nobody["awards"][0]["status"], "unsuccessful");
    assert!(nobody.get("contracts").is_none());

    // One contract, with a micro business: every share is whole.
    let stats: Value = server.get(None, "/v1/stats").await.json().await.unwrap();
    assert_eq!(
        stats,
        serde_json::json!({
            "contracts": 1,
            "sme_contracts": 1,
            "sme_share_by_count": 1,
            "value": 115000.50,
            "sme_value": 115000.50,
            "sme_share_by_value": 1,
        })
    );

    // The record: each change its own release, in order, and the compiled release the
    // tender as it stands.
    let path = format!("/v1/tenders/{won}/record");
    let record_body = server.get(None, &path).await.bytes().await.unwrap();
    let package: Value = serde_json::from_slice(&record_body).unwrap();
    let record = &package["records"][0];
    let ids: Vec<&str> = record["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = ["convocatoria", "cierre", "apertura", "fallo", "contrato"]
        .iter()
        .map(|step| format!("{won}-{step}"))
        .collect();
    assert_eq!(ids, expected);
    let dates: Vec<&str> = record["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert_eq!(record["releases"][0]["tender"]["status"], "active");
    assert!(record["releases"][2].get("awards").is_none());
    let compiled = &record["compiledRelease"];
    assert_eq!(compiled["tag"], serde_json::json!(["compiled"]));
    assert_eq!(compiled["awards"], release["awards"]);
    assert_eq!(compiled["contracts"], release["contracts"]);
    assert_eq!(compiled["parties"], release["parties"]);
    assert_eq!(compiled["tender"]["status"], "complete");
    assert_eq!(
        server
            .get(None, "/v1/tenders/ocds-abj-no-existe/record")
            .await
            .status(),
        404
    );

    let mut documents = published(&server).await;
    documents.push(("record".to_owned(), record_body.to_vec()));
    let text: String = documents
        .iter()
        .map(|(_, body)| String::from_utf8_lossy(body).into_owned())
        .collect();
    assert!(text.contains("\"awards\":[") && text.contains("\"contracts\":["));
    validate(&documents);
}
