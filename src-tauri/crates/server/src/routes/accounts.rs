//! Sign-up, sign-in and sign-out. Tokens are kept only as SHA-256, so a stolen
//! database yields no usable token. Operators sign up only in the sandbox; elsewhere
//! the alcaldía creates their accounts (`ventanilla-server operator`).
//!
//! A supplier account is its RFC's owner, so an RFC takes one: one nobody holds is
//! anyone's to sign up with; one an operator registered is claimed with the handover
//! code that operator issued; one with an owner is refused. A second claim is refused
//! outright rather than left pending: a pending claim would need someone to settle it,
//! and the alcaldía, who would, already settles disputes at its counter.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL;
use base64::Engine;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore};
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role, Session, SignIn, SignUp};
use ventanilla_api::{FieldError, ProblemType};

use super::{json, valid_rfc};
use crate::app::App;
use crate::credentials::{self, field_error, normalize_email};
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::limiter::Refused;
use crate::storage::StorageError;

/// The problems of a sign-up other than its RFC.
fn sign_up_errors(form: &SignUp, email: &str, sandbox: bool) -> Vec<FieldError> {
    let mut errors = credentials::problems(email, &form.password);
    match (form.role, &form.rfc) {
        (Role::Supplier, None) => errors.push(field_error(
            "/rfc",
            "required",
            "Una cuenta de proveedor necesita el RFC del negocio.",
        )),
        (Role::Operator, _) if !sandbox => errors.push(field_error(
            "/role",
            "operator_by_invitation",
            "Las cuentas de operador las crea la alcaldía: solicita la tuya a la mesa de proveedores.",
        )),
        (Role::Operator, Some(_)) => errors.push(field_error(
            "/rfc",
            "not_allowed",
            "Una cuenta de operador no lleva RFC: actúa por los negocios que registra.",
        )),
        _ => {}
    }
    if form.role == Role::Operator && form.handover.is_some() {
        errors.push(field_error(
            "/handover",
            "not_allowed",
            "Una cuenta de operador no usa códigos de entrega: los presenta el dueño del negocio al crear su cuenta de proveedor.",
        ));
    }
    errors
}

/// A sign-up's conflict as a problem: for an RFC held, said so that the person knows
/// how to get it.
fn sign_up_conflict(conflict: &str, rfc: &str) -> ApiError {
    match conflict {
        "owner" => ApiError::new(
            ProblemType::RfcHeld,
            format!("Ya existe una cuenta de proveedor con el RFC {rfc}. Si el negocio es tuyo, inicia sesión con esa cuenta; si no la reconoces, acude a la alcaldía con tu constancia de situación fiscal."),
        ),
        "registrar" => ApiError::new(
            ProblemType::RfcHeld,
            format!("Una cámara u operador ya registró el RFC {rfc} a nombre del negocio. Si el negocio es tuyo, pide a quien lo registró un código de entrega y escríbelo al crear tu cuenta, o acude a la alcaldía con tu constancia de situación fiscal."),
        ),
        "handover" => ApiError::plain(ProblemType::Validation).with_errors(vec![field_error(
            "/handover",
            "handover_invalid",
            "El código de entrega no es de este RFC, ya se usó o caducó. Pide uno nuevo a quien registró tu negocio.",
        )]),
        _ => ApiError::plain(ProblemType::AccountExists),
    }
}

pub async fn sign_up(State(app): State<App>, body: JsonBody<SignUp>) -> Result<Response, ApiError> {
    let form = body.value;
    let email = normalize_email(&form.email);
    let errors = sign_up_errors(&form, &email, app.0.sandbox);
    if !errors.is_empty() {
        return Err(ApiError::plain(ProblemType::Validation).with_errors(errors));
    }
    let rfc = form
        .rfc
        .as_deref()
        .map(|r| valid_rfc(r, "/rfc"))
        .transpose()?;
    let account = Account {
        id: Uuid::now_v7(),
        role: form.role,
        email,
        rfc,
    };
    let password = form.password;
    let password_hash = app
        .argon2(move || credentials::hash(&password))
        .await?
        .map_err(ApiError::internal)?;
    let now = app.0.clock.now();
    let stored = account.clone();
    let handover = form.handover.as_deref().map(credentials::handover_sha256);
    match app
        .db_outcome(move |s| match handover {
            Some(code) => s.claim_account(&stored, &password_hash, &code, now),
            None => s.create_account(&stored, &password_hash, now),
        })
        .await?
    {
        Ok(()) => Ok(json(StatusCode::CREATED, &account)),
        Err(StorageError::Conflict(conflict)) => Err(sign_up_conflict(
            conflict,
            account.rfc.as_deref().unwrap_or_default(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Signs in, counting failures by email and by client address (see
/// [`crate::limiter`]). Inputs no account could match are refused before anything is
/// remembered, looked up or hashed.
pub async fn sign_in(
    State(app): State<App>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: JsonBody<SignIn>,
) -> Result<Response, ApiError> {
    let SignIn { email, password } = body.value;
    let errors: Vec<FieldError> = credentials::email_too_long(&email)
        .into_iter()
        .chain(credentials::password_too_long(&password))
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::plain(ProblemType::Validation).with_errors(errors));
    }
    let email = normalize_email(&email);
    let now = app.0.clock.now();
    let attempt = app
        .0
        .limiter
        .reserve(&email, peer.ip(), now)?
        .map_err(|refused| too_many_attempts(refused, now))?;
    let lookup = email.clone();
    let record = app.db(move |s| s.account_by_email(&lookup)).await?;
    let hash = record.as_ref().map(|r| r.password_hash.clone());
    let matches = app
        .argon2(move || credentials::matches(&password, hash.as_deref()))
        .await?;
    let account = match record {
        Some(record) if matches => record.account,
        _ => {
            app.0.limiter.failed(attempt)?;
            return Err(ApiError::plain(ProblemType::InvalidCredentials));
        }
    };
    app.0.limiter.succeeded(&email, attempt)?;
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let token = BASE64URL.encode(secret);
    let token_sha256 = ventanilla_api::sha256_hex(token.as_bytes());
    let expires_at = now + app.0.session_ttl;
    let id = account.id;
    app.db(move |s| s.create_session(&token_sha256, id, expires_at))
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &Session {
            token,
            token_type: "Bearer".to_owned(),
            expires_at,
            account,
        },
    ))
}

/// 429 saying when to try again, in the detail (Mexico City's time) and `Retry-After`.
fn too_many_attempts(refused: Refused, now: DateTime<Utc>) -> ApiError {
    let seconds = refused.seconds_after(now);
    let minutes = (seconds + 59) / 60;
    let at = refused
        .retry_at
        .with_timezone(&chrono_tz::America::Mexico_City);
    let wait = match minutes {
        1 => "1 minuto".to_owned(),
        n => format!("{n} minutos"),
    };
    ApiError::new(
        ProblemType::TooManyAttempts,
        format!(
            "Demasiados intentos fallidos de inicio de sesión. Vuelve a intentarlo en {wait} \
             (a partir de las {}, hora de la Ciudad de México). Si olvidaste la \
             contraseña, pide ayuda a la mesa de proveedores de la alcaldía.",
            at.format("%H:%M")
        ),
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from(seconds))
}

pub async fn sign_out(State(app): State<App>, caller: Caller) -> Result<Response, ApiError> {
    let now = app.0.clock.now();
    let hash = caller.token_sha256.clone();
    app.db(move |s| s.revoke_session(&hash, now)).await?;
    app.0.sessions.forget(&caller.token_sha256);
    Ok(StatusCode::NO_CONTENT.into_response())
}
