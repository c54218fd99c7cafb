//! Connecting to SQLite: one file, nothing to install.

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Executor};

use super::StorageError;

pub(super) static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

/// A few connections let readers (the outbox workers) go on while one
/// transaction writes; SQLite takes one writer at a time anyway.
const MAX_CONNECTIONS: u32 = 4;

/// Set on every new connection. The busy timeout comes first so that the
/// others wait for a lock rather than fail. WAL lets readers run beside the
/// writer, and NORMAL synchronisation is safe with WAL: a power cut may
/// lose the last transactions, never corrupt the file.
const PRAGMAS: &str = "PRAGMA busy_timeout = 5000; \
    PRAGMA journal_mode = WAL; \
    PRAGMA synchronous = NORMAL; \
    PRAGMA foreign_keys = ON;";

pub(super) async fn pool(url: &str) -> Result<AnyPool, StorageError> {
    let options =
        AnyConnectOptions::from_str(&create_if_missing(url)).map_err(StorageError::Connect)?;
    AnyPoolOptions::new()
        .max_connections(max_connections(url))
        .after_connect(|conn, _| Box::pin(set_pragmas(conn)))
        .connect_with(options)
        .await
        .map_err(StorageError::Connect)
}

async fn set_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    conn.execute(PRAGMAS).await.map(drop)
}

/// Asks SQLite to create the file unless the URL chose another mode.
fn create_if_missing(url: &str) -> String {
    if url.contains("mode=") || is_memory(url) {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}mode=rwc")
}

/// An in-memory database lives in one connection: a second one would see
/// another, empty database.
fn max_connections(url: &str) -> u32 {
    if is_memory(url) { 1 } else { MAX_CONNECTIONS }
}

fn is_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_created_unless_the_url_says_otherwise() {
        assert_eq!(create_if_missing("sqlite:data.db"), "sqlite:data.db?mode=rwc");
        assert_eq!(
            create_if_missing("sqlite:a.db?cache=shared"),
            "sqlite:a.db?cache=shared&mode=rwc"
        );
        assert_eq!(create_if_missing("sqlite:a.db?mode=ro"), "sqlite:a.db?mode=ro");
        assert_eq!(create_if_missing("sqlite::memory:"), "sqlite::memory:");
    }
}
