//! Documents on disk ([`Blobs`] on a folder): uploads in progress (`uploads/<id>`) and
//! finished documents (`documents/<sha256>`), stored once whoever uploaded them. Which account may use a
//! document is the database's business, not the file system's. Everything the server
//! keeps is readable only by its user, whatever the umask it was started with.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::blobs::{self, Blobs};

/// Creates `path` and any missing parents with mode 0700.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Options that create files with mode 0600 (the umask can only take bits away).
pub fn private_file() -> OpenOptions {
    // Elsewhere than Unix, files take their folder's access rules (on Windows, the
    // profile's: its user, SYSTEM and the administrators), so nothing is changed.
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

pub struct Files {
    uploads: PathBuf,
    documents: PathBuf,
}

impl Files {
    /// Creates the folders under `dir` when missing.
    pub fn open(dir: &Path) -> io::Result<Files> {
        let files = Files {
            uploads: dir.join("uploads"),
            documents: dir.join("documents"),
        };
        create_private_dir(&files.uploads)?;
        create_private_dir(&files.documents)?;
        Ok(files)
    }

    fn part(&self, id: Uuid) -> PathBuf {
        self.uploads.join(id.to_string())
    }

    /// Writes `chunk` at `offset` of an upload and syncs it. Whatever lies beyond
    /// `offset` (the remains of a write cut short) is dropped first, so the file always
    /// ends where the database says the upload stands. A write that fails (the disk
    /// full) gives its bytes back at once rather than at the next chunk.
    fn write_part(&self, id: Uuid, offset: u64, chunk: &[u8]) -> io::Result<()> {
        let mut file = private_file()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.part(id))?;
        file.set_len(offset)?;
        file.seek(SeekFrom::Start(offset))?;
        let written = file.write_all(chunk).and_then(|()| file.sync_data());
        if written.is_err() {
            let _ = file.set_len(offset);
        }
        written
    }

    /// The SHA-256 of an upload's bytes, hex.
    fn part_sha256(&self, id: Uuid) -> io::Result<String> {
        let mut file = File::open(self.part(id))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
        Ok(hex::encode(hasher.finalize()))
    }

    /// Drops an upload's bytes, if any.
    fn remove_part(&self, id: Uuid) -> io::Result<()> {
        match fs::remove_file(self.part(id)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

impl Blobs for Files {
    fn backend(&self) -> &'static str {
        "file"
    }

    /// A folder gone (an unmounted disk) is a store that does not answer.
    fn ping(&self) -> blobs::Result<()> {
        fs::metadata(&self.documents).map(drop).map_err(|e| {
            blobs::BlobError::Unreachable(format!("{}: {e}", self.documents.display()))
        })
    }

    fn write_chunk(&self, id: Uuid, offset: u64, chunk: &[u8]) -> blobs::Result<()> {
        Ok(self.write_part(id, offset, chunk)?)
    }

    /// The file's length is the database's offset, so only its hash is checked.
    fn keep(&self, id: Uuid, _size: u64, sha256: &str) -> blobs::Result<bool> {
        if self.part_sha256(id)? != sha256 {
            self.remove_part(id)?;
            return Ok(false);
        }
        let target = self.documents.join(sha256);
        if target.exists() {
            self.remove_part(id)?;
            return Ok(true);
        }
        fs::rename(self.part(id), &target)?;
        // The rename is durable only once the folder itself is synced.
        File::open(&self.documents)?.sync_all()?;
        Ok(true)
    }

    fn discard(&self, id: Uuid) -> blobs::Result<()> {
        Ok(self.remove_part(id)?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_replaces_whatever_a_cut_write_left_beyond_its_offset() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::open(dir.path()).unwrap();
        let id = Uuid::now_v7();
        files.write_chunk(id, 0, b"hola ").unwrap();
        files.write_chunk(id, 5, b"basura que no cuenta").unwrap();
        files.write_chunk(id, 5, b"mundo").unwrap();
        let sha = ventanilla_api::sha256_hex(b"hola mundo");
        assert!(files.keep(id, 10, &sha).unwrap());
        assert_eq!(
            fs::read(dir.path().join("documents").join(&sha)).unwrap(),
            b"hola mundo"
        );
        files.discard(id).unwrap();
    }

    #[test]
    fn bytes_that_do_not_hash_to_the_declared_sha_are_dropped_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::open(dir.path()).unwrap();
        let id = Uuid::now_v7();
        files.write_chunk(id, 0, b"otra cosa").unwrap();
        let sha = ventanilla_api::sha256_hex(b"hola mundo");
        assert!(!files.keep(id, 9, &sha).unwrap());
        assert!(!dir.path().join("documents").join(&sha).exists());
        assert!(!dir.path().join("uploads").join(id.to_string()).exists());
    }
}
