//! The storage suite: each test runs on SQLite and, when configured, on
//! PostgreSQL, and must pass the same on both.

mod claims;
mod jobs;
mod leases;
mod notes;
mod outbox;
mod people;

use std::sync::Arc;

use OfferStatus::Published;
use compagnie::core::model::{
    Alert, AlertId, Area, ChatRef, Concern, ElderId, Feedback, Figures, Group, GroupKind, Lang,
    LatLon, Member, Need, OfferKind, OfferNo, OfferStatus, Outcome, PersonId, Platform, Referral,
    Report,
};
use compagnie::core::store::{DialogueKey, Store, StoreError, Transition};

use crate::common::{DAY, at, each_store, elder, new_offer, offer, person, sqlite_store};

#[tokio::test]
async fn a_transaction_dropped_open_leaves_nothing_and_the_next_one_works() {
    each_store(|store: Arc<dyn Store>| async move {
        for round in 0..20 {
            let mut tx = store.begin().await.expect("begin");
            let sender = compagnie::core::model::AccountRef {
                platform: Platform::Console,
                user: "nobody".into(),
            };
            let id = format!("dropped-{round}");
            let opened = tx.open_event(Platform::Console, &id, at(0), &sender).await;
            assert_eq!(opened.expect("open"), Some(None));
            drop(tx);

            // A transaction that never ran a statement ends quietly too.
            drop(store.begin().await.expect("begin"));

            let mut tx = store.begin().await.expect("begin after a rollback");
            assert!(tx.record_event(Platform::Console, &id, at(1)).await.expect("record"));
            tx.commit().await.expect("commit");
        }
    })
    .await;
}

#[tokio::test]
async fn effects_committed_with_the_transaction_are_pending() {
    each_store(|store: Arc<dyn Store>| async move {
        use compagnie::core::effect::{Effect, Message, Text};
        let chat = ChatRef::new(Platform::Console, "@alice");
        let effects: Vec<Effect> = (0..450)
            .map(|n| Effect::Send {
                chat: chat.clone(),
                message: Message::new(Lang::Fr, Text::new("help-list").arg("n", n)),
            })
            .collect();
        let tx = store.begin().await.expect("begin");
        tx.commit_with(&effects, at(0)).await.expect("commit with effects");
        let pending = store.pending(Platform::Console, 1000).await.expect("pending");
        assert_eq!(pending.len(), 450, "every chunk of rows was written");
        let tx = store.begin().await.expect("begin");
        tx.commit_with(&[], at(0)).await.expect("commit with nothing");
    })
    .await;
}

#[tokio::test]
async fn an_event_is_recorded_once() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        assert!(tx.record_event(Platform::Telegram, "42", at(0)).await.expect("first"));
        assert!(!tx.record_event(Platform::Telegram, "42", at(1)).await.expect("again"));
        assert!(tx.record_event(Platform::Matrix, "42", at(1)).await.expect("other platform"));
        tx.commit().await.expect("commit");

        let mut tx = store.begin().await.expect("begin");
        assert!(!tx.record_event(Platform::Telegram, "42", at(2)).await.expect("replay"));
    })
    .await;
}

#[tokio::test]
async fn sqlite_writes_through_a_write_ahead_log() {
    let (store, dir) = sqlite_store().await;
    let mut tx = store.begin().await.expect("begin");
    person(&mut *tx, "Marie").await;
    tx.commit().await.expect("commit");
    assert!(dir.path().join("compagnie.db-wal").exists(), "journal mode is WAL");
}

#[tokio::test]
async fn a_dropped_transaction_keeps_nothing() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let marie = person(&mut *tx, "Marie").await;
        drop(tx);

        let mut tx = store.begin().await.expect("begin");
        assert!(matches!(tx.person(marie.id).await, Err(StoreError::NotFound)));
    })
    .await;
}

