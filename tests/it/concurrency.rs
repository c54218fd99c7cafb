//! Many volunteers pressing the same button at once.

use std::sync::Arc;

use compagnie::core::Handled;
use compagnie::core::event::EventKind;
use compagnie::core::model::{OfferNo, OfferStatus};
use compagnie::core::store::Store;

use crate::bot::{Bot, In, event, ids};
use crate::common::each_store;
use crate::scenario::{publish_outing, set_up};

const VOLUNTEERS: usize = 100;

#[tokio::test]
async fn hundred_simultaneous_claims_have_one_winner_and_ninety_nine_refusals() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        let names: Vec<String> = (0..VOLUNTEERS).map(|n| format!("v{n}")).collect();
        for name in &names {
            bot.say(name, In::Private, "/start").await;
            bot.say("claire", In::Private, &format!("/verify @{name}")).await;
        }
        bot.deliver().await;

        let claims = names.iter().map(|name| {
            let kind = EventKind::Button("claim:101".into());
            let event =
                event(format!("race-{name}"), name, In::Group("paris-11"), kind, &bot.clock);
            let core = bot.core.clone();
            tokio::spawn(async move { core.handle(&event).await.unwrap() })
        });
        let mut outcomes = Vec::new();
        for claim in claims.collect::<Vec<_>>() {
            outcomes.push(claim.await.unwrap());
        }
        let won = outcomes.iter().filter(|handled| **handled == Handled::Done).count();
        let refused = outcomes.iter().filter(|handled| **handled == Handled::Refused).count();
        assert_eq!((won, refused), (1, VOLUNTEERS - 1));

        let effects = bot.deliver().await;
        let taken = ids(&effects).iter().filter(|id| *id == "claim-taken").count();
        assert_eq!(taken, VOLUNTEERS - 1);
        let mut tx = bot.store.begin().await.unwrap();
        let offer = tx.offer(OfferNo(101)).await.unwrap();
        assert_eq!(offer.status, OfferStatus::Claimed);
        assert_eq!(tx.history(OfferNo(101)).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn one_volunteer_cannot_win_two_overlapping_outings_at_once() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        for name in ["Jeanne", "Paul"] {
            let elder = format!("/elder_add {name} Martin | 0612345678 | 1 rue Oberkampf | 11 | -");
            let registered = bot.say("claire", In::Private, &elder).await;
            assert_eq!(ids(&registered), ["elder-registered"]);
        }
        bot.say("claire", In::Private, "/offer_new 1 medical 10/12 14:30 2h Hôpital").await;
        bot.say("claire", In::Private, "/offer_new 2 culture 10/12 15:00 2h Musée").await;

        let claims = [101, 102].map(|number| {
            let kind = EventKind::Button(format!("claim:{number}"));
            let event = event(format!("both-{number}"), "alice", In::Private, kind, &bot.clock);
            let core = bot.core.clone();
            tokio::spawn(async move { core.handle(&event).await.unwrap() })
        });
        let mut outcomes = Vec::new();
        for claim in claims {
            outcomes.push(claim.await.unwrap());
        }
        outcomes.sort_by_key(|handled| format!("{handled:?}"));
        assert_eq!(outcomes, [Handled::Done, Handled::Refused]);
        let refusal = bot.deliver().await;
        assert!(ids(&refusal).contains(&"claim-overlap".to_owned()), "{refusal:?}");
    })
    .await;
}
