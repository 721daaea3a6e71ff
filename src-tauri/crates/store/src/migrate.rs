//! Forward-only numbered migrations kept in `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::{Result, StoreError};

/// Opens (creating when `create`) a database, sets the pragmas every Ventanilla database
/// uses, refuses one written by a newer schema, and applies the pending migrations, each
/// in its own transaction. `migrations[i]` takes the schema from version i to i + 1.
pub(crate) fn open(path: &Path, migrations: &[&str], create: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        crate::private::create_database_file(path).map_err(StoreError::io(path))?;
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags).map_err(StoreError::sqlite(path))?;
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
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )
    .map_err(StoreError::sqlite(path))?;
    for (version, sql) in migrations.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction().map_err(StoreError::sqlite(path))?;
        tx.execute_batch(sql).map_err(StoreError::sqlite(path))?;
        tx.pragma_update(None, "user_version", version as i64 + 1)
            .map_err(StoreError::sqlite(path))?;
        tx.commit().map_err(StoreError::sqlite(path))?;
    }
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
