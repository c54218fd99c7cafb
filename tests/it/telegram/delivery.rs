//! Delivery end to end: broadcasts under injected faults, by one process
//! and by two sharing the bot.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use compagnie::app::App;
use compagnie::config::{Config, DatabaseUrl};
use compagnie::core::clock::SystemClock;
use compagnie::core::effect::{Effect, Message, Text};
use compagnie::core::model::{ChatRef, Lang, Platform};
use tokio::sync::{Notify, watch};

use super::{Served, serve, until};
use crate::fake_telegram::{FakeTelegram, Faults};

/// 300 messages: one to each of 200 private chats, and 100 spread over
/// 60 groups, two to most of them so that their order can be checked.
fn broadcast() -> Vec<(i64, String)> {
    let private = (0..200).map(|n| (3_000 + n, format!("p{n}")));
    let groups = (0..100).map(|n| (-1_002_000_000_000 - n % 60, format!("g{n}")));
    private.chain(groups).collect()
}

/// Writes the broadcast into the outbox under injected faults, and checks
/// that every chat reads its messages whole, once and in order, and that
/// the fake saw no limit broken.
async fn broadcast_under_faults(served: &Served) {
    let fake = &served.fake;
    until("the bot started", || fake.calls("setMyCommands").len() >= 4).await;
    fake.set_faults(Faults {
        seed: 7,
        too_many_requests: 0.10,
        retry_after_secs: 1,
        server_error: 0.05,
        reset: 0.05,
        ..Faults::default()
    });
    let messages = broadcast();
    let effects: Vec<Effect> = messages
        .iter()
        .map(|(chat, tag)| Effect::Send {
            chat: ChatRef::new(Platform::Telegram, chat.to_string()),
            message: Message::new(
                Lang::En,
                Text::new("welcome-verified").arg("name", tag.as_str()),
            ),
        })
        .collect();
    let tx = served.app.store().begin().await.unwrap();
    tx.commit_with(&effects, chrono::Utc::now()).await.unwrap();

    let expected = |chat: i64| -> Vec<String> {
        let tags = messages.iter().filter(|(to, _)| *to == chat);
        tags.map(|(_, tag)| format!("Welcome {tag}!")).collect()
    };
    let chats: BTreeSet<i64> = messages.iter().map(|(chat, _)| *chat).collect();
    // Telegram's limits alone take ten seconds; retries add to it.
    for _ in 0..900 {
        if chats.iter().all(|chat| fake.texts_to(*chat).len() >= expected(*chat).len()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for chat in chats {
        assert_eq!(fake.texts_to(chat), expected(chat), "chat {chat}: whole, once, in order");
    }
    assert_eq!(fake.breaches(), 0, "the fake saw no limit broken");
    assert!(fake.resets() > 0, "the faults were in force");
}

#[tokio::test]
async fn a_broadcast_under_faults_arrives_whole_in_order_and_within_the_limits() {
    let served = serve().await;
    broadcast_under_faults(&served).await;
}

/// Another process delivering for the same bot from the same store, as a
/// second replica would; it stops when the sender is dropped.
async fn second_process(served: &Served) -> watch::Sender<bool> {
    let config = Config {
        database_url: DatabaseUrl::new(served.database_url.clone()),
        ..crate::common::defaults()
    };
    let app = App::build(config, Arc::new(SystemClock)).await.unwrap();
    let (stop, shutdown) = watch::channel(false);
    let delivery =
        compagnie::telegram::delivery(served.fake.bot(), app, "compagnie_test_bot".into());
    tokio::spawn(delivery.run(Arc::new(Notify::new()), shutdown));
    stop
}

#[tokio::test]
async fn two_processes_share_a_broadcast_and_telegrams_limits() {
    let served = serve().await;
    let _second = second_process(&served).await;
    broadcast_under_faults(&served).await;
}

/// Delivery alone on a new store, its client giving up on an answer
/// after one second.
async fn impatient_delivery(fake: &FakeTelegram) -> (App, watch::Sender<bool>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("compagnie.db").display());
    let config = Config { database_url: DatabaseUrl::new(url), ..crate::common::defaults() };
    let app = App::build(config, Arc::new(SystemClock)).await.unwrap();
    let client = teloxide::net::default_reqwest_settings().timeout(Duration::from_secs(1));
    let bot = teloxide::Bot::with_client(fake.token(), client.build().unwrap());
    let bot = bot.set_api_url(fake.url());
    let (stop, shutdown) = watch::channel(false);
    let delivery = compagnie::telegram::delivery(bot, app.clone(), "compagnie_test_bot".into());
    tokio::spawn(delivery.run(Arc::new(Notify::new()), shutdown));
    (app, stop, dir)
}

#[tokio::test]
async fn a_send_left_unanswered_goes_again_so_its_chat_misses_nothing() {
    let fake = FakeTelegram::start().await;
    fake.set_faults(Faults { seed: 3, stall: 0.4, stall_secs: 2, ..Faults::default() });
    let (app, _stop, _dir) = impatient_delivery(&fake).await;
    let chat = ChatRef::new(Platform::Telegram, "4242");
    let tags: Vec<String> = (0..6).map(|n| format!("m{n}")).collect();
    let effects: Vec<Effect> = tags
        .iter()
        .map(|tag| Effect::Send {
            chat: chat.clone(),
            message: Message::new(
                Lang::En,
                Text::new("welcome-verified").arg("name", tag.as_str()),
            ),
        })
        .collect();
    let tx = app.store().begin().await.unwrap();
    tx.commit_with(&effects, chrono::Utc::now()).await.unwrap();

    let expected: Vec<String> = tags.iter().map(|tag| format!("Welcome {tag}!")).collect();
    let read = || {
        let mut texts = fake.texts_to(4242);
        texts.dedup();
        texts
    };
    // One message a second, and each stall costs a timeout and a backoff.
    for _ in 0..300 {
        if read() == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(read(), expected, "whole and in order");
    let texts = fake.texts_to(4242);
    assert!(texts.len() > expected.len(), "a stalled send went again: {texts:?}");
    assert_eq!(fake.breaches(), 0);
}
