//! The deployment's settings, from `bot-config/` and the environment.
//!
//! Values come from three places, each overriding the one before: the
//! built-in defaults, the TOML file, then the environment. The file is
//! read into [`RawConfig`], which mirrors it field for field and documents
//! each one, then checked into a [`Config`] whose values are ready to use.
//! Secrets (the bot token, the Matrix password, a database password) come
//! only from the environment or from files named in the configuration;
//! their `Debug` output hides them.

mod raw;
mod secret;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{Duration, NaiveTime};
use chrono_tz::Tz;

use crate::core::cron::Cron;
use crate::core::job::{JobKind, Reminders, Schedules};
use crate::core::model::{AccountRef, Lang, Platform};
use crate::core::policy::Policy;
use crate::geography::FeatureKeys;

pub use self::raw::{
    RawConfig, RawDatabase, RawGeocoder, RawMatrix, RawNeighbourhoods, RawPolicy, RawPrivacy,
    RawReminders, RawSchedules, RawTelegram,
};
pub use self::secret::{DatabaseUrl, Secret};

/// Where the configuration is looked for when no `--config` is given. If
/// it does not exist, the built-in defaults are used.
pub const DEFAULT_PATH: &str = "bot-config/compagnie.toml";

/// Overrides `database.url`.
pub const ENV_DATABASE_URL: &str = "COMPAGNIE_DATABASE_URL";
/// The Telegram bot token; read when `[telegram]` is present.
pub const ENV_TELEGRAM_TOKEN: &str = "TELEGRAM_BOT_TOKEN";
/// The secret Telegram sends with each webhook call.
pub const ENV_WEBHOOK_SECRET: &str = "TELEGRAM_WEBHOOK_SECRET";
/// The Matrix account's password; read when `[matrix]` is present.
pub const ENV_MATRIX_PASSWORD: &str = "MATRIX_PASSWORD";
/// An access token for the Matrix account, instead of its password.
pub const ENV_MATRIX_ACCESS_TOKEN: &str = "MATRIX_ACCESS_TOKEN";
/// The passphrase that encrypts the Matrix stores (session state and
/// encryption keys) on disk; read when `[matrix]` is present.
pub const ENV_MATRIX_STORE_PASSPHRASE: &str = "MATRIX_STORE_PASSPHRASE";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot parse configuration file {path}")]
    Parse { path: PathBuf, source: Box<toml::de::Error> },
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("cannot read {field} from {path}")]
    SecretFile { field: &'static str, path: PathBuf, source: std::io::Error },
}

/// Checked settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The file the settings were read from; `None` for the defaults alone.
    pub file: Option<PathBuf>,
    pub database_url: DatabaseUrl,
    /// The core's rules, time zone and default language included.
    pub policy: Policy,
    pub neighbourhoods: Neighbourhoods,
    pub coordinators: Vec<AccountRef>,
    pub geocoder: Geocoder,
    pub telegram: Option<Telegram>,
    pub matrix: Option<Matrix>,
}

