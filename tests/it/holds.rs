//! A verified volunteer who never wrote to the bot privately claims in a
//! group: the outing is kept for them while they open a private chat, and
//! lapses if they do not.

use std::sync::Arc;

use chrono::Duration;
use compagnie::core::effect::{Action, Effect};
use compagnie::core::model::{Account, AccountRef, OfferNo, OfferStatus, Person, Platform};
use compagnie::core::store::Store;

use crate::bot::{Bot, In, ids};
use crate::common::{self, each_store};
use crate::scenario::{publish_outing, set_up};

/// Dave was registered and verified by the team before he ever wrote to
/// the bot: his account has no private chat yet.
async fn registered_without_a_chat(bot: &Bot) {
    let mut tx = bot.store.begin().await.unwrap();
    let person = common::person(&mut *tx, "Dave").await;
    tx.update_person(&Person { verified: true, ..person.clone() }).await.unwrap();
    let account = Account {
        account: AccountRef { platform: Platform::Console, user: "dave".into() },
        person: person.id,
        handle: Some("dave".into()),
        private_chat: None,
    };
    tx.upsert_account(&account).await.unwrap();
    tx.commit().await.unwrap();
}

async fn status(bot: &Bot) -> (OfferStatus, Option<String>) {
    let mut tx = bot.store.begin().await.unwrap();
    let offer = tx.offer(OfferNo(101)).await.unwrap();
    let claimant = match offer.claimant {
        Some(id) => Some(tx.person(id).await.unwrap().name),
        None => None,
    };
    (offer.status, claimant)
}

/// Claire publishes an outing and Dave, who never wrote to the bot,
/// presses "claim" in the group: he is sent a link to open a private
/// chat, which carries the claim.
async fn dave_claims_in_the_group(store: Arc<dyn Store>) -> Bot {
    let mut bot = Bot::on(store).await;
    set_up(&mut bot).await;
    publish_outing(&mut bot).await;
    registered_without_a_chat(&bot).await;
    let effects = bot.press("dave", In::Group("paris-11"), "claim:101").await;
    assert_eq!(ids(&effects), ["claim-open-private-chat-short", "claim-open-private-chat"]);
    let link = effects.iter().find_map(|effect| match effect {
        Effect::Send { message, .. } => message.buttons.iter().flatten().next(),
        _ => None,
    });
    let link = link.expect("a button to open the chat");
    assert_eq!(link.action, Action::StartPrivate("claim-101".into()));
    bot
}

#[tokio::test]
async fn an_outing_waits_for_a_volunteer_opening_a_private_chat() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = dave_claims_in_the_group(store).await;
        assert_eq!(status(&bot).await, (OfferStatus::Published, None));

        let alice = bot.press("alice", In::Group("paris-11"), "claim:101").await;
        assert_eq!(ids(&alice), ["claim-kept"], "kept for Dave");

        bot.set_time(later(&bot, 10));
        let started = bot.say("dave", In::Private, "/start claim-101").await;
        let ids = ids(&started);
        assert!(ids.contains(&"claim-won".to_owned()), "{ids:?}");
        assert_eq!(status(&bot).await, (OfferStatus::Claimed, Some("Dave".into())));
    })
    .await;
}

#[tokio::test]
async fn a_kept_outing_opens_again_when_the_time_runs_out() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = dave_claims_in_the_group(store).await;

        bot.set_time(later(&bot, 31));
        let alice = bot.press("alice", In::Group("paris-11"), "claim:101").await;
        assert!(ids(&alice).contains(&"claim-won-short".to_owned()), "{:?}", ids(&alice));
        let started = bot.say("dave", In::Private, "/start claim-101").await;
        assert!(ids(&started).contains(&"claim-taken".to_owned()), "{:?}", ids(&started));
        assert_eq!(status(&bot).await, (OfferStatus::Claimed, Some("Alice".into())));
    })
    .await;
}

/// `minutes` after the bot's present time.
fn later(bot: &Bot, minutes: i64) -> chrono::DateTime<chrono::Utc> {
    use compagnie::core::clock::Clock;
    bot.clock.now() + Duration::minutes(minutes)
}
