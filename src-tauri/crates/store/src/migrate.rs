//! Forward-only numbered migrations kept in `PRAGMA user_version`, run by
//! `rusqlite_migration`. Each database's SQL lives in `migrations/<database>/NNN_name.sql`;
//! file N takes the schema from version N - 1 to N, so a folder at version N continues at
//! N + 1. A migration is never edited once released: a change is a new file.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};

use crate::{Result, StoreError};

/// `app.db`: settings, the index of businesses, the catalogues.
pub(crate) const APP: &[&str] = &[
    include_str!("../migrations/app/001_settings_and_businesses.sql"),
    include_str!("../migrations/app/002_requirement_catalogue.sql"),
    include_str!("../migrations/app/003_tender_catalogue.sql"),
    include_str!("../migrations/app/004_unsent_count.sql"),
    include_str!("../migrations/app/005_bank_catalogue.sql"),
    include_str!("../migrations/app/006_fiel_expiry.sql"),
    include_str!("../migrations/app/007_enquiries_seen.sql"),
    include_str!("../migrations/app/008_tender_fits.sql"),
    include_str!("../migrations/app/009_locked_businesses.sql"),
    include_str!("../migrations/app/010_appointments.sql"),
];

/// Each business's `business.db`: its draft, documents, outbox, bids, e.firma files and
/// the record of who worked on it when.
pub(crate) const BUSINESS: &[&str] = &[
    include_str!("../migrations/business/001_registration.sql"),
    include_str!("../migrations/business/002_documents.sql"),
    include_str!("../migrations/business/003_outbox.sql"),
    include_str!("../migrations/business/004_bids.sql"),
    include_str!("../migrations/business/005_submission_signature.sql"),
    include_str!("../migrations/business/006_fiel.sql"),
    include_str!("../migrations/business/007_outbox_error_codes.sql"),
    include_str!("../migrations/business/008_questions.sql"),
    include_str!("../migrations/business/009_activity.sql"),
    include_str!("../migrations/business/010_activity_consent.sql"),
];

/// Opens (creating when `create`) a database, with SQLCipher's raw `key` (`x'…'`) when
/// it is encrypted, sets the pragmas every Ventanilla database uses, refuses one written by a newer schema, and applies the pending migrations in one
/// transaction. `migrations[i]` takes the schema from version i to i + 1. Foreign keys
/// are off while they run (a table can then be rebuilt, as SQLite's documentation
/// does it) and every one is checked before they are turned back on.
pub(crate) fn open(
    path: &Path,
    migrations: &[&str],
    create: bool,
    key: Option<&str>,
) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        crate::private::create_database_file(path).map_err(StoreError::io(path))?;
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags).map_err(StoreError::sqlite(path))?;
    if let Some(key) = key {
        // Keys are wiped from SQLCipher's memory when freed; temporary tables and
        // sorts stay in memory rather than in files beside the database.
        let pragmas = zeroize::Zeroizing::new(format!(
            "PRAGMA key = \"{key}\"; PRAGMA cipher_memory_security = ON;"
        ));
        conn.execute_batch(&pragmas)
            .map_err(StoreError::sqlite(path))?;
    }
    // A file that is not a database fails on its first read, which is this one.
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(StoreError::sqlite(path))?;
    let supported = migrations.len() as i64;
    if found > supported {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = OFF;
         PRAGMA busy_timeout = 5000;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(StoreError::sqlite(path))?;
    let migrations = Migrations::new(
        migrations
            .iter()
            .copied()
            .map(|sql| M::up(sql).foreign_key_check())
            .collect(),
    );
    migrations.to_latest(&mut conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::sqlite(path)(err),
        source => StoreError::Migration {
            path: path.to_path_buf(),
            source,
        },
    })?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")
        .map_err(StoreError::sqlite(path))?;
    Ok(conn)
}

/// Runs SQLite's own consistency check; anything but "ok" marks the file damaged.
pub(crate) fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(StoreError::sqlite(path))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Damaged {
            path: path.to_path_buf(),
            reason: verdict,
        })
    }
}
