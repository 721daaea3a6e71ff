//! A bid (propuesta) on a tender, as the owner prepares it: the technical part per item,
//! the economic part, the documents the tender asks for, and the declarations; its
//! review (exactly what is missing, time left, whether the tender moved since), and its
//! frozen form for sending.
//!
//! Like the registration, everything is kept as typed and judged on reading, so a
//! price typed with a decimal comma is explained, never lost.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::checklist::{self, Catalogue, DocumentFact, ItemStatus, Profile};
use crate::message::{enum_with_all, Code, Locale, Severity};
use crate::money::{self, NumberProblem, Totals};
use crate::registration::{persona_of, size_of, Persona, RegistrationDraft};
use crate::size::Size;
use crate::snapshot::{self, Snapshot};
use crate::tender::{Procedure, Tender, TenderItem, TenderStatus};

/// Price validity when the owner has not typed one, a common figure in tenders.
pub const DEFAULT_PRICE_VALIDITY_DAYS: &str = "90";
const MAX_PRICE_VALIDITY_DAYS: u32 = 365;

enum_with_all! {
    /// What the owner types for one item of the tender.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
    #[serde(rename_all = "snake_case")]
    pub enum ItemField {
        /// What is offered, in the owner's words.
        Offered,
        BrandModel,
        /// Delivery time, such as `10 días hábiles`.
        Delivery,
        Warranty,
        /// The unit price before IVA, in pesos.
        UnitPrice,
        /// Only asked when the tender does not state the item's quantity.
        Quantity,
    }
}

impl ItemField {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemField::Offered => "offered",
            ItemField::BrandModel => "brand_model",
            ItemField::Delivery => "delivery",
            ItemField::Warranty => "warranty",
            ItemField::UnitPrice => "unit_price",
            ItemField::Quantity => "quantity",
        }
    }

    pub fn parse(s: &str) -> Option<ItemField> {
        ItemField::all().iter().copied().find(|f| f.as_str() == s)
    }
}

enum_with_all! {
    /// A statement the owner makes bajo protesta de decir verdad with the bid.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
    #[serde(rename_all = "snake_case")]
    pub enum Declaration {
        /// Not in any of the cases the law bars from contracting.
        NoImpediment,
        NoConflictOfInterest,
        /// The MiPyME size, for a micro, small or medium business.
        MipymeSize,
    }
}

impl Declaration {
    pub fn as_str(self) -> &'static str {
        match self {
            Declaration::NoImpediment => "no_impediment",
            Declaration::NoConflictOfInterest => "no_conflict_of_interest",
            Declaration::MipymeSize => "mipyme_size",
        }
    }

    pub fn parse(s: &str) -> Option<Declaration> {
        Declaration::all().iter().copied().find(|d| d.as_str() == s)
    }

    /// Its heading in the proposal.
    pub fn title(self) -> &'static str {
        match self {
            Declaration::NoImpediment => {
                "Declaración de no encontrarse en supuestos de impedimento"
            }
            Declaration::NoConflictOfInterest => "Declaración de no conflicto de interés",
            Declaration::MipymeSize => "Declaración de estratificación como MiPyME",
        }
    }
}

/// What the owner typed for one item, as typed.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct ItemDraft {
    pub offered: String,
    pub brand_model: String,
    pub delivery: String,
    pub warranty: String,
    pub unit_price: String,
    pub quantity: String,
}

impl ItemDraft {
    pub fn get(&self, field: ItemField) -> &str {
        match field {
            ItemField::Offered => &self.offered,
            ItemField::BrandModel => &self.brand_model,
            ItemField::Delivery => &self.delivery,
            ItemField::Warranty => &self.warranty,
            ItemField::UnitPrice => &self.unit_price,
            ItemField::Quantity => &self.quantity,
        }
    }

    pub fn set(&mut self, field: ItemField, value: String) {
        let slot = match field {
            ItemField::Offered => &mut self.offered,
            ItemField::BrandModel => &mut self.brand_model,
            ItemField::Delivery => &mut self.delivery,
            ItemField::Warranty => &mut self.warranty,
            ItemField::UnitPrice => &mut self.unit_price,
            ItemField::Quantity => &mut self.quantity,
        };
        *slot = value;
    }
}

