//! Transactions. PostgreSQL's are sqlx's own. SQLite's are run by hand,
//! because every statement is a round trip to the thread sqlx keeps for
//! each SQLite connection, and those round trips, not the statements, set
//! the pace of an event: the `BEGIN` travels with an event's first
//! statement and the `COMMIT` with its last.

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::OwnedSemaphorePermit;

use crate::core::store::{StoreError, StoreResult};

use super::codec::db;

/// Opens an SQLite write transaction. It takes the write lock at once: a
/// deferred transaction that reads first and writes later can fail with
/// SQLITE_BUSY when another writer got in between, whatever the timeout.
pub(super) const BEGIN: &str = "BEGIN IMMEDIATE";

/// One transaction on a connection of the pool. Dropping it rolls back.
pub(super) struct SqlTx {
    handle: Handle,
    /// This writer's turn on SQLite, held until the transaction has ended.
    turn: Option<OwnedSemaphorePermit>,
}

enum Handle {
    /// `None` once committed.
    Postgres(Option<Transaction<'static, Any>>),
    Sqlite {
        conn: Option<PoolConnection<Any>>,
        state: State,
    },
}

/// Where an SQLite transaction stands. `Open` is set before the statement
/// that begins it is sent, so that a failure anywhere after leads to a
/// rollback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    NotBegun,
    Open,
    Ended,
}

impl SqlTx {
    pub(super) async fn postgres(pool: &AnyPool) -> StoreResult<Self> {
        let tx = pool.begin().await.map_err(db)?;
        Ok(Self { handle: Handle::Postgres(Some(tx)), turn: None })
    }

    /// An SQLite transaction, begun by its first statement.
    pub(super) async fn sqlite(pool: &AnyPool, turn: OwnedSemaphorePermit) -> StoreResult<Self> {
        let conn = pool.acquire().await.map_err(db)?;
        let handle = Handle::Sqlite { conn: Some(conn), state: State::NotBegun };
        Ok(Self { handle, turn: Some(turn) })
    }

    pub(super) fn is_sqlite(&self) -> bool {
        matches!(self.handle, Handle::Sqlite { .. })
    }

    /// The connection, inside the transaction.
    pub(super) async fn conn(&mut self) -> StoreResult<&mut AnyConnection> {
        let (conn, begin) = self.first_statement()?;
        if begin {
            (&mut *conn).execute(BEGIN).await.map_err(db)?;
        }
        Ok(conn)
    }

    /// The connection, and whether the next statement must begin the
    /// transaction (SQLite only: it is then sent as `BEGIN IMMEDIATE; …`).
    pub(super) fn first_statement(&mut self) -> StoreResult<(&mut AnyConnection, bool)> {
        match &mut self.handle {
            Handle::Postgres(tx) => Ok((tx.as_deref_mut().ok_or_else(ended)?, false)),
            Handle::Sqlite { conn, state } => {
                let begin = *state == State::NotBegun;
                if *state == State::Ended {
                    return Err(ended());
                }
                *state = State::Open;
                Ok((conn.as_deref_mut().ok_or_else(ended)?, begin))
            }
        }
    }

    pub(super) async fn commit(mut self) -> StoreResult<()> {
        match &mut self.handle {
            Handle::Postgres(tx) => tx.take().ok_or_else(ended)?.commit().await.map_err(db),
            Handle::Sqlite { state: State::NotBegun, .. } => self.ended_sqlite(),
            Handle::Sqlite { conn, .. } => {
                conn.as_deref_mut().ok_or_else(ended)?.execute("COMMIT").await.map_err(db)?;
                self.ended_sqlite()
            }
        }
    }

    /// Marks an SQLite transaction ended by a statement that carried its
    /// `COMMIT`.
    pub(super) fn ended_sqlite(&mut self) -> StoreResult<()> {
        if let Handle::Sqlite { state, .. } = &mut self.handle {
            *state = State::Ended;
        }
        Ok(())
    }
}

fn ended() -> StoreError {
    StoreError::Backend("the transaction has already ended".into())
}

impl Drop for SqlTx {
    fn drop(&mut self) {
        let Handle::Sqlite { conn, state: State::Open } = &mut self.handle else { return };
        if let Some(conn) = conn.take() {
            roll_back(conn, self.turn.take());
        }
    }
}

/// Rolls back an SQLite transaction left open, then gives up the writer's
/// turn, so that the next writer starts after it. A connection that cannot
/// roll back is closed, which rolls back too.
fn roll_back(mut conn: PoolConnection<Any>, turn: Option<OwnedSemaphorePermit>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        drop(conn.detach());
        return;
    };
    runtime.spawn(async move {
        if conn.execute("ROLLBACK").await.is_err() {
            drop(conn.detach());
        }
        drop(turn);
    });
}
