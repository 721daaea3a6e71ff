//! The handlers, by area, and what they share: JSON answers, who may act for an RFC
//! ([`ownership`] hands it from operator to owner), and idempotent acceptance of
//! submissions.

pub mod accounts;
pub mod documents;
pub mod ownership;
pub mod public;
pub mod suppliers;
pub mod tenders;

use std::future::Future;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};
use ventanilla_api::{FieldError, ProblemType, Receipt};
use ventanilla_core::rfc;

use crate::app::App;
use crate::error::ApiError;
use crate::extract::idempotency_key;
use crate::inflight::Claim;
use crate::storage::{Acceptance, Standing, StorageError, StoredResponse, Submission};

/// Marks an answer that repeats the first answer to the same idempotency key.
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// An RFC from a path or body, normalized, refused when malformed (a wrong check
/// digit only warns: some RFCs in use have one).
pub fn valid_rfc(input: &str, pointer: &str) -> Result<String, ApiError> {
    let verdict = rfc::check(input);
    if verdict.is_valid() {
        return Ok(verdict.normalized);
    }
    let errors = verdict
        .errors()
        .map(|code| FieldError {
            pointer: pointer.to_owned(),
            code: serde_json::to_value(code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            detail: code.message(ventanilla_core::Locale::Es).to_owned(),
        })
        .collect();
    Err(ApiError::plain(ProblemType::InvalidRfc).with_errors(errors))
}

/// Whether `account` acts for the business `rfc`, read from the database.
pub async fn acts_for(
    app: &App,
    account: &Account,
    rfc: &str,
    may_register: bool,
) -> Result<bool, ApiError> {
    let standing = match account.role {
        // Its own RFC is on the account: nothing to read.
        Role::Supplier => Standing::default(),
        Role::Operator => standing(app, account, rfc).await?,
    };
    Ok(acts(account, rfc, &standing, may_register))
}

/// Who stands behind `rfc`, with `account`'s delegation for it now.
pub async fn standing(app: &App, account: &Account, rfc: &str) -> Result<Standing, ApiError> {
    let now = app.0.clock.now();
    Ok(app.reads().standing(rfc, account.id, now).await?)
}

/// Whether `account` acts for the business `rfc`, whose standing is `standing`. A
/// supplier acts for its own RFC: it is the owner (an RFC has one supplier account). An
/// operator acts for a business with an owner only under a delegation current now; for
/// one without, when it registered it (or, when `may_register`, when nobody has).
pub fn acts(account: &Account, rfc: &str, standing: &Standing, may_register: bool) -> bool {
    match account.role {
        Role::Supplier => account.rfc.as_deref() == Some(rfc),
        Role::Operator => match (standing.owner, standing.registrar) {
            (Some(_), _) => standing.delegated,
            (None, Some(registrar)) => registrar == account.id,
            (None, None) => may_register,
        },
    }
}

/// A claimed idempotency key and the fingerprint of its request.
pub struct Held {
    pub account: Uuid,
    pub key: String,
    pub fingerprint: String,
    claim: Claim,
}

/// Runs `work` once per idempotency key: the same key with the same request replays
/// the first success; with another request it is refused (422); while the first is
/// still running, 409. Only successes are kept, so a request refused for a reason the
/// client can fix (a document not yet uploaded) can be retried with its key. The key
/// must be the submission's id, as the client sends both.
pub async fn idempotent<F, Fut>(
    app: &App,
    account: Uuid,
    headers: &HeaderMap,
    request: (&str, &[u8]),
    submission_id: Uuid,
    work: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(Held) -> Fut,
    Fut: Future<Output = Result<StoredResponse, ApiError>>,
{
    let key = idempotency_key(headers)?;
    if key != submission_id.to_string() {
        return Err(ApiError::new(
            ProblemType::Validation,
            "El encabezado Idempotency-Key debe ser el submission_id del envío.",
        ));
    }
    let (target, body) = request;
    let mut fingerprinted = target.as_bytes().to_vec();
    fingerprinted.push(b'\n');
    fingerprinted.extend_from_slice(body);
    let fingerprint = ventanilla_api::sha256_hex(&fingerprinted);
    let now = app.0.clock.now();
    let claimed = app
        .0
        .in_flight
        .claim(account, &key, now, app.reads())
        .await?;
    let Some((claim, answered)) = claimed else {
        return Err(ApiError::plain(ProblemType::IdempotencyInProgress));
    };
    match answered {
        Some(answered) if answered.fingerprint != fingerprint => {
            Err(ApiError::plain(ProblemType::IdempotencyKeyReused))
        }
        Some(answered) => {
            let mut response = stored_response(answered.response);
            response
                .headers_mut()
                .insert(REPLAYED, HeaderValue::from_static("true"));
            Ok(response)
        }
        None => Ok(stored_response(
            work(Held {
                account,
                key,
                fingerprint,
                claim,
            })
            .await?,
        )),
    }
}

fn stored_response(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::CREATED);
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        stored.body,
    )
        .into_response()
}

