// Test values use underscores: kebab-case literals under src/ are taken
// for Fluent message ids by the locale test.

use std::collections::HashMap;
use std::io::Write;

use super::*;

const EXAMPLE: &str = include_str!("../../bot-config/example.toml");

fn no_env(_: &str) -> Option<String> {
    None
}

fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let vars: HashMap<String, String> =
        vars.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect();
    move |name| vars.get(name).cloned()
}

fn from_text(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    Config::from_raw(parse(text, Path::new("test.toml"))?, env)
}

#[test]
fn raw_defaults_check_into_the_built_in_defaults() {
    assert_eq!(Config::from_raw(RawConfig::default(), &no_env).unwrap(), Config::default());
}

#[test]
fn example_file_parses_to_the_defaults() {
    let raw = parse(EXAMPLE, Path::new("example.toml")).unwrap();
    assert_eq!(raw, RawConfig::default());
    assert_eq!(Config::from_raw(raw, &no_env).unwrap(), Config::default());
}

#[test]
fn empty_file_gives_the_defaults() {
    assert_eq!(from_text("", &no_env).unwrap(), Config::default());
}

#[test]
fn file_overrides_defaults() {
    let text = "timezone = \"America/Montreal\"\ndefault_language = \"en\"\n\
                [policy]\nmax_duration_hours = 3\n";
    let config = from_text(text, &no_env).unwrap();
    assert_eq!(config.policy.timezone, chrono_tz::America::Montreal);
    assert_eq!(config.policy.default_lang, Lang::En);
    assert_eq!(config.policy.max_duration_min, 180);
    assert_eq!(config.policy.late_release_hours, 48, "untouched fields keep their default");
}

#[test]
fn environment_overrides_file() {
    let text = "[database]\nurl = \"sqlite://from_file.db\"\n";
    let from_file = from_text(text, &no_env).unwrap();
    assert_eq!(from_file.database_url.expose(), "sqlite://from_file.db");

    let env = env_of(&[(ENV_DATABASE_URL, "postgres://bot:pw@db/compagnie")]);
    let config = from_text(text, &env).unwrap();
    assert_eq!(config.database_url.expose(), "postgres://bot:pw@db/compagnie");
}

#[test]
fn empty_environment_variable_counts_as_unset() {
    let config = from_text("", &env_of(&[(ENV_DATABASE_URL, "")])).unwrap();
    assert_eq!(config.database_url, Config::default().database_url);
}

#[test]
fn unknown_field_is_refused_with_its_name() {
    let error = from_text("[policy]\nmax_duration = 4\n", &no_env).unwrap_err();
    let cause = std::error::Error::source(&error).unwrap().to_string();
    assert!(cause.contains("max_duration"), "{cause}");
}

#[test]
fn invalid_values_name_their_field() {
    let cases = [
        ("timezone = \"Mars/Olympus\"", "timezone"),
        ("default_language = \"de\"", "default_language"),
        ("coordinators = [\"claire\"]", "coordinators"),
        ("coordinators = [\"slack:claire\"]", "coordinators"),
        ("[database]\nurl = \"mysql://db\"", "database.url"),
        ("[policy]\nmax_duration_hours = 0", "policy.max_duration_hours"),
        ("[policy]\npublic_grid_metres = nan", "policy.public_grid_metres"),
        ("[policy]\ndefault_radius_km = -1", "policy.default_radius_km"),
    ];
    for (text, field) in cases {
        match from_text(text, &no_env) {
            Err(ConfigError::Invalid { field: named, .. }) => assert_eq!(named, field, "{text}"),
            other => panic!("{text}: expected an invalid {field}, got {other:?}"),
        }
    }
}

#[test]
fn coordinators_keep_matrix_ids_whole() {
    let config = from_text("coordinators = [\"matrix:@claire:example.org\"]", &no_env).unwrap();
    let expected = AccountRef { platform: Platform::Matrix, user: "@claire:example.org".into() };
    assert_eq!(config.coordinators, [expected]);
}

#[test]
fn telegram_token_comes_from_environment_before_file() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "from_file").unwrap();
    let text = format!("[telegram]\ntoken_file = {:?}\n", file.path());

    let config = from_text(&text, &no_env).unwrap();
    let telegram = config.telegram.unwrap();
    assert_eq!(telegram.token.expose(), "from_file");
    assert_eq!(telegram.api_url, "https://api.telegram.org");

    let env = env_of(&[(ENV_TELEGRAM_TOKEN, "from_env")]);
    let config = from_text(&text, &env).unwrap();
    assert_eq!(config.telegram.unwrap().token.expose(), "from_env");
}

