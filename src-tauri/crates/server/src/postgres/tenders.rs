//! Published tenders, the bids recorded against them, their awards and contracts.

use deadpool_postgres::GenericClient;
use uuid::Uuid;
use ventanilla_api::bid::BidRecord;
use ventanilla_api::ocds::Money;

use super::receipt_log::log_row_from;
use super::values::{conflict_as, execute, get, row, rows, Params};
use crate::chain::receipt_columns;
use crate::codes::{award_columns, json, parse_award, to_json};
use crate::storage::{AwardRecord, BidRow, ContractRecord, Result, TenderRecord};

async fn tender_rows(
    db: &impl GenericClient,
    filter: &str,
    params: Params<'_>,
) -> Result<Vec<TenderRecord>> {
    // Ordered by the ocid's bytes, as SQLite orders text, whatever the database's locale.
    let sql = format!(
        "SELECT release, deadline, opening, enquiry_end FROM tender WHERE {filter} \
         ORDER BY deadline, ocid COLLATE \"C\""
    );
    rows(db, &sql, params)
        .await?
        .iter()
        .map(|found| {
            Ok(TenderRecord {
                release: json(get(found, 0)?)?,
                deadline: get(found, 1)?,
                opening: get(found, 2)?,
                enquiry_end: get(found, 3)?,
            })
        })
        .collect()
}

async fn bid_rows(
    db: &impl GenericClient,
    filter: &str,
    params: Params<'_>,
) -> Result<Vec<BidRow>> {
    let sql = format!(
        "SELECT b.bid_id, b.ocid, b.tenderer_rfc, b.amount, b.currency, b.submitted_at, \
         b.account_id, {} FROM bid b JOIN receipt r ON r.log_index = b.log_index \
         WHERE {filter} ORDER BY b.submitted_at, b.bid_id",
        receipt_columns("r.")
    );
    rows(db, &sql, params)
        .await?
        .iter()
        .map(|found| {
            Ok(BidRow {
                record: BidRecord {
                    bid_id: get(found, 0)?,
                    ocid: get(found, 1)?,
                    tenderer_rfc: get(found, 2)?,
                    value: Money {
                        amount: get(found, 3)?,
                        currency: get(found, 4)?,
                    },
                    submitted_at: get(found, 5)?,
                    receipt: log_row_from(found, 7)?.receipt,
                },
                account: get(found, 6)?,
            })
        })
        .collect()
}

pub(super) async fn publish_tender(db: &impl GenericClient, tender: &TenderRecord) -> Result<()> {
    execute(
        db,
        "INSERT INTO tender (ocid, release, deadline, opening, enquiry_end) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        &[
            &tender.release.ocid,
            &to_json(&tender.release)?,
            &tender.deadline,
            &tender.opening,
            &tender.enquiry_end,
        ],
    )
    .await?;
    Ok(())
}

pub(super) async fn tenders(db: &impl GenericClient) -> Result<Vec<TenderRecord>> {
    tender_rows(db, "true", &[]).await
}

pub(super) async fn tender(db: &impl GenericClient, ocid: &str) -> Result<Option<TenderRecord>> {
    Ok(tender_rows(db, "ocid = $1", &[&ocid])
        .await?
        .into_iter()
        .next())
}

pub(super) async fn bids(db: &impl GenericClient, ocid: &str) -> Result<Vec<BidRow>> {
    bid_rows(db, "b.ocid = $1", &[&ocid]).await
}

pub(super) async fn bid(db: &impl GenericClient, ocid: &str, id: Uuid) -> Result<Option<BidRow>> {
    Ok(bid_rows(db, "b.ocid = $1 AND b.bid_id = $2", &[&ocid, &id])
        .await?
        .into_iter()
        .next())
}

pub(super) async fn record_award(db: &impl GenericClient, award: &AwardRecord) -> Result<()> {
    let (status, bid) = award_columns(award.outcome);
    let inserted = execute(
        db,
        "INSERT INTO award (ocid, status, bid_id, decided_at) VALUES ($1, $2, $3, $4)",
        &[&award.ocid, &status, &bid, &award.decided_at],
    )
    .await;
    conflict_as("award", inserted).map(drop)
}

pub(super) async fn award(db: &impl GenericClient, ocid: &str) -> Result<Option<AwardRecord>> {
    let sql = "SELECT status, bid_id, decided_at FROM award WHERE ocid = $1";
    row(db, sql, &[&ocid])
        .await?
        .map(|found| {
            Ok(AwardRecord {
                ocid: ocid.to_owned(),
                outcome: parse_award(get(&found, 0)?, get(&found, 1)?)?,
                decided_at: get(&found, 2)?,
            })
        })
        .transpose()
}

pub(super) async fn record_contract(
    db: &impl GenericClient,
    contract: &ContractRecord,
) -> Result<()> {
    let inserted = execute(
        db,
        "INSERT INTO contract (ocid, amount, currency, start_date, end_date, signed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &contract.ocid,
            &contract.value.amount,
            &contract.value.currency,
            &contract.start,
            &contract.end,
            &contract.signed_at,
        ],
    )
    .await;
    conflict_as("contract", inserted).map(drop)
}

pub(super) async fn contract(
    db: &impl GenericClient,
    ocid: &str,
) -> Result<Option<ContractRecord>> {
    let sql = "SELECT amount, currency, start_date, end_date, signed_at FROM contract \
               WHERE ocid = $1";
    row(db, sql, &[&ocid])
        .await?
        .map(|found| {
            Ok(ContractRecord {
                ocid: ocid.to_owned(),
                value: Money {
                    amount: get(&found, 0)?,
                    currency: get(&found, 1)?,
                },
                start: get(&found, 2)?,
                end: get(&found, 3)?,
                signed_at: get(&found, 4)?,
            })
        })
        .transpose()
}
