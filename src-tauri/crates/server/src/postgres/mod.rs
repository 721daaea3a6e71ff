//! [`Storage`] on PostgreSQL, through tokio-postgres and a deadpool connection pool,
//! for an alcaldía that runs several instances of the server on one database.
//!
//! The same concerns as [`crate::sqlite`], one module each, with the schema in native
//! types (uuid, timestamptz, numeric, bigint; see `migrations/postgres/`). The receipt
//! log's total order does not rest on one writer thread here but on a single
//! `log_head` row that each batch locks `FOR UPDATE` ([`receipt_log`]), so that every
//! instance keeps its own group commit and the chain stays gapless.
//!
//! The [`Storage`] trait is blocking and is called from a blocking thread (the receipt
//! log's writer), from request handlers on a multi-thread runtime, and, in tests, from
//! a current-thread runtime. [`Bridge`] serves them all the same way.

mod accounts;
mod coordination;
mod documents;
mod enquiries;
mod migrations;
#[cfg(test)]
pub(crate) use migrations::MIGRATIONS;
mod ownership;
mod receipt_log;
mod registrations;
mod tenders;
mod values;

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, Manager, ManagerConfig, Pool, PoolError, RecyclingMethod};
use postgres_native_tls::MakeTlsConnector;
use uuid::Uuid;
use ventanilla_api::auth::Account;
use ventanilla_api::ownership::Delegation;
use ventanilla_api::registration::{Observation, ReviewStatus, SupplierStatus};

use crate::bridge::Bridge;
use crate::storage::{
    AccountRecord, Answered, AwardRecord, BidRow, Bidding, ContractRecord, Coordination,
    EnquiryRow, HandoverRecord, KeyClaim, LeasedKey, LogRow, Pending, PointReads, Result, Seal,
    SessionRecord, SignInAttempt, SignInJudge, Standing, Storage, StorageError, StoredResponse,
    Submission, TenderRecord, UploadRecord,
};

/// Connections one instance keeps for its blocking calls (the log's writer, the other
/// writes, the rarer reads), and for its point reads. Few: on two cores, two instances
/// with 16 each made 32 backends and the switching between them took more than it gave
/// (`./dev bench 1 instances`: about 700 bids/s with 16, 900 with 6, about 1,100 with
/// 3 + 4 once the point reads had their own; see BENCHMARKS.md).
const POOL_SIZE: usize = 3;
const READS_POOL_SIZE: usize = 4;

/// How long to wait for a connection before answering that the database is down.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What the driver connects with. Whether TLS is used is the URL's `sslmode`
/// (`disable`, `prefer`, the default, or `require`); when it is, the database's
/// certificate and host name are verified against the system's trusted roots and the CA
/// in `PGSSLROOTCERT` (a PEM file, libpq's variable), for a certificate a private CA
/// issued.
fn tls() -> Result<MakeTlsConnector> {
    let mut builder = native_tls::TlsConnector::builder();
    if let Some(path) = std::env::var_os("PGSSLROOTCERT").filter(|p| !p.is_empty()) {
        let shown = std::path::Path::new(&path).display().to_string();
        let pem = std::fs::read(&path)
            .map_err(|e| StorageError::Unreachable(format!("PGSSLROOTCERT {shown}: {e}")))?;
        let authority = native_tls::Certificate::from_pem(&pem).map_err(|e| {
            StorageError::Unreachable(format!(
                "PGSSLROOTCERT {shown} is not a PEM certificate: {e}"
            ))
        })?;
        builder.add_root_certificate(authority);
    }
    let connector = builder
        .build()
        .map_err(|e| StorageError::Unreachable(format!("no TLS for the database: {e}")))?;
    Ok(MakeTlsConnector::new(connector))
}

/// What to do about a connection that failed for `why`, beyond checking that the
/// database runs: when TLS failed, where the database's CA goes.
pub fn tls_advice(why: &str) -> &'static str {
    match why.contains("TLS") || why.contains("certificate") {
        true => " Si PostgreSQL pide TLS, su certificado debe ser de una autoridad en la que confíe el sistema, o de la que nombre PGSSLROOTCERT (un archivo PEM); sslmode=require en --database-url exige TLS.",
        false => "",
    }
}

