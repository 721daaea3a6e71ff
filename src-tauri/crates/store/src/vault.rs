//! The document vault: a business's files, each stored once by its content as
//! `<business folder>/vault/<sha256>`, and the `document` records in its `business.db`
//! that point at them, one per file attached to a checklist item, history included.
//!
//! A file is checked by core before a byte is copied; it is then copied and hashed in
//! one pass into a temporary file, synced, and renamed to its hash, so the vault never
//! holds a half-written file under a hash name. Its record is written only once the
//! file is in place, so no record ever points at a file that was not fully written.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ventanilla_core::checklist::{
    self, Catalogue, DocumentFact, Evaluation, Procedure, Profile, Requirement,
};
use ventanilla_core::filecheck::{self, Checked, FileKind};

use std::sync::Arc;

use crate::business::BusinessStore;
use crate::lock::BusinessKeys;
use crate::sealed::{sealed_len, OpenedReader, SealingWriter};
use crate::{stamp, Result, StoreError};

/// Files are copied and hashed this many bytes at a time.
const CHUNK: usize = 1024 * 1024;

/// A PDF up to this size is read whole before it is copied, so that its pages can be
/// counted; a larger one is checked on its start and end, which is enough for the rest.
const WHOLE_PDF_LIMIT: u64 = 64 * 1024 * 1024;

/// How much of a file's start (and of a large PDF's end) the checks read: the kind is in
/// the first bytes, and a PDF's end-of-file marker and trailer in its last kilobytes.
const SAMPLE: u64 = 64 * 1024;

/// One file attached to a checklist item.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Its id in the business.
    pub id: String,
    /// The code of its requirement.
    pub requirement: String,
    /// Whose document it is, for a per-representative requirement.
    pub representative: Option<String>,
    /// The SHA-256 of its content, in lowercase hex: also its file name in the vault.
    pub sha256: String,
    /// The file's name where it was attached from, for showing.
    pub original_name: String,
    /// Its type, from its first bytes.
    pub kind: FileKind,
    /// Its size in bytes.
    pub size: u64,
    /// For a PDF read whole, its page count when the scan could tell.
    pub pages: Option<u32>,
    /// The day it was issued, as the user gave it.
    pub issued_on: Option<NaiveDate>,
    /// Its last valid day, as the user gave it.
    pub expires_on: Option<NaiveDate>,
    /// When it was attached.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    pub attached_at: DateTime<Utc>,
    /// The document that took its place on the item; `None` for the current one.
    pub replaced_by: Option<String>,
    /// The alcaldía's reason, when it rejected the document.
    pub rejected_reason: Option<String>,
}

impl Document {
    /// What the rules engine needs to know of this document.
    pub fn fact(&self) -> DocumentFact {
        DocumentFact {
            requirement: self.requirement.clone(),
            representative: self.representative.clone(),
            issued_on: self.issued_on,
            expires_on: self.expires_on,
            rejected: self.rejected_reason.clone(),
        }
    }
}

/// Whether a document's file in the vault still holds what was attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integrity {
    /// The file is there with the hash it was stored under.
    Ok,
    /// The file is gone from the vault.
    Missing,
    /// Its content no longer has the hash it was stored under.
    Altered,
}

/// The folder of a business's files, named by their content: by their SHA-256, or in
/// a locked business sealed and named by a keyed hash of it (see `lock.rs`).
pub(crate) struct Vault {
    dir: PathBuf,
    keys: Option<Arc<BusinessKeys>>,
}

/// A vault file opened to read what was attached.
pub struct VaultFile(Opened);

enum Opened {
    /// A business without a lock keeps its files as they were attached.
    Plain(File, u64),
    /// A locked business's file, opened with its key.
    Sealed(OpenedReader),
}

impl VaultFile {
    /// The size of what was attached.
    pub fn len(&self) -> u64 {
        match &self.0 {
            Opened::Plain(_, len) => *len,
            Opened::Sealed(reader) => reader.len(),
        }
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Read for VaultFile {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match &mut self.0 {
            Opened::Plain(file, _) => file.read(buffer),
            Opened::Sealed(reader) => reader.read(buffer),
        }
    }
}

impl Seek for VaultFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match &mut self.0 {
            Opened::Plain(file, _) => file.seek(to),
            Opened::Sealed(reader) => reader.seek(to),
        }
    }
}

