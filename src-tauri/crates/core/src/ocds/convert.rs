//! From the raw fields to a [`Tender`]: which release of a record counts, the buyer,
//! the procedure and status, exact amounts and instants read as publishers write them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde_json::value::RawValue;

use super::raw::{
    list, text, RawAmount, RawAward, RawContract, RawGuarantee, RawParty, RawRate, RawRecord,
    RawRelease,
};
use super::SkipReason;
use crate::tender::{
    AwardStatus, Procedure, Tender, TenderAward, TenderDocument, TenderEnquiry, TenderItem,
    TenderStatus,
};

impl RawRecord<'_> {
    /// Its compiled release, else the latest of its embedded releases.
    pub(super) fn tender(self) -> Result<Tender, (Option<String>, SkipReason)> {
        if let Some(compiled) = self.compiled_release {
            return compiled.tender();
        }
        let mut latest: Option<Tender> = None;
        let mut first_problem = None;
        for raw in list(self.releases) {
            let read = serde_json::from_str::<RawRelease>(raw.get())
                .map_err(|e| (None, SkipReason::Malformed(e.to_string())))
                .and_then(|release| {
                    if release.is_linked() {
                        Err((None, SkipReason::NoTender))
                    } else {
                        release.tender()
                    }
                });
            match read {
                Ok(t)
                    if latest
                        .as_ref()
                        .is_none_or(|l| t.release_date >= l.release_date) =>
                {
                    latest = Some(t)
                }
                Ok(_) => {}
                Err(problem) => {
                    first_problem.get_or_insert(problem);
                }
            }
        }
        let ocid = Some(text(&self.ocid).to_owned()).filter(|o| !o.is_empty());
        latest.ok_or_else(|| match first_problem {
            Some((found, reason)) => (found.or(ocid), reason),
            None => (ocid, SkipReason::NoTender),
        })
    }
}

impl RawRelease<'_> {
    pub(super) fn is_linked(&self) -> bool {
        self.url.is_some() && self.ocid.is_none() && self.tender.is_none()
    }

    pub(super) fn tender(self) -> Result<Tender, (Option<String>, SkipReason)> {
        let ocid = text(&self.ocid).to_owned();
        if ocid.is_empty() {
            return Err((None, SkipReason::NoOcid));
        }
        let known = Some(ocid.clone());
        self.convert(ocid).map_err(|reason| (known, reason))
    }

    fn convert(self, ocid: String) -> Result<Tender, SkipReason> {
        let tender = self.tender.ok_or(SkipReason::NoTender)?;
        let release_date = instant("date", text(&self.date))?.ok_or(SkipReason::BadDate {
            field: "date",
            text: String::new(),
        })?;
        let parties = list(self.parties);
        let buyer = buyer_name(
            self.buyer.as_ref(),
            &parties,
            tender.procuring_entity.as_ref(),
        );
        let period = tender.tender_period.unwrap_or_default();
        let currency = tender.value.as_ref().map_or("", |v| text(&v.currency));
        // Only pesos are a value a Mexican bidder can compare with; others are left out.
        let value = match &tender.value {
            Some(v) if currency.is_empty() || currency.eq_ignore_ascii_case("MXN") => {
                number("tender.value.amount", v.amount)?
            }
            _ => None,
        };
        let items = list(tender.items)
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let unit = item.unit.unwrap_or_default();
                let class = item.classification.unwrap_or_default();
                Ok(TenderItem {
                    id: Some(text(&item.id).to_owned())
                        .filter(|id| !id.is_empty())
                        .unwrap_or_else(|| (i + 1).to_string()),
                    description: text(&item.description).to_owned(),
                    quantity: number(&format!("tender.items[{i}].quantity"), item.quantity)?,
                    unit: Some(text(&unit.name))
                        .filter(|n| !n.is_empty())
                        .unwrap_or(text(&unit.id))
                        .to_owned(),
                    classification: format!("{} {}", text(&class.scheme), text(&class.id))
                        .trim()
                        .to_owned(),
                })
            })
            .collect::<Result<Vec<_>, SkipReason>>()?;
        let documents = list(tender.documents)
            .into_iter()
            .map(|d| TenderDocument {
                title: [text(&d.title), text(&d.document_type), text(&d.url)]
                    .into_iter()
                    .find(|t| !t.is_empty())
                    .unwrap_or_default()
                    .to_owned(),
                url: text(&d.url).to_owned(),
            })
            .collect();
        let mut requirements: Vec<String> = Vec::new();
        for criterion in list(tender.criteria) {
            for group in list(criterion.requirement_groups) {
                for requirement in list(group.requirements) {
                    let id = text(&requirement.id);
                    if is_catalogue_code(id) && !requirements.iter().any(|r| r == id) {
                        requirements.push(id.to_owned());
                    }
                }
            }
        }
        // A question without an answer, or unreadable, is left out; the tender is kept.
        let enquiries = list(tender.enquiries)
            .into_iter()
            .filter_map(|e| {
                let question = [text(&e.description), text(&e.title)]
                    .into_iter()
                    .find(|t| !t.is_empty())?
                    .to_owned();
                let answer = text(&e.answer);
                (!answer.is_empty()).then(|| TenderEnquiry {
                    id: text(&e.id).to_owned(),
                    asked_at: instant("tender.enquiries.date", text(&e.date))
                        .ok()
                        .flatten(),
                    question,
                    answer: answer.to_owned(),
                    answered_at: instant("tender.enquiries.dateAnswered", text(&e.date_answered))
                        .ok()
                        .flatten(),
                })
            })
            .collect();
        let enquiry_end = instant(
            "tender.enquiryPeriod.endDate",
            text(&tender.enquiry_period.unwrap_or_default().end_date),
        )?;
        let award = award(list(self.awards), list(self.contracts), &parties)?;
        let title = [text(&tender.title), text(&tender.description), &ocid]
            .into_iter()
            .find(|t| !t.is_empty())
            .unwrap_or_default()
            .to_owned();
        Ok(Tender {
            release_id: Some(text(&self.id).to_owned())
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| text(&tender.id).to_owned()),
            release_date,
            title,
            description: text(&tender.description).to_owned(),
            buyer,
            procedure: procedure(
                text(&tender.procurement_method),
                text(&tender.procurement_method_details),
            ),
            status: status(text(&tender.status))?,
            category: category(text(&tender.main_procurement_category)),
            deadline: instant("tender.tenderPeriod.endDate", text(&period.end_date))?,
            opening: instant(
                "tender.bidOpening.date",
                text(&tender.bid_opening.unwrap_or_default().date),
            )?,
            value,
            bid_bond_rate: bid_bond_rate(tender.bid_bond, list(tender.guarantees))?,
            items,
            documents,
            requirements,
            enquiry_end,
            enquiries,
            award,
            ocid,
        })
    }
}