/// Where addresses are looked up, and how patiently.
#[derive(Clone, Debug, PartialEq)]
pub struct Geocoder {
    /// Whether registering an elder looks their address up.
    pub enabled: bool,
    pub base_url: url::Url,
    pub timeout: std::time::Duration,
    pub min_score: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Neighbourhoods {
    pub file: PathBuf,
    pub id_property: String,
    pub name_property: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Telegram {
    pub token: Secret,
    pub api_url: String,
    /// Webhook mode when set; polling otherwise.
    pub webhook: Option<Webhook>,
}

/// Where Telegram posts updates, where the bot listens for them, and the
/// secret Telegram sends with each so that nobody else can.
#[derive(Clone, Debug, PartialEq)]
pub struct Webhook {
    pub url: String,
    pub listen: std::net::SocketAddr,
    pub secret: Secret,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub homeserver: String,
    pub user: String,
    pub login: MatrixLogin,
    /// Where the bot keeps its Matrix session, sync position and keys.
    pub data_dir: PathBuf,
    pub store_passphrase: Secret,
}

/// How the bot first signs in to its Matrix account; later starts
/// restore the session kept in the data directory.
#[derive(Clone, Debug, PartialEq)]
pub enum MatrixLogin {
    /// Logs in with the password, which makes a new device.
    Password(Secret),
    /// Takes over the device an access token was issued for.
    AccessToken(Secret),
}

impl Neighbourhoods {
    pub fn feature_keys(&self) -> FeatureKeys {
        FeatureKeys { id: self.id_property.clone(), name: self.name_property.clone() }
    }
}

impl Config {
    /// Reads the configuration from `path`, or from [`DEFAULT_PATH`] when
    /// it exists, with the process environment on top.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_with_env(path, &|name| std::env::var(name).ok())
    }

    /// [`Config::load`] with the environment given as a lookup, so that
    /// tests need not touch the process's own.
    pub fn load_with_env(
        path: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let (raw, file) = match path {
            Some(path) => (read_file(path)?, Some(path.to_owned())),
            None if Path::new(DEFAULT_PATH).exists() => {
                (read_file(Path::new(DEFAULT_PATH))?, Some(PathBuf::from(DEFAULT_PATH)))
            }
            None => (RawConfig::default(), None),
        };
        Ok(Self { file, ..Self::from_raw(raw, env)? })
    }

    /// Checks raw settings and applies the environment over them.
    pub fn from_raw(
        raw: RawConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let env = |name: &str| env(name).filter(|value| !value.is_empty());
        let policy = check_policy(&raw)?;
        let url = env(ENV_DATABASE_URL).unwrap_or(raw.database.url);
        Ok(Self {
            file: None,
            database_url: check_database_url(url)?,
            policy,
            neighbourhoods: Neighbourhoods {
                file: raw.neighbourhoods.file,
                id_property: raw.neighbourhoods.id_property,
                name_property: raw.neighbourhoods.name_property,
            },
            coordinators: check_coordinators(&raw.coordinators)?,
            geocoder: check_geocoder(&raw.geocoder)?,
            telegram: raw.telegram.map(|telegram| check_telegram(telegram, &env)).transpose()?,
            matrix: raw.matrix.map(|matrix| check_matrix(matrix, &env)).transpose()?,
        })
    }

    /// Names of the chat platforms configured, for messages to operators.
    pub fn adapters(&self) -> Vec<&'static str> {
        let telegram = self.telegram.as_ref().map(|_| Platform::Telegram.as_str());
        let matrix = self.matrix.as_ref().map(|_| Platform::Matrix.as_str());
        telegram.into_iter().chain(matrix).collect()
    }
}

impl Default for Config {
    /// The built-in defaults, read through the same checks as a file.
    #[expect(
        clippy::expect_used,
        reason = "the built-in defaults pass the checks; a test runs them"
    )]
    fn default() -> Self {
        Self::from_raw(RawConfig::default(), &|_| None).expect("the built-in defaults are valid")
    }
}

/// Parses the text of a configuration file.
pub fn parse(text: &str, path: &Path) -> Result<RawConfig, ConfigError> {
    toml::from_str(text)
        .map_err(|source| ConfigError::Parse { path: path.to_owned(), source: Box::new(source) })
}

fn read_file(path: &Path) -> Result<RawConfig, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
    parse(&text, path)
}

fn invalid(field: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { field, reason: reason.into() }
}

fn check_database_url(url: String) -> Result<DatabaseUrl, ConfigError> {
    let url = DatabaseUrl::new(url);
    match url.scheme() {
        "sqlite" | "postgres" | "postgresql" => Ok(url),
        _ => Err(invalid("database.url", "must start with sqlite: or postgres:")),
    }
}

