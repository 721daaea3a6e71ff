//! Freezing a registration, a bid or a question for sending: a registration only when the profile
//! and the required documents are complete, a bid once core has frozen it; the
//! snapshot (canonical JSON, documents by hash), its e.firma when one is given (signed
//! here, over the snapshot's exact bytes, before anything is written), the exact
//! request body and the outbox entry are written in one transaction, the same with or
//! without a connection.

use chrono::NaiveDate;
use serde_json::json;
use ventanilla_api::bid::BidSubmission;
use ventanilla_api::documents::DocumentRef;
use ventanilla_api::enquiry::{
    question_problem, QuestionProblem, QuestionSubmission, MAX_QUESTION_CHARS,
};
use ventanilla_api::ocds::Money;
use ventanilla_api::registration::RegistrationSubmission;
use ventanilla_core::bid::FrozenBid;
use ventanilla_core::checklist::{Evaluation, Profile};
use ventanilla_core::registration::review;
use ventanilla_core::snapshot::{freeze, Snapshot};
use ventanilla_core::{Failure, FailureCode, Locale};
use ventanilla_efirma::{Credentials, EfirmaError};
use ventanilla_store::{
    BusinessStore, Library, OutboxItem, OutboxState, StoreError, Submission, SubmissionKind,
    SubmittedDocument,
};

/// Why a registration cannot be submitted yet.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The profile or the documents are not complete; each entry says what.
    #[error("the registration is not complete: {0:?}")]
    Incomplete(Vec<Failure>),
    /// A registration of this business is still on its way.
    #[error("a registration is already waiting to be sent")]
    AlreadyQueued,
    /// This bid is already in the outbox: a sent bid is final, as its receipt says.
    #[error("the bid is already queued or sent")]
    BidAlreadyQueued,
    /// The question cannot be sent as written; with its length in characters.
    #[error("the question is empty or too long")]
    Question(QuestionProblem, usize),
    /// The snapshot could not be written as canonical JSON (a defect, not the user's data).
    #[error("the registration could not be frozen: {0}")]
    Freeze(#[from] serde_json::Error),
    /// The e.firma given cannot sign for this business (wrong password, a CSD, expired,
    /// another RFC…): nothing was queued.
    #[error("cannot sign: {0}")]
    Efirma(#[from] EfirmaError),
    /// The business's files failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SubmitError {
    /// A stable code for the reason, for scripts and the window.
    pub fn code(&self) -> &'static str {
        match self {
            SubmitError::Incomplete(_) => "incomplete",
            SubmitError::AlreadyQueued | SubmitError::BidAlreadyQueued => "already_queued",
            SubmitError::Question(..) => "bad_question",
            SubmitError::Freeze(_) => "freeze_failed",
            SubmitError::Efirma(e) => e.code(),
            SubmitError::Store(e) => e.code(),
        }
    }

    /// What happened and what to do, as a value to word in any language.
    pub fn failure(&self) -> Failure {
        match self {
            SubmitError::Incomplete(missing) => {
                Failure::from(FailureCode::Incomplete).with_list("missing", missing.clone())
            }
            SubmitError::AlreadyQueued => FailureCode::AlreadyQueued.into(),
            SubmitError::BidAlreadyQueued => FailureCode::BidAlreadyQueued.into(),
            SubmitError::Question(QuestionProblem::Empty, _) => FailureCode::QuestionEmpty.into(),
            SubmitError::Question(QuestionProblem::TooLong, length) => {
                Failure::from(FailureCode::QuestionTooLong)
                    .with("length", length)
                    .with("max", MAX_QUESTION_CHARS)
            }
            SubmitError::Freeze(e) => Failure::from(FailureCode::FreezeFailed).with("detail", e),
            SubmitError::Efirma(e) => Failure::from(FailureCode::SigningRefused)
                .with_words("reason", |locale| e.message(locale)),
            SubmitError::Store(e) => e.failure(),
        }
    }

    /// What happened and what to do, in Spanish (the CLI's words).
    pub fn message(&self) -> String {
        self.failure().message(Locale::Es)
    }
}

