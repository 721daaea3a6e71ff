//! Group commit: one thread appends every accepted submission to the receipt log. It
//! takes whatever is queued (up to [`MAX_BATCH`]), records it in one transaction with
//! one disk flush, and only then answers each request. While a batch is being flushed
//! the next one queues up, so under load the batches grow and the flushes per
//! submission shrink; a lone submission is committed at once, without waiting.

use std::sync::{mpsc, Arc};

use tokio::sync::oneshot;

use crate::error::{disk_full_error, is_disk_full};
use crate::inflight::Claim;
use crate::signing::ReceiptSigner;
use crate::storage::{self, Storage, StorageError, StoredResponse, Submission};

/// The most submissions one transaction takes: bounds a batch's flush and the wait of
/// the first submission in it.
const MAX_BATCH: usize = 256;

struct Queued {
    submission: Submission,
    /// Where its request waits for the outcome.
    outcome: oneshot::Sender<storage::Result<StoredResponse>>,
    /// Held until the outcome is known, so that a retry of a request whose client gave
    /// up waiting finds its key in progress instead of racing the queued submission.
    claim: Claim,
}

/// Answers each request of a batch. The outcomes are on disk: the keys are freed
/// before the answers leave (all at once), so a resend the moment its client has its
/// answer replays it instead of finding the key still in progress (409).
fn answer(
    waiting: Vec<(oneshot::Sender<storage::Result<StoredResponse>>, Claim)>,
    outcomes: impl Iterator<Item = storage::Result<StoredResponse>>,
) {
    let (senders, claims): (Vec<_>, Vec<_>) = waiting.into_iter().unzip();
    Claim::release_all(claims);
    for (sender, outcome) in senders.into_iter().zip(outcomes) {
        // A client that went away is not answered; its submission stays recorded.
        let _ = sender.send(outcome);
    }
}

/// The queue to the log's writer thread, which stops when this is dropped.
pub struct Committer {
    queue: mpsc::Sender<Queued>,
}

impl Committer {
    pub fn start(storage: Arc<dyn Storage>, signer: Arc<ReceiptSigner>) -> std::io::Result<Self> {
        let (queue, queued) = mpsc::channel();
        std::thread::Builder::new()
            .name("receipt-log".to_owned())
            .spawn(move || write_batches(storage.as_ref(), &signer, &queued))?;
        Ok(Committer { queue })
    }

    /// Appends `submission` to the log, answering once it is on disk (or refused).
    pub async fn commit(
        &self,
        submission: Submission,
        claim: Claim,
    ) -> storage::Result<StoredResponse> {
        let (outcome, answered) = oneshot::channel();
        let queued = Queued {
            submission,
            outcome,
            claim,
        };
        self.queue.send(queued).map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StorageError {
    StorageError::NotRecorded("the receipt log's writer has stopped".to_owned())
}

fn write_batches(storage: &dyn Storage, signer: &ReceiptSigner, queue: &mpsc::Receiver<Queued>) {
    while let Ok(first) = queue.recv() {
        let (submissions, waiting): (Vec<_>, Vec<_>) = std::iter::once(first)
            .chain(queue.try_iter().take(MAX_BATCH - 1))
            .map(|queued| (queued.submission, (queued.outcome, queued.claim)))
            .unzip();
        match storage.accept_all(&submissions, &|receipt| signer.seal(receipt)) {
            Ok(outcomes) => answer(waiting, outcomes.into_iter()),
            Err(e) => {
                let why = e.to_string();
                eprintln!("ventanilla-server: a batch of submissions was not recorded: {why}");
                let (full, unreachable) =
                    (is_disk_full(&e), matches!(e, StorageError::Unreachable(_)));
                let failed = || {
                    if full {
                        disk_full_error()
                    } else if unreachable {
                        // Told as such (503), not as a failure of this server (500).
                        StorageError::Unreachable(why.clone())
                    } else {
                        StorageError::NotRecorded(why.clone())
                    }
                };
                answer(waiting, std::iter::repeat_with(|| Err(failed())));
            }
        }
    }
}
