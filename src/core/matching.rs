//! Which volunteers an offer may be written to about, and in what order.
//!
//! A [`Pool`] holds the volunteers who opted in to private notes (those
//! who set an area) with what the ranking needs, indexed so that one
//! offer's candidates are found without looking at everyone. The index is
//! split by weekday, as slots filter out most people: for each day, those
//! with a slot that day (and apart, those who gave none); within a day,
//! the circles of those who gave a point sit in an R-tree of their
//! bounding boxes and those who chose neighbourhoods are listed by
//! neighbourhood. Phone calls, which have no place, take a day whole.
//!
//! The ranking is the service's idea of fairness: those not asked lately
//! come first (never asked before all), then those with the fewest
//! outings lately, newcomers before old hands, then the nearest. The
//! weekly cap keeps anyone from being flooded.

use std::collections::{BinaryHeap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::model::{Area, Lang, LatLon, PersonId, Slot};
use crate::geography::{Geography, distance_km};

/// Kilometres in a degree of latitude, and of longitude at the equator.
const KM_PER_DEGREE: f64 = 111.32;

/// How much longer a radius counts when a search is widened.
const WIDENED: f64 = 2.0;

/// Volunteers written to at each step about an offer.
pub const PER_STEP: usize = 5;

/// Whether a step that has written `sent` notes may write one more, to a
/// volunteer never written to before if `first`. Those are always
/// written to, so that everyone in range of some outing hears of one even
/// where many are; after that first note the cap and the ranking hold
/// them like anyone. When a service starts, its first outings reach
/// every volunteer around them.
pub fn within_budget(sent: usize, first: bool) -> bool {
    sent < PER_STEP || first
}

/// A volunteer as matching sees them.
#[derive(Clone, Debug, PartialEq)]
pub struct Volunteer {
    pub id: PersonId,
    pub lang: Lang,
    pub area: Area,
    pub radius_km: f64,
    pub availability: Vec<Slot>,
    pub paused_until: Option<NaiveDate>,
    pub history: History,
}

/// What the ranking weighs of a volunteer's past.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// Notes in the last seven days, held against the weekly cap.
    pub notes_this_week: i64,
    /// When they were last written to, about any offer.
    pub last_noted: Option<DateTime<Utc>>,
    /// Outings done lately.
    pub outings_lately: i64,
    /// Outings done, ever: none makes a newcomer.
    pub outings_ever: i64,
}

/// When an outing or call takes place, in local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// From Monday as 0.
    pub weekday: u8,
    pub from_min: u16,
    /// Cut at midnight for the rare outing that runs past it.
    pub to_min: u16,
}

impl Window {
    pub fn of(start: DateTime<Utc>, duration_min: i64, zone: Tz) -> Self {
        let local = start.with_timezone(&zone);
        let from = local.hour() * 60 + local.minute();
        let end = local + Duration::minutes(duration_min.max(0));
        let to = if end.date_naive() == local.date_naive() {
            end.hour() * 60 + end.minute()
        } else {
            24 * 60
        };
        let minutes = |value: u32| u16::try_from(value).unwrap_or(u16::MAX);
        Self {
            weekday: u8::try_from(local.weekday().num_days_from_monday()).unwrap_or(0),
            from_min: minutes(from),
            to_min: minutes(to),
        }
    }

    /// Whether someone with these slots is free for the whole window; no
    /// slot at all means any time.
    pub fn fits(&self, availability: &[Slot]) -> bool {
        availability.is_empty()
            || availability.iter().any(|slot| {
                slot.weekday == self.weekday
                    && slot.from_min <= self.from_min
                    && self.to_min <= slot.to_min
            })
    }
}

/// What an offer asks of the volunteers written to about it.
#[derive(Clone, Debug)]
pub struct Wanted<'a> {
    /// Where the outing starts, or `None` for a phone call, which matches
    /// on time and language alone.
    pub place: Option<Place<'a>>,
    pub window: Window,
    /// Languages of which a caller must speak one; empty means any.
    pub languages: &'a [Lang],
    /// The volunteer's local date now: a pause lasting past it excludes.
    pub today: NaiveDate,
    /// Notes a volunteer may get in seven days.
    pub cap: i64,
    /// Who must not be asked: asked about this offer already, or declined.
    pub skip: &'a HashSet<PersonId>,
}

/// Where an outing is, for matching.
#[derive(Clone, Debug)]
pub struct Place<'a> {
    pub at: Option<LatLon>,
    /// The outing's neighbourhood and, when widened, those around it,
    /// each with its distance from the outing in kilometres.
    pub neighbourhoods: &'a [(String, f64)],
    /// Whether circles count at twice their radius.
    pub widened: bool,
}