impl Vault {
    pub(crate) fn new(business_folder: &Path, keys: Option<Arc<BusinessKeys>>) -> Vault {
        Vault {
            dir: business_folder.join("vault"),
            keys,
        }
    }

    pub(crate) fn path(&self, sha256: &str) -> PathBuf {
        match &self.keys {
            Some(keys) => self.dir.join(keys.vault_name(sha256)),
            None => self.dir.join(sha256),
        }
    }

    /// Opens the file of the content `sha256` to read it as attached.
    pub(crate) fn open(&self, sha256: &str) -> io::Result<VaultFile> {
        let file = File::open(self.path(sha256))?;
        match &self.keys {
            Some(keys) => Ok(VaultFile(Opened::Sealed(OpenedReader::new(
                file,
                keys.vault_key(),
            )?))),
            None => {
                let len = file.metadata()?.len();
                Ok(VaultFile(Opened::Plain(file, len)))
            }
        }
    }

    /// Whether the file of a document of `size` bytes is there with its size.
    pub(crate) fn present(&self, sha256: &str, size: u64) -> Integrity {
        let stored = if self.keys.is_some() {
            sealed_len(size)
        } else {
            size
        };
        match fs::metadata(self.path(sha256)) {
            Ok(meta) if meta.len() == stored => Integrity::Ok,
            Ok(_) => Integrity::Altered,
            Err(_) => Integrity::Missing,
        }
    }

    /// Copies `source` (`size` bytes, read from its position) into the vault and
    /// returns its hash. The copy goes to `.incoming-<uuid>`, is synced, and is renamed
    /// to the hash unless a file with that hash is already there, which is then kept as
    /// the one copy.
    fn store(
        &self,
        source: &mut File,
        size: u64,
        unreadable: &dyn Fn(io::Error) -> StoreError,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<String> {
        crate::private::create_dir_all(&self.dir).map_err(StoreError::io(&self.dir))?;
        let incoming = crate::private::RemoveOnDrop(
            self.dir.join(format!(".incoming-{}", uuid::Uuid::now_v7())),
        );
        // Declared after its guard, so the file is closed before the guard removes it
        // (Windows cannot remove an open file).
        let file = crate::private::write_options()
            .create_new(true)
            .open(&incoming.0)
            .map_err(StoreError::io(&incoming.0))?;
        let written = |source| StoreError::Io {
            path: incoming.0.clone(),
            source,
        };
        // A locked business's file is sealed as it is copied: no plaintext touches
        // the disk.
        let (sha256, copied, file) = match &self.keys {
            Some(keys) => {
                let mut sealing = SealingWriter::new(file, keys.vault_key()).map_err(written)?;
                let (sha256, copied) =
                    pump(source, unreadable, &mut sealing, &written, size, progress)?;
                (sha256, copied, sealing.finish().map_err(written)?)
            }
            None => {
                let mut file = file;
                let (sha256, copied) =
                    pump(source, unreadable, &mut file, &written, size, progress)?;
                (sha256, copied, file)
            }
        };
        if copied != size {
            return Err(unreadable(io::Error::other(
                "the file changed while it was being copied",
            )));
        }
        file.sync_all().map_err(written)?;
        drop(file);
        let target = self.path(&sha256);
        // Stored before, for another item or an earlier attach: kept once, and the
        // guard drops the copy.
        if !target.try_exists().map_err(StoreError::io(&target))? {
            fs::rename(&incoming.0, &target).map_err(StoreError::io(&target))?;
            crate::private::sync_dir(&self.dir)?;
        }
        Ok(sha256)
    }

    /// Re-hashes the file stored under `sha256`.
    fn integrity(&self, sha256: &str) -> Result<Integrity> {
        let path = self.path(sha256);
        let mut file = match self.open(sha256) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Integrity::Missing),
            // A sealed file that does not open was altered.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(Integrity::Altered),
            Err(e) => return Err(StoreError::io(&path)(e)),
        };
        let failed = |source| StoreError::Io {
            path: path.clone(),
            source,
        };
        let found = match pump(
            &mut file,
            &failed,
            &mut io::sink(),
            &failed,
            0,
            &mut |_, _| true,
        ) {
            Ok((found, _)) => found,
            Err(StoreError::Io { source, .. }) if source.kind() == io::ErrorKind::InvalidData => {
                return Ok(Integrity::Altered)
            }
            Err(e) => return Err(e),
        };
        Ok(if found == sha256 {
            Integrity::Ok
        } else {
            Integrity::Altered
        })
    }
}

