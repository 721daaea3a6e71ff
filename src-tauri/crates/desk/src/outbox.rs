//! Sending to the alcaldía as the window sees it: the server settings and sign-in, the
//! "Enviar registro" readiness, the list of submissions with their state, progress and
//! verified receipts, and the drain itself.
//!
//! Local operations are [`Desk`] methods. Those that talk to the server run apart
//! from the desk (on their own connection to the same data folder and their own
//! runtime), so that a slow network never holds the window's lock.

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use ventanilla_api::auth::Role;
use ventanilla_core::acuse::receipt_time;
use ventanilla_core::registration::review;
use ventanilla_core::{Failure, FailureCode, Locale};
use ventanilla_efirma::Credentials;
use ventanilla_store::{Library, OutboxItem, OutboxState, StoreError, SubmissionKind};
use ventanilla_sync::acuse::{acuse_pdf, verified_receipt};
use ventanilla_sync::{
    client_for, missing_for_registration, queue_bid, queue_registration, ClientOptions,
    DrainOptions, DrainSummary, NewAccount, Progress, SubmitError, SyncError,
};

use crate::desk::{stored_locale, Desk};
use crate::fiel::efirma_failure;
use crate::ids::{BusinessId, Ocid, SubmissionId};
use crate::views::CommandError;

type Outcome<T> = Result<T, CommandError>;

/// The environment variable `./dev run` sets to the sandbox server's address: the
/// default offered on the settings page. Set while building, it names the alcaldía's
/// server the build ships with; set when the app starts, it wins (the sandbox).
pub const SERVER_URL_VARIABLE: &str = "VENTANILLA_SERVER_URL";

/// The alcaldía's server this build was made for, if it was made for one.
const BUILT_FOR_SERVER: Option<&str> = option_env!("VENTANILLA_SERVER_URL");

/// The server settings page.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct ServerView {
    /// The server's address, once set.
    pub url: Option<String>,
    /// What to offer when none is set.
    pub default_url: Option<String>,
    /// The account signed in, or last signed in.
    pub email: Option<String>,
    /// A session token is kept.
    pub signed_in: bool,
    /// The receipt-signing key pinned at first contact.
    pub key_id: Option<String>,
}

/// Who signs in, or signs up first.
#[derive(Deserialize, Clone, Debug, TS)]
pub struct SignInForm {
    /// The server's address.
    pub url: String,
    /// The account's email.
    pub email: String,
    /// The account's password, never kept.
    pub password: String,
    /// Create the account first.
    pub create: bool,
    /// For a new account: a business's own (with its RFC) or a chamber operator's.
    pub operator: bool,
    /// For a business's own new account: its RFC.
    pub rfc: Option<String>,
    /// For an owner whose business a chamber registered: the código de entrega the
    /// chamber gave them.
    pub handover: Option<String>,
}

/// Whether a business's registration can be sent now, and what is missing.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Readiness {
    /// It can be sent now.
    pub ready: bool,
    /// What to complete first, in the person's language.
    pub missing: Vec<String>,
    /// A registration of this business is already waiting to be sent.
    pub queued: bool,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, TS)]
#[serde(rename_all = "snake_case")]
/// Where a submission stands.
pub enum ItemState {
    /// Waiting to be sent.
    Queued,
    /// Being sent now.
    Sending,
    /// Sent, with a verified receipt.
    Sent,
    /// The server refused it or it cannot go on: the person must act.
    NeedsAttention,
}

impl From<OutboxState> for ItemState {
    fn from(state: OutboxState) -> ItemState {
        match state {
            OutboxState::Queued => ItemState::Queued,
            OutboxState::Sending => ItemState::Sending,
            OutboxState::Sent => ItemState::Sent,
            OutboxState::NeedsAttention => ItemState::NeedsAttention,
        }
    }
}

