//! Offers and the history of their status.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, query};

use crate::core::model::{ElderId, NewOffer, Offer, OfferNo, OfferStatus, PersonId};
use crate::core::store::{StatusChange, StoreResult, Transition};

use super::codec::{RowExt, db, flag, json, lat_lon, secs};
use super::people::one_row;

/// The columns of `offers` as `offer_from_row` reads them.
macro_rules! offer_columns {
    () => {
        "number, elder_id, kind, start_at, duration_min, destination, meeting_point, needs, \
         status, claimant, neighbourhood, public_lat, public_lon, target_groups, flagged, \
         created_by, created_at"
    };
}

/// Stores a new offer and the first row of its history.
pub(super) async fn insert_offer(
    conn: &mut AnyConnection,
    offer: &NewOffer,
    status: OfferStatus,
    at: DateTime<Utc>,
) -> StoreResult<Offer> {
    let sql = concat!(
        "INSERT INTO offers (elder_id, kind, start_at, duration_min, destination, \
         meeting_point, needs, status, neighbourhood, public_lat, public_lon, target_groups, \
         created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ",
        offer_columns!()
    );
    let row = query(sql)
        .bind(offer.elder.0)
        .bind(offer.kind.as_str())
        .bind(secs(offer.start))
        .bind(offer.duration_min)
        .bind(&offer.destination)
        .bind(offer.meeting_point.as_deref())
        .bind(json(&offer.needs)?)
        .bind(status.as_str())
        .bind(offer.neighbourhood.as_deref())
        .bind(offer.public_at.map(|at| at.lat))
        .bind(offer.public_at.map(|at| at.lon))
        .bind(json(&offer.target_groups)?)
        .bind(offer.created_by.0)
        .bind(secs(at))
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    let stored = offer_from_row(&row)?;
    record_change(conn, stored.number, None, status, offer.created_by, at).await?;
    Ok(stored)
}

pub(super) async fn offer(conn: &mut AnyConnection, number: OfferNo) -> StoreResult<Offer> {
    let sql = concat!("SELECT ", offer_columns!(), " FROM offers WHERE number = $1");
    let row = query(sql).bind(number.0).fetch_one(conn).await.map_err(db)?;
    offer_from_row(&row)
}

