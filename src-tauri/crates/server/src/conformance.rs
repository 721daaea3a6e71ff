//! What every [`Storage`] backend must do alike, run on SQLite and, when
//! `VENTANILLA_TEST_DATABASE=postgres`, on PostgreSQL too: a batch of submissions in
//! which some cannot be recorded keeps the others and a gapless chain. And what only a
//! shared PostgreSQL database asks: instances appending at once keep one chain,
//! instances starting at once migrate once, a newer schema is refused, instances whose
//! clocks disagree keep the database's time, and an idempotency key is claimed by one
//! instance at a time.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use chrono::Utc;
use rust_decimal::Decimal;
use uuid::Uuid;
use ventanilla_api::auth::{Account, Role};
use ventanilla_api::ocds::Money;
use ventanilla_api::receipt::GENESIS_HASH;
use ventanilla_api::{Receipt, ReceiptKind};
use ventanilla_testkit::postgres::{cluster, on_postgres};

use crate::database::Database;
use crate::postgres::PostgresStorage;
use crate::signing::ReceiptSigner;
use crate::sqlite::SqliteStorage;
use crate::storage::{
    Acceptance, Answered, Coordination, KeyClaim, LeasedKey, NewBid, Pending, Storage,
    StorageError, StoredResponse, Submission,
};

/// Waits for a point read on a runtime of the test's own, which drives the connections
/// the read opens for as long as the test runs.
fn wait<T>(read: Pending<'_, T>) -> crate::storage::Result<T> {
    thread_local! {
        static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
    }
    RUNTIME.with(|runtime| runtime.block_on(read))
}

/// A seeded store with an operator account and a receipt signer.
struct Fixture {
    storage: Arc<dyn Storage>,
    signer: ReceiptSigner,
    account: Uuid,
    ocid: String,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn on(storage: Arc<dyn Storage>) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        crate::sandbox::seed(storage.as_ref(), Utc::now()).unwrap();
        let ocid = storage.tenders().unwrap()[0].release.ocid.clone();
        let account = Account {
            id: Uuid::now_v7(),
            role: Role::Operator,
            email: format!("op-{}@x.mx", Uuid::now_v7()),
            rfc: None,
        };
        storage
            .create_account(&account, "hash", Utc::now())
            .unwrap();
        Fixture {
            storage,
            signer: ReceiptSigner::create(dir.path()).unwrap(),
            account: account.id,
            ocid,
            _dir: dir,
        }
    }

    fn accept(&self, batch: &[Submission]) -> Vec<crate::storage::Result<StoredResponse>> {
        self.storage
            .accept_all(batch, &|r: &mut Receipt| self.signer.seal(r))
            .unwrap()
    }

    fn bid(&self, rfc: &str) -> Submission {
        bid(self.account, &self.ocid, rfc)
    }

    /// Accepts a batch of three whose middle one must fail, checks that the other two
    /// are recorded, in order, in one gapless chain, and answers the middle one's
    /// outcome.
    fn accept_all_but_the_middle(
        &self,
        batch: &[Submission],
    ) -> crate::storage::Result<StoredResponse> {
        let backend = self.storage.backend();
        let mut outcomes = self.accept(batch);
        assert!(outcomes[0].is_ok() && outcomes[2].is_ok(), "{backend}");
        let log = self.chained_log();
        assert_eq!(
            log,
            [0, 2].map(|i| answered_receipt(&outcomes[i])),
            "{backend}"
        );
        outcomes.remove(1)
    }

    /// The whole log, checked to be one gapless chain of receipts this signer sealed.
    fn chained_log(&self) -> Vec<Receipt> {
        let key = self.signer.public_key().verifying_key().unwrap();
        let log = self.storage.log(None, 1000).unwrap();
        let mut previous = GENESIS_HASH.to_owned();
        for (i, row) in log.iter().enumerate() {
            assert_eq!(row.receipt.log_index, i as u64);
            assert_eq!(row.receipt.previous_log_hash, previous);
            assert_eq!(row.receipt.verify(&key), Ok(()));
            assert_eq!(row.receipt.entry_hash().unwrap(), row.entry_hash);
            previous = row.entry_hash.clone();
        }
        log.into_iter().map(|row| row.receipt).collect()
    }
}

