//! Connecting to PostgreSQL, for deployments that run several replicas.

use std::str::FromStr;

use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;

use super::StorageError;

pub(super) static MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

/// Enough for the event path, the outbox workers and the scheduler to run
/// side by side without holding many server processes.
const MAX_CONNECTIONS: u32 = 10;

pub(super) async fn pool(url: &str) -> Result<AnyPool, StorageError> {
    let options = AnyConnectOptions::from_str(url).map_err(StorageError::Connect)?;
    AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .connect_with(options)
        .await
        .map_err(StorageError::Connect)
}
