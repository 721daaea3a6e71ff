//! A business's bids in preparation, in its `business.db`: every field as typed, saved
//! one at a time like the registration, with a copy of the tender as the owner
//! prepared (or last confirmed) the bid against it, so the bid keeps its meaning and
//! its proposal can be printed even when the catalogue later loses the tender.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ventanilla_core::bid::{
    self, Annex, BidDraft, BidReview, Bidder, Declaration, DocumentHash, FreezeError, FrozenBid,
    ItemDraft, ItemField,
};
use ventanilla_core::checklist::{mexico_city_today, Catalogue, Profile};
use ventanilla_core::proposal::{proposal_pdf, ProposalFacts};
use ventanilla_core::tender::Tender;
use ventanilla_core::RegistrationDraft;

use crate::business::BusinessStore;
use crate::library::Library;
use crate::{now, Result, StoreError};

const VALIDITY_FIELD: &str = "price_validity_days";
const DECLARATION_PREFIX: &str = "declaration:";

/// A bid as the list of a business's bids shows it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct BidEntry {
    /// The bid's id, also its submission id once frozen.
    pub id: String,
    /// The tender it is for.
    pub ocid: String,
    /// The tender's title as the bid last saw it.
    pub title: String,
    /// The tender's deadline as the bid last saw it.
    pub deadline: Option<DateTime<Utc>>,
    /// When the bid was started.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    pub created_at: DateTime<Utc>,
    /// When a field of it last changed.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    pub updated_at: DateTime<Utc>,
}

/// A stored bid: the draft and the tender it was prepared against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBid {
    /// Every field as typed.
    pub draft: BidDraft,
    /// The tender as it stood when the bid was prepared or last confirmed against it.
    pub prepared_against: Tender,
}

/// A bid with everything needed to show, print or freeze it at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BidState {
    /// The bid as stored.
    pub stored: StoredBid,
    /// The tender it is judged against (see [`bid::current_tender`]).
    pub tender: Tender,
    /// The business's registration, for the bidder's facts.
    pub business: RegistrationDraft,
    /// Core's review of the bid at that instant.
    pub review: BidReview,
}

impl BidState {
    /// The bid's printable proposal, dated `printed_at`; `catalogue` names the documents.
    pub fn proposal(&self, catalogue: &Catalogue, printed_at: DateTime<Utc>) -> Vec<u8> {
        proposal_pdf(&ProposalFacts {
            draft: &self.stored.draft,
            tender: &self.tender,
            business: &self.business,
            review: &self.review,
            catalogue,
            printed_at,
        })
    }
}

impl BusinessStore {
    /// A stored bid (see [`BusinessStore::load_bid`]) judged at `now` against `tender`,
    /// the tender as it stands now, with the business's registration and its documents
    /// the tender asks for.
    pub fn bid_state(
        &self,
        catalogue: &Catalogue,
        stored: StoredBid,
        tender: Tender,
        now: DateTime<Utc>,
    ) -> Result<BidState> {
        let business = self.load_draft()?;
        let documents = match Profile::from_draft(&business) {
            Some(profile) => bid::tender_documents(
                catalogue,
                &profile,
                &tender,
                mexico_city_today(now),
                &self.document_facts()?,
            ),
            None => Vec::new(),
        };
        let bidder = Bidder {
            draft: &business,
            documents,
        };
        let review = bid::review_bid(&stored.draft, &tender, &bidder, now);
        Ok(BidState {
            stored,
            tender,
            business,
            review,
        })
    }

