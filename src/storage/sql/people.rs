//! Persons, their chat accounts, and the elders they accompany.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, query};

use crate::core::model::{
    Account, AccountRef, Area, Elder, ElderId, Person, PersonId, Platform, Roles,
};
use crate::core::store::{NewElder, NewPerson, StoreError, StoreResult};

use super::codec::{RowExt, date_text, db, flag, json, lat_lon, secs};

/// The columns of `persons` as `person_from_row` reads them. No other
/// table joined to `persons` has columns of these names.
macro_rules! person_columns {
    () => {
        "id, name, lang, verified, roles, area, radius_km, availability, paused_until, \
         name_public, consent_at, created_at"
    };
}

/// The account and its person, joined.
macro_rules! select_account {
    ($where:literal) => {
        concat!(
            "SELECT a.platform, a.user_id, a.person_id, a.handle, a.private_chat, ",
            person_columns!(),
            " FROM accounts a JOIN persons p ON p.id = a.person_id WHERE ",
            $where
        )
    };
}

pub(super) async fn account(
    conn: &mut AnyConnection,
    account: &AccountRef,
) -> StoreResult<Option<(Account, Person)>> {
    let row = query(select_account!("a.platform = $1 AND a.user_id = $2"))
        .bind(account.platform.as_str())
        .bind(&account.user)
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    row.as_ref().map(account_and_person).transpose()
}

macro_rules! open_event_sql {
    () => {
        concat!(
            "INSERT INTO inbox (platform, event_id, received_at) VALUES ($1, $2, $3) ",
            "ON CONFLICT (platform, event_id) DO NOTHING; ",
            "SELECT changes() AS fresh, a.platform, a.user_id, a.person_id, a.handle, ",
            "a.private_chat, ",
            person_columns!(),
            // Chained joins, each on a key: a parenthesised join would be
            // built whole before the filter applies.
            " FROM (SELECT 1) AS one ",
            "LEFT JOIN accounts a ON a.platform = $1 AND a.user_id = $4 ",
            "LEFT JOIN persons p ON p.id = a.person_id"
        )
    };
}

const OPEN_EVENT: &str = open_event_sql!();
const BEGIN_AND_OPEN_EVENT: &str = concat!("BEGIN IMMEDIATE; ", open_event_sql!());

/// The inbox record and the sender's account in one round trip: SQLite
/// takes several statements with shared parameters in one query, and its
/// `changes()` tells whether the insert found the event new. On SQLite the
/// round trips to its worker thread, not the statements, set the pace.
pub(super) async fn open_event(
    conn: &mut AnyConnection,
    begin: bool,
    platform: Platform,
    id: &str,
    at: DateTime<Utc>,
    sender: &AccountRef,
) -> StoreResult<Option<Option<(Account, Person)>>> {
    let sql = if begin { BEGIN_AND_OPEN_EVENT } else { OPEN_EVENT };
    let rows = query(sql)
        .bind(platform.as_str())
        .bind(id)
        .bind(secs(at))
        .bind(&sender.user)
        .fetch_all(conn)
        .await
        .map_err(db)?;
    // `fetch_one` would stop at the insert, which returns no row.
    let row = rows.into_iter().next().ok_or(StoreError::NotFound)?;
    if row.int("fresh")? == 0 {
        return Ok(None);
    }
    match row.opt_text("user_id")? {
        Some(_) => Ok(Some(Some(account_and_person(&row)?))),
        None => Ok(Some(None)),
    }
}

/// Handles are compared without case and without a leading '@', the way
/// people type them.
pub(super) async fn account_by_handle(
    conn: &mut AnyConnection,
    platform: Platform,
    handle: &str,
) -> StoreResult<Option<(Account, Person)>> {
    let sql = select_account!(
        "a.platform = $1 AND LOWER(a.handle) = LOWER($2) ORDER BY a.user_id LIMIT 1"
    );
    let row = query(sql)
        .bind(platform.as_str())
        .bind(bare_handle(handle))
        .fetch_optional(conn)
        .await
        .map_err(db)?;
    row.as_ref().map(account_and_person).transpose()
}