/// A file annexed to an item (data sheet, certificate), by its hash in the vault.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Annex {
    pub item_id: String,
    pub sha256: String,
    pub name: String,
}

/// A bid in preparation.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct BidDraft {
    /// A UUID fixed at creation; it becomes the submission id.
    pub id: String,
    /// The tender's ocid.
    pub ocid: String,
    /// The tender's release the owner prepared (or last confirmed) the bid against.
    pub release_id: String,
    #[ts(type = "string")]
    pub release_date: DateTime<Utc>,
    /// By tender item id; items never typed into are absent.
    pub items: BTreeMap<String, ItemDraft>,
    /// Days the prices hold, as typed.
    pub price_validity_days: String,
    /// The declarations the owner confirmed.
    pub accepted: Vec<Declaration>,
    pub annexes: Vec<Annex>,
}

impl BidDraft {
    /// A new, empty bid on `tender` as it stands now.
    pub fn new(id: String, tender: &Tender) -> BidDraft {
        BidDraft {
            id,
            ocid: tender.ocid.clone(),
            release_id: tender.release_id.clone(),
            release_date: tender.release_date,
            items: BTreeMap::new(),
            price_validity_days: DEFAULT_PRICE_VALIDITY_DAYS.to_owned(),
            accepted: Vec::new(),
            annexes: Vec::new(),
        }
    }

    /// What was typed for `field` of the item `item_id` (empty when nothing was).
    pub fn item_value(&self, item_id: &str, field: ItemField) -> &str {
        self.items.get(item_id).map_or("", |item| item.get(field))
    }

    /// Whether the tender moved (a new release or release date) since the bid was
    /// prepared or last confirmed: the bid "requiere revisión".
    pub fn needs_review(&self, tender: &Tender) -> bool {
        self.release_id != tender.release_id || self.release_date != tender.release_date
    }
}

/// The tender a bid is judged against: the catalogue's latest release of it, or, once
/// the catalogue no longer has it, the copy the bid was prepared against, marked
/// withdrawn, so the bid is kept but cannot be sent.
pub fn current_tender(in_catalogue: Option<Tender>, prepared_against: &Tender) -> Tender {
    in_catalogue.unwrap_or_else(|| Tender {
        status: TenderStatus::Withdrawn,
        ..prepared_against.clone()
    })
}

/// A wizard tab, where a problem is shown.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    Technical,
    Economic,
    Documents,
    Declarations,
    Review,
}

/// A problem with a bid, and where it is.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct BidIssue {
    pub code: Code,
    pub tab: Tab,
    /// The tender item, for a problem in one item.
    pub item: Option<String>,
    pub field: Option<ItemField>,
    /// The requirement code or the declaration, for those tabs.
    pub subject: Option<String>,
}

/// A problem ready to show.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct BidIssueView {
    #[serde(flatten)]
    pub issue: BidIssue,
    pub severity: Severity,
    pub message: String,
}

impl BidIssue {
    fn new(code: Code, tab: Tab) -> BidIssue {
        BidIssue {
            code,
            tab,
            item: None,
            field: None,
            subject: None,
        }
    }

    fn at_item(code: Code, item: &str, field: ItemField) -> BidIssue {
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

    fn about(code: Code, tab: Tab, subject: &str) -> BidIssue {
        BidIssue {
            subject: Some(subject.to_owned()),
            ..BidIssue::new(code, tab)
        }
    }

    pub fn view(&self, locale: Locale) -> BidIssueView {
        BidIssueView {
            issue: self.clone(),
            severity: self.code.severity(),
            message: self.code.message(locale).to_owned(),
        }
    }
}

/// One line of the economic part, as far as it can be read.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Line {
    pub item_id: String,
    #[ts(type = "string | null")]
    pub quantity: Option<Decimal>,
    #[ts(type = "string | null")]
    pub unit_price: Option<Decimal>,
    /// `None` until both the price and the quantity can be read.
    #[ts(type = "string | null")]
    pub subtotal: Option<Decimal>,
}

