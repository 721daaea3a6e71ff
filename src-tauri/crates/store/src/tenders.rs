//! The tender catalogue in `app.db`: imported from OCDS files (a chamber's USB stick) or
//! the server's `GET /v1/tenders`, kept for offline use, searched and filtered.
//!
//! One process (ocid) is one row, holding its latest release: a release older than the
//! one kept is skipped as superseded, one of the same date replaces it (so a record's
//! compiled release, read last, wins). An import is one transaction: a file refused
//! half-way leaves the catalogue as it was.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::Read;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use ventanilla_core::ocds::{self, Entry, ReadError, Shape, SkipReason, Skipped};
use ventanilla_core::tender::{Procedure, Tender, TenderStatus};

use crate::{now, search, stamp, Library, Result, StoreError};

/// The setting holding the ETag of the server's last tender list.
const ETAG_SETTING: &str = "tenders_etag";

/// Where an import's tenders came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenderSource {
    /// A file, by the name shown to the user.
    File(String),
    /// The server's `GET /v1/tenders`, with the ETag of that response (kept for the next
    /// request's `If-None-Match`).
    Server {
        /// The response's ETag, when it had one.
        etag: Option<String>,
    },
}

impl TenderSource {
    fn label(&self) -> String {
        match self {
            TenderSource::File(name) => format!("file:{name}"),
            TenderSource::Server { .. } => "server".into(),
        }
    }
}

/// What an import did, counted by process (ocid).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSummary {
    /// How the file was shaped (release package, record package, a single release...).
    pub shape: Shape,
    /// Processes new to the catalogue.
    pub imported: usize,
    /// Processes already there, replaced by a newer release.
    pub updated: usize,
    /// Processes already there with the same release.
    pub unchanged: usize,
    /// Releases that could not be read as tenders, with why.
    pub skipped: Vec<Skipped>,
}

/// How far an import has read, reported after every release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// Bytes of the file read so far (the caller knows the total, if anyone does).
    pub bytes_read: u64,
    /// Releases read so far.
    pub releases_read: usize,
}

/// Which tenders a search keeps, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Active with a deadline still ahead: the ones a bid can be prepared for.
    Open,
    /// In exactly this status, whatever the deadline.
    Is(TenderStatus),
}

/// Whether a tender is open at `now`: core's rule, the same as [`StatusFilter::Open`]
/// in [`Library::search_tenders`]'s SQL.
pub use ventanilla_core::tender::is_open;

/// A catalogue search: every part optional; an empty query lists everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenderQuery {
    /// Matched against title, buyer, ocid, description and items, accents and case
    /// ignored.
    pub text: String,
    /// Which statuses to keep; `None` keeps all.
    pub status: Option<StatusFilter>,
    /// Deadlines at or after this instant.
    pub deadline_from: Option<DateTime<Utc>>,
    /// Deadlines at or before this instant.
    pub deadline_to: Option<DateTime<Utc>>,
    /// `goods`, `services` or `works`.
    pub category: Option<String>,
    /// At most this many rows; `None` for all.
    pub limit: Option<usize>,
}

/// One row of the catalogue list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenderEntry {
    /// The tender's process id (OCDS `ocid`).
    pub ocid: String,
    /// Its title.
    pub title: String,
    /// The buying office.
    pub buyer: String,
    /// Its status as published.
    pub status: TenderStatus,
    /// Its procedure (licitación, invitación, adjudicación), when published.
    pub procedure: Option<Procedure>,
    /// `goods`, `services` or `works`.
    pub category: String,
    /// Until when bids are received.
    pub deadline: Option<DateTime<Utc>>,
    /// When its latest release was published.
    pub release_date: DateTime<Utc>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Imported,
    Updated,
    Unchanged,
}

fn status_key(status: TenderStatus) -> &'static str {
    match status {
        TenderStatus::Planned => "planned",
        TenderStatus::Active => "active",
        TenderStatus::Withdrawn => "withdrawn",
        TenderStatus::Complete => "complete",
    }
}

fn parse_status(key: &str) -> TenderStatus {
    match key {
        "planned" => TenderStatus::Planned,
        "withdrawn" => TenderStatus::Withdrawn,
        "complete" => TenderStatus::Complete,
        _ => TenderStatus::Active,
    }
}

fn procedure_key(procedure: Procedure) -> &'static str {
    match procedure {
        Procedure::Licitacion => "licitacion",
        Procedure::Invitacion => "invitacion",
        Procedure::Adjudicacion => "adjudicacion",
    }
}

fn parse_procedure(key: &str) -> Option<Procedure> {
    match key {
        "licitacion" => Some(Procedure::Licitacion),
        "invitacion" => Some(Procedure::Invitacion),
        "adjudicacion" => Some(Procedure::Adjudicacion),
        _ => None,
    }
}

