//! Bids as the window sees them: each operation stores what was typed and answers with
//! core's judgement, amounts already formatted as Mexican pesos, in the user's language.
//! Totals are recomputed in Rust on every edit, exact, and sent back with the edit's
//! answer: the webview never does arithmetic on money.

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use ts_rs::TS;
use ventanilla_core::bid::{
    self, checklist_procedure, BidIssueView, Declaration, DeclarationText, FreezeError, FrozenBid,
    ItemDraft, ItemField, Tab,
};
use ventanilla_core::checklist::Procedure;
use ventanilla_core::money::{format_mxn, Totals};
use ventanilla_core::proposal::mexico_city_time;
use ventanilla_core::tender::{BidOutcome, Tender, TenderStatus};
use ventanilla_core::{Code, Failure, FailureCode, Locale, Severity};
use ventanilla_store::{BidState, BusinessStore, Library, StoreError, StoredBid};

use crate::desk::Desk;
use crate::ids::{BidId, BusinessId, Ocid};
use crate::views::CommandError;

type Outcome<T> = Result<T, CommandError>;

/// Amounts as shown: `$1,234.50 MXN`.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct TotalsView {
    /// Before IVA, in pesos as the person reads them.
    pub subtotal: String,
    /// The IVA on the subtotal.
    pub iva: String,
    /// Subtotal plus IVA.
    pub total: String,
    /// The guarantee the tender asks for, when it asks for one.
    pub bid_bond: Option<String>,
}

impl From<&Totals> for TotalsView {
    fn from(totals: &Totals) -> Self {
        TotalsView {
            subtotal: format_mxn(totals.subtotal),
            iva: format_mxn(totals.iva),
            total: format_mxn(totals.total),
            bid_bond: totals.bid_bond.map(format_mxn),
        }
    }
}

/// One tender item with what the owner typed for it.
#[derive(Serialize, Clone, Debug, TS)]
pub struct BidItemView {
    /// The tender item's id.
    pub id: String,
    /// What the tender asks for.
    pub description: String,
    /// The tender's quantity; `None` when the owner must type it.
    pub quantity: Option<String>,
    /// The unit the quantity counts.
    pub unit: String,
    /// What the person typed, kept as typed.
    pub typed: ItemDraft,
    /// The line's subtotal, once its price and quantity can be read.
    pub subtotal: Option<String>,
}

/// A document the tender asks for, as it stands in the business's file.
#[derive(Serialize, Clone, Debug, TS)]
pub struct BidDocumentView {
    /// The requirement's code.
    pub code: String,
    /// The requirement's name.
    pub name: String,
    /// The representative it is about, for a per-person document.
    pub representative: Option<String>,
    /// Whether it is needed; an optional document only adds to the file.
    pub required: bool,
    /// Attached and valid for this bid.
    pub ready: bool,
    /// What to do about it, in the user's language.
    pub message: String,
}

/// A bid as its wizard shows it.
#[derive(Serialize, Clone, Debug, TS)]
pub struct BidView {
    /// The business the bid belongs to.
    pub business_id: BusinessId,
    /// The bid's id.
    pub id: BidId,
    /// The tender's OCDS id.
    pub ocid: Ocid,
    /// The tender's title.
    pub title: String,
    /// Who buys.
    pub buyer: String,
    /// UTC, RFC 3339.
    pub deadline: Option<String>,
    /// The deadline in Mexico City time, such as `15/12/2026 14:00`.
    pub deadline_local: Option<String>,
    #[ts(type = "number | null")]
    /// Seconds from now to the deadline; negative once it passed.
    pub seconds_left: Option<i64>,
    /// One per tender item, in the tender's order.
    pub items: Vec<BidItemView>,
    /// Days the prices hold, as typed.
    pub price_validity_days: String,
    /// `None` while some price cannot be read.
    pub totals: Option<TotalsView>,
    /// The documents the tender asks for, with their state.
    pub documents: Vec<BidDocumentView>,
    /// The checklist the documents come from: the tender's procedure.
    pub procedure: Option<Procedure>,
    /// The declarations to accept, with their text.
    pub declarations: Vec<DeclarationText>,
    /// Every problem, in tab order.
    pub issues: Vec<BidIssueView>,
    /// The tender changed since the bid was prepared: "requiere revisión".
    pub needs_review: bool,
    /// The tender was withdrawn: the bid can no longer be sent.
    pub withdrawn: bool,
    /// Nothing missing or wrong: it can be sent now.
    pub ready: bool,
    /// Once the award is published: whether this bid won, lost, or the tender was
    /// deserted or cancelled, with the amounts.
    pub result: Option<BidResult>,
}

