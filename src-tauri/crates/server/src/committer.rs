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
    waiting: Waiting,
}

/// A request waiting for its submission's outcome.
struct Waiting {
    outcome: oneshot::Sender<storage::Result<StoredResponse>>,
    /// Held until the outcome is known, so that a retry of a request whose client gave
    /// up waiting finds its key in progress instead of racing the queued submission.
    claim: Claim,
}

impl Waiting {
    fn answer(self, outcome: storage::Result<StoredResponse>) {
        let Waiting {
            outcome: sender,
            claim,
        } = self;
        // The outcome is on disk: the key is freed before the answer leaves, so a
        // resend the moment the client has its answer replays it instead of finding
        // the key still in progress (409).
        drop(claim);
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
            waiting: Waiting { outcome, claim },
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
            .map(|queued| (queued.submission, queued.waiting))
            .unzip();
        match storage.accept_all(&submissions, &|receipt| signer.seal(receipt)) {
            Ok(outcomes) => {
                for (waiting, outcome) in waiting.into_iter().zip(outcomes) {
                    waiting.answer(outcome);
                }
            }
            Err(e) => {
                let why = e.to_string();
                eprintln!("ventanilla-server: a batch of submissions was not recorded: {why}");
                let full = is_disk_full(&e);
                let unreachable = matches!(e, StorageError::Unreachable(_));
                for waiting in waiting {
                    waiting.answer(Err(if full {
                        disk_full_error()
                    } else if unreachable {
                        // Told as such (503), not as a failure of this server (500).
                        StorageError::Unreachable(why.clone())
                    } else {
                        StorageError::NotRecorded(why.clone())
                    }));
                }
            }
        }
    }
}
