//! What crosses the IPC boundary to the webview. Each type derives its TypeScript
//! twin; `ui/src/lib/bindings.ts` is generated from them and a test keeps it current.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use ventanilla_core::catalog::{Regimen, State};
use ventanilla_core::{
    Field, IssueView, Locale, Persona, RegistrationDraft, Review, SectionReview, SizeAssessment,
};

/// A failure as the user should read it: `message` is in the current language and
/// says what to do; `code` is stable for the UI and tests.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub field: Option<Field>,
}

#[derive(Serialize, Clone, Debug, TS)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub locale: Locale,
    /// Set when the data folder could not be opened; the UI shows it instead of the home.
    pub startup_error: Option<CommandError>,
}

#[derive(Serialize, Clone, Debug, TS)]
pub struct Catalogues {
    pub regimenes: Vec<Regimen>,
    pub states: Vec<State>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum BusinessHealth {
    Ok,
    Damaged,
}

#[derive(Serialize, Clone, Debug, TS)]
pub struct BusinessSummary {
    pub id: String,
    pub rfc: String,
    pub name: String,
    pub persona: Option<Persona>,
    pub health: BusinessHealth,
    /// Why a damaged business cannot be opened, in the user's language.
    pub damage: Option<String>,
    pub sections_done: u32,
    pub sections_total: u32,
    pub complete: bool,
    pub updated_at: String,
    /// A document that expires within a week, or has expired.
    pub alert: Option<DocumentAlert>,
}

/// The soonest document expiry of a business, when it needs the owner's attention.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct DocumentAlert {
    #[ts(type = "string")]
    pub valid_until: chrono::NaiveDate,
    /// Negative once expired.
    #[ts(type = "number")]
    pub days_left: i64,
}

/// The review with its messages rendered in the user's language.
#[derive(Serialize, Clone, Debug, TS)]
pub struct ReviewView {
    pub persona: Option<Persona>,
    pub issues: Vec<IssueView>,
    pub sections: Vec<SectionReview>,
    pub size: Option<SizeAssessment>,
    /// The annual sales as core writes money, once they can be read.
    pub annual_sales: Option<String>,
    pub bank: Option<String>,
    pub in_benito_juarez: bool,
    pub complete: bool,
}

impl ReviewView {
    pub fn new(review: Review, locale: Locale) -> Self {
        ReviewView {
            issues: review.issues.iter().map(|i| i.view(locale)).collect(),
            persona: review.persona,
            sections: review.sections,
            size: review.size,
            annual_sales: review.annual_sales,
            bank: review.bank,
            in_benito_juarez: review.in_benito_juarez,
            complete: review.complete,
        }
    }
}

#[derive(Serialize, Clone, Debug, TS)]
pub struct BusinessView {
    pub id: String,
    pub draft: RegistrationDraft,
    pub review: ReviewView,
}

/// The answer to every edit: what is stored now and its fresh review.
#[derive(Serialize, Clone, Debug, TS)]
pub struct Saved {
    pub draft: RegistrationDraft,
    pub review: ReviewView,
    pub saved_at: String,
}

/// What the "new business" dialog sends; every part may still be empty.
#[derive(Deserialize, Clone, Debug, Default, TS)]
pub struct NewBusiness {
    pub persona: String,
    pub rfc: String,
    pub name: String,
}

/// Every type of the IPC contract, in an order where each comes after what it uses.
#[cfg(test)]
pub(crate) fn typescript_declarations() -> Vec<String> {
    use crate::bids::{
        BidDocumentView, BidItemView, BidSaved, BidSummary, BidView, LineView, TabCount, TotalsView,
    };
    use crate::documents::{
        ChecklistItem, ChecklistView, DateAsked, DocumentIntegrity, DocumentPreview, DocumentView,
    };
    use crate::tenders::{
        SkippedRelease, TenderFilter, TenderImportReport, TenderRequirement, TenderStatusFilter,
        TenderSummary, TenderView,
    };
    use ventanilla_core::bid::{
        BidIssueView, Declaration, DeclarationText, ItemDraft, ItemField, Tab,
    };
    use ventanilla_core::checklist::{DateNeeded, DateProblem, Procedure, Status};
    use ventanilla_core::filecheck::FileKind;
    use ventanilla_core::tender::{
        Procedure as TenderProcedure, Tender, TenderDocument, TenderItem, TenderStatus,
    };
    use ventanilla_core::{Code, Representative, Section, Sector, Severity, Size};
    vec![
        Locale::decl(),
        Persona::decl(),
        Severity::decl(),
        Section::decl(),
        Field::decl(),
        Code::decl(),
        Sector::decl(),
        Size::decl(),
        Representative::decl(),
        RegistrationDraft::decl(),
        IssueView::decl(),
        SectionReview::decl(),
        SizeAssessment::decl(),
        ReviewView::decl(),
        BusinessHealth::decl(),
        DocumentAlert::decl(),
        BusinessSummary::decl(),
        BusinessView::decl(),
        Saved::decl(),
        Regimen::decl(),
        State::decl(),
        Catalogues::decl(),
        CommandError::decl(),
        AppInfo::decl(),
        NewBusiness::decl(),
        Procedure::decl(),
        FileKind::decl(),
        DateNeeded::decl(),
        DateProblem::decl(),
        Status::decl(),
        DateAsked::decl(),
        DocumentIntegrity::decl(),
        DocumentView::decl(),
        ChecklistItem::decl(),
        ChecklistView::decl(),
        DocumentPreview::decl(),
        TenderProcedure::decl(),
        TenderStatus::decl(),
        TenderItem::decl(),
        TenderDocument::decl(),
        Tender::decl(),
        TenderStatusFilter::decl(),
        TenderFilter::decl(),
        TenderSummary::decl(),
        TenderRequirement::decl(),
        TenderView::decl(),
        SkippedRelease::decl(),
        TenderImportReport::decl(),
        crate::outbox::ServerView::decl(),
        crate::outbox::SignInForm::decl(),
        crate::outbox::Readiness::decl(),
        crate::outbox::ItemState::decl(),
        crate::outbox::ReceiptView::decl(),
        crate::outbox::OutboxItemView::decl(),
        crate::outbox::SendingView::decl(),
        crate::outbox::SyncView::decl(),
        ItemField::decl(),
        Declaration::decl(),
        Tab::decl(),
        ItemDraft::decl(),
        BidIssueView::decl(),
        DeclarationText::decl(),
        TotalsView::decl(),
        BidItemView::decl(),
        BidDocumentView::decl(),
        BidView::decl(),
        LineView::decl(),
        TabCount::decl(),
        BidSaved::decl(),
        BidSummary::decl(),
        crate::picks::PickedFile::decl(),
        crate::picks::DropPoint::decl(),
        crate::picks::DroppedFiles::decl(),
    ]
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The committed bindings must equal what the Rust types say today; run with
    /// `UPDATE_BINDINGS=1` to rewrite them after changing a type.
    #[test]
    fn typescript_bindings_are_current() {
        let mut text = String::from(
            "// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p ventanilla-app`.\n// Do not edit by hand.\n\n",
        );
        for declaration in super::typescript_declarations() {
            text.push_str("export ");
            text.push_str(&declaration);
            text.push('\n');
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &text).expect("bindings file is writable");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p ventanilla-app`"
        );
    }
}
