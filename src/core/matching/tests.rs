use chrono::TimeZone;
use chrono_tz::Europe::Paris;

use super::*;

/// Place de la Bastille.
const BASTILLE: LatLon = LatLon { lat: 48.8532, lon: 2.3692 };

fn volunteer(id: i64, area: Area) -> Volunteer {
    Volunteer {
        id: PersonId(id),
        lang: Lang::Fr,
        area,
        radius_km: 1.0,
        availability: Vec::new(),
        paused_until: None,
        history: History::default(),
    }
}

/// A point `km` kilometres north of the Bastille.
fn north(km: f64) -> LatLon {
    LatLon { lat: BASTILLE.lat + km / KM_PER_DEGREE, lon: BASTILLE.lon }
}

fn at(point: LatLon) -> Area {
    Area::Point { at: point }
}

fn hoods(ids: &[&str]) -> Area {
    Area::Neighbourhoods { ids: ids.iter().map(|id| (*id).to_owned()).collect() }
}

/// Thursday 10 December 2026, 14:00 to 16:00 in Paris.
fn thursday_afternoon() -> Window {
    Window::of(Utc.with_ymd_and_hms(2026, 12, 10, 13, 0, 0).unwrap(), 120, Paris)
}

struct Ask {
    neighbourhoods: Vec<(String, f64)>,
    skip: HashSet<PersonId>,
    languages: Vec<Lang>,
}

impl Ask {
    fn new(neighbourhoods: &[(&str, f64)]) -> Self {
        let neighbourhoods =
            neighbourhoods.iter().map(|(id, km)| ((*id).to_owned(), *km)).collect();
        Self { neighbourhoods, skip: HashSet::new(), languages: Vec::new() }
    }

    fn outing(&self, widened: bool) -> Wanted<'_> {
        let place = Place { at: Some(BASTILLE), neighbourhoods: &self.neighbourhoods, widened };
        Wanted { place: Some(place), ..self.call() }
    }

    fn call(&self) -> Wanted<'_> {
        Wanted {
            place: None,
            window: thursday_afternoon(),
            languages: &self.languages,
            today: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            cap: 2,
            skip: &self.skip,
        }
    }
}

fn sorted(mut ids: Vec<PersonId>) -> Vec<i64> {
    ids.sort();
    ids.into_iter().map(|id| id.0).collect()
}

#[test]
fn a_circle_reaches_as_far_as_its_radius_and_twice_when_widened() {
    let pool = Pool::new([
        volunteer(1, at(north(0.5))),
        volunteer(2, at(north(1.5))),
        volunteer(3, at(north(2.5))),
        volunteer(4, Area::Unset),
    ]);
    let ask = Ask::new(&[]);
    assert_eq!(sorted(pool.matches(&ask.outing(false))), [1]);
    assert_eq!(sorted(pool.matches(&ask.outing(true))), [1, 2]);
    assert_eq!(pool.len(), 3, "no area, no notes");
}

#[test]
fn neighbourhoods_match_by_name_and_count_once() {
    let pool = Pool::new([
        volunteer(1, hoods(&["11"])),
        volunteer(2, hoods(&["12"])),
        volunteer(3, hoods(&["11", "12"])),
    ]);
    assert_eq!(sorted(pool.matches(&Ask::new(&[("11", 0.0)]).outing(false))), [1, 3]);
    let around = Ask::new(&[("11", 0.0), ("12", 1.8)]);
    assert_eq!(sorted(pool.matches(&around.outing(true))), [1, 2, 3]);
}

#[test]
fn only_the_free_are_matched() {
    let slot = |weekday, from_min, to_min| Slot { weekday, from_min, to_min };
    let mut thursdays = volunteer(1, at(BASTILLE));
    thursdays.availability = vec![slot(3, 13 * 60, 18 * 60)];
    let mut mornings = volunteer(2, at(BASTILLE));
    mornings.availability = vec![slot(3, 8 * 60, 15 * 60)];
    let mut paused = volunteer(3, at(BASTILLE));
    paused.paused_until = NaiveDate::from_ymd_opt(2026, 12, 3);
    let mut capped = volunteer(4, at(BASTILLE));
    capped.history.notes_this_week = 2;
    let asked = volunteer(5, at(BASTILLE));
    let pool = Pool::new([thursdays, mornings, paused, capped, asked]);
    let mut ask = Ask::new(&[]);
    ask.skip.insert(PersonId(5));
    assert_eq!(sorted(pool.matches(&ask.outing(false))), [1]);
}

#[test]
fn calls_match_on_day_and_language_anywhere() {
    let far = LatLon { lat: 43.3, lon: 5.4 };
    let mut english = volunteer(1, at(far));
    english.lang = Lang::En;
    let mut mondays = volunteer(2, hoods(&["20"]));
    mondays.availability = vec![Slot { weekday: 0, from_min: 0, to_min: 24 * 60 }];
    let french = volunteer(3, hoods(&["1"]));
    let pool = Pool::new([english, mondays, french]);
    let mut ask = Ask::new(&[]);
    assert_eq!(sorted(pool.matches(&ask.call())), [1, 3]);
    ask.languages = vec![Lang::En];
    assert_eq!(sorted(pool.matches(&ask.call())), [1]);
}

#[test]
fn the_least_asked_come_first_then_the_least_busy_then_the_nearest() {
    let day = |d| Some(Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).unwrap());
    let mut asked_long_ago = volunteer(1, at(north(0.1)));
    asked_long_ago.history.last_noted = day(2);
    let mut asked_lately = volunteer(2, at(north(0.1)));
    asked_lately.history.last_noted = day(30);
    let mut busy = volunteer(3, at(north(0.1)));
    busy.history = History { outings_lately: 2, outings_ever: 5, ..History::default() };
    let mut old_hand = volunteer(4, at(north(0.1)));
    old_hand.history.outings_ever = 3;
    let far_newcomer = volunteer(5, at(north(0.9)));
    let near_newcomer = volunteer(6, at(north(0.2)));
    let pool =
        Pool::new([asked_long_ago, asked_lately, busy, old_hand, far_newcomer, near_newcomer]);
    let best = pool.best(&Ask::new(&[]).outing(false), 10);
    let ids: Vec<i64> = best.into_iter().map(|id| id.0).collect();
    assert_eq!(ids, [6, 5, 4, 3, 1, 2]);
    let first_two = pool.best(&Ask::new(&[]).outing(false), 2);
    assert_eq!(first_two, [PersonId(6), PersonId(5)]);
}

#[test]
fn windows_are_local_and_stop_at_midnight() {
    let window = thursday_afternoon();
    assert_eq!((window.weekday, window.from_min, window.to_min), (3, 14 * 60, 16 * 60));
    let late = Window::of(Utc.with_ymd_and_hms(2026, 12, 10, 22, 0, 0).unwrap(), 120, Paris);
    assert_eq!((late.weekday, late.from_min, late.to_min), (3, 23 * 60, 24 * 60));
}
