//! One business's own database: its registration draft, as typed, and the records of
//! its documents (their files live in the vault beside it, see `vault.rs`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension};
use ventanilla_core::{Field, RegistrationDraft, Representative};

use crate::lock::{self, BusinessKeys};
use crate::vault::Vault;
use crate::{migrate, now, Result, StoreError};

/// A handle on one business's database and vault. It can read and write only that
/// business: every other business lives in another folder.
pub struct BusinessStore {
    pub(crate) path: PathBuf,
    pub(crate) conn: Connection,
    pub(crate) vault: Vault,
}

impl BusinessStore {
    pub(crate) fn db_path(folder: &Path) -> PathBuf {
        folder.join("business.db")
    }

    pub(crate) fn create(folder: &Path) -> Result<Self> {
        let path = Self::db_path(folder);
        let conn = migrate::open(&path, migrate::BUSINESS, true, None)?;
        Ok(BusinessStore {
            path,
            conn,
            vault: Vault::new(folder, None),
        })
    }

    /// Opens an existing business database, with its keys when it is locked; a missing
    /// or empty file is damage, not a fresh start, because giving it an empty schema
    /// would hide that the user's data is gone. A lock or an unlock that a crash
    /// interrupted is settled first.
    pub(crate) fn open(folder: &Path, keys: Option<Arc<BusinessKeys>>) -> Result<Self> {
        lock::settle(folder)?;
        let path = Self::db_path(folder);
        let lost = if !path.is_file() {
            Some("business.db is missing")
        } else if crate::private::is_empty_file(&path) {
            Some("business.db is empty")
        } else {
            None
        };
        if let Some(reason) = lost {
            return Err(StoreError::Damaged {
                path,
                reason: reason.into(),
            });
        }
        if lock::is_locked(folder) != keys.is_some() {
            return Err(StoreError::LockDamaged(
                "opened with keys that do not match its lock".into(),
            ));
        }
        let key = keys.as_ref().map(|k| k.database_key());
        let conn = migrate::open(
            &path,
            migrate::BUSINESS,
            false,
            key.as_deref().map(String::as_str),
        )?;
        migrate::quick_check(&conn, &path)?;
        Ok(BusinessStore {
            path,
            conn,
            vault: Vault::new(folder, keys),
        })
    }

    pub(crate) fn sql(&self) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        StoreError::sqlite(&self.path)
    }

    /// The whole draft: every text field and the representatives in their order.
    pub fn load_draft(&self) -> Result<RegistrationDraft> {
        let mut draft = RegistrationDraft::default();
        let mut fields = self
            .conn
            .prepare_cached("SELECT field, value FROM registration_field")
            .map_err(self.sql())?;
        let rows = fields
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.sql())?;
        for row in rows {
            let (name, value) = row.map_err(self.sql())?;
            // A field a later version dropped is ignored rather than fatal.
            if let Some(field) = Field::parse(&name) {
                draft.set(field, value);
            }
        }
        draft.representatives = self.representatives()?;
        Ok(draft)
    }

    fn representatives(&self) -> Result<Vec<Representative>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT id, name, curp, power_of_attorney FROM representative
                 ORDER BY position, id",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([], |r| {
                Ok(Representative {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    curp: r.get(2)?,
                    power_of_attorney: r.get(3)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.sql())
    }

    /// Stores one field exactly as typed; validation happens on reading, so nothing the
    /// user typed is ever refused by the disk.
    pub fn set_field(&self, field: Field, value: &str) -> Result<()> {
        if !Field::draft_fields().contains(&field) {
            return Err(StoreError::NotATextField {
                field: field.as_str(),
            });
        }
        self.conn
            .execute(
                "INSERT INTO registration_field (field, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (field) DO UPDATE
                 SET value = excluded.value, updated_at = excluded.updated_at",
                params![field.as_str(), value, now()],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// Writes a whole draft at once, in one transaction (a new business, an import).
    pub fn write_draft(&self, draft: &RegistrationDraft) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        for &field in Field::draft_fields() {
            let value = draft.get(field).unwrap_or_default();
            if !value.is_empty() {
                self.set_field(field, value)?;
            }
        }
        for (position, r) in draft.representatives.iter().enumerate() {
            tx.execute(
                "INSERT INTO representative (id, position, name, curp, power_of_attorney, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![r.id, position as i64 + 1, r.name, r.curp, r.power_of_attorney, now()],
            )
            .map_err(self.sql())?;
        }
        tx.commit().map_err(self.sql())
    }

    /// Adds an empty representative at the end of the list.
    pub fn add_representative(&self) -> Result<Representative> {
        let representative = Representative {
            id: uuid::Uuid::now_v7().to_string(),
            ..Representative::default()
        };
        self.conn
            .execute(
                "INSERT INTO representative (id, position, updated_at)
                 VALUES (?1, (SELECT COALESCE(MAX(position), 0) + 1 FROM representative), ?2)",
                params![representative.id, now()],
            )
            .map_err(self.sql())?;
        Ok(representative)
    }

    /// Saves a representative's fields as typed; fails on an unknown id.
    pub fn update_representative(&self, representative: &Representative) -> Result<()> {
        let changed = self
            .conn
            .execute(
                "UPDATE representative SET name = ?2, curp = ?3, power_of_attorney = ?4,
                     updated_at = ?5
                 WHERE id = ?1",
                params![
                    representative.id,
                    representative.name,
                    representative.curp,
                    representative.power_of_attorney,
                    now()
                ],
            )
            .map_err(self.sql())?;
        self.require_changed(changed, &representative.id)
    }

    /// Removes a representative; fails on an unknown id.
    pub fn remove_representative(&self, id: &str) -> Result<()> {
        let changed = self
            .conn
            .execute("DELETE FROM representative WHERE id = ?1", [id])
            .map_err(self.sql())?;
        self.require_changed(changed, id)
    }

    /// Fails unless `id` is one of the business's representatives.
    pub(crate) fn require_representative(&self, id: &str) -> Result<()> {
        let known: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM representative WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.sql())?;
        known
            .map(drop)
            .ok_or_else(|| StoreError::UnknownRepresentative(id.to_owned()))
    }

    fn require_changed(&self, changed: usize, id: &str) -> Result<()> {
        if changed == 0 {
            Err(StoreError::UnknownRepresentative(id.to_owned()))
        } else {
            Ok(())
        }
    }
}
