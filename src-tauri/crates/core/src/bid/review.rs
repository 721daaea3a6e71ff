//! The bid's review: exactly what is missing or wrong and where, the time left, and
//! whether the tender moved since.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{declaration_text, declarations_for, economic, BidDraft, Declaration, ItemField, Line};
use crate::checklist::{self, Catalogue, DocumentFact, ItemStatus, Profile};
use crate::message::{Code, Locale, Severity};
use crate::money::Totals;
use crate::registration::RegistrationDraft;
use crate::tender::{Procedure, Tender, TenderStatus};

/// A wizard tab, where a problem is shown.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// What is offered for each item.
    Technical,
    /// Prices, quantities and price validity.
    Economic,
    /// The business's documents the tender asks for.
    Documents,
    /// The statements bajo protesta de decir verdad.
    Declarations,
    /// The summary before sending: deadline and tender changes.
    Review,
}

/// A problem with a bid, and where it is.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct BidIssue {
    /// What is wrong.
    pub code: Code,
    /// The tab that shows it.
    pub tab: Tab,
    /// The tender item, for a problem in one item.
    pub item: Option<String>,
    /// The item's field, for a problem in one item.
    pub field: Option<ItemField>,
    /// The requirement code or the declaration, for those tabs.
    pub subject: Option<String>,
}

/// A problem ready to show.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct BidIssueView {
    #[serde(flatten)]
    /// The problem and where it is.
    pub issue: BidIssue,
    /// How much it stops the bid.
    pub severity: Severity,
    /// Its explanation in the chosen language.
    pub message: String,
}

impl BidIssue {
    pub(super) fn new(code: Code, tab: Tab) -> BidIssue {
        BidIssue {
            code,
            tab,
            item: None,
            field: None,
            subject: None,
        }
    }

    pub(super) fn at_item(code: Code, item: &str, field: ItemField) -> BidIssue {
        let tab = match field {
            ItemField::UnitPrice | ItemField::Quantity => Tab::Economic,
            _ => Tab::Technical,
        };
        BidIssue {
            item: Some(item.to_owned()),
            field: Some(field),
            ..BidIssue::new(code, tab)
        }
    }

    pub(super) fn about(code: Code, tab: Tab, subject: &str) -> BidIssue {
        BidIssue {
            subject: Some(subject.to_owned()),
            ..BidIssue::new(code, tab)
        }
    }

    /// The problem ready to show, with its severity and its text in `locale`.
    pub fn view(&self, locale: Locale) -> BidIssueView {
        BidIssueView {
            issue: self.clone(),
            severity: self.code.severity(),
            message: self.code.message(locale).to_owned(),
        }
    }
}

/// A declaration's text, generated from the business's data.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct DeclarationText {
    /// Which declaration it is.
    pub declaration: Declaration,
    /// Its heading, see [`Declaration::title`].
    pub title: String,
    /// The statement with the business's and the tender's data, in Spanish.
    pub text: String,
    /// Whether the owner confirmed it.
    pub accepted: bool,
}

/// Everything the app can tell about a bid at an instant.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct BidReview {
    /// Every problem, in tab order.
    pub issues: Vec<BidIssue>,
    /// One per tender item, in the tender's order.
    pub lines: Vec<Line>,
    /// The totals of the lines that can be read; `None` when they overflow.
    pub totals: Option<Totals>,
    /// The checklist items the tender asks for, and where each stands.
    pub documents: Vec<ItemStatus>,
    /// The declarations the bid carries, with their text.
    pub declarations: Vec<DeclarationText>,
    #[ts(type = "string | null")]
    /// The tender's submission deadline, when it has one.
    pub deadline: Option<DateTime<Utc>>,
    /// Seconds from now to the deadline; negative once it passed.
    #[ts(type = "number | null")]
    pub seconds_left: Option<i64>,
    /// The tender moved since the bid was prepared: "requiere revisión".
    pub needs_review: bool,
    /// Can be frozen and sent now: nothing missing or wrong.
    pub ready: bool,
}