fn check_policy(raw: &RawConfig) -> Result<Policy, ConfigError> {
    let policy = &raw.policy;
    let timezone = Tz::from_str(&raw.timezone)
        .map_err(|_| invalid("timezone", format!("`{}` is not an IANA time zone", raw.timezone)))?;
    let default_lang = Lang::from_str(&raw.default_language)
        .map_err(|_| invalid("default_language", "must be fr or en"))?;
    if policy.max_duration_hours == 0 {
        return Err(invalid("policy.max_duration_hours", "must be at least 1"));
    }
    if policy.outings_per_elder_per_week == 0 {
        return Err(invalid("policy.outings_per_elder_per_week", "must be at least 1"));
    }
    if policy.claim_hold_minutes == 0 {
        return Err(invalid("policy.claim_hold_minutes", "must be at least 1"));
    }
    Ok(Policy {
        timezone,
        default_lang,
        max_duration_min: i64::from(policy.max_duration_hours) * 60,
        outings_per_elder_per_week: policy.outings_per_elder_per_week as usize,
        late_release_hours: i64::from(policy.late_release_hours),
        public_grid_m: positive("policy.public_grid_metres", policy.public_grid_metres)?,
        default_radius_km: positive("policy.default_radius_km", policy.default_radius_km)?,
        claim_hold_min: i64::from(policy.claim_hold_minutes),
        notes_per_week: i64::from(policy.notes_per_week),
        reminders: check_reminders(&raw.reminders)?,
        schedules: check_schedules(&raw.schedules)?,
        retention_days: i64::from(raw.privacy.contact_retention_days),
    })
}

/// An empty schedule turns its job off.
fn check_schedules(raw: &RawSchedules) -> Result<Schedules, ConfigError> {
    let fields = [
        (JobKind::MorningDigest, "schedules.morning_digest", &raw.morning_digest),
        (JobKind::Purge, "schedules.purge", &raw.purge),
        (JobKind::WeeklyDigest, "schedules.weekly_digest", &raw.weekly_digest),
        (JobKind::MonthlyThanks, "schedules.monthly_thanks", &raw.monthly_thanks),
        (JobKind::IdleCheckIn, "schedules.idle_check_in", &raw.idle_check_in),
        (JobKind::SecondOuting, "schedules.second_outing", &raw.second_outing),
    ];
    let mut schedules = Vec::new();
    for (kind, field, text) in fields {
        if text.trim().is_empty() {
            continue;
        }
        let cron = text.parse::<Cron>().map_err(|error| invalid(field, error.to_string()))?;
        schedules.push((kind, cron));
    }
    Ok(Schedules::new(schedules))
}

fn check_reminders(raw: &RawReminders) -> Result<Reminders, ConfigError> {
    let local = |field: &'static str, text: &str| {
        NaiveTime::parse_from_str(text, "%H:%M")
            .map_err(|_| invalid(field, format!("`{text}` is not a time of day (HH:MM)")))
    };
    if raw.report_nudge_hours >= raw.report_staff_hours {
        let reason = "must come before reminders.report_staff_hours";
        return Err(invalid("reminders.report_nudge_hours", reason));
    }
    let hours = |hours: u32| Duration::hours(i64::from(hours));
    Ok(Reminders {
        introduce_after: hours(raw.introduce_after_hours),
        day_before_at: local("reminders.day_before_at", &raw.day_before_at)?,
        morning_at: local("reminders.morning_at", &raw.morning_at)?,
        report_after: Duration::minutes(i64::from(raw.report_after_minutes)),
        report_nudge_after: hours(raw.report_nudge_hours),
        report_staff_after: hours(raw.report_staff_hours),
        repost_before: hours(raw.repost_hours),
        widen_before: hours(raw.widen_hours),
        staff_before: hours(raw.staff_hours),
        medical_lead: hours(raw.medical_lead_hours),
    })
}

// Written as `value > 0` so that a NaN, which TOML can spell, fails too.
fn check_geocoder(raw: &RawGeocoder) -> Result<Geocoder, ConfigError> {
    let base_url = url::Url::parse(&raw.base_url)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or_else(|| invalid("geocoder.base_url", "an http or https address is needed"))?;
    if raw.timeout_seconds == 0 {
        return Err(invalid("geocoder.timeout_seconds", "at least one second"));
    }
    if !(0.0..=1.0).contains(&raw.min_score) {
        return Err(invalid("geocoder.min_score", "a score between 0 and 1"));
    }
    Ok(Geocoder {
        enabled: raw.enabled,
        base_url,
        timeout: std::time::Duration::from_secs(u64::from(raw.timeout_seconds)),
        min_score: raw.min_score,
    })
}

fn positive(field: &'static str, value: f64) -> Result<f64, ConfigError> {
    if value > 0.0 { Ok(value) } else { Err(invalid(field, "must be above 0")) }
}