#[tokio::test]
async fn unknown_rows_are_not_found() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let ghost = person(&mut *tx, "Ghost").await;
        let mut other = ghost.clone();
        other.id.0 += 1000;
        assert!(matches!(tx.update_person(&other).await, Err(StoreError::NotFound)));
        assert!(matches!(tx.offer(OfferNo(9999)).await, Err(StoreError::NotFound)));
        assert!(matches!(tx.set_flagged(OfferNo(9999), true).await, Err(StoreError::NotFound)));
        assert!(matches!(tx.alert(AlertId(9999)).await, Err(StoreError::NotFound)));
        assert!(matches!(tx.erase_person(other.id).await, Err(StoreError::NotFound)));
        assert_eq!(tx.report(OfferNo(9999)).await.expect("report"), None);

        // Last: on PostgreSQL a failed statement ends the transaction.
        let orphan = new_offer(ElderId(9999), ghost.id, at(DAY));
        let refused = tx.insert_offer(&orphan, Published, at(0)).await;
        assert!(matches!(refused, Err(StoreError::Backend(_))), "foreign keys are enforced");
    })
    .await;
}

#[tokio::test]
async fn offers_are_numbered_from_101_and_listed() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let coordinator = person(&mut *tx, "Coordinator").await;
        let elder = elder(&mut *tx, "paris-10").await;
        let mut new = new_offer(elder, coordinator.id, at(3 * DAY));
        new.kind = OfferKind::ConvivialCall;
        new.needs = vec![Need::Wheelchair, Need::Language];
        new.meeting_point = Some("Métro Goncourt".into());
        new.public_at = Some(LatLon { lat: 48.87, lon: 2.37 });
        new.target_groups = vec!["telegram:-100".into()];
        let later = tx.insert_offer(&new, OfferStatus::Published, at(0)).await.expect("insert");
        let sooner = offer(&mut *tx, elder, coordinator.id, DAY).await;
        let draft = tx.insert_offer(&new, OfferStatus::Draft, at(0)).await.expect("draft");

        assert_eq!(
            (later.number, sooner.number, draft.number.0),
            (OfferNo(101), OfferNo(102), 103)
        );
        assert_eq!(tx.offer(later.number).await.expect("read"), later);
        assert_eq!((later.needs.clone(), later.public_at), (new.needs.clone(), new.public_at));
        let open: Vec<_> = tx.open_offers().await.expect("open").iter().map(|o| o.number).collect();
        assert_eq!(open, [sooner.number, later.number]);

        let cancel = transition(sooner.number, Published, OfferStatus::Cancelled, coordinator.id);
        assert!(tx.transition(&cancel).await.expect("cancel"));
        let week = tx.offers_of_elder(elder, at(0), at(7 * DAY)).await.expect("week");
        let week: Vec<_> = week.iter().map(|o| o.number).collect();
        assert_eq!(week, [later.number, draft.number]);
        assert!(tx.offers_of_elder(elder, at(0), at(3 * DAY)).await.expect("none").is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_transition_happens_only_from_the_expected_status() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let coordinator = person(&mut *tx, "Coordinator").await;
        let volunteer = person(&mut *tx, "Volunteer").await;
        let elder = elder(&mut *tx, "paris-10").await;
        let number = offer(&mut *tx, elder, coordinator.id, DAY).await.number;

        let mut claim = transition(number, Published, OfferStatus::Claimed, volunteer.id);
        (claim.claimant, claim.at) = (Some(volunteer.id), at(60));
        assert!(tx.transition(&claim).await.expect("claim"));
        assert!(!tx.transition(&claim).await.expect("second claim"));
        let held = tx.offer(number).await.expect("read");
        assert_eq!((held.status, held.claimant), (OfferStatus::Claimed, Some(volunteer.id)));
        assert_eq!(tx.claims_of(volunteer.id).await.expect("claims").len(), 1);

        let release = Transition {
            from: OfferStatus::Claimed,
            to: OfferStatus::Published,
            claimant: None,
            ..claim
        };
        assert!(tx.transition(&release).await.expect("release"));
        assert!(tx.claims_of(volunteer.id).await.expect("claims").is_empty());

        let history = tx.history(number).await.expect("history");
        let steps: Vec<_> = history.iter().map(|change| (change.from, change.to)).collect();
        assert_eq!(
            steps,
            [
                (None, OfferStatus::Published),
                (Some(OfferStatus::Published), OfferStatus::Claimed),
                (Some(OfferStatus::Claimed), OfferStatus::Published),
            ]
        );
        assert_eq!((history[1].by, history[1].at), (volunteer.id, at(60)));

        tx.set_flagged(number, true).await.expect("flag");
        assert!(tx.offer(number).await.expect("read").flagged);
    })
    .await;
}

