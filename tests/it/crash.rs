//! The real `compagnie run` process, killed outright while a thousand
//! reminders are due, then started again: every reminder reaches its
//! volunteer, and only messages on their way at the moment of the kill
//! may arrive twice.

use std::collections::HashSet;
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use compagnie::core::job::{JobKind, NewJob};
use compagnie::core::model::{Account, AccountRef, OfferStatus, Platform};
use compagnie::core::store::Transition;

use crate::common::{elder, new_offer, person};
use crate::fake_telegram::FakeTelegram;

const VOLUNTEERS: i64 = 50;
const REMINDERS: usize = 1_000;
/// The volunteers' Telegram ids, which are their private chats' too.
const FIRST_CHAT: i64 = 5_000;
/// Telegram's overall limit is the most messages the bot has on their way
/// at once: the most a kill can leave unconfirmed.
const IN_FLIGHT_BOUND: usize = 30;

/// Fifty volunteers holding twenty outings each, every outing's first
/// reminder due now.
async fn due_reminders(url: &str) {
    let store = compagnie::storage::connect(url).await.unwrap();
    let now = Utc::now();
    let mut tx = store.begin().await.unwrap();
    let coordinator = person(&mut *tx, "claire").await;
    let elder = elder(&mut *tx, "paris-11").await;
    let mut volunteers = Vec::new();
    for n in 0..VOLUNTEERS {
        let volunteer = person(&mut *tx, &format!("v{n}")).await;
        let chat = (FIRST_CHAT + n).to_string();
        let account = Account {
            account: AccountRef { platform: Platform::Telegram, user: chat.clone() },
            person: volunteer.id,
            handle: None,
            private_chat: Some(chat),
        };
        tx.upsert_account(&account).await.unwrap();
        volunteers.push(volunteer.id);
    }
    let mut jobs = Vec::new();
    for (n, claimant) in volunteers.iter().cycle().take(REMINDERS).enumerate() {
        let start = now + chrono::Duration::days(10) + chrono::Duration::minutes(n as i64);
        let new = new_offer(elder, coordinator.id, start);
        let offer = tx.insert_offer(&new, OfferStatus::Published, now).await.unwrap();
        let claim = Transition {
            offer: offer.number,
            from: OfferStatus::Published,
            to: OfferStatus::Claimed,
            claimant: Some(*claimant),
            by: *claimant,
            at: now,
        };
        assert!(tx.transition(&claim).await.unwrap());
        let due = now - chrono::Duration::seconds(1);
        jobs.push(NewJob { kind: JobKind::Introduce, offer: Some(offer.number), due });
    }
    tx.schedule(&jobs, now).await.unwrap();
    tx.commit().await.unwrap();
}

fn start(dir: &Path, fake: &FakeTelegram) -> Child {
    let config = dir.join("compagnie.toml");
    let database = format!("sqlite://{}", dir.join("compagnie.db").display());
    let text =
        format!("[database]\nurl = {database:?}\n\n[telegram]\napi_url = \"{}\"\n", fake.url());
    std::fs::write(&config, text).unwrap();
    let log = File::options().create(true).append(true).open(dir.join("compagnie.log")).unwrap();
    Command::new(env!("CARGO_BIN_EXE_compagnie"))
        .arg("--config")
        .arg(&config)
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("COMPAGNIE_DATABASE_URL")
        .env("TELEGRAM_BOT_TOKEN", fake.token())
        .env("COMPAGNIE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap()
}

/// Every reminder text that reached a volunteer, in order of arrival.
fn received(fake: &FakeTelegram) -> Vec<String> {
    (0..VOLUNTEERS).flat_map(|n| fake.texts_to(FIRST_CHAT + n)).collect()
}

#[tokio::test]
async fn a_process_killed_while_reminders_are_due_delivers_them_all_once_restarted() {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    due_reminders(&format!("sqlite:{}", dir.path().join("compagnie.db").display())).await;

    let mut first = start(dir.path(), &fake);
    let mut waited = 0;
    while received(&fake).len() < 100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
        assert!(waited < 1_200, "no reminder within a minute; see {:?}", dir.path());
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let at_kill = received(&fake).len();

    let mut second = start(dir.path(), &fake);
    // What the dead process held waits out its leases: 30 s for jobs,
    // 60 s for messages.
    for _ in 0..1_800 {
        let texts = received(&fake);
        if texts.iter().collect::<HashSet<_>>().len() >= REMINDERS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A little longer, so that a late duplicate would be seen.
    tokio::time::sleep(Duration::from_secs(2)).await;
    second.kill().unwrap();
    second.wait().unwrap();

    let texts = received(&fake);
    let distinct: HashSet<&String> = texts.iter().collect();
    let twice = texts.len() - distinct.len();
    eprintln!(
        "killed after {at_kill} of {REMINDERS} reminders had arrived; \
         all {} arrived, {twice} twice",
        distinct.len()
    );
    assert_eq!(distinct.len(), REMINDERS, "every reminder arrived");
    assert!(twice <= IN_FLIGHT_BOUND, "{twice} arrived twice, more than were on their way");
    assert_eq!(fake.breaches(), 0, "Telegram's limits held across the restart");
}