/// Reads `reader` to its end a [`CHUNK`] at a time, feeding each chunk to a SHA-256 and
/// to `sink`. `progress` hears (bytes so far, `total`) after each chunk and cancels by
/// answering false. Returns the hash in lowercase hex and the number of bytes read.
fn pump(
    reader: &mut dyn Read,
    read_failed: &dyn Fn(io::Error) -> StoreError,
    sink: &mut dyn Write,
    write_failed: &dyn Fn(io::Error) -> StoreError,
    total: u64,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<(String, u64)> {
    let mut buffer = vec![0; CHUNK];
    let mut hasher = Sha256::new();
    let mut done = 0_u64;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_failed(e)),
        };
        hasher.update(&buffer[..n]);
        sink.write_all(&buffer[..n]).map_err(write_failed)?;
        done += n as u64;
        if !progress(done, total) {
            return Err(StoreError::Cancelled);
        }
    }
    Ok((format!("{:x}", hasher.finalize()), done))
}

/// What the file checks read of a file of `size` bytes: all of it when it is small, or a
/// PDF under [`WHOLE_PDF_LIMIT`] that `max_bytes` allows; else its start, followed for a
/// PDF by its end. Leaves the file's position anywhere.
fn read_sample(mut file: &File, size: u64, max_bytes: u64) -> io::Result<Vec<u8>> {
    let mut sample = Vec::new();
    file.take(SAMPLE).read_to_end(&mut sample)?;
    let whole = sample.len() as u64 >= size;
    if whole || filecheck::sniff(&sample) != Some(FileKind::Pdf) || size > max_bytes {
        return Ok(sample);
    }
    if size < WHOLE_PDF_LIMIT {
        file.take(size - sample.len() as u64)
            .read_to_end(&mut sample)?;
    } else {
        file.seek(SeekFrom::Start(size - SAMPLE))?;
        file.take(SAMPLE).read_to_end(&mut sample)?;
    }
    Ok(sample)
}

/// The stored name of a kind of file.
fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Pdf => "pdf",
        FileKind::Jpeg => "jpeg",
        FileKind::Png => "png",
    }
}

/// Refuses dates that cannot be right on today's Mexico City day, in the words the
/// checklist would use for them.
fn refuse_dates(issued_on: Option<NaiveDate>, expires_on: Option<NaiveDate>) -> Result<()> {
    let today = checklist::mexico_city_today(Utc::now());
    match checklist::date_problem(issued_on, expires_on, today) {
        Some(problem) => Err(StoreError::DateRefused { problem }),
        None => Ok(()),
    }
}

const COLUMNS: &str = "id, requirement, representative, sha256, original_name, kind, size, pages,
     issued_on, expires_on, attached_at, replaced_by, rejected_reason";

fn document_from_row(row: &Row) -> rusqlite::Result<Document> {
    let kind: String = row.get(5)?;
    let kind = FileKind::all()
        .iter()
        .copied()
        .find(|&k| kind_name(k) == kind)
        .ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                5,
                rusqlite::types::Type::Text,
                format!("unknown kind of file {kind}").into(),
            )
        })?;
    Ok(Document {
        id: row.get(0)?,
        requirement: row.get(1)?,
        representative: row.get(2)?,
        sha256: row.get(3)?,
        original_name: row.get(4)?,
        kind,
        size: row.get(6)?,
        pages: row.get(7)?,
        issued_on: row.get(8)?,
        expires_on: row.get(9)?,
        attached_at: row.get(10)?,
        replaced_by: row.get(11)?,
        rejected_reason: row.get(12)?,
    })
}