/// A verified receipt, everything the acuse shows (the printable PDF acuse prints the
/// same receipt).
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct ReceiptView {
    /// The receipt's id, the folio to quote to the alcaldía.
    pub folio: String,
    /// Its position in the alcaldía's receipt log.
    #[ts(type = "number")]
    pub log_index: u64,
    /// The server's time, in Mexico City, `dd/mm/aaaa hh:mm:ss`.
    pub server_time: String,
    /// The server's time in UTC (RFC 3339).
    pub server_time_utc: String,
    /// SHA-256 of the snapshot sent.
    pub payload_sha256: String,
    /// The RFC the receipt is for.
    pub rfc: String,
    /// The pinned key it verified with: only verified receipts are kept.
    pub key_id: String,
    /// When it verified here.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    #[ts(type = "string")]
    pub verified_at: DateTime<Utc>,
    /// Who signed the submission with their e.firma, as the server verified it.
    pub signer: Option<String>,
    /// The signer's número de certificado.
    pub signer_certificate_number: Option<String>,
}

/// One submission on the sync page.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct OutboxItemView {
    /// The business's id.
    pub business: BusinessId,
    /// The business's name.
    pub business_name: String,
    /// The submission's id (its idempotency key).
    pub submission: SubmissionId,
    /// `registration` or `bid`.
    pub kind: String,
    /// The tender, for a bid.
    pub ocid: Option<Ocid>,
    /// The RFC sent.
    pub rfc: String,
    /// Where it stands.
    pub state: ItemState,
    /// Tries so far.
    pub attempts: u32,
    /// Why the last try failed, in the person's language.
    pub last_error: Option<String>,
    /// Percent of the documents' bytes the server holds, while there are some to send.
    pub percent: Option<u32>,
    /// When it was queued.
    #[serde(serialize_with = "ventanilla_core::stamp::serialize")]
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// Its verified receipt, once sent.
    pub receipt: Option<ReceiptView>,
}

/// The always-visible connection and queue state, and the sync page.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct SyncView {
    /// The last contact's outcome; `None` before any.
    pub online: Option<bool>,
    /// When the last drain that reached the server and went to its end ended.
    pub last_sync: Option<String>,
    /// Why the last drain stopped (signed out, key changed...).
    pub stopped: Option<CommandError>,
    /// After a changed key: the one the server publishes now, which the person may
    /// trust once the alcaldía confirms the change.
    pub new_key: Option<String>,
    /// Submissions queued or being sent.
    pub to_send: u32,
    /// Submissions that need the person.
    pub needs_attention: u32,
    /// The item being sent and its percent, during a drain.
    pub sending: Option<SendingView>,
    /// Every submission, newest first.
    pub items: Vec<OutboxItemView>,
}

#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
/// The submission being sent and how far it is.
pub struct SendingView {
    /// The submission's id.
    pub submission: SubmissionId,
    /// Percent of its documents' bytes the server holds.
    pub percent: u32,
}

/// What the window remembers of the drains between calls.
#[derive(Default)]
pub struct SyncStatus {
    online: Option<bool>,
    last_sync: Option<String>,
    /// Why the last drain stopped: its code and the failure, worded when shown.
    stopped: Option<(String, Failure)>,
    new_key: Option<String>,
    sending: Option<SendingView>,
}

/// Shared between the drain's thread and the commands that read the state.
#[derive(Default)]
pub struct SyncMonitor(Mutex<SyncStatus>);

impl SyncMonitor {
    fn status(&self) -> std::sync::MutexGuard<'_, SyncStatus> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Called by the drain as bytes go.
    pub fn progress(&self, progress: &Progress) -> SendingView {
        let view = SendingView {
            submission: progress.submission.clone().into(),
            percent: percent(progress.bytes_done, progress.bytes_total),
        };
        self.status().sending = Some(view.clone());
        view
    }

    fn finished(&self, summary: &DrainSummary) {
        let mut status = self.status();
        status.online = Some(summary.online);
        // "Última sincronización" is the last one that went through, not the last try.
        if summary.online && summary.stopped.is_none() {
            status.last_sync = Some(Utc::now().to_rfc3339());
        }
        status.stopped = summary
            .stopped
            .as_ref()
            .map(|s| (s.code.clone(), s.failure.clone()));
        status.new_key = summary
            .stopped
            .as_ref()
            .and_then(|s| s.published_key.clone());
        status.sending = None;
    }

    /// The key the person was shown is now trusted: the stop it caused is over.
    fn key_trusted(&self) {
        let mut status = self.status();
        status.stopped = None;
        status.new_key = None;
    }
}

