//! A locked business: what a chamber's shared laptop keeps of it is unreadable without
//! its owner's passphrase.
//!
//! Each locked business has a random 256-bit data key, kept in `lock.json` only
//! wrapped (XChaCha20-Poly1305) under a key that Argon2id derives from the passphrase;
//! changing the passphrase rewraps it and re-encrypts nothing. From the data key HKDF
//! derives three keys: SQLCipher's raw key for `business.db`, the key that seals each
//! vault file (see `sealed.rs`), and an HMAC key that names them, so the disk does not
//! say which documents it holds (their plain SHA-256 stays inside the encrypted
//! database, for deduplication and upload by hash). The keys live only in this process,
//! zeroized when dropped; a forgotten passphrase cannot be recovered.
//!
//! Locking and opening a business for good are each two copies and one commit: the
//! vault's files are copied in their new form beside the old, the database is exported
//! to `business.db.sealing` (or `.opening`), then writing (or removing) `lock.json`
//! commits, and [`settle`] puts the new database in place and removes the old form of
//! every vault file. A crash at any point leaves one whole form; the next open settles it.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::sealed::{self, OpenedReader, SealingWriter};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use crate::business::BusinessStore;
use crate::private::{self, sync_dir};
use crate::{Library, Result, StoreError};

/// The key slot's file in a business folder; its presence is what makes a business
/// locked.
pub(crate) const LOCK_FILE: &str = "lock.json";
const SLOT_FORMAT: u32 = 1;
const SEALING: &str = "business.db.sealing";
const OPENING: &str = "business.db.opening";
/// Argon2id's cost: 64 MiB, three passes, four lanes (about half a second here).
const MEMORY_KIB: u32 = 64 * 1024;
const PASSES: u32 = 3;
const LANES: u32 = 4;
/// Letters and digits that cannot be misread on paper (no 0/O, 1/I/L).
const PRINTABLE: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// `lock.json`: the data key wrapped under the passphrase, and how to derive the key
/// that unwraps it.
#[derive(Serialize, Deserialize)]
struct KeySlot {
    format: u32,
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
    nonce: String,
    wrapped: String,
}

/// The keys of one unlocked business.
pub(crate) struct BusinessKeys {
    database: Zeroizing<[u8; 32]>,
    vault: Zeroizing<[u8; 32]>,
    names: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for BusinessKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BusinessKeys(…)")
    }
}

impl BusinessKeys {
    fn derive(data_key: &[u8; 32]) -> Self {
        let hkdf = Hkdf::<Sha256>::new(None, data_key);
        let expand = |info: &[u8]| {
            let mut key = Zeroizing::new([0; 32]);
            // 32 bytes is always a length HKDF-SHA256 can give.
            let _ = hkdf.expand(info, key.as_mut_slice());
            key
        };
        BusinessKeys {
            database: expand(b"ventanilla business.db"),
            vault: expand(b"ventanilla vault"),
            names: expand(b"ventanilla vault names"),
        }
    }