fn pool(config: tokio_postgres::Config, tls: MakeTlsConnector, size: usize) -> Result<Pool> {
    let manager = Manager::from_config(
        config,
        tls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(Some(CONNECT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .build()
        .map_err(|e| StorageError::Unreachable(e.to_string()))
}

/// The PostgreSQL store.
pub struct PostgresStorage {
    /// For the blocking calls, on the bridge's runtime.
    pool: Pool,
    /// For [`PointReads`]: each connection is driven by the runtime that made it, the
    /// server's own (a runtime that is gone leaves its connections closed, and the
    /// pool makes new ones). Never used by a blocking call, which could otherwise wait
    /// on a connection that only its own blocked thread drives.
    reads: Pool,
    bridge: Bridge,
}

impl From<PoolError> for StorageError {
    fn from(error: PoolError) -> StorageError {
        match error {
            // Only making a connection fails this way: refused, timed out, or turned
            // away by the database itself (pg_hba.conf, a wrong password, no such
            // database). Either way there is no database to use until that is fixed.
            PoolError::Backend(e) => StorageError::Unreachable(with_causes(&e)),
            other => StorageError::Unreachable(other.to_string()),
        }
    }
}

/// `error` and what caused it, down to the first cause ("connection refused"...), which
/// the driver's own message leaves out.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

impl PostgresStorage {
    /// Connects to the database `config` names, applying pending migrations and
    /// refusing a schema from a newer server. Fails with
    /// [`StorageError::Unreachable`] when the database does not answer.
    pub fn open(mut config: tokio_postgres::Config) -> Result<PostgresStorage> {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let tls = tls()?;
        let storage = PostgresStorage {
            pool: pool(config.clone(), tls.clone(), POOL_SIZE)?,
            reads: pool(config, tls, READS_POOL_SIZE)?,
            bridge: Bridge::start("postgres").map_err(|e| {
                StorageError::Unreachable(format!("no runtime for the driver: {e}"))
            })?,
        };
        storage.run(async { migrations::run(&mut storage.client().await?).await })?;
        Ok(storage)
    }

    async fn reader(&self) -> Result<Client> {
        Ok(self.reads.get().await?)
    }

    async fn client(&self) -> Result<Client> {
        Ok(self.pool.get().await?)
    }

    fn run<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        self.bridge.wait(work)
    }
}

#[cfg(test)]
impl PostgresStorage {
    /// The first column of the first row `sql` answers, as a number: for tests that
    /// look at or change what the trait does not reach.
    pub(crate) fn run_sql(&self, sql: &str) -> Result<i64> {
        self.run(async {
            let found = self.client().await?.query_one(sql, &[]).await?;
            values::get(&found, 0)
        })
    }
}

/// Each read goes on a connection of [`PostgresStorage::reads`], driven by the runtime
/// that awaits it.
impl PointReads for PostgresStorage {
    fn session<'a>(
        &'a self,
        token_sha256: &'a str,
        now: DateTime<Utc>,
    ) -> Pending<'a, Option<SessionRecord>> {
        Box::pin(async move { accounts::session(&self.reader().await?, token_sha256, now).await })
    }

    fn answered<'a>(&'a self, account: Uuid, key: &'a str) -> Pending<'a, Option<Answered>> {
        Box::pin(async move { receipt_log::answered(&self.reader().await?, account, key).await })
    }

    fn standing<'a>(
        &'a self,
        rfc: &'a str,
        operator: Uuid,
        now: DateTime<Utc>,
    ) -> Pending<'a, Standing> {
        Box::pin(
            async move { ownership::standing(&self.reader().await?, rfc, operator, now).await },
        )
    }

    fn bidding<'a>(
        &'a self,
        ocid: &'a str,
        rfc: &'a str,
        operator: Uuid,
        now: DateTime<Utc>,
    ) -> Pending<'a, Option<Bidding>> {
        Box::pin(async move {
            let db = self.reader().await?;
            ownership::bidding(&db, ocid, rfc, operator, now).await
        })
    }

    fn supplier_status<'a>(&'a self, rfc: &'a str) -> Pending<'a, Option<SupplierStatus>> {
        Box::pin(async move { registrations::supplier_status(&self.reader().await?, rfc).await })
    }
}