fn check_coordinators(accounts: &[String]) -> Result<Vec<AccountRef>, ConfigError> {
    let parse = |account: &String| {
        let (platform, user) = account.split_once(':').unwrap_or(("", ""));
        match (Platform::from_str(platform), user.trim()) {
            (Ok(platform), user) if !user.is_empty() => {
                Ok(AccountRef { platform, user: user.into() })
            }
            _ => Err(invalid(
                "coordinators",
                format!("`{account}` is not platform:user (console, telegram or matrix)"),
            )),
        }
    };
    accounts.iter().map(parse).collect()
}

fn check_telegram(
    raw: RawTelegram,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Telegram, ConfigError> {
    let token = secret("telegram.token_file", env(ENV_TELEGRAM_TOKEN), raw.token_file.as_deref())?
        .ok_or_else(|| {
            invalid("telegram", format!("no token: set {ENV_TELEGRAM_TOKEN} or token_file"))
        })?;
    let webhook = check_webhook(&raw, env)?;
    Ok(Telegram { token, api_url: raw.api_url, webhook })
}

fn check_webhook(
    raw: &RawTelegram,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Webhook>, ConfigError> {
    let (url, listen) = match (&raw.webhook_url, &raw.webhook_listen) {
        (None, None) => return Ok(None),
        (Some(url), Some(listen)) => (url.clone(), listen),
        _ => return Err(invalid("telegram", "webhook_url and webhook_listen go together")),
    };
    let listen = listen.parse().map_err(|_| {
        invalid("telegram.webhook_listen", format!("`{listen}` is not ADDRESS:PORT"))
    })?;
    // Telegram accepts 1 to 256 of these characters as a secret token.
    let valid = |secret: &str| {
        (1..=256).contains(&secret.len())
            && secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let secret = env(ENV_WEBHOOK_SECRET).filter(|secret| valid(secret)).ok_or_else(|| {
        invalid(
            "telegram",
            format!("webhook mode needs {ENV_WEBHOOK_SECRET} (letters, digits, _ or -)"),
        )
    })?;
    Ok(Some(Webhook { url, listen, secret: Secret::new(secret) }))
}

fn check_matrix(
    raw: RawMatrix,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Matrix, ConfigError> {
    let password =
        secret("matrix.password_file", env(ENV_MATRIX_PASSWORD), raw.password_file.as_deref())?;
    let token = env(ENV_MATRIX_ACCESS_TOKEN);
    let token = secret("matrix.access_token_file", token, raw.access_token_file.as_deref())?;
    let login = match (password, token) {
        (Some(password), _) => MatrixLogin::Password(password),
        (None, Some(token)) => MatrixLogin::AccessToken(token),
        (None, None) => {
            let reason = format!(
                "no password: set {ENV_MATRIX_PASSWORD} or password_file \
                 ({ENV_MATRIX_ACCESS_TOKEN} or access_token_file for a token)"
            );
            return Err(invalid("matrix", reason));
        }
    };
    let passphrase = env(ENV_MATRIX_STORE_PASSPHRASE);
    let store_passphrase =
        secret("matrix.store_passphrase_file", passphrase, raw.store_passphrase_file.as_deref())?
            .ok_or_else(|| {
            invalid(
                "matrix",
                format!(
                    "no store passphrase: set {ENV_MATRIX_STORE_PASSPHRASE} or \
                         store_passphrase_file"
                ),
            )
        })?;
    Ok(Matrix {
        homeserver: raw.homeserver,
        user: raw.user,
        login,
        data_dir: raw.data_dir,
        store_passphrase,
    })
}

/// A secret from the environment if set there, else from its file.
fn secret(
    field: &'static str,
    from_env: Option<String>,
    file: Option<&Path>,
) -> Result<Option<Secret>, ConfigError> {
    if let Some(value) = from_env {
        return Ok(Some(Secret::new(value)));
    }
    let Some(path) = file else { return Ok(None) };
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::SecretFile {
        field,
        path: path.to_owned(),
        source,
    })?;
    let value = text.trim();
    if value.is_empty() {
        return Err(invalid(field, format!("{} is empty", path.display())));
    }
    Ok(Some(Secret::new(value)))
}

#[cfg(test)]
mod tests;
