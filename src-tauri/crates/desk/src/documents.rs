//! The checklist and the vault as the window sees them: each operation answers with
//! the whole checklist, evaluated for today in Mexico City, in the user's language.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;
use ventanilla_core::checklist::{
    evaluate, mexico_city_today, DocumentFact, Evaluation, Procedure, Profile, Status, Validity,
};
use ventanilla_core::filecheck::FileKind;
use ventanilla_core::{FailureCode, Locale};
use ventanilla_store::{BusinessStore, Document, Integrity, StoreError};

use crate::desk::Desk;
use crate::ids::BusinessId;
use crate::views::CommandError;

/// Which date the user must give for a document to be judged.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateAsked {
    /// No date.
    None,
    /// The date it was issued.
    Issue,
    /// The date it expires.
    Expiry,
    /// The end of the fiscal year it covers.
    FiscalYearEnd,
}

impl From<&Validity> for DateAsked {
    fn from(validity: &Validity) -> Self {
        match validity {
            Validity::None => DateAsked::None,
            Validity::MaxAgeDays(_) => DateAsked::Issue,
            Validity::Expiry => DateAsked::Expiry,
            Validity::LastFiscalYear => DateAsked::FiscalYearEnd,
        }
    }
}

/// Whether a document's file is still in the vault as it was stored. Checked by size
/// on every load (cheap); a full re-hash is `ventanilla`'s job, not the page's.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentIntegrity {
    /// The file is as it was attached.
    Ok,
    /// The file is gone from the business's folder.
    Missing,
    /// The file changed since it was attached.
    Altered,
}

#[derive(Serialize, Clone, Debug, TS)]
/// A document attached to a requirement.
pub struct DocumentView {
    /// The document's id.
    pub id: String,
    /// The file's name as the person had it.
    pub original_name: String,
    /// What the file is.
    pub kind: FileKind,
    #[ts(type = "number")]
    /// Its size in bytes.
    pub size: u64,
    /// Pages, for a PDF.
    pub pages: Option<u32>,
    #[ts(type = "string | null")]
    /// When it was issued, when the requirement asks.
    pub issued_on: Option<NaiveDate>,
    #[ts(type = "string | null")]
    /// When it expires, when the requirement asks.
    pub expires_on: Option<NaiveDate>,
    /// When it was attached.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    #[ts(type = "string")]
    pub attached_at: DateTime<Utc>,
    /// Whether the stored file is still the one attached.
    pub integrity: DocumentIntegrity,
}

#[derive(Serialize, Clone, Debug, TS)]
/// One requirement of the checklist, with its state.
pub struct ChecklistItem {
    /// The requirement's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// What it is and where to get it.
    pub help: String,
    /// The representative it is about, for a per-person document.
    pub representative: Option<String>,
    /// That representative's name.
    pub representative_name: Option<String>,
    /// Whether it is needed; an optional document only adds to the file.
    pub required: bool,
    /// Where it stands.
    pub status: Status,
    /// The status explained, in the user's language.
    pub message: String,
    #[ts(type = "string | null")]
    /// Until when the attached document counts.
    pub valid_until: Option<NaiveDate>,
    #[ts(type = "number | null")]
    /// Days until then; negative once past.
    pub days_left: Option<i64>,
    /// Which date to ask when attaching.
    pub date_asked: DateAsked,
    /// File kinds accepted.
    pub accepted: Vec<FileKind>,
    #[ts(type = "number")]
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
    /// The document attached now.
    pub document: Option<DocumentView>,
    /// Documents attached before it, kept.
    pub earlier_versions: u32,
}

#[derive(Serialize, Clone, Debug, TS)]
/// A business's checklist for a procedure.
pub struct ChecklistView {
    /// The business.
    pub business_id: BusinessId,
    /// The requirement catalogue's version it was judged by.
    pub catalogue_version: String,
    #[ts(type = "string")]
    /// The day it was judged on.
    pub on: NaiveDate,
    /// Requirements ready.
    pub ready: u32,
    /// Requirements in all.
    pub total: u32,
    /// The registration does not yet say física or moral, so the list is unknown.
    pub needs_persona: bool,
    /// Every requirement, in the catalogue's order.
    pub items: Vec<ChecklistItem>,
}