    /// SQLCipher's raw key, as `PRAGMA key` and `ATTACH ... KEY` take it (no second
    /// key derivation inside SQLCipher).
    pub(crate) fn database_key(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.database.as_slice())))
    }

    pub(crate) fn vault_key(&self) -> &[u8; 32] {
        &self.vault
    }

    /// The vault file name of the document whose content has `sha256`.
    pub(crate) fn vault_name(&self, sha256: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.names.as_slice())
            .expect("HMAC takes a key of any length");
        mac.update(sha256.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Whether the business in `folder` is locked.
pub(crate) fn is_locked(folder: &Path) -> bool {
    folder.join(LOCK_FILE).is_file()
}

/// A passphrase the operator can print for an owner: 20 characters that cannot be
/// misread, in groups of four (about 99 bits).
pub fn generate_passphrase() -> String {
    let mut groups = Vec::new();
    for _ in 0..5 {
        let group: String = (0..4)
            .map(|_| PRINTABLE[(OsRng.next_u32() as usize) % PRINTABLE.len()] as char)
            .collect();
        groups.push(group);
    }
    groups.join("-")
}

fn argon2(memory_kib: u32, passes: u32, lanes: u32) -> Result<Argon2<'static>> {
    let params = Params::new(memory_kib, passes, lanes, Some(32))
        .map_err(|e| StoreError::LockDamaged(format!("Argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The key that wraps the data key: Argon2id of the passphrase.
fn wrapping_key(slot: &KeySlot, passphrase: &str) -> Result<Zeroizing<[u8; 32]>> {
    let salt = hex::decode(&slot.salt).map_err(|e| StoreError::LockDamaged(e.to_string()))?;
    let mut key = Zeroizing::new([0; 32]);
    argon2(slot.memory_kib, slot.passes, slot.lanes)?
        .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut_slice())
        .map_err(|e| StoreError::LockDamaged(format!("Argon2: {e}")))?;
    Ok(key)
}

/// The wrapping binds the business's id, so a slot copied into another business's
/// folder does not open it.
fn associated(business: &str) -> Vec<u8> {
    format!("ventanilla lock {SLOT_FORMAT} {business}").into_bytes()
}

fn wrap(business: &str, data_key: &[u8; 32], passphrase: &str) -> Result<KeySlot> {
    let mut salt = [0; 16];
    OsRng.fill_bytes(&mut salt);
    let mut nonce = [0; 24];
    OsRng.fill_bytes(&mut nonce);
    let mut slot = KeySlot {
        format: SLOT_FORMAT,
        memory_kib: MEMORY_KIB,
        passes: PASSES,
        lanes: LANES,
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        wrapped: String::new(),
    };
    let key = wrapping_key(&slot, passphrase)?;
    let wrapped = XChaCha20Poly1305::new(key.as_slice().into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: data_key,
                aad: &associated(business),
            },
        )
        .map_err(|_| StoreError::LockDamaged("cannot wrap the key".into()))?;
    slot.wrapped = hex::encode(wrapped);
    Ok(slot)
}

/// The data key in `slot`, or [`StoreError::WrongPassphrase`].
fn unwrap(business: &str, slot: &KeySlot, passphrase: &str) -> Result<Zeroizing<[u8; 32]>> {
    if slot.format != SLOT_FORMAT {
        return Err(StoreError::LockDamaged(format!(
            "key slot format {}",
            slot.format
        )));
    }
    let damaged = |e: hex::FromHexError| StoreError::LockDamaged(e.to_string());
    let nonce = hex::decode(&slot.nonce).map_err(damaged)?;
    let wrapped = hex::decode(&slot.wrapped).map_err(damaged)?;
    if nonce.len() != 24 {
        return Err(StoreError::LockDamaged("nonce length".into()));
    }
    let key = wrapping_key(slot, passphrase)?;
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(key.as_slice().into())
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &wrapped,
                    aad: &associated(business),
                },
            )
            .map_err(|_| StoreError::WrongPassphrase)?,
    );
    let mut data_key = Zeroizing::new([0; 32]);
    if plain.len() != 32 {
        return Err(StoreError::LockDamaged("data key length".into()));
    }
    data_key.copy_from_slice(&plain);
    Ok(data_key)
}

fn read_slot(folder: &Path) -> Result<KeySlot> {
    let path = folder.join(LOCK_FILE);
    let text = fs::read_to_string(&path).map_err(StoreError::io(&path))?;
    serde_json::from_str(&text).map_err(|e| StoreError::LockDamaged(e.to_string()))
}

/// Writes `lock.json` whole (a copy synced, then renamed) and syncs the folder.
fn write_slot(folder: &Path, slot: &KeySlot) -> Result<()> {
    let path = folder.join(LOCK_FILE);
    let partial = private::RemoveOnDrop(folder.join(format!(".{LOCK_FILE}.partial")));
    let json = serde_json::to_vec_pretty(slot).map_err(|e| StoreError::io(&path)(e.into()))?;
    let mut file = private::write_options()
        .create(true)
        .truncate(true)
        .open(&partial.0)
        .map_err(StoreError::io(&partial.0))?;
    file.write_all(&json)
        .and_then(|()| file.sync_all())
        .map_err(StoreError::io(&partial.0))?;
    drop(file);
    fs::rename(&partial.0, &path).map_err(StoreError::io(&path))?;
    sync_dir(folder)
}