/// `done` of `total` as a whole percent, at most 100; nothing to do counts as done.
pub fn percent(done: u64, total: u64) -> u32 {
    done.saturating_mul(100)
        .checked_div(total)
        .map_or(100, |p| p.min(100) as u32)
}

fn sync_failure(error: &SyncError, locale: Locale) -> CommandError {
    CommandError::coded(error.code(), &error.failure(), locale)
}

/// A refusal to queue; the e.firma's own in the user's language, as the signing panel
/// words it.
fn submit_failure(error: &SubmitError, locale: Locale) -> CommandError {
    match error {
        SubmitError::Efirma(e) => efirma_failure(e, locale),
        other => CommandError::coded(other.code(), &other.failure(), locale),
    }
}

/// The receipt as the acuse shows it.
fn receipt_view(item: &OutboxItem) -> Option<ReceiptView> {
    let (receipt, stored) = verified_receipt(item)?;
    Some(ReceiptView {
        folio: receipt.receipt_id.to_string(),
        log_index: receipt.log_index,
        server_time: receipt_time(receipt.server_time),
        server_time_utc: receipt.server_time.to_rfc3339(),
        payload_sha256: receipt.payload_sha256,
        rfc: receipt.subject_rfc,
        key_id: stored.key_id.clone(),
        verified_at: stored.verified_at,
        signer: receipt.signer,
        signer_certificate_number: receipt.signer_certificate_number,
    })
}

fn item_view(
    business_name: &str,
    business: &str,
    item: &OutboxItem,
    locale: Locale,
) -> OutboxItemView {
    let (kind, ocid) = match &item.submission.kind {
        SubmissionKind::Registration => ("registration", None),
        SubmissionKind::Bid { ocid } => ("bid", Some(Ocid::from(ocid.as_str()))),
        SubmissionKind::Question { ocid } => ("question", Some(Ocid::from(ocid.as_str()))),
    };
    OutboxItemView {
        business: business.to_owned().into(),
        business_name: business_name.to_owned(),
        submission: item.submission.id.clone().into(),
        kind: kind.to_owned(),
        ocid,
        rfc: item.submission.rfc.clone(),
        state: item.state.into(),
        attempts: item.attempts,
        last_error: item.last_error.as_ref().map(|f| f.message(locale)),
        percent: (item.state == OutboxState::Sending || item.bytes_done > 0)
            .then(|| percent(item.bytes_done, item.bytes_total)),
        created_at: item.submission.created_at,
        receipt: receipt_view(item),
    }
}

impl Desk {
    /// The server settings, offering `./dev run`'s sandbox when none is set.
    pub fn server(&self) -> Outcome<ServerView> {
        let library = self.library()?;
        server_view(library).map_err(|e| self.fail(e))
    }

    /// Whether the business's registration can be sent now, and what is missing.
    pub fn readiness(&self, id: &str) -> Outcome<Readiness> {
        let library = self.library()?;
        let business = library.open_business(id).map_err(|e| self.fail(e))?;
        let draft = business.load_draft().map_err(|e| self.fail(e))?;
        let catalogue = library.catalogue().map_err(|e| self.fail(e))?;
        let evaluation = business
            .checklist(&catalogue, None, crate::documents::today())
            .map_err(|e| self.fail(e))?;
        let banks = library.banks().map_err(|e| self.fail(e))?;
        let complete = review(&draft, &banks).facts.complete;
        let missing: Vec<String> =
            missing_for_registration(complete, evaluation.as_ref(), &catalogue)
                .iter()
                .map(|m| m.message(self.locale()))
                .collect();
        let queued = business
            .pending_submissions(None)
            .map_err(|e| self.fail(e))?
            .iter()
            .any(|i| i.submission.kind == SubmissionKind::Registration);
        Ok(Readiness {
            ready: missing.is_empty() && !queued,
            missing,
            queued,
        })
    }

    /// Freezes the business's registration, signs it with the business's e.firma and
    /// `password`, and queues it with its signature: the same offline. Nothing is
    /// queued when it cannot be signed.
    pub fn submit_registration(&mut self, id: &str, password: &str) -> Outcome<OutboxItemView> {
        let locale = self.locale();
        let (certificate, key) = self.fiel_files(id)?;
        let fiel = credentials(&certificate, &key, password);
        let library = self.library()?;
        let item = queue_registration(library, id, crate::documents::today(), Some(&fiel))
            .map_err(|e| submit_failure(&e, locale))?;
        let name = library
            .open_business(id)
            .and_then(|b| b.load_draft())
            .map(|d| d.name)
            .unwrap_or_default();
        Ok(item_view(&name, id, &item, self.locale()))
    }

