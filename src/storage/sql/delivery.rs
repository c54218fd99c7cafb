//! Leased delivery (see `core::pace`): each round of a delivering process
//! is one transaction that reads the chats' first waiting messages and
//! the recent sends of every process, lets the platform's pace choose,
//! and leases and counts what it chose. Rounds of different processes
//! for one platform take turns: SQLite's writers do, and on PostgreSQL an
//! advisory lock per platform makes them.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, query};

use crate::core::pace::{Answered, Outcome, SendRecord, Take, Taken};
use crate::core::store::{OutboxItem, StoreError, StoreResult};

use super::codec::{RowExt, db};
use super::outbox;
use super::transaction::SqlTx;

/// Columns bound per counted send.
const SEND_COLUMNS: usize = 4;

pub(super) async fn take(tx: &mut SqlTx, take: &Take<'_>) -> StoreResult<Taken> {
    let platform = take.platform.as_str();
    if !tx.is_sqlite() {
        let lock = "SELECT pg_advisory_xact_lock(hashtext($1))";
        query(lock)
            .bind(format!("outbox:{platform}"))
            .execute(tx.conn().await?)
            .await
            .map_err(db)?;
    }
    let now = millis(take.now);
    let firsts = first_of_each_chat(tx.conn().await?, platform, take.batch).await?;
    let mut next = None;
    let mut waiting = Vec::new();
    for (item, leased_until, not_before) in firsts {
        // A message on its way holds its chat; its answer wakes the
        // process that sent it, and a lease that runs out frees it.
        if leased_until.is_some_and(|until| until > now) {
            continue;
        }
        match not_before {
            Some(after) if after > now => next = earliest(next, after),
            _ => waiting.push(item),
        }
    }
    if waiting.is_empty() {
        return taken(Vec::new(), next);
    }

    let since = now - take.pace.memory().num_milliseconds();
    let in_flight_since = now - take.lease.num_milliseconds();
    let recent = recent(tx.conn().await?, platform, since, in_flight_since).await?;
    let admission = take.pace.admit(&recent, &waiting, take.now);
    if let Some(at) = admission.next {
        next = earliest(next, millis(at));
    }
    let lease_until = millis(take.now + take.lease);
    let conn = tx.conn().await?;
    lease(conn, &admission.go, lease_until).await?;
    let counted: Vec<&OutboxItem> =
        waiting.iter().filter(|item| admission.go.contains(&(item.id, true))).collect();
    count(conn, platform, &counted, now).await?;
    let forget = "DELETE FROM sends WHERE platform = $1 AND left_ms < $2";
    let keep_since = since.min(in_flight_since);
    query(forget).bind(platform).bind(keep_since).execute(&mut *conn).await.map_err(db)?;

    let items = waiting.into_iter().filter(|item| gone(&admission.go, item.id)).collect();
    taken(items, next)
}

/// Ends a leased send in one transaction: the message's fate, and the
/// answer's time and weight for the limits.
pub(super) async fn settle(
    tx: &mut SqlTx,
    id: i64,
    outcome: Outcome<'_>,
    answered: Answered,
) -> StoreResult<()> {
    let conn = tx.conn().await?;
    match outcome {
        Outcome::Sent { message_id } => outbox::delivered(conn, id, message_id).await?,
        Outcome::GiveUp { error } => outbox::failed(conn, id, error, true).await?,
        Outcome::Retry { error, after, counted } => {
            let sql = "UPDATE outbox SET attempts = attempts + $4, last_error = $2, \
                       not_before = $3, leased_until = NULL WHERE id = $1";
            let retry =
                query(sql).bind(id).bind(error).bind(millis(after)).bind(i64::from(counted));
            retry.execute(&mut *conn).await.map_err(db)?;
        }
    }
    let sql = "UPDATE sends SET answered_ms = $2, weight = $3 \
               WHERE outbox_id = $1 AND answered_ms IS NULL";
    let answer = query(sql).bind(id).bind(millis(answered.at)).bind(answered.weight);
    answer.execute(conn).await.map_err(db)?;
    Ok(())
}

