//! Uploads (resumable, by offset) and the documents they complete.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::values::{exists, one, run, stamp, to_i64, to_u64, uuid};
use crate::storage::{Result, UploadRecord};

pub(super) fn has_document(conn: &Connection, account: Uuid, sha256: &str) -> Result<bool> {
    exists(
        conn,
        "SELECT 1 FROM document WHERE account_id = ?1 AND sha256 = ?2",
        params![account.to_string(), sha256],
    )
}

pub(super) fn create_upload(
    conn: &Connection,
    upload: &UploadRecord,
    now: DateTime<Utc>,
) -> Result<()> {
    run(
        conn,
        "INSERT INTO upload (id, account_id, size, offset, sha256, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            upload.id.to_string(),
            upload.account.to_string(),
            to_i64(upload.size),
            to_i64(upload.offset),
            upload.sha256,
            stamp(now)
        ],
    )?;
    Ok(())
}

pub(super) fn unfinished_uploads(conn: &Connection, account: Uuid) -> Result<u32> {
    Ok(one(
        conn,
        "SELECT count(*) FROM upload WHERE account_id = ?1 AND offset < size",
        [account.to_string()],
        |row| row.get(0),
    )?)
}

pub(super) fn stored_bytes(conn: &Connection, account: Uuid) -> Result<u64> {
    let bytes: i64 = one(
        conn,
        "SELECT (SELECT coalesce(sum(size), 0) FROM document WHERE account_id = ?1) \
              + (SELECT coalesce(sum(size), 0) FROM upload \
                 WHERE account_id = ?1 AND offset < size)",
        [account.to_string()],
        |row| row.get(0),
    )?;
    to_u64(bytes)
}

pub(super) fn expire_uploads(conn: &mut Connection, before: DateTime<Utc>) -> Result<Vec<Uuid>> {
    let tx = conn.transaction()?;
    let ids = tx
        .prepare_cached("DELETE FROM upload WHERE offset < size AND created_at < ?1 RETURNING id")?
        .query_map([stamp(before)], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    tx.commit()?;
    ids.iter().map(|id| uuid(id)).collect()
}

pub(super) fn upload(conn: &Connection, account: Uuid, id: Uuid) -> Result<Option<UploadRecord>> {
    let raw: Option<(i64, i64, String)> = one(
        conn,
        "SELECT size, offset, sha256 FROM upload WHERE id = ?1 AND account_id = ?2",
        params![id.to_string(), account.to_string()],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .optional()?;
    raw.map(|(size, offset, sha256)| {
        Ok(UploadRecord {
            id,
            account,
            size: to_u64(size)?,
            offset: to_u64(offset)?,
            sha256,
        })
    })
    .transpose()
}

pub(super) fn advance_upload(conn: &Connection, id: Uuid, from: u64, to: u64) -> Result<bool> {
    let changed = run(
        conn,
        "UPDATE upload SET offset = ?3 WHERE id = ?1 AND offset = ?2",
        params![id.to_string(), to_i64(from), to_i64(to)],
    )?;
    Ok(changed == 1)
}

pub(super) fn finish_upload(conn: &mut Connection, upload: &UploadRecord) -> Result<()> {
    let tx = conn.transaction()?;
    run(
        &tx,
        "INSERT OR IGNORE INTO document (account_id, sha256, size) VALUES (?1, ?2, ?3)",
        params![
            upload.account.to_string(),
            upload.sha256,
            to_i64(upload.size)
        ],
    )?;
    // Kept, complete, so that a client whose last answer was lost can still ask.
    // The same account's other unfinished uploads of these bytes are done too:
    // they are the ones whose creation answer the client lost, which it cannot
    // name, and which would otherwise count against its unfinished uploads.
    run(
        &tx,
        "UPDATE upload SET offset = size \
         WHERE id = ?1 OR (account_id = ?2 AND sha256 = ?3 AND offset < size)",
        params![
            upload.id.to_string(),
            upload.account.to_string(),
            upload.sha256
        ],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn discard_upload(conn: &Connection, id: Uuid) -> Result<()> {
    run(conn, "DELETE FROM upload WHERE id = ?1", [id.to_string()])?;
    Ok(())
}