impl BusinessStore {
    /// Attaches the file at `source` to the item of `requirement` (and `representative`,
    /// for a per-representative one), making it the item's current document; the one it
    /// replaces stays in the item's history.
    ///
    /// Dates and file are checked before a byte is copied, and a refusal carries core's
    /// reason. `progress` hears (bytes copied, total) as the copy goes and cancels it by
    /// answering false. On any failure or cancel, nothing is recorded and the vault
    /// holds what it held before.
    pub fn attach(
        &self,
        source: &Path,
        requirement: &Requirement,
        representative: Option<&str>,
        issued_on: Option<NaiveDate>,
        expires_on: Option<NaiveDate>,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Document> {
        refuse_dates(issued_on, expires_on)?;
        if let Some(id) = representative {
            self.require_representative(id)?;
        }
        let unreadable = |e: io::Error| StoreError::SourceUnreadable {
            path: source.to_path_buf(),
            source: e,
        };
        let metadata = fs::metadata(source).map_err(unreadable)?;
        if !metadata.is_file() {
            return Err(unreadable(io::Error::other("not a file")));
        }
        let size = metadata.len();
        let mut file = File::open(source).map_err(unreadable)?;
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let sample = read_sample(&file, size, requirement.max_bytes).map_err(unreadable)?;
        let Checked { kind, pages } = filecheck::check_file(&name, &sample, size, requirement)
            .map_err(|problem| StoreError::FileRefused { problem })?;
        // Up to 64 MiB, not kept through the copy.
        drop(sample);
        file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
        let sha256 = self.vault.store(&mut file, size, &unreadable, progress)?;
        let document = Document {
            id: uuid::Uuid::now_v7().to_string(),
            requirement: requirement.code.clone(),
            representative: representative.map(str::to_owned),
            sha256,
            original_name: name,
            kind,
            size,
            pages,
            issued_on,
            expires_on,
            attached_at: ventanilla_core::stamp::now(),
            replaced_by: None,
            rejected_reason: None,
        };
        if let Err(e) = self.record(&document) {
            // Best effort: a file this attach placed must not outlive its missing record.
            let _ = self.remove_if_unreferenced(&document.sha256);
            return Err(e);
        }
        Ok(document)
    }

    /// Writes a new current document, in one transaction with marking the item's
    /// previous current document as replaced by it.
    fn record(&self, document: &Document) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        tx.execute(
            "UPDATE document SET replaced_by = ?1
             WHERE requirement = ?2 AND representative IS ?3 AND replaced_by IS NULL",
            params![document.id, document.requirement, document.representative],
        )
        .map_err(self.sql())?;
        tx.execute(
            &format!("INSERT INTO document ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
            params![
                document.id,
                document.requirement,
                document.representative,
                document.sha256,
                document.original_name,
                kind_name(document.kind),
                document.size,
                document.pages,
                document.issued_on,
                document.expires_on,
                stamp(document.attached_at),
                document.replaced_by,
                document.rejected_reason,
            ],
        )
        .map_err(self.sql())?;
        tx.commit().map_err(self.sql())
    }

    fn select_documents(
        &self,
        condition: &str,
        values: impl rusqlite::Params,
    ) -> Result<Vec<Document>> {
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM document WHERE {condition}"))
            .map_err(self.sql())?;
        let rows = statement
            .query_map(values, document_from_row)
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.sql())
    }

    /// The current document of every item, oldest attach first.
    pub fn documents(&self) -> Result<Vec<Document>> {
        self.select_documents("replaced_by IS NULL ORDER BY attached_at, id", [])
    }

