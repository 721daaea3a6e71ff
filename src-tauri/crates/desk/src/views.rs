//! What crosses the IPC boundary to the webview. Each type derives its TypeScript
//! twin; `ui/src/lib/bindings.ts` is generated from them and a test keeps it current.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::{BidId, BusinessId};
use ventanilla_core::catalog::{Regimen, State};
use ventanilla_core::checklist::Procedure;
use ventanilla_core::{Field, IssueView, Locale, Persona, RegistrationDraft, Review, ReviewFacts};

/// A failure as the user should read it: `message` is in the current language and
/// says what to do; `code` is stable for the UI and tests.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct CommandError {
    /// Stable, for the UI and tests.
    pub code: String,
    /// What is wrong and what to do, in the user's language.
    pub message: String,
    /// The form field at fault, to focus it.
    pub field: Option<Field>,
}

#[derive(Serialize, Clone, Debug, TS)]
/// What the app is and where its data lives.
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The data folder.
    pub data_dir: String,
    /// The language of messages.
    pub locale: Locale,
    /// Set when the data folder could not be opened; the UI shows it instead of the home.
    pub startup_error: Option<CommandError>,
    /// Whether the chamber's operator mode is on, and under whose name.
    pub chamber: ChamberMode,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
/// The chamber's operator mode (Configuración → Modo cámara): on a shared laptop, every
/// action on a business is recorded under the operator's name, and the home screen
/// offers the day's report and "Siguiente persona".
pub struct ChamberMode {
    /// Whether it is on.
    pub enabled: bool,
    /// The operator's name as typed (kept when the mode is turned off).
    pub operator: String,
}

#[derive(Serialize, Clone, Debug, TS)]
/// The choices the registration form offers.
pub struct Catalogues {
    /// SAT's tax regimes.
    pub regimenes: Vec<Regimen>,
    /// Mexico's states.
    pub states: Vec<State>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
/// Whether a business's files open.
pub enum BusinessHealth {
    /// It opens.
    Ok,
    /// Its files are damaged.
    Damaged,
}

#[derive(Serialize, Clone, Debug, TS)]
/// A business on the home screen.
pub struct BusinessSummary {
    /// The business's id.
    pub id: BusinessId,
    /// Its RFC as typed.
    pub rfc: String,
    /// Its name or razón social.
    pub name: String,
    /// Física or moral, once known.
    pub persona: Option<Persona>,
    /// Whether its files open.
    pub health: BusinessHealth,
    /// Why a damaged business cannot be opened, in the user's language.
    pub damage: Option<String>,
    /// Sections of the form complete.
    pub sections_done: u32,
    /// Sections in all.
    pub sections_total: u32,
    /// Everything the registration needs is filled in and valid.
    pub complete: bool,
    /// When it last changed.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
    /// A document that expires within a week, or has expired.
    pub alert: Option<DocumentAlert>,
    /// The business's e.firma expires within the notice period, or has expired.
    pub fiel_renewal: Option<crate::fiel::FielRenewal>,
    /// The title of the tender one of its bids last won, as the last sync saw it.
    pub won: Option<String>,
    /// How many open tenders fit what it does («Para ti»).
    pub fits: u32,
    /// The newest of them, with why.
    pub fit_top: Vec<crate::fits::FitView>,
    /// Locked with its owner's passphrase: `name` is the label it shows while locked.
    pub locked: bool,
    /// Locked, and unlocked for this turn.
    pub unlocked: bool,
    /// In chamber mode, when its owner's consent was recorded for this turn; until
    /// then nothing of it is read or written.
    #[ts(type = "string | null")]
    pub consent_at: Option<DateTime<Utc>>,
}

/// The soonest document expiry of a business, when it needs the owner's attention.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct DocumentAlert {
    #[ts(type = "string")]
    /// When the document stops counting.
    pub valid_until: chrono::NaiveDate,
    /// Negative once expired.
    #[ts(type = "number")]
    pub days_left: i64,
}

