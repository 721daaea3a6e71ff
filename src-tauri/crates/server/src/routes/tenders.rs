//! Tenders as OCDS releases, and sealed bids on them.
//!
//! A bid is sealed until the tender's opening date: only the account that sent it can
//! read it (not another acting for the same RFC), and the tender's release does not
//! mention it. From the opening on, whoever acts for its RFC reads it too, and the
//! release lists every bid (`bids.details`) and its bidders (`parties`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use ventanilla_api::bid::{BidRecord, BidSubmission};
use ventanilla_api::enquiry::{
    question_problem, QuestionProblem, QuestionRecord, QuestionSubmission, MAX_QUESTION_CHARS,
};
use ventanilla_api::ocds::{
    Award, BidDetail, Bids, Contract, Enquiry, Identifier, Organization, OrganizationDetails,
    OrganizationReference, Period, Publisher, Record, RecordPackage, Release, ReleasePackage,
    EXTENSIONS, OCDS_VERSION, RFC_SCHEME,
};
use ventanilla_api::registration::ReviewStatus;
use ventanilla_api::stats::ContractStats;
use ventanilla_api::{FieldError, ProblemType};
use ventanilla_core::ocds::merge;
use ventanilla_core::registration::{size_of, RegistrationDraft};

use super::{accept, acts, acts_for, check_documents, check_snapshot, idempotent, json, valid_rfc};
use crate::app::{App, Tagged};
use crate::error::ApiError;
use crate::extract::{Caller, JsonBody};
use crate::storage::{
    Acceptance, AwardOutcome, AwardRecord, BidRow, Bidding, ContractRecord, EnquiryRow, NewBid,
    NewQuestion, Standing, Storage, TenderRecord,
};

/// What a tender's releases are made of: the tender as published, its bids (read once
/// opened), and its award and contract when decided.
pub(crate) struct TenderState {
    pub tender: TenderRecord,
    pub bids: Vec<BidRow>,
    pub award: Option<AwardRecord>,
    pub contract: Option<ContractRecord>,
    /// The OCDS scale of each bidder whose registration tells its size, by RFC.
    pub scales: HashMap<String, &'static str>,
    /// Its questions, each with its answers (public from the moment they are given).
    pub enquiries: Vec<EnquiryRow>,
}

/// The OCDS scale (`micro`, `sme`, `large`) of the business `rfc`, from the sector,
/// workers and annual sales of its latest registration; `None` when they are missing
/// or cannot be read.
pub(crate) fn scale_of(s: &dyn Storage, rfc: &str) -> crate::storage::Result<Option<&'static str>> {
    let Some(snapshot) = s.registration_snapshot(rfc)? else {
        return Ok(None);
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&snapshot) else {
        return Ok(None);
    };
    let field = |name: &str| {
        value["registration"][name]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let draft = RegistrationDraft {
        sector: field("sector"),
        workers: field("workers"),
        annual_sales: field("annual_sales"),
        ..RegistrationDraft::default()
    };
    Ok(size_of(&draft).map(|assessed| assessed.size.ocds_scale()))
}

/// Reads everything of `tender` its releases show at `now`: bids, award and contract
/// only once the bids are opened.
pub(crate) fn state_of(
    s: &dyn Storage,
    tender: TenderRecord,
    now: DateTime<Utc>,
) -> crate::storage::Result<TenderState> {
    let ocid = tender.release.ocid.clone();
    let opened = now >= tender.opening;
    let bids = if opened { s.bids(&ocid)? } else { Vec::new() };
    let mut scales = HashMap::new();
    for row in &bids {
        let rfc = &row.record.tenderer_rfc;
        if let Some(scale) = scale_of(s, rfc)? {
            scales.insert(rfc.clone(), scale);
        }
    }
    Ok(TenderState {
        enquiries: s.enquiries(&ocid)?,
        bids,
        scales,
        award: if opened { s.award(&ocid)? } else { None },
        contract: if opened { s.contract(&ocid)? } else { None },
        tender,
    })
}

