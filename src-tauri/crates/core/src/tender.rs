//! A tender (convocatoria) as Ventanilla understands it, whatever OCDS publisher it came
//! from: the facts a bid is prepared against. Parsing OCDS into it, the catalogue and the
//! bid wizard all speak this one shape.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The procedure under Mexico City's procurement law (OCDS `procurementMethod`).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
// The checklist has its own `Procedure`; TypeScript has one namespace for both.
#[ts(rename = "TenderProcedure")]
pub enum Procedure {
    /// Licitación pública (OCDS `open`).
    Licitacion,
    /// Invitación restringida a cuando menos tres proveedores (OCDS `selective`).
    Invitacion,
    /// Adjudicación directa (OCDS `limited`).
    Adjudicacion,
}

/// Where a tender stands (OCDS `tender.status`, reduced to what a bidder needs).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum TenderStatus {
    /// Published, may not yet take bids (`planning`, `planned`).
    Planned,
    /// Takes bids until its deadline (`active`).
    Active,
    /// Withdrawn by the buyer (`cancelled`, `withdrawn`, `unsuccessful`).
    Withdrawn,
    /// Bids closed or awarded (`complete`).
    Complete,
}

/// One thing the buyer asks for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct TenderItem {
    /// The item's id within the tender, stable across amendments.
    pub id: String,
    /// What is asked for, in the buyer's words.
    pub description: String,
    /// Exact; `None` when the publisher left it out.
    #[ts(type = "string | null")]
    pub quantity: Option<Decimal>,
    /// Such as `pieza`, `servicio`, `litro`.
    pub unit: String,
    /// Such as `CUCOP 21101` (scheme and id), or empty.
    pub classification: String,
}

/// A document the buyer published with the tender (bases, annexes).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct TenderDocument {
    /// What the document is, as published.
    pub title: String,
    /// Where to read it, as published; never fetched by the webview.
    pub url: String,
}

/// A question on the tender and the buyer's answer, as published (OCDS enquiries
/// extension): public, without who asked.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct TenderEnquiry {
    /// The question's id within the tender; a question this business asked has its
    /// submission's id.
    pub id: String,
    /// When it was asked.
    #[ts(type = "string | null")]
    pub asked_at: Option<DateTime<Utc>>,
    /// The question, as asked.
    pub question: String,
    /// The answer, as last given.
    pub answer: String,
    /// When the answer was given or last changed.
    #[ts(type = "string | null")]
    pub answered_at: Option<DateTime<Utc>>,
}

/// How a tender was decided (its fallo), as published in OCDS `awards`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum AwardStatus {
    /// A bid won (`active`, or `pending` before the contract).
    Won,
    /// No bid won: desierta (`unsuccessful`).
    Unsuccessful,
    /// The tender was cancelled (`cancelled`).
    Cancelled,
}

/// The award (fallo) of a tender and its contract, as published.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct TenderAward {
    /// Who won, or that none did.
    pub status: AwardStatus,
    /// When it was decided.
    #[ts(type = "string | null")]
    pub date: Option<DateTime<Utc>>,
    /// The winning bids' ids (OCDS `relatedBids`): a bid this business sent has its
    /// submission's id.
    pub bid_ids: Vec<String>,
    /// The winners: each one's RFC when published, else its name.
    pub suppliers: Vec<String>,
    /// The awarded amount in MXN, when published.
    #[ts(type = "string | null")]
    pub amount: Option<Decimal>,
    /// The signed contract's amount in MXN, once there is one.
    #[ts(type = "string | null")]
    pub contract_amount: Option<Decimal>,
}

/// What the award means for one bid.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum BidOutcome {
    /// The bid won ("ganó").
    Won,
    /// Another bid won ("no ganó").
    Lost,
    /// No bid won ("desierta").
    Deserted,
    /// The tender was cancelled.
    Cancelled,
}

impl TenderAward {
    /// What the award means for the bid `bid_id`; a bid never sent neither won nor
    /// lost (`sent` false), though a tender deserted or cancelled is so for it too.
    pub fn outcome_for(&self, bid_id: &str, sent: bool) -> Option<BidOutcome> {
        match self.status {
            AwardStatus::Won if self.bid_ids.iter().any(|id| id == bid_id) => Some(BidOutcome::Won),
            AwardStatus::Won => sent.then_some(BidOutcome::Lost),
            AwardStatus::Unsuccessful => Some(BidOutcome::Deserted),
            AwardStatus::Cancelled => Some(BidOutcome::Cancelled),
        }
    }
}