/// What still keeps a business's registration from being sent; empty when it can be
/// sent. `evaluation` is its checklist (`None`: persona unknown).
pub fn missing_for_registration(
    draft_complete: bool,
    evaluation: Option<&Evaluation>,
    catalogue: &ventanilla_core::checklist::Catalogue,
) -> Vec<Failure> {
    let mut missing = Vec::new();
    if !draft_complete {
        missing.push(FailureCode::CompleteTheData.into());
    }
    match evaluation {
        None => missing.push(FailureCode::CompleteThePersona.into()),
        Some(evaluation) => {
            for item in evaluation
                .items
                .iter()
                .filter(|i| i.required && !i.status.is_ready())
            {
                let requirement = catalogue.requirement(&item.code);
                let name = |locale| {
                    requirement
                        .map_or_else(|| item.code.clone(), |r| r.name.text(locale).to_owned())
                };
                missing.push(
                    Failure::from(FailureCode::CompleteTheDocument)
                        .with_words("name", name)
                        .with_words("status", |locale| item.status.message(locale)),
                );
            }
        }
    }
    missing
}

/// The e.firma of `snapshot` made with `fiel` now, for the business of `rfc`; `None`
/// without a FIEL.
fn sign(
    fiel: Option<&Credentials<'_>>,
    snapshot: &Snapshot,
    rfc: &str,
) -> Result<Option<Vec<u8>>, SubmitError> {
    let Some(fiel) = fiel else {
        return Ok(None);
    };
    let p7s = ventanilla_efirma::sign_detached(
        fiel,
        snapshot.canonical_json.as_bytes(),
        chrono::Utc::now(),
        Some(rfc),
    )?;
    Ok(Some(p7s))
}

/// Freezes the business's registration and queues it, if it is complete on `today`
/// (a Mexico City day), signed with `fiel` when given (a FIEL of the business's RFC,
/// current now: else nothing is queued and the error says why).
pub fn queue_registration(
    library: &Library,
    business_id: &str,
    today: NaiveDate,
    fiel: Option<&Credentials<'_>>,
) -> Result<OutboxItem, SubmitError> {
    let business = library.open_business(business_id)?;
    let draft = business.load_draft()?;
    let catalogue = library.catalogue()?;
    let evaluation = business.checklist(&catalogue, None, today)?;
    let complete = review(&draft, &library.banks()?).facts.complete;
    let missing = missing_for_registration(complete, evaluation.as_ref(), &catalogue);
    let (Some(evaluation), Some(profile), true) =
        (evaluation, Profile::from_draft(&draft), missing.is_empty())
    else {
        return Err(SubmitError::Incomplete(missing));
    };
    let waiting = business.outbox()?.into_iter().any(|item| {
        item.submission.kind == SubmissionKind::Registration
            && matches!(item.state, OutboxState::Queued | OutboxState::Sending)
    });
    if waiting {
        return Err(SubmitError::AlreadyQueued);
    }
    // The current document of each item the checklist asks for.
    let documents: Vec<_> = business
        .documents()?
        .into_iter()
        .filter(|d| {
            evaluation
                .items
                .iter()
                .any(|i| i.code == d.requirement && i.representative == d.representative)
        })
        .collect();
    let submission_id = uuid::Uuid::now_v7();
    let rfc = ventanilla_core::identifiers::normalize(&draft.rfc);
    let snapshot = freeze(&json!({
        "format": "ventanilla-registration-v1",
        "submission_id": submission_id,
        "rfc": rfc,
        "registration": draft,
        "catalogue_version": evaluation.catalogue_version,
        "documents": documents.iter().map(|d| json!({
            "requirement": d.requirement,
            "representative": d.representative,
            "sha256": d.sha256,
            "kind": d.kind,
            "size": d.size,
            "issued_on": d.issued_on,
            "expires_on": d.expires_on,
        })).collect::<Vec<_>>(),
    }))?;
    let refs: Vec<DocumentRef> = documents
        .iter()
        .map(|d| DocumentRef {
            requirement: d.requirement.clone(),
            sha256: d.sha256.clone(),
        })
        .collect();
    let signature = sign(fiel, &snapshot, &rfc)?;
    let body = serde_json::to_string(&RegistrationSubmission {
        submission_id,
        rfc: rfc.clone(),
        employer: profile.employer,
        snapshot: snapshot.canonical_json.clone(),
        documents: refs.clone(),
        signature: signature.as_deref().map(ventanilla_api::signature::encode),
    })?;
    let item = queue(
        &business,
        submission_id.to_string(),
        SubmissionKind::Registration,
        rfc,
        snapshot,
        refs,
        body,
        signature,
    )?;
    // So a sync still lists it if this business's file is damaged before it goes out.
    library.record_unsent(business_id, &business)?;
    Ok(item)
}

