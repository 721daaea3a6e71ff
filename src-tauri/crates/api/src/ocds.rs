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
/// The OCDS extensions the releases use (`tender.bidOpening`, `bids`,
/// `tender.enquiries`), as the URLs of their `extension.json`, for a package's
/// `extensions`.
pub const EXTENSIONS: [&str; 3] = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bidOpening_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json",
];
/// The identifier scheme of a Mexican tax id in `parties[].identifier`.
pub const RFC_SCHEME: &str = "MX-RFC";

/// `GET /v1/tenders`: the releases of every published tender.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePackage {
    /// Where this package is published, as an absolute URI.
    pub uri: String,
    /// The OCDS version the package follows ([`OCDS_VERSION`]).
    pub version: String,
    /// The URLs of the `extension.json` of each OCDS extension its releases use.
    #[serde(default)]
    pub extensions: Vec<String>,
    /// When the package was made.
    pub published_date: DateTime<Utc>,
    /// Who publishes it.
    pub publisher: Publisher,
    /// One release per tender, as it stands now.
    pub releases: Vec<Release>,
}

/// `GET /v1/tenders/{ocid}/record`: one tender's OCDS record.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordPackage {
    /// Where this package is published, as an absolute URI.
    pub uri: String,
    /// The OCDS version the package follows ([`OCDS_VERSION`]).
    pub version: String,
    /// The URLs of the `extension.json` of each OCDS extension its releases use.
    #[serde(default)]
    pub extensions: Vec<String>,
    /// When the package was made.
    pub published_date: DateTime<Utc>,
    /// Who publishes it.
    pub publisher: Publisher,
    /// The tender's record, alone.
    pub records: Vec<Record>,
}

/// Every release of one contracting process and the process as it stands.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// The contracting process id.
    pub ocid: String,
    /// Each change, oldest first: the call for bids, its close, the opening, the award,
    /// the contract.
    pub releases: Vec<Release>,
    /// The releases merged by OCDS's merge rules (tag `compiled`).
    pub compiled_release: Release,
}

/// Who publishes a package: the alcaldía.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Publisher {
    /// The publisher's name.
    pub name: String,
}

/// One tender as it stands now.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    /// The contracting process id, such as `ocds-bj0001-2026-LP-001`.
    pub ocid: String,
    /// This release's id, unique within the process (the ocid with a sequence number).
    pub id: String,
    /// When this release was published.
    pub date: DateTime<Utc>,
    /// `tender`, then `tenderUpdate` once the bids are opened.
    pub tag: Vec<String>,
    /// Always `tender`: the process starts with a call for bids.
    pub initiation_type: String,
    /// The bodies and businesses involved: the buyer, and the tenderers once the bids are opened.
    pub parties: Vec<Organization>,
    /// The buying office, one of `parties`.
    pub buyer: OrganizationReference,
    /// The call for bids.
    pub tender: Tender,
    /// Present once the bids are opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bids: Option<Bids>,
    /// The award (fallo), once decided: a winning bid, or none (`unsuccessful`,
    /// `cancelled`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    /// The contract signed after the award.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<Contract>,
}

/// The decision on a tender (fallo): who won, with which bid and for how much.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Award {
    /// The award's id, unique within the process.
    pub id: String,
    /// `active` with a winner; `unsuccessful` when no bid won; `cancelled` when the
    /// tender was cancelled.
    pub status: String,
    /// When the award was decided.
    pub date: DateTime<Utc>,
    /// The winning bid's total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
    /// The winner, one of `parties`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppliers: Vec<OrganizationReference>,
    /// The winning bid's id in `bids.details` (OCDS bid extension).
    #[serde(rename = "relatedBids", default, skip_serializing_if = "Vec::is_empty")]
    pub related_bids: Vec<String>,
}

/// The contract signed after an award.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    /// The contract's id, unique within the process.
    pub id: String,
    /// The award it follows, in `awards`.
    #[serde(rename = "awardID")]
    pub award_id: String,
    /// `active`: signed and in force.
    pub status: String,
    /// Its total.
    pub value: Money,
    /// When it is in force.
    pub period: Period,
    /// When it was signed.
    pub date_signed: DateTime<Utc>,
}