fn taken(items: Vec<OutboxItem>, next: Option<i64>) -> StoreResult<Taken> {
    Ok(Taken { items, next: next.map(from_millis).transpose()? })
}

/// The oldest pending message of each chat, with its lease and its wait,
/// oldest first.
async fn first_of_each_chat(
    conn: &mut AnyConnection,
    platform: &str,
    batch: i64,
) -> StoreResult<Vec<(OutboxItem, Option<i64>, Option<i64>)>> {
    let sql = "SELECT o.id, o.payload, o.attempts, o.leased_until, o.not_before FROM outbox o \
               WHERE o.platform = $1 AND o.status = 'pending' AND o.id = ( \
                   SELECT MIN(p.id) FROM outbox p \
                   WHERE p.platform = $1 AND p.chat = o.chat AND p.status = 'pending') \
               ORDER BY o.id LIMIT $2";
    let rows = query(sql).bind(platform).bind(batch).fetch_all(conn).await.map_err(db)?;
    rows.iter()
        .map(|row| {
            let item = outbox::item_from_row(row)?;
            Ok((item, row.opt_int("leased_until")?, row.opt_int("not_before")?))
        })
        .collect()
}

/// Sends answered since `since`, and those on their way that left since
/// `in_flight_since` (older ones belong to a process that died).
async fn recent(
    conn: &mut AnyConnection,
    platform: &str,
    since: i64,
    in_flight_since: i64,
) -> StoreResult<Vec<SendRecord>> {
    let sql = "SELECT chat, left_ms, answered_ms, weight FROM sends WHERE platform = $1 \
               AND (answered_ms > $2 OR (answered_ms IS NULL AND left_ms > $3))";
    let query = query(sql).bind(platform).bind(since).bind(in_flight_since);
    let rows = query.fetch_all(conn).await.map_err(db)?;
    rows.iter().map(record_from_row).collect()
}

async fn lease(conn: &mut AnyConnection, go: &[(i64, bool)], until: i64) -> StoreResult<()> {
    if go.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (2..go.len() + 2).map(|n| format!("${n}")).collect();
    let sql =
        format!("UPDATE outbox SET leased_until = $1 WHERE id IN ({})", placeholders.join(", "));
    let mut query = query(AssertSqlSafe(sql)).bind(until);
    for (id, _) in go {
        query = query.bind(*id);
    }
    query.execute(conn).await.map_err(db)?;
    Ok(())
}

async fn count(
    conn: &mut AnyConnection,
    platform: &str,
    items: &[&OutboxItem],
    now: i64,
) -> StoreResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let rows: Vec<String> = (0..items.len())
        .map(|row| {
            let first = row * SEND_COLUMNS + 1;
            let numbers: Vec<String> =
                (first..first + SEND_COLUMNS).map(|n| format!("${n}")).collect();
            format!("({})", numbers.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO sends (platform, chat, outbox_id, left_ms) VALUES {}",
        rows.join(", ")
    );
    let mut query = query(AssertSqlSafe(sql));
    for item in items {
        query = query.bind(platform).bind(item.effect.chat().id.as_str()).bind(item.id).bind(now);
    }
    query.execute(conn).await.map_err(db)?;
    Ok(())
}

fn gone(go: &[(i64, bool)], id: i64) -> bool {
    go.iter().any(|(chosen, _)| *chosen == id)
}

fn earliest(current: Option<i64>, at: i64) -> Option<i64> {
    Some(current.map_or(at, |current| current.min(at)))
}

fn record_from_row(row: &AnyRow) -> StoreResult<SendRecord> {
    Ok(SendRecord {
        chat: row.text("chat")?,
        left: from_millis(row.int("left_ms")?)?,
        answered: row.opt_int("answered_ms")?.map(from_millis).transpose()?,
        weight: row.int("weight")?,
    })
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn from_millis(ms: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Corrupt(format!("time {ms} ms is out of range")))
}
