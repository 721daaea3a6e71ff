//! What anyone may read: health, the requirement and bank catalogues, the signing key
//! and the receipt log (with the caller's own receipts when signed in).

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ventanilla_api::{Health, LogEntry, LogPage, ProblemType, PublicKeys};

use super::json;
use crate::app::{App, Tagged};
use crate::error::ApiError;
use crate::extract::MaybeCaller;

/// Log entries per page.
const LOG_PAGE: u32 = 100;

/// Ready when the database and the document store answer; 503
/// (`database-unavailable`, `document-store-unavailable`) when one does not.
pub async fn health(State(app): State<App>) -> Result<Response, ApiError> {
    let storage = &app.0.storage;
    if let Err(why) = storage.ping() {
        eprintln!("ventanilla-server: health: the database does not answer: {why}");
        return Err(ApiError::plain(ProblemType::DatabaseUnavailable));
    }
    let worker = app.clone();
    tokio::task::spawn_blocking(move || worker.0.blobs.ping())
        .await
        .map_err(ApiError::internal)??;
    Ok(json(
        StatusCode::OK,
        &Health {
            status: "ok".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            backend: storage.backend().to_owned(),
            documents: app.0.blobs.backend().to_owned(),
        },
    ))
}

pub async fn requirements(
    State(app): State<App>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(&app.0.catalogue).map_err(ApiError::internal)?;
    Ok(Tagged::new(body).respond(&headers))
}

pub async fn banks(State(app): State<App>, headers: HeaderMap) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(&app.0.banks).map_err(ApiError::internal)?;
    Ok(Tagged::new(body).respond(&headers))
}

pub async fn keys(State(app): State<App>) -> Response {
    json(
        StatusCode::OK,
        &PublicKeys {
            keys: vec![app.0.signer.public_key()],
        },
    )
}

/// `after` from the query: a position, or nothing for the start.
fn after_of(query: Option<&str>) -> Result<Option<u64>, ApiError> {
    let mut after = None;
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        match pair.split_once('=') {
            Some(("after", value)) => {
                after = Some(value.parse::<u64>().map_err(|_| {
                    ApiError::new(
                        ProblemType::MalformedRequest,
                        "El parámetro after debe ser un número entero no negativo.",
                    )
                })?);
            }
            _ => {
                return Err(ApiError::new(
                    ProblemType::MalformedRequest,
                    "El único parámetro admitido es after.",
                ))
            }
        }
    }
    Ok(after)
}

pub async fn log(
    State(app): State<App>,
    MaybeCaller(caller): MaybeCaller,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let after = after_of(query.as_deref())?;
    let rows = app.db(move |s| s.log(after, LOG_PAGE)).await?;
    let viewer = caller.map(|c| c.account.id);
    let full = rows.len() == LOG_PAGE as usize;
    let entries: Vec<LogEntry> = rows
        .into_iter()
        .map(|row| LogEntry {
            index: row.receipt.log_index,
            previous_hash: row.receipt.previous_log_hash.clone(),
            entry_hash: row.entry_hash,
            receipt: (Some(row.account) == viewer).then_some(row.receipt),
        })
        .collect();
    let next_after = if full {
        entries.last().map(|e| e.index)
    } else {
        None
    };
    Ok(json(
        StatusCode::OK,
        &LogPage {
            entries,
            next_after,
        },
    ))
}