pub(super) async fn offers_of_elder(
    conn: &mut AnyConnection,
    elder: ElderId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<Offer>> {
    let sql = concat!(
        "SELECT ",
        offer_columns!(),
        " FROM offers WHERE elder_id = $1 AND start_at >= $2 AND start_at < $3 \
         AND status <> 'cancelled' ORDER BY start_at, number"
    );
    let query = query(sql).bind(elder.0).bind(secs(from)).bind(secs(to));
    let rows = query.fetch_all(conn).await.map_err(db)?;
    rows.iter().map(offer_from_row).collect()
}

pub(super) async fn open_offers(conn: &mut AnyConnection) -> StoreResult<Vec<Offer>> {
    let sql = concat!(
        "SELECT ",
        offer_columns!(),
        " FROM offers WHERE status = 'published' ORDER BY start_at, number"
    );
    let rows = query(sql).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(offer_from_row).collect()
}

pub(super) async fn claims_of(
    conn: &mut AnyConnection,
    person: PersonId,
) -> StoreResult<Vec<Offer>> {
    let sql = concat!(
        "SELECT ",
        offer_columns!(),
        " FROM offers WHERE claimant = $1 AND status IN ('claimed', 'confirmed') \
         ORDER BY start_at, number"
    );
    let rows = query(sql).bind(person.0).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(offer_from_row).collect()
}

/// The compare-and-set on the status: of many transactions trying the same
/// change, the first to update the row wins, and the others, once it has
/// committed, find the status moved on and change nothing. On PostgreSQL
/// they wait on the row lock and re-check the condition; on SQLite writers
/// take turns.
pub(super) async fn transition(conn: &mut AnyConnection, change: &Transition) -> StoreResult<bool> {
    let sql = "UPDATE offers SET status = $1, claimant = $2, held_by = NULL, held_until = NULL \
               WHERE number = $3 AND status = $4";
    let done = query(sql)
        .bind(change.to.as_str())
        .bind(change.claimant.map(|person| person.0))
        .bind(change.offer.0)
        .bind(change.from.as_str())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    record_change(conn, change.offer, Some(change.from), change.to, change.by, change.at).await?;
    Ok(true)
}

/// Like `transition`, a conditional update: of two volunteers asking at
/// once, the second finds the offer kept for the first.
pub(super) async fn hold(
    conn: &mut AnyConnection,
    number: OfferNo,
    person: PersonId,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<bool> {
    let sql = "UPDATE offers SET held_by = $2, held_until = $4 \
               WHERE number = $1 AND status = 'published' \
               AND (held_by IS NULL OR held_by = $2 OR held_until <= $3)";
    let done = query(sql)
        .bind(number.0)
        .bind(person.0)
        .bind(secs(now))
        .bind(secs(until))
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn holder(
    conn: &mut AnyConnection,
    number: OfferNo,
    now: DateTime<Utc>,
) -> StoreResult<Option<(PersonId, DateTime<Utc>)>> {
    let sql = "SELECT held_by, held_until FROM offers \
               WHERE number = $1 AND held_by IS NOT NULL AND held_until > $2";
    let row = query(sql).bind(number.0).bind(secs(now)).fetch_optional(conn).await.map_err(db)?;
    row.map(|row| Ok((PersonId(row.int("held_by")?), row.time("held_until")?))).transpose()
}

pub(super) async fn history(
    conn: &mut AnyConnection,
    number: OfferNo,
) -> StoreResult<Vec<StatusChange>> {
    let sql = "SELECT from_status, to_status, by_person, changed_at FROM offer_history \
               WHERE offer = $1 ORDER BY id";
    let rows = query(sql).bind(number.0).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(change_from_row).collect()
}

pub(super) async fn set_flagged(
    conn: &mut AnyConnection,
    number: OfferNo,
    flagged: bool,
) -> StoreResult<()> {
    let sql = "UPDATE offers SET flagged = $2 WHERE number = $1";
    let done = query(sql).bind(number.0).bind(flag(flagged)).execute(conn).await.map_err(db)?;
    one_row(done.rows_affected())
}

async fn record_change(
    conn: &mut AnyConnection,
    offer: OfferNo,
    from: Option<OfferStatus>,
    to: OfferStatus,
    by: PersonId,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = "INSERT INTO offer_history (offer, from_status, to_status, by_person, changed_at) \
               VALUES ($1, $2, $3, $4, $5)";
    query(sql)
        .bind(offer.0)
        .bind(from.map(OfferStatus::as_str))
        .bind(to.as_str())
        .bind(by.0)
        .bind(secs(at))
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

fn offer_from_row(row: &AnyRow) -> StoreResult<Offer> {
    Ok(Offer {
        number: OfferNo(row.int("number")?),
        elder: ElderId(row.int("elder_id")?),
        kind: row.parsed("kind")?,
        start: row.time("start_at")?,
        duration_min: row.int("duration_min")?,
        destination: row.text("destination")?,
        meeting_point: row.opt_text("meeting_point")?,
        needs: row.json("needs")?,
        status: row.parsed("status")?,
        claimant: row.opt_int("claimant")?.map(PersonId),
        neighbourhood: row.opt_text("neighbourhood")?,
        public_at: lat_lon(row.opt_float("public_lat")?, row.opt_float("public_lon")?),
        target_groups: row.json("target_groups")?,
        flagged: row.flag("flagged")?,
        created_by: PersonId(row.int("created_by")?),
        created_at: row.time("created_at")?,
    })
}

fn change_from_row(row: &AnyRow) -> StoreResult<StatusChange> {
    Ok(StatusChange {
        from: row.opt_parsed("from_status")?,
        to: row.parsed("to_status")?,
        by: PersonId(row.int("by_person")?),
        at: row.time("changed_at")?,
    })
}