/// A declaration's text, generated from the business's data.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct DeclarationText {
    pub declaration: Declaration,
    pub title: String,
    pub text: String,
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
    pub documents: Vec<ItemStatus>,
    pub declarations: Vec<DeclarationText>,
    #[ts(type = "string | null")]
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

fn price_code(problem: NumberProblem) -> Code {
    match problem {
        NumberProblem::NotNumber => Code::PriceNotNumber,
        NumberProblem::Negative => Code::PriceNegative,
        NumberProblem::DecimalComma => Code::PriceDecimalComma,
        NumberProblem::TooManyDecimals => Code::PriceTooManyDecimals,
        NumberProblem::TooLarge => Code::PriceTooLarge,
    }
}

fn quantity_code(problem: NumberProblem) -> Code {
    match problem {
        NumberProblem::NotNumber => Code::QuantityNotNumber,
        NumberProblem::Negative => Code::QuantityNegative,
        NumberProblem::DecimalComma => Code::QuantityDecimalComma,
        NumberProblem::TooManyDecimals => Code::QuantityTooManyDecimals,
        NumberProblem::TooLarge => Code::QuantityTooLarge,
    }
}

/// Reads one number typed for an item's `field`, noting why it cannot be read:
/// `empty` when nothing was typed, else the code of the parse problem.
fn read_number(
    draft: &BidDraft,
    item: &TenderItem,
    field: ItemField,
    empty: Code,
    parse: fn(&str) -> Result<Decimal, NumberProblem>,
    code: fn(NumberProblem) -> Code,
    issues: &mut Vec<BidIssue>,
) -> Option<Decimal> {
    let typed = draft.item_value(&item.id, field);
    let read = if typed.trim().is_empty() {
        Err(empty)
    } else {
        parse(typed).map_err(code)
    };
    read.map_err(|code| issues.push(BidIssue::at_item(code, &item.id, field)))
        .ok()
}

/// Reads one item's price and quantity (the tender's own, when it sets one), noting
/// what cannot be read.
fn read_line(draft: &BidDraft, item: &TenderItem, issues: &mut Vec<BidIssue>) -> Line {
    let unit_price = read_number(
        draft,
        item,
        ItemField::UnitPrice,
        Code::Required,
        money::parse_pesos,
        price_code,
        issues,
    );
    let quantity = item.quantity.or_else(|| {
        read_number(
            draft,
            item,
            ItemField::Quantity,
            Code::QuantityMissing,
            money::parse_quantity,
            quantity_code,
            issues,
        )
    });
    let subtotal = match (unit_price, quantity) {
        (Some(price), Some(quantity)) => money::line_subtotal(price, quantity).ok(),
        _ => None,
    };
    Line {
        item_id: item.id.clone(),
        quantity,
        unit_price,
        subtotal,
    }
}

/// The economic part alone: each line and the totals of the lines that can be read,
/// with the problems of the prices and quantities. Cheap enough to run on every
/// keystroke.
pub fn economic(draft: &BidDraft, tender: &Tender) -> (Vec<Line>, Option<Totals>, Vec<BidIssue>) {
    let mut issues = Vec::new();
    let lines: Vec<Line> = tender
        .items
        .iter()
        .map(|item| read_line(draft, item, &mut issues))
        .collect();
    let readable = lines
        .iter()
        .filter_map(|line| Some((line.unit_price?, line.quantity?)));
    let totals = money::totals(readable, tender.bid_bond_rate).ok();
    if totals.is_none() {
        issues.push(BidIssue::new(Code::BidTooLarge, Tab::Economic));
    }
    match parse_validity_days(&draft.price_validity_days) {
        Ok(_) => {}
        Err(code) => issues.push(BidIssue::about(code, Tab::Economic, "price_validity_days")),
    }
    (lines, totals, issues)
}

