//! The configuration file as written: every field optional, each with the
//! default it takes when left out. [`super::Config`] is what it becomes
//! once checked.

use std::path::PathBuf;

use serde::Deserialize;

use crate::core::job::{JobKind, default_schedule};

/// The whole file; secrets are never in it, only the files that hold
/// them. Relative paths in it are relative to the directory the
/// bot is started from, not to the file, so that the same file works
/// whichever way it is found.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawConfig {
    pub database: RawDatabase,
    /// The deployment's time zone, an IANA name: days, weeks and times
    /// shown to people are local to it. Default `Europe/Paris`.
    pub timezone: String,
    /// Language of groups and of people who have not chosen one: `fr` or
    /// `en`. Default `fr`.
    pub default_language: String,
    pub neighbourhoods: RawNeighbourhoods,
    pub policy: RawPolicy,
    /// Accounts made coordinators at start-up, as `platform:user`
    /// (`telegram:123456789`, `matrix:@claire:example.org`). Default
    /// `["console:claire"]`, so that the terminal demo has a coordinator;
    /// console accounts exist only in a local terminal, so it opens
    /// nothing on a chat platform.
    pub coordinators: Vec<String>,
    pub privacy: RawPrivacy,
    pub reminders: RawReminders,
    pub schedules: RawSchedules,
    pub geocoder: RawGeocoder,
    /// The Telegram adapter; absent by default, which leaves it off.
    pub telegram: Option<RawTelegram>,
    /// The Matrix adapter; absent by default, which leaves it off.
    pub matrix: Option<RawMatrix>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawDatabase {
    /// Where the data lives: `sqlite://FILE` (created if missing) or
    /// `postgres://USER@HOST/DB`. Default `sqlite://compagnie.db`. The
    /// environment variable `COMPAGNIE_DATABASE_URL` overrides it, which
    /// keeps a password out of the file.
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawNeighbourhoods {
    /// A GeoJSON feature collection with one polygon per neighbourhood.
    /// Default `bot-config/paris-arrondissements.geojson`.
    pub file: PathBuf,
    /// The feature property people type to name a neighbourhood (`11`).
    /// Default `number`.
    pub id_property: String,
    /// The feature property holding its name. Default `name`.
    pub name_property: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawPolicy {
    /// Longest outing a coordinator may publish, in hours. Default 4.
    pub max_duration_hours: u32,
    /// Outings one elder may have in one calendar week. Default 1.
    pub outings_per_elder_per_week: u32,
    /// A claim given back less than this many hours before the start is
    /// reported to the staff room. Default 48.
    pub late_release_hours: u32,
    /// Public posts show the elder's place rounded to a grid of this many
    /// metres. Default 500.
    pub public_grid_metres: f64,
    /// Travel radius, in kilometres, of a volunteer who has not set one.
    /// Default 2.
    pub default_radius_km: f64,
    /// Minutes an offer is kept for a volunteer who claimed it before
    /// opening a private chat with the bot. Default 30.
    pub claim_hold_minutes: u32,
    /// Private notes about unclaimed outings one volunteer gets in seven
    /// days at most, so that nobody is flooded. Default 2.
    pub notes_per_week: u32,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawPrivacy {
    /// Days a delivered message is kept in the store's outbox; the
    /// handover of an outing's contact details is one. Default 7.
    pub contact_retention_days: u32,
}

/// When a claimed outing's reminders fall due, and when an unclaimed
/// one is looked for further.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawReminders {
    /// Hours after a claim when the volunteer is asked whether they called
    /// the elder to introduce themselves. Default 2.
    pub introduce_after_hours: u32,
    /// Local time, the day before an outing, when the volunteer is asked
    /// whether they reached the elder (`HH:MM`). Default `18:00`.
    pub day_before_at: String,
    /// Local time, the morning of an outing, of the reminder to call and
    /// confirm (`HH:MM`). Default `08:00`.
    pub morning_at: String,
    /// Minutes after an outing's expected end when the report is asked
    /// for. Default 30.
    pub report_after_minutes: u32,
    /// Hours after the end, with no report, of a nudge. Default 24.
    pub report_nudge_hours: u32,
    /// Hours after the end, with no report still, when the staff room is
    /// told. Default 72.
    pub report_staff_hours: u32,
    /// Hours before the start of an outing nobody claimed when it is
    /// posted again. Default 72.
    pub repost_hours: u32,
    /// Hours before the start when its groups' ambassadors are asked to
    /// find someone. Default 48.
    pub widen_hours: u32,
    /// Hours before the start when the staff room is told. Default 24.
    pub staff_hours: u32,
    /// How many hours earlier medical appointments escalate. Default 12.
    pub medical_lead_hours: u32,
}

/// When the recurring jobs run, as cron's five fields (`minute hour day
/// month weekday`) in the deployment's time zone; an empty string turns
/// one off. After downtime, an occurrence missed is done once, however
/// many were missed.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawSchedules {
    /// The staff room's digest of outings nobody claimed, missing reports
    /// and open alerts. Default `0 8 * * 1-5` (8:00, Monday to Friday).
    pub morning_digest: String,
    /// The removal of delivered messages older than
    /// `privacy.contact_retention_days`. Default `30 3 * * *`.
    pub purge: String,
    /// Each neighbourhood group's list of its open outings. Default
    /// `0 9 * * 1` (Mondays at 9:00).
    pub weekly_digest: String,
    /// Each volunteer's thanks with their figures for the month past.
    /// Default `0 10 1 * *` (the first of the month at 10:00).
    pub monthly_thanks: String,
    /// A word to volunteers whose last outing was 30 days ago; it looks at
    /// one day of outings, so it runs daily. Default `0 11 * * *`.
    pub idle_check_in: String,
    /// A second outing suggested three days after a volunteer's first;
    /// daily too. Default `30 11 * * *`.
    pub second_outing: String,
}

/// The address service: the French national address API, or one that
/// answers like it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawGeocoder {
    /// Whether registering an elder looks their address up. Default true;
    /// when false, coordinators place elders by hand.
    pub enabled: bool,
    /// Its base URL. Default `https://api-adresse.data.gouv.fr`.
    pub base_url: String,
    /// Seconds to wait for an answer; past them, coordinates are asked
    /// for instead. Default 5.
    pub timeout_seconds: u32,
    /// The least score (0 to 1) of a match taken without asking which
    /// candidate is meant. Default 0.7.
    pub min_score: f64,
}