#[derive(Serialize, Clone, Debug, TS)]
/// A document ready to show in the window.
pub struct DocumentPreview {
    /// What the file is.
    pub kind: FileKind,
    /// Its bytes as a `data:` URL.
    pub data_url: String,
    /// Pages, for a PDF.
    pub pages: Option<u32>,
}

/// Larger files are not previewed inside the window (they would be copied whole
/// into the webview); the page says so instead.
const PREVIEW_LIMIT: u64 = 25 * 1024 * 1024;

fn integrity(store: &BusinessStore, document: &Document) -> DocumentIntegrity {
    match store.document_present(document) {
        Integrity::Ok => DocumentIntegrity::Ok,
        Integrity::Altered => DocumentIntegrity::Altered,
        Integrity::Missing => DocumentIntegrity::Missing,
    }
}

fn document_view(store: &BusinessStore, document: &Document) -> DocumentView {
    DocumentView {
        id: document.id.clone(),
        original_name: document.original_name.clone(),
        kind: document.kind,
        size: document.size,
        pages: document.pages,
        issued_on: document.issued_on,
        expires_on: document.expires_on,
        attached_at: document.attached_at,
        integrity: integrity(store, document),
    }
}

fn parse_date(text: Option<&str>, locale: Locale) -> Result<Option<NaiveDate>, CommandError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| CommandError::new(FailureCode::BadDate, locale))
}

/// The day documents are judged on: today in Mexico City.
pub fn today() -> NaiveDate {
    mexico_city_today(Utc::now())
}

impl Desk {
    /// The business's checklist for `procedure` (the registration when `None`).
    pub fn checklist(
        &mut self,
        id: &str,
        procedure: Option<Procedure>,
    ) -> Result<ChecklistView, CommandError> {
        let locale = self.locale();
        let catalogue = self.library()?.catalogue().map_err(|e| self.fail(e))?;
        let store = self.store(id)?;
        let fail = |e: StoreError| CommandError::from_store(&e, locale);
        let on = today();
        // One read each of the draft, the documents and the history counts, whatever
        // the number of items.
        let draft = store.load_draft().map_err(fail)?;
        let documents = store.documents().map_err(fail)?;
        let earlier = store.earlier_versions().map_err(fail)?;
        let names: HashMap<&str, &str> = draft
            .representatives
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .collect();
        let Some(profile) = Profile::from_draft(&draft) else {
            return Ok(ChecklistView {
                business_id: id.to_owned().into(),
                catalogue_version: catalogue.version.clone(),
                on,
                ready: 0,
                total: 0,
                needs_persona: true,
                items: Vec::new(),
            });
        };
        let facts: Vec<DocumentFact> = documents.iter().map(Document::fact).collect();
        let Evaluation {
            catalogue_version,
            ready,
            total,
            items,
            ..
        } = evaluate(&catalogue, &profile, procedure, on, &facts);
        let mut views = Vec::with_capacity(items.len());
        for item in items {
            let Some(requirement) = catalogue.requirement(&item.code) else {
                continue;
            };
            let current = documents
                .iter()
                .find(|d| d.requirement == item.code && d.representative == item.representative);
            let earlier = earlier
                .get(&(item.code.clone(), item.representative.clone()))
                .copied()
                .unwrap_or(0);
            views.push(ChecklistItem {
                name: requirement.name.text(locale).to_owned(),
                help: requirement.help.text(locale).to_owned(),
                representative_name: item
                    .representative
                    .as_deref()
                    .and_then(|r| names.get(r))
                    .map(|n| n.to_string()),
                message: item.status.message(locale),
                date_asked: DateAsked::from(&requirement.validity),
                accepted: requirement.accepted.clone(),
                max_bytes: requirement.max_bytes,
                document: current.map(|d| document_view(store, d)),
                earlier_versions: earlier,
                code: item.code,
                representative: item.representative,
                required: item.required,
                status: item.status,
                valid_until: item.valid_until,
                days_left: item.days_left,
            });
        }
        Ok(ChecklistView {
            business_id: id.to_owned().into(),
            catalogue_version,
            on,
            ready,
            total,
            needs_persona: false,
            items: views,
        })
    }

