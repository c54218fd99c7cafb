//! The service's rules that a deployment may tune (from bot-config).

use chrono_tz::Tz;

use super::job::{Reminders, Schedules};
use super::model::Lang;

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// The deployment's time zone: weeks, days and times shown are local.
    pub timezone: Tz,
    /// Language of groups and of people who have not chosen one.
    pub default_lang: Lang,
    /// Longest outing a coordinator may publish, in minutes.
    pub max_duration_min: i64,
    /// Outings one elder may have in one calendar week (Monday to Sunday).
    pub outings_per_elder_per_week: usize,
    /// A claim released less than this many hours before the start is
    /// reported to the staff room.
    pub late_release_hours: i64,
    /// Public posts show the elder's point rounded to a grid of this many
    /// metres.
    pub public_grid_m: f64,
    /// Radius, in kilometres, given to a volunteer who has not set one.
    pub default_radius_km: f64,
    /// How long an offer is kept for a volunteer who claimed it before
    /// ever opening a private chat with the bot, in minutes.
    pub claim_hold_min: i64,
    /// Private notes one volunteer gets in seven days at most.
    pub notes_per_week: i64,
    /// When reminders and escalations fall due.
    pub reminders: Reminders,
    /// When recurring jobs recur.
    pub schedules: Schedules,
    /// Days a delivered message (a handover among them) is kept.
    pub retention_days: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            timezone: chrono_tz::Europe::Paris,
            default_lang: Lang::Fr,
            max_duration_min: 240,
            outings_per_elder_per_week: 1,
            late_release_hours: 48,
            public_grid_m: 500.0,
            default_radius_km: 2.0,
            claim_hold_min: 30,
            notes_per_week: 2,
            reminders: Reminders::default(),
            schedules: Schedules::default(),
            retention_days: 7,
        }
    }
}
