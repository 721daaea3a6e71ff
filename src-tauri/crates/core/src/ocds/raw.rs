//! The OCDS fields Ventanilla reads, as publishers write them: every one optional,
//! amounts kept as their JSON text so they are read exactly.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// Text that some publishers write as a number (ids) or leave `null`.
#[derive(Default, Debug)]
pub(super) struct Text(pub(super) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.trim().to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text::default())
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

pub(super) fn text(value: &Option<Text>) -> &str {
    value.as_ref().map_or("", |t| t.0.as_str())
}

pub(super) fn list<T>(value: Option<Vec<T>>) -> Vec<T> {
    value.unwrap_or_default()
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawRecord<'a> {
    pub(super) ocid: Option<Text>,
    #[serde(borrow)]
    pub(super) releases: Option<Vec<&'a RawValue>>,
    #[serde(borrow)]
    pub(super) compiled_release: Option<RawRelease<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawRelease<'a> {
    pub(super) ocid: Option<Text>,
    pub(super) id: Option<Text>,
    pub(super) date: Option<Text>,
    #[serde(borrow)]
    pub(super) tender: Option<RawTender<'a>>,
    pub(super) buyer: Option<RawParty>,
    pub(super) parties: Option<Vec<RawParty>>,
    #[serde(borrow)]
    pub(super) awards: Option<Vec<RawAward<'a>>>,
    #[serde(borrow)]
    pub(super) contracts: Option<Vec<RawContract<'a>>>,
    /// Set on a linked release inside a record: a pointer, not a release.
    pub(super) url: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawParty {
    pub(super) id: Option<Text>,
    pub(super) name: Option<Text>,
    pub(super) roles: Option<Vec<Text>>,
    pub(super) identifier: Option<RawIdentifier>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawIdentifier {
    pub(super) scheme: Option<Text>,
    pub(super) id: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawEnquiry {
    pub(super) id: Option<Text>,
    pub(super) date: Option<Text>,
    pub(super) title: Option<Text>,
    pub(super) description: Option<Text>,
    pub(super) answer: Option<Text>,
    pub(super) date_answered: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawAward<'a> {
    pub(super) status: Option<Text>,
    pub(super) date: Option<Text>,
    #[serde(borrow)]
    pub(super) value: Option<RawAmount<'a>>,
    pub(super) suppliers: Option<Vec<RawParty>>,
    #[serde(rename = "relatedBids")]
    pub(super) related_bids: Option<Vec<Text>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawContract<'a> {
    pub(super) status: Option<Text>,
    #[serde(borrow)]
    pub(super) value: Option<RawAmount<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawTender<'a> {
    pub(super) id: Option<Text>,
    pub(super) title: Option<Text>,
    pub(super) description: Option<Text>,
    pub(super) status: Option<Text>,
    pub(super) procurement_method: Option<Text>,
    pub(super) procurement_method_details: Option<Text>,
    pub(super) main_procurement_category: Option<Text>,
    #[serde(borrow)]
    pub(super) value: Option<RawAmount<'a>>,
    #[serde(borrow)]
    pub(super) items: Option<Vec<RawItem<'a>>>,
    pub(super) tender_period: Option<RawPeriod>,
    pub(super) bid_opening: Option<RawPeriod>,
    pub(super) documents: Option<Vec<RawDocument>>,
    pub(super) procuring_entity: Option<RawParty>,
    #[serde(borrow)]
    pub(super) bid_bond: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(super) guarantees: Option<Vec<RawGuarantee<'a>>>,
    pub(super) criteria: Option<Vec<RawCriterion>>,
    pub(super) enquiry_period: Option<RawPeriod>,
    pub(super) enquiries: Option<Vec<RawEnquiry>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawAmount<'a> {
    #[serde(borrow)]
    pub(super) amount: Option<&'a RawValue>,
    pub(super) currency: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawItem<'a> {
    pub(super) id: Option<Text>,
    pub(super) description: Option<Text>,
    #[serde(borrow)]
    pub(super) quantity: Option<&'a RawValue>,
    pub(super) unit: Option<RawUnit>,
    pub(super) classification: Option<RawClassification>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawUnit {
    pub(super) id: Option<Text>,
    pub(super) name: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawClassification {
    pub(super) scheme: Option<Text>,
    pub(super) id: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawPeriod {
    pub(super) start_date: Option<Text>,
    pub(super) end_date: Option<Text>,
    /// The bid opening extension's single date.
    pub(super) date: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawDocument {
    pub(super) title: Option<Text>,
    pub(super) url: Option<Text>,
    pub(super) document_type: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawGuarantee<'a> {
    #[serde(rename = "type")]
    pub(super) kind: Option<Text>,
    #[serde(borrow)]
    pub(super) rate: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct RawCriterion {
    pub(super) requirement_groups: Option<Vec<RawRequirementGroup>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawRequirementGroup {
    pub(super) requirements: Option<Vec<RawParty>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct RawRate<'a> {
    #[serde(borrow)]
    pub(super) rate: Option<&'a RawValue>,
}