    /// Copies a file into the business's vault for one checklist item, reporting
    /// progress as bytes are copied.
    #[allow(clippy::too_many_arguments)]
    pub fn attach_document(
        &mut self,
        id: &str,
        requirement: &str,
        representative: Option<&str>,
        path: &Path,
        issued_on: Option<&str>,
        expires_on: Option<&str>,
        procedure: Option<Procedure>,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<ChecklistView, CommandError> {
        let locale = self.locale();
        let issued_on = parse_date(issued_on, locale)?;
        let expires_on = parse_date(expires_on, locale)?;
        let catalogue = self.library()?.catalogue().map_err(|e| self.fail(e))?;
        let Some(rule) = catalogue.requirement(requirement) else {
            return Err(self.fail(StoreError::UnknownRequirement(requirement.to_owned())));
        };
        let store = self.store(id)?;
        store
            .attach(path, rule, representative, issued_on, expires_on, progress)
            .map_err(|e| CommandError::from_store(&e, locale))?;
        self.after_documents_changed(id, procedure)
    }

    /// Changes the dates of an attached document and answers the checklist.
    pub fn set_document_dates(
        &mut self,
        id: &str,
        document_id: &str,
        issued_on: Option<&str>,
        expires_on: Option<&str>,
        procedure: Option<Procedure>,
    ) -> Result<ChecklistView, CommandError> {
        let locale = self.locale();
        let issued_on = parse_date(issued_on, locale)?;
        let expires_on = parse_date(expires_on, locale)?;
        self.store(id)?
            .set_document_dates(document_id, issued_on, expires_on)
            .map_err(|e| CommandError::from_store(&e, locale))?;
        self.after_documents_changed(id, procedure)
    }

    /// Removes an attached document and answers the checklist.
    pub fn remove_document(
        &mut self,
        id: &str,
        document_id: &str,
        procedure: Option<Procedure>,
    ) -> Result<ChecklistView, CommandError> {
        let locale = self.locale();
        self.store(id)?
            .remove_document(document_id)
            .map_err(|e| CommandError::from_store(&e, locale))?;
        self.after_documents_changed(id, procedure)
    }

    /// The checklist (drawn up for `procedure`, as the page showed it) after a change,
    /// with the home screen's expiry alert kept current.
    fn after_documents_changed(
        &mut self,
        id: &str,
        procedure: Option<Procedure>,
    ) -> Result<ChecklistView, CommandError> {
        let locale = self.locale();
        let (library, store) = self.library_and_store(id)?;
        library
            .refresh_next_expiry(id, store)
            .map_err(|e| CommandError::from_store(&e, locale))?;
        self.checklist(id, procedure)
    }

    /// An attached document's bytes, to show it.
    pub fn document_preview(
        &mut self,
        id: &str,
        document_id: &str,
    ) -> Result<DocumentPreview, CommandError> {
        let locale = self.locale();
        let store = self.store(id)?;
        let fail = |e: StoreError| CommandError::from_store(&e, locale);
        let documents = store.documents().map_err(fail)?;
        let Some(document) = documents.iter().find(|d| d.id == document_id) else {
            return Err(fail(StoreError::UnknownDocument(document_id.to_owned())));
        };
        if document.size > PREVIEW_LIMIT {
            return Err(CommandError::new(FailureCode::PreviewTooLarge, locale));
        }
        let mut bytes = Vec::new();
        store
            .open_document(&document.sha256)
            .and_then(|mut file| {
                file.read_to_end(&mut bytes)
                    .map_err(|source| StoreError::Io {
                        path: document.original_name.clone().into(),
                        source,
                    })
            })
            .map_err(fail)?;
        let mime = match document.kind {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        };
        Ok(DocumentPreview {
            kind: document.kind,
            data_url: format!(
                "data:{mime};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
            pages: document.pages,
        })
    }
}
