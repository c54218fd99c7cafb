//! The claim race: many volunteers press the same button at once.

use std::sync::Arc;
use std::time::Instant;

use compagnie::core::model::{OfferNo, OfferStatus, PersonId};
use compagnie::core::store::{Store, StoreResult, Transition};
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use crate::common::{DAY, at, each_store, elder, offer, person};

const CLAIMANTS: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_claims_have_one_winner() {
    each_store(race).await;
}

async fn race(store: Arc<dyn Store>) {
    let mut tx = store.begin().await.expect("begin");
    let coordinator = person(&mut *tx, "Coordinator").await;
    let elder = elder(&mut *tx, "paris-10").await;
    let before = offer(&mut *tx, elder, coordinator.id, 2 * DAY).await;
    let mut volunteers = Vec::with_capacity(CLAIMANTS);
    for n in 0..CLAIMANTS {
        volunteers.push(person(&mut *tx, &format!("Volunteer {n}")).await.id);
    }
    tx.commit().await.expect("commit");

    let started = Instant::now();
    let outcomes = claim_all(&store, before.number, volunteers).await;
    eprintln!("{CLAIMANTS} claims took {:?}", started.elapsed());
    let winners: Vec<PersonId> =
        outcomes.iter().filter(|(_, won)| *won).map(|(volunteer, _)| *volunteer).collect();
    assert_eq!((winners.len(), outcomes.len()), (1, CLAIMANTS), "one winner of {CLAIMANTS}");

    let mut tx = store.begin().await.expect("begin");
    let after = tx.offer(before.number).await.expect("offer");
    let expected = offer_claimed_by(&before, winners[0]);
    assert_eq!(after, expected, "only the status and the claimant changed");
    let claims: Vec<_> = tx
        .history(before.number)
        .await
        .expect("history")
        .into_iter()
        .filter(|change| change.to == OfferStatus::Claimed)
        .collect();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].by, winners[0]);
}

/// Every volunteer claims at once, each in a transaction of their own.
/// Panics if any of them meets an error: losing must be a plain `false`.
async fn claim_all(
    store: &Arc<dyn Store>,
    offer: OfferNo,
    volunteers: Vec<PersonId>,
) -> Vec<(PersonId, bool)> {
    let barrier = Arc::new(Barrier::new(volunteers.len()));
    let mut tasks = JoinSet::new();
    for volunteer in volunteers {
        let (store, barrier) = (Arc::clone(store), Arc::clone(&barrier));
        tasks.spawn(async move {
            barrier.wait().await;
            (volunteer, claim(&*store, offer, volunteer).await)
        });
    }
    let mut outcomes = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (volunteer, result) = joined.expect("claim task");
        outcomes.push((volunteer, result.expect("a lost claim is not an error")));
    }
    outcomes
}

async fn claim(store: &dyn Store, offer: OfferNo, volunteer: PersonId) -> StoreResult<bool> {
    let mut tx = store.begin().await?;
    let change = Transition {
        offer,
        from: OfferStatus::Published,
        to: OfferStatus::Claimed,
        claimant: Some(volunteer),
        by: volunteer,
        at: at(DAY),
    };
    let won = tx.transition(&change).await?;
    tx.commit().await?;
    Ok(won)
}

fn offer_claimed_by(
    before: &compagnie::core::model::Offer,
    winner: PersonId,
) -> compagnie::core::model::Offer {
    let mut expected = before.clone();
    expected.status = OfferStatus::Claimed;
    expected.claimant = Some(winner);
    expected
}
