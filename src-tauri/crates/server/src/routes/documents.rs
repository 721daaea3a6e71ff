//! Content-addressed documents and resumable uploads (the tus idea, in a few headers).
//! A document belongs to the account that uploaded it: another account gets 404 for
//! the same hash, and must upload the bytes itself, so a hash alone proves nothing.

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;
use ventanilla_api::documents::{
    CreateUpload, UploadStatus, MAX_DOCUMENT_BYTES, MAX_UNFINISHED_UPLOADS, UPLOAD_EXPIRY_HOURS,
};
use ventanilla_api::{FieldError, ProblemType, UPLOAD_CONTENT_TYPE, UPLOAD_LENGTH, UPLOAD_OFFSET};

use super::json;
use crate::app::App;
use crate::error::ApiError;
use crate::extract::{body_bytes, has_content_type, Caller, JsonBody};
use crate::storage::UploadRecord;

fn status_of(upload: &UploadRecord) -> UploadStatus {
    UploadStatus {
        id: upload.id,
        size: upload.size,
        offset: upload.offset,
        sha256: upload.sha256.clone(),
        complete: upload.offset == upload.size,
    }
}

/// The upload's status as JSON, with its offset and length also in headers.
fn upload_response(status: StatusCode, upload: &UploadRecord) -> Response {
    let mut response = json(status, &status_of(upload));
    offset_headers(response.headers_mut(), upload);
    response
}

fn offset_headers(headers: &mut HeaderMap, upload: &UploadRecord) {
    headers.insert(UPLOAD_OFFSET, HeaderValue::from(upload.offset));
    headers.insert(UPLOAD_LENGTH, HeaderValue::from(upload.size));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// An upload id from the path; one that is not a UUID names no upload (404).
fn upload_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::plain(ProblemType::NotFound))
}

/// The caller's upload `id`, or 404.
async fn find_upload(app: &App, caller: &Caller, id: Uuid) -> Result<UploadRecord, ApiError> {
    let account = caller.account.id;
    app.lookup(|s| s.upload(account, id))?
        .ok_or_else(|| ApiError::plain(ProblemType::NotFound))
}

pub async fn has_document(
    State(app): State<App>,
    caller: Caller,
    Path(sha256): Path<String>,
) -> Result<StatusCode, ApiError> {
    let sha256 = sha256.to_ascii_lowercase();
    if !ventanilla_api::is_sha256_hex(&sha256) {
        return Err(ApiError::plain(ProblemType::NotFound));
    }
    let account = caller.account.id;
    match app.lookup(|s| s.has_document(account, &sha256))? {
        true => Ok(StatusCode::OK),
        false => Err(ApiError::plain(ProblemType::NotFound)),
    }
}

