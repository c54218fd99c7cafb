//! Jobs: what the bot must do at a given time, and when each falls due.
//! The times are pure functions of an offer and the policy, so that local
//! hours and daylight-saving changes are tested without a clock or store.

use chrono::{DateTime, Days, Duration, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::cron::Cron;
pub use super::model::JobKind;
use super::model::{Offer, OfferKind, OfferNo};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct JobId(pub i64);

/// A job before the store gives it an id.
#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    pub kind: JobKind,
    /// The outing it is about; none for a recurring job.
    pub offer: Option<OfferNo>,
    pub due: DateTime<Utc>,
}

/// A job taken from the store to be done.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub kind: JobKind,
    pub offer: Option<OfferNo>,
    pub due: DateTime<Utc>,
    /// Failed tries so far.
    pub attempts: i64,
}

/// A job as operators see it in `compagnie jobs`.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRecord {
    pub job: Job,
    /// `pending` or `failed`.
    pub status: String,
    pub last_error: Option<String>,
}

/// When reminders and escalations fall due (from bot-config).
#[derive(Clone, Debug, PartialEq)]
pub struct Reminders {
    /// After a claim: have you called to introduce yourself?
    pub introduce_after: Duration,
    /// Local time, the day before the outing: did you reach the elder?
    pub day_before_at: NaiveTime,
    /// Local time, the morning of the outing: call to confirm.
    pub morning_at: NaiveTime,
    /// After the expected end: the report dialogue.
    pub report_after: Duration,
    /// After the expected end with no report: a nudge to the volunteer.
    pub report_nudge_after: Duration,
    /// After the expected end with no report still: the staff room.
    pub report_staff_after: Duration,
    /// Before the start of an outing nobody claimed: posted again.
    pub repost_before: Duration,
    /// Before the start: the group's ambassadors are asked to help.
    pub widen_before: Duration,
    /// Before the start: the staff room is told.
    pub staff_before: Duration,
    /// Medical appointments escalate this much earlier.
    pub medical_lead: Duration,
}

impl Default for Reminders {
    fn default() -> Self {
        Self {
            introduce_after: Duration::hours(2),
            day_before_at: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
            morning_at: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            report_after: Duration::minutes(30),
            report_nudge_after: Duration::hours(24),
            report_staff_after: Duration::hours(72),
            repost_before: Duration::hours(72),
            widen_before: Duration::hours(48),
            staff_before: Duration::hours(24),
            medical_lead: Duration::hours(12),
        }
    }
}

/// When each recurring job recurs (from bot-config); a job without a
/// schedule is off.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedules(Vec<(JobKind, Cron)>);

impl Schedules {
    pub fn new(schedules: Vec<(JobKind, Cron)>) -> Self {
        Self(schedules)
    }

    pub fn of(&self, kind: JobKind) -> Option<&Cron> {
        self.0.iter().find(|(scheduled, _)| *scheduled == kind).map(|(_, cron)| cron)
    }
}

impl Default for Schedules {
    fn default() -> Self {
        let parsed = DEFAULT_SCHEDULES.iter().map(|(kind, text)| Some((*kind, text.parse().ok()?)));
        Self(parsed.flatten().collect())
    }
}

/// When the recurring jobs run unless bot-config says otherwise, as cron
/// schedules. The check-ins look at one day of past outings each, so they
/// run daily.
pub const DEFAULT_SCHEDULES: [(JobKind, &str); 6] = [
    // 8:00 on weekdays.
    (JobKind::MorningDigest, "0 8 * * 1-5"),
    // 3:30 every night.
    (JobKind::Purge, "30 3 * * *"),
    // 9:00 on Mondays.
    (JobKind::WeeklyDigest, "0 9 * * 1"),
    // 10:00 on the first of the month.
    (JobKind::MonthlyThanks, "0 10 1 * *"),
    (JobKind::IdleCheckIn, "0 11 * * *"),
    (JobKind::SecondOuting, "30 11 * * *"),
];

/// The built-in schedule of a recurring job; empty (off) for any other.
pub fn default_schedule(kind: JobKind) -> &'static str {
    DEFAULT_SCHEDULES.iter().find(|(scheduled, _)| *scheduled == kind).map_or("", |(_, text)| text)
}

impl JobKind {
    /// The jobs that recur, one pending at a time for each.
    pub const RECURRING: [JobKind; 6] = [
        JobKind::MorningDigest,
        JobKind::Purge,
        JobKind::WeeklyDigest,
        JobKind::MonthlyThanks,
        JobKind::IdleCheckIn,
        JobKind::SecondOuting,
    ];
}

/// The reminders of an outing claimed at `now`: those still ahead. The
/// ones before the outing are left out once their time or the outing's
/// start has passed; the report and its follow-ups always come.
pub fn reminder_ladder(
    offer: &Offer,
    now: DateTime<Utc>,
    tz: Tz,
    times: &Reminders,
) -> Vec<NewJob> {
    let before_start = [
        (JobKind::Introduce, now + times.introduce_after),
        (JobKind::DayBefore, local_time(offer.start, tz, 1, times.day_before_at)),
        (JobKind::Morning, local_time(offer.start, tz, 0, times.morning_at)),
    ];
    let end = offer.end();
    let after_end = [
        (JobKind::Report, end + times.report_after),
        (JobKind::ReportNudge, end + times.report_nudge_after),
        (JobKind::ReportOverdue, end + times.report_staff_after),
    ];
    let ahead = before_start.into_iter().filter(|&(_, due)| due > now && due < offer.start);
    let jobs = ahead.chain(after_end);
    jobs.map(|(kind, due)| NewJob { kind, offer: Some(offer.number), due }).collect()
}

/// The escalation of an outing published, or given back, at `now`: the
/// steps still ahead. A step whose time has passed is left out: the post
/// has just gone out, and the next step follows in its turn.
pub fn escalation_ladder(offer: &Offer, now: DateTime<Utc>, times: &Reminders) -> Vec<NewJob> {
    let lead = if offer.kind == OfferKind::Medical { times.medical_lead } else { Duration::zero() };
    let steps = [
        (JobKind::Repost, times.repost_before),
        (JobKind::Widen, times.widen_before),
        (JobKind::StaffUnclaimed, times.staff_before),
    ];
    let jobs = steps.into_iter().map(|(kind, before)| NewJob {
        kind,
        offer: Some(offer.number),
        due: offer.start - before - lead,
    });
    jobs.filter(|job| job.due > now).collect()
}

/// `at` in local time, `days_before` days before the day of `start`. On
/// the night the clocks go forward a time that does not exist is taken an
/// hour later; on the night they go back, the first of the two.
fn local_time(start: DateTime<Utc>, tz: Tz, days_before: u64, at: NaiveTime) -> DateTime<Utc> {
    let day = start.with_timezone(&tz).date_naive() - Days::new(days_before);
    let local = day.and_time(at);
    let found = |local: NaiveDateTime| tz.from_local_datetime(&local).earliest();
    found(local)
        .or_else(|| found(local + Duration::hours(1)))
        .map_or(start, |time| time.with_timezone(&Utc))
}

#[cfg(test)]
mod tests;
