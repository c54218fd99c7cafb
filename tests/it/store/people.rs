//! Persons, their accounts and their erasure, and elders.

use std::sync::Arc;

use compagnie::core::model::{
    Account, AccountRef, Area, ChatRef, Lang, LatLon, Member, Outcome, Platform, Report, Role, Slot,
};
use compagnie::core::store::{DialogueKey, NewElder, Store};

use crate::common::{DAY, HOUR, at, each_store, elder, offer, person};

#[tokio::test]
async fn a_person_round_trips_with_every_field() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let mut marie = person(&mut *tx, "Marie").await;
        assert_eq!(tx.person(marie.id).await.expect("read"), marie);
        assert_eq!((marie.area.clone(), marie.verified), (Area::Unset, false));

        marie.lang = Lang::En;
        marie.verified = true;
        marie.roles = marie.roles.with(Role::Ambassador).with(Role::Referent);
        marie.area = Area::Neighbourhoods { ids: vec!["paris-10".into(), "paris-11".into()] };
        marie.radius_km = 2.5;
        marie.availability = vec![Slot { weekday: 2, from_min: 600, to_min: 720 }];
        marie.paused_until = chrono::NaiveDate::from_ymd_opt(2026, 7, 14);
        marie.name_public = true;
        marie.consent_at = Some(at(HOUR));
        tx.update_person(&marie).await.expect("update");
        assert_eq!(tx.person(marie.id).await.expect("read"), marie);

        marie.area = Area::Point { at: LatLon { lat: 48.8721, lon: 2.3601 } };
        tx.update_person(&marie).await.expect("update");
        assert_eq!(tx.person(marie.id).await.expect("read").area, marie.area);
    })
    .await;
}

#[tokio::test]
async fn accounts_are_found_by_id_and_by_handle() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let marie = person(&mut *tx, "Marie").await;
        let telegram = AccountRef { platform: Platform::Telegram, user: "1001".into() };
        let mut account = Account {
            account: telegram.clone(),
            person: marie.id,
            handle: Some("@Marie_L".into()),
            private_chat: None,
        };
        tx.upsert_account(&account).await.expect("insert");
        account.private_chat = Some("1001".into());
        tx.upsert_account(&account).await.expect("update");

        let (found, who) = tx.account(&telegram).await.expect("read").expect("account");
        assert_eq!((found.handle.as_deref(), who), (Some("Marie_L"), marie.clone()));
        assert_eq!(found.private_chat.as_deref(), Some("1001"));
        for handle in ["marie_l", "@MARIE_L", "Marie_L"] {
            let found = tx.account_by_handle(Platform::Telegram, handle).await.expect("read");
            assert_eq!(found.map(|(a, _)| a.account), Some(telegram.clone()), "{handle}");
        }
        assert!(tx.account_by_handle(Platform::Matrix, "marie_l").await.expect("read").is_none());

        let matrix = AccountRef { platform: Platform::Matrix, user: "@marie:example.org".into() };
        let other = Account { account: matrix, person: marie.id, handle: None, private_chat: None };
        tx.upsert_account(&other).await.expect("insert");
        assert_eq!(tx.accounts_of(marie.id).await.expect("accounts").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn an_elder_round_trips() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let new = NewElder {
            first_name: "Lucien".into(),
            last_name: "Bernard".into(),
            phone: "01 40 00 00 00".into(),
            address: "3 quai de Valmy".into(),
            at: Some(LatLon { lat: 48.8712, lon: 2.3655 }),
            neighbourhood: Some("paris-10".into()),
            languages: vec!["fr".into(), "ar".into()],
            mobility: "walking frame".into(),
            caregiver: Some("daughter, 06 00 00 00 00".into()),
            consent: true,
            created_at: at(5),
        };
        let id = tx.insert_elder(&new).await.expect("insert");
        let stored = tx.elder(id).await.expect("read");
        assert_eq!((stored.id, stored.at, stored.languages.clone()), (id, new.at, new.languages));
        assert_eq!((stored.caregiver, stored.created_at), (new.caregiver, new.created_at));
    })
    .await;
}

#[tokio::test]
async fn an_erased_person_keeps_only_an_anonymous_row() {
    each_store(|store: Arc<dyn Store>| async move {
        let mut tx = store.begin().await.expect("begin");
        let coordinator = person(&mut *tx, "Coordinator").await;
        let mut marie = person(&mut *tx, "Marie").await;
        marie.verified = true;
        marie.roles = marie.roles.with(Role::Ambassador);
        marie.consent_at = Some(at(1));
        tx.update_person(&marie).await.expect("update");
        let telegram = AccountRef { platform: Platform::Telegram, user: "7".into() };
        let account = Account {
            account: telegram.clone(),
            person: marie.id,
            handle: Some("marie".into()),
            private_chat: Some("7".into()),
        };
        tx.upsert_account(&account).await.expect("account");
        let chat = ChatRef::new(Platform::Telegram, "-10");
        let key = DialogueKey { chat: chat.clone(), person: marie.id };
        tx.set_dialogue(&key, Some("{}")).await.expect("dialogue");
        tx.upsert_member(&Member {
            chat: chat.clone(),
            user: "7".into(),
            name: "Marie".into(),
            handle: Some("marie".into()),
            person: Some(marie.id),
            verified: true,
        })
        .await
        .expect("member");
        let elder = elder(&mut *tx, "paris-10").await;
        let number = offer(&mut *tx, elder, coordinator.id, DAY).await.number;
        let report = Report {
            offer: number,
            person: marie.id,
            outcome: Outcome::TookPlace,
            duration_min: None,
            rating: None,
            entered_home: false,
            concerns: Vec::new(),
            note: None,
            at: at(2 * DAY),
        };
        tx.insert_report(&report).await.expect("report");

        tx.erase_person(marie.id).await.expect("erase");
        let erased = tx.person(marie.id).await.expect("row stays");
        assert_eq!((erased.name.as_str(), erased.verified, erased.roles.0), ("", false, 0));
        assert_eq!((erased.area, erased.consent_at), (Area::Unset, None));
        assert!(tx.account(&telegram).await.expect("account").is_none());
        assert!(tx.accounts_of(marie.id).await.expect("accounts").is_empty());
        assert_eq!(tx.dialogue(&key).await.expect("dialogue"), None);
        assert!(tx.members(&chat).await.expect("members").is_empty());
        assert_eq!(tx.reports_by(marie.id).await.expect("reports"), [report]);
        tx.commit().await.expect("commit");
    })
    .await;
}
