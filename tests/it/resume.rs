//! A dialogue interrupted by a restart carries on where it was.

use std::sync::Arc;

use compagnie::core::clock::FixedClock;

use crate::bot::{Bot, In, ids, monday_morning};
use crate::scenario::set_up;

#[tokio::test]
async fn a_dialogue_resumes_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("compagnie.db").display());
    let store = compagnie::storage::connect(&url).await.unwrap();
    let mut bot = Bot::on(store).await;
    set_up(&mut bot).await;
    let elder = "/elder_add Jeanne Martin | 0612345678 | 1 rue Oberkampf | 11 | -";
    bot.say("claire", In::Private, elder).await;
    bot.say("claire", In::Private, "/offer_new").await;
    bot.say("claire", In::Private, "1").await;
    let asked = bot.say("claire", In::Private, "medical").await;
    assert_eq!(ids(&asked), ["offer-ask-when"]);
    drop(bot);

    // A new process: a new pool on the same file, a new core.
    let store = compagnie::storage::connect(&url).await.unwrap();
    let clock = Arc::new(FixedClock::new(monday_morning()));
    let mut bot = Bot::resume(store, clock).await;
    bot.say("claire", In::Private, "10/12 14:30").await;
    bot.say("claire", In::Private, "2h").await;
    bot.say("claire", In::Private, "Hôpital Saint-Antoine").await;
    let confirm = bot.press("claire", In::Private, "d:needs:done").await;
    assert_eq!(ids(&confirm), ["offer-confirm"]);
    let published = bot.press("claire", In::Private, "d:confirm:publish").await;
    assert!(ids(&published).contains(&"offer-published".to_owned()), "{published:?}");
}
