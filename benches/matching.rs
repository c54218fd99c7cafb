//! How long matching one offer takes among 100,000 volunteers spread over
//! Paris: finding those in range and free through the indexes, then
//! keeping the twenty best ranked (what a note step looks at). Building
//! the pool is timed apart, as the bot builds it once per note step.
//!
//! `cargo bench --bench matching`.

#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a benchmark that cannot set up should stop loudly"
)]

#[path = "../tests/it/population.rs"]
mod population;

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use compagnie::core::matching::{History, Pool, Wanted};
use compagnie::core::model::PersonId;

use population::{Outing, Random};

const VOLUNTEERS: usize = 100_000;
const OFFERS: usize = 1_000;
const LOOKED_AT: usize = 20;
const ROUNDS: usize = 3;

fn main() {
    let geography = population::paris();
    let mut random = Random::new(42);
    let volunteers = population::volunteers(VOLUNTEERS, &mut random, &geography);
    let started = Instant::now();
    let mut pool = Pool::new(volunteers);
    let built = started.elapsed();
    let now = Utc.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).unwrap();
    let mut pasts = Random::new(7);
    pool.set_history(|_| History {
        notes_this_week: pasts.below(2) as i64,
        last_noted: pasts
            .chance(60)
            .then(|| now - chrono::Duration::hours(pasts.below(900) as i64)),
        outings_lately: pasts.below(3) as i64,
        outings_ever: pasts.below(10) as i64,
    });
    let offers = population::outings(OFFERS, 1, now, &mut random, &geography);

    println!("matching: {} volunteers indexed in {:.0} ms", pool.len(), built.as_secs_f64() * 1e3);
    for (label, widened, calls) in
        [("outing", false, false), ("widened outing", true, false), ("phone call", false, true)]
    {
        let chosen: Vec<&Outing> =
            offers.iter().filter(|offer| offer.place.is_none() == calls).collect();
        let (each, matched) = time(&pool, &geography, &chosen, widened);
        println!(
            "matching: {label}: {:.3} ms an offer, best of {ROUNDS} over {} offers \
             ({matched:.0} matches an offer on average)",
            each.as_secs_f64() * 1e3,
            chosen.len(),
        );
    }
}

/// The best time an offer over the rounds, and the mean number of matches.
fn time(
    pool: &Pool,
    geography: &compagnie::geography::Geography,
    offers: &[&Outing],
    widened: bool,
) -> (Duration, f64) {
    let skip: HashSet<PersonId> = HashSet::new();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let hoods: Vec<Vec<(String, f64)>> =
        offers.iter().map(|offer| offer.neighbourhoods(geography, widened)).collect();
    let wanted: Vec<Wanted<'_>> = offers
        .iter()
        .zip(&hoods)
        .map(|(offer, hoods)| offer.wanted(hoods, widened, today, 2, &skip))
        .collect();
    let matched: usize = wanted.iter().map(|one| pool.matches(one).len()).sum();
    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for one in &wanted {
            black_box(pool.best(one, LOOKED_AT));
        }
        best = best.min(started.elapsed());
    }
    let count = offers.len().max(1);
    (best / count as u32, matched as f64 / count as f64)
}
