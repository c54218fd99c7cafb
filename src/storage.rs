//! The store on SQLite or PostgreSQL, behind the core's [`Store`] trait.
//!
//! One implementation of the SQL ([`sql`]) serves both databases through
//! sqlx's `Any` driver: every query uses `$1` placeholders, which SQLite
//! accepts too, and only the types that driver carries on both sides
//! (64-bit integers, doubles, text). Times are unix seconds in UTC, flags
//! are 0 or 1, and lists, areas and effects are JSON text. What differs per
//! database lives in one small module each: how to connect, how a write
//! transaction begins, and the migrations (`migrations/<database>`), which
//! run at every connect.
//!
//! The backend is chosen from the URL's scheme: `sqlite:` (a file, created
//! if missing) or `postgres:` / `postgresql:`.

mod postgres;
mod sql;
mod sqlite;

use std::sync::Arc;

use crate::core::store::Store;

use self::sql::SqlStore;

/// Why the store could not be opened. Messages never repeat the URL: it
/// may hold a password.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("unsupported database url scheme `{0}`: use sqlite:, postgres: or postgresql:")]
    UnsupportedScheme(String),
    #[error("database url has no scheme: use sqlite:, postgres: or postgresql:")]
    NoScheme,
    #[error("cannot connect to the database")]
    Connect(#[source] sqlx::Error),
    #[error("cannot migrate the database")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// The databases the store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Reads the backend from the URL's scheme.
    fn of(url: &str) -> Result<Self, StorageError> {
        let Some((scheme, _)) = url.split_once(':') else {
            return Err(StorageError::NoScheme);
        };
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            // The scheme alone is safe to show; the rest may hold a password.
            other => Err(StorageError::UnsupportedScheme(other.to_owned())),
        }
    }
}

/// Opens the store at `url`, bringing its schema up to date first.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StorageError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of(url)?;
    let pool = match backend {
        Backend::Sqlite => sqlite::pool(url).await?,
        Backend::Postgres => postgres::pool(url).await?,
    };
    migrator(backend).run(&pool).await.map_err(StorageError::Migrate)?;
    Ok(Arc::new(SqlStore::new(pool, backend)))
}

/// Brings the schema at `url` up to date without keeping a store open.
pub async fn migrate(url: &str) -> Result<(), StorageError> {
    let store = connect(url).await?;
    drop(store);
    Ok(())
}

fn migrator(backend: Backend) -> &'static sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => &sqlite::MIGRATOR,
        Backend::Postgres => &postgres::MIGRATOR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_picks_the_backend() {
        assert_eq!(Backend::of("sqlite:data.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::of("sqlite://data.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::of("postgres://u@h/db").ok(), Some(Backend::Postgres));
        assert_eq!(Backend::of("postgresql://u@h/db").ok(), Some(Backend::Postgres));
    }

    #[test]
    fn unknown_scheme_names_the_ones_that_work_and_hides_the_rest() {
        let error = Backend::of("mysql://root:secret@host/db").err().map(|e| e.to_string());
        let error = error.unwrap_or_default();
        assert!(error.contains("`mysql`") && error.contains("sqlite:"), "{error}");
        assert!(!error.contains("secret"), "{error}");
        assert!(Backend::of("data.db").is_err());
    }
}
