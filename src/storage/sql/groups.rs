//! Group chats, their members, and the posts the bot may edit later.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, query};

use crate::core::model::{ChatRef, Group, GroupKind, Member, PersonId};
use crate::core::store::StoreResult;

use super::codec::{RowExt, db, flag, json};

/// A post already known keeps the message id its delivery recorded.
pub(super) async fn record_post(
    conn: &mut AnyConnection,
    chat: &ChatRef,
    key: &str,
) -> StoreResult<()> {
    let sql = "INSERT INTO posts (platform, chat, post_key) VALUES ($1, $2, $3) \
               ON CONFLICT (platform, chat, post_key) DO NOTHING";
    let query = query(sql).bind(chat.platform.as_str()).bind(&chat.id).bind(key);
    query.execute(conn).await.map_err(db)?;
    Ok(())
}

pub(super) async fn posts(conn: &mut AnyConnection, key: &str) -> StoreResult<Vec<ChatRef>> {
    let sql = "SELECT platform, chat FROM posts WHERE post_key = $1 ORDER BY platform, chat";
    let rows = query(sql).bind(key).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(chat_from_row).collect()
}

pub(super) async fn post_id(
    conn: &mut AnyConnection,
    chat: &ChatRef,
    key: &str,
) -> StoreResult<Option<String>> {
    let sql = "SELECT message_id FROM posts WHERE platform = $1 AND chat = $2 AND post_key = $3";
    let query = query(sql).bind(chat.platform.as_str()).bind(&chat.id).bind(key);
    let row = query.fetch_optional(conn).await.map_err(db)?;
    Ok(row.map(|row| row.opt_text("message_id")).transpose()?.flatten())
}

pub(super) async fn group(conn: &mut AnyConnection, chat: &ChatRef) -> StoreResult<Option<Group>> {
    let sql = "SELECT platform, chat, kind, title, neighbourhoods, lang FROM chat_groups \
               WHERE platform = $1 AND chat = $2";
    let query = query(sql).bind(chat.platform.as_str()).bind(&chat.id);
    let row = query.fetch_optional(conn).await.map_err(db)?;
    row.as_ref().map(group_from_row).transpose()
}

pub(super) async fn groups(conn: &mut AnyConnection) -> StoreResult<Vec<Group>> {
    let sql = "SELECT platform, chat, kind, title, neighbourhoods, lang FROM chat_groups \
               ORDER BY platform, chat";
    let rows = query(sql).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(group_from_row).collect()
}

pub(super) async fn groups_of_kind(
    conn: &mut AnyConnection,
    kind: GroupKind,
) -> StoreResult<Vec<Group>> {
    let sql = "SELECT platform, chat, kind, title, neighbourhoods, lang FROM chat_groups \
               WHERE kind = $1 ORDER BY platform, chat";
    let rows = query(sql).bind(kind.as_str()).fetch_all(conn).await.map_err(db)?;
    rows.iter().map(group_from_row).collect()
}

pub(super) async fn upsert_group(conn: &mut AnyConnection, group: &Group) -> StoreResult<()> {
    let sql = "INSERT INTO chat_groups (platform, chat, kind, title, neighbourhoods, lang) \
               VALUES ($1, $2, $3, $4, $5, $6) \
               ON CONFLICT (platform, chat) DO UPDATE SET kind = excluded.kind, \
               title = excluded.title, neighbourhoods = excluded.neighbourhoods, \
               lang = excluded.lang";
    query(sql)
        .bind(group.chat.platform.as_str())
        .bind(&group.chat.id)
        .bind(group.kind.as_str())
        .bind(&group.title)
        .bind(json(&group.neighbourhoods)?)
        .bind(group.lang.as_str())
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// The `verified` flag is stored for members not linked to a person; for
/// the others the person's own flag is read, so it never goes stale.
pub(super) async fn upsert_member(conn: &mut AnyConnection, member: &Member) -> StoreResult<()> {
    let sql = "INSERT INTO members (platform, chat, user_id, name, person_id, verified, handle) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) \
               ON CONFLICT (platform, chat, user_id) DO UPDATE SET name = excluded.name, \
               person_id = excluded.person_id, verified = excluded.verified, \
               handle = excluded.handle";
    query(sql)
        .bind(member.chat.platform.as_str())
        .bind(&member.chat.id)
        .bind(&member.user)
        .bind(&member.name)
        .bind(member.person.map(|person| person.0))
        .bind(flag(member.verified))
        .bind(member.handle.as_deref())
        .execute(conn)
        .await
        .map_err(db)?;
    Ok(())
}

pub(super) async fn remove_member(
    conn: &mut AnyConnection,
    chat: &ChatRef,
    user: &str,
) -> StoreResult<()> {
    let sql = "DELETE FROM members WHERE platform = $1 AND chat = $2 AND user_id = $3";
    let query = query(sql).bind(chat.platform.as_str()).bind(&chat.id).bind(user);
    query.execute(conn).await.map_err(db)?;
    Ok(())
}

/// Members are matched to people through their account as well, so that
/// someone who joined before signing up is known once they have.
pub(super) async fn members(conn: &mut AnyConnection, chat: &ChatRef) -> StoreResult<Vec<Member>> {
    let sql = "SELECT m.platform, m.chat, m.user_id, m.name, m.handle, \
               COALESCE(m.person_id, a.person_id) AS person_id, \
               COALESCE(p.verified, m.verified) AS verified \
               FROM members m \
               LEFT JOIN accounts a ON a.platform = m.platform AND a.user_id = m.user_id \
               LEFT JOIN persons p ON p.id = COALESCE(m.person_id, a.person_id) \
               WHERE m.platform = $1 AND m.chat = $2 ORDER BY m.name, m.user_id";
    let query = query(sql).bind(chat.platform.as_str()).bind(&chat.id);
    let rows = query.fetch_all(conn).await.map_err(db)?;
    rows.iter().map(member_from_row).collect()
}

fn chat_from_row(row: &AnyRow) -> StoreResult<ChatRef> {
    Ok(ChatRef::new(row.platform("platform")?, row.text("chat")?))
}

fn group_from_row(row: &AnyRow) -> StoreResult<Group> {
    Ok(Group {
        chat: chat_from_row(row)?,
        kind: row.parsed("kind")?,
        title: row.text("title")?,
        neighbourhoods: row.json("neighbourhoods")?,
        lang: row.parsed("lang")?,
    })
}

fn member_from_row(row: &AnyRow) -> StoreResult<Member> {
    Ok(Member {
        chat: chat_from_row(row)?,
        user: row.text("user_id")?,
        name: row.text("name")?,
        handle: row.opt_text("handle")?,
        person: row.opt_int("person_id")?.map(PersonId),
        verified: row.flag("verified")?,
    })
}