fn search_key(tender: &Tender) -> String {
    let mut text = format!(
        "{} {} {} {}",
        tender.title, tender.buyer, tender.ocid, tender.description
    );
    for item in &tender.items {
        text.push(' ');
        text.push_str(&item.description);
        text.push(' ');
        text.push_str(&item.classification);
    }
    search::fold(&text)
}

/// Counts the bytes read through it.
struct Counting<'a, R> {
    inner: R,
    read: &'a Cell<u64>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl Library {
    /// Imports an OCDS file or server response into the catalogue in one transaction.
    pub fn import_tenders(
        &self,
        reader: impl Read,
        source: &TenderSource,
    ) -> Result<ImportSummary> {
        self.import_tenders_with_progress(reader, source, |_| {})
    }

    /// [`Library::import_tenders`], reporting progress after every release read.
    pub fn import_tenders_with_progress(
        &self,
        reader: impl Read,
        source: &TenderSource,
        mut progress: impl FnMut(ImportProgress),
    ) -> Result<ImportSummary> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        let bytes = Cell::new(0);
        let reader = Counting {
            inner: reader,
            read: &bytes,
        };
        let mut outcomes: HashMap<String, Outcome> = HashMap::new();
        let mut skipped = Vec::new();
        let mut releases_read = 0;
        let label = source.label();
        let imported_at = now();
        let shape = ocds::read_tenders(reader, |entry| {
            releases_read += 1;
            match entry {
                Entry::Tender(tender) => {
                    if let Some(outcome) =
                        self.keep_tender(&tender, &label, &imported_at, &outcomes)?
                    {
                        outcomes.insert(tender.ocid.clone(), outcome);
                    } else {
                        skipped.push(Skipped {
                            position: releases_read,
                            ocid: Some(tender.ocid.clone()),
                            reason: SkipReason::Superseded,
                        });
                    }
                }
                Entry::Skipped(skip) => skipped.push(skip),
            }
            progress(ImportProgress {
                bytes_read: bytes.get(),
                releases_read,
            });
            Ok(())
        })
        .map_err(|e| match e {
            ReadError::File(problem) => StoreError::TenderFileRefused(problem),
            ReadError::Sink(e) => e,
        })?;
        if let TenderSource::Server { etag } = source {
            let statement = match etag {
                Some(etag) => tx.execute(
                    "INSERT INTO setting (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [ETAG_SETTING, etag],
                ),
                None => tx.execute("DELETE FROM setting WHERE key = ?1", [ETAG_SETTING]),
            };
            statement.map_err(self.sql())?;
        }
        tx.commit().map_err(self.sql())?;
        let count = |wanted: Outcome| outcomes.values().filter(|o| **o == wanted).count();
        Ok(ImportSummary {
            shape,
            imported: count(Outcome::Imported),
            updated: count(Outcome::Updated),
            unchanged: count(Outcome::Unchanged),
            skipped,
        })
    }

    /// Writes `tender` unless the catalogue holds a newer release of its process;
    /// `None` when it was superseded. `earlier` is what this import already did.
    fn keep_tender(
        &self,
        tender: &Tender,
        source: &str,
        imported_at: &str,
        earlier: &HashMap<String, Outcome>,
    ) -> Result<Option<Outcome>> {
        let kept: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT release_date, release_id FROM tender WHERE ocid = ?1")
            .and_then(|mut s| {
                s.query_row([&tender.ocid], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(self.sql())?;
        let date = stamp(tender.release_date);
        let earlier = earlier.get(&tender.ocid).copied();
        let outcome = match kept {
            None => Outcome::Imported,
            Some((kept_date, _)) if date < kept_date => return Ok(None),
            Some((kept_date, kept_id))
                if earlier.is_none() && date == kept_date && tender.release_id == kept_id =>
            {
                return Ok(Some(Outcome::Unchanged));
            }
            Some(_) => match earlier {
                Some(Outcome::Imported) => Outcome::Imported,
                _ => Outcome::Updated,
            },
        };
        let json = serde_json::to_string(tender).map_err(|e| StoreError::Damaged {
            path: self.db_path.clone(),
            reason: e.to_string(),
        })?;
        self.conn
            .prepare_cached(
                "INSERT INTO tender (ocid, release_id, release_date, title, buyer, status,
                     procedure, category, deadline, search_key, source, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (ocid) DO UPDATE SET release_id = excluded.release_id,
                     release_date = excluded.release_date, title = excluded.title,
                     buyer = excluded.buyer, status = excluded.status,
                     procedure = excluded.procedure, category = excluded.category,
                     deadline = excluded.deadline, search_key = excluded.search_key,
                     source = excluded.source, imported_at = excluded.imported_at",
            )
            .and_then(|mut s| {
                s.execute(params![
                    tender.ocid,
                    tender.release_id,
                    date,
                    tender.title,
                    tender.buyer,
                    status_key(tender.status),
                    tender.procedure.map(procedure_key),
                    tender.category,
                    tender.deadline.map(stamp),
                    search_key(tender),
                    source,
                    imported_at,
                ])
            })
            .and_then(|_| {
                self.conn
                    .prepare_cached(
                        "INSERT INTO tender_json (ocid, json) VALUES (?1, ?2)
                         ON CONFLICT (ocid) DO UPDATE SET json = excluded.json",
                    )?
                    .execute(params![tender.ocid, json])
            })
            .map_err(self.sql())?;
        Ok(Some(outcome))
    }

    /// The catalogue's tender with this ocid, as of its latest release kept.
    pub fn tender(&self, ocid: &str) -> Result<Option<Tender>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT json FROM tender_json WHERE ocid = ?1",
                [ocid],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())?;
        json.map(|json| {
            serde_json::from_str(&json).map_err(|e| StoreError::Damaged {
                path: self.db_path.clone(),
                reason: format!("tender {ocid}: {e}"),
            })
        })
        .transpose()
    }

    /// The tenders matching `query`, judged open or not at `now`: those with a deadline
    /// ahead first, soonest first; then those past, latest first; then those without one.
    pub fn search_tenders(
        &self,
        query: &TenderQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<TenderEntry>> {
        let now = stamp(now);
        let (status, open) = match query.status {
            Some(StatusFilter::Open) => (Some("active"), true),
            Some(StatusFilter::Is(status)) => (Some(status_key(status)), false),
            None => (None, false),
        };
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT ocid, title, buyer, status, procedure, category, deadline, release_date
                 FROM tender
                 WHERE instr(search_key, ?1) > 0
                   AND (?2 IS NULL OR status = ?2)
                   AND (?3 = 0 OR deadline > ?4)
                   AND (?5 IS NULL OR deadline >= ?5)
                   AND (?6 IS NULL OR deadline <= ?6)
                   AND (?7 IS NULL OR category = ?7)
                 ORDER BY deadline IS NULL, deadline < ?4,
                     CASE WHEN deadline >= ?4 THEN deadline END,
                     deadline DESC, ocid
                 LIMIT ?8",
            )
            .map_err(self.sql())?;
        let limit = query.limit.map_or(-1, |l| l as i64);
        let rows = statement
            .query_map(
                params![
                    search::fold(query.text.trim()),
                    status,
                    open,
                    now,
                    query.deadline_from.map(stamp),
                    query.deadline_to.map(stamp),
                    query.category.as_deref().filter(|c| !c.is_empty()),
                    limit,
                ],
                |r| {
                    Ok(TenderEntry {
                        ocid: r.get(0)?,
                        title: r.get(1)?,
                        buyer: r.get(2)?,
                        status: parse_status(&r.get::<_, String>(3)?),
                        procedure: r
                            .get::<_, Option<String>>(4)?
                            .as_deref()
                            .and_then(parse_procedure),
                        category: r.get(5)?,
                        deadline: r.get(6)?,
                        release_date: r.get(7)?,
                    })
                },
            )
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())
    }

    /// How many tenders the catalogue holds.
    pub fn tender_count(&self) -> Result<usize> {
        self.conn
            .query_row("SELECT count(*) FROM tender", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(self.sql())
    }

    /// The ETag of the server's tender list last imported, for `If-None-Match`.
    pub fn tenders_etag(&self) -> Result<Option<String>> {
        self.setting(ETAG_SETTING)
    }

    /// Marks the answers of `tender` as seen, answering for each of its enquiries (in
    /// its order) whether it is new: never seen, or answered again since it was.
    pub fn see_answers(&self, tender: &Tender) -> Result<Vec<bool>> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        let mut fresh = Vec::with_capacity(tender.enquiries.len());
        for enquiry in &tender.enquiries {
            let answered = enquiry.answered_at.map(stamp).unwrap_or_default();
            let seen: Option<String> = tx
                .prepare_cached(
                    "SELECT answered_at FROM enquiry_seen WHERE ocid = ?1 AND enquiry_id = ?2",
                )
                .and_then(|mut stmt| {
                    stmt.query_row(params![tender.ocid, enquiry.id], |r| r.get(0))
                        .optional()
                })
                .map_err(self.sql())?;
            fresh.push(seen.as_deref() != Some(answered.as_str()));
            tx.prepare_cached(
                "INSERT INTO enquiry_seen (ocid, enquiry_id, answered_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (ocid, enquiry_id) DO UPDATE SET answered_at = excluded.answered_at",
            )
            .and_then(|mut stmt| stmt.execute(params![tender.ocid, enquiry.id, answered]))
            .map_err(self.sql())?;
        }
        tx.commit().map_err(self.sql())?;
        Ok(fresh)
    }
}
