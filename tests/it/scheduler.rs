//! Reminders and escalations fired by the scheduler at their local
//! times, with a fixed clock: the jobs a claim, a release or a
//! publication writes, and what each does when it falls due.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use compagnie::core::clock::FixedClock;
use compagnie::core::job::{JobKind, NewJob};
use compagnie::core::model::OfferNo;
use compagnie::core::store::Store;
use compagnie::scheduler::Scheduler;

use crate::bot::{Bot, In, ids, monday_morning, to};
use crate::common::each_store;
use crate::scenario::{publish_outing, set_up};

/// A local time in Paris.
pub(crate) fn paris(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(2026, month, day, hour, minute, 0).unwrap().with_timezone(&Utc)
}

/// What reached `chat` when the clock reached `at`.
async fn at(bot: &mut Bot, at: DateTime<Utc>, chat: &str) -> Vec<String> {
    ids(&to(&bot.at(at).await, chat))
}

#[tokio::test]
async fn a_claimed_outing_is_followed_from_the_claim_to_the_missing_report() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        bot.press("alice", In::Group("paris-11"), "claim:101").await;

        // Monday 9:00 claim, Thursday 10 December 14:30 to 16:30 outing.
        assert!(at(&mut bot, paris(12, 7, 10, 59), "@alice").await.is_empty());
        assert_eq!(at(&mut bot, paris(12, 7, 11, 0), "@alice").await, ["reminder-introduce"]);
        assert!(at(&mut bot, paris(12, 9, 17, 59), "@alice").await.is_empty());
        assert_eq!(at(&mut bot, paris(12, 9, 18, 0), "@alice").await, ["reminder-day-before"]);

        let unreached = bot.press("alice", In::Private, "contact:101:unreached").await;
        assert_eq!(ids(&to(&unreached, "#staff")), ["staff-elder-unreached"]);
        assert_eq!(ids(&to(&unreached, "@alice")), ["contact-unreached"]);

        assert_eq!(at(&mut bot, paris(12, 10, 8, 0), "@alice").await, ["reminder-morning"]);
        assert_eq!(at(&mut bot, paris(12, 10, 17, 0), "@alice").await, ["reminder-report"]);
        assert_eq!(at(&mut bot, paris(12, 11, 16, 30), "@alice").await, ["reminder-report-nudge"]);
        assert_eq!(at(&mut bot, paris(12, 13, 16, 30), "#staff").await, ["staff-report-missing"]);
        assert!(bot.at(paris(12, 20, 0, 0)).await.is_empty(), "each job fires once");
    })
    .await;
}

#[tokio::test]
async fn the_report_button_starts_the_report_and_a_written_report_ends_the_nudges() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        bot.press("alice", In::Group("paris-11"), "claim:101").await;
        bot.at(paris(12, 10, 17, 0)).await;

        let asked = bot.press("alice", In::Private, "report:101").await;
        assert_eq!(ids(&to(&asked, "@alice")), ["report-ask-outcome"]);
        for answer in ["1", "3", "4", "2", "8"] {
            bot.say("alice", In::Private, answer).await;
        }
        let later = bot.at(paris(12, 14, 0, 0)).await;
        assert!(later.is_empty(), "no nudge after the report: {:?}", ids(&later));
    })
    .await;
}