    /// Freezes the bid for sending at `now`, with the business's current documents by
    /// hash; the inner error says why core refused (see [`bid::freeze`]).
    pub fn freeze_bid(
        &self,
        catalogue: &Catalogue,
        stored: StoredBid,
        tender: Tender,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<FrozenBid, FreezeError>> {
        let state = self.bid_state(catalogue, stored, tender, now)?;
        let registered: Vec<DocumentHash> = self
            .documents()?
            .into_iter()
            .map(|d| DocumentHash {
                requirement: d.requirement,
                representative: d.representative,
                sha256: d.sha256,
            })
            .collect();
        let bidder = Bidder {
            draft: &state.business,
            documents: state.review.documents.clone(),
        };
        Ok(bid::freeze(
            &state.stored.draft,
            &state.tender,
            &bidder,
            &registered,
            now,
        ))
    }

    /// Starts a bid on `tender` as it stands now.
    pub fn create_bid(&self, tender: &Tender) -> Result<BidDraft> {
        let draft = BidDraft::new(uuid::Uuid::now_v7().to_string(), tender);
        let stamp = now();
        self.conn
            .execute(
                "INSERT INTO bid (id, ocid, tender, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![draft.id, draft.ocid, tender_json(tender)?, stamp],
            )
            .map_err(self.sql())?;
        self.set_bid_field(&draft.id, "", VALIDITY_FIELD, &draft.price_validity_days)?;
        Ok(draft)
    }

    /// The business's bids, the most recently edited first.
    pub fn bids(&self) -> Result<Vec<BidEntry>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, tender, created_at, updated_at FROM bid ORDER BY updated_at DESC, id",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                ))
            })
            .map_err(self.sql())?;
        let mut entries = Vec::new();
        for row in rows {
            let (id, tender, created_at, updated_at) = row.map_err(self.sql())?;
            let tender = self.parse_tender(&tender)?;
            entries.push(BidEntry {
                id,
                ocid: tender.ocid,
                title: tender.title,
                deadline: tender.deadline,
                created_at,
                updated_at,
            });
        }
        Ok(entries)
    }

    /// Whether the business has a bid with this id.
    pub fn has_bid(&self, id: &str) -> Result<bool> {
        self.conn
            .query_row("SELECT 1 FROM bid WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
            .map_err(self.sql())
    }

    /// A bid with every field as typed. Fields a later version dropped are ignored.
    pub fn load_bid(&self, id: &str) -> Result<StoredBid> {
        let tender: String = self
            .conn
            .query_row("SELECT tender FROM bid WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(self.sql())?
            .ok_or_else(|| StoreError::UnknownBid(id.to_owned()))?;
        let prepared_against = self.parse_tender(&tender)?;
        let mut draft = BidDraft::new(id.to_owned(), &prepared_against);
        draft.price_validity_days.clear();
        let mut items: BTreeMap<String, ItemDraft> = BTreeMap::new();
        let mut fields = self
            .conn
            .prepare_cached("SELECT item, field, value FROM bid_field WHERE bid = ?1")
            .map_err(self.sql())?;
        let rows = fields
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(self.sql())?;
        for row in rows {
            let (item, field, value) = row.map_err(self.sql())?;
            if !item.is_empty() {
                if let Some(field) = ItemField::parse(&field) {
                    items.entry(item).or_default().set(field, value);
                }
            } else if field == VALIDITY_FIELD {
                draft.price_validity_days = value;
            } else if let Some(declaration) = field
                .strip_prefix(DECLARATION_PREFIX)
                .and_then(Declaration::parse)
            {
                if value == "yes" {
                    draft.accepted.push(declaration);
                }
            }
        }
        draft.accepted.sort();
        draft.items = items;
        draft.annexes = self.annexes(id)?;
        Ok(StoredBid {
            draft,
            prepared_against,
        })
    }

    fn annexes(&self, id: &str) -> Result<Vec<Annex>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT item, sha256, name FROM bid_annex WHERE bid = ?1 ORDER BY added_at, item",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([id], |r| {
                Ok(Annex {
                    item_id: r.get(0)?,
                    sha256: r.get(1)?,
                    name: r.get(2)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.sql())
    }

    /// Stores one field of one item exactly as typed; it is judged on reading.
    pub fn set_bid_item_field(
        &self,
        bid: &str,
        item: &str,
        field: ItemField,
        value: &str,
    ) -> Result<()> {
        self.set_bid_field(bid, item, field.as_str(), value)
    }

    /// Stores the price validity, in days, as typed.
    pub fn set_bid_validity_days(&self, bid: &str, value: &str) -> Result<()> {
        self.set_bid_field(bid, "", VALIDITY_FIELD, value)
    }

    /// Records whether the owner confirms a declaration.
    pub fn set_bid_declaration(
        &self,
        bid: &str,
        declaration: Declaration,
        accepted: bool,
    ) -> Result<()> {
        let field = format!("{DECLARATION_PREFIX}{}", declaration.as_str());
        self.set_bid_field(bid, "", &field, if accepted { "yes" } else { "no" })
    }

    /// Records an annex of an item by the hash of a file already in the business's
    /// vault. Adding the same file twice keeps one.
    pub fn add_bid_annex(&self, bid: &str, annex: &Annex) -> Result<()> {
        self.require_bid(bid)?;
        self.conn
            .execute(
                "INSERT OR IGNORE INTO bid_annex (bid, item, sha256, name, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![bid, annex.item_id, annex.sha256, annex.name, now()],
            )
            .map_err(self.sql())?;
        self.touch_bid(bid)
    }

    /// Takes the file `sha256` off item `item` of the bid (the file stays in the vault).
    pub fn remove_bid_annex(&self, bid: &str, item: &str, sha256: &str) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM bid_annex WHERE bid = ?1 AND item = ?2 AND sha256 = ?3",
                params![bid, item, sha256],
            )
            .map_err(self.sql())?;
        self.touch_bid(bid)
    }

    /// The owner reviewed the bid against `tender` as it stands now: the bid is
    /// prepared against this release from here on, and no longer needs review.
    pub fn confirm_bid(&self, bid: &str, tender: &Tender) -> Result<()> {
        let changed = self
            .conn
            .execute(
                "UPDATE bid SET tender = ?2, updated_at = ?3 WHERE id = ?1",
                params![bid, tender_json(tender)?, now()],
            )
            .map_err(self.sql())?;
        self.require_changed_bid(changed, bid)
    }

    /// Deletes a bid and everything typed in it; the vault's files stay.
    pub fn delete_bid(&self, bid: &str) -> Result<()> {
        let changed = self
            .conn
            .execute("DELETE FROM bid WHERE id = ?1", [bid])
            .map_err(self.sql())?;
        self.require_changed_bid(changed, bid)
    }

    fn set_bid_field(&self, bid: &str, item: &str, field: &str, value: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        self.touch_bid(bid)?;
        tx.execute(
            "INSERT INTO bid_field (bid, item, field, value, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (bid, item, field) DO UPDATE
             SET value = excluded.value, updated_at = excluded.updated_at",
            params![bid, item, field, value, now()],
        )
        .map_err(self.sql())?;
        tx.commit().map_err(self.sql())
    }

    fn touch_bid(&self, bid: &str) -> Result<()> {
        let changed = self
            .conn
            .execute(
                "UPDATE bid SET updated_at = ?2 WHERE id = ?1",
                params![bid, now()],
            )
            .map_err(self.sql())?;
        self.require_changed_bid(changed, bid)
    }

    fn require_bid(&self, bid: &str) -> Result<()> {
        if self.has_bid(bid)? {
            Ok(())
        } else {
            Err(StoreError::UnknownBid(bid.to_owned()))
        }
    }

    fn require_changed_bid(&self, changed: usize, bid: &str) -> Result<()> {
        if changed == 0 {
            Err(StoreError::UnknownBid(bid.to_owned()))
        } else {
            Ok(())
        }
    }

    fn parse_tender(&self, json: &str) -> Result<Tender> {
        serde_json::from_str(json).map_err(|e| StoreError::Damaged {
            path: self.path.clone(),
            reason: format!("a bid's tender is unreadable: {e}"),
        })
    }
}

fn tender_json(tender: &Tender) -> Result<String> {
    // A `Tender` has only strings, numbers as strings, and dates: it always serializes.
    serde_json::to_string(tender).map_err(|e| StoreError::Io {
        path: Default::default(),
        source: std::io::Error::other(e),
    })
}

impl Library {
    /// The id of the business that holds the bid `bid`, looking through every business
    /// that opens (a damaged one cannot hold it readably).
    pub fn find_bid(&self, bid: &str) -> Result<String> {
        self.find_business(|business| business.has_bid(bid))?
            .ok_or_else(|| StoreError::UnknownBid(bid.to_owned()))
    }
}