    /// Every document attached to one item, the current one first, then the ones it
    /// replaced, newest first.
    pub fn history(
        &self,
        requirement: &str,
        representative: Option<&str>,
    ) -> Result<Vec<Document>> {
        self.select_documents(
            "requirement = ?1 AND representative IS ?2
             ORDER BY replaced_by IS NOT NULL, attached_at DESC, id DESC",
            params![requirement, representative],
        )
    }

    /// Removes a document's record; its file goes too unless another record uses the
    /// same content. In the item's history, the document it had replaced takes its
    /// place: removing the current document brings the previous one back.
    pub fn remove_document(&self, id: &str) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(self.sql())?;
        let (sha256, replaced_by): (String, Option<String>) = tx
            .query_row(
                "SELECT sha256, replaced_by FROM document WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.sql())?
            .ok_or_else(|| StoreError::UnknownDocument(id.to_owned()))?;
        // Deleted first, so that the one coming back is never current beside it.
        tx.execute("DELETE FROM document WHERE id = ?1", [id])
            .map_err(self.sql())?;
        tx.execute(
            "UPDATE document SET replaced_by = ?2 WHERE replaced_by = ?1",
            params![id, replaced_by],
        )
        .map_err(self.sql())?;
        tx.commit().map_err(self.sql())?;
        // After the commit, so a failed one never loses a file still referenced.
        self.remove_if_unreferenced(&sha256)
    }

