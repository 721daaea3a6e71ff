//! Reading requests strictly: JSON bodies only as `application/json`, bearer tokens,
//! and the protocol headers. Every refusal is a problem, never a bare rejection.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use ventanilla_api::auth::Account;
use ventanilla_api::{FieldError, ProblemType, IDEMPOTENCY_KEY};

use crate::app::App;
use crate::error::ApiError;

/// The longest idempotency key accepted (a UUID needs 36).
const MAX_KEY_CHARS: usize = 255;

/// Reads the whole body, mapping the body limit to 413 and anything else to 400.
pub async fn body_bytes(request: Request) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, &())
        .await
        .map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::plain(ProblemType::PayloadTooLarge)
            } else {
                ApiError::plain(ProblemType::MalformedRequest)
            }
        })
}

/// Whether the request declares `media_type` (parameters such as `charset` allowed).
pub fn has_content_type(headers: &HeaderMap, media_type: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(media_type))
}

/// A JSON body, with the bytes it was read from (idempotency compares those).
pub struct JsonBody<T> {
    pub value: T,
    pub raw: Bytes,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, ApiError> {
        if !has_content_type(request.headers(), "application/json") {
            return Err(ApiError::new(
                ProblemType::UnsupportedMediaType,
                "El cuerpo debe enviarse como application/json.",
            ));
        }
        let raw = body_bytes(request).await?;
        let value = parse_json(&raw).map_err(|(pointer, e)| match e.classify() {
            serde_json::error::Category::Data => ApiError::plain(ProblemType::Validation)
                .with_errors(vec![FieldError {
                    detail: format!(
                        "Un campo falta, sobra o tiene un tipo incorrecto (línea {}, columna {}{}): {e}",
                        e.line(),
                        e.column(),
                        if pointer.is_empty() { String::new() } else { format!(", en {pointer}") },
                    ),
                    pointer,
                    code: "schema".to_owned(),
                }]),
            _ => ApiError::new(
                ProblemType::MalformedRequest,
                format!(
                    "El cuerpo no es JSON válido (línea {}, columna {}).",
                    e.line(),
                    e.column()
                ),
            ),
        })?;
        Ok(JsonBody { value, raw })
    }
}

/// Reads JSON, naming where a value of the wrong shape is as a JSON pointer (empty for
/// the whole body).
fn parse_json<T: DeserializeOwned>(raw: &[u8]) -> Result<T, (String, serde_json::Error)> {
    let mut deserializer = serde_json::Deserializer::from_slice(raw);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| (json_pointer(e.path()), e.into_inner()))?;
    deserializer.end().map_err(|e| (String::new(), e))?;
    Ok(value)
}

fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .map(|token| format!("/{token}"))
        .collect()
}

/// The bearer token of a request, if it has an `Authorization` header; an unreadable
/// header counts as a wrong token.
fn bearer(parts: &Parts) -> Option<Result<String, ApiError>> {
    let value = parts.headers.get(header::AUTHORIZATION)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    Some(token.ok_or_else(unauthenticated))
}

pub fn unauthenticated() -> ApiError {
    ApiError::plain(ProblemType::Unauthenticated)
        .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
}

/// The signed-in account making the request.
pub struct Caller {
    pub account: Account,
    /// SHA-256 of the token, which is how the session is stored.
    pub token_sha256: String,
}

impl FromRequestParts<App> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(unauthenticated)??;
        app.caller(&token).await
    }
}

/// The signed-in account when there is a token; a wrong token is still refused.
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<App> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match bearer(parts) {
            None => Ok(MaybeCaller(None)),
            Some(token) => Ok(MaybeCaller(Some(app.caller(&token?).await?))),
        }
    }
}

/// The `Idempotency-Key` of a submission: required, visible ASCII, bounded.
pub fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let value = headers
        .get(IDEMPOTENCY_KEY)
        .ok_or_else(|| ApiError::plain(ProblemType::IdempotencyKeyRequired))?;
    let key = value.to_str().map(str::trim).unwrap_or_default();
    if key.is_empty() || key.len() > MAX_KEY_CHARS || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::new(
            ProblemType::MalformedRequest,
            "El encabezado Idempotency-Key debe tener de 1 a 255 caracteres ASCII visibles.",
        ));
    }
    Ok(key.to_owned())
}

/// Whether `If-None-Match` names `etag` (or `*`), weak or strong.
pub fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}
