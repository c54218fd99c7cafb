//! Private notes about outings, who declined them, and the address
//! service's answers kept for reuse.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, query};

use crate::core::model::{OfferNo, PersonId};
use crate::core::store::{NoteHistory, StoreResult};

use super::codec::{RowExt, db, secs};

pub(super) async fn record(
    conn: &mut AnyConnection,
    offer: OfferNo,
    people: &[PersonId],
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = "INSERT INTO notes (offer, person_id, noted_at) VALUES ($1, $2, $3) \
               ON CONFLICT (offer, person_id) DO NOTHING";
    for person in people {
        query(sql)
            .bind(offer.0)
            .bind(person.0)
            .bind(secs(at))
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    Ok(())
}

pub(super) async fn noted(conn: &mut AnyConnection, offer: OfferNo) -> StoreResult<Vec<PersonId>> {
    let sql = "SELECT person_id FROM notes WHERE offer = $1 ORDER BY noted_at, person_id";
    let rows = query(sql).bind(offer.0).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(|row| Ok(PersonId(row.int("person_id")?))).collect()
}

pub(super) async fn history(
    conn: &mut AnyConnection,
    since: DateTime<Utc>,
) -> StoreResult<Vec<NoteHistory>> {
    let sql = "SELECT person_id, MAX(noted_at) AS last, \
                 CAST(SUM(CASE WHEN noted_at >= $1 THEN 1 ELSE 0 END) AS BIGINT) AS since \
               FROM notes GROUP BY person_id";
    let rows = query(sql).bind(secs(since)).fetch_all(conn).await.map_err(db)?;
    rows.iter()
        .map(|row| {
            Ok(NoteHistory {
                person: PersonId(row.int("person_id")?),
                last: row.time("last")?,
                since: row.int("since")?,
            })
        })
        .collect()
}

pub(super) async fn decline(
    conn: &mut AnyConnection,
    offer: OfferNo,
    person: PersonId,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let sql = "UPDATE notes SET declined_at = COALESCE(declined_at, $3) \
               WHERE offer = $1 AND person_id = $2";
    let done =
        query(sql).bind(offer.0).bind(person.0).bind(secs(at)).execute(conn).await.map_err(db)?;
    Ok(done.rows_affected() > 0)
}

pub(super) async fn declined(
    conn: &mut AnyConnection,
    person: PersonId,
) -> StoreResult<Vec<OfferNo>> {
    let sql = "SELECT offer FROM notes WHERE person_id = $1 AND declined_at IS NOT NULL \
               ORDER BY offer";
    let rows = query(sql).bind(person.0).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(|row| Ok(OfferNo(row.int("offer")?))).collect()
}

pub(super) async fn cached_geocode(
    conn: &mut AnyConnection,
    key: &str,
) -> StoreResult<Option<String>> {
    let sql = "SELECT answer FROM geocodes WHERE query = $1";
    let row = query(sql).bind(key).fetch_optional(conn).await.map_err(db)?;
    row.map(|row| row.text("answer")).transpose()
}

pub(super) async fn cache_geocode(
    conn: &mut AnyConnection,
    key: &str,
    answer: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = "INSERT INTO geocodes (query, answer, looked_up_at) VALUES ($1, $2, $3) \
               ON CONFLICT (query) DO UPDATE \
               SET answer = excluded.answer, looked_up_at = excluded.looked_up_at";
    query(sql).bind(key).bind(answer).bind(secs(at)).execute(conn).await.map_err(db)?;
    Ok(())
}

pub(super) async fn purge_geocodes(
    conn: &mut AnyConnection,
    before: DateTime<Utc>,
) -> StoreResult<u64> {
    let sql = "DELETE FROM geocodes WHERE looked_up_at < $1";
    let done = query(sql).bind(secs(before)).execute(conn).await.map_err(db)?;
    Ok(done.rows_affected())
}
