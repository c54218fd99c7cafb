//! Eight weeks of private notes among 2,000 volunteers and 300 outings,
//! none of them claimed so that each goes through every step: at
//! publication five days before, again 72 hours before, and widened 48
//! hours before, five volunteers each time and any who were never
//! written to, under a cap of two a week.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Paris;
use compagnie::core::matching::{History, Pool, within_budget};
use compagnie::core::model::PersonId;

use crate::population::{self, Outing, Random};

const VOLUNTEERS: usize = 2_000;
const OUTINGS: usize = 300;
const WEEKS: i64 = 8;
const CAP: i64 = 2;

/// When notes go out for an outing, and whether the search is widened.
fn steps(outing: &Outing) -> [(DateTime<Utc>, bool); 3] {
    let start = outing.start;
    [
        (start - Duration::days(5), false),
        (start - Duration::hours(72), false),
        (start - Duration::hours(48), true),
    ]
}

/// Each volunteer's history at `now` from the notes sent so far.
fn histories(
    ledger: &[(PersonId, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> HashMap<PersonId, History> {
    let mut histories: HashMap<PersonId, History> = HashMap::new();
    for (person, at) in ledger {
        let history = histories.entry(*person).or_default();
        history.last_noted = history.last_noted.max(Some(*at));
        if *at > now - Duration::days(7) {
            history.notes_this_week += 1;
        }
    }
    histories
}

#[test]
fn notes_reach_everyone_in_range_and_flood_nobody() {
    let geography = population::paris();
    let mut random = Random::new(2027);
    let mut pool = Pool::new(population::volunteers(VOLUNTEERS, &mut random, &geography));
    let first_day = Utc.with_ymd_and_hms(2027, 1, 4, 0, 0, 0).unwrap();
    let outings = population::outings(OUTINGS, WEEKS, first_day, &mut random, &geography);

    let mut steps: Vec<(DateTime<Utc>, usize, bool)> = outings
        .iter()
        .enumerate()
        .flat_map(|(index, outing)| steps(outing).map(|(at, widened)| (at, index, widened)))
        .collect();
    steps.sort_by_key(|(at, index, _)| (*at, *index));

    let mut ledger: Vec<(PersonId, DateTime<Utc>)> = Vec::new();
    let mut asked: Vec<HashSet<PersonId>> = vec![HashSet::new(); outings.len()];
    for (at, index, widened) in steps {
        let histories = histories(&ledger, at);
        pool.set_history(|id| histories.get(&id).copied().unwrap_or_default());
        let outing = &outings[index];
        let hoods = outing.neighbourhoods(&geography, widened);
        let today = at.with_timezone(&Paris).date_naive();
        let wanted = outing.wanted(&hoods, widened, today, CAP, &asked[index]);
        for (sent, person) in pool.best(&wanted, pool.len()).into_iter().enumerate() {
            if !within_budget(sent, pool.never_noted(person)) {
                break;
            }
            ledger.push((person, at));
            asked[index].insert(person);
        }
    }

    // Nobody got more than the cap in any seven days.
    let mut by_person: HashMap<PersonId, Vec<DateTime<Utc>>> = HashMap::new();
    for (person, at) in &ledger {
        by_person.entry(*person).or_default().push(*at);
    }
    for (person, times) in &by_person {
        for at in times {
            let within = times.iter().filter(|t| **t <= *at && **t > *at - Duration::days(7));
            assert!(within.count() as i64 <= CAP, "{person:?} flooded around {at}");
        }
    }

    // Everyone free and in range of some outing, by their own area, was
    // asked at least once.
    let nobody = HashSet::new();
    pool.set_history(|_| History::default());
    let mut in_range: HashSet<PersonId> = HashSet::new();
    for outing in &outings {
        let hoods = outing.neighbourhoods(&geography, false);
        let today = outing.start.with_timezone(&Paris).date_naive();
        in_range.extend(pool.matches(&outing.wanted(&hoods, false, today, i64::MAX, &nobody)));
    }
    let missed: Vec<&PersonId> = in_range.iter().filter(|p| !by_person.contains_key(p)).collect();
    assert!(missed.is_empty(), "{} of {} in range never asked", missed.len(), in_range.len());

    // The most asked tenth gets a bounded share of the notes.
    let mut counts: Vec<usize> = by_person.values().map(Vec::len).collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let top = VOLUNTEERS / 10;
    let share = counts.iter().take(top).sum::<usize>() as f64 / ledger.len() as f64;
    eprintln!(
        "fairness: {} notes to {} volunteers ({} in range of some outing); \
         the most asked tenth got {:.1}% of them, at most {} each",
        ledger.len(),
        by_person.len(),
        in_range.len(),
        share * 100.0,
        counts.first().copied().unwrap_or(0),
    );
    assert!(share < 0.25, "the most asked tenth got {:.1}% of the notes", share * 100.0);
}
