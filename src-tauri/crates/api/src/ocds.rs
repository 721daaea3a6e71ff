//! Tenders as open data: the minimal shapes of the Open Contracting Data Standard 1.1
//! that Ventanilla reads and writes, with OCDS's own (camelCase) names. Amounts are
//! exact decimals written as strings, never floating point.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
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
    /// Exact decimal, as a string of digits with at most one point (`"125000.50"`).
    #[serde(deserialize_with = "plain_decimal")]
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

/// Whether `text` is a decimal written out in digits: an optional minus sign, digits,
/// and an optional point followed by digits. Exponents (`1e10`), a leading `+`, spaces
/// and bare points are not: an amount must read the same to people and to programs.
pub fn is_plain_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// An amount as [`is_plain_decimal`] text (the default reading of a decimal would take
/// `"1e10"` as ten thousand million).
fn plain_decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    use serde::de::Error;
    let text = String::deserialize(deserializer)?;
    if !is_plain_decimal(&text) {
        return Err(D::Error::custom(format!(
            "el importe «{text}» debe escribirse como texto con dígitos y, si lleva \
             centavos, un punto (por ejemplo \"125000.50\"), sin exponentes como 1e10"
        )));
    }
    text.parse().map_err(|_| {
        D::Error::custom(format!(
            "el importe «{text}» es demasiado grande o tiene demasiados decimales"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Result<Decimal, serde_json::Error> {
        let json = serde_json::json!({"amount": text, "currency": "MXN"});
        serde_json::from_value::<Value>(json).map(|v| v.amount)
    }

    #[test]
    fn amounts_are_read_only_from_plain_decimal_text() {
        assert_eq!(amount("125000.50").ok(), "125000.50".parse().ok());
        assert_eq!(amount("-3").ok(), Some(Decimal::from(-3)));
        for refused in [
            "1e10", "1E10", "1.5e3", "+5", " 5", "5.", ".5", "", "1_000", "NaN",
        ] {
            let error = amount(refused)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains("importe"), "{refused:?} accepted: {error}");
        }
        let number = serde_json::json!({"amount": 5, "currency": "MXN"});
        assert!(serde_json::from_value::<Value>(number).is_err());
        let written = serde_json::to_value(Value {
            amount: "10000000000".parse().unwrap_or_default(),
            currency: "MXN".to_owned(),
        })
        .unwrap_or_default();
        assert_eq!(written["amount"], "10000000000");
    }
}
