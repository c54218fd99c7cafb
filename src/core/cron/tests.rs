use chrono_tz::Europe::Paris;

use super::*;

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Paris.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris).format("%a %Y-%m-%d %H:%M %:z").to_string()
}

fn next(cron: &str, after: DateTime<Utc>) -> String {
    local(cron.parse::<Cron>().unwrap().next_after(after, Paris).unwrap())
}

#[test]
fn schedules_read_as_cron_reads_them() {
    let monday = paris(2026, 12, 7, 9, 0);
    let cases = [
        ("0 8 * * 1-5", "Tue 2026-12-08 08:00 +01:00"),
        ("0 8 * * *", "Tue 2026-12-08 08:00 +01:00"),
        ("30 9 * * *", "Mon 2026-12-07 09:30 +01:00"),
        ("0 18 * * 0", "Sun 2026-12-13 18:00 +01:00"),
        ("0 18 * * 7", "Sun 2026-12-13 18:00 +01:00"),
        ("0 10 1 * *", "Fri 2027-01-01 10:00 +01:00"),
        ("*/20 9 * * *", "Mon 2026-12-07 09:20 +01:00"),
        ("0 9 15 * 1", "Mon 2026-12-14 09:00 +01:00"),
        ("0 0,12 * 1 *", "Fri 2027-01-01 00:00 +01:00"),
    ];
    for (cron, expected) in cases {
        assert_eq!(next(cron, monday), expected, "{cron}");
    }
}

#[test]
fn local_hours_hold_across_the_clock_changes() {
    // Clocks go forward at 2:00 on 29 March 2026, back at 3:00 on 25
    // October 2026.
    let saturday = paris(2026, 3, 28, 9, 0);
    assert_eq!(next("0 8 * * *", saturday), "Sun 2026-03-29 08:00 +02:00");
    assert_eq!(next("30 2 * * *", saturday), "Sun 2026-03-29 03:30 +02:00", "skipped: an hour on");
    let autumn = paris(2026, 10, 24, 9, 0);
    assert_eq!(next("0 8 * * *", autumn), "Sun 2026-10-25 08:00 +01:00");
    let first = "30 2 * * *".parse::<Cron>().unwrap().next_after(autumn, Paris).unwrap();
    assert_eq!(local(first), "Sun 2026-10-25 02:30 +02:00");
    assert_eq!(next("30 2 * * *", first), "Mon 2026-10-26 02:30 +01:00", "repeated: once");
}

#[test]
fn missed_occurrences_are_counted() {
    let cron: Cron = "0 8 * * *".parse().unwrap();
    let from = paris(2026, 12, 7, 9, 0);
    assert_eq!(cron.count_between(from, paris(2026, 12, 10, 9, 0), Paris, 100), 3);
    assert_eq!(cron.count_between(from, paris(2027, 12, 10, 9, 0), Paris, 10), 10);
}

#[test]
fn bad_schedules_are_refused() {
    for text in [
        "",
        "0 8 * *",
        "60 8 * * *",
        "0 24 * * *",
        "0 8 0 * *",
        "0 8 * 13 *",
        "*/0 8 * * *",
        "a 8 * * *",
        "5-1 8 * * *",
    ] {
        assert!(text.parse::<Cron>().is_err(), "{text}");
    }
    assert!(
        "0 0 31 2 *".parse::<Cron>().unwrap().next_after(paris(2026, 1, 1, 0, 0), Paris).is_none()
    );
}
