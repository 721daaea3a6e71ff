//! A business's file (`.ventanilla`): its whole folder (database, vault, submissions and
//! receipts, which live in the database) handed to its owner in one file, and taken in
//! again on another computer.
//!
//! The file is a plain first line, `VENTANILLA-EXPEDIENTE <format>`, so a file of a
//! later format is told apart before any passphrase is asked for, followed by an age
//! file in its passphrase mode (scrypt, ChaCha20-Poly1305 in 64 KiB chunks; a cut or
//! altered file fails to decrypt) holding a tar of `business.db` (a consistent copy,
//! made with `VACUUM INTO`), `vault/<sha256>` and, last, `manifest.json` with the size
//! and SHA-256 of every file. An import unpacks into a folder of its own beside the
//! businesses, checks every file against the manifest and opens the database before one
//! rename puts it in place, so nothing is ever half-imported.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use age::secrecy::SecretString;
use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use std::sync::Arc;

use crate::business::BusinessStore;
use crate::lock;
use ventanilla_core::identifiers;

use crate::{private, Library, Result, StoreError};

/// The extension of a business's file.
pub const BUNDLE_EXTENSION: &str = "ventanilla";

/// age's scrypt cost (log₂ N) for a locked business's file: about 30 ms here.
const LOCKED_WORK_FACTOR: u8 = 15;

/// The fewest characters a passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

const MAGIC: &str = "VENTANILLA-EXPEDIENTE ";
const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "business.db";
/// More than any manifest can need; a larger one is not ours.
const MANIFEST_LIMIT: u64 = 16 << 20;
/// The work folders in the data folder, named so no business folder is mistaken for one.
const IMPORTING: &str = ".importing-";
const EXPORTING: &str = ".exporting-";

/// What to do when the business in a file is already on this computer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Import it beside the one here, as another business.
    KeepBoth,
    /// Replace the one here with it, only when the file's is newer.
    Replace,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// Files packed (the database and every document).
    pub files: usize,
    /// Their bytes, before encryption.
    pub bytes: u64,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The business's id on this computer.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it replaced the one that was here.
    pub replaced: bool,
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    business_id: String,
    rfc: String,
    name: String,
    exported_at: DateTime<Utc>,
    /// The latest change recorded in the business's own database, to tell which of
    /// two copies is newer.
    changed_at: Option<DateTime<Utc>>,
    /// A locked business's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    files: Vec<PackedFile>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PackedFile {
    path: String,
    size: u64,
    sha256: String,
}

/// Refuses a passphrase that is too short to protect a business's data.
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(StoreError::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    Ok(())
}

