//! Handing a business from the operator that registered it to its owner, and the
//! owner's delegations to operators (see [`ventanilla_api::ownership`]). Whoever may
//! not do one of these reads 404, as for another's business.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use uuid::Uuid;
use ventanilla_api::auth::Role;
use ventanilla_api::ownership::{
    Delegation, DelegationGrant, Delegations, Handover, MAX_DELEGATION_DAYS,
};
use ventanilla_api::ProblemType;

use super::{json, standing, valid_rfc};
use crate::app::App;
use crate::credentials::{self, field_error, normalize_email};
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::storage::HandoverRecord;

/// How long a handover code stays good: time for the operator to give it to the owner
/// and for the owner to sign up.
const HANDOVER_TTL: Duration = Duration::days(7);

fn not_found() -> ApiError {
    ApiError::plain(ProblemType::NotFound)
}

/// The RFC of the path, normalized; a malformed one names nobody's business.
fn path_rfc(path: &str) -> Result<String, ApiError> {
    valid_rfc(path, "/rfc").map_err(|_| not_found())
}

/// The RFC of the path when the caller is its owner.
fn owned_rfc(caller: &Caller, path: &str) -> Result<String, ApiError> {
    let rfc = path_rfc(path)?;
    match caller.account.role == Role::Supplier && caller.account.rfc.as_deref() == Some(&rfc) {
        true => Ok(rfc),
        false => Err(not_found()),
    }
}

pub async fn issue_handover(
    State(app): State<App>,
    caller: Caller,
    Path(path): Path<String>,
) -> Result<Response, ApiError> {
    let rfc = path_rfc(&path)?;
    // Only the registrar of a business nobody has claimed holds it to hand over.
    let standing = standing(&app, &caller.account, &rfc).await?;
    let holds = standing.owner.is_none() && standing.registrar == Some(caller.account.id);
    if !holds {
        return Err(not_found());
    }
    let code = credentials::handover_code();
    let now = app.0.clock.now();
    let record = HandoverRecord {
        rfc: rfc.clone(),
        code_sha256: credentials::handover_sha256(&code),
        issued_by: caller.account.id,
        issued_at: now,
        expires_at: now + HANDOVER_TTL,
    };
    let expires_at = record.expires_at;
    app.db(move |s| s.issue_handover(&record)).await?;
    Ok(json(
        StatusCode::CREATED,
        &Handover {
            rfc,
            code,
            expires_at,
        },
    ))
}

pub async fn grant_delegation(
    State(app): State<App>,
    caller: Caller,
    Path(path): Path<String>,
    body: JsonBody<DelegationGrant>,
) -> Result<Response, ApiError> {
    let rfc = owned_rfc(&caller, &path)?;
    let grant = body.value;
    let now = app.0.clock.now();
    let mut errors = Vec::new();
    if grant.expires_at <= now || grant.expires_at > now + Duration::days(MAX_DELEGATION_DAYS) {
        errors.push(field_error(
            "/expires_at",
            "expiry_out_of_range",
            "La delegación debe vencer en el futuro y durar a lo más un año.",
        ));
    }
    let email = normalize_email(&grant.operator_email);
    let lookup = email.clone();
    let operator = app
        .db(move |s| s.account_by_email(&lookup))
        .await?
        .map(|record| record.account)
        .filter(|account| account.role == Role::Operator);
    if operator.is_none() {
        errors.push(field_error(
            "/operator_email",
            "not_an_operator",
            "No hay una cuenta de operador con ese correo. Revisa el correo con la cámara que te atiende.",
        ));
    }
    let Some(operator) = operator.filter(|_| errors.is_empty()) else {
        return Err(ApiError::plain(ProblemType::Validation).with_errors(errors));
    };
    let delegation = Delegation {
        rfc,
        operator_id: operator.id,
        operator_email: email,
        granted_at: now,
        expires_at: grant.expires_at,
    };
    let (stored, owner) = (delegation.clone(), caller.account.id);
    app.db(move |s| s.grant_delegation(&stored, owner)).await?;
    Ok(json(StatusCode::CREATED, &delegation))
}

pub async fn delegations(
    State(app): State<App>,
    caller: Caller,
    Path(path): Path<String>,
) -> Result<Response, ApiError> {
    let rfc = owned_rfc(&caller, &path)?;
    let now = app.0.clock.now();
    let delegations = app.db(move |s| s.delegations(&rfc, now)).await?;
    Ok(json(StatusCode::OK, &Delegations { delegations }))
}

pub async fn revoke_delegation(
    State(app): State<App>,
    caller: Caller,
    Path((path, operator)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let rfc = owned_rfc(&caller, &path)?;
    let operator = Uuid::parse_str(&operator).map_err(|_| not_found())?;
    match app.db(move |s| s.revoke_delegation(&rfc, operator)).await? {
        true => Ok(StatusCode::NO_CONTENT.into_response()),
        false => Err(not_found()),
    }
}