/// The keys of the locked business `business` in `folder`, given its passphrase.
pub(crate) fn unlock(folder: &Path, business: &str, passphrase: &str) -> Result<BusinessKeys> {
    let slot = read_slot(folder)?;
    let data_key = unwrap(business, &slot, passphrase)?;
    Ok(BusinessKeys::derive(&data_key))
}

/// Binds the key slot in `folder` to business `to` in place of `from` (a business
/// imported beside its other copy takes a new id).
pub(crate) fn rebind(folder: &Path, from: &str, to: &str, passphrase: &str) -> Result<()> {
    let data_key = unwrap(from, &read_slot(folder)?, passphrase)?;
    write_slot(folder, &wrap(to, &data_key, passphrase)?)
}

/// Wraps the data key under `new` in place of `old`; nothing else is re-encrypted.
pub(crate) fn change_passphrase(folder: &Path, business: &str, old: &str, new: &str) -> Result<()> {
    crate::check_passphrase(new)?;
    let data_key = unwrap(business, &read_slot(folder)?, old)?;
    write_slot(folder, &wrap(business, &data_key, new)?)
}

/// Locks the business open on `conn` in `folder`: seals a copy of every vault file and
/// of the database, then commits by writing its key slot. The caller closes `conn` and
/// calls [`settle`]. Answers the keys, so the business stays unlocked for whoever
/// locked it.
pub(crate) fn seal(
    folder: &Path,
    conn: &Connection,
    business: &str,
    passphrase: &str,
) -> Result<BusinessKeys> {
    let mut data_key = Zeroizing::new([0; 32]);
    OsRng.fill_bytes(data_key.as_mut_slice());
    let keys = BusinessKeys::derive(&data_key);
    let vault = folder.join("vault");
    for sha256 in vault_hashes(conn, folder)? {
        let plain = vault.join(&sha256);
        if plain.is_file() {
            copy_into(
                &vault,
                &keys.vault_name(&sha256),
                &plain,
                |source, target| {
                    let mut writer = SealingWriter::new(target, keys.vault_key())?;
                    io::copy(&mut BufReader::new(source), &mut writer)?;
                    writer.finish()?.flush()
                },
            )?;
        }
    }
    export(folder, conn, SEALING, &keys.database_key())?;
    write_slot(folder, &wrap(business, &data_key, passphrase)?)?;
    Ok(keys)
}

/// Opens the locked business on `conn` for good: a plain copy of every vault file and
/// of the database, then commits by removing its key slot. The caller closes `conn`
/// and calls [`settle`].
pub(crate) fn open_for_good(folder: &Path, conn: &Connection, keys: &BusinessKeys) -> Result<()> {
    let vault = folder.join("vault");
    for sha256 in vault_hashes(conn, folder)? {
        let sealed = vault.join(keys.vault_name(&sha256));
        if sealed.is_file() {
            copy_into(&vault, &sha256, &sealed, |source, target| {
                let mut reader = OpenedReader::new(source, keys.vault_key())?;
                let mut target = BufWriter::new(target);
                io::copy(&mut reader, &mut target)?;
                target.flush()
            })?;
        }
    }
    export(folder, conn, OPENING, "")?;
    let slot = folder.join(LOCK_FILE);
    fs::remove_file(&slot).map_err(StoreError::io(&slot))?;
    sync_dir(folder)
}

/// Every content hash the database refers to (documents and frozen submissions).
fn vault_hashes(conn: &Connection, folder: &Path) -> Result<Vec<String>> {
    let path = folder.join("business.db");
    let mut statement = conn
        .prepare(
            "SELECT sha256 FROM document UNION SELECT sha256 FROM submission_document
             ORDER BY 1",
        )
        .map_err(StoreError::sqlite(&path))?;
    let rows = statement
        .query_map([], |r| r.get(0))
        .map_err(StoreError::sqlite(&path))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(StoreError::sqlite(&path))
}