/// A fresh database of the test cluster, as a configuration.
fn fresh_postgres() -> tokio_postgres::Config {
    match Database::parse(&cluster().database()).unwrap() {
        Database::Postgres(config) => *config,
        Database::Sqlite(_) => unreachable!("a postgres URL"),
    }
}

/// A fixture on each backend the tests run on.
fn fixtures() -> Vec<(Fixture, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Storage> = Arc::new(SqliteStorage::open(dir.path()).unwrap());
    let mut all = vec![(Fixture::on(sqlite), dir)];
    if on_postgres() {
        let postgres = Arc::new(PostgresStorage::open(fresh_postgres()).unwrap());
        all.push((Fixture::on(postgres), tempfile::tempdir().unwrap()));
    }
    all
}

fn bid(account: Uuid, ocid: &str, rfc: &str) -> Submission {
    let id = Uuid::now_v7();
    let snapshot = format!("{{\"rfc\":\"{rfc}\"}}");
    Submission {
        receipt: Receipt {
            receipt_id: Uuid::now_v7(),
            kind: ReceiptKind::Bid,
            subject_rfc: rfc.to_owned(),
            payload_sha256: ventanilla_api::sha256_hex(snapshot.as_bytes()),
            // As stored: to the microsecond.
            server_time: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
            log_index: 0,
            previous_log_hash: String::new(),
            signature: String::new(),
            signature_sha256: None,
            signer: None,
            signer_certificate_number: None,
            signer_revocation: None,
        },
        acceptance: Acceptance::Bid(NewBid {
            record_id: id,
            ocid: ocid.to_owned(),
            tenderer_rfc: rfc.to_owned(),
            account,
            snapshot,
            documents: Vec::new(),
            value: Money {
                amount: Decimal::new(1_234_567, 2),
                currency: "MXN".to_owned(),
            },
            efirma: None,
        }),
        account,
        key: id.to_string(),
        fingerprint: "f".to_owned(),
        respond: Box::new(|r| StoredResponse {
            status: 201,
            body: serde_json::to_string(r).unwrap(),
        }),
    }
}

fn answered_receipt(outcome: &crate::storage::Result<StoredResponse>) -> Receipt {
    serde_json::from_str(&outcome.as_ref().unwrap().body).unwrap()
}

#[test]
fn a_refused_submission_leaves_the_rest_of_its_batch_recorded_and_chained() {
    for (fixture, _) in fixtures() {
        let backend = fixture.storage.backend();
        let first = vec![fixture.bid("AAA010203AB1")];
        assert!(fixture.accept(&first)[0].is_ok(), "{backend}");
        // The second bid of the same bidder on the same tender is refused, alone, and
        // so is a resend of the first under its key.
        let mut resent = fixture.bid("DDD010203AB1");
        resent.key = first[0].key.clone();
        let batch = vec![
            fixture.bid("BBB010203AB1"),
            fixture.bid("AAA010203AB1"),
            fixture.bid("CCC010203AB1"),
            resent,
        ];
        let outcomes = fixture.accept(&batch);
        assert!(
            matches!(outcomes[1], Err(StorageError::Conflict("bid"))),
            "{backend}: {:?}",
            outcomes[1]
        );
        assert!(
            matches!(outcomes[3], Err(StorageError::Conflict("idempotency key"))),
            "{backend}: {:?}",
            outcomes[3]
        );
        let storage = &fixture.storage;
        assert_eq!(
            wait(storage.answered(fixture.account, &batch[1].key)).unwrap(),
            None
        );
        assert!(wait(storage.answered(fixture.account, &batch[2].key))
            .unwrap()
            .is_some());

        let log = fixture.chained_log();
        assert_eq!(log.len(), 3, "{backend}");
        assert_eq!(log[1], answered_receipt(&outcomes[0]), "{backend}");
        assert_eq!(log[2], answered_receipt(&outcomes[2]), "{backend}");
        let bids = storage.bids(&fixture.ocid).unwrap();
        assert_eq!(bids.len(), 3, "{backend}");
        assert_eq!(bids[0].record.value.amount.to_string(), "12345.67");
    }
}

