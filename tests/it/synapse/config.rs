//! The homeserver's configuration: one server on loopback, on SQLite, with
//! registration through a shared secret, rate limits out of the way, that reaches nothing
//! beyond this machine.
//!
//! The files are written as JSON, which Synapse's YAML reader takes as it
//! is.

use std::fs;
use std::path::{Path, PathBuf};

/// What registers users through the admin API: whoever knows it may.
pub const SHARED_SECRET: &str = "compagnie-tests";

use serde_json::{Map, Value, json};

/// Users are `@name:localhost`, whatever port the server has.
const SERVER_NAME: &str = "localhost";

/// How many messages an account may send: a second's worth, and a burst.
pub type MessageLimit = (f64, u32);

/// Writes the configuration into `dir`, beside the server's data, and
/// returns the path to give `-c`. Messages are limited only when asked.
pub fn write(dir: &Path, port: u16, messages: Option<MessageLimit>) -> PathBuf {
    let log_config = dir.join("log.yaml");
    fs::write(&log_config, logging(dir).to_string()).expect("Synapse's log configuration");
    let path = dir.join("homeserver.yaml");
    let mut config = homeserver(dir, port, &log_config);
    if let Some((per_second, burst_count)) = messages {
        config["rc_message"] = json!({ "per_second": per_second, "burst_count": burst_count });
    }
    fs::write(&path, config.to_string()).expect("Synapse's config");
    path
}

fn homeserver(dir: &Path, port: u16, log_config: &Path) -> Value {
    let mut config = json!({
        "server_name": SERVER_NAME,
        "public_baseurl": format!("http://127.0.0.1:{port}/"),
        "listeners": [{
            "port": port,
            "bind_addresses": ["127.0.0.1"],
            "type": "http",
            "tls": false,
            "x_forwarded": false,
            "resources": [{ "names": ["client"], "compress": false }],
        }],
        "database": { "name": "sqlite3", "args": { "database": dir.join("homeserver.db") } },
        "log_config": log_config,
        "media_store_path": dir.join("media"),
        // Synapse makes the key at its first start.
        "signing_key_path": dir.join("signing.key"),
        // Nobody registers but through the shared secret, as the tests do.
        "enable_registration": false,
        "registration_shared_secret": SHARED_SECRET,
        // No notary for other servers' keys, no federation with anyone, no
        // usage statistics, no fetching of links for previews.
        "trusted_key_servers": [],
        "federation_domain_whitelist": [],
        "report_stats": false,
        "url_preview_enabled": false,
    });
    config.as_object_mut().expect("an object").extend(rate_limits());
    config
}

/// Every client rate limit Synapse has, raised so that a test's burst of
/// registrations, logins, rooms and messages is never told to wait.
fn rate_limits() -> Map<String, Value> {
    let unlimited = json!({ "per_second": 1000, "burst_count": 1000 });
    let flat = [
        "rc_message",
        "rc_registration",
        "rc_registration_token_validity",
        "rc_joins_per_room",
        "rc_3pid_validation",
        "rc_third_party_invite",
        "rc_admin_redaction",
        "rc_room_creation",
        "rc_key_requests",
        "rc_media_create",
        "rc_delayed_event_mgmt",
        "rc_reports",
        "rc_user_directory",
        "rc_profile",
    ];
    let nested: [(&str, &[&str]); 4] = [
        ("rc_login", &["address", "account", "failed_attempts"]),
        ("rc_joins", &["local", "remote"]),
        ("rc_invites", &["per_room", "per_user", "per_issuer"]),
        ("rc_presence", &["per_user"]),
    ];
    let mut limits: Map<String, Value> =
        flat.iter().map(|name| (name.to_string(), unlimited.clone())).collect();
    for (name, parts) in nested {
        let each = parts.iter().map(|part| (part.to_string(), unlimited.clone())).collect();
        limits.insert(name.to_owned(), Value::Object(each));
    }
    limits
}

/// Warnings and errors only, into a file beside the database.
fn logging(dir: &Path) -> Value {
    json!({
        "version": 1,
        "formatters": { "plain": { "format": "%(asctime)s %(levelname)s %(name)s %(message)s" } },
        "handlers": {
            "file": {
                "class": "logging.FileHandler",
                "formatter": "plain",
                "filename": dir.join("homeserver.log"),
            },
        },
        "root": { "level": "WARNING", "handlers": ["file"] },
        "disable_existing_loggers": false,
    })
}