impl Library {
    /// Writes business `id` to `out`, encrypted with `passphrase`. The file appears
    /// whole or not at all: it is written beside `out` and renamed when complete.
    pub fn export_bundle(&self, id: &str, out: &Path, passphrase: &str) -> Result<Exported> {
        check_passphrase(passphrase)?;
        let business = self.open_business(id)?;
        let draft = business.load_draft()?;
        let folder = self.folder(id);
        // A locked business's file is sealed with its own passphrase, so the owner has
        // one to remember, and its key slot travels in it.
        let locked = lock::is_locked(&folder);
        if locked {
            lock::unlock(&folder, id, passphrase)?;
        }
        sweep_leftovers(self.root());
        let snapshot = self
            .root()
            .join(format!("{EXPORTING}{}.db", uuid::Uuid::now_v7()));
        let _snapshot_guard = private::RemoveOnDrop(snapshot.clone());
        business
            .conn
            .execute("VACUUM INTO ?1", [snapshot.to_string_lossy()])
            .map_err(business.sql())?;
        let changed_at = business.last_change()?;
        drop(business);

        let mut sources = vec![(DATABASE.to_owned(), snapshot.clone())];
        if locked {
            sources.push((lock::LOCK_FILE.to_owned(), folder.join(lock::LOCK_FILE)));
        }
        let vault = folder.join("vault");
        if vault.is_dir() {
            let mut names = Vec::new();
            for entry in fs::read_dir(&vault).map_err(StoreError::io(&vault))? {
                let entry = entry.map_err(StoreError::io(&vault))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                // Copies still arriving are not documents yet.
                if is_vault_name(&name) {
                    names.push(name);
                }
            }
            names.sort();
            sources.extend(
                names
                    .into_iter()
                    .map(|n| (format!("vault/{n}"), vault.join(&n))),
            );
        }

        let partial = out.with_file_name(format!(
            ".{}.partial-{}",
            out.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            uuid::Uuid::now_v7()
        ));
        // Once renamed into place there is nothing left at this path to remove.
        let _partial_guard = private::RemoveOnDrop(partial.clone());
        let file = private::write_options()
            .create_new(true)
            .open(&partial)
            .map_err(StoreError::io(&partial))?;
        let mut writer = BufWriter::new(file);
        writer
            .write_all(format!("{MAGIC}{FORMAT}\n").as_bytes())
            .map_err(StoreError::io(&partial))?;
        let encryptor = if locked {
            // Everything in a locked business's file is sealed already under its key
            // slot, whose Argon2id guards the passphrase; age's own scrypt then only
            // has to hide the file's structure, so it is not calibrated to a second.
            let mut recipient = age::scrypt::Recipient::new(secret(passphrase));
            recipient.set_work_factor(LOCKED_WORK_FACTOR);
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| StoreError::io(&partial)(io::Error::other(e)))?
        } else {
            age::Encryptor::with_user_passphrase(secret(passphrase))
        };
        let sealed = encryptor
            .wrap_output(writer)
            .map_err(StoreError::io(&partial))?;
        let mut tar = tar::Builder::new(sealed);
        let mut files = Vec::with_capacity(sources.len());
        for (name, path) in &sources {
            let source = File::open(path).map_err(StoreError::io(path))?;
            let size = source.metadata().map_err(StoreError::io(path))?.len();
            let mut hashing = Hashing::new(source);
            append(&mut tar, name, size, &mut hashing).map_err(StoreError::io(path))?;
            files.push(PackedFile {
                path: name.clone(),
                size,
                sha256: hashing.hex(),
            });
        }
        let manifest = Manifest {
            format: FORMAT,
            business_id: id.to_owned(),
            rfc: identifiers::normalize(&draft.rfc),
            name: draft.name.trim().to_owned(),
            exported_at: Utc::now(),
            changed_at,
            label: self.locked_label(id)?,
            files: files.clone(),
        };
        let manifest = serde_json::to_vec_pretty(&manifest).expect("a manifest serializes");
        append(
            &mut tar,
            MANIFEST,
            manifest.len() as u64,
            &mut manifest.as_slice(),
        )
        .map_err(StoreError::io(&partial))?;
        let sealed = tar.into_inner().map_err(StoreError::io(&partial))?;
        let writer = sealed.finish().map_err(StoreError::io(&partial))?;
        let file = writer
            .into_inner()
            .map_err(|e| StoreError::io(&partial)(e.into_error()))?;
        file.sync_all().map_err(StoreError::io(&partial))?;
        drop(file);
        fs::rename(&partial, out).map_err(StoreError::io(out))?;
        Ok(Exported {
            files: files.len(),
            bytes: files.iter().map(|f| f.size).sum(),
        })
    }

    /// Takes in the business in `file`. With no `conflict` choice, a business that is
    /// already here (the same id, or else the same RFC) is refused with
    /// [`StoreError::BundleExists`], so the person can choose.
    pub fn import_bundle(
        &self,
        file: &Path,
        passphrase: &str,
        conflict: Option<Conflict>,
    ) -> Result<Imported> {
        sweep_leftovers(self.root());
        let staging = self
            .root()
            .join(format!("{IMPORTING}{}", uuid::Uuid::now_v7()));
        let _staging_guard = private::RemoveOnDrop(staging.clone());
        let manifest = unpack(file, passphrase, &staging)?;
        // Opening checks the database and its schema before anything is replaced.
        let keys = if lock::is_locked(&staging) {
            Some(Arc::new(lock::unlock(
                &staging,
                &manifest.business_id,
                passphrase,
            )?))
        } else {
            None
        };
        drop(BusinessStore::open(&staging, keys)?);

        let existing = self.existing(&manifest, passphrase)?;
        let (id, replaced) = match (existing, conflict) {
            (None, _) => (manifest.business_id.clone(), false),
            (Some(existing), None) => {
                return Err(StoreError::BundleExists {
                    id: existing.id,
                    name: existing.name,
                });
            }
            (Some(_), Some(Conflict::KeepBoth)) => {
                let id = uuid::Uuid::now_v7().to_string();
                if lock::is_locked(&staging) {
                    lock::rebind(&staging, &manifest.business_id, &id, passphrase)?;
                }
                (id, false)
            }
            (Some(existing), Some(Conflict::Replace)) => {
                let newer = match (manifest.changed_at, existing.changed_at) {
                    (Some(theirs), Some(ours)) => theirs > ours,
                    (theirs, ours) => theirs.is_some() || ours.is_none(),
                };
                if !newer {
                    return Err(StoreError::BundleOlder {
                        name: existing.name,
                    });
                }
                (existing.id, true)
            }
        };

        let target = self.folder(&id);
        if replaced {
            // The old folder moves aside first, so a failure leaves one whole copy.
            let aside = self
                .root()
                .join(format!(".replaced-{}", uuid::Uuid::now_v7()));
            fs::rename(&target, &aside).map_err(StoreError::io(&target))?;
            if let Err(e) = fs::rename(&staging, &target) {
                let _ = fs::rename(&aside, &target);
                return Err(StoreError::io(&target)(e));
            }
            // Best effort: what is left is a copy the import already replaced.
            let _ = fs::remove_dir_all(&aside);
        } else {
            fs::rename(&staging, &target).map_err(StoreError::io(&target))?;
        }
        self.index_folder(&id)?;
        if lock::is_locked(&target) {
            self.forget_in_index(&id, &locked_label(&manifest))?;
        }
        Ok(Imported {
            id,
            name: manifest.name,
            replaced,
        })
    }

    /// The business here that a file's is: the same id, or else the same RFC.
    fn existing(&self, manifest: &Manifest, passphrase: &str) -> Result<Option<Existing>> {
        let by_rfc = || -> Result<Option<String>> {
            Ok(self
                .business_rfcs()?
                .into_iter()
                .find(|(rfc, _)| !manifest.rfc.is_empty() && *rfc == manifest.rfc)
                .map(|(_, id)| id))
        };
        let id = match self.require(&manifest.business_id) {
            Ok(()) => Some(manifest.business_id.clone()),
            Err(StoreError::UnknownBusiness(_)) => by_rfc()?,
            Err(e) => return Err(e),
        };
        let Some(id) = id else { return Ok(None) };
        // A copy here that is locked is compared when the file's passphrase opens it.
        let opened = match self.open_business(&id) {
            Err(StoreError::Locked { .. }) => {
                let folder = self.folder(&id);
                let keys = lock::unlock(&folder, &id, passphrase)?;
                BusinessStore::open(&folder, Some(Arc::new(keys)))
            }
            other => other,
        };
        let (name, changed_at) = match opened {
            Ok(business) => (
                business.load_draft()?.name.trim().to_owned(),
                business.last_change()?,
            ),
            // A damaged copy here is older than any sound file.
            Err(StoreError::Damaged { .. }) => (manifest.name.clone(), None),
            Err(e) => return Err(e),
        };
        Ok(Some(Existing {
            id,
            name,
            changed_at,
        }))
    }
}

