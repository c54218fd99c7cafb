//! Events per second through the whole event path (inbox, core, outbox,
//! one transaction) beside the raw rate of one-row transactions on the
//! same store, on SQLite and on PostgreSQL; then the resident memory of a
//! process whose store holds 10,000 volunteers and 1,000 offers.
//!
//! `cargo bench --bench event_path`. PostgreSQL is measured when
//! `COMPAGNIE_TEST_POSTGRES` names a server (a loopback one: the bench
//! creates a schema of its own there).

#![expect(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use compagnie::core::clock::FixedClock;
use compagnie::core::event::{Event, EventKind, Sender};
use compagnie::core::geocode::Geocoding;
use compagnie::core::model::{
    Account, AccountRef, ChatRef, ElderId, NewOffer, OfferKind, OfferStatus, Person, Platform,
};
use compagnie::core::policy::Policy;
use compagnie::core::store::{NewElder, NewPerson, Store};
use compagnie::core::{Core, Deps};
use compagnie::geography::Geography;

const ROUNDS: usize = 5;
const MEMORY_CHILD: &str = "COMPAGNIE_BENCH_MEMORY_CHILD";
const VOLUNTEERS: usize = 10_000;
const OFFERS: usize = 1_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if std::env::var_os(MEMORY_CHILD).is_some() {
        return memory_child().await;
    }
    println!("event path against one-row transactions, best of {ROUNDS} rounds");
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite:{}", dir.path().join("bench.db").display());
    compare("sqlite", &url, 3_000).await;
    match std::env::var("COMPAGNIE_TEST_POSTGRES") {
        Ok(server) => compare("postgres", &postgres_schema(&server).await, 1_000).await,
        Err(_) => println!("postgres: skipped (COMPAGNIE_TEST_POSTGRES is not set)"),
    }
    memory();
}

async fn compare(backend: &str, url: &str, count: usize) {
    let store = compagnie::storage::connect(url).await.expect("store");
    let core = core(store.clone());
    let people = volunteers(&store, 100).await;
    let (mut raw, mut events) = (0.0_f64, 0.0_f64);
    for round in 0..ROUNDS {
        raw = raw.max(rate(count, one_row_transactions(&store, count)).await);
        events = events.max(rate(count, event_path(&core, &people, count, round)).await);
    }
    let ratio = events / raw;
    println!(
        "{backend}: raw {raw:.0} tx/s, events {events:.0} events/s, ratio {:.0}%",
        ratio * 100.0
    );
}

async fn rate(count: usize, work: impl Future<Output = ()>) -> f64 {
    let started = Instant::now();
    work.await;
    count as f64 / started.elapsed().max(Duration::from_micros(1)).as_secs_f64()
}

/// The floor: begin, write one audit row, commit.
async fn one_row_transactions(store: &Arc<dyn Store>, count: usize) {
    let at = Utc::now();
    for n in 0..count {
        let mut tx = store.begin().await.expect("begin");
        tx.audit(compagnie::core::model::PersonId(1), "bench", &n.to_string(), at)
            .await
            .expect("audit");
        tx.commit().await.expect("commit");
    }
}

/// Volunteers changing their travel radius: an account lookup, a dialogue
/// check, a profile update and the answer in the outbox, for each event.
async fn event_path(core: &Core, people: &[String], count: usize, round: usize) {
    for n in 0..count {
        let who = &people[n % people.len()];
        let args = format!("radius {}", 1 + n % 9);
        let kind = EventKind::Command { name: "profile".into(), args };
        let event = event(format!("bench-{round}-{n}"), who, kind);
        core.handle(&event).await.expect("event");
    }
}

fn event(id: String, who: &str, kind: EventKind) -> Event {
    Event {
        id,
        chat: ChatRef::new(Platform::Console, format!("@{who}")),
        private: true,
        sender: Sender { user: who.into(), name: who.into(), handle: Some(who.into()) },
        at: Utc::now(),
        kind,
    }
}

fn core(store: Arc<dyn Store>) -> Core {
    let keys = compagnie::geography::FeatureKeys { id: "number".into(), name: "name".into() };
    let text = include_str!("../bot-config/paris-arrondissements.geojson");
    let geography = Geography::parse(text, &keys).expect("neighbourhoods");
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap()));
    let geocoding = Geocoding::offline();
    let geography = Arc::new(geography);
    Core::new(Deps { store, clock, geography, geocoding, policy: Policy::default() })
}

