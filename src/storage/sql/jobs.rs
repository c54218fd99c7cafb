//! Scheduled jobs. Due jobs are found through the partial index on
//! pending jobs' due times, so a large backlog of later jobs costs the
//! search nothing. On PostgreSQL processes taking jobs at once skip the
//! rows another has locked; on SQLite the writer's lock makes them take
//! turns.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, query};

use crate::core::job::{Job, JobId, JobKind, JobRecord, NewJob};
use crate::core::model::OfferNo;
use crate::core::store::StoreResult;

use super::codec::{RowExt, db, secs};
use super::transaction::SqlTx;

/// Rows per INSERT, well under the bound-parameter limits of both
/// databases.
const ROWS_PER_INSERT: usize = 200;

const COLUMNS: &str = "id, kind, offer_number, due_at, attempts";

pub(super) async fn schedule(
    conn: &mut AnyConnection,
    jobs: &[NewJob],
    at: DateTime<Utc>,
) -> StoreResult<()> {
    for chunk in jobs.chunks(ROWS_PER_INSERT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|row| {
                format!("(${}, ${}, ${}, ${})", row * 4 + 1, row * 4 + 2, row * 4 + 3, row * 4 + 4)
            })
            .collect();
        let sql = format!(
            "INSERT INTO jobs (kind, offer_number, due_at, created_at) VALUES {}",
            rows.join(", ")
        );
        let mut insert = query(AssertSqlSafe(sql));
        for job in chunk {
            insert = insert
                .bind(job.kind.as_str())
                .bind(job.offer.map(|offer| offer.0))
                .bind(secs(job.due))
                .bind(secs(at));
        }
        insert.execute(&mut *conn).await.map_err(db)?;
    }
    Ok(())
}

/// Relies on the unique index on pending recurring jobs: a second
/// planner, in this process or another, changes nothing.
pub(super) async fn plan_recurring(
    conn: &mut AnyConnection,
    job: &NewJob,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = "INSERT INTO jobs (kind, offer_number, due_at, created_at) VALUES ($1, NULL, $2, $3) \
               ON CONFLICT (kind) WHERE status = 'pending' AND offer_number IS NULL DO NOTHING";
    let insert = query(sql).bind(job.kind.as_str()).bind(secs(job.due)).bind(secs(at));
    insert.execute(conn).await.map_err(db)?;
    Ok(())
}

pub(super) async fn cancel_recurring(conn: &mut AnyConnection, kind: JobKind) -> StoreResult<()> {
    let sql = "UPDATE jobs SET status = 'cancelled' \
               WHERE kind = $1 AND offer_number IS NULL AND status = 'pending'";
    query(sql).bind(kind.as_str()).execute(conn).await.map_err(db)?;
    Ok(())
}

pub(super) async fn cancel(
    conn: &mut AnyConnection,
    offer: OfferNo,
    kinds: &[JobKind],
) -> StoreResult<()> {
    let placeholders: Vec<String> = (0..kinds.len()).map(|n| format!("${}", n + 2)).collect();
    let sql = format!(
        "UPDATE jobs SET status = 'cancelled', leased_until = NULL \
         WHERE offer_number = $1 AND status = 'pending' AND kind IN ({})",
        placeholders.join(", ")
    );
    let mut update = query(AssertSqlSafe(sql)).bind(offer.0);
    for kind in kinds {
        update = update.bind(kind.as_str());
    }
    update.execute(conn).await.map_err(db)?;
    Ok(())
}

pub(super) async fn complete(
    conn: &mut AnyConnection,
    id: JobId,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let sql = "UPDATE jobs SET status = 'done', done_at = $2, leased_until = NULL \
               WHERE id = $1 AND status = 'pending'";
    let done = query(sql).bind(id.0).bind(secs(at)).execute(conn).await.map_err(db)?;
    Ok(done.rows_affected() == 1)
}

/// Leases due jobs in one statement: the inner query finds them through
/// the index, and on PostgreSQL passes over rows another process is
/// leasing at this moment rather than waiting for it.
pub(super) async fn take(
    tx: &mut SqlTx,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> StoreResult<Vec<Job>> {
    let skip_locked = if tx.is_sqlite() { "" } else { "FOR UPDATE SKIP LOCKED" };
    let sql = format!(
        "UPDATE jobs SET leased_until = $1 WHERE id IN ( \
             SELECT id FROM jobs WHERE status = 'pending' AND due_at <= $2 \
             AND (leased_until IS NULL OR leased_until <= $2) \
             ORDER BY due_at LIMIT $3 {skip_locked}) \
         RETURNING {COLUMNS}"
    );
    let take = query(AssertSqlSafe(sql)).bind(secs(lease_until)).bind(secs(now)).bind(limit);
    let rows = take.fetch_all(tx.conn().await?).await.map_err(db)?;
    let mut jobs: Vec<Job> = rows.iter().map(job_from_row).collect::<StoreResult<_>>()?;
    jobs.sort_by_key(|job| (job.due, job.id.0));
    Ok(jobs)
}

pub(super) async fn next_due(conn: &mut AnyConnection) -> StoreResult<Option<DateTime<Utc>>> {
    let sql = "SELECT MIN(due_at) AS due FROM jobs WHERE status = 'pending'";
    let row = query(sql).fetch_one(conn).await.map_err(db)?;
    row.opt_time("due")
}

pub(super) async fn failed(
    conn: &mut AnyConnection,
    id: JobId,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    let sql = match retry_at {
        Some(_) => {
            "UPDATE jobs SET attempts = attempts + 1, last_error = $2, due_at = $3, \
             leased_until = NULL WHERE id = $1 AND status = 'pending'"
        }
        None => {
            "UPDATE jobs SET attempts = attempts + 1, last_error = $2, status = 'failed', \
             leased_until = NULL WHERE id = $1 AND status = 'pending'"
        }
    };
    let mut update = query(sql).bind(id.0).bind(error);
    if let Some(at) = retry_at {
        update = update.bind(secs(at));
    }
    update.execute(conn).await.map_err(db)?;
    Ok(())
}

pub(super) async fn list(conn: &mut AnyConnection, limit: i64) -> StoreResult<Vec<JobRecord>> {
    let sql = format!(
        "SELECT {COLUMNS}, status, last_error FROM jobs \
         WHERE status IN ('pending', 'failed') ORDER BY due_at, id LIMIT $1"
    );
    let rows = query(AssertSqlSafe(sql)).bind(limit).fetch_all(conn).await.map_err(db)?;
    rows.iter()
        .map(|row| {
            Ok(JobRecord {
                job: job_from_row(row)?,
                status: row.text("status")?,
                last_error: row.opt_text("last_error")?,
            })
        })
        .collect()
}

fn job_from_row(row: &AnyRow) -> StoreResult<Job> {
    Ok(Job {
        id: JobId(row.int("id")?),
        kind: row.parsed("kind")?,
        offer: row.opt_int("offer_number")?.map(OfferNo),
        due: row.time("due_at")?,
        attempts: row.int("attempts")?,
    })
}
