//! A made-up population over Paris, the same at each run: volunteers with
//! areas and weekly slots, and outings spread over some weeks. The
//! fairness simulation and the matching benchmark both draw from it.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use compagnie::core::matching::{self, History, Place, Volunteer, Wanted, Window};
use compagnie::core::model::{Area, Lang, LatLon, PersonId, Slot};
use compagnie::geography::{self, FeatureKeys, Geography};

/// SplitMix64: small, fast and good enough to spread points about.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A number in `[low, high)`.
    pub fn between(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        low + (high - low) * unit
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub fn paris() -> Geography {
    let keys = FeatureKeys { id: "number".into(), name: "name".into() };
    let text = include_str!("../../bot-config/paris-arrondissements.geojson");
    Geography::parse(text, &keys).expect("the Paris arrondissements")
}

/// A point inside some arrondissement, and that arrondissement's id.
pub fn point_in_paris(random: &mut Random, geography: &Geography) -> (LatLon, String) {
    loop {
        let at = LatLon { lat: random.between(48.815, 48.902), lon: random.between(2.224, 2.47) };
        if let Some(hood) = geography.locate(at) {
            return (at, hood.id.clone());
        }
    }
}

/// Seven in ten give a point and a radius of one to three kilometres, the
/// others one to three arrondissements; one in five gives no slot (any
/// time), the others one to three afternoons or mornings; one in twenty
/// is paused; one in ten speaks English.
pub fn volunteers(count: usize, random: &mut Random, geography: &Geography) -> Vec<Volunteer> {
    let hoods: Vec<String> = geography.all().iter().map(|hood| hood.id.clone()).collect();
    (0..count)
        .map(|n| {
            let area = if random.chance(70) {
                Area::Point { at: point_in_paris(random, geography).0 }
            } else {
                let how_many = 1 + random.below(3);
                let ids = (0..how_many)
                    .map(|_| hoods[random.below(hoods.len() as u64) as usize].clone())
                    .collect();
                Area::Neighbourhoods { ids }
            };
            let availability = if random.chance(20) {
                Vec::new()
            } else {
                (0..1 + random.below(3)).map(|_| slot(random)).collect()
            };
            let paused = random.chance(5);
            Volunteer {
                id: PersonId(n as i64 + 1),
                lang: if random.chance(10) { Lang::En } else { Lang::Fr },
                area,
                radius_km: random.between(1.0, 3.0),
                availability,
                paused_until: paused.then_some(chrono::NaiveDate::MAX),
                history: History::default(),
            }
        })
        .collect()
}

fn slot(random: &mut Random) -> Slot {
    let weekday = random.below(7) as u8;
    let from = 8 + random.below(8) as u16;
    let hours = 3 + random.below(4) as u16;
    Slot { weekday, from_min: from * 60, to_min: (from + hours).min(24) * 60 }
}

/// An outing, or a phone call when it has no place.
pub struct Outing {
    pub start: DateTime<Utc>,
    pub duration_min: i64,
    pub place: Option<(LatLon, String)>,
}

impl Outing {
    /// The neighbourhoods a search for it covers, with their distances.
    pub fn neighbourhoods(&self, geography: &Geography, widened: bool) -> Vec<(String, f64)> {
        let (at, hood) = match &self.place {
            Some((at, hood)) => (Some(*at), Some(hood.as_str())),
            None => (None, None),
        };
        matching::neighbourhoods(geography, hood, at, widened)
    }

    /// What it asks of the volunteers, on `today`.
    pub fn wanted<'a>(
        &self,
        neighbourhoods: &'a [(String, f64)],
        widened: bool,
        today: NaiveDate,
        cap: i64,
        skip: &'a HashSet<PersonId>,
    ) -> Wanted<'a> {
        let place =
            self.place.as_ref().map(|(at, _)| Place { at: Some(*at), neighbourhoods, widened });
        Wanted {
            place,
            window: Window::of(self.start, self.duration_min, Paris),
            languages: &[],
            today,
            cap,
            skip,
        }
    }
}

/// Outings starting in the `weeks` after `from`, between 9:00 and 17:00
/// UTC, of one to three hours; one in ten is a phone call.
pub fn outings(
    count: usize,
    weeks: i64,
    from: DateTime<Utc>,
    random: &mut Random,
    geography: &Geography,
) -> Vec<Outing> {
    (0..count)
        .map(|_| {
            let day = random.below(weeks as u64 * 7) as i64;
            let hour = 9 + random.below(8) as i64;
            let place = (!random.chance(10)).then(|| {
                let (at, hood) = point_in_paris(random, geography);
                (geography::round_to_grid(at, 500.0), hood)
            });
            Outing {
                start: from + Duration::days(day) + Duration::hours(hour),
                duration_min: 60 * (1 + random.below(3) as i64),
                place,
            }
        })
        .collect()
}
