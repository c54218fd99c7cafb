//! Ambassadors' groups: greeting newcomers, listing and removing members.

use std::sync::Arc;

use compagnie::core::effect::Effect;
use compagnie::core::event::EventKind;
use compagnie::core::model::{LatLon, Platform};
use compagnie::core::store::Store;

use crate::bot::{Bot, In, ids, to};
use crate::common::each_store;
use crate::scenario::{publish_outing, set_up};

#[tokio::test]
async fn an_unverified_newcomer_is_greeted_and_the_ambassador_told() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("claire", In::Private, "/role @alice ambassador").await;
        assert_eq!(ids(&bot.joins("alice", "paris-11").await), ["welcome-verified"]);

        let joined = bot.joins("dave", "paris-11").await;
        assert_eq!(ids(&to(&joined, "#paris-11")), ["welcome-unverified"]);
        assert_eq!(ids(&to(&joined, "@alice")), ["ambassador-unverified-joined"]);

        let listed = bot.say("alice", In::Group("paris-11"), "/membres").await;
        assert_eq!(ids(&listed), ["members-unverified"]);
        let removed = bot.say("alice", In::Group("paris-11"), "/retirer @dave").await;
        assert!(
            removed.iter().any(
                |effect| matches!(effect, Effect::RemoveMember { user, .. } if user == "dave")
            )
        );
        let listed = bot.say("alice", In::Group("paris-11"), "/members").await;
        assert_eq!(ids(&listed), ["members-all-verified"]);

        let refused = bot.say("bob", In::Group("paris-11"), "/remove @alice").await;
        assert_eq!(ids(&refused), ["refused-role"]);
        bot.joins("claire", "paris-11").await;
        let staff = bot.say("alice", In::Group("paris-11"), "/remove @claire").await;
        assert_eq!(ids(&staff), ["remove-not-allowed"]);
        let room = bot.say("alice", In::Group("staff"), "/remove @claire").await;
        assert_eq!(ids(&room), ["remove-not-here"]);
    })
    .await;
}

#[tokio::test]
async fn a_join_told_twice_greets_once() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("claire", In::Private, "/role @alice ambassador").await;
        bot.joins("alice", "paris-11").await;
        assert_eq!(ids(&to(&bot.joins("dave", "paris-11").await, "@alice")).len(), 1);
        assert!(bot.joins("dave", "paris-11").await.is_empty(), "nothing said the second time");
        bot.leaves("dave", "paris-11").await;
        let back = bot.joins("dave", "paris-11").await;
        assert_eq!(ids(&to(&back, "#paris-11")), ["welcome-unverified"], "a return is a join");
    })
    .await;
}

#[tokio::test]
async fn the_bot_added_says_how_to_link_and_removed_tells_the_staff() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        let added = bot.handle("claire", In::Group("paris-20"), EventKind::BotAdded).await.1;
        assert_eq!(ids(&to(&added, "#paris-20")), ["bot-added-unlinked"]);
        let again = bot.handle("claire", In::Group("paris-11"), EventKind::BotAdded).await.1;
        assert!(again.is_empty(), "a linked group goes on as it was");

        let removed = bot.handle("dave", In::Group("paris-11"), EventKind::BotRemoved).await.1;
        assert_eq!(ids(&removed), ["staff-bot-removed"]);
        assert_eq!(removed[0].chat().id, "#staff");
        let unlinked = bot.handle("dave", In::Group("paris-20"), EventKind::BotRemoved).await.1;
        assert!(unlinked.is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_ambassador_pins_an_outing_posted_in_their_group() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("claire", In::Private, "/role @alice ambassador").await;
        publish_outing(&mut bot).await;

        let pinned = bot.say("alice", In::Group("paris-11"), "/epingler 101").await;
        let [Effect::Pin { chat, key }] = pinned.as_slice() else { panic!("{pinned:?}") };
        assert_eq!((chat.id.as_str(), key.as_str()), ("#paris-11", "offer:101"));
        let elsewhere = bot.say("alice", In::Group("paris-12"), "/pin 101").await;
        assert_eq!(ids(&elsewhere), ["pin-not-posted-here"]);
        let volunteer = bot.say("bob", In::Group("paris-11"), "/pin 101").await;
        assert_eq!(ids(&volunteer), ["refused-role"]);
        let unknown = bot.say("alice", In::Group("paris-11"), "/pin").await;
        assert_eq!(ids(&unknown), ["usage-pin"]);
    })
    .await;
}

#[tokio::test]
async fn a_member_who_signs_up_later_counts_as_verified() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("claire", In::Private, "/role @alice ambassador").await;
        bot.joins("erin", "paris-11").await;
        let listed = bot.say("alice", In::Group("paris-11"), "/members").await;
        assert_eq!(ids(&listed), ["members-unverified"]);
        bot.say("erin", In::Private, "/start").await;
        bot.say("claire", In::Private, "/verify @erin").await;
        let listed = bot.say("alice", In::Group("paris-11"), "/members").await;
        assert_eq!(ids(&listed), ["members-all-verified"]);
    })
    .await;
}

#[tokio::test]
async fn a_shared_location_sets_the_volunteer_area() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        let at = LatLon { lat: 48.8574, lon: 2.3795 };
        let updated = bot.share("bob", In::Private, at).await;
        assert_eq!(ids(&updated)[0], "profile-updated");
        let offers = bot.say("bob", In::Private, "/offres").await;
        assert_eq!(ids(&offers), ["offers-none"]);
    })
    .await;
}

#[tokio::test]
async fn the_staff_room_hears_of_chats_that_cannot_be_reached() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        let alice = compagnie::core::model::ChatRef::new(Platform::Console, "@alice");
        bot.core.delivery_failed(&alice, "Forbidden: bot was blocked by the user").await.unwrap();
        let told = bot.deliver().await;
        assert_eq!(ids(&to(&told, "#staff")), ["staff-delivery-failed"]);
        let staff = compagnie::core::model::ChatRef::new(Platform::Console, "#staff");
        bot.core.delivery_failed(&staff, "chat not found").await.unwrap();
        assert!(bot.deliver().await.is_empty(), "the staff room is not told about itself");
    })
    .await;
}