/// What the published award means for a bid.
#[derive(Serialize, Clone, Debug, TS)]
pub struct BidResult {
    /// Ganó, no ganó, desierta or cancelada.
    pub outcome: BidOutcome,
    /// The awarded amount, formatted (the winner's bid), when there is a winner.
    pub awarded_amount: Option<String>,
    /// The contract's amount, formatted, once signed.
    pub contract_amount: Option<String>,
    /// When the award was decided, in Mexico City time.
    pub date_local: Option<String>,
}

/// A line's subtotal after an edit.
#[derive(Serialize, Clone, Debug, TS)]
pub struct LineView {
    /// The tender item edited.
    pub item_id: String,
    /// Its quantity times its price; `None` while either cannot be read.
    pub subtotal: Option<String>,
}

/// How many problems a wizard tab has.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct TabCount {
    /// The tab.
    pub tab: Tab,
    /// Things still to fill in on it.
    pub missing: u32,
    /// Things wrong on it.
    pub errors: u32,
}

/// The answer to one edit: small whatever the tender's size, so typing a price in a
/// 500-item bid sends back one line, the totals and the counts, not the whole bid.
#[derive(Serialize, Clone, Debug, TS)]
pub struct BidSaved {
    /// The edited line, for an item's edit.
    pub line: Option<LineView>,
    /// The bid's totals now.
    pub totals: Option<TotalsView>,
    /// The problems of the edited item (or of the bid's own field).
    pub issues: Vec<BidIssueView>,
    /// Every tab's counts.
    pub tabs: Vec<TabCount>,
    /// Nothing missing or wrong: it can be sent now.
    pub ready: bool,
    /// When the edit was stored (RFC 3339, UTC).
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    #[ts(type = "string")]
    pub saved_at: DateTime<Utc>,
}

/// A bid in the business's list.
#[derive(Serialize, Clone, Debug, TS)]
pub struct BidSummary {
    /// The bid's id.
    pub id: BidId,
    /// The tender's OCDS id.
    pub ocid: Ocid,
    /// The tender's title.
    pub title: String,
    /// The deadline in Mexico City time.
    pub deadline_local: Option<String>,
    /// When the bid last changed.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
    /// Once the award is published, what it means for this bid.
    pub result: Option<BidResult>,
}

/// The result of the bid `bid_id` under `tender`'s award; `sent`: the bid went out.
fn bid_result(tender: &Tender, bid_id: &str, sent: bool) -> Option<BidResult> {
    let award = tender.award.as_ref()?;
    Some(BidResult {
        outcome: award.outcome_for(bid_id, sent)?,
        awarded_amount: award.amount.map(format_mxn),
        contract_amount: award.contract_amount.map(format_mxn),
        date_local: award.date.map(mexico_city_time),
    })
}