/// The decision the release publishes: its last award that names one (a winner, or
/// none), with its amount in pesos and the amount of its active contract.
fn award(
    awards: Vec<RawAward>,
    contracts: Vec<RawContract>,
    parties: &[RawParty],
) -> Result<Option<TenderAward>, SkipReason> {
    let Some(raw) = awards.into_iter().rev().find(|a| {
        matches!(
            text(&a.status).to_ascii_lowercase().as_str(),
            "active" | "pending" | "unsuccessful" | "cancelled"
        )
    }) else {
        return Ok(None);
    };
    let status = match text(&raw.status).to_ascii_lowercase().as_str() {
        "unsuccessful" => AwardStatus::Unsuccessful,
        "cancelled" => AwardStatus::Cancelled,
        _ => AwardStatus::Won,
    };
    let pesos = |value: Option<RawAmount>, field: &str| match value {
        Some(v)
            if text(&v.currency).is_empty() || text(&v.currency).eq_ignore_ascii_case("MXN") =>
        {
            number(field, v.amount)
        }
        _ => Ok(None),
    };
    let suppliers = list(raw.suppliers)
        .iter()
        .map(|s| {
            let party = parties
                .iter()
                .find(|p| !text(&s.id).is_empty() && text(&p.id) == text(&s.id));
            let rfc = party
                .and_then(|p| p.identifier.as_ref())
                .filter(|i| text(&i.scheme).eq_ignore_ascii_case("MX-RFC"))
                .map(|i| text(&i.id).to_owned());
            rfc.filter(|r| !r.is_empty())
                .unwrap_or_else(|| text(&s.name).to_owned())
        })
        .collect();
    let contract = contracts
        .into_iter()
        .rev()
        .find(|c| matches!(text(&c.status), "active" | "terminated" | ""));
    Ok(Some(TenderAward {
        status,
        date: instant("awards.date", text(&raw.date))?,
        bid_ids: list(raw.related_bids)
            .into_iter()
            .map(|id| id.0)
            .filter(|id| !id.is_empty())
            .collect(),
        suppliers,
        amount: pesos(raw.value, "awards.value.amount")?,
        contract_amount: match contract {
            Some(c) => pesos(c.value, "contracts.value.amount")?,
            None => None,
        },
    }))
}

fn buyer_name(buyer: Option<&RawParty>, parties: &[RawParty], entity: Option<&RawParty>) -> String {
    let has_role = |party: &&RawParty, role: &str| {
        party
            .roles
            .iter()
            .flatten()
            .any(|r| r.0.eq_ignore_ascii_case(role))
    };
    let by_id = |id: &str| {
        parties
            .iter()
            .find(|p| !id.is_empty() && text(&p.id) == id)
            .map(|p| text(&p.name))
    };
    let candidates = [
        buyer.map(|b| text(&b.name)),
        buyer.and_then(|b| by_id(text(&b.id))),
        parties
            .iter()
            .find(|p| has_role(p, "buyer"))
            .map(|p| text(&p.name)),
        entity.map(|e| text(&e.name)),
        entity.and_then(|e| by_id(text(&e.id))),
        parties
            .iter()
            .find(|p| has_role(p, "procuringEntity"))
            .map(|p| text(&p.name)),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|name| !name.is_empty())
        .unwrap_or_default()
        .to_owned()
}

