//! Files and folders only their owner may open, whatever the process's umask: a
//! business's data (its RFC, its bank account, its documents) and the session token are
//! nobody else's on a shared computer. Elsewhere than Unix the folder's own access
//! rules apply: on Windows the data folder is in the user's profile (`%APPDATA%`),
//! which only that user, SYSTEM and the administrators may open.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `path` and any missing parent, each new folder open to its owner only.
/// Folders that already exist keep their permissions.
pub(crate) fn create_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Options for writing a file that, if it is created, only its owner may read.
pub(crate) fn write_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Creates the empty file a new SQLite database will fill, owner-only, so that the
/// database and the journal files SQLite gives its permissions (`-wal`, `-shm`) are
/// never readable by others, not even for a moment. An existing file is left as is.
pub(crate) fn create_database_file(path: &Path) -> io::Result<()> {
    write_options().create(true).open(path).map(drop)
}

/// Whether `path` is a file with nothing in it: a database that lost its contents
/// (a disk full or a copy cut short), not one to start afresh.
pub(crate) fn is_empty_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
}

/// Makes a rename in `dir` durable. Only Unix needs (and allows) syncing a folder; NTFS
/// journals the rename itself.
pub(crate) fn sync_dir(dir: &Path) -> crate::Result<()> {
    if cfg!(unix) {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(crate::StoreError::io(dir))?;
    }
    Ok(())
}

/// Removes a work file or folder when dropped: after an error, a cancel or a crash
/// of the operation. Once it was renamed into place nothing is left at its path, so
/// the removal does nothing.
pub(crate) struct RemoveOnDrop(pub(crate) std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if fs::remove_file(&self.0).is_err() {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}