/// What an edit changed, to pick the issues the answer carries.
enum Edited<'a> {
    Item(&'a str),
    Bid(&'a str),
}

const TABS: [Tab; 5] = [
    Tab::Technical,
    Tab::Economic,
    Tab::Documents,
    Tab::Declarations,
    Tab::Review,
];

/// The tender a stored bid is judged against now: the catalogue's current release,
/// or the bid's own copy marked withdrawn when the catalogue no longer has it.
pub fn tender_now(library: &Library, stored: &StoredBid) -> Result<Tender, StoreError> {
    let current = library.tender(&stored.prepared_against.ocid)?;
    Ok(bid::current_tender(current, &stored.prepared_against))
}

/// A proposal written to a file: the bid as it printed, and the file's size.
pub struct WrittenProposal {
    /// The bid as of the printing, with its review.
    pub state: BidState,
    /// The PDF's length in bytes.
    pub bytes: usize,
}

/// Writes the proposal of the bid `bid_id` of `store`, as of now, to `path`; a bid
/// still incomplete prints as a draft that says so.
pub fn write_proposal(
    library: &Library,
    store: &BusinessStore,
    bid_id: &str,
    path: &Path,
) -> Result<WrittenProposal, StoreError> {
    let catalogue = library.catalogue()?;
    let stored = store.load_bid(bid_id)?;
    let tender = tender_now(library, &stored)?;
    let now = Utc::now();
    let state = store.bid_state(&catalogue, stored, tender, now)?;
    let pdf = state.proposal(&catalogue, now);
    std::fs::write(path, &pdf).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(WrittenProposal {
        state,
        bytes: pdf.len(),
    })
}

impl Desk {
    fn tender_now(&self, stored: &StoredBid) -> Outcome<Tender> {
        tender_now(self.library()?, stored).map_err(|e| self.fail(e))
    }

    /// Starts a bid of a business on a tender of the catalogue.
    pub fn prepare_bid(&mut self, business_id: &str, ocid: &str) -> Outcome<BidView> {
        let tender = self.catalogue_tender(ocid)?;
        self.create_bid(business_id, &tender)
    }

    fn bid_state(&mut self, business_id: &str, bid_id: &str) -> Outcome<BidState> {
        let catalogue = self.library()?.catalogue().map_err(|e| self.fail(e))?;
        let stored = self.store(business_id)?.load_bid(bid_id);
        let stored = stored.map_err(|e| self.fail(e))?;
        let tender = self.tender_now(&stored)?;
        let state = self
            .store(business_id)?
            .bid_state(&catalogue, stored, tender, Utc::now());
        state.map_err(|e| self.fail(e))
    }

    /// Starts a bid of business `business_id` on `tender`.
    pub fn create_bid(&mut self, business_id: &str, tender: &Tender) -> Outcome<BidView> {
        let store = self.store(business_id)?;
        let created = store.create_bid(tender);
        let draft = created.map_err(|e| self.fail(e))?;
        self.open_bid(business_id, &draft.id)
    }

    /// The bids of a business, newest first.
    pub fn list_bids(&mut self, business_id: &str) -> Outcome<Vec<BidSummary>> {
        let listed = self.store(business_id)?.bids();
        let entries = listed.map_err(|e| self.fail(e))?;
        let mut summaries = Vec::with_capacity(entries.len());
        for entry in entries {
            let sent = self.bid_sent(business_id, &entry.id)?;
            let tender = self.library()?.tender(&entry.ocid);
            let tender = tender.map_err(|e| self.fail(e))?;
            summaries.push(BidSummary {
                result: tender.and_then(|t| bid_result(&t, &entry.id, sent)),
                id: entry.id.into(),
                ocid: entry.ocid.into(),
                title: entry.title,
                deadline_local: entry.deadline.map(mexico_city_time),
                updated_at: entry.updated_at,
            });
        }
        Ok(summaries)
    }

    /// Whether the bid `bid_id` of the business was sent (its receipt verified).
    fn bid_sent(&mut self, business_id: &str, bid_id: &str) -> Outcome<bool> {
        let item = self.store(business_id)?.outbox_item(bid_id);
        match item {
            Ok(item) => Ok(item.state == ventanilla_store::OutboxState::Sent),
            Err(_) => Ok(false),
        }
    }

    /// A bid with its review, as the wizard shows it.
    pub fn open_bid(&mut self, business_id: &str, bid_id: &str) -> Outcome<BidView> {
        let state = self.bid_state(business_id, bid_id)?;
        let sent = self.bid_sent(business_id, bid_id)?;
        let catalogue = self.library()?.catalogue().map_err(|e| self.fail(e))?;
        let locale = self.locale();
        let review = &state.review;
        let items = state
            .tender
            .items
            .iter()
            .zip(&review.lines)
            .map(|(item, line)| BidItemView {
                id: item.id.clone(),
                description: item.description.clone(),
                quantity: item.quantity.map(|q| q.normalize().to_string()),
                unit: item.unit.clone(),
                typed: state
                    .stored
                    .draft
                    .items
                    .get(&item.id)
                    .cloned()
                    .unwrap_or_default(),
                subtotal: line.subtotal.map(format_mxn),
            })
            .collect();
        let documents = review
            .documents
            .iter()
            .map(|d| BidDocumentView {
                code: d.code.clone(),
                name: catalogue
                    .requirement(&d.code)
                    .map_or_else(|| d.code.clone(), |r| r.name.text(locale).to_owned()),
                representative: d.representative.clone(),
                required: d.required,
                ready: d.status.is_ready(),
                message: d.status.message(locale),
            })
            .collect();
        Ok(BidView {
            business_id: business_id.to_owned().into(),
            id: bid_id.to_owned().into(),
            ocid: state.tender.ocid.clone().into(),
            title: state.tender.title.clone(),
            buyer: state.tender.buyer.clone(),
            deadline: state
                .tender
                .deadline
                .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
            deadline_local: state.tender.deadline.map(mexico_city_time),
            seconds_left: review.seconds_left,
            items,
            price_validity_days: state.stored.draft.price_validity_days.clone(),
            totals: review.totals.as_ref().map(TotalsView::from),
            documents,
            procedure: state.tender.procedure.map(checklist_procedure),
            declarations: review.declarations.clone(),
            issues: review.issues.iter().map(|i| i.view(locale)).collect(),
            needs_review: review.needs_review,
            withdrawn: state.tender.status == TenderStatus::Withdrawn,
            ready: review.ready,
            result: bid_result(&state.tender, bid_id, sent),
        })
    }

    /// Stores one edit, then answers with what it changed.
    fn bid_edit(
        &mut self,
        business_id: &str,
        bid_id: &str,
        edited: Edited,
        change: impl FnOnce(&ventanilla_store::BusinessStore) -> Result<(), StoreError>,
    ) -> Outcome<BidSaved> {
        let changed = change(self.store(business_id)?);
        changed.map_err(|e| self.fail(e))?;
        let state = self.bid_state(business_id, bid_id)?;
        let locale = self.locale();
        let review = &state.review;
        let (line, issues) = match edited {
            Edited::Item(item) => (
                review
                    .lines
                    .iter()
                    .find(|l| l.item_id == item)
                    .map(|l| LineView {
                        item_id: l.item_id.clone(),
                        subtotal: l.subtotal.map(format_mxn),
                    }),
                review
                    .issues
                    .iter()
                    .filter(|i| i.item.as_deref() == Some(item))
                    .map(|i| i.view(locale))
                    .collect(),
            ),
            Edited::Bid(subject) => (
                None,
                review
                    .issues
                    .iter()
                    .filter(|i| i.item.is_none() && i.subject.as_deref() == Some(subject))
                    .map(|i| i.view(locale))
                    .collect(),
            ),
        };
        let tabs = TABS
            .iter()
            .map(|&tab| TabCount {
                tab,
                missing: review.count(tab, Severity::Missing),
                errors: review.count(tab, Severity::Error),
            })
            .collect();
        Ok(BidSaved {
            line,
            totals: review.totals.as_ref().map(TotalsView::from),
            issues,
            tabs,
            ready: review.ready,
            saved_at: ventanilla_core::stamp::now(),
        })
    }

    /// Stores what was typed in one field of one item, and answers its fresh review.
    pub fn set_bid_item_field(
        &mut self,
        business_id: &str,
        bid_id: &str,
        item_id: &str,
        field: ItemField,
        value: &str,
    ) -> Outcome<BidSaved> {
        self.bid_edit(business_id, bid_id, Edited::Item(item_id), |store| {
            store.set_bid_item_field(bid_id, item_id, field, value)
        })
    }

    /// Stores how many days the prices hold, and answers the fresh review.
    pub fn set_bid_validity_days(
        &mut self,
        business_id: &str,
        bid_id: &str,
        value: &str,
    ) -> Outcome<BidSaved> {
        self.bid_edit(
            business_id,
            bid_id,
            Edited::Bid("price_validity_days"),
            |store| store.set_bid_validity_days(bid_id, value),
        )
    }

    /// Stores a declaration accepted or not, and answers the fresh review.
    pub fn set_bid_declaration(
        &mut self,
        business_id: &str,
        bid_id: &str,
        declaration: Declaration,
        accepted: bool,
    ) -> Outcome<BidSaved> {
        self.bid_edit(
            business_id,
            bid_id,
            Edited::Bid(declaration.as_str()),
            |store| store.set_bid_declaration(bid_id, declaration, accepted),
        )
    }

    /// The owner reviewed the bid against the tender as it is now.
    pub fn confirm_bid(&mut self, business_id: &str, bid_id: &str) -> Outcome<BidView> {
        let stored = self.store(business_id)?.load_bid(bid_id);
        let stored = stored.map_err(|e| self.fail(e))?;
        let tender = self.tender_now(&stored)?;
        let confirmed = self.store(business_id)?.confirm_bid(bid_id, &tender);
        confirmed.map_err(|e| self.fail(e))?;
        self.open_bid(business_id, bid_id)
    }

    /// Deletes a bid still being prepared.
    pub fn delete_bid(&mut self, business_id: &str, bid_id: &str) -> Outcome<()> {
        let deleted = self.store(business_id)?.delete_bid(bid_id);
        deleted.map_err(|e| self.fail(e))
    }

    /// Writes the bid's proposal PDF to `path`.
    pub fn export_bid_pdf(&mut self, business_id: &str, bid_id: &str, path: &Path) -> Outcome<()> {
        let (library, store) = self.library_and_store(business_id)?;
        let written = write_proposal(library, store, bid_id, path);
        written.map(drop).map_err(|e| self.fail(e))
    }

    /// Freezes the bid for sending now: refused, with the first blocking problem's
    /// message, while anything is missing, after the deadline or on a withdrawn or
    /// moved tender.
    pub fn freeze_bid(&mut self, business_id: &str, bid_id: &str) -> Outcome<FrozenBid> {
        let locale = self.locale();
        let catalogue = self.library()?.catalogue().map_err(|e| self.fail(e))?;
        let stored = self.store(business_id)?.load_bid(bid_id);
        let stored = stored.map_err(|e| self.fail(e))?;
        let tender = self.tender_now(&stored)?;
        let frozen = self
            .store(business_id)?
            .freeze_bid(&catalogue, stored, tender, Utc::now());
        match frozen.map_err(|e| self.fail(e))? {
            Ok(frozen) => Ok(frozen),
            Err(FreezeError::NotReady(issues)) => {
                let code = issues.first().map_or(Code::Required, |i| i.code);
                Err(not_ready(code, locale))
            }
            Err(FreezeError::Snapshot(reason)) => Err(CommandError::coded(
                "storage_error",
                &Failure::from(FailureCode::FreezeFailed).with("detail", reason),
                locale,
            )),
        }
    }
}

fn not_ready(code: Code, locale: Locale) -> CommandError {
    CommandError {
        code: serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        message: code.message(locale).to_owned(),
        field: None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ventanilla_testkit::fixtures;

    fn desk_with_business() -> (tempfile::TempDir, Desk, String) {
        let dir = tempfile::tempdir().unwrap();
        let library = ventanilla_store::Library::open(dir.path()).unwrap();
        let id = library.create_business(&fixtures::business()).unwrap();
        drop(library);
        let desk = Desk::open(dir.path().to_path_buf());
        (dir, desk, id)
    }

    #[test]
    fn each_edit_answers_with_its_line_the_totals_and_its_problems() {
        let (_dir, mut desk, business) = desk_with_business();
        let tender = fixtures::tender(3);
        let view = desk.create_bid(&business, &tender).unwrap();
        assert_eq!(view.items.len(), 3);
        assert_eq!(view.items[0].quantity.as_deref(), Some("1"));
        assert_eq!(view.items[2].quantity, None);
        assert_eq!(view.deadline_local.as_deref(), Some("15/12/2026 14:00"));
        assert!(!view.ready);

        let saved = desk
            .set_bid_item_field(&business, &view.id, "2", ItemField::UnitPrice, "1,234.50")
            .unwrap();
        let line = saved.line.unwrap();
        assert_eq!(line.subtotal.as_deref(), Some("$2,469.00 MXN"));
        let totals = saved.totals.unwrap();
        assert_eq!(totals.subtotal, "$2,469.00 MXN");
        assert_eq!(totals.iva, "$395.04 MXN");
        assert_eq!(totals.total, "$2,864.04 MXN");
        assert_eq!(totals.bid_bond.as_deref(), Some("$123.45 MXN"));
        // Item 2 still lacks what is offered and its delivery.
        let codes: Vec<Code> = saved.issues.iter().map(|i| i.issue.code).collect();
        assert_eq!(codes, vec![Code::Required, Code::Required]);

        let saved = desk
            .set_bid_item_field(&business, &view.id, "2", ItemField::UnitPrice, "2,5")
            .unwrap();
        assert!(saved
            .issues
            .iter()
            .any(|i| i.issue.code == Code::PriceDecimalComma && i.message.contains("punto")));
        assert_eq!(saved.line.unwrap().subtotal, None);
        let economic = saved.tabs.iter().find(|t| t.tab == Tab::Economic).unwrap();
        assert_eq!(economic.errors, 1);

        let saved = desk
            .set_bid_validity_days(&business, &view.id, "cero")
            .unwrap();
        assert_eq!(saved.issues[0].issue.code, Code::ValidityDaysNotNumber);
        let saved = desk
            .set_bid_declaration(&business, &view.id, Declaration::NoImpediment, true)
            .unwrap();
        assert!(saved.issues.is_empty());

        // Everything typed is still there on reopening, as typed.
        let reopened = desk.open_bid(&business, &view.id).unwrap();
        assert_eq!(reopened.items[1].typed.unit_price, "2,5");
        assert_eq!(reopened.price_validity_days, "cero");
        assert!(reopened.declarations[0].accepted);
        assert_eq!(desk.list_bids(&business).unwrap()[0].id, view.id);
    }

    #[test]
    fn a_complete_bid_freezes_and_exports_its_proposal() {
        let (dir, mut desk, business) = desk_with_business();
        let mut tender = fixtures::tender(1);
        tender.deadline = Some(Utc::now() + chrono::Duration::days(2));
        let bid = desk.create_bid(&business, &tender).unwrap().id;
        for (field, value) in [
            (ItemField::Offered, "Cuaderno"),
            (ItemField::Delivery, "5 días"),
            (ItemField::UnitPrice, "100"),
        ] {
            desk.set_bid_item_field(&business, &bid, "1", field, value)
                .unwrap();
        }
        for &declaration in Declaration::all() {
            desk.set_bid_declaration(&business, &bid, declaration, true)
                .unwrap();
        }
        // The business's documents are not attached: the bid waits for them.
        let waiting = desk.open_bid(&business, &bid).unwrap();
        assert!(waiting
            .issues
            .iter()
            .any(|i| i.issue.code == Code::DocumentNotReady));
        // The tender was never in the catalogue, so it counts as withdrawn: that is the
        // reason the freeze gives, as attaching the documents would not mend it.
        let refused = desk.freeze_bid(&business, &bid).unwrap_err();
        assert_eq!(refused.code, "tender_withdrawn");

        let file = dir.path().join("propuesta.pdf");
        desk.export_bid_pdf(&business, &bid, &file).unwrap();
        assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));

        desk.delete_bid(&business, &bid).unwrap();
        assert_eq!(
            desk.open_bid(&business, &bid).unwrap_err().code,
            "unknown_bid"
        );
    }

    #[test]
    fn a_document_attached_for_the_tenders_procedure_counts_for_the_bid() {
        let (dir, mut desk, business) = desk_with_business();
        let view = desk.create_bid(&business, &fixtures::tender(1)).unwrap();
        assert_eq!(view.procedure, Some(Procedure::Licitacion));
        let statements_ready = |view: &BidView| {
            view.documents
                .iter()
                .find(|d| d.code == "EDOS_FIN")
                .map(|d| d.ready)
        };
        assert_eq!(statements_ready(&view), Some(false));
        // The registration's checklist does not ask for it; the licitación's does.
        let asks = |list: &crate::documents::ChecklistView| {
            list.items.iter().find(|i| i.code == "EDOS_FIN").cloned()
        };
        assert!(asks(&desk.checklist(&business, None).unwrap()).is_none());

        let pdf = dir.path().join("Estados financieros.pdf");
        std::fs::write(&pdf, fixtures::one_page_pdf(3, 500)).unwrap();
        let today = crate::documents::today().format("%Y-%m-%d").to_string();
        let list = desk
            .attach_document(
                &business,
                "EDOS_FIN",
                None,
                &pdf,
                Some(&today),
                None,
                view.procedure,
                &mut |_, _| true,
            )
            .unwrap();
        let attached = asks(&list).expect("the licitación's list, as the page showed it");
        assert_eq!(
            attached.status,
            ventanilla_core::checklist::Status::Attached
        );
        let reopened = desk.open_bid(&business, &view.id).unwrap();
        assert_eq!(statements_ready(&reopened), Some(true));
    }

    #[test]
    fn a_late_bid_is_refused_with_the_deadline_message() {
        let (_dir, mut desk, business) = desk_with_business();
        let mut tender = fixtures::tender(1);
        tender.deadline = Some(Utc::now() - chrono::Duration::seconds(1));
        let bid = desk.create_bid(&business, &tender).unwrap();
        assert!(bid.seconds_left.unwrap() < 0);
        assert!(bid
            .issues
            .iter()
            .any(|i| i.issue.code == Code::DeadlinePassed));
        // Late and incomplete: the deadline is the reason given, as no edit mends it.
        assert!(bid.issues.iter().any(|i| i.issue.code == Code::Required));
        let refused = desk.freeze_bid(&business, &bid.id).unwrap_err();
        assert_eq!(refused.code, "deadline_passed");
        assert_eq!(refused.message, Code::DeadlinePassed.message(Locale::Es));
    }
}