impl Default for RawGeocoder {
    fn default() -> Self {
        Self {
            enabled: true,
            base_url: "https://api-adresse.data.gouv.fr".to_owned(),
            timeout_seconds: 5,
            min_score: 0.7,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawTelegram {
    /// A file holding the bot token, read at start-up. The environment
    /// variable `TELEGRAM_BOT_TOKEN` takes precedence. No default: one of
    /// the two must be given.
    pub token_file: Option<PathBuf>,
    /// The Bot API's address. Default `https://api.telegram.org`.
    pub api_url: String,
    /// The public HTTPS address Telegram posts updates to, which turns on
    /// webhook mode instead of polling; any replica may receive them.
    /// Needs `webhook_listen` and the secret in `TELEGRAM_WEBHOOK_SECRET`.
    /// No default: polling.
    pub webhook_url: Option<String>,
    /// The local address the webhook listener binds (`0.0.0.0:8443`),
    /// behind the proxy that serves `webhook_url`. No default.
    pub webhook_listen: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMatrix {
    /// The homeserver's address (`https://matrix.example.org`). Required.
    pub homeserver: String,
    /// The bot's Matrix user id (`@compagnie:example.org`). Required.
    pub user: String,
    /// A file holding the account's password, read at start-up. The
    /// environment variable `MATRIX_PASSWORD` takes precedence. No
    /// default: one of the two must be given.
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    /// A file holding an access token for the account, used instead of
    /// the password where the homeserver hands out tokens (single sign-on,
    /// an admin API). The environment variable `MATRIX_ACCESS_TOKEN`
    /// takes precedence. No default; a password, when also given, wins.
    #[serde(default)]
    pub access_token_file: Option<PathBuf>,
    /// Where the bot keeps its Matrix session, its sync position and its
    /// encryption keys; keep it with the bot's data, never in the
    /// repository. Default `data/matrix`.
    #[serde(default = "default_matrix_data")]
    pub data_dir: PathBuf,
    /// A file holding the passphrase that encrypts those stores. The
    /// environment variable `MATRIX_STORE_PASSPHRASE` takes precedence.
    /// No default: one of the two must be given.
    #[serde(default)]
    pub store_passphrase_file: Option<PathBuf>,
}

fn default_matrix_data() -> PathBuf {
    PathBuf::from("data/matrix")
}

impl Default for RawConfig {
    fn default() -> Self {
        Self {
            database: RawDatabase::default(),
            timezone: "Europe/Paris".to_owned(),
            default_language: "fr".to_owned(),
            neighbourhoods: RawNeighbourhoods::default(),
            policy: RawPolicy::default(),
            coordinators: vec!["console:claire".to_owned()],
            privacy: RawPrivacy::default(),
            reminders: RawReminders::default(),
            schedules: RawSchedules::default(),
            geocoder: RawGeocoder::default(),
            telegram: None,
            matrix: None,
        }
    }
}

impl Default for RawDatabase {
    fn default() -> Self {
        Self { url: "sqlite://compagnie.db".to_owned() }
    }
}

impl Default for RawNeighbourhoods {
    fn default() -> Self {
        Self {
            file: PathBuf::from("bot-config/paris-arrondissements.geojson"),
            id_property: "number".to_owned(),
            name_property: "name".to_owned(),
        }
    }
}

impl Default for RawPolicy {
    fn default() -> Self {
        Self {
            max_duration_hours: 4,
            outings_per_elder_per_week: 1,
            late_release_hours: 48,
            public_grid_metres: 500.0,
            default_radius_km: 2.0,
            claim_hold_minutes: 30,
            notes_per_week: 2,
        }
    }
}

impl Default for RawPrivacy {
    fn default() -> Self {
        Self { contact_retention_days: 7 }
    }
}

impl Default for RawReminders {
    fn default() -> Self {
        Self {
            introduce_after_hours: 2,
            day_before_at: "18:00".to_owned(),
            morning_at: "08:00".to_owned(),
            report_after_minutes: 30,
            report_nudge_hours: 24,
            report_staff_hours: 72,
            repost_hours: 72,
            widen_hours: 48,
            staff_hours: 24,
            medical_lead_hours: 12,
        }
    }
}

impl Default for RawSchedules {
    fn default() -> Self {
        let text = |kind| default_schedule(kind).to_owned();
        Self {
            morning_digest: text(JobKind::MorningDigest),
            purge: text(JobKind::Purge),
            weekly_digest: text(JobKind::WeeklyDigest),
            monthly_thanks: text(JobKind::MonthlyThanks),
            idle_check_in: text(JobKind::IdleCheckIn),
            second_outing: text(JobKind::SecondOuting),
        }
    }
}

impl Default for RawTelegram {
    fn default() -> Self {
        Self {
            token_file: None,
            api_url: "https://api.telegram.org".to_owned(),
            webhook_url: None,
            webhook_listen: None,
        }
    }
}