#[tokio::test]
async fn an_outing_given_back_loses_its_reminders_and_is_escalated() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        bot.press("alice", In::Group("paris-11"), "claim:101").await;
        bot.press("alice", In::Private, "release:101").await;

        // A medical outing escalates twelve hours early: the staff room
        // hears of it 36 hours before it starts, and nobody is reminded.
        assert!(bot.at(paris(12, 9, 2, 29)).await.is_empty());
        let told = bot.at(paris(12, 9, 2, 30)).await;
        assert_eq!(ids(&told), ["staff-unclaimed"]);
        assert_eq!(told[0].chat().id, "#staff");
        assert!(to(&bot.at(paris(12, 10, 8, 0)).await, "@alice").is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_unclaimed_outing_is_posted_again_then_widened_then_told_to_the_staff() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("claire", In::Private, "/role @bob ambassador").await;
        bot.joins("bob", "paris-11").await;
        let elder = "/elder_add Jeanne Martin | 06 12 34 56 78 | 12 rue Oberkampf 75011 Paris \
                     | 48.8652,2.3780 | -";
        bot.say("claire", In::Private, elder).await;
        bot.say("claire", In::Private, "/offer_new 1 leisure 14/12 14:30 2h Musée Carnavalet")
            .await;

        let again = to(&bot.at(paris(12, 11, 14, 30)).await, "#paris-11");
        assert!(ids(&again).contains(&"offer-post-open".to_owned()), "{:?}", ids(&again));
        let widened = bot.at(paris(12, 12, 14, 30)).await;
        assert_eq!(ids(&widened), ["ambassador-unclaimed"]);
        assert_eq!(widened[0].chat().id, "@bob");
        assert_eq!(ids(&bot.at(paris(12, 13, 14, 30)).await), ["staff-unclaimed"]);
    })
    .await;
}

/// The reminders of an outing on `date` at 10:00 (2 hours) in Paris,
/// claimed the Monday before, on the Sunday a clock change falls: each is
/// checked a minute before and at its time in UTC.
async fn reminders_around_a_clock_change(
    store: Arc<dyn Store>,
    claimed: DateTime<Utc>,
    date: &str,
    due: [DateTime<Utc>; 3],
) {
    let mut bot = Bot::on(store).await;
    bot.set_time(claimed);
    set_up(&mut bot).await;
    let elder = "/elder_add Jeanne Martin | 06 12 34 56 78 | 12 rue Oberkampf 75011 Paris \
                 | 48.8652,2.3780 | -";
    bot.say("claire", In::Private, elder).await;
    let offer = format!("/offer_new 1 leisure {date} 10:00 2h Musée Carnavalet");
    bot.say("claire", In::Private, &offer).await;
    bot.press("alice", In::Group("paris-11"), "claim:101").await;

    let [day_before, morning, report] = due;
    let introduced = at(&mut bot, day_before - chrono::Duration::minutes(1), "@alice").await;
    assert_eq!(introduced, ["reminder-introduce"]);
    for (when, id) in [
        (day_before, "reminder-day-before"),
        (morning, "reminder-morning"),
        (report, "reminder-report"),
    ] {
        let early = at(&mut bot, when - chrono::Duration::minutes(1), "@alice").await;
        assert!(early.is_empty(), "nothing before {id}: {early:?}");
        assert_eq!(at(&mut bot, when, "@alice").await, [id]);
    }
}

#[tokio::test]
async fn reminders_keep_their_local_hours_when_the_clocks_go_back() {
    each_store(|store: Arc<dyn Store>| async move {
        // Saturday is still summer time (UTC+2), Sunday winter time
        // (UTC+1): 18:00 and 8:00 local are 16:00 and 7:00 UTC, and the
        // report comes at 12:30 local, 11:30 UTC.
        let utc = |day, hour, minute| Utc.with_ymd_and_hms(2026, 10, day, hour, minute, 0).unwrap();
        let due = [utc(24, 16, 0), utc(25, 7, 0), utc(25, 11, 30)];
        reminders_around_a_clock_change(store, paris(10, 19, 9, 0), "25/10", due).await;
    })
    .await;
}

#[tokio::test]
async fn reminders_keep_their_local_hours_when_the_clocks_go_forward() {
    each_store(|store: Arc<dyn Store>| async move {
        // Saturday is still winter time (UTC+1), Sunday summer time
        // (UTC+2): 18:00 and 8:00 local are 17:00 and 6:00 UTC, and the
        // report comes at 12:30 local, 10:30 UTC.
        let utc = |day, hour, minute| Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap();
        let due = [utc(28, 17, 0), utc(29, 6, 0), utc(29, 10, 30)];
        reminders_around_a_clock_change(store, paris(3, 23, 9, 0), "29/03", due).await;
    })
    .await;
}