/// A tender, as of its latest release.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Tender {
    /// The contracting process id (OCDS `ocid`): the tender's identity everywhere.
    pub ocid: String,
    /// The latest release's id and date: a change of either after a bid was prepared
    /// means the tender moved and the bid needs review.
    pub release_id: String,
    #[ts(type = "string")]
    /// When the latest release was published.
    pub release_date: DateTime<Utc>,
    /// The tender's title, else its description, else its ocid.
    pub title: String,
    /// The tender's description, as published.
    pub description: String,
    /// The buyer or procuring unit's name.
    pub buyer: String,
    /// The kind of procedure, when the publisher says.
    pub procedure: Option<Procedure>,
    /// Whether it takes bids.
    pub status: TenderStatus,
    /// `goods`, `services`, `works`, or empty.
    pub category: String,
    /// The submission deadline (OCDS `tenderPeriod.endDate`), judged by the server.
    #[ts(type = "string | null")]
    pub deadline: Option<DateTime<Utc>>,
    /// When bids are opened.
    #[ts(type = "string | null")]
    pub opening: Option<DateTime<Utc>>,
    /// The estimated value in MXN, when published.
    #[ts(type = "string | null")]
    pub value: Option<Decimal>,
    /// The bid bond (garantía de sostenimiento) as a fraction of the pre-tax amount,
    /// such as 0.05; `None` when the tender asks for none.
    #[ts(type = "string | null")]
    pub bid_bond_rate: Option<Decimal>,
    /// What the buyer asks for, in the tender's order.
    pub items: Vec<TenderItem>,
    /// The documents published with it.
    pub documents: Vec<TenderDocument>,
    /// Requirement codes of the document catalogue the tender asks for, such as
    /// `EDOS_FIN`; empty means the catalogue's rules for its procedure.
    pub requirements: Vec<String>,
    /// Until when questions are taken (OCDS `enquiryPeriod.endDate`); `None`: until the
    /// deadline.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub enquiry_end: Option<DateTime<Utc>>,
    /// The questions answered so far, as published.
    #[serde(default)]
    pub enquiries: Vec<TenderEnquiry>,
    /// The award and contract, once decided.
    #[serde(default)]
    pub award: Option<TenderAward>,
}

/// Whether a tender takes bids at `now` by the caller's clock: active with its deadline
/// strictly ahead (the server decides at submission).
pub fn is_open(status: TenderStatus, deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == TenderStatus::Active && deadline.is_some_and(|d| d > now)
}

impl Tender {
    /// Until when questions are taken: the enquiry period's end, never after the
    /// deadline; `None` when the tender has neither.
    pub fn questions_until(&self) -> Option<DateTime<Utc>> {
        match (self.enquiry_end, self.deadline) {
            (Some(end), Some(deadline)) => Some(end.min(deadline)),
            (end, deadline) => end.or(deadline),
        }
    }

    /// Whether a question may be asked at `now` (this computer's clock; the server's
    /// decides): the tender takes bids and its enquiry period has not ended.
    pub fn takes_questions(&self, now: DateTime<Utc>) -> bool {
        self.status == TenderStatus::Active
            && self.award.is_none()
            && self.questions_until().is_none_or(|until| now <= until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award(status: AwardStatus) -> TenderAward {
        TenderAward {
            status,
            date: None,
            bid_ids: vec!["b1".to_owned()],
            suppliers: Vec::new(),
            amount: None,
            contract_amount: None,
        }
    }

    #[test]
    fn an_award_tells_each_bid_whether_it_won() {
        let won = award(AwardStatus::Won);
        assert_eq!(won.outcome_for("b1", true), Some(BidOutcome::Won));
        assert_eq!(won.outcome_for("b2", true), Some(BidOutcome::Lost));
        assert_eq!(won.outcome_for("b2", false), None, "a draft never sent");
        let deserted = award(AwardStatus::Unsuccessful);
        assert_eq!(deserted.outcome_for("b2", true), Some(BidOutcome::Deserted));
        let cancelled = award(AwardStatus::Cancelled);
        assert_eq!(
            cancelled.outcome_for("b2", false),
            Some(BidOutcome::Cancelled)
        );
    }
}