impl BidReview {
    /// How many of the problems on `tab` are of `severity`: what the wizard's tab shows.
    pub fn count(&self, tab: Tab, severity: Severity) -> u32 {
        let on_tab = self.issues.iter().filter(|i| i.tab == tab);
        on_tab.filter(|i| i.code.severity() == severity).count() as u32
    }
}

/// What the bid needs to know about the business.
pub struct Bidder<'a> {
    /// The business's registration.
    pub draft: &'a RegistrationDraft,
    /// The business's checklist items the tender asks for, see [`tender_documents`].
    pub documents: Vec<ItemStatus>,
}

/// The tender's procedure in the checklist's terms.
pub fn checklist_procedure(procedure: Procedure) -> checklist::Procedure {
    match procedure {
        Procedure::Licitacion => checklist::Procedure::Licitacion,
        Procedure::Invitacion => checklist::Procedure::InvitacionRestringida,
        Procedure::Adjudicacion => checklist::Procedure::AdjudicacionDirecta,
    }
}

/// The checklist items a tender asks of a business on `today` (a Mexico City day): the
/// catalogue's rules for the tender's procedure, narrowed to the tender's own list of
/// requirements when it publishes one.
pub fn tender_documents(
    catalogue: &Catalogue,
    profile: &Profile,
    tender: &Tender,
    today: NaiveDate,
    documents: &[DocumentFact],
) -> Vec<ItemStatus> {
    let procedure = tender.procedure.map(checklist_procedure);
    let evaluation = checklist::evaluate(catalogue, profile, procedure, today, documents);
    let asked: HashSet<&str> = tender.requirements.iter().map(String::as_str).collect();
    evaluation
        .items
        .into_iter()
        .filter(|item| asked.is_empty() || asked.contains(item.code.as_str()))
        .collect()
}

/// Reviews a bid at `now`: every problem in tab order, the economic lines and totals,
/// the documents, the declarations, the time left and whether the tender moved.
pub fn review_bid(
    draft: &BidDraft,
    tender: &Tender,
    bidder: &Bidder,
    now: DateTime<Utc>,
) -> BidReview {
    let mut issues = Vec::new();
    for item in &tender.items {
        for field in [ItemField::Offered, ItemField::Delivery] {
            if draft.item_value(&item.id, field).trim().is_empty() {
                issues.push(BidIssue::at_item(Code::Required, &item.id, field));
            }
        }
    }
    let (lines, totals, economic_issues) = economic(draft, tender);
    issues.extend(economic_issues);
    for document in bidder
        .documents
        .iter()
        .filter(|d| d.required && !d.status.is_ready())
    {
        issues.push(BidIssue::about(
            Code::DocumentNotReady,
            Tab::Documents,
            &document.code,
        ));
    }
    let declarations: Vec<DeclarationText> = declarations_for(bidder.draft)
        .into_iter()
        .map(|declaration| DeclarationText {
            declaration,
            title: declaration.title().to_owned(),
            text: declaration_text(declaration, bidder.draft, tender),
            accepted: draft.accepted.contains(&declaration),
        })
        .collect();
    for d in declarations.iter().filter(|d| !d.accepted) {
        issues.push(BidIssue::about(
            Code::DeclarationNotAccepted,
            Tab::Declarations,
            d.declaration.as_str(),
        ));
    }
    let needs_review = draft.needs_review(tender);
    if needs_review {
        issues.push(BidIssue::new(Code::TenderChanged, Tab::Review));
    }
    if tender.status == TenderStatus::Withdrawn {
        issues.push(BidIssue::new(Code::TenderWithdrawn, Tab::Review));
    }
    if tender
        .deadline
        .is_some_and(|deadline| deadline_passed(deadline, now))
    {
        issues.push(BidIssue::new(Code::DeadlinePassed, Tab::Review));
    }
    let ready = !issues
        .iter()
        .any(|i| i.code.severity() != Severity::Warning);
    BidReview {
        issues,
        lines,
        totals,
        documents: bidder.documents.clone(),
        declarations,
        deadline: tender.deadline,
        seconds_left: tender
            .deadline
            .map(|deadline| (deadline - now).num_seconds()),
        needs_review,
        ready,
    }
}

/// Whether a bid at `now` is late. The deadline's own second still counts as on time,
/// as the server judges it.
pub fn deadline_passed(deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now > deadline
}
