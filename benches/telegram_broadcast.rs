//! How long a Telegram broadcast takes to deliver, beside the least time
//! Telegram's limits allow it: the broadcast of the integration tests,
//! then a burst of group posts, each through `Delivery` and through
//! teloxide's `Throttle` adaptor.
//!
//! `cargo bench --bench telegram_broadcast`. Only loopback is contacted:
//! the Bot API is the fake server of the integration tests, which counts
//! every send that breaks a limit.

#![expect(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]

// The integration tests' own fake, included where it lives: its child
// modules resolve beside it.
#[path = "../tests/it"]
#[expect(
    dead_code,
    unused_imports,
    reason = "the fake's updates, faults and own tests serve the integration tests"
)]
mod it {
    pub mod fake_telegram;
}

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use compagnie::app::App;
use compagnie::config::{Config, DatabaseUrl};
use compagnie::core::clock::SystemClock;
use compagnie::core::effect::{Effect, Message, Text};
use compagnie::core::model::{ChatRef, Lang, Platform};
use teloxide::adaptors::throttle::Limits;
use teloxide::prelude::{Requester, RequesterExt};
use teloxide::requests::Request;
use teloxide::types::ChatId;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;

use it::fake_telegram::FakeTelegram;

/// A message of a broadcast: its chat and the name it welcomes.
type Outgoing = (i64, String);

/// Telegram's limits, as the fake enforces them.
const OVERALL_PER_SECOND: usize = 30;
const PRIVATE_PER_SECOND: usize = 1;
const GROUP_PER_MINUTE: usize = 20;

/// A delivery slower than this is stuck: the limits allow these
/// broadcasts in ten seconds.
const PATIENCE: Duration = Duration::from_secs(300);

/// What one sender did with one broadcast.
struct Run {
    took: Duration,
    whole: bool,
    breaches: u32,
}

#[tokio::main]
async fn main() {
    println!("Telegram broadcasts against the least time Telegram's limits allow");
    println!(
        "{:<38} {:<9} {:>8} {:>8} {:>10}  {:<15} breaches",
        "broadcast", "sender", "time", "floor", "time/floor", "arrived once"
    );
    let tests = tests_broadcast();
    let name = "tests: 200 private, 100 in 60 groups";
    let by_delivery = delivered(&tests).await;
    report(name, "Delivery", &tests, &by_delivery);
    let by_throttle = throttled(&tests).await;
    report(name, "Throttle", &tests, &by_throttle);
    let speed = by_throttle.took.as_secs_f64() / by_delivery.took.as_secs_f64();
    println!("tests' broadcast: Delivery is {speed:.1}x as fast as Throttle");

    let burst = group_burst();
    let name = "burst: 240 in 20 groups, 12 private";
    let by_delivery = delivered(&burst).await;
    report(name, "Delivery", &burst, &by_delivery);
    let by_throttle = throttled(&burst).await;
    report(name, "Throttle", &burst, &by_throttle);
    let speed = by_throttle.took.as_secs_f64() / by_delivery.took.as_secs_f64();
    println!("group burst: Delivery is {speed:.1}x as fast as Throttle");
}

fn report(broadcast: &str, sender: &str, sends: &[Outgoing], run: &Run) {
    let floor = floor(sends);
    let ratio = run.took.as_secs_f64() / floor.as_secs_f64();
    let whole = if run.whole { "yes, in order" } else { "NO" };
    println!(
        "{broadcast:<38} {sender:<9} {:>6.2} s {:>6.2} s {ratio:>10.3}  {whole:<15} {}",
        run.took.as_secs_f64(),
        floor.as_secs_f64(),
        run.breaches,
    );
}

/// The broadcast of the integration tests: one message to each of 200
/// private chats, and 100 spread over 60 groups.
fn tests_broadcast() -> Vec<Outgoing> {
    let private = (0..200).map(|n| (3_000 + n, format!("p{n}")));
    let groups = (0..100).map(|n| (-1_002_000_000_000 - n % 60, format!("g{n}")));
    private.chain(groups).collect()
}

/// A burst in the neighbourhood groups, as the core writes it. A
/// coordinator publishes six phone-call offers, and a phone call is posted
/// in every neighbourhood group (here Paris's twenty arrondissements, the
/// neighbourhoods the bot ships with); within the minute six volunteers
/// take them, which edits each post in every group and hands each taker
/// the details in private. Each group thus gets twelve messages; edits
/// are written as messages here, since the bot and the fake count both
/// alike. The groups are supergroups (ids from -100…) like the tests'
/// groups: Telegram makes one of any group past 200 members or with a
/// public link.
fn group_burst() -> Vec<Outgoing> {
    const COORDINATOR: i64 = 4_000;
    let groups = || (0..20).map(|n| -1_003_000_000_000 - n);
    let mut sends = Vec::new();
    for offer in 1..=6 {
        sends.extend(groups().map(|group| (group, format!("post {offer}"))));
        sends.push((COORDINATOR, format!("published {offer}")));
    }
    for offer in 1..=6 {
        sends.extend(groups().map(|group| (group, format!("taken {offer}"))));
        sends.push((COORDINATOR + offer, format!("details {offer}")));
    }
    sends
}

