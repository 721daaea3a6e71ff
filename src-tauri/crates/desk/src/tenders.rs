//! The tender catalogue as the window sees it: a filtered list, one tender with its
//! deadline in Mexico City time, and imports from a file with progress.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use ventanilla_core::money::format_mxn;
use ventanilla_core::proposal::mexico_city_time;
use ventanilla_core::tender::{Tender, TenderAward, TenderStatus};
use ventanilla_core::{FailureCode, Locale};
use ventanilla_store::{
    is_open, ImportProgress, StatusFilter, StoreError, TenderEntry, TenderQuery, TenderSource,
};

use crate::desk::Desk;
use crate::ids::Ocid;
use crate::views::CommandError;

/// The most tenders one list shows; the search narrows the rest.
const LIST_LIMIT: usize = 200;

/// The list's status filter.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum TenderStatusFilter {
    /// Active with the deadline still ahead.
    Open,
    /// Announced, not yet taking bids.
    Planned,
    /// Published as active, whether or not its deadline passed.
    Active,
    /// Withdrawn by the buyer.
    Withdrawn,
    /// Closed.
    Complete,
}

/// What the Convocatorias page asks for.
#[derive(Deserialize, Clone, Debug, Default, TS)]
pub struct TenderFilter {
    /// Words matched against title, buyer, ocid, description and items.
    pub query: String,
    /// Which tenders by status; every one when `None`.
    pub status: Option<TenderStatusFilter>,
    /// Only deadlines from now to this many days ahead.
    pub deadline_within_days: Option<u32>,
    /// `goods`, `services` or `works`.
    pub category: Option<String>,
}

/// One row of the list.
#[derive(Serialize, Clone, Debug, TS)]
pub struct TenderSummary {
    /// The tender's OCDS id.
    pub ocid: Ocid,
    /// Its title.
    pub title: String,
    /// Who buys.
    pub buyer: String,
    /// Its status as published.
    pub status: TenderStatus,
    /// The kind of procedure, when published.
    pub procedure: Option<ventanilla_core::tender::Procedure>,
    /// `goods`, `services`, `works`, or empty.
    pub category: String,
    /// UTC RFC 3339; the UI shows it in Mexico City time.
    pub deadline: Option<String>,
    /// Active and the deadline still ahead by this computer's clock (the server's
    /// decides at submission).
    pub open: bool,
}

/// A requirement the tender asks for, named from the catalogue in use.
#[derive(Serialize, Clone, Debug, TS)]
pub struct TenderRequirement {
    /// The requirement's code.
    pub code: String,
    /// The catalogue's name in the user's language, or the code if it is not there.
    pub name: String,
}

/// The tender page.
#[derive(Serialize, Clone, Debug, TS)]
pub struct TenderView {
    /// The tender as imported.
    pub tender: Tender,
    /// Active with its deadline ahead: a bid can be prepared.
    pub open: bool,
    /// The documents a bid on it needs.
    pub requirements: Vec<TenderRequirement>,
    /// Its answered questions, in the tender's order, each marked new when this page
    /// had not shown it (or its answer changed since).
    pub enquiries: Vec<EnquiryView>,
    /// A question may be asked now (by this computer's clock; the server decides).
    pub takes_questions: bool,
    /// Until when questions are taken, in Mexico City time, such as `01/12/2026 14:00`.
    pub questions_until_local: Option<String>,
    /// The award (fallo) and contract, once published.
    pub award: Option<AwardView>,
}

/// An answered question on the tender page.
#[derive(Serialize, Clone, Debug, TS)]
pub struct EnquiryView {
    /// The question's id.
    pub id: String,
    /// The question, as asked.
    pub question: String,
    /// The answer, as last given.
    pub answer: String,
    /// When it was answered (or the answer last changed), in Mexico City time.
    pub answered_local: Option<String>,
    /// Not shown on this page before, or answered again since.
    pub new: bool,
}

/// The award as the tender page shows it.
#[derive(Serialize, Clone, Debug, TS)]
pub struct AwardView {
    /// Who won, or that none did.
    pub status: ventanilla_core::tender::AwardStatus,
    /// When it was decided, in Mexico City time.
    pub date_local: Option<String>,
    /// The winners' RFCs (or names).
    pub suppliers: Vec<String>,
    /// The awarded amount, formatted (`$1,234.50`).
    pub amount: Option<String>,
    /// The contract's amount, formatted, once signed.
    pub contract_amount: Option<String>,
}

