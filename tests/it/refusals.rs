//! Bad input and forbidden commands: each is answered with a clear,
//! localised reason, and none changes what is stored.

use std::sync::Arc;

use compagnie::core::Handled;
use compagnie::core::event::EventKind;
use compagnie::core::model::{OfferNo, OfferStatus};
use compagnie::core::store::Store;

use crate::bot::{Bot, In, ids};
use crate::common::each_store;
use crate::scenario::{publish_outing, set_up};

fn command(line: &str) -> EventKind {
    let (name, args) = line.split_once(' ').unwrap_or((line, ""));
    EventKind::Command { name: name.into(), args: args.into() }
}

#[tokio::test]
async fn refusals_give_a_reason_and_change_nothing() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        bot.say("carol", In::Private, "/start").await;
        let huge = "a".repeat(100 * 1024);
        let cases: Vec<(&str, EventKind, &str)> = vec![
            ("carol", command("claim 101"), "claim-unverified"),
            ("alice", command("claim 999"), "offer-unknown"),
            ("alice", command("claim abc"), "usage-claim"),
            (
                "claire",
                command("offer_new 1 medical 11/12 10:00 5h Mairie du 11e"),
                "offer-too-long",
            ),
            ("claire", command("offer_new 1 leisure 11/12 10:00 2h Parc"), "offer-week-taken"),
            ("claire", command("offer_new 1 leisure 01/12/2026 10:00 2h Parc"), "offer-in-past"),
            ("claire", command("offer_new 1"), "usage-offer-new"),
            ("claire", command("offer_new 1 flying 11/12 10:00 2h Lune"), "answer-kind"),
            ("alice", command("offer_new 1 medical 11/12 10:00 2h Mairie"), "refused-role"),
            ("alice", command("verify @bob"), "refused-role"),
            ("dave", command("claim 101"), "refused-not-registered"),
            ("claire", command("verify bob"), "usage-verify"),
            ("claire", command("verify @nobody"), "person-unknown"),
            ("alice", command("fly me to the moon"), "command-unknown"),
            ("alice", EventKind::Text(huge.clone()), "input-too-long"),
            ("alice", command(&format!("claim {huge}")), "input-too-long"),
            ("alice", EventKind::Button("claim:abc".into()), "usage-claim"),
            ("alice", EventKind::Button("self-destruct".into()), "button-stale"),
            ("alice", EventKind::Button(huge.clone()), "button-stale"),
        ];
        for (who, kind, expected) in cases {
            let (handled, effects) = bot.handle(who, In::Private, kind).await;
            assert_eq!(handled, Handled::Refused, "{who} {expected}");
            assert_eq!(ids(&effects), [expected], "{who}");
        }
        let mut tx = bot.store.begin().await.unwrap();
        let offer = tx.offer(OfferNo(101)).await.unwrap();
        assert_eq!((offer.status, offer.claimant), (OfferStatus::Published, None));
        assert_eq!(tx.open_offers().await.unwrap().len(), 1);
        assert!(tx.offer(OfferNo(102)).await.is_err(), "no second offer was created");
        let history = tx.history(OfferNo(101)).await.unwrap();
        assert_eq!(history.len(), 1, "only the publication is in the history");
    })
    .await;
}

#[tokio::test]
async fn a_replayed_event_is_handled_once() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        let event = crate::bot::event(
            "replayed".into(),
            "alice",
            In::Private,
            command("claim 101"),
            bot.clock.as_ref(),
        );
        assert_eq!(bot.core.handle(&event).await.unwrap(), Handled::Done);
        assert_eq!(bot.core.handle(&event).await.unwrap(), Handled::Duplicate);
        let effects = bot.deliver().await;
        assert_eq!(ids(&effects).iter().filter(|id| *id == "claim-won").count(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_late_button_press_is_told_the_offer_is_taken() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        bot.press("alice", In::Group("paris-11"), "claim:101").await;
        let again = bot.press("alice", In::Group("paris-11"), "claim:101").await;
        assert_eq!(ids(&again), ["claim-already-yours"]);
        let late = bot.press("bob", In::Group("paris-11"), "claim:101").await;
        assert_eq!(ids(&late), ["claim-taken"]);
    })
    .await;
}