#[test]
fn a_submission_the_database_refuses_otherwise_fails_alone() {
    for (fixture, _) in fixtures() {
        // A tender that does not exist: a foreign key, not a conflict, refuses it.
        let refused = fixture.accept_all_but_the_middle(&[
            fixture.bid("AAA010203AB1"),
            bid(fixture.account, "ocds-no-existe", "BBB010203AB1"),
            fixture.bid("CCC010203AB1"),
        ]);
        assert!(
            matches!(
                refused,
                Err(StorageError::Sqlite(_) | StorageError::Postgres(_))
            ),
            "{}: {refused:?}",
            fixture.storage.backend()
        );
    }
}

#[test]
fn two_submissions_of_one_batch_that_clash_record_the_first_and_refuse_the_second() {
    for (fixture, _) in fixtures() {
        // Both pass the batch's checks (neither is recorded yet): the database itself
        // refuses the second.
        let refused = fixture.accept_all_but_the_middle(&[
            fixture.bid("EEE010203AB1"),
            fixture.bid("EEE010203AB1"),
            fixture.bid("FFF010203AB1"),
        ]);
        assert!(
            matches!(refused, Err(StorageError::Conflict("bid"))),
            "{}: {refused:?}",
            fixture.storage.backend()
        );
    }
}

/// Needs PostgreSQL: run with `VENTANILLA_TEST_DATABASE=postgres`.
#[test]
fn postgres_instances_appending_at_once_keep_one_gapless_chain() {
    if !on_postgres() {
        return;
    }
    let config = fresh_postgres();
    let first = Fixture::on(Arc::new(PostgresStorage::open(config.clone()).unwrap()));
    let second = Arc::new(PostgresStorage::open(config).unwrap());
    const BATCHES: usize = 12;
    const PER_BATCH: usize = 8;
    std::thread::scope(|scope| {
        for (instance, storage) in [first.storage.clone(), second].into_iter().enumerate() {
            let (account, ocid, signer) = (first.account, &first.ocid, &first.signer);
            scope.spawn(move || {
                for n in 0..BATCHES {
                    let batch: Vec<Submission> = (0..PER_BATCH)
                        .map(|k| bid(account, ocid, &format!("I{instance}B{n}K{k}")))
                        .collect();
                    let outcomes = storage
                        .accept_all(&batch, &|r: &mut Receipt| signer.seal(r))
                        .unwrap();
                    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
                }
            });
        }
    });
    assert_eq!(first.chained_log().len(), 2 * BATCHES * PER_BATCH);
}

/// Needs PostgreSQL: run with `VENTANILLA_TEST_DATABASE=postgres`.
#[test]
fn postgres_instances_starting_at_once_migrate_once_and_a_newer_schema_is_refused() {
    if !on_postgres() {
        return;
    }
    let config = fresh_postgres();
    let opened: Vec<_> = std::thread::scope(|scope| {
        let starting: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| PostgresStorage::open(config.clone())))
            .collect();
        starting.into_iter().map(|s| s.join().unwrap()).collect()
    });
    for storage in &opened {
        assert!(storage.is_ok(), "{:?}", storage.as_ref().err());
    }
    let storage = opened.into_iter().next().unwrap().unwrap();
    assert_eq!(
        storage
            .run_sql("SELECT count(*) FROM schema_migrations")
            .unwrap(),
        crate::postgres::MIGRATIONS.len() as i64
    );
    storage
        .run_sql("INSERT INTO schema_migrations (version) VALUES (99) RETURNING 0::bigint")
        .unwrap();
    assert!(matches!(
        PostgresStorage::open(config),
        Err(StorageError::NewerSchema { found: 99, .. })
    ));
}

