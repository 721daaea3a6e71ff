//! `app.db`: settings, the index of businesses, the requirement and bank catalogues in
//! use and the tender catalogue (see `tenders`), and the folders the businesses live in.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use ventanilla_core::banks::BankCatalogue;
use ventanilla_core::checklist::{self, Catalogue};
use ventanilla_core::registration::review;
use ventanilla_core::{identifiers, Persona, RegistrationDraft, Review};

use crate::business::BusinessStore;
use crate::lock;
use crate::{migrate, now, private, search, Result, StoreError};

/// The app's identifier; the platform's app-data folder is named after it, so the
/// desktop app and the CLI find the same data without being told.
pub const APP_IDENTIFIER: &str = "mx.cdmx.benitojuarez.ventanilla";

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The platform's app-data folder for Ventanilla (`~/.local/share/<id>` on Linux,
/// `%APPDATA%\<id>` on Windows), overridable with `VENTANILLA_DATA_DIR`.
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("VENTANILLA_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join(APP_IDENTIFIER)
}

/// What the index knows about a business without opening its own database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The RFC as stored: trimmed, upper case, without spaces or dashes.
    pub rfc: String,
    /// The name as typed, trimmed.
    pub name: String,
    /// Física or moral, as chosen or else told by the RFC's length.
    pub persona: Option<Persona>,
    /// The registration's sections with nothing missing or wrong.
    pub sections_done: u32,
    /// The registration's sections in all.
    pub sections_total: u32,
    /// Whether the registration can be sent.
    pub complete: bool,
    /// The SCIAN code as typed, trimmed, for «Para ti».
    pub scian: String,
    /// The goods and services it offers as typed, trimmed, for «Para ti».
    pub offer: String,
}

impl Summary {
    /// What the home screen shows of a draft, given core's review of it.
    pub fn of(draft: &RegistrationDraft, review: &Review) -> Self {
        Summary {
            rfc: identifiers::normalize(&draft.rfc),
            name: draft.name.trim().to_owned(),
            persona: review.facts.persona,
            sections_done: review.facts.sections.iter().filter(|s| s.done).count() as u32,
            sections_total: review.facts.sections.len() as u32,
            complete: review.facts.complete,
            scian: draft.scian.trim().to_owned(),
            offer: draft.activity.trim().to_owned(),
        }
    }
}

/// Whether a business's own database can be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// The database opens and checks as sound.
    Ok,
    /// The file is missing, unreadable or not a database; the reason is technical
    /// detail for support, the shell words the user-facing message.
    Damaged(String),
}

/// One row of the home screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessEntry {
    /// The business's id (its folder's name).
    pub id: String,
    /// Its summary as last recorded.
    pub summary: Summary,
    /// Whether its database could be used when last looked at.
    pub health: Health,
    /// When the business last changed.
    pub updated_at: DateTime<Utc>,
    /// The last valid day of the business's document that expires first, as recorded
    /// when its documents last changed; for the home screen's alert.
    pub next_expiry: Option<NaiveDate>,
    /// Its submissions not yet sent, as counted when it last opened; `None` when not
    /// counted since the index was made (a damaged business may then have some).
    pub unsent: Option<u32>,
    /// When its e.firma certificate stops being valid, as last read; for the home
    /// screen's warning.
    pub fiel_not_after: Option<DateTime<Utc>>,
    /// The title of the tender one of its sent bids last won, as the last sync saw the
    /// award published.
    pub won: Option<String>,
    /// How many open tenders fit it, as last counted.
    pub fit_count: u32,
    /// The newest of them, with why.
    pub fit_top: Vec<crate::FitEntry>,
    /// Whether it is locked with a passphrase; its summary then holds only the label
    /// its owner chose (as its name) and its progress.
    pub locked: bool,
}

/// The data folder: `app.db` plus `businesses/<id>/`.
pub struct Library {
    root: PathBuf,
    pub(crate) db_path: PathBuf,
    pub(crate) conn: Connection,
}

