//! The scheduler: takes due jobs from the store and has the core do them,
//! alongside any other process on the same store. Jobs are rows written
//! with the change that causes them, so a restart or a crash loses none;
//! the core marks each done with its effects, so none is done twice.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::core::job::Job;
use crate::core::store::{Store, StoreError};
use crate::core::{Core, Fired};

/// Jobs taken at a time.
const BATCH: i64 = 100;

/// How long taken jobs are this process's. Doing a batch is a hundred
/// short transactions, well under this; a process that dies holds its
/// jobs this long, then another (or itself, restarted) takes them.
const LEASE: chrono::Duration = chrono::Duration::seconds(30);

/// The longest sleep: jobs another process writes for sooner than the
/// next known wait at most this. Those this process writes wake it.
const IDLE: Duration = Duration::from_secs(30);

/// The shortest sleep, so that jobs leased by another process, already
/// due but not ours to take, are not asked for in a busy loop.
const MIN_SLEEP: Duration = Duration::from_secs(1);

/// Failed tries of a job before it is left failed, for `compagnie jobs`
/// to show.
const MAX_ATTEMPTS: i64 = 5;

#[derive(Clone, Debug)]
pub struct Scheduler {
    core: Core,
}

impl Scheduler {
    pub fn new(core: Core) -> Self {
        Self { core }
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.core.store()
    }

    /// Does due jobs until `shutdown` turns true, sleeping until the next
    /// is due (at most [`IDLE`]) or until the core writes jobs.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            if let Err(error) = self.fire_due().await {
                tracing::error!(%error, "cannot do the due jobs; trying again");
            }
            let wait = self.until_next().await;
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.core.jobs_written().notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Does every job due now, in turn; returns how many this process did.
    pub async fn fire_due(&self) -> Result<usize, StoreError> {
        let mut done = 0;
        loop {
            let now = self.core.deps().clock.now();
            let jobs = self.store().take_jobs(now, now + LEASE, BATCH).await?;
            if jobs.is_empty() {
                return Ok(done);
            }
            for job in &jobs {
                match self.core.fire(job).await {
                    Ok(Fired::Done) => done += 1,
                    Ok(Fired::AlreadyDone) => {}
                    Err(error) => self.failed(job, &error).await?,
                }
            }
        }
    }

    /// A job whose transaction failed is tried again later, with a longer
    /// wait each time, then left failed.
    async fn failed(&self, job: &Job, error: &StoreError) -> Result<(), StoreError> {
        let attempts = job.attempts + 1;
        let retry_at = (attempts < MAX_ATTEMPTS).then(|| {
            let wait = chrono::Duration::minutes(1 << attempts.clamp(0, 6));
            self.core.deps().clock.now() + wait
        });
        match retry_at {
            Some(at) => tracing::warn!(job = job.id.0, %error, %at, "job failed; will retry"),
            None => tracing::error!(job = job.id.0, %error, "job failed for good"),
        }
        self.store().job_failed(job.id, &error.to_string(), retry_at).await
    }

    /// How long until the next job is due, within [`MIN_SLEEP`] and
    /// [`IDLE`].
    async fn until_next(&self) -> Duration {
        let next = match self.store().next_job_due().await {
            Ok(next) => next,
            Err(error) => {
                tracing::warn!(%error, "cannot read when the next job is due");
                None
            }
        };
        let now = self.core.deps().clock.now();
        let wait = next.map_or(IDLE, |due| (due - now).to_std().unwrap_or(Duration::ZERO));
        wait.clamp(MIN_SLEEP, IDLE)
    }
}
