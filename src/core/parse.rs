//! Reading what people type: numbers, dates, durations, places. Each
//! parser is forgiving about form and strict about meaning, and returns
//! `None` rather than guessing.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::command::fold_accents;
use super::model::{Concern, Need, OfferKind, OfferNo, Slot};

/// `142`, `#142` or `n°142`.
pub(crate) fn offer_number(typed: &str) -> Option<OfferNo> {
    let typed = typed.trim();
    let digits = typed.trim_start_matches('#').trim_start_matches("n°").trim_start_matches('#');
    let number: i64 = digits.parse().ok()?;
    (number > 0).then_some(OfferNo(number))
}

/// A small positive number: an elder's or an alert's id.
pub(crate) fn id_number(typed: &str) -> Option<i64> {
    let number: i64 = typed.trim().trim_start_matches('#').parse().ok()?;
    (number > 0).then_some(number)
}

/// `@alice` names the account whose handle is `alice`.
pub(crate) fn handle(typed: &str) -> Option<&str> {
    let name = typed.trim().strip_prefix('@')?;
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_alphanumeric() || "_-.:".contains(c));
    valid.then_some(name)
}

/// `2h`, `1h30`, `90min`, `90 min`; a bare number up to 12 is hours,
/// above that minutes.
pub(crate) fn duration_min(typed: &str) -> Option<i64> {
    let typed: String = typed.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    let minutes = if let Some(number) = typed.strip_suffix("min") {
        number.parse::<i64>().ok()?
    } else if let Some((hours, rest)) = typed.split_once('h') {
        let hours: i64 = hours.parse().ok()?;
        let rest = rest.trim_end_matches("min");
        let extra = if rest.is_empty() { 0 } else { rest.parse::<i64>().ok()? };
        if extra >= 60 {
            return None;
        }
        hours.checked_mul(60)?.checked_add(extra)?
    } else {
        let number: i64 = typed.parse().ok()?;
        if number <= 12 { number * 60 } else { number }
    };
    (1..=24 * 60).contains(&minutes).then_some(minutes)
}

/// `2026-12-10`, `10/12/2026`, `10/12` (the next such day), `today`,
/// `tomorrow` and their French forms.
pub(crate) fn date(typed: &str, today: NaiveDate) -> Option<NaiveDate> {
    let typed = typed.trim().to_lowercase();
    match typed.as_str() {
        "today" | "aujourd'hui" | "aujourd’hui" | "auj" => return Some(today),
        "tomorrow" | "demain" => return today.succ_opt(),
        _ => {}
    }
    if let Ok(date) = NaiveDate::parse_from_str(&typed, "%Y-%m-%d") {
        return Some(date);
    }
    if let Ok(date) = NaiveDate::parse_from_str(&typed, "%d/%m/%Y") {
        return Some(date);
    }
    let (day, month) = typed.split_once('/')?;
    let (day, month): (u32, u32) = (day.parse().ok()?, month.parse().ok()?);
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this_year >= today {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, month, day)
    }
}

/// `14:30`, `14h30`, `14h`.
pub(crate) fn time(typed: &str) -> Option<NaiveTime> {
    let typed = typed.trim().to_lowercase().replace('h', ":");
    let typed = typed.strip_suffix(':').map_or(typed.clone(), |hours| format!("{hours}:00"));
    NaiveTime::parse_from_str(&typed, "%H:%M").ok()
}

/// A local date and time in the deployment's zone, as an instant. A time
/// that does not exist (the hour skipped in spring) is refused; one that
/// exists twice (in autumn) is the first.
pub(crate) fn local_instant(date: NaiveDate, time: NaiveTime, zone: Tz) -> Option<DateTime<Utc>> {
    let local = zone.from_local_datetime(&date.and_time(time)).earliest()?;
    Some(local.with_timezone(&Utc))
}

/// A date and a time typed together: `10/12 14:30`, `demain 9h`.
pub(crate) fn when(typed: &str, now: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
    let mut words = typed.split_whitespace();
    let (day, hour) = (words.next()?, words.next()?);
    if words.next().is_some() {
        return None;
    }
    let today = now.with_timezone(&zone).date_naive();
    local_instant(date(day, today)?, time(hour)?, zone)
}

pub(crate) fn kind(typed: &str) -> Option<OfferKind> {
    let kind = match fold_accents(&typed.trim().to_lowercase()).as_str() {
        "medical" | "medicale" | "sante" | "health" => OfferKind::Medical,
        "administrative" | "administratif" | "admin" => OfferKind::Administrative,
        "leisure" | "loisir" | "loisirs" | "walk" | "promenade" => OfferKind::Leisure,
        "shopping" | "courses" => OfferKind::Shopping,
        "culture" | "cultural" | "culturelle" => OfferKind::Culture,
        "call" | "appel" | "convivial_call" | "appel_convivial" => OfferKind::ConvivialCall,
        "mission" | "special_mission" | "mission_speciale" => OfferKind::SpecialMission,
        _ => return None,
    };
    Some(kind)
}

