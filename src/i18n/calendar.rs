//! Days, dates and times written out in French and English. The names are
//! spelled here rather than taken from a locale library: two languages
//! need fourteen words and two clock styles.

use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;

use crate::core::model::Lang;

const FR_DAYS: [&str; 7] =
    ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
const EN_DAYS: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `mardi 8 décembre`, `Tuesday 8 December`.
pub(super) fn date(lang: Lang, local: &DateTime<Tz>) -> String {
    let weekday = local.weekday().num_days_from_monday() as usize;
    let month = local.month0() as usize;
    let day = local.day();
    match lang {
        // French writes the first of the month as an ordinal: « 1er mars ».
        Lang::Fr if day == 1 => format!("{} 1er {}", FR_DAYS[weekday], FR_MONTHS[month]),
        Lang::Fr => format!("{} {day} {}", FR_DAYS[weekday], FR_MONTHS[month]),
        Lang::En => format!("{} {day} {}", EN_DAYS[weekday], EN_MONTHS[month]),
    }
}

/// `mardi 8 décembre à 14 h 30`, `Tuesday 8 December at 2:30 pm`.
pub(super) fn date_time(lang: Lang, local: &DateTime<Tz>) -> String {
    let (hour, minute) = (local.hour(), local.minute());
    match lang {
        Lang::Fr => format!("{} à {}", date(lang, local), clock_fr(hour, minute)),
        Lang::En => format!("{} at {}", date(lang, local), clock_en(hour, minute)),
    }
}

/// `14 h 30`, and `14 h` on the hour, as French typography writes it.
fn clock_fr(hour: u32, minute: u32) -> String {
    match minute {
        0 => format!("{hour} h"),
        _ => format!("{hour} h {minute:02}"),
    }
}

/// `2:30 pm`, `2 pm` on the hour; midnight is 12 am and noon 12 pm.
fn clock_en(hour: u32, minute: u32) -> String {
    let suffix = if hour < 12 { "am" } else { "pm" };
    let hour = match hour % 12 {
        0 => 12,
        other => other,
    };
    match minute {
        0 => format!("{hour} {suffix}"),
        _ => format!("{hour}:{minute:02} {suffix}"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use chrono_tz::Europe::Paris;

    use super::*;

    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Tz> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Paris)
    }

    #[test]
    fn winter_time_is_one_hour_ahead_of_utc() {
        let at = paris(2026, 12, 8, 13, 30);
        assert_eq!(date_time(Lang::Fr, &at), "mardi 8 décembre à 14 h 30");
        assert_eq!(date_time(Lang::En, &at), "Tuesday 8 December at 2:30 pm");
    }

    #[test]
    fn summer_time_is_two_hours_ahead_of_utc() {
        let at = paris(2026, 7, 7, 12, 30);
        assert_eq!(date_time(Lang::Fr, &at), "mardi 7 juillet à 14 h 30");
        assert_eq!(date_time(Lang::En, &at), "Tuesday 7 July at 2:30 pm");
    }

    #[test]
    fn night_before_the_spring_change_and_morning_after() {
        // Clocks go from 2:00 to 3:00 on Sunday 29 March 2026.
        assert_eq!(date_time(Lang::En, &paris(2026, 3, 29, 0, 59)), "Sunday 29 March at 1:59 am");
        assert_eq!(date_time(Lang::En, &paris(2026, 3, 29, 1, 0)), "Sunday 29 March at 3 am");
    }

    #[test]
    fn local_date_can_differ_from_the_utc_date() {
        assert_eq!(date(Lang::Fr, &paris(2026, 12, 31, 23, 30)), "vendredi 1er janvier");
        assert_eq!(date(Lang::En, &paris(2026, 12, 31, 23, 30)), "Friday 1 January");
    }

    #[test]
    fn clocks_on_the_hour_and_at_noon_and_midnight() {
        assert_eq!(clock_fr(9, 0), "9 h");
        assert_eq!(clock_fr(9, 5), "9 h 05");
        assert_eq!(clock_en(0, 15), "12:15 am");
        assert_eq!(clock_en(12, 0), "12 pm");
    }
}