/// Core's review with its messages worded in the user's language; its facts as core
/// gives them.
#[derive(Serialize, Clone, Debug, TS)]
pub struct ReviewView {
    /// Every problem, in wizard order, in the user's language.
    pub issues: Vec<IssueView>,
    /// What the draft comes to.
    pub facts: ReviewFacts,
}

impl ReviewView {
    /// The review with its messages worded in `locale`.
    pub fn new(review: Review, locale: Locale) -> Self {
        ReviewView {
            issues: review.issues.iter().map(|i| i.view(locale)).collect(),
            facts: review.facts,
        }
    }
}

#[derive(Serialize, Clone, Debug, TS)]
/// An open business: its draft and review.
pub struct BusinessView {
    /// The business's id.
    pub id: BusinessId,
    /// What is stored.
    pub draft: RegistrationDraft,
    /// Its review.
    pub review: ReviewView,
}

/// The answer to every edit: what is stored now and its fresh review.
#[derive(Serialize, Clone, Debug, TS)]
pub struct Saved {
    /// What is stored now.
    pub draft: RegistrationDraft,
    /// Its fresh review.
    pub review: ReviewView,
    /// When it was stored (RFC 3339, UTC).
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    #[ts(type = "string")]
    pub saved_at: DateTime<Utc>,
}

/// What the "new business" dialog sends; every part may still be empty.
#[derive(Deserialize, Clone, Debug, Default, TS)]
pub struct NewBusiness {
    /// `fisica` or `moral`, or empty.
    pub persona: String,
    /// The RFC as typed.
    pub rfc: String,
    /// The name or razón social as typed.
    pub name: String,
    /// In chamber mode, that the owner, present, gave consent to the capture.
    #[serde(default)]
    pub consent: bool,
}

/// A chosen file as the webview sees it: a token for the commands, a name to show.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct PickedFile {
    /// The token the commands take.
    pub token: String,
    /// The file's name without its folder.
    pub name: String,
}

/// Point in the window, in physical pixels, as Tauri reports a drop's.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, TS)]
pub struct DropPoint {
    /// Horizontal, from the left edge.
    pub x: f64,
    /// Vertical, from the top edge.
    pub y: f64,
}

/// The `files-dropped` event: files dropped on the window, and where.
#[derive(Serialize, Clone, Debug, PartialEq, TS)]
pub struct DroppedFiles {
    /// The files, by token.
    pub files: Vec<PickedFile>,
    /// Where they were dropped.
    pub position: DropPoint,
}

/// Every type of the IPC contract, in an order where each comes after what it uses.
/// What `attach_document` needs: which checklist item, which file, its dates, and the
/// procedure the checklist answered is drawn up for (`None`: the registration's).
#[derive(Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct AttachRequest {
    /// The business.
    pub id: BusinessId,
    /// The checklist item's requirement code.
    pub requirement: String,
    /// The representative the document is of, for items per representative.
    pub representative: Option<String>,
    /// The token of a file chosen in the dialog (`pick_document`) or dropped on the
    /// window; good once.
    pub file: String,
    /// "YYYY-MM-DD", or none.
    pub issued_on: Option<String>,
    /// "YYYY-MM-DD", or none.
    pub expires_on: Option<String>,
    /// The procedure the checklist is drawn up for; `None`: the registration's.
    pub procedure: Option<Procedure>,
}

/// What `set_document_dates` needs: which document of which business, its new dates,
/// and the procedure the checklist answered is drawn up for (`None`: the registration's).
#[derive(Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct DocumentDatesRequest {
    /// The business.
    pub id: BusinessId,
    /// The document.
    pub document_id: String,
    /// "YYYY-MM-DD", or none.
    pub issued_on: Option<String>,
    /// "YYYY-MM-DD", or none.
    pub expires_on: Option<String>,
    /// The procedure the checklist is drawn up for; `None`: the registration's.
    pub procedure: Option<Procedure>,
}