pub(crate) fn need(typed: &str) -> Option<Need> {
    let need = match fold_accents(&typed.trim().to_lowercase()).as_str() {
        "wheelchair" | "fauteuil" | "fauteuil_roulant" => Need::Wheelchair,
        "walking_frame" | "walker" | "deambulateur" | "rollator" => Need::WalkingFrame,
        "visual" | "visual_impairment" | "malvoyant" | "malvoyance" => Need::VisualImpairment,
        "language" | "langue" | "interpreter" | "interprete" => Need::Language,
        _ => return None,
    };
    Some(need)
}

pub(crate) fn concern(typed: &str) -> Option<Concern> {
    let concern = match fold_accents(&typed.trim().to_lowercase()).as_str() {
        "isolation" | "isolement" => Concern::Isolation,
        "mobility" | "mobilite" => Concern::Mobility,
        "health" | "sante" => Concern::Health,
        "memory" | "memoire" => Concern::Memory,
        "home" | "logement" | "domicile" => Concern::Home,
        "money" | "argent" => Concern::Money,
        "other" | "autre" => Concern::Other,
        _ => return None,
    };
    Some(concern)
}

/// Weekly slots: `mon 9-12, wed 14-18` or `lun 9h-12h, mer 14h30-18h`.
pub(crate) fn slots(typed: &str) -> Option<Vec<Slot>> {
    typed.split([',', ';']).map(slot).collect::<Option<Vec<_>>>().filter(|all| !all.is_empty())
}

fn slot(typed: &str) -> Option<Slot> {
    let (day, hours) = typed.trim().split_once(char::is_whitespace)?;
    let weekday = weekday(day)?;
    let (from, to) = hours.trim().split_once('-')?;
    let minutes = |typed: &str| -> Option<u16> {
        let typed = typed.trim();
        let time = time(typed).or_else(|| time(&format!("{typed}:00")))?;
        u16::try_from(chrono::Timelike::num_seconds_from_midnight(&time) / 60).ok()
    };
    let (from_min, to_min) = (minutes(from)?, minutes(to)?);
    (from_min < to_min).then_some(Slot { weekday, from_min, to_min })
}

fn weekday(typed: &str) -> Option<u8> {
    let day = fold_accents(&typed.to_lowercase());
    let days = [
        ["mon", "lun"],
        ["tue", "mar"],
        ["wed", "mer"],
        ["thu", "jeu"],
        ["fri", "ven"],
        ["sat", "sam"],
        ["sun", "dim"],
    ];
    let found = days.iter().position(|names| names.iter().any(|name| day.starts_with(name)))?;
    u8::try_from(found).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::LatLon;
    use chrono_tz::Europe::Paris;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn offer_numbers() {
        for (typed, expected) in [("142", Some(142)), ("#142", Some(142)), ("n°7", Some(7))] {
            assert_eq!(offer_number(typed), expected.map(OfferNo), "{typed}");
        }
        for typed in ["", "0", "-3", "abc", "1e9", "99999999999999999999"] {
            assert_eq!(offer_number(typed), None, "{typed}");
        }
    }

    #[test]
    fn durations() {
        let cases = [("2h", Some(120)), ("1h30", Some(90)), ("90min", Some(90)), ("3", Some(180))];
        for (typed, expected) in cases {
            assert_eq!(duration_min(typed), expected, "{typed}");
        }
        for typed in ["", "h", "1h75", "0", "25h", "abc", "-2h"] {
            assert_eq!(duration_min(typed), None, "{typed}");
        }
    }

    #[test]
    fn dates_roll_to_the_next_occurrence() {
        let today = day("2026-12-03");
        assert_eq!(date("10/12", today), Some(day("2026-12-10")));
        assert_eq!(date("02/01", today), Some(day("2027-01-02")));
        assert_eq!(date("2026-12-24", today), Some(day("2026-12-24")));
        assert_eq!(date("demain", today), Some(day("2026-12-04")));
        assert_eq!(date("31/02", today), None);
    }

    #[test]
    fn local_times_cross_daylight_saving() {
        let summer = local_instant(day("2026-07-01"), time("14h30").unwrap(), Paris).unwrap();
        assert_eq!(summer.to_rfc3339(), "2026-07-01T12:30:00+00:00");
        let winter = local_instant(day("2026-12-01"), time("14:30").unwrap(), Paris).unwrap();
        assert_eq!(winter.to_rfc3339(), "2026-12-01T13:30:00+00:00");
        let skipped = local_instant(day("2026-03-29"), time("2h30").unwrap(), Paris);
        assert_eq!(skipped, None);
    }

    #[test]
    fn places_and_slots() {
        assert_eq!(LatLon::parse("48.86, 2.37"), Some(LatLon { lat: 48.86, lon: 2.37 }));
        assert_eq!(LatLon::parse("95,2"), None);
        let slots = slots("lun 9h-12h, wed 14:30-18").unwrap();
        assert_eq!(slots[0], Slot { weekday: 0, from_min: 540, to_min: 720 });
        assert_eq!(slots[1], Slot { weekday: 2, from_min: 870, to_min: 1080 });
        assert_eq!(super::slots("lun 12-9"), None);
    }

    #[test]
    fn handles() {
        assert_eq!(handle("@alice"), Some("alice"));
        assert_eq!(handle("alice"), None);
        assert_eq!(handle("@"), None);
        assert_eq!(handle("@a b"), None);
    }
}
