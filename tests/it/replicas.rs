//! Work only one replica may do at a time (polling a Telegram bot,
//! syncing a Matrix account), shared through a lease in the store.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use compagnie::core::clock::SystemClock;
use compagnie::core::store::Store;
use compagnie::lease::Lease;
use tokio::sync::watch;

use crate::common::each_store;

// The store keeps times to the second: a term of a few seconds.
const TERM: Duration = Duration::from_millis(3_000);
const RENEW: Duration = Duration::from_millis(250);

/// Who works now, and the most who ever worked at once.
#[derive(Debug, Default)]
struct Workers {
    active: Mutex<Vec<usize>>,
    most: AtomicUsize,
}

/// Leaves the list of who works when its work ends, however it ends.
struct Working(Arc<Workers>, usize);

impl Drop for Working {
    fn drop(&mut self) {
        self.0.active.lock().unwrap().retain(|&replica| replica != self.1);
    }
}

fn replica(
    store: &Arc<dyn Store>,
    workers: &Arc<Workers>,
    n: usize,
    shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    let lease = Lease::new(store.clone(), Arc::new(SystemClock), "telegram:compagnie_bot")
        .with_times(TERM, RENEW);
    let workers = workers.clone();
    tokio::spawn(async move {
        lease
            .run(shutdown, |mut stop| {
                let workers = workers.clone();
                async move {
                    {
                        let mut active = workers.active.lock().unwrap();
                        active.push(n);
                        workers.most.fetch_max(active.len(), Ordering::SeqCst);
                    }
                    let _working = Working(workers, n);
                    let _ = stop.wait_for(|stop| *stop).await;
                }
            })
            .await;
    })
}

async fn settle() {
    tokio::time::sleep(TERM + 3 * RENEW).await;
}

#[tokio::test]
async fn one_replica_polls_at_a_time_and_another_takes_over_when_it_dies() {
    each_store(|store: Arc<dyn Store>| async move {
        let workers = Arc::new(Workers::default());
        let (shutdown, stopped) = watch::channel(false);
        let mut replicas: Vec<_> =
            (0..3).map(|n| Some(replica(&store, &workers, n, stopped.clone()))).collect();
        settle().await;
        let first = workers.active.lock().unwrap().clone();
        assert_eq!(first.len(), 1, "one of three works");

        // The worker dies without giving the lease up.
        replicas[first[0]].take().unwrap().abort();
        settle().await;
        let second = workers.active.lock().unwrap().clone();
        assert_eq!(second.len(), 1, "another took over once the lease ran out");
        assert_ne!(second, first);

        // On shutdown every replica stops, the worker first.
        shutdown.send(true).unwrap();
        for handle in replicas.into_iter().flatten() {
            handle.await.unwrap();
        }
        assert!(workers.active.lock().unwrap().is_empty(), "every worker stopped");
        assert_eq!(workers.most.load(Ordering::SeqCst), 1, "never two at once");
    })
    .await;
}
