//! Tenders as open data: the minimal shapes of the Open Contracting Data Standard 1.1
//! that Ventanilla reads and writes, with OCDS's own (camelCase) names. Amounts are
//! exact decimals written as strings, never floating point.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The OCDS version these shapes follow.
pub const OCDS_VERSION: &str = "1.1";
/// The identifier scheme of a Mexican tax id in `parties[].identifier`.
pub const RFC_SCHEME: &str = "MX-RFC";

/// `GET /v1/tenders`: the releases of every published tender.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePackage {
    pub uri: String,
    pub version: String,
    pub published_date: DateTime<Utc>,
    pub publisher: Publisher,
    pub releases: Vec<Release>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Publisher {
    pub name: String,
}

/// One tender as it stands now.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    /// The contracting process id, such as `ocds-bj0001-2026-LP-001`.
    pub ocid: String,
    pub id: String,
    pub date: DateTime<Utc>,
    /// `tender`, then `tenderUpdate` once the bids are opened.
    pub tag: Vec<String>,
    pub initiation_type: String,
    pub parties: Vec<Organization>,
    pub buyer: OrganizationReference,
    pub tender: Tender,
    /// Present once the bids are opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bids: Option<Bids>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub identifier: Identifier,
    /// Such as `buyer`, `procuringEntity` or `tenderer`.
    pub roles: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Identifier {
    /// [`RFC_SCHEME`] for a Mexican business or body.
    pub scheme: String,
    pub id: String,
    pub legal_name: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct OrganizationReference {
    pub id: String,
    pub name: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tender {
    pub id: String,
    pub title: String,
    pub description: String,
    /// `active` while it takes bids, `complete` after.
    pub status: String,
    /// `open` (licitación pública), `selective` (invitación restringida) or `limited`
    /// (adjudicación directa).
    pub procurement_method: String,
    /// The procedure's name under Mexico City's law, in Spanish.
    pub procurement_method_details: String,
    /// `goods`, `services` or `works`.
    pub main_procurement_category: String,
    pub value: Value,
    pub items: Vec<Item>,
    /// Its `endDate` is the submission deadline, judged by the server's clock.
    pub tender_period: Period,
    pub submission_method: Vec<String>,
    /// When the bids are opened (OCDS bid opening extension); sealed until then.
    pub bid_opening: BidOpening,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct BidOpening {
    pub date: DateTime<Utc>,
}

/// An amount of money.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Value {
    /// Exact decimal, as a string.
    pub amount: Decimal,
    /// ISO 4217, `MXN`.
    pub currency: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Item {
    pub id: String,
    pub description: String,
    pub quantity: Decimal,
    pub unit: Unit,
    pub classification: Classification,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Unit {
    pub name: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Classification {
    /// Such as `CUCOP` (the federal catalogue of goods and services).
    pub scheme: String,
    pub id: String,
    pub description: String,
}

/// The bids of a tender, published once they are opened.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Bids {
    pub details: Vec<BidDetail>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct BidDetail {
    pub id: String,
    pub date: DateTime<Utc>,
    /// `valid` for a bid received on time.
    pub status: String,
    pub tenderers: Vec<OrganizationReference>,
    pub value: Value,
}
