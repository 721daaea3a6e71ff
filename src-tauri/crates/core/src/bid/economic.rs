//! The economic part: each item's price and quantity as far as they can be read, and
//! the totals.

use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

use super::{BidDraft, BidIssue, ItemField, Tab};
use crate::message::Code;
use crate::money::{self, NumberProblem, Totals};
use crate::tender::{Tender, TenderItem};

const MAX_PRICE_VALIDITY_DAYS: u32 = 365;

/// One line of the economic part, as far as it can be read.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Line {
    /// The tender item the line prices.
    pub item_id: String,
    #[ts(type = "string | null")]
    /// The tender's quantity, else the one typed; `None` until it can be read.
    pub quantity: Option<Decimal>,
    #[ts(type = "string | null")]
    /// The unit price before IVA; `None` until it can be read.
    pub unit_price: Option<Decimal>,
    /// `None` until both the price and the quantity can be read.
    #[ts(type = "string | null")]
    pub subtotal: Option<Decimal>,
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

/// The days the prices hold, as typed: between 1 and a year.
pub(super) fn parse_validity_days(text: &str) -> Result<u32, Code> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Code::Required);
    }
    text.parse::<u32>()
        .ok()
        .filter(|days| (1..=MAX_PRICE_VALIDITY_DAYS).contains(days))
        .ok_or(Code::ValidityDaysNotNumber)
}