    /// Deletes the vault's file with `sha256` when no record refers to it: neither a
    /// document nor a submission, which must still be able to send it.
    fn remove_if_unreferenced(&self, sha256: &str) -> Result<()> {
        let referenced: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM document WHERE sha256 = ?1
                 UNION ALL SELECT 1 FROM submission_document WHERE sha256 = ?1 LIMIT 1",
                [sha256],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())?;
        if referenced.is_some() {
            return Ok(());
        }
        let path = self.vault.path(sha256);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(StoreError::io(&path)(e)),
            _ => Ok(()),
        }
    }

    /// Corrects the dates of a document, refusing the ones the checklist would call
    /// impossible.
    pub fn set_document_dates(
        &self,
        id: &str,
        issued_on: Option<NaiveDate>,
        expires_on: Option<NaiveDate>,
    ) -> Result<()> {
        refuse_dates(issued_on, expires_on)?;
        let changed = self
            .conn
            .execute(
                "UPDATE document SET issued_on = ?2, expires_on = ?3 WHERE id = ?1",
                params![id, issued_on, expires_on],
            )
            .map_err(self.sql())?;
        if changed == 0 {
            return Err(StoreError::UnknownDocument(id.to_owned()));
        }
        Ok(())
    }

    /// Re-hashes the file of every document, history included; each content is read
    /// once however many records share it.
    pub fn verify_vault(&self) -> Result<Vec<(String, Integrity)>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, sha256 FROM document ORDER BY attached_at, id")
            .map_err(self.sql())?;
        let rows = statement
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.sql())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())?;
        let mut verdicts: HashMap<String, Integrity> = HashMap::new();
        let mut report = Vec::with_capacity(rows.len());
        for (id, sha256) in rows {
            let integrity = match verdicts.get(&sha256) {
                Some(&known) => known,
                None => {
                    let found = self.vault.integrity(&sha256)?;
                    verdicts.insert(sha256, found);
                    found
                }
            };
            report.push((id, integrity));
        }
        Ok(report)
    }

    /// What the checklist rules need of the current documents.
    pub fn document_facts(&self) -> Result<Vec<DocumentFact>> {
        Ok(self.documents()?.iter().map(Document::fact).collect())
    }

    /// How many replaced documents each item keeps in its history, keyed by
    /// (requirement, representative), in one query for the whole checklist.
    pub fn earlier_versions(&self) -> Result<HashMap<(String, Option<String>), u32>> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT requirement, representative, COUNT(*) FROM document
                 WHERE replaced_by IS NOT NULL GROUP BY requirement, representative",
            )
            .map_err(self.sql())?;
        let rows = statement
            .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.sql())
    }

    /// The business's checklist on `today` (a Mexico City day) for `procedure` (`None`:
    /// the registration itself), from its draft and its current documents; `None`
    /// while the draft does not say whether it is a persona física or moral.
    pub fn checklist(
        &self,
        catalogue: &Catalogue,
        procedure: Option<Procedure>,
        today: NaiveDate,
    ) -> Result<Option<Evaluation>> {
        let Some(profile) = Profile::from_draft(&self.load_draft()?) else {
            return Ok(None);
        };
        let documents = self.document_facts()?;
        Ok(Some(checklist::evaluate(
            catalogue, &profile, procedure, today, &documents,
        )))
    }

    /// Opens a document's file to read what was attached (sealed or not).
    pub fn open_document(&self, sha256: &str) -> Result<VaultFile> {
        self.vault
            .open(sha256)
            .map_err(StoreError::io(&self.vault.path(sha256)))
    }

    /// Whether a document's file is there with its size, without reading it.
    pub fn document_present(&self, document: &Document) -> Integrity {
        self.vault.present(&document.sha256, document.size)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_stored_by_their_serialized_names() {
        for &kind in FileKind::all() {
            let serialized = serde_json::to_value(kind).unwrap();
            assert_eq!(serialized, kind_name(kind));
        }
    }

    #[test]
    fn pump_hashes_reports_progress_and_cancels() {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        let no_error = |_| StoreError::Cancelled;
        let mut copy = Vec::new();
        let mut heard = Vec::new();
        let (sha256, n) = pump(
            &mut b"abc".as_slice(),
            &no_error,
            &mut copy,
            &no_error,
            3,
            &mut |done, total| {
                heard.push((done, total));
                true
            },
        )
        .unwrap();
        assert_eq!((sha256.as_str(), n, copy.as_slice()), (abc, 3, &b"abc"[..]));
        assert_eq!(heard, [(3, 3)]);

        let big = vec![7_u8; CHUNK * 2 + 1];
        let mut chunks = 0;
        let cancelled = pump(
            &mut big.as_slice(),
            &no_error,
            &mut io::sink(),
            &no_error,
            big.len() as u64,
            &mut |_, _| {
                chunks += 1;
                chunks < 2
            },
        );
        assert!(matches!(cancelled, Err(StoreError::Cancelled)));
        assert_eq!(chunks, 2);
    }

    #[test]
    fn samples_hold_start_and_end_of_large_pdfs() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        let sample = |name: &str, max: u64| {
            let file = File::open(path(name)).unwrap();
            let size = file.metadata().unwrap().len();
            read_sample(&file, size, max).unwrap()
        };
        fs::write(path("small.pdf"), b"%PDF-1.4 tiny").unwrap();
        assert_eq!(sample("small.pdf", u64::MAX), b"%PDF-1.4 tiny");

        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.resize(3 * SAMPLE as usize, b'x');
        pdf.extend_from_slice(b"%%EOF\n");
        fs::write(path("medium.pdf"), &pdf).unwrap();
        assert_eq!(sample("medium.pdf", u64::MAX), pdf);
        // Over its requirement's limit it is refused on its size: no need to read it.
        assert_eq!(sample("medium.pdf", 10).len() as u64, SAMPLE);

        let mut image = pdf.clone();
        image[..3].copy_from_slice(b"\xFF\xD8\xFF");
        fs::write(path("photo.jpg"), &image).unwrap();
        assert_eq!(sample("photo.jpg", u64::MAX), &image[..SAMPLE as usize]);

        // A file beyond the whole-PDF limit, sparse so the test stays small on disk.
        let mut large = File::create(path("large.pdf")).unwrap();
        large.write_all(b"%PDF-1.7\n").unwrap();
        large.set_len(WHOLE_PDF_LIMIT + 10).unwrap();
        large.seek(SeekFrom::End(-6)).unwrap();
        large.write_all(b"%%EOF\n").unwrap();
        let taken = sample("large.pdf", u64::MAX);
        assert_eq!(taken.len() as u64, 2 * SAMPLE);
        assert!(taken.starts_with(b"%PDF-1.7\n") && taken.ends_with(b"%%EOF\n"));
    }
}