    /// Freezes a bid, signs it with the business's e.firma and `password` and queues it
    /// with its signature, the same offline; refused while it is incomplete, after its
    /// deadline, while its tender changed unreviewed, or when it cannot be signed (the
    /// bid stays as it was).
    pub fn submit_bid(
        &mut self,
        business_id: &str,
        bid_id: &str,
        password: &str,
    ) -> Outcome<OutboxItemView> {
        let locale = self.locale();
        let (certificate, key) = self.fiel_files(business_id)?;
        let fiel = credentials(&certificate, &key, password);
        let frozen = self.freeze_bid(business_id, bid_id)?;
        let (library, business) = self.library_and_store(business_id)?;
        let item = queue_bid(library, business_id, business, frozen, Some(&fiel))
            .map_err(|e| submit_failure(&e, locale))?;
        let name = business.load_draft().map(|d| d.name).unwrap_or_default();
        Ok(item_view(&name, business_id, &item, locale))
    }

    /// Every submission of every business, newest first, with the connection state.
    pub fn sync_state(&self, monitor: &SyncMonitor) -> Outcome<SyncView> {
        let library = self.library()?;
        let mut items = Vec::new();
        for entry in library.list_businesses("").map_err(|e| self.fail(e))? {
            // A damaged business shows as such on the home screen; the rest go on.
            let Ok(business) = library.open_business(&entry.id) else {
                continue;
            };
            for item in business.outbox().map_err(|e| self.fail(e))? {
                items.push(item_view(
                    &entry.summary.name,
                    &entry.id,
                    &item,
                    self.locale(),
                ));
            }
        }
        items.sort_by_key(|i| std::cmp::Reverse(i.created_at));
        let count = |states: &[ItemState]| {
            items.iter().filter(|i| states.contains(&i.state)).count() as u32
        };
        let status = monitor.status();
        Ok(SyncView {
            online: status.online,
            last_sync: status.last_sync.clone(),
            stopped: status
                .stopped
                .as_ref()
                .map(|(code, failure)| CommandError::coded(code, failure, self.locale())),
            new_key: status.new_key.clone(),
            to_send: count(&[ItemState::Queued, ItemState::Sending]),
            needs_attention: count(&[ItemState::NeedsAttention]),
            sending: status.sending.clone(),
            items,
        })
    }

    /// Writes the printable acuse of a sent submission to `path`: only from a receipt
    /// that verified and is kept.
    pub fn export_receipt_pdf(&self, business: &str, submission: &str, path: &Path) -> Outcome<()> {
        let library = self.library()?;
        let store = library.open_business(business).map_err(|e| self.fail(e))?;
        let item = store.outbox_item(submission).map_err(|e| self.fail(e))?;
        let name = store.load_draft().map_err(|e| self.fail(e))?.name;
        let Some(pdf) = acuse_pdf(&item, &name) else {
            return Err(CommandError::new(FailureCode::NoReceipt, self.locale()));
        };
        std::fs::write(path, pdf).map_err(|source| {
            self.fail(StoreError::Io {
                path: path.to_path_buf(),
                source,
            })
        })
    }

    /// Puts a held submission back in the queue (the same snapshot and key).
    pub fn retry_submission(&self, business: &str, submission: &str) -> Outcome<()> {
        let library = self.library()?;
        library
            .open_business(business)
            .and_then(|b| b.retry_submission(submission))
            .map_err(|e| self.fail(e))
    }
}

/// The e.firma as signing takes it.
fn credentials<'a>(certificate: &'a [u8], key: &'a [u8], password: &'a str) -> Credentials<'a> {
    Credentials {
        certificate,
        key,
        password: password.as_bytes(),
    }
}

fn server_view(library: &Library) -> Result<ServerView, StoreError> {
    Ok(ServerView {
        url: library.server_url()?,
        default_url: std::env::var(SERVER_URL_VARIABLE)
            .ok()
            .or(BUILT_FOR_SERVER.map(str::to_owned))
            .filter(|u| !u.is_empty()),
        email: library.account_email()?,
        signed_in: library.token()?.is_some(),
        key_id: library.pinned_key()?.map(|k| k.key_id),
    })
}

