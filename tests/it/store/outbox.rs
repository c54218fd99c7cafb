//! The outbox and the post ids that later edits need.

use std::sync::Arc;

use compagnie::core::effect::{Effect, Message, Text};
use compagnie::core::model::{ChatRef, Lang, Platform};
use compagnie::core::store::{Store, StoreError};

use crate::common::{at, each_store};

fn send(chat: &ChatRef, text: &str, key: Option<&str>) -> Effect {
    let mut message = Message::new(Lang::Fr, Text::new(text).arg("offer", 142));
    message.key = key.map(str::to_owned);
    Effect::Send { chat: chat.clone(), message }
}

async fn enqueue(store: &Arc<dyn Store>, effects: &[Effect]) {
    let mut tx = store.begin().await.expect("begin");
    tx.enqueue(effects, at(0)).await.expect("enqueue");
    tx.commit().await.expect("commit");
}

async fn pending(store: &Arc<dyn Store>, platform: Platform) -> Vec<Effect> {
    let items = store.pending(platform, 100).await.expect("pending");
    items.into_iter().map(|item| item.effect).collect()
}

#[tokio::test]
async fn effects_wait_in_order_for_their_platform() {
    each_store(|store: Arc<dyn Store>| async move {
        let group = ChatRef::new(Platform::Telegram, "-100");
        let room = ChatRef::new(Platform::Matrix, "!room:x");
        let first = [
            send(&group, "offer-posted", Some("offer:101")),
            send(&room, "offer-posted", Some("offer:101")),
            Effect::Pin { chat: group.clone(), key: "offer:101".into() },
        ];
        let second = [send(&group, "welcome", None)];
        enqueue(&store, &first).await;
        enqueue(&store, &second).await;
        let mut tx = store.begin().await.expect("begin");
        tx.enqueue(&[send(&group, "rolled-back", None)], at(0)).await.expect("enqueue");
        drop(tx);

        let telegram = pending(&store, Platform::Telegram).await;
        assert_eq!(telegram, [first[0].clone(), first[2].clone(), second[0].clone()]);
        assert_eq!(pending(&store, Platform::Matrix).await, [first[1].clone()]);
        assert!(pending(&store, Platform::Console).await.is_empty());
        let two = store.pending(Platform::Telegram, 2).await.expect("pending");
        assert_eq!(two.len(), 2);
        assert!(two[0].id < two[1].id && two[0].attempts == 0);
    })
    .await;
}

#[tokio::test]
async fn a_delivered_keyed_send_keeps_its_message_id() {
    each_store(|store: Arc<dyn Store>| async move {
        let group = ChatRef::new(Platform::Telegram, "-100");
        let other = ChatRef::new(Platform::Telegram, "-200");
        let mut tx = store.begin().await.expect("begin");
        tx.record_post(&group, "offer:101").await.expect("post");
        tx.record_post(&group, "offer:101").await.expect("post again");
        tx.record_post(&other, "offer:101").await.expect("post");
        assert_eq!(tx.posts("offer:101").await.expect("posts"), [group.clone(), other.clone()]);
        tx.commit().await.expect("commit");
        assert_eq!(store.post_id(&group, "offer:101").await.expect("id"), None);

        let effects = [send(&group, "offer-posted", Some("offer:101")), send(&group, "hi", None)];
        enqueue(&store, &effects).await;
        let items = store.pending(Platform::Telegram, 10).await.expect("pending");
        store.delivered(items[0].id, Some("555")).await.expect("delivered");
        store.delivered(items[1].id, Some("556")).await.expect("delivered");
        assert_eq!(store.post_id(&group, "offer:101").await.expect("id").as_deref(), Some("555"));
        assert_eq!(store.post_id(&other, "offer:101").await.expect("id"), None);
        assert!(pending(&store, Platform::Telegram).await.is_empty());

        // A send to a chat no post was recorded for, and a later resend.
        enqueue(&store, &[send(&other, "offer-posted", Some("offer:101"))]).await;
        let id = store.pending(Platform::Telegram, 1).await.expect("pending")[0].id;
        store.delivered(id, Some("9")).await.expect("delivered");
        enqueue(&store, &[send(&group, "offer-posted", Some("offer:101"))]).await;
        let id = store.pending(Platform::Telegram, 1).await.expect("pending")[0].id;
        store.delivered(id, Some("600")).await.expect("delivered");
        assert_eq!(store.post_id(&other, "offer:101").await.expect("id").as_deref(), Some("9"));
        assert_eq!(store.post_id(&group, "offer:101").await.expect("id").as_deref(), Some("600"));
    })
    .await;
}

#[tokio::test]
async fn a_failed_delivery_is_retried_until_it_is_permanent() {
    each_store(|store: Arc<dyn Store>| async move {
        let chat = ChatRef::new(Platform::Matrix, "!room:x");
        enqueue(&store, &[send(&chat, "hello", None), send(&chat, "again", None)]).await;
        let items = store.pending(Platform::Matrix, 10).await.expect("pending");

        store.failed(items[0].id, "timed out", false).await.expect("failed");
        store.failed(items[0].id, "timed out", false).await.expect("failed");
        let retried = store.pending(Platform::Matrix, 10).await.expect("pending");
        assert_eq!((retried[0].id, retried[0].attempts), (items[0].id, 2));

        store.failed(items[0].id, "forbidden", true).await.expect("failed");
        let left = store.pending(Platform::Matrix, 10).await.expect("pending");
        assert_eq!(left.iter().map(|item| item.id).collect::<Vec<_>>(), [items[1].id]);

        let unknown = items[1].id + 1000;
        assert!(matches!(store.failed(unknown, "x", true).await, Err(StoreError::NotFound)));
        assert!(matches!(store.delivered(unknown, None).await, Err(StoreError::NotFound)));
    })
    .await;
}

#[tokio::test]
async fn the_purge_removes_old_messages_once_they_are_delivered() {
    each_store(|store: Arc<dyn Store>| async move {
        let chat = ChatRef::new(Platform::Matrix, "!room:x");
        enqueue(&store, &[send(&chat, "handover", None), send(&chat, "waiting", None)]).await;
        let items = store.pending(Platform::Matrix, 10).await.expect("pending");
        store.delivered(items[0].id, None).await.expect("delivered");

        let mut tx = store.begin().await.expect("begin");
        let later = at(86_400);
        assert_eq!(tx.purge_outbox(later).await.expect("purge"), 1, "the delivered one only");
        tx.commit().await.expect("commit");
        let left = store.pending(Platform::Matrix, 10).await.expect("pending");
        assert_eq!(left.iter().map(|item| item.id).collect::<Vec<_>>(), [items[1].id]);
    })
    .await;
}