impl Storage for PostgresStorage {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn ping(&self) -> Result<()> {
        self.run(async {
            self.client().await?.batch_execute("SELECT 1").await?;
            Ok(())
        })
    }

    fn create_account(
        &self,
        account: &Account,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.run(async {
            let mut client = self.client().await?;
            accounts::create_account(&mut client, account, password_hash, None, now).await
        })
    }

    fn claim_account(
        &self,
        account: &Account,
        password_hash: &str,
        code_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.run(async {
            let mut client = self.client().await?;
            accounts::create_account(&mut client, account, password_hash, Some(code_sha256), now)
                .await
        })
    }

    fn account_by_email(&self, email: &str) -> Result<Option<AccountRecord>> {
        self.run(async { accounts::account_by_email(&self.client().await?, email).await })
    }

    fn create_session(
        &self,
        token_sha256: &str,
        account: Uuid,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.run(async {
            accounts::create_session(&self.client().await?, token_sha256, account, expires_at).await
        })
    }

    fn revoke_session(&self, token_sha256: &str, now: DateTime<Utc>) -> Result<()> {
        self.run(async { accounts::revoke_session(&self.client().await?, token_sha256, now).await })
    }

    fn has_document(&self, account: Uuid, sha256: &str) -> Result<bool> {
        self.run(async { documents::has_document(&self.client().await?, account, sha256).await })
    }

    fn create_upload(&self, upload: &UploadRecord, now: DateTime<Utc>) -> Result<()> {
        self.run(async { documents::create_upload(&self.client().await?, upload, now).await })
    }

    fn unfinished_uploads(&self, account: Uuid) -> Result<u32> {
        self.run(async { documents::unfinished_uploads(&self.client().await?, account).await })
    }

    fn stored_bytes(&self, account: Uuid) -> Result<u64> {
        self.run(async { documents::stored_bytes(&self.client().await?, account).await })
    }

    fn expire_uploads(&self, before: DateTime<Utc>) -> Result<Vec<Uuid>> {
        self.run(async { documents::expire_uploads(&self.client().await?, before).await })
    }

    fn upload(&self, account: Uuid, id: Uuid) -> Result<Option<UploadRecord>> {
        self.run(async { documents::upload(&self.client().await?, account, id).await })
    }

    fn advance_upload(&self, id: Uuid, from: u64, to: u64) -> Result<bool> {
        self.run(async { documents::advance_upload(&self.client().await?, id, from, to).await })
    }

    fn finish_upload(&self, upload: &UploadRecord) -> Result<()> {
        self.run(async { documents::finish_upload(&mut self.client().await?, upload).await })
    }

    fn discard_upload(&self, id: Uuid) -> Result<()> {
        self.run(async { documents::discard_upload(&self.client().await?, id).await })
    }

    fn issue_handover(&self, handover: &HandoverRecord) -> Result<()> {
        self.run(async { ownership::issue_handover(&self.client().await?, handover).await })
    }

    fn grant_delegation(&self, delegation: &Delegation, granted_by: Uuid) -> Result<()> {
        self.run(async {
            ownership::grant_delegation(&self.client().await?, delegation, granted_by).await
        })
    }

    fn revoke_delegation(&self, rfc: &str, operator: Uuid) -> Result<bool> {
        self.run(async { ownership::revoke_delegation(&self.client().await?, rfc, operator).await })
    }

    fn delegations(&self, rfc: &str, now: DateTime<Utc>) -> Result<Vec<Delegation>> {
        self.run(async { ownership::delegations(&self.client().await?, rfc, now).await })
    }

    fn accept_all(
        &self,
        submissions: &[Submission],
        seal: Seal<'_>,
    ) -> Result<Vec<Result<StoredResponse>>> {
        self.run(async {
            receipt_log::accept_all(&mut self.client().await?, submissions, seal).await
        })
    }

