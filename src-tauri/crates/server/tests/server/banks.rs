//! The bank catalogue: public, cached by ETag, and replaceable by the alcaldía with a
//! `banks.json` in the data folder.

use reqwest::StatusCode;
use ventanilla_core::banks::BankCatalogue;
use ventanilla_server::{App, Config, StartError};

use super::common::{start, start_with};

#[tokio::test]
async fn the_bank_catalogue_is_public_and_cached_by_etag() {
    let server = start().await;
    let response = server.get(None, "/v1/banks").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let banks: BankCatalogue = response.json().await.unwrap();
    assert_eq!(banks, BankCatalogue::default_catalogue());

    let again = server
        .http
        .get(server.url("/v1/banks"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert!(again.bytes().await.unwrap().is_empty());

    let stale = server
        .http
        .get(server.url("/v1/banks"))
        .header("if-none-match", "\"otra\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_banks_json_in_the_data_folder_is_published_instead() {
    let newer = r#"{"version": "spei-2027-01", "source": "Banxico, enero de 2027",
        "banks": [{"code": "002", "name": "Banamex"}, {"code": "999", "name": "Banco Nuevo"}]}"#;
    let server = start_with(|config| {
        std::fs::write(config.data_dir.join("banks.json"), newer).unwrap();
    })
    .await;
    let shipped_etag = {
        let other = start().await;
        let response = other.get(None, "/v1/banks").await;
        response.headers()["etag"].to_str().unwrap().to_owned()
    };
    let response = server.get(None, "/v1/banks").await;
    assert_ne!(response.headers()["etag"].to_str().unwrap(), shipped_etag);
    let banks: BankCatalogue = response.json().await.unwrap();
    assert_eq!(banks, BankCatalogue::from_json(newer).unwrap());
}

#[test]
fn an_invalid_banks_json_stops_the_start_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let repeated = r#"{"version": "v", "banks": [{"code": "002", "name": "A"}, {"code": "002", "name": "B"}]}"#;
    std::fs::write(dir.path().join("banks.json"), repeated).unwrap();
    let Err(error) = App::open(Config::new(dir.path())) else {
        panic!("a server started on a broken bank catalogue");
    };
    assert!(matches!(error, StartError::Banks { .. }));
    let message = error.to_string();
    assert!(message.contains("catálogo de bancos"), "{message}");
    assert!(message.contains("002"), "{message}");
}
