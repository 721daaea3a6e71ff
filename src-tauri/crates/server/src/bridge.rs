//! Async clients (the PostgreSQL driver, the object store's HTTP client) behind blocking
//! interfaces.
//!
//! The clients live on a small runtime of their own, so that their connections keep
//! being driven whatever the caller is doing: a caller blocks on its future with
//! `futures_executor::block_on` inside that runtime's context (its reactor, timers and
//! spawner), never on the caller's runtime. This is the one way that works from every
//! caller there is: `Handle::block_on` panics inside any runtime, and `block_in_place`
//! panics on a current-thread one, where the in-process test servers run. On a
//! multi-thread runtime the wait is still wrapped in `block_in_place`, so that the
//! runtime hands the waiting worker's other tasks to another thread, which is what
//! SQLite's short blocking calls and the disk's do without. (The sync `postgres` crate
//! was not chosen: it keeps a runtime per connection and refuses to run inside another.)

use std::future::Future;

use tokio::runtime::{Handle, Runtime, RuntimeFlavor};

pub(crate) struct Bridge {
    handle: Handle,
    /// Shut down in the background when dropped: a runtime dropped the usual way
    /// blocks, which panics when the last server goes away inside a test's runtime.
    runtime: Option<Runtime>,
}

impl Bridge {
    /// A runtime of two threads named `name`.
    pub fn start(name: &str) -> std::io::Result<Bridge> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(name)
            .enable_all()
            .build()?;
        Ok(Bridge {
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
        })
    }

    /// Runs `work` on the bridge's runtime and waits for it.
    pub fn wait<F: Future>(&self, work: F) -> F::Output {
        let block = || {
            let _context = self.handle.enter();
            futures_executor::block_on(work)
        };
        match Handle::try_current() {
            Ok(caller) if caller.runtime_flavor() == RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(block)
            }
            _ => block(),
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