    fn registration_snapshot(&self, rfc: &str) -> Result<Option<String>> {
        self.run(async { registrations::registration_snapshot(&self.client().await?, rfc).await })
    }

    fn review(
        &self,
        rfc: &str,
        status: ReviewStatus,
        observations: &[Observation],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        self.run(async {
            registrations::review(&self.client().await?, rfc, status, observations, now).await
        })
    }

    fn publish_tender(&self, tender: &TenderRecord) -> Result<()> {
        self.run(async { tenders::publish_tender(&self.client().await?, tender).await })
    }

    fn tenders(&self) -> Result<Vec<TenderRecord>> {
        self.run(async { tenders::tenders(&self.client().await?).await })
    }

    fn tender(&self, ocid: &str) -> Result<Option<TenderRecord>> {
        self.run(async { tenders::tender(&self.client().await?, ocid).await })
    }

    fn bids(&self, ocid: &str) -> Result<Vec<BidRow>> {
        self.run(async { tenders::bids(&self.client().await?, ocid).await })
    }

    fn bid(&self, ocid: &str, id: Uuid) -> Result<Option<BidRow>> {
        self.run(async { tenders::bid(&self.client().await?, ocid, id).await })
    }

    fn record_award(&self, award: &AwardRecord) -> Result<()> {
        self.run(async { tenders::record_award(&self.client().await?, award).await })
    }

    fn award(&self, ocid: &str) -> Result<Option<AwardRecord>> {
        self.run(async { tenders::award(&self.client().await?, ocid).await })
    }

    fn record_contract(&self, contract: &ContractRecord) -> Result<()> {
        self.run(async { tenders::record_contract(&self.client().await?, contract).await })
    }

    fn contract(&self, ocid: &str) -> Result<Option<ContractRecord>> {
        self.run(async { tenders::contract(&self.client().await?, ocid).await })
    }

    fn enquiries(&self, ocid: &str) -> Result<Vec<EnquiryRow>> {
        self.run(async { enquiries::enquiries(&self.client().await?, ocid).await })
    }

    fn answer_enquiry(
        &self,
        ocid: &str,
        id: Uuid,
        answer: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        self.run(async {
            enquiries::answer(&mut self.client().await?, ocid, id, answer, now).await
        })
    }

    fn log(&self, after: Option<u64>, limit: u32) -> Result<Vec<LogRow>> {
        self.run(async { receipt_log::log(&self.client().await?, after, limit).await })
    }

    fn log_key(&self, offered: Option<&str>) -> Result<Option<String>> {
        self.run(async { receipt_log::log_key(&self.client().await?, offered).await })
    }
}

impl Coordination for PostgresStorage {
    fn database_time(&self) -> Result<DateTime<Utc>> {
        self.run(async { coordination::database_time(&self.client().await?).await })
    }

    fn claim_key<'a>(
        &'a self,
        account: Uuid,
        key: &'a str,
        holder: Uuid,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Pending<'a, KeyClaim> {
        Box::pin(async move {
            let db = self.reader().await?;
            coordination::claim_key(&db, account, key, holder, now, until).await
        })
    }

    fn release_keys(&self, keys: &[LeasedKey]) -> Result<()> {
        self.run(async { coordination::release_keys(&self.client().await?, keys).await })
    }

    fn reserve_sign_in(
        &self,
        attempt: &SignInAttempt<'_>,
        judge: SignInJudge<'_>,
    ) -> Result<std::result::Result<i64, DateTime<Utc>>> {
        self.run(async {
            coordination::reserve_sign_in(&mut self.client().await?, attempt, judge).await
        })
    }

    fn sign_in_failed(&self, attempt: i64) -> Result<()> {
        self.run(async { coordination::sign_in_failed(&self.client().await?, attempt).await })
    }

    fn sign_in_succeeded(&self, email: &str, from: std::net::IpAddr) -> Result<()> {
        self.run(async {
            coordination::sign_in_succeeded(&self.client().await?, email, from).await
        })
    }
}
