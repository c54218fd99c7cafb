//! What is written down along the way: handled events, reports, feedback,
//! alerts and referrals, dialogue states and the audit log.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, query};

use crate::core::model::{
    Alert, AlertId, ElderId, Feedback, OfferNo, PersonId, Platform, Referral, Report,
};
use crate::core::store::{DialogueKey, StoreError, StoreResult, VolunteerRecord, Waiting};

use super::codec::{RowExt, db, flag, json, secs};

/// True the first time an event is seen. A replayed event hits the
/// primary key and changes nothing.
pub(super) async fn record_event(
    conn: &mut AnyConnection,
    platform: Platform,
    id: &str,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let sql = "INSERT INTO inbox (platform, event_id, received_at) VALUES ($1, $2, $3) \
               ON CONFLICT (platform, event_id) DO NOTHING";
    let query = query(sql).bind(platform.as_str()).bind(id).bind(secs(at));
    let done = query.execute(conn).await.map_err(db)?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn insert_report(conn: &mut AnyConnection, report: &Report) -> StoreResult<()> {
    let sql = "INSERT INTO reports (offer, person_id, outcome, duration_min, rating, \
               entered_home, concerns, note, reported_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    query(sql)
        .bind(report.offer.0)
        .bind(report.person.0)
        .bind(report.outcome.as_str())
        .bind(report.duration_min)
        .bind(report.rating.map(i64::from))
        .bind(flag(report.entered_home))
        .bind(json(&report.concerns)?)
        .bind(report.note.as_deref())
        .bind(secs(report.at))
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

pub(super) async fn report(
    conn: &mut AnyConnection,
    number: OfferNo,
) -> StoreResult<Option<Report>> {
    let sql = "SELECT offer, person_id, outcome, duration_min, rating, entered_home, concerns, \
               note, reported_at FROM reports WHERE offer = $1";
    let row = query(sql).bind(number.0).fetch_optional(conn).await.map_err(db)?;
    row.as_ref().map(report_from_row).transpose()
}

pub(super) async fn reports_by(
    conn: &mut AnyConnection,
    person: PersonId,
) -> StoreResult<Vec<Report>> {
    let sql = "SELECT offer, person_id, outcome, duration_min, rating, entered_home, concerns, \
               note, reported_at FROM reports WHERE person_id = $1 ORDER BY reported_at, offer";
    let rows = query(sql).bind(person.0).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(report_from_row).collect()
}

pub(super) async fn insert_feedback(
    conn: &mut AnyConnection,
    feedback: &Feedback,
) -> StoreResult<()> {
    let sql = "INSERT INTO feedback (offer, by_person, outcome, rating, note, recorded_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    query(sql)
        .bind(feedback.offer.0)
        .bind(feedback.by.0)
        .bind(feedback.outcome.as_str())
        .bind(feedback.rating.map(i64::from))
        .bind(feedback.note.as_deref())
        .bind(secs(feedback.at))
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

pub(super) async fn feedback(
    conn: &mut AnyConnection,
    number: OfferNo,
) -> StoreResult<Option<Feedback>> {
    let sql = "SELECT offer, by_person, outcome, rating, note, recorded_at FROM feedback \
               WHERE offer = $1";
    let row = query(sql).bind(number.0).fetch_optional(conn).await.map_err(db)?;
    row.as_ref().map(feedback_from_row).transpose()
}

/// The store numbers the alert: the id in `alert` is ignored.
pub(super) async fn insert_alert(conn: &mut AnyConnection, alert: &Alert) -> StoreResult<AlertId> {
    let sql = "INSERT INTO alerts (offer, elder_id, raised_by, concerns, note, referred, \
               raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let row = query(sql)
        .bind(alert.offer.0)
        .bind(alert.elder.0)
        .bind(alert.raised_by.0)
        .bind(json(&alert.concerns)?)
        .bind(alert.note.as_deref())
        .bind(flag(alert.referred))
        .bind(secs(alert.at))
        .fetch_one(conn)
        .await
        .map_err(db)?;
    Ok(AlertId(row.int("id")?))
}

pub(super) async fn alert(conn: &mut AnyConnection, id: AlertId) -> StoreResult<Alert> {
    let sql = "SELECT id, offer, elder_id, raised_by, concerns, note, referred, raised_at \
               FROM alerts WHERE id = $1";
    let row = query(sql).bind(id.0).fetch_one(conn).await.map_err(db)?;
    alert_from_row(&row)
}

/// Records the referral and marks its alert as referred.
pub(super) async fn insert_referral(
    conn: &mut AnyConnection,
    referral: &Referral,
) -> StoreResult<()> {
    let sql = "INSERT INTO referrals (alert, service, elder_agreed, by_person, referred_at) \
               VALUES ($1, $2, $3, $4, $5)";
    query(sql)
        .bind(referral.alert.0)
        .bind(&referral.service)
        .bind(flag(referral.elder_agreed))
        .bind(referral.by.0)
        .bind(secs(referral.at))
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    let sql = "UPDATE alerts SET referred = 1 WHERE id = $1";
    query(sql).bind(referral.alert.0).execute(conn).await.map_err(db)?;
    Ok(())
}

pub(super) async fn dialogue(
    conn: &mut AnyConnection,
    key: &DialogueKey,
) -> StoreResult<Option<String>> {
    let sql = "SELECT state FROM dialogues WHERE platform = $1 AND chat = $2 AND person_id = $3";
    let query = query(sql).bind(key.chat.platform.as_str()).bind(&key.chat.id).bind(key.person.0);
    let row = query.fetch_optional(conn).await.map_err(db)?;
    row.map(|row| row.text("state")).transpose()
}

/// Saves a dialogue's state, or forgets the dialogue when `state` is None.
/// The update time is the machine's: it only helps an operator spot
/// abandoned dialogues.
pub(super) async fn set_dialogue(
    conn: &mut AnyConnection,
    key: &DialogueKey,
    state: Option<&str>,
) -> StoreResult<()> {
    let Some(state) = state else {
        let sql = "DELETE FROM dialogues WHERE platform = $1 AND chat = $2 AND person_id = $3";
        let query = query(sql).bind(key.chat.platform.as_str()).bind(&key.chat.id);
        query.bind(key.person.0).execute(conn).await.map_err(db)?;
        return Ok(());
    };
    let sql = "INSERT INTO dialogues (platform, chat, person_id, state, updated_at) \
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform, chat, person_id) \
               DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at";
    query(sql)
        .bind(key.chat.platform.as_str())
        .bind(&key.chat.id)
        .bind(key.person.0)
        .bind(state)
        .bind(secs(Utc::now()))
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

pub(super) async fn audit(
    conn: &mut AnyConnection,
    actor: PersonId,
    action: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = "INSERT INTO audit_log (actor, action, detail, logged_at) VALUES ($1, $2, $3, $4)";
    let query = query(sql).bind(actor.0).bind(action).bind(detail).bind(secs(at));
    query.execute(conn).await.map_err(db)?;
    Ok(())
}

fn report_from_row(row: &AnyRow) -> StoreResult<Report> {
    Ok(Report {
        offer: OfferNo(row.int("offer")?),
        person: PersonId(row.int("person_id")?),
        outcome: row.parsed("outcome")?,
        duration_min: row.opt_int("duration_min")?,
        rating: rating(row.opt_int("rating")?)?,
        entered_home: row.flag("entered_home")?,
        concerns: row.json("concerns")?,
        note: row.opt_text("note")?,
        at: row.time("reported_at")?,
    })
}

fn feedback_from_row(row: &AnyRow) -> StoreResult<Feedback> {
    Ok(Feedback {
        offer: OfferNo(row.int("offer")?),
        by: PersonId(row.int("by_person")?),
        outcome: row.parsed("outcome")?,
        rating: rating(row.opt_int("rating")?)?,
        note: row.opt_text("note")?,
        at: row.time("recorded_at")?,
    })
}

fn alert_from_row(row: &AnyRow) -> StoreResult<Alert> {
    Ok(Alert {
        id: AlertId(row.int("id")?),
        offer: OfferNo(row.int("offer")?),
        elder: ElderId(row.int("elder_id")?),
        raised_by: PersonId(row.int("raised_by")?),
        concerns: row.json("concerns")?,
        note: row.opt_text("note")?,
        referred: row.flag("referred")?,
        at: row.time("raised_at")?,
    })
}

fn rating(stored: Option<i64>) -> StoreResult<Option<u8>> {
    let corrupt = |value| StoreError::Corrupt(format!("rating {value} is out of range"));
    stored.map(|value| u8::try_from(value).map_err(|_| corrupt(value))).transpose()
}

/// Held outings whose expected end is past and whose report is missing,
/// and alerts not referred yet.
pub(super) async fn waiting(conn: &mut AnyConnection, now: DateTime<Utc>) -> StoreResult<Waiting> {
    let sql = "SELECT \
                 (SELECT COUNT(*) FROM offers o WHERE o.status IN ('claimed', 'confirmed') \
                    AND o.start_at + o.duration_min * 60 < $1 \
                    AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.offer = o.number)) AS reports, \
                 (SELECT COUNT(*) FROM alerts WHERE referred = 0) AS alerts";
    let row = query(sql).bind(secs(now)).fetch_one(conn).await.map_err(db)?;
    Ok(Waiting { reports_missing: row.int("reports")?, open_alerts: row.int("alerts")? })
}

pub(super) async fn purge_outbox(
    conn: &mut AnyConnection,
    before: DateTime<Utc>,
) -> StoreResult<u64> {
    let sql = "DELETE FROM outbox WHERE status <> 'pending' AND created_at < $1";
    let done = query(sql).bind(secs(before)).execute(conn).await.map_err(db)?;
    Ok(done.rows_affected())
}

pub(super) async fn volunteer_records(
    conn: &mut AnyConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<VolunteerRecord>> {
    let sql = "SELECT p.id AS person, p.paused_until AS paused_until, \
                 CAST(SUM(CASE WHEN o.status = 'done' AND o.start_at >= $1 AND o.start_at < $2 \
                          THEN 1 ELSE 0 END) AS BIGINT) AS done_in_period, \
                 CAST(SUM(CASE WHEN o.status = 'done' THEN 1 ELSE 0 END) AS BIGINT) AS done, \
                 MAX(CASE WHEN o.status = 'done' THEN o.start_at END) AS last_done, \
                 CAST(SUM(CASE WHEN o.status IN ('claimed', 'confirmed') THEN 1 ELSE 0 END) \
                      AS BIGINT) AS held \
               FROM persons p JOIN offers o ON o.claimant = p.id \
               WHERE p.verified = 1 \
               GROUP BY p.id, p.paused_until ORDER BY p.id";
    let rows = query(sql).bind(secs(from)).bind(secs(to)).fetch_all(conn).await.map_err(db)?;
    rows.iter()
        .map(|row| {
            Ok(VolunteerRecord {
                person: PersonId(row.int("person")?),
                done_in_period: row.int("done_in_period")?,
                done: row.int("done")?,
                last_done: row.opt_time("last_done")?,
                held: row.int("held")?,
                paused_until: row.opt_parsed("paused_until")?,
            })
        })
        .collect()
}
