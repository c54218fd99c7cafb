//! The figures ambassadors and coordinators ask for.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyConnection, AssertSqlSafe, query};

use crate::core::model::{Area, Figures};
use crate::core::store::StoreResult;

use super::codec::{RowExt, db, secs};

/// How far back an outing keeps its volunteer active.
const ACTIVE_BEFORE: Duration = Duration::days(30);

/// How far ahead a claimed outing already makes its volunteer active.
const ACTIVE_AFTER: Duration = Duration::days(60);

/// Figures over the offers of some neighbourhoods, or of all.
///
/// A volunteer is active when they hold (or held, once done) an offer
/// starting between 30 days before `now` and 60 days after it: a claim
/// made long ago for an outing next week counts, a claim given back does
/// not. Active volunteers are counted over the offers of the
/// neighbourhoods; idle ones are the verified persons who are active
/// nowhere and whose area names one of the neighbourhoods (all verified
/// persons when no neighbourhood is given: an area set as a point is
/// counted only then).
pub(super) async fn figures(
    conn: &mut AnyConnection,
    neighbourhoods: Option<&[String]>,
    month_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<Figures> {
    let open_offers = count_offers(conn, "status = 'published'", None, neighbourhoods).await?;
    let done = "status = 'done' AND start_at >= $1";
    let outings_this_month =
        count_offers(conn, done, Some(secs(month_start)), neighbourhoods).await?;
    let claims = claims_around(conn, now).await?;
    let active: HashSet<i64> = claims
        .iter()
        .filter(|(_, place)| in_scope(place.as_deref(), neighbourhoods))
        .map(|(person, _)| *person)
        .collect();
    let anywhere: HashSet<i64> = claims.iter().map(|(person, _)| *person).collect();
    let idle = verified_persons(conn)
        .await?
        .into_iter()
        .filter(|(person, area)| !anywhere.contains(person) && area_in_scope(area, neighbourhoods));
    Ok(Figures {
        open_offers,
        outings_this_month,
        active_volunteers: count(active.len()),
        idle_volunteers: count(idle.count()),
    })
}

/// Counts the offers matching `condition` (which may use `$1` for
/// `param`) in the neighbourhoods.
async fn count_offers(
    conn: &mut AnyConnection,
    condition: &str,
    param: Option<i64>,
    neighbourhoods: Option<&[String]>,
) -> StoreResult<i64> {
    let first = if param.is_some() { 2 } else { 1 };
    let filter = neighbourhood_filter(first, neighbourhoods);
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM offers WHERE {condition}{filter}");
    let mut query = query(AssertSqlSafe(sql));
    if let Some(param) = param {
        query = query.bind(param);
    }
    for name in neighbourhoods.unwrap_or_default() {
        query = query.bind(name.clone());
    }
    query.fetch_one(conn).await.map_err(db)?.int("n")
}

/// The claimants of offers in the activity window, with the offers'
/// neighbourhoods.
async fn claims_around(
    conn: &mut AnyConnection,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(i64, Option<String>)>> {
    let sql = "SELECT DISTINCT claimant, neighbourhood FROM offers \
               WHERE claimant IS NOT NULL AND status IN ('claimed', 'confirmed', 'done') \
               AND start_at >= $1 AND start_at < $2";
    let query = query(sql).bind(secs(now - ACTIVE_BEFORE)).bind(secs(now + ACTIVE_AFTER));
    let rows = query.fetch_all(conn).await.map_err(db)?;
    rows.iter().map(|row| Ok((row.int("claimant")?, row.opt_text("neighbourhood")?))).collect()
}

async fn verified_persons(conn: &mut AnyConnection) -> StoreResult<Vec<(i64, Area)>> {
    let sql = "SELECT id, area FROM persons WHERE verified = 1";
    let rows = query(sql).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(|row| Ok((row.int("id")?, row.json("area")?))).collect()
}

/// `AND neighbourhood IN ($first, …)`, or nothing when all count.
fn neighbourhood_filter(first: usize, neighbourhoods: Option<&[String]>) -> String {
    match neighbourhoods {
        None => String::new(),
        Some([]) => " AND 1 = 0".to_owned(),
        Some(names) => {
            let placeholders: Vec<String> =
                (first..first + names.len()).map(|n| format!("${n}")).collect();
            format!(" AND neighbourhood IN ({})", placeholders.join(", "))
        }
    }
}

fn in_scope(place: Option<&str>, neighbourhoods: Option<&[String]>) -> bool {
    match neighbourhoods {
        None => true,
        Some(names) => place.is_some_and(|place| names.iter().any(|name| name == place)),
    }
}

fn area_in_scope(area: &Area, neighbourhoods: Option<&[String]>) -> bool {
    match (area, neighbourhoods) {
        (_, None) => true,
        (Area::Neighbourhoods { ids }, Some(names)) => ids.iter().any(|id| names.contains(id)),
        _ => false,
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_numbers_its_placeholders_after_the_others() {
        let names = ["p11".to_owned(), "p12".to_owned()];
        assert_eq!(neighbourhood_filter(2, Some(&names)), " AND neighbourhood IN ($2, $3)");
        assert_eq!(neighbourhood_filter(1, None), "");
        assert_eq!(neighbourhood_filter(1, Some(&[])), " AND 1 = 0");
    }
}