fn procedure(method: &str, details: &str) -> Option<Procedure> {
    match method.to_ascii_lowercase().as_str() {
        "open" => return Some(Procedure::Licitacion),
        "selective" => return Some(Procedure::Invitacion),
        "limited" | "direct" => return Some(Procedure::Adjudicacion),
        _ => {}
    }
    let details = details.to_lowercase();
    if details.contains("licitaci") {
        Some(Procedure::Licitacion)
    } else if details.contains("invitaci") {
        Some(Procedure::Invitacion)
    } else if details.contains("adjudicaci") {
        Some(Procedure::Adjudicacion)
    } else {
        None
    }
}

fn status(status: &str) -> Result<TenderStatus, SkipReason> {
    // Prozorro-style detail after a dot: `active.tendering`, `active.qualification`.
    let lower = status.to_ascii_lowercase();
    Ok(match lower.as_str() {
        // A publisher that leaves the status out publishes it to take bids.
        "" | "active" | "active.enquiries" | "active.tendering" => TenderStatus::Active,
        "planning" | "planned" => TenderStatus::Planned,
        "cancelled" | "withdrawn" | "unsuccessful" => TenderStatus::Withdrawn,
        "complete" => TenderStatus::Complete,
        s if s.starts_with("active.") => TenderStatus::Complete,
        _ => return Err(SkipReason::UnknownStatus(status.to_owned())),
    })
}

fn category(category: &str) -> String {
    match category {
        "goods" | "services" | "works" => category.to_owned(),
        _ => String::new(),
    }
}

/// Catalogue codes are upper-case words joined by underscores, such as `EDOS_FIN`.
fn is_catalogue_code(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_uppercase())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn bid_bond_rate(
    bond: Option<&RawValue>,
    guarantees: Vec<RawGuarantee>,
) -> Result<Option<Decimal>, SkipReason> {
    let (field, raw) = match bond {
        Some(raw) if raw.get().trim_start().starts_with('{') => {
            let rate = serde_json::from_str::<RawRate>(raw.get())
                .map_err(|e| SkipReason::Malformed(e.to_string()))?;
            ("tender.bidBond.rate".to_owned(), rate.rate)
        }
        Some(raw) => ("tender.bidBond".to_owned(), Some(raw)),
        None => match guarantees
            .iter()
            .position(|g| text(&g.kind).eq_ignore_ascii_case("bidBond"))
        {
            Some(i) => (format!("tender.guarantees[{i}].rate"), guarantees[i].rate),
            None => return Ok(None),
        },
    };
    match number(&field, raw)? {
        Some(rate) if rate < Decimal::ZERO || rate > Decimal::ONE => Err(SkipReason::BadNumber {
            field,
            text: rate.to_string(),
        }),
        rate => Ok(rate),
    }
}

/// An exact decimal from a JSON number's own text or from a string; `null`, an empty
/// string or nothing is `None`.
fn number(field: &str, raw: Option<&RawValue>) -> Result<Option<Decimal>, SkipReason> {
    let Some(raw) = raw else { return Ok(None) };
    exact_decimal(raw.get())
        .map(|d| d.map(|d| d.normalize()))
        .map_err(|text| SkipReason::BadNumber {
            field: field.to_owned(),
            text,
        })
}

/// The exact decimal a JSON value's own text holds, never through `f64`: a number
/// (`1234567890123.45`, `1.5e3`) or a string holding one (`"845000.50"`), its scale
/// kept; `null` or an empty string is `None`. The error is the text that is no number.
pub fn exact_decimal(json: &str) -> Result<Option<Decimal>, String> {
    let json = json.trim();
    let literal = if json.starts_with('"') {
        serde_json::from_str::<String>(json).unwrap_or_default()
    } else if json == "null" {
        return Ok(None);
    } else {
        json.to_owned()
    };
    let literal = literal.trim();
    if literal.is_empty() {
        return Ok(None);
    }
    let parsed = if literal.contains(['e', 'E']) {
        Decimal::from_scientific(literal)
    } else {
        Decimal::from_str_exact(literal)
    };
    parsed.map(Some).map_err(|_| literal.to_owned())
}

/// An instant from RFC 3339 with or without offset, or a bare day; no offset means
/// Mexico City time. Empty is `None`.
pub fn instant(field: &'static str, text: &str) -> Result<Option<DateTime<Utc>>, SkipReason> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || SkipReason::BadDate {
        field,
        text: text.to_owned(),
    };
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Ok(Some(at.with_timezone(&Utc)));
        }
    }
    let local = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .ok_or_else(bad)?;
    chrono_tz::America::Mexico_City
        .from_local_datetime(&local)
        .earliest()
        .map(|at| Some(at.with_timezone(&Utc)))
        .ok_or_else(bad)
}