/// Runs `work` against its own handle on the data folder and its own runtime, in the
/// person's language: the network operations, off the window's lock.
fn with_network<T>(
    data_dir: &Path,
    work: impl AsyncFnOnce(&Library, Locale) -> Outcome<T>,
) -> Outcome<T> {
    let library =
        Library::open(data_dir).map_err(|e| CommandError::from_store(&e, Locale::default()))?;
    let locale = stored_locale(&library);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            CommandError::new(
                Failure::from(FailureCode::Runtime).with("detail", e),
                locale,
            )
        })?;
    runtime.block_on(work(&library, locale))
}

/// Signs in (or up, then in) and answers the settings as they now are.
pub fn sign_in(data_dir: &Path, form: SignInForm) -> Outcome<ServerView> {
    with_network(data_dir, async |library, locale| {
        let options = ClientOptions::default();
        let outcome = if form.create {
            let account = NewAccount {
                role: if form.operator {
                    Role::Operator
                } else {
                    Role::Supplier
                },
                email: form.email.clone(),
                password: form.password.clone(),
                rfc: form.rfc.clone().filter(|r| !r.trim().is_empty()),
                handover: form.handover.clone().filter(|c| !c.trim().is_empty()),
            };
            ventanilla_sync::sign_up(library, &form.url, &account, options).await
        } else {
            ventanilla_sync::sign_in(library, &form.url, &form.email, &form.password, options).await
        };
        outcome.map_err(|e| sync_failure(&e, locale))?;
        server_view(library).map_err(|e| CommandError::from_store(&e, locale))
    })
}

/// Trusts the server's new receipt-signing key `key_id`, the one the person was shown
/// (refused if the server now publishes yet another), and answers the settings.
pub fn accept_new_key(data_dir: &Path, key_id: &str, monitor: &SyncMonitor) -> Outcome<ServerView> {
    with_network(data_dir, async |library, locale| {
        ventanilla_sync::accept_new_key(library, ClientOptions::default(), Some(key_id))
            .await
            .map_err(|e| sync_failure(&e, locale))?;
        monitor.key_trusted();
        server_view(library).map_err(|e| CommandError::from_store(&e, locale))
    })
}

/// Whether the server answers, for the indicator.
pub fn reachable(data_dir: &Path) -> Outcome<bool> {
    with_network(data_dir, async |library, _| {
        Ok(match client_for(library, ClientOptions::default()) {
            Ok(client) => client.reachable().await,
            Err(_) => false,
        })
    })
}

