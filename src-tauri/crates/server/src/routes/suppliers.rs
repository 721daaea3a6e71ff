//! Registration in the padrón de proveedores and its review status.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ventanilla_api::registration::{RegistrationAccepted, RegistrationSubmission, ReviewStatus};
use ventanilla_api::{FieldError, ProblemType};
use ventanilla_core::checklist::Profile;
use ventanilla_core::Locale;

use super::{accept, acts_for, check_documents, check_snapshot, idempotent, json, valid_rfc};
use crate::app::App;
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::storage::{Acceptance, NewRegistration};

/// 404 unless the caller acts for `rfc`: another's business is not even confirmed to
/// exist.
async fn require_acts_for(
    app: &App,
    caller: &Caller,
    rfc: &str,
    may_register: bool,
) -> Result<(), ApiError> {
    match acts_for(app, &caller.account, rfc, may_register).await? {
        true => Ok(()),
        false => Err(ApiError::plain(ProblemType::NotFound)),
    }
}

/// Refuses documents for requirements the catalogue lacks, then names the required
/// ones `form` does not reference, for a business of its persona and employer status.
fn check_required_documents(
    app: &App,
    form: &RegistrationSubmission,
    rfc: &str,
) -> Result<(), ApiError> {
    let Some(persona) = ventanilla_core::rfc::check(rfc).details.persona else {
        return Ok(());
    };
    let profile = Profile {
        persona,
        employer: form.employer,
        representatives: Vec::new(),
    };
    let catalogue = &app.0.catalogue;
    let mut errors: Vec<FieldError> = form
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| catalogue.requirement(&d.requirement).is_none())
        .map(|(i, d)| FieldError {
            pointer: format!("/documents/{i}/requirement"),
            code: "unknown_requirement".to_owned(),
            detail: format!("{} no es un requisito del catálogo.", d.requirement),
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::plain(ProblemType::Validation).with_errors(errors));
    }
    errors = catalogue
        .requirements
        .iter()
        .filter(|r| r.required && r.applies.includes(&profile, None))
        .filter(|r| !form.documents.iter().any(|d| d.requirement == r.code))
        .map(|r| FieldError {
            pointer: r.code.clone(),
            code: "missing".to_owned(),
            detail: format!("Falta: {}.", r.name.text(Locale::Es)),
        })
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    Err(ApiError::new(
        ProblemType::MissingDocuments,
        format!("Faltan documentos obligatorios: {}.", names.join(", ")),
    )
    .with_errors(errors))
}

pub async fn submit_registration(
    State(app): State<App>,
    caller: Caller,
    Path(path_rfc): Path<String>,
    headers: HeaderMap,
    body: JsonBody<RegistrationSubmission>,
) -> Result<Response, ApiError> {
    let rfc = valid_rfc(&path_rfc, "/rfc")?;
    require_acts_for(&app, &caller, &rfc, true).await?;
    let target = format!("PUT /v1/suppliers/{rfc}/registration");
    let form = body.value;
    let account = caller.account.id;
    idempotent(
        &app,
        account,
        &headers,
        (&target, &body.raw),
        form.submission_id,
        |held| async {
            if ventanilla_core::identifiers::normalize(&form.rfc) != rfc {
                return Err(ApiError::new(
                    ProblemType::Validation,
                    "El RFC del cuerpo no coincide con el de la ruta.",
                ));
            }
            check_snapshot(&form.snapshot)?;
            check_required_documents(&app, &form, &rfc)?;
            check_documents(&app, account, &form.documents).await?;
            let now = app.0.clock.now();
            let efirma = crate::efirma::check(
                &app.0.efirma,
                &form.snapshot,
                form.signature.as_deref(),
                &rfc,
                now,
            )
            .await?;
            let submission_id = form.submission_id;
            let acceptance = Acceptance::Registration(NewRegistration {
                submission_id,
                rfc: rfc.clone(),
                account,
                employer: form.employer,
                snapshot: form.snapshot,
                documents: form.documents,
                efirma,
            });
            let answer_rfc = rfc.clone();
            accept(&app, acceptance, held, now, move |receipt| {
                RegistrationAccepted {
                    submission_id,
                    rfc: answer_rfc.clone(),
                    status: ReviewStatus::EnRevision,
                    receipt: receipt.clone(),
                }
            })
            .await
        },
    )
    .await
}

pub async fn status(
    State(app): State<App>,
    caller: Caller,
    Path(path_rfc): Path<String>,
) -> Result<Response, ApiError> {
    // A malformed RFC names nobody's registration: 404 like any other.
    let rfc = valid_rfc(&path_rfc, "/rfc").map_err(|_| ApiError::plain(ProblemType::NotFound))?;
    require_acts_for(&app, &caller, &rfc, false).await?;
    let status = app
        .reads()
        .supplier_status(&rfc)
        .await?
        .ok_or_else(|| ApiError::plain(ProblemType::NotFound))?;
    Ok(json(StatusCode::OK, &status))
}