/// Where a volunteer's circle is: their point and, in the data, their
/// place in the pool.
type Circle = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The volunteers, indexed for matching.
#[derive(Debug, Default)]
pub struct Pool {
    volunteers: Vec<Volunteer>,
    by_id: HashMap<PersonId, usize>,
    /// From Monday, those with a slot that day; the eighth holds those who
    /// gave no slot, free any day.
    days: [Day; 8],
}

/// The volunteers one weekday may reach, by place.
#[derive(Debug, Default)]
struct Day {
    everyone: Vec<usize>,
    circles: RTree<Circle>,
    wide_circles: RTree<Circle>,
    by_neighbourhood: HashMap<String, Vec<usize>>,
}

/// The index of those who gave no slot.
const ANY_DAY: usize = 7;

/// The order of the ranking, least first.
type Rank = (Option<DateTime<Utc>>, i64, bool, u32, PersonId);

impl Pool {
    /// Indexes the volunteers; those with no area did not opt in and are
    /// left out.
    pub fn new(volunteers: impl IntoIterator<Item = Volunteer>) -> Self {
        let volunteers: Vec<Volunteer> =
            volunteers.into_iter().filter(|v| v.area != Area::Unset).collect();
        let mut circles: [(Vec<Circle>, Vec<Circle>); 8] = Default::default();
        let mut days: [Day; 8] = Default::default();
        for (index, volunteer) in volunteers.iter().enumerate() {
            for day in weekdays(&volunteer.availability) {
                days[day].everyone.push(index);
                match &volunteer.area {
                    Area::Point { at } => {
                        let (near, wide) = &mut circles[day];
                        near.push(Circle::new(square(*at, volunteer.radius_km), index));
                        wide.push(Circle::new(square(*at, WIDENED * volunteer.radius_km), index));
                    }
                    Area::Neighbourhoods { ids } => {
                        for id in ids {
                            let listed = days[day].by_neighbourhood.entry(id.clone()).or_default();
                            // A neighbourhood named twice lists its volunteer once.
                            if listed.last() != Some(&index) {
                                listed.push(index);
                            }
                        }
                    }
                    Area::Unset => {}
                }
            }
        }
        for (day, (near, wide)) in days.iter_mut().zip(circles) {
            day.circles = RTree::bulk_load(near);
            day.wide_circles = RTree::bulk_load(wide);
        }
        let by_id = volunteers.iter().enumerate().map(|(index, v)| (v.id, index)).collect();
        Self { volunteers, by_id, days }
    }

    /// Whether `id` was never written to, as far as the pool knows.
    pub fn never_noted(&self, id: PersonId) -> bool {
        let index = self.by_id.get(&id);
        index.is_some_and(|index| self.volunteers[*index].history.last_noted.is_none())
    }

    pub fn len(&self) -> usize {
        self.volunteers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.volunteers.is_empty()
    }

    /// Replaces every volunteer's history, keeping the index.
    pub fn set_history(&mut self, mut history: impl FnMut(PersonId) -> History) {
        for volunteer in &mut self.volunteers {
            volunteer.history = history(volunteer.id);
        }
    }

    /// The `count` best placed for `wanted`, best first.
    pub fn best(&self, wanted: &Wanted<'_>, count: usize) -> Vec<PersonId> {
        let mut kept: BinaryHeap<Rank> = BinaryHeap::with_capacity(count.min(self.len()) + 1);
        self.each_match(wanted, |volunteer, distance_km| {
            kept.push(rank(volunteer, distance_km));
            if kept.len() > count {
                kept.pop();
            }
        });
        kept.into_sorted_vec().into_iter().map(|rank| rank.4).collect()
    }

    /// Everyone who may be written to about `wanted`, in no order.
    pub fn matches(&self, wanted: &Wanted<'_>) -> Vec<PersonId> {
        let mut found = Vec::new();
        self.each_match(wanted, |volunteer, _| found.push(volunteer.id));
        found
    }