#[test]
fn adapter_sections_without_secret_are_refused() {
    let telegram = from_text("[telegram]\n", &no_env).unwrap_err();
    assert!(telegram.to_string().contains(ENV_TELEGRAM_TOKEN), "{telegram}");

    let text = "[matrix]\nhomeserver = \"https://m.org\"\nuser = \"@bot:m.org\"\n";
    let matrix = from_text(text, &no_env).unwrap_err();
    assert!(matrix.to_string().contains(ENV_MATRIX_PASSWORD), "{matrix}");

    let no_passphrase = from_text(text, &env_of(&[(ENV_MATRIX_PASSWORD, "pw")])).unwrap_err();
    assert!(no_passphrase.to_string().contains(ENV_MATRIX_STORE_PASSPHRASE), "{no_passphrase}");

    let both = [(ENV_MATRIX_PASSWORD, "pw"), (ENV_MATRIX_STORE_PASSPHRASE, "pass")];
    let config = from_text(text, &env_of(&both)).unwrap();
    assert_eq!(config.adapters(), ["matrix"]);
    let matrix = config.matrix.unwrap();
    assert_eq!(matrix.data_dir, Path::new("data/matrix"));
    assert_eq!(matrix.login, MatrixLogin::Password(Secret::new("pw")));

    let token = [(ENV_MATRIX_ACCESS_TOKEN, "syt_x"), (ENV_MATRIX_STORE_PASSPHRASE, "pass")];
    let matrix = from_text(text, &env_of(&token)).unwrap().matrix.unwrap();
    assert_eq!(matrix.login, MatrixLogin::AccessToken(Secret::new("syt_x")));
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let env = env_of(&[
        (ENV_DATABASE_URL, "postgres://bot:db_secret@db/compagnie"),
        (ENV_TELEGRAM_TOKEN, "tg_secret"),
        (ENV_MATRIX_PASSWORD, "mx_secret"),
        (ENV_MATRIX_ACCESS_TOKEN, "mx_token"),
        (ENV_MATRIX_STORE_PASSPHRASE, "mx_passphrase"),
    ]);
    let text = "[telegram]\n[matrix]\nhomeserver = \"https://m.org\"\nuser = \"@bot:m.org\"\n";
    let shown = format!("{:?}", from_text(text, &env).unwrap());
    for secret in ["db_secret", "tg_secret", "mx_secret", "mx_token", "mx_passphrase"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}

#[test]
fn explicit_missing_file_is_an_error() {
    let missing = Path::new("bot-config/no-such-file.toml");
    let error = Config::load_with_env(Some(missing), &no_env).unwrap_err();
    assert!(matches!(error, ConfigError::Read { .. }), "{error}");
}

#[test]
fn explicit_file_is_read_and_remembered() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "default_language = \"en\"").unwrap();
    let config = Config::load_with_env(Some(file.path()), &no_env).unwrap();
    assert_eq!(config.policy.default_lang, Lang::En);
    assert_eq!(config.file.as_deref(), Some(file.path()));
}

#[test]
fn webhook_mode_needs_its_address_its_listener_and_a_secret() {
    let text = "[telegram]\nwebhook_url = \"https://bot.example.org/telegram\"\n\
                webhook_listen = \"0.0.0.0:8443\"\n";
    let token = (ENV_TELEGRAM_TOKEN, "123:abc");
    let vars = [token, (ENV_WEBHOOK_SECRET, "s3cret_token")];
    let env = env_of(&vars);
    let webhook = from_text(text, &env).unwrap().telegram.unwrap().webhook.unwrap();
    assert_eq!(webhook.listen.port(), 8443);
    assert_eq!(webhook.secret.expose(), "s3cret_token");

    let no_secret = from_text(text, &env_of(&[token])).unwrap_err();
    assert!(no_secret.to_string().contains(ENV_WEBHOOK_SECRET), "{no_secret}");
    let bad_vars = [token, (ENV_WEBHOOK_SECRET, "with spaces")];
    let bad_secret = env_of(&bad_vars);
    assert!(from_text(text, &bad_secret).is_err());
    let half = "[telegram]\nwebhook_url = \"https://bot.example.org/telegram\"\n";
    assert!(from_text(half, &env).is_err());
}
