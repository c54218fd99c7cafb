//! Scheduled jobs in the store: leases shared out between processes, a
//! job done once, cancellations and retries.

use std::sync::Arc;

use chrono::Duration;
use compagnie::core::job::{JobKind, NewJob};
use compagnie::core::model::OfferNo;
use compagnie::core::store::Store;

use crate::common::{at, each_store};

const LEASE: Duration = Duration::minutes(2);

/// Jobs for offers 1..=count, due one second apart from `at(0)`.
async fn schedule(store: &Arc<dyn Store>, kind: JobKind, count: i64) {
    let jobs: Vec<NewJob> =
        (1..=count).map(|n| NewJob { kind, offer: Some(OfferNo(n)), due: at(n - 1) }).collect();
    let mut tx = store.begin().await.expect("begin");
    tx.schedule(&jobs, at(0)).await.expect("schedule");
    tx.commit().await.expect("commit");
}

fn offers(jobs: &[compagnie::core::job::Job]) -> Vec<i64> {
    jobs.iter().filter_map(|job| job.offer.map(|offer| offer.0)).collect()
}

#[tokio::test]
async fn due_jobs_are_leased_to_one_taker_until_the_lease_ends() {
    each_store(|store: Arc<dyn Store>| async move {
        schedule(&store, JobKind::Introduce, 5).await;
        let now = at(2);
        let first = store.take_jobs(now, now + LEASE, 2).await.expect("take");
        assert_eq!(offers(&first), [1, 2], "soonest first");
        let second = store.take_jobs(now, now + LEASE, 10).await.expect("take");
        assert_eq!(offers(&second), [3], "what is leased and what is not due are left");
        assert_eq!(store.next_job_due().await.expect("next"), Some(at(0)));

        let later = now + LEASE;
        let again = store.take_jobs(later, later + LEASE, 10).await.expect("take");
        assert_eq!(offers(&again), [1, 2, 3, 4, 5], "leases that ran out are taken again");
    })
    .await;
}

#[tokio::test]
async fn a_job_is_completed_once_and_a_cancelled_one_never() {
    each_store(|store: Arc<dyn Store>| async move {
        schedule(&store, JobKind::Report, 2).await;
        schedule(&store, JobKind::Repost, 2).await;
        let taken = store.take_jobs(at(10), at(10) + LEASE, 10).await.expect("take");
        assert_eq!(taken.len(), 4);

        let mut tx = store.begin().await.expect("begin");
        assert!(tx.complete_job(taken[0].id, at(10)).await.expect("complete"));
        tx.cancel_jobs(OfferNo(2), &JobKind::ESCALATIONS).await.expect("cancel");
        tx.commit().await.expect("commit");
        let mut tx = store.begin().await.expect("begin");
        assert!(!tx.complete_job(taken[0].id, at(11)).await.expect("complete"), "done already");
        let cancelled =
            taken.iter().find(|job| job.kind == JobKind::Repost && job.offer == Some(OfferNo(2)));
        let cancelled = cancelled.expect("the repost of offer 2");
        assert!(!tx.complete_job(cancelled.id, at(11)).await.expect("complete"), "cancelled");
        drop(tx);

        let listed = store.jobs(10).await.expect("list");
        assert_eq!(listed.len(), 2, "pending jobs only: {listed:?}");
    })
    .await;
}

#[tokio::test]
async fn a_failed_job_waits_for_its_retry_then_fails_for_good() {
    each_store(|store: Arc<dyn Store>| async move {
        schedule(&store, JobKind::Morning, 1).await;
        let job = store.take_jobs(at(0), at(0) + LEASE, 1).await.expect("take").remove(0);
        store.job_failed(job.id, "database away", Some(at(600))).await.expect("failed");
        assert!(store.take_jobs(at(599), at(599) + LEASE, 1).await.expect("take").is_empty());
        let retried = store.take_jobs(at(600), at(600) + LEASE, 1).await.expect("take");
        assert_eq!(retried[0].attempts, 1);

        store.job_failed(job.id, "database away", None).await.expect("failed");
        assert!(store.take_jobs(at(9_999), at(9_999) + LEASE, 1).await.expect("take").is_empty());
        let listed = store.jobs(10).await.expect("list");
        assert_eq!(
            (listed[0].status.as_str(), listed[0].last_error.as_deref()),
            ("failed", Some("database away"))
        );
        assert_eq!(store.next_job_due().await.expect("next"), None);
    })
    .await;
}