impl AwardView {
    /// The award of `tender`, formatted for the page.
    pub fn of(award: &TenderAward) -> AwardView {
        AwardView {
            status: award.status,
            date_local: award.date.map(mexico_city_time),
            suppliers: award.suppliers.clone(),
            amount: award.amount.map(format_mxn),
            contract_amount: award.contract_amount.map(format_mxn),
        }
    }
}

/// What "Hacer una pregunta" did: the question is in the outbox.
#[derive(Serialize, Clone, Debug, TS)]
pub struct QuestionQueued {
    /// The question's id, its idempotency key.
    pub id: String,
    /// The question as it will be sent (trimmed).
    pub question: String,
}

/// What an import did, in the user's language.
#[derive(Serialize, Clone, Debug, TS)]
pub struct TenderImportReport {
    /// Tenders new to the catalogue.
    pub imported: u32,
    /// Tenders whose newer release replaced the kept one.
    pub updated: u32,
    /// Tenders already current.
    pub unchanged: u32,
    /// Releases not imported, and why.
    pub skipped: Vec<SkippedRelease>,
}

#[derive(Serialize, Clone, Debug, TS)]
/// A release the import skipped.
pub struct SkippedRelease {
    /// Its place in the file, from 1.
    pub position: u32,
    /// Its tender's id, when it could be read.
    pub ocid: Option<String>,
    /// Why it was skipped, in the user's language.
    pub message: String,
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl TenderFilter {
    fn query(&self, now: DateTime<Utc>) -> TenderQuery {
        let status = self.status.map(|s| match s {
            TenderStatusFilter::Open => StatusFilter::Open,
            TenderStatusFilter::Planned => StatusFilter::Is(TenderStatus::Planned),
            TenderStatusFilter::Active => StatusFilter::Is(TenderStatus::Active),
            TenderStatusFilter::Withdrawn => StatusFilter::Is(TenderStatus::Withdrawn),
            TenderStatusFilter::Complete => StatusFilter::Is(TenderStatus::Complete),
        });
        let window = self
            .deadline_within_days
            .map(|days| now + Duration::days(i64::from(days)));
        TenderQuery {
            text: self.query.clone(),
            status,
            deadline_from: window.map(|_| now),
            deadline_to: window,
            category: self.category.clone().filter(|c| !c.is_empty()),
            limit: Some(LIST_LIMIT),
        }
    }
}

impl Desk {
    /// The catalogue's tenders matching `filter`.
    pub fn list_tenders(&self, filter: &TenderFilter) -> Result<Vec<TenderSummary>, CommandError> {
        let now = Utc::now();
        let entries = self
            .library()?
            .search_tenders(&filter.query(now), now)
            .map_err(|e| self.fail(e))?;
        Ok(entries
            .into_iter()
            .map(|e: TenderEntry| TenderSummary {
                open: is_open(e.status, e.deadline, now),
                ocid: e.ocid.into(),
                title: e.title,
                buyer: e.buyer,
                status: e.status,
                procedure: e.procedure,
                category: e.category,
                deadline: e.deadline.map(stamp),
            })
            .collect())
    }

    /// A tender of the catalogue, or a message that it is gone.
    pub(crate) fn catalogue_tender(&self, ocid: &str) -> Result<Tender, CommandError> {
        self.library()?
            .tender(ocid)
            .map_err(|e| self.fail(e))?
            .ok_or_else(|| unknown_tender(self.locale()))
    }

    /// One tender with what a bid on it needs.
    pub fn tender(&self, ocid: &str) -> Result<TenderView, CommandError> {
        let tender = self.catalogue_tender(ocid)?;
        let library = self.library()?;
        let catalogue = library.catalogue().map_err(|e| self.fail(e))?;
        let requirements = tender
            .requirements
            .iter()
            .map(|code| TenderRequirement {
                name: catalogue
                    .requirements
                    .iter()
                    .find(|r| &r.code == code)
                    .map_or_else(|| code.clone(), |r| r.name.text(self.locale()).to_owned()),
                code: code.clone(),
            })
            .collect();
        let fresh = library.see_answers(&tender).map_err(|e| self.fail(e))?;
        let enquiries = tender
            .enquiries
            .iter()
            .zip(fresh)
            .map(|(e, new)| EnquiryView {
                id: e.id.clone(),
                question: e.question.clone(),
                answer: e.answer.clone(),
                answered_local: e.answered_at.map(mexico_city_time),
                new,
            })
            .collect();
        let now = Utc::now();
        Ok(TenderView {
            open: is_open(tender.status, tender.deadline, now),
            takes_questions: tender.takes_questions(now),
            questions_until_local: tender.questions_until().map(mexico_city_time),
            award: tender.award.as_ref().map(AwardView::of),
            enquiries,
            tender,
            requirements,
        })
    }

