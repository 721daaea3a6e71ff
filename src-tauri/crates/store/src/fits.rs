//! The index's «Para ti» columns: what each business does (kept in step with its
//! registration by [`Library::record_summary`]), the open tenders that fit it as the
//! last refresh found them, and the notices of fitting tenders told once. The matching
//! itself is core's (`ventanilla_core::fit`); the desk refreshes these after every
//! change to the catalogue and whenever a counted tender's deadline has passed.

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ventanilla_core::fit::FitReason;
use ventanilla_core::tender::Tender;

use crate::{now, stamp, Library, Result, StoreError};

const REFRESHED_SETTING: &str = "fits_refreshed_at";

/// What a business does, as its registration says, for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// The business's id.
    pub id: String,
    /// Its name, for notices.
    pub name: String,
    /// The SCIAN code as typed.
    pub scian: String,
    /// The goods and services it offers, as typed.
    pub offer: String,
}

/// One fitting tender as the home card shows it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct FitEntry {
    /// The tender's ocid.
    pub ocid: String,
    /// Its title.
    pub title: String,
    /// Its deadline.
    pub deadline: Option<DateTime<Utc>>,
    /// Why it fits.
    pub reasons: Vec<FitReason>,
}

/// What a refresh found for one business.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FitRecord {
    /// How many open tenders fit it.
    pub count: u32,
    /// The newest few, with why.
    pub top: Vec<FitEntry>,
    /// The soonest deadline among all that fit: after it the count is stale.
    pub until: Option<DateTime<Utc>>,
}

/// Which notice of a fitting tender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// The tender is new to the catalogue since the previous refresh.
    New,
    /// Its deadline is within 3 days.
    Closing,
}

impl NoticeKind {
    fn key(self) -> &'static str {
        match self {
            NoticeKind::New => "new",
            NoticeKind::Closing => "closing",
        }
    }

    fn parse(key: &str) -> NoticeKind {
        if key == "new" {
            NoticeKind::New
        } else {
            NoticeKind::Closing
        }
    }
}

/// A notice told and not yet shown by the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingNotice {
    /// The business it fits.
    pub business: String,
    /// The tender.
    pub ocid: String,
    /// Which notice.
    pub kind: NoticeKind,
}

impl Library {
    /// Every business with what it does (empty where not recorded yet), by id.
    pub fn activities(&self) -> Result<Vec<Activity>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, name, coalesce(scian, ''), coalesce(offer, '') FROM business
                 WHERE damage IS NULL ORDER BY id",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([], |r| {
                Ok(Activity {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    scian: r.get(2)?,
                    offer: r.get(3)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())
    }

    /// The catalogue's tenders open at `now`, each with when it was last imported.
    pub fn open_tenders(&self, now: DateTime<Utc>) -> Result<Vec<(Tender, DateTime<Utc>)>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT j.json, t.imported_at FROM tender t JOIN tender_json j USING (ocid)
                 WHERE t.status = 'active' AND t.deadline > ?1",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([stamp(now)], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, DateTime<Utc>>(1)?))
            })
            .map_err(self.sql())?;
        let mut tenders = Vec::new();
        for row in rows {
            let (json, imported_at) = row.map_err(self.sql())?;
            let tender = serde_json::from_str(&json).map_err(|e| StoreError::Damaged {
                path: self.db_path.clone(),
                reason: format!("tender: {e}"),
            })?;
            tenders.push((tender, imported_at));
        }
        Ok(tenders)
    }

    /// Whether some business's fitting tenders need counting again at `now`: its
    /// activity changed, or a tender counted has closed since.
    pub fn fits_stale(&self, now: DateTime<Utc>) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM business WHERE fit_until <= ?1 AND damage IS NULL)",
                [stamp(now)],
                |r| r.get(0),
            )
            .map_err(self.sql())
    }

    /// When the fitting tenders were last counted.
    pub fn fits_refreshed_at(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .setting(REFRESHED_SETTING)?
            .and_then(|at| DateTime::parse_from_rfc3339(&at).ok())
            .map(|at| at.with_timezone(&Utc)))
    }

    /// Records what a refresh at `at` found, business by business, in one transaction.
    pub fn record_fits(&self, fits: &[(String, FitRecord)], at: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        {
            let mut update = tx
                .prepare_cached(
                    "UPDATE business SET fit_count = ?2, fit_top = ?3, fit_until = ?4 WHERE id = ?1",
                )
                .map_err(self.sql())?;
            for (id, record) in fits {
                let top = serde_json::to_string(&record.top).map_err(|e| StoreError::Damaged {
                    path: self.db_path.clone(),
                    reason: e.to_string(),
                })?;
                update
                    .execute(params![id, record.count, top, record.until.map(stamp)])
                    .map_err(self.sql())?;
            }
        }
        tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![REFRESHED_SETTING, stamp(at)],
        )
        .map_err(self.sql())?;
        tx.commit().map_err(self.sql())
    }

    /// Remembers that the notice `kind` of `ocid` was told for `business`: `true` the
    /// first time, `false` when it had been (a notice is told once).
    pub fn tell_fit(&self, business: &str, ocid: &str, kind: NoticeKind) -> Result<bool> {
        self.conn
            .prepare_cached(
                "INSERT INTO fit_notice (business, ocid, kind, told_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
            )
            .and_then(|mut s| s.execute(params![business, ocid, kind.key(), now()]))
            .map(|inserted| inserted == 1)
            .map_err(self.sql())
    }

    /// The notices told and not shown yet, oldest first; they count as shown from now.
    pub fn take_fit_notices(&self) -> Result<Vec<PendingNotice>> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        let pending = {
            let mut statement = tx
                .prepare_cached(
                    "SELECT business, ocid, kind FROM fit_notice WHERE shown = 0
                     ORDER BY told_at, business, ocid, kind",
                )
                .map_err(self.sql())?;
            let rows = statement
                .query_map([], |r| {
                    Ok(PendingNotice {
                        business: r.get(0)?,
                        ocid: r.get(1)?,
                        kind: NoticeKind::parse(&r.get::<_, String>(2)?),
                    })
                })
                .map_err(self.sql())?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(self.sql())?
        };
        tx.execute("UPDATE fit_notice SET shown = 1 WHERE shown = 0", [])
            .map_err(self.sql())?;
        tx.commit().map_err(self.sql())?;
        Ok(pending)
    }

    /// Records what the businesses indexed before their activity was kept do, from
    /// each one's own draft, once; a business that does not open is left for later.
    pub(crate) fn fill_activities(&self) -> Result<()> {
        let ids: Vec<String> = {
            let mut statement = self
                .conn
                .prepare("SELECT id FROM business WHERE scian IS NULL OR offer IS NULL")
                .map_err(self.sql())?;
            let rows = statement.query_map([], |r| r.get(0)).map_err(self.sql())?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(self.sql())?
        };
        for id in ids {
            let Ok(draft) =
                crate::BusinessStore::open(&self.folder(&id), None).and_then(|b| b.load_draft())
            else {
                continue;
            };
            self.conn
                .execute(
                    "UPDATE business SET scian = ?2, offer = ?3, fit_until = '' WHERE id = ?1",
                    params![id, draft.scian.trim(), draft.activity.trim()],
                )
                .map_err(self.sql())?;
        }
        Ok(())
    }
}

/// The stored newest fits; a copy a newer build wrote and this one cannot read is none.
pub(crate) fn parse_top(json: &str) -> Vec<FitEntry> {
    serde_json::from_str(json).unwrap_or_default()
}