struct Existing {
    id: String,
    name: String,
    changed_at: Option<DateTime<Utc>>,
}

impl BusinessStore {
    /// The latest instant any of the business's records was written.
    pub(crate) fn last_change(&self) -> Result<Option<DateTime<Utc>>> {
        self.conn
            .query_row(
                "SELECT MAX(at) FROM (
                     SELECT MAX(updated_at) AS at FROM registration_field
                     UNION ALL SELECT MAX(updated_at) FROM representative
                     UNION ALL SELECT MAX(attached_at) FROM document
                     UNION ALL SELECT MAX(created_at) FROM submission
                     UNION ALL SELECT MAX(updated_at) FROM outbox
                     UNION ALL SELECT MAX(verified_at) FROM receipt
                     UNION ALL SELECT MAX(updated_at) FROM bid
                     UNION ALL SELECT MAX(updated_at) FROM bid_field
                     UNION ALL SELECT MAX(added_at) FROM bid_annex
                     UNION ALL SELECT MAX(updated_at) FROM fiel)",
                params![],
                |r| r.get(0),
            )
            .map_err(self.sql())
    }
}

/// Decrypts and unpacks `file` into `staging`, checking every file against the
/// manifest; returns the manifest.
fn unpack(file: &Path, passphrase: &str, staging: &Path) -> Result<Manifest> {
    let damaged = |detail: String| StoreError::BundleDamaged { detail };
    let opened = File::open(file).map_err(|source| StoreError::SourceUnreadable {
        path: file.to_path_buf(),
        source,
    })?;
    let mut reader = BufReader::new(opened);
    let mut first = Vec::new();
    reader
        .by_ref()
        .take(64)
        .read_until(b'\n', &mut first)
        .map_err(StoreError::io(file))?;
    let not_ours = || StoreError::BundleNotOurs {
        path: file.to_path_buf(),
    };
    let format = std::str::from_utf8(&first)
        .ok()
        .and_then(|line| line.strip_prefix(MAGIC))
        .and_then(|rest| rest.strip_suffix('\n'))
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(not_ours)?;
    if format > FORMAT {
        return Err(StoreError::BundleNewer { found: format });
    }

    let decryptor = age::Decryptor::new_buffered(reader).map_err(|e| damaged(e.to_string()))?;
    if !decryptor.is_scrypt() {
        return Err(not_ours());
    }
    let identity = age::scrypt::Identity::new(secret(passphrase));
    let plain = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                StoreError::BundleWrongPassphrase
            }
            other => damaged(other.to_string()),
        })?;

    private::create_dir_all(&staging.join("vault")).map_err(StoreError::io(staging))?;
    let mut archive = tar::Archive::new(plain);
    let mut unpacked = Vec::new();
    let mut manifest = None;
    let entries = archive.entries().map_err(|e| damaged(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| damaged(e.to_string()))?;
        let name = entry
            .path()
            .map_err(|e| damaged(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(damaged(format!("{name} is not a file")));
        }
        if name == MANIFEST {
            let mut json = Vec::new();
            entry
                .by_ref()
                .take(MANIFEST_LIMIT)
                .read_to_end(&mut json)
                .map_err(|e| damaged(e.to_string()))?;
            manifest = Some(
                serde_json::from_slice::<Manifest>(&json).map_err(|e| damaged(e.to_string()))?,
            );
            continue;
        }
        let known = name == DATABASE
            || name == lock::LOCK_FILE
            || name.strip_prefix("vault/").is_some_and(is_vault_name);
        if !known || manifest.is_some() {
            return Err(damaged(format!("unexpected entry {name}")));
        }
        let path = staging.join(&name);
        let out = private::write_options()
            .create_new(true)
            .open(&path)
            .map_err(StoreError::io(&path))?;
        let mut out = BufWriter::new(out);
        let mut hashing = Hashing::new(&mut entry);
        let size = io::copy(&mut hashing, &mut out).map_err(|e| damaged(e.to_string()))?;
        let file = out
            .into_inner()
            .map_err(|e| StoreError::io(&path)(e.into_error()))?;
        file.sync_all().map_err(StoreError::io(&path))?;
        unpacked.push(PackedFile {
            path: name,
            size,
            sha256: hashing.hex(),
        });
    }
    // The last chunk is authenticated too: read to the end so a cut file is caught.
    io::copy(&mut archive.into_inner(), &mut io::sink()).map_err(|e| damaged(e.to_string()))?;

    let manifest = manifest.ok_or_else(|| damaged("no manifest".into()))?;
    if manifest.format != format {
        return Err(damaged("the manifest's format is not the file's".into()));
    }
    let mut listed = manifest.files.clone();
    listed.sort();
    unpacked.sort();
    if listed != unpacked {
        return Err(damaged("the files do not match the manifest".into()));
    }
    if uuid::Uuid::parse_str(&manifest.business_id).is_err() {
        return Err(damaged("the business id is not one".into()));
    }
    Ok(manifest)
}

/// Removes what an export or import cut short by a crash left in the data folder (a
/// copy of a business in the clear), once it is an hour old, so that one running in
/// another window is never touched.
fn sweep_leftovers(root: &Path) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|at| at.elapsed().is_ok_and(|age| age.as_secs() > 3600));
        if stale && name.starts_with(IMPORTING) {
            let _ = fs::remove_dir_all(entry.path());
        } else if stale && name.starts_with(EXPORTING) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The label a locked business takes in: the one it had when it was exported.
fn locked_label(manifest: &Manifest) -> String {
    manifest
        .label
        .clone()
        .unwrap_or_else(|| manifest.name.clone())
}

fn is_vault_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

fn secret(passphrase: &str) -> SecretString {
    SecretString::from(passphrase.to_owned())
}

fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    name: &str,
    size: u64,
    data: &mut dyn Read,
) -> io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, name, data)
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    fn hex(self) -> String {
        format!("{:x}", self.hasher.finalize())
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}
