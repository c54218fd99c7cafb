//! Private notes when an outing is published: to those whose area and
//! slots fit it, with a "not for me" that takes it off their list.

use std::sync::Arc;

use compagnie::core::effect::Effect;
use compagnie::core::store::Store;

use crate::bot::{Bot, In, ids, to};
use crate::common::each_store;
use crate::scenario::set_up;

const ELDER: &str = "/elder_add Jeanne Martin | 06 12 34 56 78 | 12 rue Oberkampf 75011 Paris \
                     | 48.8652,2.3780 | -";

fn first_message(effects: &[Effect]) -> &compagnie::core::effect::Message {
    match &effects[0] {
        Effect::Send { message, .. } => message,
        other => panic!("a message was expected: {other:?}"),
    }
}

fn noted(effects: &[Effect], chat: &str) -> bool {
    ids(&to(effects, chat)).contains(&"note-unclaimed".to_owned())
}

#[tokio::test]
async fn an_outing_is_noted_to_those_free_then_and_not_for_me_takes_it_off_their_list() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("alice", In::Private, "/profile area 11").await;
        bot.say("alice", In::Private, "/profile availability jeu 14-18").await;
        bot.say("bob", In::Private, "/profile area 11").await;
        bot.say("bob", In::Private, "/profile availability lun 9-12").await;
        bot.say("claire", In::Private, ELDER).await;

        // Thursday 10 December, 14:30 to 16:30: Alice is free, Bob is not.
        let offer = "/offer_new 1 leisure 10/12 14:30 2h Musée Carnavalet";
        let published = bot.say("claire", In::Private, offer).await;
        assert!(noted(&published, "@alice"), "{:?}", ids(&published));
        assert!(!noted(&published, "@bob"), "Bob gave Monday mornings");
        let asked = bot.say("claire", In::Private, "/asked 101").await;
        assert_eq!(ids(&asked), ["offer-asked"]);
        let said = bot.read(first_message(&asked)).to_lowercase();
        assert!(said.contains("alice"), "the coordinator sees who: {said}");

        let listed = ids(&bot.say("alice", In::Private, "/offers").await);
        assert!(listed.contains(&"offers-header".to_owned()), "{listed:?}");
        let declined = bot.press("alice", In::Private, "decline:101").await;
        assert_eq!(ids(&declined), ["note-declined"]);
        let listed = ids(&bot.say("alice", In::Private, "/offers").await);
        assert_eq!(listed, ["offers-none"], "not for her, not shown again");
        let again = bot.press("alice", In::Private, "decline:101").await;
        assert_eq!(ids(&again), ["note-declined"], "a second press changes nothing");
        let stranger = bot.press("bob", In::Private, "decline:101").await;
        assert_eq!(ids(&stranger), ["button-stale"], "Bob was never asked");

        // Nor is she written to about it when it is posted again.
        let reposted = bot.at(crate::scheduler::paris(12, 7, 14, 30)).await;
        assert!(!noted(&reposted, "@alice"));
    })
    .await;
}

#[tokio::test]
async fn a_phone_call_is_noted_to_volunteers_wherever_they_live() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("alice", In::Private, "/profile area 20").await;
        bot.say("bob", In::Private, "/profile area 16").await;
        bot.say("bob", In::Private, "/language en").await;
        bot.say("claire", In::Private, ELDER).await;

        let call = "/offer_new 1 call 10/12 15:00 1h -";
        let published = bot.say("claire", In::Private, call).await;
        assert!(noted(&published, "@alice") && noted(&published, "@bob"), "no place for a call");
    })
    .await;
}