pub(super) async fn accounts_of(
    conn: &mut AnyConnection,
    person: PersonId,
) -> StoreResult<Vec<Account>> {
    let sql = "SELECT platform, user_id, person_id, handle, private_chat \
               FROM accounts WHERE person_id = $1 ORDER BY platform, user_id";
    let rows = query(sql).bind(person.0).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(account_from_row).collect()
}

/// A handle belongs to one account at a time: platforms hand a handle
/// that someone gave up to someone else, and `verify @handle` must reach
/// the account that holds it now.
pub(super) async fn upsert_account(conn: &mut AnyConnection, account: &Account) -> StoreResult<()> {
    if let Some(handle) = account.handle.as_deref() {
        let sql = "UPDATE accounts SET handle = NULL \
                   WHERE platform = $1 AND LOWER(handle) = LOWER($2) AND user_id <> $3";
        query(sql)
            .bind(account.account.platform.as_str())
            .bind(bare_handle(handle))
            .bind(&account.account.user)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    let sql = "INSERT INTO accounts (platform, user_id, person_id, handle, private_chat) \
               VALUES ($1, $2, $3, $4, $5) \
               ON CONFLICT (platform, user_id) DO UPDATE SET person_id = excluded.person_id, \
               handle = excluded.handle, private_chat = excluded.private_chat";
    query(sql)
        .bind(account.account.platform.as_str())
        .bind(&account.account.user)
        .bind(account.person.0)
        .bind(account.handle.as_deref().map(bare_handle))
        .bind(account.private_chat.as_deref())
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

pub(super) async fn person(conn: &mut AnyConnection, id: PersonId) -> StoreResult<Person> {
    let sql = concat!("SELECT ", person_columns!(), " FROM persons WHERE id = $1");
    let row = query(sql).bind(id.0).fetch_one(conn).await.map_err(db)?;
    person_from_row(&row)
}

pub(super) async fn verified(conn: &mut AnyConnection) -> StoreResult<Vec<Person>> {
    let sql = concat!("SELECT ", person_columns!(), " FROM persons WHERE verified = 1 ORDER BY id");
    let rows = query(sql).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(person_from_row).collect()
}

pub(super) async fn insert_person(
    conn: &mut AnyConnection,
    person: &NewPerson,
) -> StoreResult<Person> {
    let sql = concat!(
        "INSERT INTO persons (name, lang, area, radius_km, availability, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
        person_columns!()
    );
    let row = query(sql)
        .bind(&person.name)
        .bind(person.lang.as_str())
        .bind(json(&Area::Unset)?)
        .bind(person.radius_km)
        .bind("[]")
        .bind(secs(person.at))
        .fetch_one(conn)
        .await
        .map_err(db)?;
    person_from_row(&row)
}

pub(super) async fn update_person(conn: &mut AnyConnection, person: &Person) -> StoreResult<()> {
    let sql = "UPDATE persons SET name = $2, lang = $3, verified = $4, roles = $5, area = $6, \
               radius_km = $7, availability = $8, paused_until = $9, name_public = $10, \
               consent_at = $11 WHERE id = $1";
    let done = query(sql)
        .bind(person.id.0)
        .bind(&person.name)
        .bind(person.lang.as_str())
        .bind(flag(person.verified))
        .bind(person.roles.0)
        .bind(json(&person.area)?)
        .bind(person.radius_km)
        .bind(json(&person.availability)?)
        .bind(person.paused_until.map(date_text))
        .bind(flag(person.name_public))
        .bind(person.consent_at.map(secs))
        .execute(conn)
        .await
        .map_err(db)?;
    one_row(done.rows_affected())
}

/// Deletes what links the person to chats (accounts, dialogues, group
/// memberships) and blanks their profile. The row itself stays, with an
/// empty name and no roles, so that the offers, history, reports and audit
/// entries that name its id keep a valid reference.
pub(super) async fn erase_person(conn: &mut AnyConnection, id: PersonId) -> StoreResult<()> {
    for sql in [
        "DELETE FROM accounts WHERE person_id = $1",
        "DELETE FROM dialogues WHERE person_id = $1",
        "DELETE FROM members WHERE person_id = $1",
        "UPDATE offers SET held_by = NULL, held_until = NULL WHERE held_by = $1",
    ] {
        query(sql).bind(id.0).execute(&mut *conn).await.map_err(db)?;
    }
    let sql = "UPDATE persons SET name = '', verified = 0, roles = 0, area = $2, \
               availability = '[]', paused_until = NULL, name_public = 0, consent_at = NULL \
               WHERE id = $1";
    let done = query(sql).bind(id.0).bind(json(&Area::Unset)?).execute(conn).await.map_err(db)?;
    one_row(done.rows_affected())
}

pub(super) async fn insert_elder(
    conn: &mut AnyConnection,
    elder: &NewElder,
) -> StoreResult<ElderId> {
    let sql = "INSERT INTO elders (first_name, last_name, phone, address, lat, lon, \
               neighbourhood, languages, mobility, caregiver, consent, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
    let row = query(sql)
        .bind(&elder.first_name)
        .bind(&elder.last_name)
        .bind(&elder.phone)
        .bind(&elder.address)
        .bind(elder.at.map(|at| at.lat))
        .bind(elder.at.map(|at| at.lon))
        .bind(elder.neighbourhood.as_deref())
        .bind(json(&elder.languages)?)
        .bind(&elder.mobility)
        .bind(elder.caregiver.as_deref())
        .bind(flag(elder.consent))
        .bind(secs(elder.created_at))
        .fetch_one(conn)
        .await
        .map_err(db)?;
    Ok(ElderId(row.int("id")?))
}

pub(super) async fn elder(conn: &mut AnyConnection, id: ElderId) -> StoreResult<Elder> {
    let sql = "SELECT id, first_name, last_name, phone, address, lat, lon, neighbourhood, \
               languages, mobility, caregiver, consent, created_at FROM elders WHERE id = $1";
    let row = query(sql).bind(id.0).fetch_one(conn).await.map_err(db)?;
    elder_from_row(&row)
}

/// An update or delete that should have touched exactly one row.
pub(super) fn one_row(affected: u64) -> StoreResult<()> {
    if affected == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

fn bare_handle(handle: &str) -> &str {
    handle.strip_prefix('@').unwrap_or(handle)
}

fn account_and_person(row: &AnyRow) -> StoreResult<(Account, Person)> {
    Ok((account_from_row(row)?, person_from_row(row)?))
}

fn account_from_row(row: &AnyRow) -> StoreResult<Account> {
    Ok(Account {
        account: AccountRef { platform: row.platform("platform")?, user: row.text("user_id")? },
        person: PersonId(row.int("person_id")?),
        handle: row.opt_text("handle")?,
        private_chat: row.opt_text("private_chat")?,
    })
}

fn person_from_row(row: &AnyRow) -> StoreResult<Person> {
    Ok(Person {
        id: PersonId(row.int("id")?),
        name: row.text("name")?,
        lang: row.parsed("lang")?,
        verified: row.flag("verified")?,
        roles: Roles(row.int("roles")?),
        area: row.json("area")?,
        radius_km: row.get("radius_km")?,
        availability: row.json("availability")?,
        paused_until: row.opt_parsed("paused_until")?,
        name_public: row.flag("name_public")?,
        consent_at: row.opt_time("consent_at")?,
        created_at: row.time("created_at")?,
    })
}

fn elder_from_row(row: &AnyRow) -> StoreResult<Elder> {
    Ok(Elder {
        id: ElderId(row.int("id")?),
        first_name: row.text("first_name")?,
        last_name: row.text("last_name")?,
        phone: row.text("phone")?,
        address: row.text("address")?,
        at: lat_lon(row.opt_float("lat")?, row.opt_float("lon")?),
        neighbourhood: row.opt_text("neighbourhood")?,
        languages: row.json("languages")?,
        mobility: row.text("mobility")?,
        caregiver: row.opt_text("caregiver")?,
        consent: row.flag("consent")?,
        created_at: row.time("created_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_lose_their_leading_at_sign() {
        assert_eq!(bare_handle("@marie"), "marie");
        assert_eq!(bare_handle("marie"), "marie");
    }
}
