//! Tenders as open data: the minimal shapes of the Open Contracting Data Standard 1.1
//! that Ventanilla reads and writes, with OCDS's own (camelCase) names. They validate
//! against the official OCDS 1.1.5 schemas (a server test checks every kind of
//! document published). Amounts and quantities are JSON numbers written from the
//! exact decimal's own text and read back from it (see [`exact`]), never through
//! floating point.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The OCDS version these shapes follow.
pub const OCDS_VERSION: &str = "1.1";
/// The OCDS extensions the releases use (`tender.bidOpening`, `bids`), as the URLs of
/// their `extension.json`, for a package's `extensions`.
pub const EXTENSIONS: [&str; 2] = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bidOpening_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
];
/// The identifier scheme of a Mexican tax id in `parties[].identifier`.
pub const RFC_SCHEME: &str = "MX-RFC";

/// `GET /v1/tenders`: the releases of every published tender.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePackage {
    /// Where this package is published, as an absolute URI.
    pub uri: String,
    pub version: String,
    /// The URLs of the `extension.json` of each OCDS extension its releases use.
    #[serde(default)]
    pub extensions: Vec<String>,
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
    pub value: Money,
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
// OCDS calls it `Value`, the name the schema keeps; a Rust type of that name would read
// to the OpenAPI generator as "any JSON".
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[schema(as = Value)]
pub struct Money {
    /// An exact decimal, as a JSON number in plain digits such as `845000.50` (no
    /// exponent).
    #[serde(with = "exact")]
    #[schema(value_type = f64)]
    pub amount: Decimal,
    /// ISO 4217, `MXN`.
    pub currency: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Item {
    pub id: String,
    pub description: String,
    /// An exact decimal, as a JSON number such as `0.125`.
    #[serde(with = "exact")]
    #[schema(value_type = f64)]
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
    pub value: Money,
}

/// A decimal as a JSON number written from its own text (`1234567890123.45` stays
/// exactly that, where `f64` would not), and read back from a number's own text or
/// from a string holding one (as amounts were written before), never through `f64`.
///
/// Local to these fields on purpose: serde_json's `arbitrary_precision` feature would
/// do the same but changes every `serde_json::Number` in the workspace. Both need
/// serde_json itself as the (de)serializer, which is the only one these types meet.
pub mod exact {
    use rust_decimal::Decimal;
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::value::RawValue;

    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        // A decimal's text never has an exponent or a sign other than `-`: a JSON number.
        RawValue::from_string(value.to_string())
            .map_err(S::Error::custom)?
            .serialize(serializer)
    }

    /// A JSON number, or for what was sent before amounts were numbers a string holding
    /// one, written in [`super::is_plain_decimal`] digits: the default reading of a
    /// decimal would take `1e10` as ten thousand million.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let json = raw.get().trim();
        let text = match json.strip_prefix('"') {
            Some(_) => serde_json::from_str::<String>(json).map_err(D::Error::custom)?,
            None => json.to_owned(),
        };
        if !super::is_plain_decimal(&text) {
            return Err(D::Error::custom(format!(
                "el importe «{text}» debe escribirse con dígitos y, si lleva centavos, un \
                 punto (por ejemplo 125000.50), sin exponentes como 1e10"
            )));
        }
        Decimal::from_str_exact(&text).map_err(|_| {
            D::Error::custom(format!(
                "el importe «{text}» es demasiado grande o tiene demasiados decimales"
            ))
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(json: &str) -> Result<Decimal, serde_json::Error> {
        serde_json::from_str::<Money>(&format!(r#"{{"amount": {json}, "currency": "MXN"}}"#))
            .map(|v| v.amount)
    }

    #[test]
    fn amounts_are_read_only_from_plain_decimal_digits() {
        assert_eq!(amount("125000.50").ok(), "125000.50".parse().ok());
        assert_eq!(amount(r#""125000.50""#).ok(), "125000.50".parse().ok());
        assert_eq!(amount("-3").ok(), Some(Decimal::from(-3)));
        for refused in [
            "1e10",
            "1E10",
            "1.5e3",
            "-0.5e2",
            r#""1e10""#,
            r#""+5""#,
            r#"" 5""#,
            r#""5.""#,
            r#"".5""#,
            r#""""#,
            r#""1_000""#,
            r#""NaN""#,
        ] {
            let error = amount(refused)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains("importe"), "{refused:?} accepted: {error}");
        }
        let written = serde_json::to_string(&Money {
            amount: "10000000000.50".parse().unwrap_or_default(),
            currency: "MXN".to_owned(),
        })
        .unwrap_or_default();
        assert_eq!(written, r#"{"amount":10000000000.50,"currency":"MXN"}"#);
    }
}
