//! Notes, who declined them, and the address service's answers kept for
//! reuse.

use compagnie::core::model::OfferNo;

use crate::common::{DAY, at, each_store, elder, offer, person};

#[tokio::test]
async fn notes_keep_who_was_asked_when_and_who_declined() {
    each_store(|store| async move {
        let mut tx = store.begin().await.unwrap();
        let (claire, alice, bob) = (
            person(&mut *tx, "Claire").await,
            person(&mut *tx, "Alice").await,
            person(&mut *tx, "Bob").await,
        );
        let jeanne = elder(&mut *tx, "11").await;
        let first = offer(&mut *tx, jeanne, claire.id, 10 * DAY).await;
        let second = offer(&mut *tx, jeanne, claire.id, 20 * DAY).await;
        tx.record_notes(first.number, &[alice.id, bob.id], at(DAY)).await.unwrap();
        tx.record_notes(second.number, &[alice.id], at(8 * DAY)).await.unwrap();
        tx.record_notes(second.number, &[alice.id], at(9 * DAY)).await.unwrap();

        let history = tx.note_history(at(2 * DAY)).await.unwrap();
        let of = |id| history.iter().find(|h| h.person == id).map(|h| (h.last, h.since));
        assert_eq!(of(alice.id), Some((at(8 * DAY), 1)), "a note is recorded once");
        assert_eq!(of(bob.id), Some((at(DAY), 0)));
        assert_eq!(tx.noted(first.number).await.unwrap(), [alice.id, bob.id]);

        assert!(tx.decline_note(first.number, bob.id, at(2 * DAY)).await.unwrap());
        assert!(tx.decline_note(first.number, bob.id, at(3 * DAY)).await.unwrap());
        assert!(!tx.decline_note(second.number, bob.id, at(2 * DAY)).await.unwrap());
        assert!(!tx.decline_note(OfferNo(999), bob.id, at(2 * DAY)).await.unwrap());
        assert_eq!(tx.declined(bob.id).await.unwrap(), [first.number]);
        assert!(tx.declined(alice.id).await.unwrap().is_empty());
        tx.commit().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn address_answers_are_kept_then_purged() {
    each_store(|store| async move {
        store.cache_geocode("1 rue x", "[]", at(DAY)).await.unwrap();
        store.cache_geocode("1 rue x", "[1]", at(2 * DAY)).await.unwrap();
        store.cache_geocode("2 rue y", "[2]", at(5 * DAY)).await.unwrap();
        assert_eq!(store.cached_geocode("1 rue x").await.unwrap().as_deref(), Some("[1]"));
        assert_eq!(store.cached_geocode("3 rue z").await.unwrap(), None);

        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.purge_geocodes(at(3 * DAY)).await.unwrap(), 1);
        tx.commit().await.unwrap();
        assert_eq!(store.cached_geocode("1 rue x").await.unwrap(), None);
        assert!(store.cached_geocode("2 rue y").await.unwrap().is_some());
    })
    .await;
}
