//! Published tenders and the bids recorded against them.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use uuid::Uuid;
use ventanilla_api::bid::BidRecord;
use ventanilla_api::ocds::Money;

use super::receipt_log::{log_row_from, receipt_columns, receipt_row};
use super::values::{instant, json, one, run, stamp, to_json, uuid};
use crate::storage::{BidRow, Result, StorageError, TenderRecord};

fn tender_rows(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<TenderRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT release, deadline, opening FROM tender WHERE {filter} ORDER BY deadline, ocid"
    ))?;
    let raws = stmt
        .query_map(args, |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(release, deadline, opening)| {
            Ok(TenderRecord {
                release: json(&release)?,
                deadline: instant(&deadline)?,
                opening: instant(&opening)?,
            })
        })
        .collect()
}

fn bid_rows(conn: &Connection, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<BidRow>> {
    let sql = format!(
        "SELECT b.bid_id, b.ocid, b.tenderer_rfc, b.amount, b.currency, b.submitted_at, \
         b.account_id, {} FROM bid b JOIN receipt r ON r.log_index = b.log_index \
         WHERE {filter} ORDER BY b.submitted_at, b.bid_id",
        receipt_columns("r.")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let raws = stmt
        .query_map(args, |row| {
            Ok((
                (
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, String>(6)?,
                ),
                receipt_row(row, 7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(
            |((id, ocid, rfc, amount, currency, at, account), receipt)| {
                let amount = Decimal::from_str(&amount)
                    .map_err(|e| StorageError::Corrupt(format!("amount {amount:?}: {e}")))?;
                Ok(BidRow {
                    record: BidRecord {
                        bid_id: uuid(&id)?,
                        ocid,
                        tenderer_rfc: rfc,
                        value: Money { amount, currency },
                        submitted_at: instant(&at)?,
                        receipt: log_row_from(receipt)?.receipt,
                    },
                    account: uuid(&account)?,
                })
            },
        )
        .collect()
}

pub(super) fn publish_tender(conn: &Connection, tender: &TenderRecord) -> Result<()> {
    run(
        conn,
        "INSERT OR IGNORE INTO tender (ocid, release, deadline, opening) VALUES (?1, ?2, ?3, ?4)",
        params![
            tender.release.ocid,
            to_json(&tender.release)?,
            stamp(tender.deadline),
            stamp(tender.opening)
        ],
    )?;
    Ok(())
}

pub(super) fn tenders(conn: &Connection) -> Result<Vec<TenderRecord>> {
    tender_rows(conn, "1", &[])
}

pub(super) fn tender(conn: &Connection, ocid: &str) -> Result<Option<TenderRecord>> {
    Ok(tender_rows(conn, "ocid = ?1", &[&ocid])?.into_iter().next())
}

pub(super) fn deadline(conn: &Connection, ocid: &str) -> Result<Option<DateTime<Utc>>> {
    let found: Option<String> = one(
        conn,
        "SELECT deadline FROM tender WHERE ocid = ?1",
        [ocid],
        |row| row.get(0),
    )
    .optional()?;
    found.as_deref().map(instant).transpose()
}

pub(super) fn bids(conn: &Connection, ocid: &str) -> Result<Vec<BidRow>> {
    bid_rows(conn, "b.ocid = ?1", &[&ocid])
}

pub(super) fn bid(conn: &Connection, ocid: &str, id: Uuid) -> Result<Option<BidRow>> {
    let id = id.to_string();
    Ok(
        bid_rows(conn, "b.ocid = ?1 AND b.bid_id = ?2", &[&ocid, &id])?
            .into_iter()
            .next(),
    )
}
