//! Work that only one process may do at a time, however many replicas
//! share the store: polling a Telegram bot (Telegram answers a second
//! poller with a conflict and splits the updates between them) or syncing
//! a Matrix account. A process does it while it holds a lease in the
//! store, renewed well before it runs out; when the process dies, the
//! lease runs out and another takes the work over.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::core::clock::Clock;
use crate::core::store::Store;

/// How long a lease lasts unless renewed: the longest another process
/// waits to take over from one that died.
const TERM: Duration = Duration::from_secs(30);

/// How often the holder renews its lease, and how often the others ask
/// for it.
const RENEW: Duration = Duration::from_secs(10);

/// One named piece of work and this process's claim to it.
#[derive(Clone, Debug)]
pub struct Lease {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    name: String,
    holder: String,
    term: Duration,
    renew: Duration,
}

impl Lease {
    /// The lease `name` (such as `telegram:<bot>`), for this process.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, name: impl Into<String>) -> Self {
        Self { store, clock, name: name.into(), holder: holder_id(), term: TERM, renew: RENEW }
    }

    /// The same lease with other times, for tests that cannot wait half a
    /// minute; `renew` must be well under `term`.
    pub fn with_times(self, term: Duration, renew: Duration) -> Self {
        Self { term, renew, ..self }
    }

    /// Does `work` whenever this process holds the lease, until `shutdown`
    /// turns true. `work` is given its own signal, turned true when the
    /// lease is lost or the process shuts down; when it returns while the
    /// lease is held, it is started again after a pause.
    pub async fn run<W, F>(&self, shutdown: watch::Receiver<bool>, mut work: W)
    where
        W: FnMut(watch::Receiver<bool>) -> F,
        F: Future<Output = ()>,
    {
        let mut closing = shutdown.clone();
        let stopping = async move {
            // An error means the sender is gone: the process is ending.
            let _ = closing.wait_for(|stop| *stop).await;
        };
        tokio::pin!(stopping);
        while !*shutdown.borrow() {
            if !self.hold().await {
                tokio::select! {
                    () = tokio::time::sleep(self.renew) => continue,
                    () = &mut stopping => break,
                }
            }
            tracing::info!(lease = %self.name, "this process does the work now");
            let (stop, stopped) = watch::channel(false);
            let working = work(stopped);
            tokio::pin!(working);
            let mut held = true;
            loop {
                tokio::select! {
                    () = &mut working => break,
                    () = tokio::time::sleep(self.renew), if held => {
                        if !self.hold().await {
                            tracing::warn!(lease = %self.name, "lease lost: stopping the work");
                            held = false;
                            let _ = stop.send(true);
                        }
                    }
                    () = &mut stopping, if held => {
                        held = false;
                        let _ = stop.send(true);
                    }
                }
            }
            if held && !*shutdown.borrow() {
                tracing::warn!(lease = %self.name, "the work ended by itself; starting it again");
                tokio::time::sleep(self.renew).await;
                continue;
            }
            if *shutdown.borrow() {
                self.release().await;
            }
        }
    }

    /// Takes or renews the lease; a store that cannot be reached counts as
    /// the lease lost, since another process may take it meanwhile.
    async fn hold(&self) -> bool {
        let now = self.clock.now();
        let term = chrono::Duration::from_std(self.term).unwrap_or(chrono::Duration::seconds(30));
        match self.store.hold_lease(&self.name, &self.holder, now, now + term).await {
            Ok(held) => held,
            Err(error) => {
                tracing::warn!(lease = %self.name, %error, "cannot renew the lease");
                false
            }
        }
    }

    async fn release(&self) {
        if let Err(error) = self.store.release_lease(&self.name, &self.holder).await {
            tracing::warn!(lease = %self.name, %error, "cannot give the lease up; it runs out");
        }
    }
}

/// A name for this process: its host, process id and start instant, which
/// two live processes do not share in practice.
fn holder_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.subsec_nanos());
    format!("{host}:{}:{nanos}", std::process::id())
}