/// Writes `name` in `vault` from `source` through `copy`, whole or not at all.
fn copy_into(
    vault: &Path,
    name: &str,
    source: &Path,
    copy: impl FnOnce(File, File) -> io::Result<()>,
) -> Result<()> {
    let target = vault.join(name);
    if target.is_file() {
        return Ok(());
    }
    let partial =
        private::RemoveOnDrop(vault.join(format!(".converting-{}", uuid::Uuid::now_v7())));
    let input = File::open(source).map_err(StoreError::io(source))?;
    let output = private::write_options()
        .create_new(true)
        .open(&partial.0)
        .map_err(StoreError::io(&partial.0))?;
    let synced = output.try_clone().map_err(StoreError::io(&partial.0))?;
    copy(input, output)
        .and_then(|()| synced.sync_all())
        .map_err(StoreError::io(&partial.0))?;
    drop(synced);
    fs::rename(&partial.0, &target).map_err(StoreError::io(&target))
}

/// Exports the database on `conn` into `folder/name` under `key` (SQLCipher's raw key,
/// or empty for none), schema version included.
fn export(folder: &Path, conn: &Connection, name: &str, key: &str) -> Result<()> {
    let target = folder.join(name);
    let _ = fs::remove_file(&target);
    private::create_database_file(&target).map_err(StoreError::io(&target))?;
    let failed = StoreError::sqlite(&target);
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(StoreError::sqlite(&target))?;
    conn.execute(
        "ATTACH DATABASE ?1 AS converted KEY ?2",
        rusqlite::params![target.to_string_lossy(), key],
    )
    .map_err(StoreError::sqlite(&target))?;
    let exported = conn
        .query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(()))
        .and_then(|()| conn.execute_batch(&format!("PRAGMA converted.user_version = {version}")));
    let detached = conn.execute_batch("DETACH DATABASE converted");
    exported.and(detached).map_err(failed)?;
    File::open(&target)
        .and_then(|f| f.sync_all())
        .map_err(StoreError::io(&target))
}

/// Finishes a lock or an opening for good that `lock.json` committed (or drops one it
/// did not): the database exported for the committed state takes the place of the
/// other, and every vault file of the other form is removed. Nothing may have the
/// business open.
pub(crate) fn settle(folder: &Path) -> Result<()> {
    let locked = is_locked(folder);
    let (pending, stale) = if locked {
        (SEALING, OPENING)
    } else {
        (OPENING, SEALING)
    };
    remove_if_there(&folder.join(stale))?;
    let pending = folder.join(pending);
    if pending.is_file() || locked {
        sweep_vault(&folder.join("vault"), locked)?;
    }
    if pending.is_file() {
        let database = folder.join("business.db");
        for suffix in ["-wal", "-shm", "-journal"] {
            remove_if_there(&PathBuf::from(format!("{}{suffix}", database.display())))?;
        }
        fs::rename(&pending, &database).map_err(StoreError::io(&database))?;
        sync_dir(folder)?;
    }
    Ok(())
}

/// Removes the vault's files of the form the business is not in: plain ones from a
/// locked business, sealed ones from an open one (their other form is there, written
/// before the commit). Work files (named with a dot) are left to their writers.
fn sweep_vault(vault: &Path, locked: bool) -> Result<()> {
    let entries = match fs::read_dir(vault) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::io(vault)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(StoreError::io(vault))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') || !path.is_file() {
            continue;
        }
        let sealed = File::open(&path)
            .and_then(|mut f| sealed::is_sealed(&mut f))
            .map_err(StoreError::io(&path))?;
        if sealed != locked {
            remove_if_there(&path)?;
        }
    }
    Ok(())
}

fn remove_if_there(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(StoreError::io(path)(e)),
        _ => Ok(()),
    }
}