    /// Queues a question of the business `business_id` on the tender `ocid`: refused
    /// when empty, too long, or when the tender no longer takes questions by this
    /// computer's clock (the server's has the last word). Nothing goes on the network:
    /// the outbox sends it once, with its receipt, at the next sync.
    pub fn ask_question(
        &mut self,
        business_id: &str,
        ocid: &str,
        question: &str,
    ) -> Result<QuestionQueued, CommandError> {
        let locale = self.locale();
        let tender = self.catalogue_tender(ocid)?;
        let now = Utc::now();
        if !tender.takes_questions(now) {
            let failure = match tender.questions_until() {
                Some(until) if tender.status == TenderStatus::Active && tender.award.is_none() => {
                    ventanilla_core::Failure::from(FailureCode::QuestionsClosed)
                        .with("until", mexico_city_time(until))
                }
                _ => FailureCode::QuestionsTenderClosed.into(),
            };
            return Err(CommandError::new(failure, locale));
        }
        let (library, business) = self.library_and_store(business_id)?;
        let rfc = business
            .load_draft()
            .map(|d| d.rfc)
            .map_err(|e| CommandError::coded(e.code(), &e.failure(), locale))?;
        let item =
            ventanilla_sync::queue_question(library, business_id, business, ocid, &rfc, question)
                .map_err(|e| CommandError::coded(e.code(), &e.failure(), locale))?;
        Ok(QuestionQueued {
            id: item.submission.id,
            question: item.submission.snapshot,
        })
    }

    /// Imports an OCDS file into the catalogue, reporting `(bytes read, file size)`.
    pub fn import_tenders(
        &self,
        path: &Path,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<TenderImportReport, CommandError> {
        let library = self.library()?;
        let unreadable = |source| {
            self.fail(StoreError::SourceUnreadable {
                path: path.to_path_buf(),
                source,
            })
        };
        let file = std::fs::File::open(path).map_err(unreadable)?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let summary = library
            .import_tenders_with_progress(file, &TenderSource::File(name), |p: ImportProgress| {
                progress(p.bytes_read, total)
            })
            .map_err(|e| self.fail(e))?;
        crate::fits::refresh(library, Utc::now()).map_err(|e| self.fail(e))?;
        Ok(TenderImportReport {
            imported: summary.imported as u32,
            updated: summary.updated as u32,
            unchanged: summary.unchanged as u32,
            skipped: summary
                .skipped
                .iter()
                .map(|s| SkippedRelease {
                    position: s.position as u32,
                    ocid: s.ocid.clone(),
                    message: s.reason.message(self.locale()),
                })
                .collect(),
        })
    }
}

fn unknown_tender(locale: Locale) -> CommandError {
    CommandError::new(FailureCode::UnknownTender, locale)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const FILE: &str = r#"{"releases": [
      {"ocid": "ocds-bj-1", "id": "1", "date": "2026-01-10T09:00:00-06:00",
       "buyer": {"name": "Alcaldía Benito Juárez"},
       "tender": {"title": "Papelería", "status": "active", "mainProcurementCategory": "goods",
                  "tenderPeriod": {"endDate": "2099-01-01T14:00:00-06:00"},
                  "criteria": [{"requirementGroups": [{"requirements": [{"id": "CSF"}, {"id": "NUEVO_DOC"}]}]}]}},
      {"ocid": "ocds-bj-2", "id": "1", "date": "2026-01-10T09:00:00-06:00",
       "tender": {"title": "Parques", "status": "active", "mainProcurementCategory": "services",
                  "tenderPeriod": {"endDate": "2001-01-01T14:00:00-06:00"}}},
      {"ocid": "ocds-bj-3", "date": "ayer", "tender": {}}
    ]}"#;