/// Jobs whose outings do not exist: each is done, with nothing to say.
const JOBS: i64 = 10_000;

#[tokio::test]
async fn schedulers_sharing_a_store_do_each_job_once_even_when_one_dies() {
    each_store(|store: Arc<dyn Store>| async move {
        let now = monday_morning();
        let clock = Arc::new(FixedClock::new(now));
        let jobs: Vec<NewJob> = (1..=JOBS)
            .map(|n| NewJob { kind: JobKind::Introduce, offer: Some(OfferNo(n)), due: now })
            .collect();
        let mut tx = store.begin().await.unwrap();
        tx.schedule(&jobs, now).await.unwrap();
        tx.commit().await.unwrap();

        // A third scheduler takes a batch and dies before doing it.
        let held = store.take_jobs(now, now + chrono::Duration::minutes(2), 100).await.unwrap();
        assert_eq!(held.len(), 100);
        let mut schedulers = Vec::new();
        for _ in 0..2 {
            let core = Bot::resume(store.clone(), clock.clone()).await.core;
            schedulers.push(Scheduler::new(core));
        }
        let first = fire_all(&schedulers).await;
        assert_eq!(first, JOBS - 100, "everything but what the dead one holds");

        clock.set(now + chrono::Duration::minutes(3));
        let second = fire_all(&schedulers).await;
        assert_eq!(second, 100, "its jobs, once its lease ran out");
        assert!(store.jobs(10).await.unwrap().is_empty(), "nothing left pending");
    })
    .await;
}

/// Runs the schedulers side by side; returns how many jobs they did.
async fn fire_all(schedulers: &[Scheduler]) -> i64 {
    let runs = futures::future::join_all(schedulers.iter().map(Scheduler::fire_due)).await;
    runs.into_iter().map(|done| i64::try_from(done.unwrap()).unwrap()).sum()
}

#[tokio::test]
async fn a_morning_digest_missed_while_down_comes_once_then_on_its_days() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        let next_week = "/offer_new 1 leisure 17/12 14:30 2h Musée Carnavalet";
        bot.say("claire", In::Private, next_week).await;
        bot.core.plan_recurring().await.unwrap();
        bot.core.plan_recurring().await.unwrap();

        // Down from Monday morning until Thursday 10:00: three digests
        // were missed, one comes.
        let digests = |effects: &[compagnie::core::effect::Effect]| {
            ids(&to(effects, "#staff")).iter().filter(|id| *id == "staff-digest").count()
        };
        assert_eq!(digests(&bot.at(paris(12, 10, 10, 0)).await), 1);
        assert_eq!(digests(&bot.at(paris(12, 11, 7, 59)).await), 0);
        assert_eq!(digests(&bot.at(paris(12, 11, 8, 0)).await), 1);
        // None on the weekend.
        assert_eq!(digests(&bot.at(paris(12, 13, 23, 0)).await), 0);
    })
    .await;
}

#[tokio::test]
async fn volunteers_are_offered_a_second_outing_thanked_and_checked_in_on() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        publish_outing(&mut bot).await;
        bot.press("alice", In::Group("paris-11"), "claim:101").await;
        bot.at(paris(12, 10, 17, 0)).await;
        bot.press("alice", In::Private, "report:101").await;
        for answer in ["1", "3", "4", "2", "8"] {
            bot.say("alice", In::Private, answer).await;
        }
        let next_week = "/offer_new 1 leisure 17/12 14:30 2h Musée Carnavalet";
        bot.say("claire", In::Private, next_week).await;
        bot.core.plan_recurring().await.unwrap();
        let said = |effects: &[compagnie::core::effect::Effect], chat: &str, id: &str| {
            ids(&to(effects, chat)).iter().filter(|said| *said == id).count()
        };

        // Her first outing was on Thursday; on Monday, a second is
        // suggested, and the group is told what is still open.
        let sunday = bot.at(paris(12, 13, 12, 0)).await;
        assert_eq!(said(&sunday, "@alice", "second-outing"), 0, "not before three days");
        let monday = bot.at(paris(12, 14, 11, 30)).await;
        assert_eq!(said(&monday, "@alice", "second-outing"), 1);
        assert_eq!(said(&monday, "#paris-11", "group-weekly-digest"), 1);

        // Back on 10 January: December's thanks, and a word a month after
        // her last outing; the suggestion is not made twice.
        let january = Paris.with_ymd_and_hms(2027, 1, 10, 11, 0, 0).unwrap().with_timezone(&Utc);
        let later = bot.at(january).await;
        assert_eq!(said(&later, "@alice", "thanks-monthly"), 1);
        assert_eq!(said(&later, "@alice", "idle-check-in"), 1);
        assert_eq!(said(&later, "@alice", "second-outing"), 0);
        assert_eq!(said(&later, "@bob", "thanks-monthly"), 0, "only those who went out");
    })
    .await;
}