pub async fn create_upload(
    State(app): State<App>,
    caller: Caller,
    body: JsonBody<CreateUpload>,
) -> Result<Response, ApiError> {
    let form = body.value;
    let sha256 = form.sha256.to_ascii_lowercase();
    let mut errors = Vec::new();
    if form.size == 0 || form.size > MAX_DOCUMENT_BYTES {
        errors.push(FieldError {
            pointer: "/size".to_owned(),
            code: "size".to_owned(),
            detail: format!(
                "El tamaño debe estar entre 1 byte y {} MiB.",
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        });
    }
    if !ventanilla_api::is_sha256_hex(&sha256) {
        errors.push(FieldError {
            pointer: "/sha256".to_owned(),
            code: "sha256".to_owned(),
            detail: "La huella debe ser un SHA-256 de 64 dígitos hexadecimales.".to_owned(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::plain(ProblemType::Validation).with_errors(errors));
    }
    let account = caller.account.id;
    let now = app.0.clock.now();
    expire_uploads(&app, now).await?;
    let unfinished = app.db(move |s| s.unfinished_uploads(account)).await?;
    if unfinished >= MAX_UNFINISHED_UPLOADS {
        return Err(ApiError::plain(ProblemType::TooManyUploads));
    }
    let quota = app.0.account_quota_bytes;
    let upload = app
        .db(move |s| {
            // Already the caller's: nothing to send, the upload is complete at once.
            let offset = if s.has_document(account, &sha256)? {
                form.size
            } else {
                let stored = s.stored_bytes(account)?;
                if stored.saturating_add(form.size) > quota {
                    return Ok(Err(stored));
                }
                0
            };
            let upload = UploadRecord {
                id: Uuid::now_v7(),
                account,
                size: form.size,
                offset,
                sha256,
            };
            s.create_upload(&upload, now)?;
            Ok(Ok(upload))
        })
        .await?
        .map_err(|stored| over_quota(stored, form.size, quota))?;
    let mut response = upload_response(StatusCode::CREATED, &upload);
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/uploads/{}", upload.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The refusal of a document that would take an account past its quota. Checked when
/// the upload starts (uploads started at the same moment may overshoot it by their own
/// sizes, which [`MAX_UNFINISHED_UPLOADS`] bounds).
fn over_quota(stored: u64, size: u64, quota: u64) -> ApiError {
    ApiError::new(
        ProblemType::QuotaExceeded,
        format!(
            "Tu cuenta ya guarda {} de documentos en el servidor y este archivo ({}) \
             rebasaría su límite de {}. Pide a la mesa de proveedores de la alcaldía que \
             amplíe tu espacio.",
            size_text(stored),
            size_text(size),
            size_text(quota)
        ),
    )
}

/// A size for people: KiB below a mebibyte, else MiB with one decimal.
fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes < MIB {
        format!("{} KiB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// Drops the unfinished uploads that expired, records first, then their bytes.
async fn expire_uploads(app: &App, now: chrono::DateTime<chrono::Utc>) -> Result<(), ApiError> {
    let before = now - chrono::Duration::hours(UPLOAD_EXPIRY_HOURS);
    let expired = app.db(move |s| s.expire_uploads(before)).await?;
    if expired.is_empty() {
        return Ok(());
    }
    let worker = app.clone();
    tokio::task::spawn_blocking(move || {
        expired
            .into_iter()
            .try_for_each(|id| worker.0.blobs.discard(id))
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(())
}

pub async fn upload_status(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let upload = find_upload(&app, &caller, upload_id(&id)?).await?;
    Ok(upload_response(StatusCode::OK, &upload))
}

pub async fn upload_offset(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let upload = find_upload(&app, &caller, upload_id(&id)?).await?;
    let mut response = StatusCode::OK.into_response();
    offset_headers(response.headers_mut(), &upload);
    Ok(response)
}

/// Takes the bytes at the upload's current offset. A chunk sent for another offset is
/// refused (409) and changes nothing; the last chunk is checked against the declared
/// hash before the document exists.
pub async fn upload_chunk(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    if !has_content_type(request.headers(), UPLOAD_CONTENT_TYPE) {
        return Err(ApiError::new(
            ProblemType::UnsupportedMediaType,
            format!("Los bytes deben enviarse como {UPLOAD_CONTENT_TYPE}."),
        ));
    }
    let claimed: u64 = request
        .headers()
        .get(UPLOAD_OFFSET)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| {
            ApiError::new(
                ProblemType::MalformedRequest,
                "Falta el encabezado Upload-Offset con la posición del fragmento.",
            )
        })?;
    let id = upload_id(&id)?;
    let chunk = body_bytes(request).await?;
    let _this_upload_alone = app.0.upload_locks.hold(id).await;
    let upload = find_upload(&app, &caller, id).await?;
    if claimed != upload.offset {
        let mut error = ApiError::new(
            ProblemType::UploadOffsetMismatch,
            format!(
                "La carga va en el byte {}, no en el {claimed}. Continúa desde el byte {}.",
                upload.offset, upload.offset
            ),
        );
        error = error.with_header(
            axum::http::HeaderName::from_static("upload-offset"),
            HeaderValue::from(upload.offset),
        );
        return Err(error);
    }
    let end = upload.offset + chunk.len() as u64;
    if end > upload.size {
        return Err(ApiError::plain(ProblemType::UploadExceedsSize));
    }
    if chunk.is_empty() {
        return Ok(upload_response(StatusCode::OK, &upload));
    }
    let worker = app.clone();
    let (id, offset, size) = (upload.id, upload.offset, upload.size);
    let sha256 = upload.sha256.clone();
    // Once the last chunk is in, the bytes become the document, if they hash to it.
    let written = tokio::task::spawn_blocking(move || {
        let blobs = &worker.0.blobs;
        blobs.write_chunk(id, offset, &chunk)?;
        if end < size {
            return Ok(None);
        }
        blobs.keep(id, size, &sha256).map(Some)
    })
    .await
    .map_err(ApiError::internal)??;
    match written {
        None => {
            let moved = app.db(move |s| s.advance_upload(id, offset, end)).await?;
            if !moved {
                return Err(ApiError::plain(ProblemType::UploadOffsetMismatch));
            }
            let advanced = UploadRecord {
                offset: end,
                ..upload
            };
            Ok(upload_response(StatusCode::OK, &advanced))
        }
        Some(false) => {
            app.db(move |s| s.discard_upload(id)).await?;
            Err(ApiError::plain(ProblemType::UploadHashMismatch))
        }
        Some(true) => {
            let done = UploadRecord {
                offset: end,
                ..upload
            };
            let stored = done.clone();
            app.db(move |s| s.finish_upload(&stored)).await?;
            Ok(upload_response(StatusCode::OK, &done))
        }
    }
}