    #[test]
    fn a_file_is_imported_listed_filtered_and_opened() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("convocatorias.json");
        std::fs::write(&file, FILE).unwrap();
        let desk = Desk::open(dir.path().join("data"));
        let mut reports = Vec::new();
        let report = desk
            .import_tenders(&file, &mut |read, total| reports.push((read, total)))
            .unwrap();
        assert_eq!((report.imported, report.skipped.len()), (2, 1));
        assert!(report.skipped[0].message.contains("ayer"));
        assert_eq!(reports.last().unwrap().1, FILE.len() as u64);

        let all = desk.list_tenders(&TenderFilter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].open && !all[1].open);
        let open = TenderFilter {
            status: Some(TenderStatusFilter::Open),
            ..Default::default()
        };
        assert_eq!(desk.list_tenders(&open).unwrap()[0].ocid, "ocds-bj-1");
        let soon = TenderFilter {
            deadline_within_days: Some(30),
            ..Default::default()
        };
        assert!(desk.list_tenders(&soon).unwrap().is_empty());
        let services = TenderFilter {
            query: "PARQUES".into(),
            category: Some("services".into()),
            ..Default::default()
        };
        assert_eq!(desk.list_tenders(&services).unwrap()[0].ocid, "ocds-bj-2");

        let view = desk.tender("ocds-bj-1").unwrap();
        assert!(view.open);
        let names: Vec<_> = view.requirements.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names[1], "NUEVO_DOC",
            "a code the catalogue lacks shows as is"
        );
        assert_ne!(names[0], "CSF", "a catalogue code shows its name");
        assert_eq!(desk.tender("nope").unwrap_err().code, "unknown_tender");

        let broken = dir.path().join("roto.json");
        std::fs::write(&broken, "{\"releases\": [").unwrap();
        let error = desk.import_tenders(&broken, &mut |_, _| {}).unwrap_err();
        assert_eq!(error.code, "ocds_not_json");
    }

    const ANSWERED: &str = r#"{"releases": [
      {"ocid": "ocds-bj-9", "id": "9-aclaracion-1", "date": "2026-01-12T09:00:00-06:00",
       "tender": {"title": "Uniformes", "status": "active",
                  "tenderPeriod": {"endDate": "2099-01-01T14:00:00-06:00"},
                  "enquiryPeriod": {"endDate": "2001-01-01T14:00:00-06:00"},
                  "enquiries": [
                    {"id": "q1", "date": "2026-01-11T09:00:00-06:00", "description": "¿Tallas?",
                     "answer": "De la CH a la XG.", "dateAnswered": "2026-01-12T09:00:00-06:00"},
                    {"id": "q2", "date": "2026-01-11T10:00:00-06:00", "description": "¿Sin respuesta?"}
                  ]},
       "awards": [{"id": "a", "status": "active", "date": "2026-02-01T10:00:00-06:00",
                   "value": {"amount": 1500.5, "currency": "MXN"}, "relatedBids": ["b1"],
                   "suppliers": [{"id": "MX-RFC-AAA010203AB1", "name": "AAA010203AB1"}]}]}
    ]}"#;

    #[test]
    fn answers_show_new_once_and_a_tender_past_its_questions_refuses_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("aclaraciones.json");
        std::fs::write(&file, ANSWERED).unwrap();
        let mut desk = Desk::open(dir.path().join("data"));
        desk.import_tenders(&file, &mut |_, _| {}).unwrap();
        let first = desk.tender("ocds-bj-9").unwrap();
        assert_eq!(first.enquiries.len(), 1, "only the answered question");
        assert_eq!(first.enquiries[0].answer, "De la CH a la XG.");
        assert!(first.enquiries[0].new);
        assert!(
            !desk.tender("ocds-bj-9").unwrap().enquiries[0].new,
            "seen once"
        );
        assert!(!first.takes_questions);
        let award = first.award.unwrap();
        assert_eq!(award.amount.as_deref(), Some("$1,500.50 MXN"));
        let business = desk
            .create(crate::views::NewBusiness {
                persona: "moral".into(),
                ..crate::views::NewBusiness::default()
            })
            .unwrap();
        let refused = desk
            .ask_question(&business.id, "ocds-bj-9", "¿Hay prórroga?")
            .unwrap_err();
        assert_eq!(refused.code, "questions_tender_closed");
    }
}