/// The keys of the businesses unlocked in this process, by folder: every [`Library`] on
/// a data folder (the window's, its background sync's) sees the same ones.
static UNLOCKED: LazyLock<Mutex<HashMap<PathBuf, Arc<BusinessKeys>>>> =
    LazyLock::new(Mutex::default);

fn unlocked() -> MutexGuard<'static, HashMap<PathBuf, Arc<BusinessKeys>>> {
    // The map holds no invariant a panic could break half-way.
    UNLOCKED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Library {
    /// The keys of business `id` when it is unlocked in this process.
    pub(crate) fn keys(&self, id: &str) -> Option<Arc<BusinessKeys>> {
        unlocked().get(&self.folder(id)).cloned()
    }

    /// The label of business `id` when it is locked.
    pub fn locked_label(&self, id: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT locked_label FROM business WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(self.sql())
    }

    /// Whether business `id` is locked with a passphrase (unlocked in this process or
    /// not).
    pub fn is_locked(&self, id: &str) -> bool {
        is_locked(&self.folder(id))
    }

    /// Whether business `id` is locked and this process holds its keys.
    pub fn is_unlocked(&self, id: &str) -> bool {
        self.keys(id).is_some()
    }

    /// The ids of this data folder's businesses unlocked in this process, without
    /// reading any database.
    pub fn unlocked_businesses(&self) -> Vec<String> {
        let businesses = self.root().join("businesses");
        unlocked()
            .keys()
            .filter_map(|folder| folder.strip_prefix(&businesses).ok())
            .filter_map(|id| id.to_str().map(str::to_owned))
            .collect()
    }

    /// Locks business `id` with `passphrase`: its database and every document are
    /// encrypted, and the index keeps only `label` (the name to show while locked) and
    /// its progress. It stays unlocked in this process until [`Library::lock_again`].
    pub fn lock_business(&self, id: &str, passphrase: &str, label: &str) -> Result<()> {
        crate::check_passphrase(passphrase)?;
        let label = label.trim();
        if label.is_empty() {
            return Err(StoreError::LabelMissing);
        }
        let folder = self.folder(id);
        if is_locked(&folder) {
            return Err(StoreError::AlreadyLocked);
        }
        let business = self.open_business(id)?;
        let keys = seal(&folder, &business.conn, id, passphrase)?;
        drop(business);
        settle(&folder)?;
        unlocked().insert(folder, Arc::new(keys));
        self.forget_in_index(id, label)
    }

    /// Blanks everything personal of business `id` in `app.db`, and makes sure no old
    /// copy of it stays in the file's free pages or its write-ahead log.
    pub(crate) fn forget_in_index(&self, id: &str, label: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        tx.execute(
            "UPDATE business SET locked_label = ?2, name = ?2, search_key = ?3, rfc = '',
                 persona = '', scian = '', offer = '', fit_count = 0, fit_top = '[]',
                 fit_until = '', won = NULL
             WHERE id = ?1",
            params![id, label, crate::search::fold(label)],
        )
        .map_err(self.sql())?;
        tx.execute("DELETE FROM fit_notice WHERE business = ?1", [id])
            .map_err(self.sql())?;
        tx.commit().map_err(self.sql())?;
        // secure_delete zeroed the old values in the pages; the checkpoint writes
        // those pages over the old ones and empties the log.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(self.sql())
    }

    /// Unlocks business `id` in this process with its passphrase, until
    /// [`Library::lock_again`] or the process ends.
    pub fn unlock_business(&self, id: &str, passphrase: &str) -> Result<()> {
        self.require(id)?;
        let folder = self.folder(id);
        if !is_locked(&folder) {
            return Err(StoreError::NotLocked);
        }
        let keys = Arc::new(unlock(&folder, id, passphrase)?);
        // Opening proves the keys before they are kept.
        drop(BusinessStore::open(&folder, Some(keys.clone()))?);
        unlocked().insert(folder, keys);
        Ok(())
    }

    /// Forgets the keys of business `id` (or of every business of this data folder):
    /// it is locked again. Handles already open keep theirs until they are dropped.
    pub fn lock_again(&self, id: Option<&str>) {
        let mut keys = unlocked();
        match id {
            Some(id) => drop(keys.remove(&self.folder(id))),
            None => {
                let businesses = self.root().join("businesses");
                keys.retain(|folder, _| !folder.starts_with(&businesses));
            }
        }
    }

    /// Keeps `facts` (the day's report's JSON, with nothing personal) of locked
    /// business `id` for `day`, replacing what was kept.
    pub fn keep_locked_day_facts(&self, id: &str, day: NaiveDate, facts: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO locked_day_facts (business, day, facts) VALUES (?1, ?2, ?3)
                 ON CONFLICT (business, day) DO UPDATE SET facts = excluded.facts",
                params![id, day, facts],
            )
            .map(drop)
            .map_err(self.sql())
    }

    /// What [`Library::keep_locked_day_facts`] kept of business `id` for `day`.
    pub fn locked_day_facts(&self, id: &str, day: NaiveDate) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT facts FROM locked_day_facts WHERE business = ?1 AND day = ?2",
                params![id, day],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())
    }

    /// Removes the lock of business `id` for good: its database and documents are
    /// decrypted in place and the index shows it whole again.
    pub fn remove_lock(&self, id: &str, passphrase: &str) -> Result<()> {
        self.require(id)?;
        let folder = self.folder(id);
        if !is_locked(&folder) {
            return Err(StoreError::NotLocked);
        }
        let keys = Arc::new(unlock(&folder, id, passphrase)?);
        let business = BusinessStore::open(&folder, Some(keys.clone()))?;
        open_for_good(&folder, &business.conn, &keys)?;
        drop(business);
        settle(&folder)?;
        self.lock_again(Some(id));
        self.conn
            .execute(
                "UPDATE business SET locked_label = NULL, scian = NULL, offer = NULL
                 WHERE id = ?1",
                [id],
            )
            .map_err(self.sql())?;
        self.index_folder(id)?;
        self.fill_activities()
    }

    /// Changes the passphrase of locked business `id`; nothing but its key slot is
    /// rewritten.
    pub fn change_passphrase(&self, id: &str, old: &str, new: &str) -> Result<()> {
        self.require(id)?;
        let folder = self.folder(id);
        if !is_locked(&folder) {
            return Err(StoreError::NotLocked);
        }
        change_passphrase(&folder, id, old, new)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_opens_only_with_its_passphrase_and_its_business() {
        let data_key = [5; 32];
        let slot = wrap("negocio-a", &data_key, "correcta horse").unwrap();
        assert_eq!(
            *unwrap("negocio-a", &slot, "correcta horse").unwrap(),
            data_key
        );
        assert!(matches!(
            unwrap("negocio-a", &slot, "incorrecta"),
            Err(StoreError::WrongPassphrase)
        ));
        assert!(matches!(
            unwrap("negocio-b", &slot, "correcta horse"),
            Err(StoreError::WrongPassphrase)
        ));
    }

    #[test]
    fn derived_keys_differ_and_names_hide_the_hash() {
        let keys = BusinessKeys::derive(&[1; 32]);
        assert_ne!(keys.database, keys.vault);
        assert_ne!(keys.vault, keys.names);
        let sha = "a".repeat(64);
        let name = keys.vault_name(&sha);
        assert_eq!(name.len(), 64);
        assert_ne!(name, sha);
        assert_ne!(BusinessKeys::derive(&[2; 32]).vault_name(&sha), name);
    }

    #[test]
    fn a_generated_passphrase_is_printable_and_long_enough() {
        let passphrase = generate_passphrase();
        assert_eq!(passphrase.len(), 24);
        assert!(passphrase
            .bytes()
            .all(|b| b == b'-' || PRINTABLE.contains(&b)));
        assert!(crate::check_passphrase(&passphrase).is_ok());
        assert_ne!(generate_passphrase(), passphrase);
    }
}