/// Verified volunteers with a private chat, written straight to the store.
async fn volunteers(store: &Arc<dyn Store>, count: usize) -> Vec<String> {
    let mut names = Vec::with_capacity(count);
    let mut tx = store.begin().await.expect("begin");
    for n in 0..count {
        let name = format!("volunteer{n}");
        let new = NewPerson {
            name: name.clone(),
            lang: Default::default(),
            radius_km: 2.0,
            at: Utc::now(),
        };
        let person = tx.insert_person(&new).await.expect("person");
        tx.update_person(&Person { verified: true, ..person.clone() }).await.expect("verify");
        let account = Account {
            account: AccountRef { platform: Platform::Console, user: name.clone() },
            person: person.id,
            handle: Some(name.clone()),
            private_chat: Some(format!("@{name}")),
        };
        tx.upsert_account(&account).await.expect("account");
        names.push(name);
    }
    tx.commit().await.expect("commit");
    names
}

async fn offers(store: &Arc<dyn Store>, count: usize) {
    let mut tx = store.begin().await.expect("begin");
    let new = NewElder {
        first_name: "Jeanne".into(),
        last_name: "Martin".into(),
        phone: "0612345678".into(),
        address: "1 rue Oberkampf".into(),
        at: None,
        neighbourhood: Some("11".into()),
        languages: Vec::new(),
        mobility: String::new(),
        caregiver: None,
        consent: true,
        created_at: Utc::now(),
    };
    let elder: ElderId = tx.insert_elder(&new).await.expect("elder");
    let coordinator =
        NewPerson { name: "c".into(), lang: Default::default(), radius_km: 2.0, at: Utc::now() };
    let by = tx.insert_person(&coordinator).await.expect("coordinator").id;
    for n in 0..count {
        let start = Utc::now() + chrono::Duration::hours(i64::try_from(n).unwrap_or(0) + 24);
        let offer = NewOffer {
            elder,
            kind: OfferKind::Leisure,
            start,
            duration_min: 120,
            destination: format!("Parc {n}"),
            meeting_point: None,
            needs: Vec::new(),
            neighbourhood: Some(format!("{}", 1 + n % 20)),
            public_at: None,
            target_groups: Vec::new(),
            created_by: by,
        };
        tx.insert_offer(&offer, OfferStatus::Published, Utc::now()).await.expect("offer");
    }
    tx.commit().await.expect("commit");
}

/// Runs the memory measurement in a fresh process, so that the figure is
/// not inflated by the rate measurements above.
fn memory() {
    let exe = std::env::current_exe().expect("own path");
    let output = std::process::Command::new(exe).env(MEMORY_CHILD, "1").output().expect("child");
    print!("{}", String::from_utf8_lossy(&output.stdout));
}

async fn memory_child() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite:{}", dir.path().join("memory.db").display());
    let store = compagnie::storage::connect(&url).await.expect("store");
    let people = volunteers(&store, VOLUNTEERS).await;
    offers(&store, OFFERS).await;
    let core = core(store);
    for (n, who) in people.iter().enumerate().take(500) {
        let kind = EventKind::Command { name: "offers".into(), args: String::new() };
        core.handle(&event(format!("memory-{n}"), who, kind)).await.expect("event");
    }
    let rss =
        resident_kib().map_or("unknown".to_owned(), |kib| format!("{:.1} MB", kib as f64 / 1024.0));
    println!("memory: {VOLUNTEERS} volunteers, {OFFERS} offers, 500 events: resident {rss}");
}

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A fresh schema on the PostgreSQL server, so the bench never touches
/// another run's tables.
async fn postgres_schema(server: &str) -> String {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(server).await.expect("PostgreSQL server");
    let schema = format!("bench_{}", std::process::id());
    let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}");
    conn.execute(sqlx::AssertSqlSafe(sql)).await.expect("schema");
    let separator = if server.contains('?') { '&' } else { '?' };
    format!("{server}{separator}options=-c%20search_path%3D{schema}")
}