fn parse_validity_days(text: &str) -> Result<u32, Code> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Code::Required);
    }
    text.parse::<u32>()
        .ok()
        .filter(|days| (1..=MAX_PRICE_VALIDITY_DAYS).contains(days))
        .ok_or(Code::ValidityDaysNotNumber)
}

/// The declarations the bid carries for this business: the MiPyME one only when the
/// registration shows a micro, small or medium business.
pub fn declarations_for(business: &RegistrationDraft) -> Vec<Declaration> {
    let mipyme = size_of(business).is_some_and(|assessment| assessment.size != Size::Large);
    Declaration::all()
        .iter()
        .copied()
        .filter(|d| *d != Declaration::MipymeSize || mipyme)
        .collect()
}

/// The text of a declaration with the business's and the tender's data, in Spanish
/// (a legal statement to the alcaldía, whatever the app's language).
pub fn declaration_text(
    declaration: Declaration,
    business: &RegistrationDraft,
    tender: &Tender,
) -> String {
    let name = business.name.trim();
    let rfc = business.rfc.trim().to_uppercase();
    let who = match persona_of(business) {
        Some(Persona::Moral) => {
            let representative = business
                .representatives
                .first()
                .map(|r| r.name.trim())
                .filter(|n| !n.is_empty())
                .unwrap_or("[nombre del representante legal]");
            format!(
                "{representative}, en mi carácter de representante legal de {name}, con RFC {rfc},"
            )
        }
        _ => format!("{name}, con RFC {rfc}, por mi propio derecho,"),
    };
    let procedure = format!(
        "el procedimiento {} «{}» convocado por {}",
        tender.ocid,
        tender.title.trim(),
        tender.buyer.trim()
    );
    match declaration {
        Declaration::NoImpediment => format!(
            "{who} manifiesto bajo protesta de decir verdad que no me encuentro en ninguno de los supuestos de impedimento para participar o contratar que establece la Ley de Adquisiciones para el Distrito Federal, para efectos de {procedure}."
        ),
        Declaration::NoConflictOfInterest => format!(
            "{who} manifiesto bajo protesta de decir verdad que ni yo ni los socios, accionistas o representantes de quien propone desempeñamos empleo, cargo o comisión en el servicio público de la Ciudad de México, y que no existe conflicto de interés con las personas servidoras públicas que intervienen en {procedure}."
        ),
        Declaration::MipymeSize => {
            let size = match size_of(business).map(|a| a.size) {
                Some(Size::Micro) => "micro",
                Some(Size::Small) => "pequeña",
                _ => "mediana",
            };
            format!(
                "{who} manifiesto bajo protesta de decir verdad que quien propone tiene la estratificación de {size} empresa, conforme al Acuerdo publicado en el Diario Oficial de la Federación el 30 de junio de 2009, con {} trabajadores y ventas anuales de {}, para efectos de {procedure}.",
                business.workers.trim(),
                money::parse_pesos(&business.annual_sales).map(money::format_mxn).unwrap_or_default(),
            )
        }
    }
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

/// A registered document sent with the bid, by hash.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct DocumentHash {
    pub requirement: String,
    pub representative: Option<String>,
    pub sha256: String,
}

/// A bid frozen for sending: what a `BidSubmission` carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrozenBid {
    /// The bid's id, also the submission id and idempotency key.
    pub submission_id: String,
    pub ocid: String,
    pub tenderer_rfc: String,
    pub snapshot: Snapshot,
    /// The total, IVA included, in MXN.
    pub total: Decimal,
    /// The registered documents and the annexes, by hash; annexes under the
    /// requirement `ANEXO`.
    pub documents: Vec<DocumentHash>,
}

/// Why a bid could not be frozen.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FreezeError {
    #[error("the bid is not ready: {0:?}")]
    NotReady(Vec<BidIssue>),
    #[error("the snapshot could not be written: {0}")]
    Snapshot(String),
}

