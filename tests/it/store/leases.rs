//! Leased delivery: the processes that deliver one platform's outbox
//! share its messages and its sending limits through the store.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use compagnie::core::effect::{Effect, Message, Text};
use compagnie::core::model::{ChatRef, Lang, Platform};
use compagnie::core::pace::{Answered, Outcome, Take, Taken};
use compagnie::core::store::Store;
use compagnie::telegram::limits::TelegramPace;

use crate::common::{at, each_store};

const LEASE: Duration = Duration::seconds(60);

fn send(chat: &str, text: &str) -> Effect {
    let chat = ChatRef::new(Platform::Telegram, chat);
    Effect::Send { chat, message: Message::new(Lang::Fr, Text::new(text)) }
}

async fn enqueue(store: &Arc<dyn Store>, effects: &[Effect]) {
    let tx = store.begin().await.expect("begin");
    tx.commit_with(effects, at(0)).await.expect("commit");
}

async fn take(store: &Arc<dyn Store>, now: DateTime<Utc>) -> Taken {
    let take =
        Take { platform: Platform::Telegram, now, lease: LEASE, batch: 500, pace: &TelegramPace };
    store.take_sends(&take).await.expect("take")
}

fn texts(taken: &Taken) -> Vec<String> {
    let text = |effect: &Effect| match effect {
        Effect::Send { message, .. } => message.body[0].id.clone(),
        _ => String::new(),
    };
    taken.items.iter().map(|item| text(&item.effect)).collect()
}

async fn sent(store: &Arc<dyn Store>, id: i64, now: DateTime<Utc>) {
    let answered = Answered { at: now, weight: 1 };
    let outcome = Outcome::Sent { message_id: None };
    store.settle(id, outcome, answered).await.expect("settle");
}

#[tokio::test]
async fn each_chat_has_one_message_on_its_way_until_it_is_answered_or_its_lease_ends() {
    each_store(|store: Arc<dyn Store>| async move {
        enqueue(&store, &[send("-1", "a1"), send("-1", "a2"), send("-2", "b1")]).await;
        let now = at(100);
        let first = take(&store, now).await;
        assert_eq!(texts(&first), ["a1", "b1"], "the first message of each chat");
        assert!(texts(&take(&store, now).await).is_empty(), "both chats are busy");

        sent(&store, first.items[0].id, now).await;
        assert_eq!(texts(&take(&store, now).await), ["a2"], "the next in order");

        // The process that took a2 and b1 died: once their leases end,
        // they go again.
        let later = now + LEASE + Duration::seconds(1);
        assert_eq!(texts(&take(&store, later).await), ["a2", "b1"]);
    })
    .await;
}

#[tokio::test]
async fn a_retry_waits_its_turn_a_rate_limit_costs_no_try_and_giving_up_moves_on() {
    each_store(|store: Arc<dyn Store>| async move {
        enqueue(&store, &[send("-1", "a1"), send("-1", "a2")]).await;
        let now = at(100);
        let id = take(&store, now).await.items[0].id;
        let after = now + Duration::seconds(10);
        let wait = Outcome::Retry { error: "Too Many Requests", after: now, counted: false };
        store.settle(id, wait, Answered { at: now, weight: 1 }).await.expect("settle");
        let id = take(&store, now).await.items[0].id;
        let retry = Outcome::Retry { error: "Bad Gateway", after, counted: true };
        store.settle(id, retry, Answered { at: now, weight: 1 }).await.expect("settle");

        let waiting = take(&store, now).await;
        assert!(waiting.items.is_empty(), "the chat waits behind its first message");
        assert_eq!(waiting.next, Some(after));
        let again = take(&store, after).await;
        assert_eq!((texts(&again), again.items[0].attempts), (vec!["a1".to_owned()], 1));

        let given_up = Outcome::GiveUp { error: "chat not found" };
        store.settle(id, given_up, Answered { at: after, weight: 1 }).await.expect("settle");
        assert_eq!(texts(&take(&store, after).await), ["a2"]);
    })
    .await;
}

#[tokio::test]
async fn processes_taking_at_once_share_telegrams_thirty_messages_a_second() {
    each_store(|store: Arc<dyn Store>| async move {
        let effects: Vec<Effect> = (1..=90).map(|chat| send(&chat.to_string(), "hi")).collect();
        enqueue(&store, &effects).await;
        let now = at(100);
        let replicas = (0..3).map(|_| {
            let store = store.clone();
            tokio::spawn(async move { take(&store, now).await })
        });
        let mut taken = Vec::new();
        for replica in replicas {
            taken.extend(replica.await.expect("replica").items);
        }
        assert_eq!(taken.len(), 30, "one second's worth, between them");
        for item in &taken {
            sent(&store, item.id, now).await;
        }
        let almost = now + Duration::milliseconds(999);
        let early = take(&store, almost).await;
        assert!(early.items.is_empty());
        assert_eq!(early.next, Some(now + Duration::seconds(1)));
        assert_eq!(take(&store, now + Duration::seconds(1)).await.items.len(), 30);
    })
    .await;
}

#[tokio::test]
async fn the_answer_to_a_press_does_not_wait_behind_its_group() {
    each_store(|store: Arc<dyn Store>| async move {
        let group = ChatRef::new(Platform::Telegram, "-1");
        let answer =
            Effect::Answer { chat: group, event: "cb7".into(), lang: Lang::Fr, text: None };
        enqueue(&store, &[send("-1", "a1"), send("-1", "a2"), answer]).await;
        let now = at(100);
        let first = take(&store, now).await;
        assert_eq!(first.items.len(), 2, "the group's first message and the answer");
        assert!(matches!(first.items[1].effect, Effect::Answer { .. }));
    })
    .await;
}

#[tokio::test]
async fn one_holder_at_a_time_keeps_a_named_lease_until_it_runs_out() {
    each_store(|store: Arc<dyn Store>| async move {
        let hold = |holder: &'static str, now: i64| {
            let store = store.clone();
            async move { store.hold_lease("telegram:bot", holder, at(now), at(now + 30)).await }
        };
        assert!(hold("a", 0).await.expect("lease"), "free: a takes it");
        assert!(!hold("b", 10).await.expect("lease"), "b waits while a's runs");
        assert!(hold("a", 20).await.expect("lease"), "a renews it");
        assert!(!hold("b", 49).await.expect("lease"), "renewed until 50");
        assert!(hold("b", 50).await.expect("lease"), "run out: b takes it over");
        assert!(!hold("a", 51).await.expect("lease"), "a has lost it");
        let other = store.hold_lease("matrix:@bot:x", "a", at(51), at(81)).await;
        assert!(other.expect("lease"), "leases are held by name");

        store.release_lease("telegram:bot", "a").await.expect("release");
        assert!(!hold("a", 52).await.expect("lease"), "only its holder gives it up");
        store.release_lease("telegram:bot", "b").await.expect("release");
        assert!(hold("a", 53).await.expect("lease"), "given up: free at once");
    })
    .await;
}