#[tokio::test]
async fn groups_and_members_round_trip() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let chat = ChatRef::new(Platform::Matrix, "!room:example.org");
        let mut group = Group {
            chat: chat.clone(),
            kind: GroupKind::Neighbourhood,
            title: "Paris 10".into(),
            neighbourhoods: vec!["paris-10".into()],
            lang: Lang::Fr,
        };
        tx.upsert_group(&group).await.expect("insert");
        group.neighbourhoods.push("paris-11".into());
        tx.upsert_group(&group).await.expect("update");
        let staff = Group {
            chat: ChatRef::new(Platform::Telegram, "-1"),
            kind: GroupKind::Staff,
            title: "Staff".into(),
            neighbourhoods: Vec::new(),
            lang: Lang::En,
        };
        tx.upsert_group(&staff).await.expect("insert");
        assert_eq!(tx.group(&chat).await.expect("read"), Some(group.clone()));
        assert_eq!(tx.groups().await.expect("all").len(), 2);
        assert_eq!(tx.groups_of_kind(GroupKind::Staff).await.expect("staff"), [staff]);

        let mut marie = person(&mut *tx, "Marie").await;
        let linked = Member {
            chat: chat.clone(),
            user: "@marie:x".into(),
            handle: None,
            name: "Marie".into(),
            person: Some(marie.id),
            verified: false,
        };
        let stranger = Member {
            user: "@zoe:x".into(),
            name: "Zoé".into(),
            person: None,
            verified: false,
            ..linked.clone()
        };
        tx.upsert_member(&linked).await.expect("member");
        tx.upsert_member(&stranger).await.expect("member");
        marie.verified = true;
        tx.update_person(&marie).await.expect("verify");
        let verified: Vec<_> = tx
            .members(&chat)
            .await
            .expect("members")
            .iter()
            .map(|m| (m.user.clone(), m.verified))
            .collect();
        assert_eq!(verified, [("@marie:x".into(), true), ("@zoe:x".into(), false)]);
        tx.remove_member(&chat, "@zoe:x").await.expect("remove");
        assert_eq!(tx.members(&chat).await.expect("members").len(), 1);
    })
    .await;
}

#[tokio::test]
async fn reports_feedback_alerts_and_referrals_round_trip() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let coordinator = person(&mut *tx, "Coordinator").await;
        let volunteer = person(&mut *tx, "Volunteer").await;
        let elder = elder(&mut *tx, "paris-10").await;
        let number = offer(&mut *tx, elder, coordinator.id, DAY).await.number;

        let report = Report {
            offer: number,
            person: volunteer.id,
            outcome: Outcome::TookPlace,
            duration_min: Some(75),
            rating: Some(4),
            entered_home: false,
            concerns: vec![Concern::Isolation, Concern::Memory],
            note: Some("tired".into()),
            at: at(2 * DAY),
        };
        tx.insert_report(&report).await.expect("report");
        assert_eq!(tx.report(number).await.expect("read"), Some(report.clone()));
        assert_eq!(tx.reports_by(volunteer.id).await.expect("by"), [report]);

        let feedback = Feedback {
            offer: number,
            by: coordinator.id,
            outcome: Outcome::ElderAbsent,
            rating: None,
            note: None,
            at: at(3 * DAY),
        };
        tx.insert_feedback(&feedback).await.expect("feedback");
        assert_eq!(tx.feedback(number).await.expect("read"), Some(feedback));

        let alert = Alert {
            id: AlertId(0),
            offer: number,
            elder,
            raised_by: volunteer.id,
            concerns: vec![Concern::Health],
            note: None,
            referred: false,
            at: at(2 * DAY),
        };
        let id = tx.insert_alert(&alert).await.expect("alert");
        assert_eq!(tx.alert(id).await.expect("read"), Alert { id, ..alert });
        let referral = Referral {
            alert: id,
            service: "CLIC Paris 10".into(),
            elder_agreed: true,
            by: coordinator.id,
            at: at(4 * DAY),
        };
        tx.insert_referral(&referral).await.expect("referral");
        assert!(tx.alert(id).await.expect("read").referred);
        tx.audit(coordinator.id, "referral", "alert 1", at(4 * DAY)).await.expect("audit");
    })
    .await;
}