/// Freezes a bid at `now` into its canonical snapshot. Refused while anything is
/// missing or wrong, after the deadline, on a withdrawn tender, and while the tender
/// moved since the owner last confirmed the bid. `registered` holds the current
/// documents of the business's items (by requirement and representative).
pub fn freeze(
    draft: &BidDraft,
    tender: &Tender,
    bidder: &Bidder,
    registered: &[DocumentHash],
    now: DateTime<Utc>,
) -> Result<FrozenBid, FreezeError> {
    let reviewed = review_bid(draft, tender, bidder, now);
    let totals = match (&reviewed.totals, reviewed.ready) {
        (Some(totals), true) => totals.clone(),
        _ => {
            let mut blocking: Vec<BidIssue> = reviewed
                .issues
                .into_iter()
                .filter(|i| i.code.severity() != Severity::Warning)
                .collect();
            // What no edit can mend comes first, so it is the reason given: the
            // deadline, then a withdrawn tender, then one that moved.
            blocking.sort_by_key(|i| match i.code {
                Code::DeadlinePassed => 0,
                Code::TenderWithdrawn => 1,
                Code::TenderChanged => 2,
                _ => 3,
            });
            return Err(FreezeError::NotReady(blocking));
        }
    };
    let mut documents: Vec<DocumentHash> = bidder
        .documents
        .iter()
        .filter_map(|item| {
            registered
                .iter()
                .find(|d| d.requirement == item.code && d.representative == item.representative)
                .cloned()
        })
        .collect();
    documents.extend(draft.annexes.iter().map(|annex| DocumentHash {
        requirement: "ANEXO".to_owned(),
        representative: None,
        sha256: annex.sha256.clone(),
    }));
    let technical: Vec<_> = tender
        .items
        .iter()
        .map(|item| {
            let typed = |field| draft.item_value(&item.id, field).trim().to_owned();
            let annexes: Vec<_> = draft
                .annexes
                .iter()
                .filter(|a| a.item_id == item.id)
                .map(|a| json!({"sha256": a.sha256, "name": a.name}))
                .collect();
            json!({
                "item_id": item.id,
                "requested": item.description,
                "offered": typed(ItemField::Offered),
                "brand_model": typed(ItemField::BrandModel),
                "delivery": typed(ItemField::Delivery),
                "warranty": typed(ItemField::Warranty),
                "annexes": annexes,
            })
        })
        .collect();
    let economic_lines: Vec<_> = reviewed
        .lines
        .iter()
        .zip(&tender.items)
        .map(|(line, item)| {
            json!({
                "item_id": line.item_id,
                "quantity": line.quantity.map(|q| q.normalize().to_string()),
                "unit": item.unit,
                "unit_price": line.unit_price.map(money::centavos_text),
                "subtotal": line.subtotal.map(money::centavos_text),
            })
        })
        .collect();
    let value = json!({
        "kind": "bid",
        "bid_id": draft.id,
        "ocid": tender.ocid,
        "release_id": tender.release_id,
        "release_date": tender.release_date.to_rfc3339(),
        "tenderer": {"rfc": bidder.draft.rfc.trim().to_uppercase(), "name": bidder.draft.name.trim()},
        "technical": technical,
        "economic": {
            "currency": "MXN",
            "lines": economic_lines,
            "subtotal": money::centavos_text(totals.subtotal),
            "iva": money::centavos_text(totals.iva),
            "total": money::centavos_text(totals.total),
            "bid_bond": totals.bid_bond.map(money::centavos_text),
            "price_validity_days": parse_validity_days(&draft.price_validity_days).ok(),
        },
        "documents": documents,
        "declarations": reviewed.declarations.iter()
            .map(|d| json!({"declaration": d.declaration, "text": d.text}))
            .collect::<Vec<_>>(),
        "frozen_at": now.to_rfc3339(),
    });
    let snapshot = snapshot::freeze(&value).map_err(|e| FreezeError::Snapshot(e.to_string()))?;
    Ok(FrozenBid {
        submission_id: draft.id.clone(),
        ocid: tender.ocid.clone(),
        tenderer_rfc: bidder.draft.rfc.trim().to_uppercase(),
        snapshot,
        total: totals.total,
        documents,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fixtures;
    use chrono::{Duration, TimeZone};
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A bid on a 3-item tender with everything filled in.
    fn complete(tender: &Tender) -> BidDraft {
        let mut draft = BidDraft::new("0193e1c4-0000-7000-8000-000000000001".into(), tender);
        for item in &tender.items {
            let typed = draft.items.entry(item.id.clone()).or_default();
            typed.set(
                ItemField::Offered,
                format!("Cuaderno marca Ñandú {}", item.id),
            );
            typed.set(ItemField::Delivery, "10 días hábiles".into());
            typed.set(ItemField::UnitPrice, "1,234.50".into());
            typed.set(ItemField::Quantity, "4".into());
        }
        draft.accepted = Declaration::all().to_vec();
        draft
    }

    fn bidder(business: &RegistrationDraft) -> Bidder<'_> {
        Bidder {
            draft: business,
            documents: Vec::new(),
        }
    }

    fn before_deadline() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 10, 12, 0, 0).unwrap()
    }

    /// The review of `draft` by the fixture's business with no documents, before the
    /// deadline.
    fn review_now(draft: &BidDraft, tender: &Tender) -> BidReview {
        review_bid(
            draft,
            tender,
            &bidder(&fixtures::business()),
            before_deadline(),
        )
    }

    fn codes(review: &BidReview) -> Vec<(Code, Option<&str>, Option<ItemField>)> {
        review
            .issues
            .iter()
            .map(|i| (i.code, i.item.as_deref(), i.field))
            .collect()
    }

    #[test]
    fn a_complete_bid_is_ready_with_exact_totals() {
        let tender = fixtures::tender(3);
        let review = review_now(&complete(&tender), &tender);
        assert_eq!(codes(&review), vec![]);
        assert!(review.ready);
        // Quantities 1, 2 and the typed 4 (the tender left the last one out).
        let quantities: Vec<_> = review.lines.iter().map(|l| l.quantity.unwrap()).collect();
        assert_eq!(quantities, vec![dec("1"), dec("2"), dec("4")]);
        let totals = review.totals.unwrap();
        assert_eq!(totals.subtotal, dec("8641.50"));
        assert_eq!(totals.iva, dec("1382.64"));
        assert_eq!(totals.total, dec("10024.14"));
        assert_eq!(totals.bid_bond, Some(dec("432.08")));
        assert_eq!(review.seconds_left, Some(5 * 86400 + 8 * 3600));
        // A micro business also declares its size.
        assert_eq!(review.declarations.len(), 3);
        assert!(review.declarations[2].text.contains("micro empresa"));
        assert!(review.declarations[2].text.contains("$1,250,000.50 MXN"));
        assert!(review.declarations[0]
            .text
            .starts_with("Emma Gómez Díaz, con RFC GODE561231GR8"));
    }

    #[test]
    fn bad_prices_and_quantities_are_explained_where_they_are() {
        let tender = fixtures::tender(3);
        let mut draft = complete(&tender);
        let cases = [
            ("1", ItemField::UnitPrice, "", Code::Required),
            ("1", ItemField::UnitPrice, "doce", Code::PriceNotNumber),
            ("1", ItemField::UnitPrice, "-12", Code::PriceNegative),
            ("1", ItemField::UnitPrice, "12,50", Code::PriceDecimalComma),
            (
                "1",
                ItemField::UnitPrice,
                "12.505",
                Code::PriceTooManyDecimals,
            ),
            (
                "1",
                ItemField::UnitPrice,
                "99999999999999",
                Code::PriceTooLarge,
            ),
            ("3", ItemField::Quantity, "2,5", Code::QuantityDecimalComma),
            ("3", ItemField::Quantity, "-2", Code::QuantityNegative),
            ("3", ItemField::Quantity, "", Code::QuantityMissing),
            ("2", ItemField::Offered, " ", Code::Required),
            ("2", ItemField::Delivery, "", Code::Required),
        ];
        for (item, field, typed, code) in cases {
            let kept = draft.item_value(item, field).to_owned();
            draft.items.get_mut(item).unwrap().set(field, typed.into());
            let review = review_now(&draft, &tender);
            assert_eq!(
                codes(&review),
                vec![(code, Some(item), Some(field))],
                "{typed:?}"
            );
            assert!(!review.ready);
            // The other lines still add up.
            assert!(review.totals.is_some());
            draft.items.get_mut(item).unwrap().set(field, kept);
        }
        // A quantity typed for an item whose quantity the tender states is ignored.
        draft
            .items
            .get_mut("1")
            .unwrap()
            .set(ItemField::Quantity, "nada".into());
        assert!(review_now(&draft, &tender).ready);
    }

    #[test]
    fn price_validity_must_be_whole_days() {
        let tender = fixtures::tender(1);
        let mut draft = complete(&tender);
        for (typed, expected) in [
            ("90", None),
            ("365", None),
            ("", Some(Code::Required)),
            ("0", Some(Code::ValidityDaysNotNumber)),
            ("366", Some(Code::ValidityDaysNotNumber)),
            ("90.5", Some(Code::ValidityDaysNotNumber)),
            ("noventa", Some(Code::ValidityDaysNotNumber)),
        ] {
            draft.price_validity_days = typed.into();
            let review = review_now(&draft, &tender);
            assert_eq!(review.issues.first().map(|i| i.code), expected, "{typed:?}");
        }
    }

    #[test]
    fn absurd_totals_give_a_message_not_a_panic() {
        let mut tender = fixtures::tender(2);
        for item in &mut tender.items {
            item.quantity = Some(Decimal::MAX);
        }
        let review = review_now(&complete(&tender), &tender);
        assert_eq!(review.totals, None);
        assert!(review.issues.iter().any(|i| i.code == Code::BidTooLarge));
        assert!(!review.ready);
    }

    #[test]
    fn the_deadline_is_judged_at_the_second() {
        let tender = fixtures::tender(1);
        let business = fixtures::business();
        let draft = complete(&tender);
        let deadline = tender.deadline.unwrap();
        let on_time = review_bid(&draft, &tender, &bidder(&business), deadline);
        assert!(on_time.ready);
        assert_eq!(on_time.seconds_left, Some(0));
        let late = deadline + Duration::seconds(1);
        let review = review_bid(&draft, &tender, &bidder(&business), late);
        assert_eq!(review.seconds_left, Some(-1));
        assert_eq!(codes(&review), vec![(Code::DeadlinePassed, None, None)]);
        match freeze(&draft, &tender, &bidder(&business), &[], late) {
            Err(FreezeError::NotReady(issues)) => {
                assert_eq!(issues[0].code, Code::DeadlinePassed)
            }
            other => panic!("froze a late bid: {other:?}"),
        }
        assert!(freeze(&draft, &tender, &bidder(&business), &[], deadline).is_ok());
    }

    #[test]
    fn a_moved_tender_needs_review_until_confirmed() {
        let mut tender = fixtures::tender(1);
        let mut draft = complete(&tender);
        tender.release_date += Duration::hours(1);
        let review = review_now(&draft, &tender);
        assert!(review.needs_review);
        assert_eq!(codes(&review), vec![(Code::TenderChanged, None, None)]);
        tender.release_id = "ocds-bj2026-LP-014-02".into();
        draft.release_id = tender.release_id.clone();
        assert!(draft.needs_review(&tender), "the date alone still differs");
        draft.release_date = tender.release_date;
        assert!(review_now(&draft, &tender).ready);

        tender.status = TenderStatus::Withdrawn;
        let review = review_now(&draft, &tender);
        assert_eq!(codes(&review), vec![(Code::TenderWithdrawn, None, None)]);
    }

    #[test]
    fn documents_and_declarations_missing_are_listed() {
        let tender = fixtures::tender(1);
        let business = fixtures::business();
        let profile = Profile::from_draft(&business).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let documents = tender_documents(
            &Catalogue::default_catalogue(),
            &profile,
            &tender,
            today,
            &[],
        );
        assert!(!documents.is_empty());
        let mut draft = complete(&tender);
        draft.accepted = vec![Declaration::NoImpediment];
        let bidder = Bidder {
            draft: &business,
            documents: documents.clone(),
        };
        let review = review_bid(&draft, &tender, &bidder, before_deadline());
        let missing_documents: Vec<_> = review
            .issues
            .iter()
            .filter(|i| i.code == Code::DocumentNotReady)
            .filter_map(|i| i.subject.clone())
            .collect();
        let required: Vec<_> = documents
            .iter()
            .filter(|d| d.required)
            .map(|d| d.code.clone())
            .collect();
        assert_eq!(missing_documents, required);
        let declarations: Vec<_> = review
            .issues
            .iter()
            .filter(|i| i.code == Code::DeclarationNotAccepted)
            .filter_map(|i| i.subject.as_deref())
            .collect();
        assert_eq!(declarations, vec!["no_conflict_of_interest", "mipyme_size"]);

        // A tender listing its requirements narrows the checklist to them.
        let mut narrow = tender.clone();
        narrow.requirements = vec![documents[0].code.clone()];
        let only = tender_documents(
            &Catalogue::default_catalogue(),
            &profile,
            &narrow,
            today,
            &[],
        );
        assert_eq!(
            only.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
            vec![documents[0].code.as_str()]
        );
    }

    #[test]
    fn a_large_business_makes_no_mipyme_declaration() {
        let mut business = fixtures::business();
        business.workers = "900".into();
        business.annual_sales = "900,000,000".into();
        assert_eq!(
            declarations_for(&business),
            vec![Declaration::NoImpediment, Declaration::NoConflictOfInterest]
        );
    }

    #[test]
    fn freezing_is_canonical_with_amounts_as_strings() {
        let tender = fixtures::tender(3);
        let business = fixtures::business();
        let mut draft = complete(&tender);
        draft.annexes.push(Annex {
            item_id: "2".into(),
            sha256: "a".repeat(64),
            name: "ficha técnica.pdf".into(),
        });
        let registered = [DocumentHash {
            requirement: "CSF".into(),
            representative: None,
            sha256: "b".repeat(64),
        }];
        let freeze_now = || {
            freeze(
                &draft,
                &tender,
                &bidder(&business),
                &registered,
                before_deadline(),
            )
            .unwrap()
        };
        let frozen = freeze_now();
        assert_eq!(frozen.total, dec("10024.14"));
        assert_eq!(frozen.submission_id, draft.id);
        assert_eq!(frozen.tenderer_rfc, "GODE561231GR8");
        assert_eq!(
            frozen.documents.len(),
            1,
            "no document of the bidder's checklist was given"
        );
        assert_eq!(frozen.documents[0].requirement, "ANEXO");
        let json: serde_json::Value =
            serde_json::from_str(&frozen.snapshot.canonical_json).unwrap();
        assert_eq!(json["economic"]["total"], "10024.14");
        assert_eq!(json["economic"]["lines"][0]["unit_price"], "1234.50");
        assert_eq!(json["economic"]["lines"][2]["quantity"], "4");
        assert_eq!(json["economic"]["bid_bond"], "432.08");
        assert_eq!(
            json["technical"][1]["annexes"][0]["name"],
            "ficha técnica.pdf"
        );
        // The same facts freeze to the same bytes.
        assert_eq!(freeze_now().snapshot, frozen.snapshot);
    }

    #[test]
    fn a_tender_gone_from_the_catalogue_counts_as_withdrawn() {
        let tender = fixtures::tender(1);
        assert_eq!(current_tender(Some(tender.clone()), &tender), tender);
        let gone = current_tender(None, &tender);
        assert_eq!(gone.status, TenderStatus::Withdrawn);
        assert_eq!(gone.items, tender.items);
    }

    #[test]
    fn field_names_round_trip() {
        for &field in ItemField::all() {
            assert_eq!(ItemField::parse(field.as_str()), Some(field));
        }
        for &declaration in Declaration::all() {
            assert_eq!(Declaration::parse(declaration.as_str()), Some(declaration));
        }
        assert_eq!(ItemField::parse("price"), None);
    }
}
