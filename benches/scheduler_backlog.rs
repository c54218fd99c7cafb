//! How long the scheduler takes to take and do 10,000 due jobs when
//! 1,000,000 later jobs wait in the store, beside the same with nothing
//! else waiting, on SQLite and on PostgreSQL. The due jobs are found
//! through an index on pending jobs' due times: the backlog should cost
//! little.
//!
//! `cargo bench --bench scheduler_backlog`. PostgreSQL is measured when
//! `COMPAGNIE_TEST_POSTGRES` names a server (a loopback one: the bench
//! makes schemas of its own there). The due jobs are reminders for
//! outings that do not exist, each done and closed with nothing to say,
//! so that the time is the scheduler's and the store's.

#![expect(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use compagnie::core::clock::FixedClock;
use compagnie::core::geocode::Geocoding;
use compagnie::core::job::{JobKind, NewJob};
use compagnie::core::model::OfferNo;
use compagnie::core::policy::Policy;
use compagnie::core::store::Store;
use compagnie::core::{Core, Deps};
use compagnie::geography::Geography;
use compagnie::scheduler::Scheduler;

const DUE: i64 = 10_000;
const BACKLOG: i64 = 1_000_000;
/// Rows written per transaction while filling the backlog.
const FILL_CHUNK: i64 = 20_000;
const ROUNDS: usize = 3;

#[tokio::main]
async fn main() {
    println!("{DUE} due jobs taken and done, with and without {BACKLOG} later ones waiting");
    let dir = tempfile::tempdir().expect("temporary directory");
    let sqlite = |name: &str| format!("sqlite:{}", dir.path().join(name).display());
    compare("sqlite", &sqlite("empty.db"), &sqlite("backlog.db")).await;
    match std::env::var("COMPAGNIE_TEST_POSTGRES") {
        Ok(server) => {
            let (empty, backlog) =
                (schema(&server, "empty").await, schema(&server, "backlog").await);
            compare("postgres", &url(&server, &empty), &url(&server, &backlog)).await;
            drop_schemas(&server, &[&empty, &backlog]).await;
        }
        Err(_) => println!("postgres: skipped (COMPAGNIE_TEST_POSTGRES is not set)"),
    }
}

/// Each store is measured alternately, best of [`ROUNDS`], so that the
/// machine's moods weigh on both alike.
async fn compare(backend: &str, empty_url: &str, backlog_url: &str) {
    let empty = compagnie::storage::connect(empty_url).await.expect("store");
    let full = compagnie::storage::connect(backlog_url).await.expect("store");
    let filled = Instant::now();
    fill(&full, JobKind::Repost, BACKLOG, chrono::Duration::days(30)).await;
    let filled = filled.elapsed();
    let (mut alone, mut behind) = (Duration::MAX, Duration::MAX);
    for _ in 0..ROUNDS {
        alone = alone.min(fire(&empty).await);
        behind = behind.min(fire(&full).await);
    }
    let cost = behind.as_secs_f64() / alone.as_secs_f64() - 1.0;
    println!(
        "{backend}: empty {:.2} s ({:.0} jobs/s), backlog {:.2} s ({:.0} jobs/s), \
         backlog costs {:+.1}% (backlog written in {:.0} s)",
        alone.as_secs_f64(),
        DUE as f64 / alone.as_secs_f64(),
        behind.as_secs_f64(),
        DUE as f64 / behind.as_secs_f64(),
        cost * 100.0,
        filled.as_secs_f64(),
    );
}

/// Writes the due jobs, then times two schedulers doing them, as two
/// replicas would.
async fn fire(store: &Arc<dyn Store>) -> Duration {
    fill(store, JobKind::Introduce, DUE, chrono::Duration::zero()).await;
    let schedulers = [Scheduler::new(core(store.clone())), Scheduler::new(core(store.clone()))];
    let started = Instant::now();
    let runs = futures::future::join_all(schedulers.iter().map(Scheduler::fire_due)).await;
    let took = started.elapsed();
    let done: usize = runs.into_iter().map(|run| run.expect("jobs done")).sum();
    assert_eq!(done, DUE as usize, "every due job done once");
    took
}

/// `count` jobs due `after` the bench's clock, a second apart.
async fn fill(store: &Arc<dyn Store>, kind: JobKind, count: i64, after: chrono::Duration) {
    let start = now() + after;
    for first in (0..count).step_by(FILL_CHUNK as usize) {
        let jobs: Vec<NewJob> = (first..(first + FILL_CHUNK).min(count))
            .map(|n| NewJob {
                kind,
                offer: Some(OfferNo(1_000_000 + n)),
                due: start + chrono::Duration::seconds(n % 86_400),
            })
            .collect();
        let mut tx = store.begin().await.expect("begin");
        tx.schedule(&jobs, now()).await.expect("schedule");
        tx.commit().await.expect("commit");
    }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap()
}

fn core(store: Arc<dyn Store>) -> Core {
    let keys = compagnie::geography::FeatureKeys { id: "number".into(), name: "name".into() };
    let text = include_str!("../bot-config/paris-arrondissements.geojson");
    let geography = Geography::parse(text, &keys).expect("neighbourhoods");
    // The due jobs fall due within a day of the clock's time.
    let clock = Arc::new(FixedClock::new(now() + chrono::Duration::days(1)));
    let geocoding = Geocoding::offline();
    let geography = Arc::new(geography);
    Core::new(Deps { store, clock, geography, geocoding, policy: Policy::default() })
}

/// A new schema of the server, named after `name` and this process.
async fn schema(server: &str, name: &str) -> String {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(server).await.expect("PostgreSQL server");
    let schema = format!("bench_jobs_{name}_{}", std::process::id());
    let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
    conn.execute(sqlx::AssertSqlSafe(sql)).await.expect("schema");
    schema
}

fn url(server: &str, schema: &str) -> String {
    let separator = if server.contains('?') { '&' } else { '?' };
    format!("{server}{separator}options=-c%20search_path%3D{schema}")
}

/// A million rows are not left behind on the test server.
async fn drop_schemas(server: &str, schemas: &[&str]) {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(server).await.expect("PostgreSQL server");
    for schema in schemas {
        let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
        conn.execute(sqlx::AssertSqlSafe(sql)).await.expect("schema dropped");
    }
}