/// A body or business taking part in a process.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// Its id within the release, by which `buyer` and `tenderers` name it.
    pub id: String,
    /// Its common name.
    pub name: String,
    /// Its legal identifier.
    pub identifier: Identifier,
    /// Such as `buyer`, `procuringEntity`, `tenderer` or `supplier`.
    pub roles: Vec<String>,
    /// For a business: its size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<OrganizationDetails>,
}

/// What OCDS says of a business beyond its identity.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct OrganizationDetails {
    /// OCDS `partyScale` codelist: `micro`, `sme` or `large`.
    pub scale: String,
}

/// A legal identifier of an organization, such as its RFC.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Identifier {
    /// [`RFC_SCHEME`] for a Mexican business or body.
    pub scheme: String,
    /// The identifier in that scheme, such as the RFC.
    pub id: String,
    /// The registered legal name.
    pub legal_name: String,
}

/// A mention of an organization listed in `parties`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct OrganizationReference {
    /// The organization's id in `parties`.
    pub id: String,
    /// Its name, as in `parties`.
    pub name: String,
}

/// The call for bids: what is bought, how and until when.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tender {
    /// The tender's id, such as the procedure's number.
    pub id: String,
    /// What is bought, in a line.
    pub title: String,
    /// What is bought, at length.
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
    /// The estimated total.
    pub value: Money,
    /// What is bought, item by item.
    pub items: Vec<Item>,
    /// Its `endDate` is the submission deadline, judged by the server's clock.
    pub tender_period: Period,
    /// How bids are received: `electronicSubmission`.
    pub submission_method: Vec<String>,
    /// When the bids are opened (OCDS bid opening extension); sealed until then.
    pub bid_opening: BidOpening,
    /// Until when questions are taken (its `endDate`, by the server's clock); a tender
    /// without one takes them until its deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enquiry_period: Option<Period>,
    /// The questions answered so far, oldest first, with their answers (OCDS enquiries
    /// extension); who asked is never published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enquiries: Vec<Enquiry>,
}

/// A question on the tender and the alcaldía's answer (OCDS enquiries extension).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Enquiry {
    /// The question's id, unique within the tender.
    pub id: String,
    /// When it was asked, by the server's clock.
    pub date: DateTime<Utc>,
    /// The question, as asked.
    pub description: String,
    /// The answer, as last given.
    pub answer: String,
    /// When the answer was given or last changed.
    pub date_answered: DateTime<Utc>,
}

/// A span of time.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// When it starts.
    pub start_date: DateTime<Utc>,
    /// When it ends.
    pub end_date: DateTime<Utc>,
}

/// When and where the bids are opened (OCDS bid opening extension).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct BidOpening {
    /// When the bids are opened.
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

/// One thing bought, with its quantity.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Item {
    /// Its id within the tender, which a bid's lines name.
    pub id: String,
    /// What it is.
    pub description: String,
    /// An exact decimal, as a JSON number such as `0.125`.
    #[serde(with = "exact")]
    #[schema(value_type = f64)]
    pub quantity: Decimal,
    /// The unit the quantity counts.
    pub unit: Unit,
    /// Its code in a catalogue of goods and services.
    pub classification: Classification,
}

/// A unit of measure.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Unit {
    /// Its name, such as `pieza`.
    pub name: String,
}

/// An item's code in a catalogue of goods and services.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Classification {
    /// Such as `CUCOP` (the federal catalogue of goods and services).
    pub scheme: String,
    /// The code in that catalogue.
    pub id: String,
    /// The catalogue's description of the code.
    pub description: String,
}

/// The bids of a tender, published once they are opened.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct Bids {
    /// One entry per bid received.
    pub details: Vec<BidDetail>,
}

/// A bid as published once the bids are opened.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, ToSchema)]
pub struct BidDetail {
    /// The bid's id.
    pub id: String,
    /// When the bid was received.
    pub date: DateTime<Utc>,
    /// `valid` for a bid received on time.
    pub status: String,
    /// Who bid.
    pub tenderers: Vec<OrganizationReference>,
    /// The bid's total.
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

    /// Writes the decimal as a JSON number from its own text.
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
