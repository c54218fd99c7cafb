//! Recurring times written as cron's five fields (`minute hour day month
//! weekday`), read in the deployment's time zone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How far ahead an occurrence is looked for: a schedule that matches no
/// day within five years (the 31st of February) matches none.
const HORIZON_DAYS: u32 = 5 * 366;

/// A cron schedule. Days match as in cron: when both the day of the month
/// and the weekday are restricted, a day matching either matches.
#[derive(Clone, PartialEq, Eq)]
pub struct Cron {
    text: String,
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    any_day: bool,
    any_weekday: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not a cron schedule (minute hour day month weekday): {1}")]
pub struct CronError(String, &'static str);

impl Cron {
    /// The first occurrence strictly after `after`. A local time the clocks
    /// skip (spring forward) happens an hour later; one they repeat (fall
    /// back) happens once, the first time.
    pub fn next_after(&self, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let first = after.with_timezone(&tz).date_naive();
        (0..HORIZON_DAYS)
            .filter_map(|offset| first.checked_add_days(chrono::Days::new(u64::from(offset))))
            .filter(|day| self.matches_day(*day))
            .flat_map(|day| self.times_of(day))
            .filter_map(|local| instant(local, tz))
            .find(|at| *at > after)
    }

    /// How many occurrences fell in `(from, to]`, counting at most `cap`.
    pub fn count_between(&self, from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz, cap: u32) -> u32 {
        let mut count = 0;
        let mut at = from;
        while count < cap {
            match self.next_after(at, tz) {
                Some(next) if next <= to => (count, at) = (count + 1, next),
                _ => break,
            }
        }
        count
    }

    fn matches_day(&self, day: NaiveDate) -> bool {
        if !has(self.months, day.month()) {
            return false;
        }
        let by_date = has(self.days, day.day());
        let by_weekday = has(self.weekdays, day.weekday().num_days_from_sunday());
        match (self.any_day, self.any_weekday) {
            (false, false) => by_date || by_weekday,
            _ => by_date && by_weekday,
        }
    }

    fn times_of(&self, day: NaiveDate) -> impl Iterator<Item = NaiveDateTime> + '_ {
        let hours = (0..24).filter(|hour| has(self.hours, *hour));
        hours.flat_map(move |hour| {
            let minutes = (0..60).filter(|minute| has(self.minutes, *minute));
            minutes.filter_map(move |minute| day.and_hms_opt(hour, minute, 0))
        })
    }
}

/// A local time as an instant, by the rules of [`Cron::next_after`].
fn instant(local: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    let found = |local: NaiveDateTime| tz.from_local_datetime(&local).earliest();
    let at = found(local).or_else(|| found(local + Duration::hours(1)))?;
    Some(at.with_timezone(&Utc))
}

fn has(set: u64, value: u32) -> bool {
    set & (1 << value) != 0
}

impl FromStr for Cron {
    type Err = CronError;

    fn from_str(text: &str) -> Result<Self, CronError> {
        let error = |why| CronError(text.to_owned(), why);
        let fields: Vec<&str> = text.split_whitespace().collect();
        let [minute, hour, day, month, weekday] = fields[..] else {
            return Err(error("five fields are needed"));
        };
        // Sunday is 0, and 7 too.
        let weekdays = field(weekday, 0, 7).map_err(error)?;
        let weekdays = if has(weekdays, 7) { weekdays | 1 } else { weekdays };
        Ok(Cron {
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            minutes: field(minute, 0, 59).map_err(error)?,
            hours: field(hour, 0, 23).map_err(error)?,
            days: field(day, 1, 31).map_err(error)?,
            months: field(month, 1, 12).map_err(error)?,
            weekdays,
            any_day: day == "*",
            any_weekday: weekday == "*",
        })
    }
}

/// One field: `*`, `N`, `A-B`, each optionally `/STEP`, joined by commas.
fn field(text: &str, low: u32, high: u32) -> Result<u64, &'static str> {
    let mut set = 0;
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, step.parse::<u32>().map_err(|_| "a step is a number")?),
            None => (item, 1),
        };
        let (from, to) = match range {
            "*" => (low, high),
            _ => match range.split_once('-') {
                Some((from, to)) => (number(from)?, number(to)?),
                None => (number(range)?, number(range)?),
            },
        };
        if step == 0 || from < low || to > high || from > to {
            return Err("a value is out of range");
        }
        set |= (from..=to).step_by(step as usize).fold(0, |set, value| set | 1 << value);
    }
    Ok(set)
}

fn number(text: &str) -> Result<u32, &'static str> {
    text.parse().map_err(|_| "a value is not a number")
}

impl fmt::Display for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cron({})", self.text)
    }
}

#[cfg(test)]
mod tests;