#[tokio::test]
async fn an_unclaimed_outing_is_noted_to_volunteers_near_it_and_the_staff_told_who() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("alice", In::Private, "/profile area 11").await;
        bot.say("bob", In::Private, "/profile area 12").await;
        let elder = "/elder_add Jeanne Martin | 06 12 34 56 78 | 12 rue Oberkampf 75011 Paris \
                     | 48.8652,2.3780 | -";
        bot.say("claire", In::Private, elder).await;
        let offer = "/offer_new 1 leisure 14/12 14:30 2h Musée Carnavalet";
        let published = bot.say("claire", In::Private, offer).await;
        assert_eq!(ids(&to(&published, "@alice")), ["note-unclaimed", "offer-summary"]);
        assert!(to(&published, "@bob").is_empty(), "Bob serves the 12th, not the 11th");

        let again = bot.at(paris(12, 11, 14, 30)).await;
        assert!(to(&again, "@alice").is_empty(), "asked once about one outing");
        assert!(to(&again, "@bob").is_empty(), "still not his area");
        let widened = bot.at(paris(12, 12, 14, 30)).await;
        assert!(to(&widened, "@alice").is_empty(), "asked once about one outing");
        assert_eq!(
            ids(&to(&widened, "@bob")),
            ["note-unclaimed", "offer-summary"],
            "the 12th is next door"
        );

        let told = to(&bot.at(paris(12, 13, 14, 30)).await, "#staff");
        assert_eq!(ids(&told), ["staff-unclaimed"]);
        let compagnie::core::effect::Effect::Send { message, .. } = &told[0] else {
            panic!("the staff room is written to: {told:?}");
        };
        let text = bot.read(message).to_lowercase();
        assert!(text.contains("alice et bob"), "who was asked: {text}");
    })
    .await;
}

#[tokio::test]
async fn a_volunteer_gets_two_notes_a_week_at_most() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut bot = Bot::on(store).await;
        set_up(&mut bot).await;
        bot.say("alice", In::Private, "/profile area 11").await;
        let elder = "/elder_add Jeanne Martin | 06 12 34 56 78 | 12 rue Oberkampf 75011 Paris \
                     | 48.8652,2.3780 | -";
        let notes_to_alice = |effects: &[compagnie::core::effect::Effect]| {
            ids(&to(effects, "@alice")).iter().filter(|id| *id == "note-unclaimed").count()
        };
        let mut notes = Vec::new();
        for (number, day) in [(1, 14), (2, 15), (3, 16)] {
            bot.say("claire", In::Private, elder).await;
            let offer = format!("/offer_new {number} leisure {day}/12 14:30 2h Musée Carnavalet");
            notes.push(notes_to_alice(&bot.say("claire", In::Private, &offer).await));
        }
        assert_eq!(notes, [1, 1, 0], "the third would flood her");

        // Each outing is posted again three days ahead, a day apart, still
        // within the seven days of her two notes.
        for day in [11, 12, 13] {
            assert_eq!(notes_to_alice(&bot.at(paris(12, day, 14, 30)).await), 0);
        }
    })
    .await;
}