/// What `set_bid_item_field` needs: which field of which item of which bid, and the
/// text typed, kept as typed.
#[derive(Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct BidItemFieldRequest {
    /// The business.
    pub id: BusinessId,
    /// The bid.
    pub bid_id: BidId,
    /// The tender's item.
    pub item_id: String,
    /// Which of the item's fields.
    pub field: ventanilla_core::bid::ItemField,
    /// What was typed.
    pub value: String,
}

/// The `attach-progress` event: bytes copied so far of the file's total.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct AttachProgress {
    /// Bytes copied so far.
    #[ts(type = "number")]
    pub copied: u64,
    /// The file's size in bytes.
    #[ts(type = "number")]
    pub total: u64,
}

/// The `tender-import-progress` event: bytes read so far of the file's total.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct ImportProgress {
    /// Bytes read so far.
    #[ts(type = "number")]
    pub read: u64,
    /// The file's size in bytes.
    #[ts(type = "number")]
    pub total: u64,
}

#[cfg(test)]
fn typescript_declarations() -> Vec<String> {
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
    use ventanilla_core::{
        Code, Representative, Section, SectionReview, Sector, Severity, Size, SizeAssessment,
    };
    vec![
        crate::ids::BusinessId::decl(),
        crate::ids::BidId::decl(),
        crate::ids::SubmissionId::decl(),
        crate::ids::Ocid::decl(),
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
        ReviewFacts::decl(),
        ReviewView::decl(),
        BusinessHealth::decl(),
        DocumentAlert::decl(),
        crate::fiel::FielRenewal::decl(),
        ventanilla_core::fit::FitReason::decl(),
        crate::fits::FitView::decl(),
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
        ventanilla_core::tender::TenderEnquiry::decl(),
        ventanilla_core::tender::AwardStatus::decl(),
        ventanilla_core::tender::TenderAward::decl(),
        ventanilla_core::tender::BidOutcome::decl(),
        Tender::decl(),
        TenderStatusFilter::decl(),
        TenderFilter::decl(),
        TenderSummary::decl(),
        crate::fits::FitTender::decl(),
        crate::fits::BusinessFits::decl(),
        crate::fits::FitNoticeKind::decl(),
        crate::fits::FitNotice::decl(),
        TenderRequirement::decl(),
        crate::tenders::EnquiryView::decl(),
        crate::tenders::AwardView::decl(),
        crate::tenders::QuestionQueued::decl(),
        TenderView::decl(),
        crate::bids::BidResult::decl(),
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
        PickedFile::decl(),
        DropPoint::decl(),
        DroppedFiles::decl(),
        AttachRequest::decl(),
        DocumentDatesRequest::decl(),
        BidItemFieldRequest::decl(),
        AttachProgress::decl(),
        ImportProgress::decl(),
        crate::fiel::FielFile::decl(),
        crate::fiel::FielInput::decl(),
        crate::fiel::FielProblem::decl(),
        crate::fiel::FielFacts::decl(),
        crate::fiel::FielView::decl(),
        crate::appointments::RowProblem::decl(),
        crate::appointments::AppointmentRow::decl(),
        crate::appointments::AppointmentImport::decl(),
        ChamberMode::decl(),
        crate::report::ReportFormat::decl(),
        crate::report::WrittenReport::decl(),
        crate::locks::LockRequest::decl(),
        crate::locks::ImportChoice::decl(),
        crate::locks::HandedOver::decl(),
        crate::locks::TakenIn::decl(),
        crate::queue::QueueState::decl(),
        crate::queue::QueueEntry::decl(),
        crate::queue::Queue::decl(),
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
            "// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p ventanilla-desk`.\n// Do not edit by hand.\n\n",
        );
        for declaration in super::typescript_declarations() {
            text.push_str("export ");
            text.push_str(&declaration);
            text.push('\n');
        }
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/lib/bindings.ts");
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &text).expect("bindings file is writable");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p ventanilla-desk`"
        );
    }
}
