//! Helpers shared by the integration tests: stores on a temporary SQLite
//! file or in a fresh PostgreSQL schema, and small fixtures.
//!
//! PostgreSQL runs when `COMPAGNIE_TEST_POSTGRES` holds a server URL, for
//! instance `postgres://postgres@127.0.0.1:5432/test`; each test then gets
//! a schema of its own, so tests run in parallel without meeting.

use std::future::Future;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, Utc};
use compagnie::config::Config;
use compagnie::core::model::{ElderId, NewOffer, Offer, OfferKind, OfferStatus, Person, PersonId};
use compagnie::core::store::{NewElder, NewPerson, Store, Tx};
use sqlx::{Connection, Executor, PgConnection};
use tempfile::TempDir;
use tokio::sync::OnceCell;

/// The variable naming the PostgreSQL server the tests may use.
pub const POSTGRES_VAR: &str = "COMPAGNIE_TEST_POSTGRES";

/// Test schemas older than this are dropped: a run that failed leaves its
/// schemas behind for inspection, for a while.
const STALE_SCHEMA_SECS: i64 = 3600;

/// A store on a new SQLite file, deleted with the returned directory.
pub async fn sqlite_store() -> (Arc<dyn Store>, TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite:{}", dir.path().join("compagnie.db").display());
    let store = compagnie::storage::connect(&url).await.expect("SQLite store");
    (store, dir)
}

/// A store in a new schema of the PostgreSQL test server, or None (with one
/// line on stderr) when no server is configured. An unreachable server
/// fails the test: only a missing configuration skips.
pub async fn postgres_store() -> Option<Arc<dyn Store>> {
    let Ok(server) = std::env::var(POSTGRES_VAR) else {
        // Written to stderr itself: the test harness captures `eprintln!`,
        // and a newcomer should see what did not run without asking.
        let line =
            format!("skipped: PostgreSQL half of {} ({POSTGRES_VAR} is not set)", test_name());
        let _ = writeln!(std::io::stderr(), "{line}");
        return None;
    };
    let schema = fresh_schema(&server).await;
    let separator = if server.contains('?') { '&' } else { '?' };
    let url = format!("{server}{separator}options=-c%20search_path%3D{schema}");
    Some(compagnie::storage::connect(&url).await.expect("PostgreSQL store"))
}

/// Runs the same test body on SQLite, then on PostgreSQL when configured.
pub async fn each_store<F, Fut>(test: F)
where
    F: Fn(Arc<dyn Store>) -> Fut,
    Fut: Future<Output = ()>,
{
    let (store, _dir) = sqlite_store().await;
    eprintln!("running on SQLite");
    test(store).await;
    if let Some(store) = postgres_store().await {
        eprintln!("running on PostgreSQL");
        test(store).await;
    }
}

/// The running test's name: the test harness names its threads after them.
fn test_name() -> String {
    std::thread::current().name().unwrap_or("a test").to_owned()
}

/// Creates a schema no other test uses, after dropping stale ones once.
async fn fresh_schema(server: &str) -> String {
    static CLEANED: OnceCell<()> = OnceCell::const_new();
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let mut conn = PgConnection::connect(server).await.expect("PostgreSQL server is reachable");
    CLEANED.get_or_init(|| drop_stale_schemas(server)).await;
    let now = Utc::now().timestamp();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let schema = format!("it_{now}_{}_{n}", std::process::id());
    let create = format!("CREATE SCHEMA {schema}");
    conn.execute(sqlx::AssertSqlSafe(create)).await.expect("test schema");
    schema
}

/// Best effort: another run may be dropping the same schemas.
async fn drop_stale_schemas(server: &str) {
    let Ok(mut conn) = PgConnection::connect(server).await else { return };
    let sql = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'it\\_%'";
    let names: Vec<String> = sqlx::query_scalar(sql).fetch_all(&mut conn).await.unwrap_or_default();
    let oldest = Utc::now().timestamp() - STALE_SCHEMA_SECS;
    for name in names {
        let created = name.split('_').nth(1).and_then(|t| t.parse::<i64>().ok());
        if created.is_some_and(|created| created < oldest) {
            let drop = format!("DROP SCHEMA IF EXISTS {name} CASCADE");
            let _ = conn.execute(sqlx::AssertSqlSafe(drop)).await;
        }
    }
}

/// The built-in configuration with the address service off, so that a
/// test never reaches past the loopback interface.
pub fn defaults() -> Config {
    let mut config = Config::default();
    config.geocoder.enabled = false;
    config
}

/// A fixed instant, whole seconds from an arbitrary origin (the store keeps
/// whole seconds).
pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600 + secs, 0).expect("valid time")
}

pub const HOUR: i64 = 3600;
pub const DAY: i64 = 24 * HOUR;

pub async fn person(tx: &mut dyn Tx, name: &str) -> Person {
    let new =
        NewPerson { name: name.to_owned(), lang: Default::default(), radius_km: 2.0, at: at(0) };
    tx.insert_person(&new).await.expect("person")
}

pub async fn elder(tx: &mut dyn Tx, neighbourhood: &str) -> ElderId {
    let new = NewElder {
        first_name: "Jeanne".to_owned(),
        last_name: "Martin".to_owned(),
        phone: "+33 1 23 45 67 89".to_owned(),
        address: "12 rue des Lilas".to_owned(),
        at: None,
        neighbourhood: Some(neighbourhood.to_owned()),
        languages: vec!["fr".to_owned()],
        mobility: String::new(),
        caregiver: None,
        consent: true,
        created_at: at(0),
    };
    tx.insert_elder(&new).await.expect("elder")
}

pub fn new_offer(elder: ElderId, by: PersonId, start: DateTime<Utc>) -> NewOffer {
    NewOffer {
        elder,
        kind: OfferKind::Medical,
        start,
        duration_min: 90,
        destination: "Hôpital Saint-Louis".to_owned(),
        meeting_point: None,
        needs: Vec::new(),
        neighbourhood: Some("paris-10".to_owned()),
        public_at: None,
        target_groups: Vec::new(),
        created_by: by,
    }
}

/// A published offer starting at `start`, in the elder's neighbourhood.
pub async fn offer(tx: &mut dyn Tx, elder: ElderId, by: PersonId, start: i64) -> Offer {
    let stored = tx.elder(elder).await.expect("elder");
    let new = NewOffer { neighbourhood: stored.neighbourhood, ..new_offer(elder, by, at(start)) };
    tx.insert_offer(&new, OfferStatus::Published, at(0)).await.expect("offer")
}
