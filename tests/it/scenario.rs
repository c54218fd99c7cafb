//! A whole outing, from the elder's registration to the divergent
//! feedback, as the people involved would live it.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use compagnie::core::effect::Effect;
use compagnie::core::model::{Lang, OfferNo, OfferStatus};
use compagnie::core::store::Store;

use crate::bot::{Bot, In, ids, to};
use crate::common::each_store;

const ELDER_SECRETS: [&str; 5] = ["Jeanne", "Martin", "06 12 34 56 78", "Oberkampf", "48.8652"];

/// Claire links the groups and rooms; Alice and Bob sign up and are
/// verified.
pub async fn set_up(bot: &mut Bot) {
    for (group, args) in
        [("paris-11", "11"), ("paris-12", "12"), ("staff", "staff"), ("medico", "medico")]
    {
        bot.say("claire", In::Group(group), &format!("/link_group {args}")).await;
    }
    bot.say("claire", In::Private, "/start").await;
    for volunteer in ["alice", "bob"] {
        bot.say(volunteer, In::Private, "/start").await;
        bot.say("claire", In::Private, &format!("/verify @{volunteer}")).await;
    }
}

/// Registers Jeanne in the 11th and publishes a medical outing for her on
/// Thursday 10 December; returns the effects of publishing.
pub async fn publish_outing(bot: &mut Bot) -> Vec<Effect> {
    let elder = "/elder_add Jeanne Martin | 06 12 34 56 78 | 12 rue Oberkampf 75011 Paris \
                 | 48.8652,2.3780 | marche avec une canne";
    let registered = bot.say("claire", In::Private, elder).await;
    assert_eq!(ids(&registered), ["elder-registered"]);
    let offer = "/offer_new 1 medical 10/12 14:30 2h Hôpital Saint-Antoine +fauteuil";
    bot.say("claire", In::Private, offer).await
}

fn assert_private_details_absent(bot: &Bot, effects: &[Effect]) {
    for effect in effects.iter().filter(|effect| effect.chat().id.starts_with('#')) {
        let (Effect::Send { message, .. } | Effect::Edit { message, .. }) = effect else {
            continue;
        };
        for lang in Lang::ALL {
            let seen = bot.read(&compagnie::core::effect::Message { lang, ..message.clone() });
            for secret in ELDER_SECRETS {
                assert!(!seen.contains(secret), "{secret:?} shown in a group: {seen}");
            }
        }
    }
}

#[tokio::test]
async fn a_whole_outing_from_request_to_divergent_feedback() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        let mut seen = publish_outing(&mut bot).await;

        // Posted in the 11th's group only, without the elder's details.
        assert_eq!(to(&seen, "#paris-11").len(), 1);
        assert!(to(&seen, "#paris-12").is_empty());
        assert!(ids(&to(&seen, "@claire")).contains(&"offer-published".to_owned()));

        // Alice claims from the group; the post is edited, the details
        // reach her privately.
        let claimed = bot.press("alice", In::Group("paris-11"), "claim:101").await;
        assert!(matches!(
            to(&claimed, "#paris-11")[..],
            [Effect::Edit { .. }, Effect::Answer { .. }]
        ));
        let handover = to(&claimed, "@alice");
        let Effect::Send { message, .. } = &handover[0] else { panic!("no handover") };
        let read = bot.read(message);
        assert!(read.contains("06 12 34 56 78") && read.contains("Oberkampf"), "{read}");
        assert!(ids(&handover).contains(&"claim-charter".to_owned()));
        seen.extend(claimed);

        // Bob is too late.
        let late = bot.say("bob", In::Private, "/claim 101").await;
        assert_eq!(ids(&late), ["claim-taken"]);

        // After the outing, Alice reports a worry about memory.
        bot.set_time(Utc.with_ymd_and_hms(2026, 12, 10, 16, 30, 0).unwrap());
        bot.say("alice", In::Private, "/report 101").await;
        for answer in ["outcome:took_place", "duration:120", "rating:4", "home:no"] {
            bot.press("alice", In::Private, &format!("d:{answer}")).await;
        }
        bot.press("alice", In::Private, "d:concern:memory").await;
        bot.press("alice", In::Private, "d:concern:done").await;
        let reported = bot.say("alice", In::Private, "Elle ne retrouvait plus ses clés.").await;
        assert_eq!(ids(&to(&reported, "#medico")), ["alert-raised"]);
        assert!(ids(&reported).contains(&"report-thanks".to_owned()));
        seen.extend(reported);

        // Jeanne tells Claire the outing never happened: flagged.
        bot.say("claire", In::Private, "/feedback 101").await;
        bot.press("claire", In::Private, "d:outcome:elder_absent").await;
        let flagged = bot.say("claire", In::Private, "-").await;
        assert_eq!(ids(&to(&flagged, "#staff")), ["staff-divergence"]);
        seen.extend(flagged);
        let again = bot.say("claire", In::Private, "/feedback 101").await;
        assert_eq!(ids(&again), ["feedback-already"]);

        let mut tx = bot.store.begin().await.unwrap();
        let offer = tx.offer(OfferNo(101)).await.unwrap();
        assert_eq!((offer.status, offer.flagged), (OfferStatus::Done, true));
        assert_private_details_absent(&bot, &seen);
    })
    .await;
}
