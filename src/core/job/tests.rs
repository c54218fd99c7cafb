use chrono::TimeZone;
use chrono_tz::Europe::Paris;

use super::*;
use crate::core::model::{ElderId, OfferStatus, PersonId};

fn offer(kind: OfferKind, start: DateTime<Utc>) -> Offer {
    Offer {
        number: OfferNo(101),
        elder: ElderId(1),
        kind,
        start,
        duration_min: 120,
        destination: "Hôpital Saint-Antoine".into(),
        meeting_point: None,
        needs: Vec::new(),
        status: OfferStatus::Claimed,
        claimant: Some(PersonId(2)),
        neighbourhood: Some("11".into()),
        public_at: None,
        target_groups: Vec::new(),
        flagged: false,
        created_by: PersonId(1),
        created_at: start,
    }
}

/// A local time in Paris, as people read it.
fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn ladder(jobs: &[NewJob]) -> Vec<(JobKind, String)> {
    let local = |at: DateTime<Utc>| at.with_timezone(&Paris).format("%a %d %H:%M %:z").to_string();
    jobs.iter().map(|job| (job.kind, local(job.due))).collect()
}

#[test]
fn the_reminders_of_an_outing_fall_at_local_times() {
    let start = paris(2026, 12, 10, 14, 30);
    let claimed = paris(2026, 12, 7, 9, 0);
    let jobs =
        reminder_ladder(&offer(OfferKind::Medical, start), claimed, Paris, &Reminders::default());
    let expected = [
        (JobKind::Introduce, "Mon 07 11:00 +01:00"),
        (JobKind::DayBefore, "Wed 09 18:00 +01:00"),
        (JobKind::Morning, "Thu 10 08:00 +01:00"),
        (JobKind::Report, "Thu 10 17:00 +01:00"),
        (JobKind::ReportNudge, "Fri 11 16:30 +01:00"),
        (JobKind::ReportOverdue, "Sun 13 16:30 +01:00"),
    ];
    let expected: Vec<(JobKind, String)> =
        expected.iter().map(|(kind, at)| (*kind, (*at).to_owned())).collect();
    assert_eq!(ladder(&jobs), expected);
}

#[test]
fn reminders_keep_their_local_hour_across_the_clock_changes() {
    let times = Reminders::default();
    // Clocks go forward at 2:00 on Sunday 29 March, back at 3:00 on
    // Sunday 25 October: the day before is in winter (or summer) time,
    // the outing's morning in the other.
    let cases = [
        (paris(2026, 3, 29, 10, 0), "Sat 28 18:00 +01:00", "Sun 29 08:00 +02:00"),
        (paris(2026, 10, 25, 10, 0), "Sat 24 18:00 +02:00", "Sun 25 08:00 +01:00"),
    ];
    for (start, day_before, morning) in cases {
        let claimed = start - Duration::days(5);
        let jobs = reminder_ladder(&offer(OfferKind::Leisure, start), claimed, Paris, &times);
        let at = |kind| ladder(&jobs).into_iter().find(|(k, _)| *k == kind).map(|(_, at)| at);
        assert_eq!(at(JobKind::DayBefore).as_deref(), Some(day_before));
        assert_eq!(at(JobKind::Morning).as_deref(), Some(morning));
    }
}

#[test]
fn a_time_the_clocks_skip_is_taken_an_hour_later() {
    let start = paris(2026, 3, 29, 10, 0);
    let skipped = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
    let at = local_time(start, Paris, 0, skipped).with_timezone(&Paris);
    assert_eq!(at.format("%H:%M %:z").to_string(), "03:30 +02:00");
}

#[test]
fn a_late_claim_skips_the_reminders_already_past() {
    let start = paris(2026, 12, 10, 14, 30);
    let claimed = paris(2026, 12, 10, 13, 0);
    let jobs =
        reminder_ladder(&offer(OfferKind::Leisure, start), claimed, Paris, &Reminders::default());
    let kinds: Vec<JobKind> = jobs.iter().map(|job| job.kind).collect();
    assert_eq!(kinds, [JobKind::Report, JobKind::ReportNudge, JobKind::ReportOverdue]);
}

#[test]
fn medical_outings_escalate_first_and_past_steps_are_left_out() {
    let start = paris(2026, 12, 14, 14, 30);
    let published = paris(2026, 12, 7, 9, 0);
    let times = Reminders::default();
    let leisure = escalation_ladder(&offer(OfferKind::Leisure, start), published, &times);
    assert_eq!(
        ladder(&leisure),
        [
            (JobKind::Repost, "Fri 11 14:30 +01:00".to_owned()),
            (JobKind::Widen, "Sat 12 14:30 +01:00".to_owned()),
            (JobKind::StaffUnclaimed, "Sun 13 14:30 +01:00".to_owned()),
        ]
    );
    let medical = escalation_ladder(&offer(OfferKind::Medical, start), published, &times);
    assert_eq!(ladder(&medical)[0], (JobKind::Repost, "Fri 11 02:30 +01:00".to_owned()));

    let soon =
        escalation_ladder(&offer(OfferKind::Leisure, start), start - Duration::hours(30), &times);
    assert_eq!(ladder(&soon), [(JobKind::StaffUnclaimed, "Sun 13 14:30 +01:00".to_owned())]);
}