/// The party of a bidder, by its RFC.
fn party_id(rfc: &str) -> String {
    format!("{RFC_SCHEME}-{rfc}")
}

/// The answered questions as they stood at `at`: each question with the last answer
/// given by then, in the order they were asked. Who asked is not in `rows`.
fn enquiries_at(rows: &[EnquiryRow], at: DateTime<Utc>) -> Vec<Enquiry> {
    rows.iter()
        .filter_map(|row| {
            let (answer, answered) = row.answers.iter().rev().find(|(_, when)| *when <= at)?;
            Some(Enquiry {
                id: row.id.to_string(),
                date: row.asked_at,
                description: row.question.clone(),
                answer: answer.clone(),
                date_answered: *answered,
            })
        })
        .collect()
}

/// The releases that publish answers: one per instant an answer was given or changed,
/// in time order, as long as the instant is before `until`. `given` counts those
/// already published, so each has its own id (`…-aclaracion-N`).
struct Answers<'a> {
    rows: &'a [EnquiryRow],
    instants: Vec<DateTime<Utc>>,
    given: usize,
}

impl<'a> Answers<'a> {
    fn new(rows: &'a [EnquiryRow], now: DateTime<Utc>) -> Answers<'a> {
        let mut instants: Vec<DateTime<Utc>> = rows
            .iter()
            .flat_map(|row| row.answers.iter().map(|(_, at)| *at))
            .filter(|at| *at <= now)
            .collect();
        instants.sort();
        instants.dedup();
        Answers {
            rows,
            instants,
            given: 0,
        }
    }

    /// Appends to `history` a release for each answer instant up to `until` (inclusive
    /// when `inclusive`), updating `release` as it goes.
    fn publish(
        &mut self,
        release: &mut Release,
        history: &mut Vec<Release>,
        until: DateTime<Utc>,
        inclusive: bool,
    ) {
        while let Some(&at) = self.instants.get(self.given) {
            if at > until || (!inclusive && at == until) {
                break;
            }
            self.given += 1;
            release.id = format!("{}-aclaracion-{}", release.ocid, self.given);
            release.date = release.date.max(at);
            release.tag = vec!["tenderUpdate".to_owned()];
            release.tender.enquiries = enquiries_at(self.rows, at);
            history.push(release.clone());
        }
    }
}

/// Every release of a tender at `now`, oldest first, each a whole snapshot with its
/// own id, date and tag: the call for bids (`tender`); each answer to a question
/// given or changed (`tenderUpdate`, `…-aclaracion-N`); its close at the deadline
/// (`tenderUpdate`, status `complete`); the opening, with the bids and
/// the bidders (`tenderUpdate`); the award (`award`); the contract (`contract`). The
/// last is the tender as it stands.
pub(crate) fn releases_of(state: TenderState, now: DateTime<Utc>) -> Vec<Release> {
    let TenderState {
        tender,
        bids,
        award,
        contract,
        scales,
        enquiries,
    } = state;
    let mut release = tender.release;
    let mut history = vec![release.clone()];
    let mut answers = Answers::new(&enquiries, now);
    answers.publish(&mut release, &mut history, tender.deadline, false);
    if now > tender.deadline {
        release.id = format!("{}-cierre", release.ocid);
        release.tag = vec!["tenderUpdate".to_owned()];
        release.tender.status = "complete".to_owned();
        release.date = release.date.max(tender.deadline);
        history.push(release.clone());
    }
    answers.publish(&mut release, &mut history, tender.opening, false);
    if now < tender.opening {
        answers.publish(&mut release, &mut history, now, true);
        return history;
    }
    release.id = format!("{}-apertura", release.ocid);
    release.date = release.date.max(tender.opening);
    release.tag = vec!["tenderUpdate".to_owned()];
    for row in &bids {
        let rfc = &row.record.tenderer_rfc;
        release.parties.push(Organization {
            id: party_id(rfc),
            name: rfc.clone(),
            identifier: Identifier {
                scheme: RFC_SCHEME.to_owned(),
                id: rfc.clone(),
                legal_name: rfc.clone(),
            },
            roles: vec!["tenderer".to_owned()],
            details: scales.get(rfc).map(|scale| OrganizationDetails {
                scale: (*scale).to_owned(),
            }),
        });
    }
    release.bids = Some(Bids {
        details: bids
            .iter()
            .map(|row| BidDetail {
                id: row.record.bid_id.to_string(),
                date: row.record.submitted_at,
                status: "valid".to_owned(),
                tenderers: vec![OrganizationReference {
                    id: party_id(&row.record.tenderer_rfc),
                    name: row.record.tenderer_rfc.clone(),
                }],
                value: row.record.value.clone(),
            })
            .collect(),
    });
    history.push(release.clone());
    let Some(decided) = award else {
        answers.publish(&mut release, &mut history, now, true);
        return history;
    };
    answers.publish(&mut release, &mut history, decided.decided_at, false);
    let award_id = format!("{}-fallo", release.ocid);
    release.id = award_id.clone();
    release.date = release.date.max(decided.decided_at);
    release.tag = vec!["award".to_owned()];
    let mut award = Award {
        id: award_id.clone(),
        status: "active".to_owned(),
        date: decided.decided_at,
        value: None,
        suppliers: Vec::new(),
        related_bids: Vec::new(),
    };
    match decided.outcome {
        AwardOutcome::Won(bid) => {
            if let Some(row) = bids.iter().find(|row| row.record.bid_id == bid) {
                let supplier = party_id(&row.record.tenderer_rfc);
                if let Some(party) = release.parties.iter_mut().find(|p| p.id == supplier) {
                    party.roles.push("supplier".to_owned());
                }
                award.value = Some(row.record.value.clone());
                award.suppliers = vec![OrganizationReference {
                    id: supplier,
                    name: row.record.tenderer_rfc.clone(),
                }];
                award.related_bids = vec![bid.to_string()];
            }
        }
        AwardOutcome::Unsuccessful => {
            award.status = "unsuccessful".to_owned();
            release.tender.status = "unsuccessful".to_owned();
        }
        AwardOutcome::Cancelled => {
            award.status = "cancelled".to_owned();
            release.tender.status = "cancelled".to_owned();
        }
    }
    release.awards = vec![award];
    history.push(release.clone());
    if let Some(signed) = contract {
        answers.publish(&mut release, &mut history, signed.signed_at, false);
        release.id = format!("{}-contrato", release.ocid);
        release.date = release.date.max(signed.signed_at);
        release.tag = vec!["contract".to_owned()];
        release.contracts = vec![Contract {
            id: format!("{}-contrato", release.ocid),
            award_id,
            status: "active".to_owned(),
            value: signed.value,
            period: Period {
                start_date: signed.start,
                end_date: signed.end,
            },
            date_signed: signed.signed_at,
        }];
        history.push(release.clone());
    }
    answers.publish(&mut release, &mut history, now, true);
    history
}

/// The release of a tender as it stands at `now`: the last of [`releases_of`].
fn release_at(state: TenderState, now: DateTime<Utc>) -> Release {
    releases_of(state, now)
        .pop()
        .expect("a tender has at least its call for bids")
}

/// Every tender's current release; bids, awards and contracts are read only for the
/// opened ones.
async fn releases(app: &App) -> Result<Vec<Release>, ApiError> {
    let now = app.0.clock.now();
    let states = app
        .db(move |s| {
            s.tenders()?
                .into_iter()
                .map(|t| state_of(s, t, now))
                .collect::<crate::storage::Result<Vec<_>>>()
        })
        .await?;
    Ok(states
        .into_iter()
        .map(|state| release_at(state, now))
        .collect())
}

/// The absolute URI of the package at `path`, as the client addressed the server (OCDS
/// asks for one that names the package); behind a TLS proxy, `X-Forwarded-Proto`
/// says `https`. A missing or malformed `Host` reads as `localhost`.
fn published_uri(headers: &HeaderMap, path: &str) -> String {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST)
        .filter(|host| {
            !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = match text(header::HeaderName::from_static("x-forwarded-proto")) {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}{path}")
}

pub async fn list(State(app): State<App>, headers: HeaderMap) -> Result<Response, ApiError> {
    let releases = releases(&app).await?;
    let published_date = releases
        .iter()
        .map(|r| r.date)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    let package = ReleasePackage {
        uri: published_uri(&headers, "/v1/tenders"),
        version: OCDS_VERSION.to_owned(),
        extensions: EXTENSIONS.map(str::to_owned).to_vec(),
        published_date,
        publisher: Publisher {
            name: "Alcaldía Benito Juárez".to_owned(),
        },
        releases,
    };
    let body = serde_json::to_vec(&package).map_err(ApiError::internal)?;
    Ok(Tagged::new(body).respond(&headers))
}

pub async fn one(State(app): State<App>, Path(ocid): Path<String>) -> Result<Response, ApiError> {
    let tender = app
        .lookup(|s| s.tender(&ocid))?
        .ok_or_else(|| ApiError::plain(ProblemType::NotFound))?;
    let now = app.0.clock.now();
    let state = app.db(move |s| state_of(s, tender, now)).await?;
    Ok(json(StatusCode::OK, &release_at(state, now)))
}

/// The share of signed contracts that went to SMEs (micro, small and medium
/// businesses, by their registration), by count and by value, over every tender as
/// published now.
pub async fn stats(State(app): State<App>) -> Result<Response, ApiError> {
    let now = app.0.clock.now();
    let states = app
        .db(move |s| {
            s.tenders()?
                .into_iter()
                .map(|t| state_of(s, t, now))
                .collect::<crate::storage::Result<Vec<_>>>()
        })
        .await?;
    let mut stats = ContractStats::default();
    for state in states {
        let (Some(award), Some(contract)) = (&state.award, &state.contract) else {
            continue;
        };
        let AwardOutcome::Won(bid) = award.outcome else {
            continue;
        };
        let Some(row) = state.bids.iter().find(|row| row.record.bid_id == bid) else {
            continue;
        };
        let sme = matches!(
            state.scales.get(&row.record.tenderer_rfc),
            Some(&"micro" | &"sme")
        );
        stats.add(contract.value.amount, sme);
    }
    Ok(json(StatusCode::OK, &stats))
}

/// One tender's OCDS record: its releases (see [`releases_of`]) and their compiled
/// release, merged by OCDS's rules ([`ventanilla_core::ocds::merge`]).
pub async fn record(
    State(app): State<App>,
    headers: HeaderMap,
    Path(ocid): Path<String>,
) -> Result<Response, ApiError> {
    let tender = app
        .lookup(|s| s.tender(&ocid))?
        .ok_or_else(|| ApiError::plain(ProblemType::NotFound))?;
    let now = app.0.clock.now();
    let state = app.db(move |s| state_of(s, tender, now)).await?;
    let releases = releases_of(state, now);
    let values = releases
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(ApiError::internal)?;
    let compiled = merge::compile(&values)
        .ok_or_else(|| ApiError::internal("a tender has at least its call for bids"))?;
    let compiled_release: Release = serde_json::from_value(compiled).map_err(ApiError::internal)?;
    let published_date = compiled_release.date;
    let package = RecordPackage {
        uri: published_uri(&headers, &format!("/v1/tenders/{ocid}/record")),
        version: OCDS_VERSION.to_owned(),
        extensions: EXTENSIONS.map(str::to_owned).to_vec(),
        published_date,
        publisher: Publisher {
            name: "Alcaldía Benito Juárez".to_owned(),
        },
        records: vec![Record {
            ocid: compiled_release.ocid.clone(),
            releases,
            compiled_release,
        }],
    };
    Ok(json(StatusCode::OK, &package))
}

/// The caller may bid as `rfc` only for a business it acts for whose registration is
/// not rejected. Either failure reads the same, so nothing is learned about others.
fn check_bidder(caller: &Caller, rfc: &str, standing: &Standing) -> Result<(), ApiError> {
    let registered = acts(&caller.account, rfc, standing, false)
        && standing
            .status
            .is_some_and(|status| status != ReviewStatus::Rechazado);
    match registered {
        true => Ok(()),
        false => Err(ApiError::plain(ProblemType::SupplierNotRegistered)),
    }
}

fn check_value(value: &ventanilla_api::ocds::Money) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if value.currency != "MXN" {
        errors.push(FieldError {
            pointer: "/value/currency".to_owned(),
            code: "currency".to_owned(),
            detail: "La moneda debe ser MXN.".to_owned(),
        });
    }
    if value.amount <= Decimal::ZERO || value.amount.scale() > 2 {
        errors.push(FieldError {
            pointer: "/value/amount".to_owned(),
            code: "amount".to_owned(),
            detail: "El importe debe ser mayor que cero, en pesos con a lo más dos decimales."
                .to_owned(),
        });
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(ApiError::plain(ProblemType::Validation).with_errors(errors)),
    }
}

fn deadline_passed(deadline: DateTime<Utc>) -> ApiError {
    let local = deadline.with_timezone(&chrono_tz::America::Mexico_City);
    ApiError::new(
        ProblemType::DeadlinePassed,
        format!(
            "El plazo para presentar propuestas venció el {} a las {} (hora de la Ciudad de México).",
            local.format("%d/%m/%Y"),
            local.format("%H:%M:%S")
        ),
    )
}

pub async fn submit_bid(
    State(app): State<App>,
    caller: Caller,
    Path(ocid): Path<String>,
    headers: HeaderMap,
    body: JsonBody<BidSubmission>,
) -> Result<Response, ApiError> {
    let form = body.value;
    // A malformed RFC is refused after the key's replay, which comes first; read as
    // typed, it stands for nobody.
    let rfc = valid_rfc(&form.tenderer_rfc, "/tenderer_rfc");
    let read_as = rfc.as_deref().unwrap_or(&form.tenderer_rfc);
    let account = caller.account.id;
    let Bidding { deadline, standing } = app
        .reads()
        .bidding(&ocid, read_as, account, app.0.clock.now())
        .await?
        .ok_or_else(|| ApiError::plain(ProblemType::NotFound))?;
    let target = format!("POST /v1/tenders/{ocid}/bids");
    idempotent(
        &app,
        account,
        &headers,
        (&target, &body.raw),
        form.submission_id,
        |held| async {
            let rfc = rfc?;
            check_bidder(&caller, &rfc, &standing)?;
            check_snapshot(&form.snapshot)?;
            check_value(&form.value)?;
            check_documents(&app, account, &form.documents).await?;
            // The server's clock decides, at the moment of acceptance.
            let now = app.0.clock.now();
            if now > deadline {
                return Err(deadline_passed(deadline));
            }
            let efirma = crate::efirma::check(
                &app.0.efirma,
                &form.snapshot,
                form.signature.as_deref(),
                &rfc,
                now,
            )
            .await?;
            let (bid_id, value) = (form.submission_id, form.value.clone());
            let (answer_ocid, answer_rfc) = (ocid.clone(), rfc.clone());
            let acceptance = Acceptance::Bid(NewBid {
                record_id: form.submission_id,
                ocid: ocid.clone(),
                tenderer_rfc: rfc,
                account,
                snapshot: form.snapshot,
                documents: form.documents,
                value: form.value,
                efirma,
            });
            accept(&app, acceptance, held, now, move |receipt| BidRecord {
                bid_id,
                ocid: answer_ocid.clone(),
                tenderer_rfc: answer_rfc.clone(),
                value: value.clone(),
                submitted_at: now,
                receipt: receipt.clone(),
            })
            .await
        },
    )
    .await
}

/// Whether the tender's bids have been opened, by the server's clock.
fn opened(app: &App, ocid: &str) -> Result<bool, ApiError> {
    let tender = app.lookup(|s| s.tender(ocid))?;
    Ok(tender.is_some_and(|t| app.0.clock.now() >= t.opening))
}

pub async fn bid(
    State(app): State<App>,
    caller: Caller,
    Path((ocid, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::plain(ProblemType::NotFound))?;
    let row = app
        .lookup(|s| s.bid(&ocid, id))?
        .ok_or_else(|| ApiError::plain(ProblemType::NotFound))?;
    let visible = row.account == caller.account.id
        || (opened(&app, &ocid)?
            && acts_for(&app, &caller.account, &row.record.tenderer_rfc, false).await?);
    match visible {
        true => Ok(json(StatusCode::OK, &row.record)),
        false => Err(ApiError::plain(ProblemType::NotFound)),
    }
}

/// A question refused for its text, at `/question`.
fn question_refused(problem: QuestionProblem, question: &str) -> ApiError {
    let (code, detail) = match problem {
        QuestionProblem::Empty => (
            "empty",
            "La pregunta está vacía. Escribe qué quieres que la alcaldía aclare.".to_owned(),
        ),
        QuestionProblem::TooLong => (
            "too_long",
            format!(
                "La pregunta tiene {} caracteres; el máximo es {}. Acórtala o divídela en \
                 varias preguntas.",
                question.trim().chars().count(),
                MAX_QUESTION_CHARS
            ),
        ),
    };
    ApiError::new(ProblemType::Validation, detail.clone()).with_errors(vec![FieldError {
        pointer: "/question".to_owned(),
        code: code.to_owned(),
        detail,
    }])
}

/// Day and time in Mexico City, as the alcaldía's messages say them.
fn local(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::America::Mexico_City);
    format!(
        "{} a las {}",
        local.format("%d/%m/%Y"),
        local.format("%H:%M:%S")
    )
}

/// `POST /v1/tenders/{ocid}/enquiries`: a question, taken until the enquiry period
/// ends by the server's clock, once per idempotency key, with a receipt.
pub async fn ask(
    State(app): State<App>,
    caller: Caller,
    Path(ocid): Path<String>,
    headers: HeaderMap,
    body: JsonBody<QuestionSubmission>,
) -> Result<Response, ApiError> {
    let tender = app
        .lookup(|s| s.tender(&ocid))?
        .ok_or_else(|| ApiError::plain(ProblemType::NotFound))?;
    let target = format!("POST /v1/tenders/{ocid}/enquiries");
    let form = body.value;
    let account = caller.account.id;
    idempotent(
        &app,
        account,
        &headers,
        (&target, &body.raw),
        form.submission_id,
        |held| async {
            let rfc = valid_rfc(&form.asker_rfc, "/asker_rfc")?;
            if !acts_for(&app, &caller.account, &rfc, false).await? {
                return Err(ApiError::plain(ProblemType::NotActingFor));
            }
            if let Some(problem) = question_problem(&form.question) {
                return Err(question_refused(problem, &form.question));
            }
            // The server's clock decides, at the moment of acceptance.
            let now = app.0.clock.now();
            let decided = app.lookup(|s| s.award(&ocid))?.is_some();
            if now > tender.deadline || decided || tender.release.tender.status != "active" {
                return Err(ApiError::new(
                    ProblemType::TenderClosed,
                    format!(
                        "La licitación {} ya cerró (su plazo venció el {}, hora de la Ciudad \
                         de México): ya no recibe preguntas.",
                        tender.release.tender.id,
                        local(tender.deadline)
                    ),
                ));
            }
            let until = tender.questions_until();
            if now > until {
                return Err(ApiError::new(
                    ProblemType::EnquiryPeriodEnded,
                    format!(
                        "El periodo de preguntas de la licitación {} terminó el {} (hora de la \
                         Ciudad de México). Ya no se reciben preguntas; consulta las \
                         respuestas publicadas.",
                        tender.release.tender.id,
                        local(until)
                    ),
                ));
            }
            let (id, answer_ocid) = (form.submission_id, ocid.clone());
            let acceptance = Acceptance::Question(NewQuestion {
                id,
                ocid: ocid.clone(),
                asker_rfc: rfc,
                account,
                question: form.question,
            });
            accept(&app, acceptance, held, now, move |receipt| QuestionRecord {
                submission_id: id,
                ocid: answer_ocid.clone(),
                asked_at: now,
                receipt: receipt.clone(),
            })
            .await
        },
    )
    .await
}