/// Needs PostgreSQL: run with `VENTANILLA_TEST_DATABASE=postgres`.
#[test]
fn postgres_instances_with_skewed_clocks_keep_the_databases_time() {
    use crate::clock::{Clock, DatabaseClock, ManualClock};
    if !on_postgres() {
        return;
    }
    let database: Arc<dyn Coordination> =
        Arc::new(PostgresStorage::open(fresh_postgres()).unwrap());
    let ahead = Arc::new(ManualClock::new(Utc::now() + chrono::Duration::hours(1)));
    let behind = Arc::new(ManualClock::new(Utc::now() - chrono::Duration::minutes(7)));
    let clocks = [ahead.clone(), behind.clone()]
        .map(|machine| DatabaseClock::start(&database, machine).unwrap());
    // The manual clocks stand still, so each instance's time is the database's at its
    // measurement: within a second of it (the test cluster is this machine).
    let truth = database.database_time().unwrap();
    for clock in &clocks {
        let off = (clock.now() - truth).num_milliseconds().abs();
        assert!(
            off < 1000,
            "an instance is {off} ms off the database's clock"
        );
    }
    // Between measurements an instance's time moves with its machine's clock.
    let before = clocks[0].now();
    ahead.advance(chrono::Duration::seconds(2));
    assert_eq!(clocks[0].now() - before, chrono::Duration::seconds(2));
}

/// Needs PostgreSQL: run with `VENTANILLA_TEST_DATABASE=postgres`.
#[test]
fn postgres_instances_claim_an_idempotency_key_one_at_a_time_until_it_is_given_back_or_expires() {
    if !on_postgres() {
        return;
    }
    let config = fresh_postgres();
    let first = Arc::new(PostgresStorage::open(config.clone()).unwrap());
    let second = PostgresStorage::open(config).unwrap();
    let (account, key) = (Uuid::now_v7(), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let now = Utc::now();
    let minute = chrono::Duration::minutes(1);
    let claim = |by: &PostgresStorage, account, key, holder, at| {
        wait(by.claim_key(account, key, holder, at, at + minute)).unwrap()
    };
    let unanswered = KeyClaim::Taken(None);
    assert_eq!(claim(&first, account, key, a, now), unanswered);
    assert_eq!(claim(&second, account, key, b, now), KeyClaim::Busy);
    // Another account's key of the same name is its own.
    assert_eq!(claim(&second, Uuid::now_v7(), key, b, now), unanswered);
    // Only its holder gives a claim back.
    let leased = |holder| LeasedKey {
        account,
        key: key.to_owned(),
        holder,
    };
    second.release_keys(&[leased(b)]).unwrap();
    assert_eq!(claim(&second, account, key, b, now), KeyClaim::Busy);
    // Several at once, each by its holder.
    let other = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
    assert_eq!(claim(&first, account, other, a, now), unanswered);
    let other_leased = LeasedKey {
        key: other.to_owned(),
        ..leased(a)
    };
    first.release_keys(&[leased(a), other_leased]).unwrap();
    assert_eq!(claim(&second, account, key, b, now), unanswered);
    assert_eq!(claim(&second, account, other, b, now), unanswered);
    // A claim its instance never gave back (it stopped) is taken over once expired.
    let later = now + minute;
    let second_before = later - chrono::Duration::seconds(1);
    assert_eq!(
        claim(&first, account, key, a, second_before),
        KeyClaim::Busy
    );
    assert_eq!(claim(&first, account, key, a, later), unanswered);
    // A key already answered is claimed with its answer, on any instance.
    let fixture = Fixture::on(first);
    let recorded = fixture.bid("AAA010203AB1");
    let answer = fixture
        .accept(std::slice::from_ref(&recorded))
        .remove(0)
        .unwrap();
    let replay = claim(&second, fixture.account, &recorded.key, b, Utc::now());
    let expected = Answered {
        fingerprint: recorded.fingerprint.clone(),
        response: answer,
    };
    assert_eq!(replay, KeyClaim::Taken(Some(expected)));
}