/// Records `acceptance` with a signed receipt stamped `now`, keeping the 201 answer
/// `answer` builds for replays.
pub async fn accept<T, A>(
    app: &App,
    acceptance: Acceptance,
    held: Held,
    now: chrono::DateTime<chrono::Utc>,
    answer: A,
) -> Result<StoredResponse, ApiError>
where
    T: Serialize,
    A: Fn(&Receipt) -> T + Send + 'static,
{
    let efirma = acceptance.efirma();
    let receipt = Receipt {
        receipt_id: Uuid::now_v7(),
        kind: acceptance.kind(),
        subject_rfc: acceptance.subject_rfc().to_owned(),
        payload_sha256: ventanilla_api::sha256_hex(acceptance.snapshot().as_bytes()),
        server_time: now,
        log_index: 0,
        previous_log_hash: String::new(),
        signature: String::new(),
        signature_sha256: efirma.map(|e| ventanilla_api::sha256_hex(&e.p7s)),
        signer: efirma.map(|e| e.signer.clone()),
        signer_certificate_number: efirma.map(|e| e.certificate_number.clone()),
        signer_revocation: efirma.map(|e| e.revocation),
    };
    let (account, key, fingerprint) = (held.account, held.key, held.fingerprint);
    let submission = Submission {
        acceptance,
        account,
        key: key.clone(),
        fingerprint: fingerprint.clone(),
        receipt,
        respond: Box::new(move |r| StoredResponse {
            status: StatusCode::CREATED.as_u16(),
            // Answers are plain structs with string keys: serializing cannot fail.
            body: serde_json::to_string(&answer(r)).unwrap_or_default(),
        }),
    };
    match app.0.committer.commit(submission, held.claim).await {
        Ok(stored) => Ok(stored),
        // Another instance of the server may have recorded this very request between
        // our look-up of its key and our batch (the key's claim is per process): then
        // its answer is this request's too.
        Err(StorageError::Conflict(conflict)) => match app.reads().answered(account, &key).await? {
            Some(answered) if answered.fingerprint == fingerprint => Ok(answered.response),
            Some(_) => Err(ApiError::plain(ProblemType::IdempotencyKeyReused)),
            None if conflict == "bid" => Err(ApiError::plain(ProblemType::BidExists)),
            None => Err(ApiError::new(
                ProblemType::Validation,
                "Ese submission_id ya se usó en otro envío. Crea un envío nuevo.",
            )),
        },
        Err(other) => Err(ApiError::from(other)),
    }
}

/// Checks that each referenced document was uploaded by `account` and names those
/// that were not (or are not even hashes).
pub async fn check_documents(
    app: &App,
    account: Uuid,
    documents: &[ventanilla_api::documents::DocumentRef],
) -> Result<(), ApiError> {
    let owned = app.lookup(|s| {
        documents
            .iter()
            .map(|d| {
                Ok(ventanilla_api::is_sha256_hex(&d.sha256)
                    && s.has_document(account, &d.sha256)?)
            })
            .collect::<crate::storage::Result<Vec<bool>>>()
    })?;
    let errors: Vec<FieldError> = documents
        .iter()
        .zip(owned)
        .enumerate()
        .filter(|(_, (_, owned))| !owned)
        .map(|(i, (doc, _))| FieldError {
            pointer: format!("/documents/{i}/sha256"),
            code: "not_uploaded".to_owned(),
            detail: format!(
                "El documento {} ({}) no se ha cargado con esta cuenta.",
                doc.requirement, doc.sha256
            ),
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::plain(ProblemType::UnknownDocuments).with_errors(errors))
    }
}

/// A snapshot must be a JSON object; its bytes are what the receipt signs.
pub fn check_snapshot(snapshot: &str) -> Result<(), ApiError> {
    match serde_json::from_str::<serde_json::Value>(snapshot) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        _ => Err(
            ApiError::plain(ProblemType::Validation).with_errors(vec![FieldError {
                pointer: "/snapshot".to_owned(),
                code: "not_json_object".to_owned(),
                detail: "La instantánea debe ser un objeto JSON en texto.".to_owned(),
            }]),
        ),
    }
}
