//! Published tenders and the bids recorded against them.

use std::str::FromStr;

use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use uuid::Uuid;
use ventanilla_api::bid::BidRecord;
use ventanilla_api::ocds::Money;

use super::receipt_log::{log_row_from, receipt_row};
use super::values::{instant, is_unique_violation, json, one, run, stamp, to_json, uuid};
use crate::chain::receipt_columns;
use crate::codes::{award_columns, parse_award};
use crate::storage::{AwardRecord, BidRow, ContractRecord, Result, StorageError, TenderRecord};

fn tender_rows(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<TenderRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT release, deadline, opening, enquiry_end FROM tender WHERE {filter} \
         ORDER BY deadline, ocid"
    ))?;
    let raws = stmt
        .query_map(args, |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(release, deadline, opening, enquiry_end)| {
            Ok(TenderRecord {
                release: json(&release)?,
                deadline: instant(&deadline)?,
                opening: instant(&opening)?,
                enquiry_end: enquiry_end.as_deref().map(instant).transpose()?,
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
        "INSERT OR IGNORE INTO tender (ocid, release, deadline, opening, enquiry_end) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            tender.release.ocid,
            to_json(&tender.release)?,
            stamp(tender.deadline),
            stamp(tender.opening),
            tender.enquiry_end.map(stamp)
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

pub(super) fn record_award(conn: &Connection, award: &AwardRecord) -> Result<()> {
    let (status, bid) = award_columns(award.outcome);
    let bid = bid.map(|id| id.to_string());
    match run(
        conn,
        "INSERT INTO award (ocid, status, bid_id, decided_at) VALUES (?1, ?2, ?3, ?4)",
        params![award.ocid, status, bid, stamp(award.decided_at)],
    ) {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(StorageError::Conflict("award")),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn award(conn: &Connection, ocid: &str) -> Result<Option<AwardRecord>> {
    let found: Option<(String, Option<String>, String)> = one(
        conn,
        "SELECT status, bid_id, decided_at FROM award WHERE ocid = ?1",
        [ocid],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .optional()?;
    found
        .map(|(status, bid, at)| {
            Ok(AwardRecord {
                ocid: ocid.to_owned(),
                outcome: parse_award(&status, bid.as_deref().map(uuid).transpose()?)?,
                decided_at: instant(&at)?,
            })
        })
        .transpose()
}

pub(super) fn record_contract(conn: &Connection, contract: &ContractRecord) -> Result<()> {
    match run(
        conn,
        "INSERT INTO contract (ocid, amount, currency, start_date, end_date, signed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            contract.ocid,
            contract.value.amount.to_string(),
            contract.value.currency,
            stamp(contract.start),
            stamp(contract.end),
            stamp(contract.signed_at)
        ],
    ) {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(StorageError::Conflict("contract")),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn contract(conn: &Connection, ocid: &str) -> Result<Option<ContractRecord>> {
    let found: Option<[String; 5]> = one(
        conn,
        "SELECT amount, currency, start_date, end_date, signed_at FROM contract WHERE ocid = ?1",
        [ocid],
        |row| {
            Ok([
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ])
        },
    )
    .optional()?;
    found
        .map(|[amount, currency, start, end, signed]| {
            let amount = Decimal::from_str(&amount)
                .map_err(|e| StorageError::Corrupt(format!("amount {amount:?}: {e}")))?;
            Ok(ContractRecord {
                ocid: ocid.to_owned(),
                value: Money { amount, currency },
                start: instant(&start)?,
                end: instant(&end)?,
                signed_at: instant(&signed)?,
            })
        })
        .transpose()
}