#[tokio::test]
async fn a_dialogue_is_kept_per_person_and_chat_until_cleared() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let marie = person(&mut *tx, "Marie").await;
        let key = DialogueKey { chat: ChatRef::new(Platform::Console, "tty"), person: marie.id };
        let elsewhere = DialogueKey { chat: ChatRef::new(Platform::Matrix, "tty"), ..key.clone() };
        assert_eq!(tx.dialogue(&key).await.expect("read"), None);
        tx.set_dialogue(&key, Some(r#"{"step":1}"#)).await.expect("set");
        tx.set_dialogue(&key, Some(r#"{"step":2}"#)).await.expect("set");
        assert_eq!(tx.dialogue(&key).await.expect("read").as_deref(), Some(r#"{"step":2}"#));
        assert_eq!(tx.dialogue(&elsewhere).await.expect("read"), None);
        tx.set_dialogue(&key, None).await.expect("clear");
        assert_eq!(tx.dialogue(&key).await.expect("read"), None);
    })
    .await;
}

#[tokio::test]
async fn figures_count_offers_and_volunteers_by_neighbourhood() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let coordinator = person(&mut *tx, "Coordinator").await;
        let ten = elder(&mut *tx, "paris-10").await;
        let eleven = elder(&mut *tx, "paris-11").await;
        let mut busy = person(&mut *tx, "Busy").await;
        let mut idle = person(&mut *tx, "Idle").await;
        for volunteer in [&mut busy, &mut idle] {
            volunteer.verified = true;
            volunteer.area = Area::Neighbourhoods { ids: vec!["paris-10".into()] };
            tx.update_person(volunteer).await.expect("verify");
        }
        offer(&mut *tx, ten, coordinator.id, 5 * DAY).await;
        offer(&mut *tx, eleven, coordinator.id, 5 * DAY).await;
        let done = offer(&mut *tx, ten, coordinator.id, 2 * DAY).await.number;
        let mut claim = transition(done, Published, OfferStatus::Claimed, busy.id);
        claim.claimant = Some(busy.id);
        tx.transition(&claim).await.expect("claim");
        let finish = Transition { from: OfferStatus::Claimed, to: OfferStatus::Done, ..claim };
        tx.transition(&finish).await.expect("done");

        let now = at(3 * DAY);
        let all = tx.figures(None, at(0), now).await.expect("figures");
        let expected = Figures {
            open_offers: 2,
            outings_this_month: 1,
            active_volunteers: 1,
            idle_volunteers: 1,
        };
        assert_eq!(all, expected);
        let ten_only = tx.figures(Some(&["paris-10".into()]), at(0), now).await.expect("ten");
        assert_eq!(ten_only, Figures { open_offers: 1, ..expected });
        let eleven = tx.figures(Some(&["paris-11".into()]), at(0), now).await.expect("eleven");
        assert_eq!(eleven, Figures { open_offers: 1, ..Figures::default() });
        let next_month = tx.figures(None, at(3 * DAY), now).await.expect("next month");
        assert_eq!(next_month.outings_this_month, 0);
        let much_later = tx.figures(None, at(0), at(90 * DAY)).await.expect("later");
        assert_eq!((much_later.active_volunteers, much_later.idle_volunteers), (0, 2));
    })
    .await;
}

/// A change made by `by`, leaving the offer without claimant.
fn transition(offer: OfferNo, from: OfferStatus, to: OfferStatus, by: PersonId) -> Transition {
    Transition { offer, from, to, claimant: None, by, at: at(0) }
}