/// Queues a bid that core froze (`BusinessStore::freeze_bid`) for the business
/// `business_id` of `library`, signed with `fiel` when given (a FIEL of the bidder's
/// RFC, current now: else nothing is queued, the bid stays a draft, and the error says
/// why). The bid's id is its submission id, so a bid goes out once: to change it
/// after, prepare another.
pub fn queue_bid(
    library: &Library,
    business_id: &str,
    business: &BusinessStore,
    frozen: FrozenBid,
    fiel: Option<&Credentials<'_>>,
) -> Result<OutboxItem, SubmitError> {
    if business
        .outbox()?
        .iter()
        .any(|item| item.submission.id == frozen.submission_id)
    {
        return Err(SubmitError::BidAlreadyQueued);
    }
    let submission_id = frozen.submission_id.parse().map_err(|_| {
        SubmitError::Freeze(serde::de::Error::custom("a bid id that is not a UUID"))
    })?;
    let refs: Vec<DocumentRef> = frozen
        .documents
        .into_iter()
        .map(|d| DocumentRef {
            requirement: d.requirement,
            sha256: d.sha256,
        })
        .collect();
    let signature = sign(fiel, &frozen.snapshot, &frozen.tenderer_rfc)?;
    let body = serde_json::to_string(&BidSubmission {
        submission_id,
        tenderer_rfc: frozen.tenderer_rfc.clone(),
        snapshot: frozen.snapshot.canonical_json.clone(),
        value: Money {
            amount: frozen.total,
            currency: "MXN".into(),
        },
        documents: refs.clone(),
        signature: signature.as_deref().map(ventanilla_api::signature::encode),
    })?;
    let item = queue(
        business,
        frozen.submission_id,
        SubmissionKind::Bid { ocid: frozen.ocid },
        frozen.tenderer_rfc,
        frozen.snapshot,
        refs,
        body,
        signature,
    )?;
    // As for a registration: listed by a sync even if the file is damaged first.
    library.record_unsent(business_id, business)?;
    Ok(item)
}

/// Queues a question on the tender `ocid` asked by the business `business_id` (RFC
/// `rfc`), trimmed; refused when empty or over
/// [`ventanilla_api::enquiry::MAX_QUESTION_CHARS`]. Its id is fixed now and is its
/// idempotency key, so it reaches the server once however often the drain resends it;
/// the receipt signs the question's exact text. Whether the tender still takes
/// questions is the caller's to judge by this computer's clock, and the server's by its.
pub fn queue_question(
    library: &Library,
    business_id: &str,
    business: &BusinessStore,
    ocid: &str,
    rfc: &str,
    question: &str,
) -> Result<OutboxItem, SubmitError> {
    if let Some(problem) = question_problem(question) {
        return Err(SubmitError::Question(
            problem,
            question.trim().chars().count(),
        ));
    }
    let question = question.trim().to_owned();
    let submission_id = uuid::Uuid::now_v7();
    let rfc = ventanilla_core::identifiers::normalize(rfc);
    let body = serde_json::to_string(&QuestionSubmission {
        submission_id,
        asker_rfc: rfc.clone(),
        question: question.clone(),
    })?;
    let snapshot = Snapshot {
        sha256: ventanilla_api::sha256_hex(question.as_bytes()),
        canonical_json: question,
    };
    let item = queue(
        business,
        submission_id.to_string(),
        SubmissionKind::Question {
            ocid: ocid.to_owned(),
        },
        rfc,
        snapshot,
        Vec::new(),
        body,
        None,
    )?;
    library.record_unsent(business_id, business)?;
    Ok(item)
}

/// Writes a frozen submission, its documents and its outbox entry in one transaction.
#[allow(clippy::too_many_arguments)]
fn queue(
    business: &BusinessStore,
    id: String,
    kind: SubmissionKind,
    rfc: String,
    snapshot: Snapshot,
    refs: Vec<DocumentRef>,
    body: String,
    signature: Option<Vec<u8>>,
) -> Result<OutboxItem, SubmitError> {
    let submission = Submission {
        id,
        kind,
        rfc,
        snapshot: snapshot.canonical_json,
        sha256: snapshot.sha256,
        documents: refs
            .into_iter()
            .map(|d| SubmittedDocument {
                requirement: d.requirement,
                sha256: d.sha256,
            })
            .collect(),
        body,
        signature,
        created_at: ventanilla_core::stamp::now(),
    };
    business.queue_submission(&submission)?;
    Ok(business.outbox_item(&submission.id)?)
}
