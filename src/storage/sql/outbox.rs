//! The durable outbox: effects written with the state change that caused
//! them, then delivered, retried or given up by the platform adapters.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, query};

use crate::core::effect::Effect;
use crate::core::model::Platform;
use crate::core::store::{OutboxItem, StoreResult};

use super::codec::{RowExt, db, json, secs};
use super::people::one_row;

/// Rows per INSERT, well under the bound-parameter limits of both
/// databases.
const ROWS_PER_INSERT: usize = 200;

/// Columns bound per effect.
const COLUMNS: usize = 5;

/// Writes the effects of one event in order, with one statement for all
/// of them: the event path then costs about as much for five effects as
/// for one.
pub(super) async fn enqueue(
    conn: &mut AnyConnection,
    effects: &[Effect],
    at: DateTime<Utc>,
) -> StoreResult<()> {
    enqueue_between(conn, effects, at, false, false).await
}

/// [`enqueue`], with SQLite's `BEGIN` before the first statement and its
/// `COMMIT` after the last when asked: each saves a round trip.
pub(super) async fn enqueue_between(
    conn: &mut AnyConnection,
    effects: &[Effect],
    at: DateTime<Utc>,
    begin: bool,
    commit: bool,
) -> StoreResult<()> {
    let chunks = effects.chunks(ROWS_PER_INSERT).count();
    for (index, chunk) in effects.chunks(ROWS_PER_INSERT).enumerate() {
        let mut sql = insert_sql(chunk.len());
        if begin && index == 0 {
            sql = format!("{}; {sql}", super::transaction::BEGIN);
        }
        if commit && index + 1 == chunks {
            sql.push_str("; COMMIT");
        }
        let mut query = query(AssertSqlSafe(sql));
        for effect in chunk {
            let chat = effect.chat();
            query = query
                .bind(chat.platform.as_str())
                .bind(lane(effect))
                .bind(post_key(effect))
                .bind(json(effect)?)
                .bind(secs(at));
        }
        query.execute(&mut *conn).await.map_err(db)?;
    }
    Ok(())
}

pub(super) async fn pending(
    conn: &mut AnyConnection,
    platform: Platform,
    limit: i64,
) -> StoreResult<Vec<OutboxItem>> {
    let sql = "SELECT id, payload, attempts FROM outbox \
               WHERE platform = $1 AND status = 'pending' ORDER BY id LIMIT $2";
    let query = query(sql).bind(platform.as_str()).bind(limit);
    let rows = query.fetch_all(conn).await.map_err(db)?;
    rows.iter().map(item_from_row).collect()
}

/// Marks the message sent and, for a keyed send, keeps the platform's id
/// of the post under its chat and key so that later effects can edit it.
pub(super) async fn delivered(
    conn: &mut AnyConnection,
    id: i64,
    message_id: Option<&str>,
) -> StoreResult<()> {
    let sql = "UPDATE outbox SET status = 'sent', message_id = $2 WHERE id = $1";
    let sent = query(sql).bind(id).bind(message_id).execute(&mut *conn).await.map_err(db)?;
    one_row(sent.rows_affected())?;
    if message_id.is_none() {
        return Ok(());
    }
    let sql = "INSERT INTO posts (platform, chat, post_key, message_id) \
               SELECT platform, chat, post_key, message_id FROM outbox \
               WHERE id = $1 AND post_key IS NOT NULL \
               ON CONFLICT (platform, chat, post_key) DO UPDATE \
               SET message_id = excluded.message_id";
    query(sql).bind(id).execute(conn).await.map_err(db)?;
    Ok(())
}

/// A failure counts as an attempt; a permanent one also ends the retries.
pub(super) async fn failed(
    conn: &mut AnyConnection,
    id: i64,
    error: &str,
    permanent: bool,
) -> StoreResult<()> {
    let sql = if permanent {
        "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $2 \
         WHERE id = $1"
    } else {
        "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1"
    };
    let done = query(sql).bind(id).bind(error).execute(conn).await.map_err(db)?;
    one_row(done.rows_affected())
}

/// `INSERT … VALUES ($1, …, $5), ($6, …, $10), …` for `rows` effects.
fn insert_sql(rows: usize) -> String {
    let mut sql =
        String::from("INSERT INTO outbox (platform, chat, post_key, payload, created_at) VALUES ");
    for row in 0..rows {
        let first = row * COLUMNS + 1;
        let placeholders: Vec<String> = (first..first + COLUMNS).map(|n| format!("${n}")).collect();
        let separator = if row == 0 { "" } else { ", " };
        sql.push_str(&format!("{separator}({})", placeholders.join(", ")));
    }
    sql
}

/// The queue an effect waits in, kept in the `chat` column: its chat's,
/// where order matters, except for the answer to a button press, which
/// has its own. An answer is due within seconds (Telegram stops waiting
/// for one after about fifteen), and in a group that has spent its
/// minute's sends it would otherwise wait behind the posts' edits.
fn lane(effect: &Effect) -> String {
    match effect {
        Effect::Answer { chat, event, .. } => format!("{}#answer:{event}", chat.id),
        _ => effect.chat().id.clone(),
    }
}

/// The key under which a send's message id is kept, if it has one.
fn post_key(effect: &Effect) -> Option<&str> {
    match effect {
        Effect::Send { message, .. } => message.key.as_deref(),
        _ => None,
    }
}

pub(super) fn item_from_row(row: &AnyRow) -> StoreResult<OutboxItem> {
    Ok(OutboxItem {
        id: row.int("id")?,
        effect: row.json("payload")?,
        attempts: row.int("attempts")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_on_across_rows() {
        assert!(insert_sql(1).ends_with("VALUES ($1, $2, $3, $4, $5)"));
        assert!(insert_sql(2).ends_with("VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)"));
    }
}
