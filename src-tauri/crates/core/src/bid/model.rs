//! The bid as the owner types it: the items' fields, the annexes and the draft itself.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Declaration;
use crate::message::enum_with_all;
use crate::tender::{Tender, TenderStatus};

/// Price validity when the owner has not typed one, a common figure in tenders.
pub const DEFAULT_PRICE_VALIDITY_DAYS: &str = "90";

enum_with_all! {
    /// What the owner types for one item of the tender.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
    #[derive(strum::IntoStaticStr, strum::EnumString)]
    #[serde(rename_all = "snake_case")]
    #[strum(serialize_all = "snake_case")]
    pub enum ItemField {
        /// What is offered, in the owner's words.
        Offered,
        /// Brand and model of what is offered.
        BrandModel,
        /// Delivery time, such as `10 días hábiles`.
        Delivery,
        /// The warranty offered.
        Warranty,
        /// The unit price before IVA, in pesos.
        UnitPrice,
        /// Only asked when the tender does not state the item's quantity.
        Quantity,
    }
}

impl ItemField {
    /// The field's stable name, the same as its serialized form (`brand_model`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The field named `s` (see [`ItemField::as_str`]).
    pub fn parse(s: &str) -> Option<ItemField> {
        s.parse().ok()
    }
}

/// What the owner typed for one item, as typed.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct ItemDraft {
    /// What is offered, in the owner's words.
    pub offered: String,
    /// Brand and model of what is offered.
    pub brand_model: String,
    /// Delivery time, such as `10 días hábiles`.
    pub delivery: String,
    /// The warranty offered.
    pub warranty: String,
    /// The unit price before IVA, in pesos, as typed.
    pub unit_price: String,
    /// The quantity, as typed; only asked when the tender leaves it out.
    pub quantity: String,
}

impl ItemDraft {
    /// The text typed for `field`.
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

    /// Stores the text typed for `field`.
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
    /// The tender item it belongs to.
    pub item_id: String,
    /// The file's SHA-256, its name in the vault.
    pub sha256: String,
    /// The file's name as the owner chose it.
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
    /// The date of that release.
    pub release_date: DateTime<Utc>,
    /// By tender item id; items never typed into are absent.
    pub items: BTreeMap<String, ItemDraft>,
    /// Days the prices hold, as typed.
    pub price_validity_days: String,
    /// The declarations the owner confirmed.
    pub accepted: Vec<Declaration>,
    /// The files annexed to items.
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