impl Library {
    /// Opens the data folder, creating it on first use (open to its owner only).
    pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        private::create_dir_all(&root.join("businesses")).map_err(|source| {
            StoreError::DataDirUnwritable {
                path: root.clone(),
                source,
            }
        })?;
        let db_path = root.join("app.db");
        // An index that is gone, or that lost its contents, is made again from the
        // business folders (none on first use), never left empty beside them.
        let missing = !db_path.exists();
        let opened = if private::is_empty_file(&db_path) {
            Err(StoreError::Damaged {
                path: db_path.clone(),
                reason: "app.db is empty".into(),
            })
        } else {
            open_index(&db_path)
        };
        match opened {
            Ok(conn) => {
                let library = Library {
                    root,
                    db_path,
                    conn,
                };
                if missing {
                    library.rebuild_index()?;
                }
                library.fill_activities()?;
                Ok(library)
            }
            // The index only summarises the businesses' own files, so a damaged one is
            // set aside (kept for support) and rebuilt from them rather than fatal.
            Err(StoreError::Damaged { .. }) => {
                set_aside(&db_path)?;
                let conn = open_index(&db_path)?;
                let library = Library {
                    root,
                    db_path,
                    conn,
                };
                library.rebuild_index()?;
                Ok(library)
            }
            Err(e) => Err(e),
        }
    }

    /// Re-creates one index row per business folder from the business's own draft;
    /// a folder whose database cannot be read is listed as damaged.
    fn rebuild_index(&self) -> Result<()> {
        let folders = self.root.join("businesses");
        let entries = fs::read_dir(&folders).map_err(StoreError::io(&folders))?;
        let banks = self.banks()?;
        for entry in entries.flatten() {
            let Some(id) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            self.index_folder_with(&id, &banks)?;
        }
        Ok(())
    }

    /// Makes business `id`'s index row from its own folder, the day its first document
    /// expires included (after an import).
    pub(crate) fn index_folder(&self, id: &str) -> Result<()> {
        match self.index_folder_with(id, &self.banks()?)? {
            Some(business) => self.refresh_next_expiry(id, &business),
            None => Ok(()),
        }
    }

    /// Makes business `id`'s index row; answers its database when it opens.
    fn index_folder_with(&self, id: &str, banks: &BankCatalogue) -> Result<Option<BusinessStore>> {
        self.insert_index_row(id)?;
        let folder = self.folder(id);
        // A locked business keeps its row (its label) until it is unlocked.
        let keys = self.keys(id);
        if lock::is_locked(&folder) && keys.is_none() {
            return Ok(None);
        }
        match BusinessStore::open(&folder, keys).and_then(|b| Ok((b.load_draft()?, b))) {
            Ok((draft, business)) => {
                self.record_summary(id, &Summary::of(&draft, &review(&draft, banks)))?;
                self.record_unsent(id, &business)?;
                self.record_fiel_expiry(id, business.fiel()?.not_after)?;
                Ok(Some(business))
            }
            Err(e) => self.record_damage(id, Some(&e.to_string())).map(|()| None),
        }
    }

    /// The data folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn folder(&self, id: &str) -> PathBuf {
        self.root.join("businesses").join(id)
    }

    pub(crate) fn sql(&self) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        StoreError::sqlite(&self.db_path)
    }

    /// A setting of `app.db`, if it was ever set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.sql())
    }

    /// Sets a setting of `app.db`, replacing its value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(drop)
            .map_err(self.sql())
    }

    pub(crate) fn remove_setting(&self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM setting WHERE key = ?1", [key])
            .map(drop)
            .map_err(self.sql())
    }

    /// The requirement catalogue in use: the last one received, else the one shipped
    /// with the app.
    pub fn catalogue(&self) -> Result<Catalogue> {
        let stored = self.received("catalogue")?;
        // It was valid when stored; if it no longer reads, a newer build stored it
        // (say, with a kind of file this one does not know), and this build's own
        // catalogue is the best it can use.
        Ok(stored
            .and_then(|json| Catalogue::from_json(&json).ok())
            .unwrap_or_else(Catalogue::default_catalogue))
    }

    /// Replaces the catalogue in use with `json` (the server's copy), refusing one
    /// the rules could not use; the one in use then stays.
    ///
    /// Versions are not compared, so an older or equal one is accepted: they are
    /// labels the server chooses (the shipped one is `default-1`), with no order the
    /// app could rely on, and the server, which owns the catalogue, must be able to go
    /// back to an earlier one to withdraw a mistaken rule. Every evaluation records
    /// the version it used, so a checklist can still be explained afterwards.
    pub fn replace_catalogue(&self, json: &str) -> Result<Catalogue> {
        let catalogue = Catalogue::from_json(json).map_err(StoreError::CatalogueRefused)?;
        self.keep_received("catalogue", &catalogue.version, json)?;
        Ok(catalogue)
    }

    /// The bank catalogue in use: the last one received, else the one shipped with the
    /// app.
    pub fn banks(&self) -> Result<BankCatalogue> {
        let stored = self.received("bank_catalogue")?;
        // As with the requirement catalogue: one a newer build stored and this one
        // cannot read gives way to this build's own.
        Ok(stored
            .and_then(|json| BankCatalogue::from_json(&json).ok())
            .unwrap_or_else(BankCatalogue::default_catalogue))
    }

    /// Replaces the bank catalogue in use with `json` (the server's copy), refusing one
    /// a CLABE could not be read against; the one in use then stays. Versions are
    /// labels, not compared, as for [`Library::replace_catalogue`].
    pub fn replace_banks(&self, json: &str) -> Result<BankCatalogue> {
        let banks = BankCatalogue::from_json(json).map_err(StoreError::BanksRefused)?;
        self.keep_received("bank_catalogue", &banks.version, json)?;
        Ok(banks)
    }

    /// The JSON last received into the one-row catalogue table `table`.
    fn received(&self, table: &'static str) -> Result<Option<String>> {
        self.conn
            .query_row(&format!("SELECT json FROM {table} WHERE id = 1"), [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.sql())
    }

    /// Keeps `json`, of `version`, as the copy received into the one-row catalogue
    /// table `table`, in place of the previous one.
    fn keep_received(&self, table: &'static str, version: &str, json: &str) -> Result<()> {
        self.conn
            .execute(
                &format!(
                    "INSERT INTO {table} (id, version, json, replaced_at) VALUES (1, ?1, ?2, ?3)
                     ON CONFLICT (id) DO UPDATE SET version = excluded.version,
                         json = excluded.json, replaced_at = excluded.replaced_at"
                ),
                params![version, json, now()],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// The id of the business `key` names: its id, or its RFC (typed in any case,
    /// with or without separators) when exactly one business has that RFC, or the
    /// label of a locked one (whose RFC this computer does not keep in the clear).
    pub fn resolve_business(&self, key: &str) -> Result<String> {
        let key = key.trim();
        if self.require(key).is_ok() {
            return Ok(key.to_owned());
        }
        let rfc = identifiers::normalize(key);
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id FROM business WHERE (rfc = ?1 AND rfc != '')
                     OR (locked_label IS NOT NULL AND lower(trim(locked_label)) = lower(?2))",
            )
            .map_err(self.sql())?;
        let ids = statement
            .query_map([&rfc, key], |r| r.get::<_, String>(0))
            .map_err(self.sql())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())?;
        match ids.as_slice() {
            [id] => Ok(id.clone()),
            [] => Err(StoreError::NoBusinessMatches(key.to_owned())),
            _ => Err(StoreError::AmbiguousBusiness {
                key: rfc,
                count: ids.len(),
            }),
        }
    }

    /// Every business's RFC as the index stores it, with the business's id; those
    /// without an RFC yet are left out. Reads only the index.
    pub fn business_rfcs(&self) -> Result<Vec<(String, String)>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT rfc, id FROM business WHERE rfc != '' ORDER BY created_at, id")
            .map_err(self.sql())?;
        let rows = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.sql())
    }

    /// Creates a business from a first draft: its folder and database first, then its
    /// index row, so a failure half-way leaves no row pointing at nothing.
    pub fn create_business(&self, draft: &RegistrationDraft) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let folder = self.folder(&id);
        private::create_dir_all(&folder).map_err(StoreError::io(&folder))?;
        let created = BusinessStore::create(&folder).and_then(|store| {
            store.write_draft(draft)?;
            self.insert_index_row(&id)?;
            self.record_summary(&id, &Summary::of(draft, &review(draft, &self.banks()?)))
        });
        if let Err(e) = created {
            // Best effort: the folder is new and holds nothing the user typed.
            let _ = fs::remove_dir_all(&folder);
            return Err(e);
        }
        Ok(id)
    }

    /// Opens a business's own database, checking it; a failure is remembered in the
    /// index so the home screen shows the business as damaged, and so is the count of
    /// its submissions not yet sent, so a sync can tell when a damaged business holds
    /// some.
    pub fn open_business(&self, id: &str) -> Result<BusinessStore> {
        self.require(id)?;
        let folder = self.folder(id);
        let keys = self.keys(id);
        if keys.is_none() && lock::is_locked(&folder) {
            return Err(StoreError::Locked {
                id: id.to_owned(),
                label: self.locked_label(id)?.unwrap_or_default(),
            });
        }
        let opened = BusinessStore::open(&folder, keys);
        let damage = match &opened {
            Err(StoreError::Damaged { reason, .. }) => Some(reason.clone()),
            Err(StoreError::NewerSchema { found, .. }) => Some(format!("newer schema {found}")),
            _ => None,
        };
        self.record_damage(id, damage.as_deref())?;
        if let Ok(business) = &opened {
            self.record_unsent(id, business)?;
        }
        opened
    }

    /// Keeps the index's count of `business`'s submissions not yet sent in step with
    /// its outbox; called whenever it opens, and after a submission is queued.
    /// Unchanged, nothing is written.
    pub fn record_unsent(&self, id: &str, business: &BusinessStore) -> Result<()> {
        let unsent = business.unsent_count()?;
        self.conn
            .execute(
                "UPDATE business SET unsent = ?2 WHERE id = ?1 AND unsent IS NOT ?2",
                params![id, unsent],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// Records in the index the tender one of the business's sent bids last won, by
    /// the awards the catalogue holds now (the home card says so without opening it).
    pub fn record_wins(&self, id: &str, business: &BusinessStore) -> Result<()> {
        let mut won: Option<(Option<DateTime<Utc>>, String)> = None;
        for item in business.outbox()? {
            let (crate::SubmissionKind::Bid { ocid }, crate::OutboxState::Sent) =
                (&item.submission.kind, item.state)
            else {
                continue;
            };
            let Some(tender) = self.tender(ocid)? else {
                continue;
            };
            if let Some(award) = &tender.award {
                let wins = award.status == ventanilla_core::tender::AwardStatus::Won
                    && award.bid_ids.contains(&item.submission.id);
                if wins && won.as_ref().is_none_or(|(date, _)| award.date >= *date) {
                    won = Some((award.date, tender.title.clone()));
                }
            }
        }
        let title = won.map(|(_, title)| title);
        self.conn
            .execute(
                "UPDATE business SET won = ?2 WHERE id = ?1 AND won IS NOT ?2",
                params![id, title],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// Adds a business's index row, unless it is there (two programs rebuilding one
    /// index at once list each business once).
    fn insert_index_row(&self, id: &str) -> Result<()> {
        let at = now();
        self.conn
            .execute(
                "INSERT INTO business (id, created_at, updated_at) VALUES (?1, ?2, ?2)
                 ON CONFLICT (id) DO NOTHING",
                params![id, at],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// Remembers why a business cannot be opened (or, with `None`, that it can again).
    /// Unchanged, nothing is written: every open passes here, and a drain opens every
    /// business.
    fn record_damage(&self, id: &str, damage: Option<&str>) -> Result<()> {
        self.conn
            .execute(
                "UPDATE business SET damage = ?2 WHERE id = ?1 AND damage IS NOT ?2",
                params![id, damage],
            )
            .map(drop)
            .map_err(self.sql())
    }

    pub(crate) fn require(&self, id: &str) -> Result<()> {
        let known: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM business WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(self.sql())?;
        known
            .map(drop)
            .ok_or_else(|| StoreError::UnknownBusiness(id.to_owned()))
    }

    /// Keeps the index's copy of what the home screen shows in step with the business.
    pub fn record_summary(&self, id: &str, summary: &Summary) -> Result<()> {
        let persona = summary.persona.map(Persona::as_str).unwrap_or_default();
        let key = search::fold(&format!("{} {}", summary.name, summary.rfc));
        let changed = self
            .conn
            .execute(
                "UPDATE business SET rfc = ?2, name = ?3, persona = ?4, search_key = ?5,
                     sections_done = ?6, sections_total = ?7, complete = ?8, updated_at = ?9,
                     fit_until = CASE WHEN scian IS ?10 AND offer IS ?11 THEN fit_until
                         ELSE '' END,
                     scian = ?10, offer = ?11
                 WHERE id = ?1 AND locked_label IS NULL",
                params![
                    id,
                    summary.rfc,
                    summary.name,
                    persona,
                    key,
                    summary.sections_done,
                    summary.sections_total,
                    summary.complete,
                    now(),
                    summary.scian,
                    summary.offer,
                ],
            )
            .map_err(self.sql())?;
        if changed == 0 {
            return self.record_locked_progress(id, summary);
        }
        Ok(())
    }

    /// Keeps only the progress of a locked business's summary: the index holds nothing
    /// personal of it.
    fn record_locked_progress(&self, id: &str, summary: &Summary) -> Result<()> {
        let changed = self
            .conn
            .execute(
                "UPDATE business SET sections_done = ?2, sections_total = ?3, complete = ?4,
                     updated_at = ?5
                 WHERE id = ?1 AND locked_label IS NOT NULL",
                params![
                    id,
                    summary.sections_done,
                    summary.sections_total,
                    summary.complete,
                    now()
                ],
            )
            .map_err(self.sql())?;
        if changed == 0 {
            return Err(StoreError::UnknownBusiness(id.to_owned()));
        }
        Ok(())
    }

    /// Keeps the index's copy of the day the business's first document expires in step
    /// with its documents. Not an edit of the business, so its place in the list stays.
    /// A rebuilt index starts without it, until the business's documents next change.
    pub fn record_next_expiry(&self, id: &str, next_expiry: Option<NaiveDate>) -> Result<()> {
        let changed = self
            .conn
            .execute(
                "UPDATE business SET next_expiry = ?2 WHERE id = ?1",
                params![id, next_expiry],
            )
            .map_err(self.sql())?;
        if changed == 0 {
            return Err(StoreError::UnknownBusiness(id.to_owned()));
        }
        Ok(())
    }

    /// Re-evaluates `business`'s documents for today in Mexico City and records when the
    /// first of them stops being valid; called after every change to its documents,
    /// whoever makes it (the window or the CLI), so the home list's alert stays true.
    pub fn refresh_next_expiry(&self, id: &str, business: &BusinessStore) -> Result<()> {
        let today = checklist::mexico_city_today(Utc::now());
        let next = business
            .checklist(&self.catalogue()?, None, today)?
            .and_then(|evaluation| evaluation.items.iter().filter_map(|i| i.valid_until).min());
        self.record_next_expiry(id, next)
    }

    /// The businesses whose name or RFC contains `query` (accents and case ignored),
    /// most recently edited first. Each one's file is sniffed, not opened, so a
    /// thousand businesses list quickly; a file that is gone or not a database shows
    /// as damaged.
    pub fn list_businesses(&self, query: &str) -> Result<Vec<BusinessEntry>> {
        let pattern = format!("%{}%", escape_like(&search::fold(query.trim())));
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, rfc, name, persona, sections_done, sections_total, complete,
                        damage, updated_at, next_expiry, unsent, fiel_not_after, won,
                        coalesce(scian, ''), coalesce(offer, ''), fit_count, fit_top,
                        locked_label IS NOT NULL
                 FROM business WHERE search_key LIKE ?1 ESCAPE '\\'
                 ORDER BY updated_at DESC, id",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([pattern], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    Summary {
                        rfc: row.get(1)?,
                        name: row.get(2)?,
                        persona: Persona::parse(&row.get::<_, String>(3)?),
                        sections_done: row.get(4)?,
                        sections_total: row.get(5)?,
                        complete: row.get(6)?,
                        scian: row.get(13)?,
                        offer: row.get(14)?,
                    },
                    row.get::<_, Option<String>>(7)?,
                    row.get::<_, DateTime<Utc>>(8)?,
                    row.get::<_, Option<NaiveDate>>(9)?,
                    row.get::<_, Option<u32>>(10)?,
                    row.get::<_, Option<DateTime<Utc>>>(11)?,
                    row.get::<_, Option<String>>(12)?,
                    row.get::<_, u32>(15)?,
                    row.get::<_, String>(16)?,
                    row.get::<_, bool>(17)?,
                ))
            })
            .map_err(self.sql())?;
        let mut entries = Vec::new();
        for row in rows {
            let (
                id,
                summary,
                damage,
                updated_at,
                next_expiry,
                unsent,
                fiel_not_after,
                won,
                fit_count,
                fit_top,
                locked,
            ) = row.map_err(self.sql())?;
            let health = match damage {
                Some(reason) => Health::Damaged(reason),
                // An encrypted database has no header to sniff.
                None if locked => Health::Ok,
                None => self.sniff(&id),
            };
            entries.push(BusinessEntry {
                id,
                summary,
                health,
                updated_at,
                next_expiry,
                unsent,
                fiel_not_after,
                won,
                fit_count,
                fit_top: crate::fits::parse_top(&fit_top),
                locked,
            });
        }
        Ok(entries)
    }

    fn sniff(&self, id: &str) -> Health {
        let path = BusinessStore::db_path(&self.folder(id));
        let mut header = [0u8; 16];
        match fs::File::open(&path).and_then(|mut f| f.read_exact(&mut header)) {
            Ok(()) if &header == SQLITE_HEADER => Health::Ok,
            Ok(()) => Health::Damaged("not a SQLite database".into()),
            Err(e) => Health::Damaged(e.to_string()),
        }
    }

    /// The first business, among those that open, for which `holds` is true (a
    /// damaged one cannot hold anything readably).
    pub(crate) fn find_business(
        &self,
        holds: impl Fn(&BusinessStore) -> Result<bool>,
    ) -> Result<Option<String>> {
        for entry in self.list_businesses("")? {
            let Ok(business) = self.open_business(&entry.id) else {
                continue;
            };
            if holds(&business)? {
                return Ok(Some(entry.id));
            }
        }
        Ok(None)
    }

    /// The id of the business whose outbox holds the submission `id`.
    pub fn find_submission(&self, id: &str) -> Result<String> {
        self.find_business(|business| business.has_submission(id))?
            .ok_or_else(|| StoreError::UnknownSubmission(id.to_owned()))
    }

    /// Deletes a business: the index row first (so it disappears from every list even
    /// if the files cannot all be removed), then its folder.
    pub fn delete_business(&self, id: &str) -> Result<()> {
        let removed = self
            .conn
            .execute("DELETE FROM business WHERE id = ?1", [id])
            .map_err(self.sql())?;
        if removed == 0 {
            return Err(StoreError::UnknownBusiness(id.to_owned()));
        }
        // Its keys go with it: nothing is left to unlock.
        self.lock_again(Some(id));
        let folder = self.folder(id);
        match fs::remove_dir_all(&folder) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::io(&folder)(e)),
            _ => Ok(()),
        }
    }
}

/// Opens `app.db`, creating it when missing.
fn open_index(db_path: &Path) -> Result<Connection> {
    let conn = migrate::open(db_path, migrate::APP, true, None)?;
    // Up to 64 MiB of pages, taken only as used: a tender search scans the catalogue's
    // rows (about 20 MB for 10,000 tenders), and from memory it takes two thirds of the
    // time it takes from the OS's file cache.
    conn.pragma_update(None, "cache_size", -65_536)
        .map_err(StoreError::sqlite(db_path))?;
    // What a locked business's row held is zeroed where it stood, not left in free
    // space (see `Library::lock_business`).
    conn.pragma_update(None, "secure_delete", "ON")
        .map_err(StoreError::sqlite(db_path))?;
    Ok(conn)
}

/// Moves a damaged database and its journal files out of the way, keeping them.
fn set_aside(db_path: &Path) -> Result<()> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%S");
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", db_path.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}.damaged-{stamp}{suffix}", db_path.display()));
            fs::rename(&from, &to).map_err(StoreError::io(&from))?;
        }
    }
    Ok(())
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