    /// Calls `found` once for each match, with its distance.
    fn each_match(&self, wanted: &Wanted<'_>, mut found: impl FnMut(&Volunteer, f64)) {
        let free = |volunteer: &Volunteer| {
            let paused = volunteer.paused_until.is_some_and(|until| until >= wanted.today);
            // The cheap tests first: this runs for thousands at a time.
            volunteer.history.notes_this_week < wanted.cap
                && !paused
                && wanted.window.fits(&volunteer.availability)
                && (wanted.skip.is_empty() || !wanted.skip.contains(&volunteer.id))
        };
        // Those with a slot that day, then those free any day: nobody is
        // in both.
        let days = [&self.days[usize::from(wanted.window.weekday.min(6))], &self.days[ANY_DAY]];
        for day in days {
            match &wanted.place {
                Some(place) => self.each_near(day, place, free, &mut found),
                None => {
                    let speaks = |v: &Volunteer| {
                        wanted.languages.is_empty() || wanted.languages.contains(&v.lang)
                    };
                    for index in &day.everyone {
                        let volunteer = &self.volunteers[*index];
                        if speaks(volunteer) && free(volunteer) {
                            found(volunteer, 0.0);
                        }
                    }
                }
            }
        }
    }

    /// Calls `found` for each free volunteer of `day` in reach of `place`.
    fn each_near(
        &self,
        day: &Day,
        place: &Place<'_>,
        free: impl Fn(&Volunteer) -> bool,
        found: &mut impl FnMut(&Volunteer, f64),
    ) {
        if let Some(at) = place.at {
            let (tree, factor) =
                if place.widened { (&day.wide_circles, WIDENED) } else { (&day.circles, 1.0) };
            // Over a town, the plane is as good as the sphere and much
            // cheaper to measure on.
            let km_per_lon = KM_PER_DEGREE * at.lat.to_radians().cos();
            for circle in tree.locate_all_at_point(&[at.lon, at.lat]) {
                let volunteer = &self.volunteers[circle.data];
                let Area::Point { at: home } = volunteer.area else { continue };
                let (dx, dy) =
                    ((home.lon - at.lon) * km_per_lon, (home.lat - at.lat) * KM_PER_DEGREE);
                let reach = factor * volunteer.radius_km;
                if dx * dx + dy * dy <= reach * reach && free(volunteer) {
                    found(volunteer, (dx * dx + dy * dy).sqrt());
                }
            }
        }
        // Someone who chose several of these neighbourhoods counts once,
        // at the nearest.
        let several = place.neighbourhoods.len() > 1;
        let mut seen = HashSet::new();
        for (id, distance) in place.neighbourhoods {
            for index in day.by_neighbourhood.get(id).into_iter().flatten() {
                let volunteer = &self.volunteers[*index];
                if (!several || seen.insert(*index)) && free(volunteer) {
                    found(volunteer, *distance);
                }
            }
        }
    }
}

/// The days of the index a volunteer's slots put them in.
fn weekdays(availability: &[Slot]) -> Vec<usize> {
    let mut days: Vec<usize> =
        availability.iter().map(|slot| usize::from(slot.weekday.min(6))).collect();
    days.sort_unstable();
    days.dedup();
    if days.is_empty() {
        days.push(ANY_DAY);
    }
    days
}

/// The neighbourhoods an outing's search covers, each with its distance
/// from the outing: its own, and when widened, those that touch it.
pub fn neighbourhoods(
    geography: &Geography,
    own: Option<&str>,
    at: Option<LatLon>,
    widened: bool,
) -> Vec<(String, f64)> {
    let Some(own) = own else { return Vec::new() };
    let mut found = vec![(own.to_owned(), 0.0)];
    if widened {
        let from = at.or_else(|| geography.get(own).map(|hood| hood.centre));
        for next in geography.adjacent(own) {
            let distance = from.map_or(0.0, |from| distance_km(from, next.centre));
            found.push((next.id.clone(), distance));
        }
    }
    found
}

fn rank(volunteer: &Volunteer, distance_km: f64) -> Rank {
    let history = &volunteer.history;
    // Metres, so that the rank is a plain integer; the cast saturates.
    let metres = (distance_km * 1000.0) as u32;
    (history.last_noted, history.outings_lately, history.outings_ever > 0, metres, volunteer.id)
}

/// The box around a circle of `radius_km` about `at`, in degrees
/// (longitude first, as the neighbourhoods' index has it).
fn square(at: LatLon, radius_km: f64) -> Rectangle<[f64; 2]> {
    let dlat = radius_km / KM_PER_DEGREE;
    let dlon = radius_km / (KM_PER_DEGREE * at.lat.to_radians().cos().max(0.01));
    Rectangle::from_aabb(AABB::from_corners(
        [at.lon - dlon, at.lat - dlat],
        [at.lon + dlon, at.lat + dlat],
    ))
}

#[cfg(test)]
mod tests;
