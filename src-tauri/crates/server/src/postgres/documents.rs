//! Uploads (resumable, by offset) and the documents they complete.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient};
use uuid::Uuid;

use super::values::{execute, exists, get, row, rows};
use crate::codes::{to_i64, to_u64};
use crate::storage::{Result, StorageError, UploadRecord};

pub(super) async fn has_document(
    db: &impl GenericClient,
    account: Uuid,
    sha256: &str,
) -> Result<bool> {
    exists(
        db,
        "SELECT 1 FROM document WHERE account_id = $1 AND sha256 = $2",
        &[&account, &sha256],
    )
    .await
}

pub(super) async fn create_upload(
    db: &impl GenericClient,
    upload: &UploadRecord,
    now: DateTime<Utc>,
) -> Result<()> {
    execute(
        db,
        "INSERT INTO upload (id, account_id, size, \"offset\", sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &upload.id,
            &upload.account,
            &to_i64(upload.size),
            &to_i64(upload.offset),
            &upload.sha256,
            &now,
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn unfinished_uploads(db: &impl GenericClient, account: Uuid) -> Result<u32> {
    let sql = "SELECT count(*) FROM upload WHERE account_id = $1 AND \"offset\" < size";
    let count: i64 = match row(db, sql, &[&account]).await? {
        Some(found) => get(&found, 0)?,
        None => 0,
    };
    u32::try_from(count).map_err(|_| StorageError::Corrupt(format!("{count} uploads")))
}

pub(super) async fn stored_bytes(db: &impl GenericClient, account: Uuid) -> Result<u64> {
    let sql = "SELECT ((SELECT coalesce(sum(size), 0) FROM document WHERE account_id = $1) \
                    + (SELECT coalesce(sum(size), 0) FROM upload \
                       WHERE account_id = $1 AND \"offset\" < size))::bigint";
    match row(db, sql, &[&account]).await? {
        Some(found) => to_u64(get(&found, 0)?),
        None => Ok(0),
    }
}

pub(super) async fn expire_uploads(
    db: &impl GenericClient,
    before: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    let sql = "DELETE FROM upload WHERE \"offset\" < size AND created_at < $1 RETURNING id";
    rows(db, sql, &[&before])
        .await?
        .iter()
        .map(|found| get(found, 0))
        .collect()
}

pub(super) async fn upload(
    db: &impl GenericClient,
    account: Uuid,
    id: Uuid,
) -> Result<Option<UploadRecord>> {
    let sql = "SELECT size, \"offset\", sha256 FROM upload WHERE id = $1 AND account_id = $2";
    row(db, sql, &[&id, &account])
        .await?
        .map(|found| {
            Ok(UploadRecord {
                id,
                account,
                size: to_u64(get(&found, 0)?)?,
                offset: to_u64(get(&found, 1)?)?,
                sha256: get(&found, 2)?,
            })
        })
        .transpose()
}

pub(super) async fn advance_upload(
    db: &impl GenericClient,
    id: Uuid,
    from: u64,
    to: u64,
) -> Result<bool> {
    let changed = execute(
        db,
        "UPDATE upload SET \"offset\" = $3 WHERE id = $1 AND \"offset\" = $2",
        &[&id, &to_i64(from), &to_i64(to)],
    )
    .await?;
    Ok(changed == 1)
}

pub(super) async fn finish_upload(client: &mut Client, upload: &UploadRecord) -> Result<()> {
    let tx = client.transaction().await?;
    execute(
        &tx,
        "INSERT INTO document (account_id, sha256, size) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
        &[&upload.account, &upload.sha256, &to_i64(upload.size)],
    )
    .await?;
    // As on SQLite (see there): the same account's other unfinished uploads of these
    // bytes are done too.
    execute(
        &tx,
        "UPDATE upload SET \"offset\" = size \
         WHERE id = $1 OR (account_id = $2 AND sha256 = $3 AND \"offset\" < size)",
        &[&upload.id, &upload.account, &upload.sha256],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn discard_upload(db: &impl GenericClient, id: Uuid) -> Result<()> {
    execute(db, "DELETE FROM upload WHERE id = $1", &[&id]).await?;
    Ok(())
}