/// Drains every business's queue (every item when `everything_now`, else the due
/// ones), telling `progress` as bytes go.
pub fn drain(
    data_dir: &Path,
    everything_now: bool,
    monitor: &SyncMonitor,
    progress: &(dyn Fn(SendingView) + Sync),
) -> Outcome<DrainSummary> {
    with_network(data_dir, async |library, _| {
        let options = DrainOptions {
            everything_now,
            ..DrainOptions::default()
        };
        let summary = ventanilla_sync::sync_now(library, options, &|p| {
            progress(monitor.progress(p));
        })
        .await;
        // New tenders may fit a business; the window tells them after the sync.
        let now = Utc::now();
        if summary.tenders_updated.is_some_and(|n| n > 0)
            || library.fits_stale(now).unwrap_or(false)
        {
            let _ = crate::fits::refresh(library, now);
        }
        monitor.finished(&summary);
        Ok(summary)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::fiel::FielFile;
    use ventanilla_testkit::efirma::PASSWORD;

    #[test]
    fn the_last_sync_is_the_last_one_that_went_through() {
        let monitor = SyncMonitor::default();
        let offline = DrainSummary::default();
        monitor.finished(&offline);
        assert_eq!(monitor.status().last_sync, None);

        monitor.finished(&DrainSummary {
            online: true,
            ..DrainSummary::default()
        });
        let went_through = monitor.status().last_sync.clone();
        assert!(went_through.is_some());

        let stopped = DrainSummary {
            online: true,
            stopped: Some(ventanilla_sync::Stop {
                code: "signed_out".into(),
                failure: FailureCode::SignedOut.into(),
                message: "Inicia sesión.".into(),
                published_key: None,
            }),
            ..DrainSummary::default()
        };
        monitor.finished(&stopped);
        monitor.finished(&offline);
        let status = monitor.status();
        assert_eq!(status.last_sync, went_through);
        assert_eq!(status.online, Some(false));
    }

    #[test]
    fn a_registration_submitted_offline_is_sent_later_with_a_verified_receipt() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut desk = Desk::open(data.clone());
        let monitor = SyncMonitor::default();
        let files = dir.path().join("files");
        std::fs::create_dir(&files).unwrap();
        let id = {
            let library = desk.library().unwrap();
            let incomplete = library
                .create_business(&ventanilla_core::RegistrationDraft::default())
                .unwrap();
            let readiness = desk.readiness(&incomplete).unwrap();
            assert!(!readiness.ready && !readiness.missing.is_empty());
            ventanilla_testkit::complete_business(library, &files, 1, 500)
        };
        // Not without the business's e.firma and its password.
        let ca = ventanilla_testkit::efirma::TestCa::new();
        let fiel = crate::fiel::tests::fiel_for(&ca, &ventanilla_testkit::rfc_for(1));
        assert_eq!(
            desk.submit_registration(&id, PASSWORD).unwrap_err().code,
            "certificate_not_chosen"
        );
        desk.set_fiel_file(&id, FielFile::Certificate, &fiel.cer)
            .unwrap();
        desk.set_fiel_file(&id, FielFile::Key, &fiel.key).unwrap();
        for (password, code) in [("", "password_missing"), ("otra", "wrong_password")] {
            let refused = desk.submit_registration(&id, password).unwrap_err();
            assert_eq!(refused.code, code);
        }
        assert!(!desk.readiness(&id).unwrap().queued, "nothing queued");
        assert_eq!(
            desk.readiness(&id).unwrap(),
            Readiness {
                ready: true,
                missing: vec![],
                queued: false
            }
        );

        // Offline: queued all the same.
        let queued = desk.submit_registration(&id, PASSWORD).unwrap();
        assert_eq!(queued.state, ItemState::Queued);
        // Signed over the exact snapshot, by the business's e.firma.
        let submission = {
            let business = desk.library().unwrap().open_business(&id).unwrap();
            business.outbox().unwrap().remove(0).submission
        };
        let p7s = submission.signature.unwrap();
        let verified =
            ventanilla_efirma::verify_detached(submission.snapshot.as_bytes(), &p7s).unwrap();
        assert_eq!(verified.signer.facts().rfc, ventanilla_testkit::rfc_for(1));
        assert!(desk.readiness(&id).unwrap().queued);
        let summary = drain(&data, true, &monitor, &|_| {}).unwrap();
        assert_eq!(summary.stopped.unwrap().code, "no_server");
        let state = desk.sync_state(&monitor).unwrap();
        assert_eq!((state.to_send, state.online), (1, Some(false)));
        let acuse = dir.path().join("acuse.pdf");
        let refused = desk
            .export_receipt_pdf(&id, &queued.submission, &acuse)
            .unwrap_err();
        assert_eq!(refused.code, "no_receipt");
        assert!(refused.message.contains("acuse verificado") && !acuse.exists());

        // The server comes up; sign up, sync: sent, with its receipt.
        let server = ventanilla_testkit::Server::start(&dir.path().join("server"), None);
        let view = sign_in(
            &data,
            SignInForm {
                url: server.base(),
                email: "duena@ejemplo.mx".into(),
                password: ventanilla_testkit::PASSWORD.into(),
                create: true,
                operator: false,
                handover: None,
                rfc: Some(ventanilla_testkit::rfc_for(1)),
            },
        )
        .unwrap();
        assert!(view.signed_in && view.key_id.is_some());
        let sent = std::sync::Mutex::new(Vec::new());
        drain(&data, true, &monitor, &|p| {
            sent.lock().unwrap().push(p.percent)
        })
        .unwrap();
        assert_eq!(sent.lock().unwrap().last(), Some(&100));
        let state = desk.sync_state(&monitor).unwrap();
        assert_eq!((state.to_send, state.online), (0, Some(true)));
        let item = &state.items[0];
        assert_eq!(item.state, ItemState::Sent);
        let receipt = item.receipt.as_ref().unwrap();
        assert_eq!(receipt.payload_sha256, queued_hash(&desk, &id));
        assert_eq!(receipt.key_id, view.key_id.unwrap());
        assert_eq!(
            receipt.signer.as_deref(),
            Some("OÑORO & ASOCIADOS SA DE CV")
        );
        assert_eq!(
            receipt.signer_certificate_number.as_deref(),
            Some(fiel.certificate_number.as_str())
        );
        assert_eq!(receipt.server_time.len(), "24/11/2026 12:05:09".len());

        // Its printable acuse, from that same verified receipt.
        desk.export_receipt_pdf(&id, &item.submission, &acuse)
            .unwrap();
        let text = ventanilla_testkit::fixtures::pdf_text(&std::fs::read(&acuse).unwrap());
        for expected in [
            format!("Folio: {}", receipt.folio),
            format!("{} (hora de la Ciudad de México", receipt.server_time),
            format!("RFC: {}", receipt.rfc),
            format!("Proveedor: {}", item.business_name),
            receipt.payload_sha256.clone(),
            format!("«{}»", receipt.key_id),
            "Solicitud de registro en el padrón de proveedores".into(),
            "Firma verificada".into(),
        ] {
            assert!(text.contains(&expected), "missing {expected:?} in {text}");
        }
    }

    #[test]
    fn sync_errors_and_what_is_missing_are_worded_in_the_language_chosen_when_shown() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut desk = Desk::open(data.clone());
        let monitor = SyncMonitor::default();
        let files = dir.path().join("files");
        std::fs::create_dir(&files).unwrap();
        let (id, incomplete) = {
            let library = desk.library().unwrap();
            let incomplete = library
                .create_business(&ventanilla_core::RegistrationDraft::default())
                .unwrap();
            let id = ventanilla_testkit::complete_business(library, &files, 1, 300);
            (id, incomplete)
        };
        let ca = ventanilla_testkit::efirma::TestCa::new();
        let fiel = crate::fiel::tests::fiel_for(&ca, &ventanilla_testkit::rfc_for(1));
        desk.set_fiel_file(&id, FielFile::Certificate, &fiel.cer)
            .unwrap();
        desk.set_fiel_file(&id, FielFile::Key, &fiel.key).unwrap();
        let queued = desk.submit_registration(&id, PASSWORD).unwrap();
        let held = Failure::from(FailureCode::ServerBusy).with("status", 503);
        desk.library()
            .unwrap()
            .open_business(&id)
            .unwrap()
            .hold_submission(&queued.submission, &held)
            .unwrap();
        drain(&data, true, &monitor, &|_| {}).unwrap();

        let shown = |desk: &Desk| {
            let state = desk.sync_state(&monitor).unwrap();
            let stopped = state.stopped.unwrap();
            assert_eq!(stopped.code, "no_server");
            let missing = desk.readiness(&incomplete).unwrap().missing;
            (
                stopped.message,
                state.items[0].last_error.clone().unwrap(),
                missing,
            )
        };
        let (stopped, last_error, missing) = shown(&desk);
        assert!(
            stopped.starts_with("Falta la dirección del servidor"),
            "{stopped}"
        );
        assert!(
            last_error.contains("ocupado o con fallas (código 503)"),
            "{last_error}"
        );
        assert_eq!(missing[0], "completar o corregir los datos del registro.");

        desk.set_locale(Locale::En).unwrap();
        let (stopped, last_error, missing) = shown(&desk);
        assert!(
            stopped.starts_with("The borough's server address is missing"),
            "{stopped}"
        );
        assert!(
            last_error.contains("busy or failing (code 503)"),
            "{last_error}"
        );
        assert_eq!(missing[0], "complete or correct the registration's data.");
    }

    fn queued_hash(desk: &Desk, id: &str) -> String {
        let business = desk.library().unwrap().open_business(id).unwrap();
        business.outbox().unwrap()[0].submission.sha256.clone()
    }

    #[test]
    fn percent_never_exceeds_a_hundred_and_nothing_to_send_is_done() {
        assert_eq!(percent(0, 0), 100);
        assert_eq!(percent(45, 100), 45);
        assert_eq!(percent(200, 100), 100);
    }
}