/// Commits the broadcast to the outbox of a bot whose `Delivery` runs,
/// and times it from the commit until the fake received the last message.
async fn delivered(sends: &[Outgoing]) -> Run {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = app(&dir).await;
    let wake = Arc::new(Notify::new());
    let (stop, shutdown) = watch::channel(false);
    let delivery =
        compagnie::telegram::delivery(fake.bot(), app.clone(), "compagnie_test_bot".into());
    let delivering = tokio::spawn(delivery.run(wake.clone(), shutdown));

    let effects: Vec<Effect> = sends.iter().map(|(chat, name)| effect(*chat, name)).collect();
    let started = Instant::now();
    let tx = app.store().begin().await.expect("begin");
    tx.commit_with(&effects, chrono::Utc::now()).await.expect("commit");
    wake.notify_one();
    while delivered_count(&fake) < sends.len() {
        assert!(started.elapsed() < PATIENCE, "the broadcast was not delivered in time");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    _ = stop.send(true);
    delivering.await.expect("delivery stops");
    finish(&fake, sends, started)
}

/// Sends the broadcast as a bot author would with teloxide alone: every
/// message started at once through `Throttle` with its default limits.
async fn throttled(sends: &[Outgoing]) -> Run {
    let fake = FakeTelegram::start().await;
    let bot = fake.bot().throttle(Limits::default());
    let started = Instant::now();
    let requests =
        sends.iter().map(|(chat, name)| bot.send_message(ChatId(*chat), text(name)).send());
    for result in futures::future::join_all(requests).await {
        result.expect("Throttle delivers every message");
    }
    finish(&fake, sends, started)
}

async fn app(dir: &tempfile::TempDir) -> App {
    let url = format!("sqlite:{}", dir.path().join("compagnie.db").display());
    let config = Config { database_url: DatabaseUrl::new(url), ..Config::default() };
    App::build(config, Arc::new(SystemClock)).await.expect("app")
}

fn effect(chat: i64, name: &str) -> Effect {
    Effect::Send {
        chat: ChatRef::new(Platform::Telegram, chat.to_string()),
        message: Message::new(Lang::En, Text::new("welcome-verified").arg("name", name)),
    }
}

/// What the bot renders of `effect` in English, sent as is through
/// `Throttle` so that both senders' messages read the same.
fn text(name: &str) -> String {
    format!("Welcome {name}!")
}

fn delivered_count(fake: &FakeTelegram) -> usize {
    fake.calls("sendMessage").iter().filter(|call| call.status == 200).count()
}

/// When the last message arrived, by the fake's clock, and whether each
/// chat got its messages once and in order.
fn finish(fake: &FakeTelegram, sends: &[Outgoing], started: Instant) -> Run {
    let sent = fake.calls("sendMessage");
    let last = sent.iter().filter(|call| call.status == 200).map(|call| call.at).max();
    let took = last.expect("messages arrived").saturating_duration_since(started);
    let chats: HashSet<i64> = sends.iter().map(|(chat, _)| *chat).collect();
    let whole = chats.iter().all(|&chat| {
        let expected = sends.iter().filter(|(to, _)| *to == chat).map(|(_, name)| text(name));
        fake.texts_to(chat).into_iter().eq(expected)
    });
    Run { took, whole, breaches: fake.breaches() }
}

/// The rate-limit floor: the instant, after the broadcast is written,
/// at which an ideal sender sends its last message. Its messages arrive
/// the moment they leave, so each counts from that moment on. At each
/// instant it sends, in the order written and each chat's messages in
/// turn, every message the windows admit; when none fits, it skips to
/// the first instant a window frees a place. Where only the overall limit
/// binds, as in both broadcasts here, that sends 30 messages a second
/// from the start, and no sender can do better.
fn floor(sends: &[Outgoing]) -> Duration {
    let mut overall = Window::new(Duration::from_secs(1), OVERALL_PER_SECOND);
    let mut chats: HashMap<i64, Window> = HashMap::new();
    let mut waiting: Vec<i64> = sends.iter().map(|(chat, _)| *chat).collect();
    let (mut now, mut last) = (Duration::ZERO, Duration::ZERO);
    while !waiting.is_empty() {
        let mut held = HashSet::new();
        let mut next = Duration::MAX;
        waiting.retain(|&chat| {
            if held.contains(&chat) {
                return true;
            }
            let window = chats.entry(chat).or_insert_with(|| Window::for_chat(chat));
            let free = overall.free_at(now).max(window.free_at(now));
            if free > now {
                held.insert(chat);
                next = next.min(free);
                return true;
            }
            overall.sent.push_back(now);
            window.sent.push_back(now);
            last = now;
            false
        });
        now = next;
    }
    last
}

/// At most `max` sends in any `span`.
struct Window {
    span: Duration,
    max: usize,
    sent: VecDeque<Duration>,
}

impl Window {
    fn new(span: Duration, max: usize) -> Self {
        Window { span, max, sent: VecDeque::new() }
    }

    /// Private chats have positive ids, groups negative ones.
    fn for_chat(chat: i64) -> Self {
        if chat > 0 {
            Window::new(Duration::from_secs(1), PRIVATE_PER_SECOND)
        } else {
            Window::new(Duration::from_secs(60), GROUP_PER_MINUTE)
        }
    }

    /// The first instant from `now` at which one more send fits.
    fn free_at(&mut self, now: Duration) -> Duration {
        while self.sent.front().is_some_and(|&at| at + self.span <= now) {
            self.sent.pop_front();
        }
        match self.sent.len().checked_sub(self.max) {
            Some(oldest) => self.sent[oldest] + self.span,
            None => now,
        }
    }
}
