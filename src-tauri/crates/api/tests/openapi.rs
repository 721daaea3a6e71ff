//! The committed `openapi.json` must be the document the types describe.

use std::path::Path;

#[test]
fn committed_openapi_document_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = ventanilla_api::openapi::document_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("openapi.json is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p ventanilla-api`"
    );
}

#[test]
fn document_is_openapi_3_1_and_lists_every_path() {
    let doc: serde_json::Value =
        serde_json::from_str(&ventanilla_api::openapi::document_json()).expect("valid JSON");
    assert!(doc["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1")));
    for path in ["/v1/health", "/v1/uploads/{id}", "/v1/tenders/{ocid}/bids"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["Receipt"].is_object());
}
