//! The bid frozen for sending: its canonical snapshot, total and documents by hash.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use super::economic::parse_validity_days;
use super::{review_bid, BidDraft, BidIssue, Bidder, ItemField};
use crate::message::{Code, Severity};
use crate::money;
use crate::snapshot::{self, Snapshot};
use crate::tender::Tender;

/// A registered document sent with the bid, by hash.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct DocumentHash {
    /// The requirement code it answers, or `ANEXO` for an annex.
    pub requirement: String,
    /// The representative it is for, for a per-representative requirement.
    pub representative: Option<String>,
    /// The file's SHA-256, 64 lowercase hex digits.
    pub sha256: String,
}

/// A bid frozen for sending: what a `BidSubmission` carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrozenBid {
    /// The bid's id, also the submission id and idempotency key.
    pub submission_id: String,
    /// The tender's ocid.
    pub ocid: String,
    /// The bidder's RFC, upper case.
    pub tenderer_rfc: String,
    /// The canonical bid as sent, and its hash.
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
    /// Something is missing or wrong; what no edit can mend comes first.
    NotReady(Vec<BidIssue>),
    #[error("the snapshot could not be written: {0}")]
    /// The bid could not be written canonically; the technical detail.
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
