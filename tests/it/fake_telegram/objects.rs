//! The Bot API's JSON objects, with only the fields teloxide requires and
//! those the tests look at.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// The bot's user id; also the token's prefix, as with real tokens.
pub const BOT_ID: i64 = 7_000_000_001;

pub(super) fn bot_user() -> Value {
    json!({
        "id": BOT_ID,
        "is_bot": true,
        "first_name": "Compagnie",
        "username": "compagnie_test_bot",
    })
}

/// `getMe`'s answer: the bot's user and what it may do.
pub(super) fn me() -> Value {
    let mut me = bot_user();
    let abilities = json!({
        "can_join_groups": true,
        "can_read_all_group_messages": false,
        "supports_inline_queries": false,
        "can_connect_to_business": false,
        "has_main_web_app": false,
    });
    merge(&mut me, abilities);
    me
}

pub(super) fn user(id: i64) -> Value {
    json!({
        "id": id, "is_bot": false, "first_name": format!("User {id}"), "username": format!("u{id}")
    })
}

/// Private chats have the user's positive id; groups have negative ids,
/// and those of supergroups start with -100.
pub(super) fn chat(id: i64) -> Value {
    if id > 0 {
        json!({ "id": id, "type": "private", "first_name": format!("User {id}") })
    } else if id <= -1_000_000_000_000 {
        json!({ "id": id, "type": "supergroup", "title": format!("Group {id}") })
    } else {
        json!({ "id": id, "type": "group", "title": format!("Group {id}") })
    }
}

/// A message without content: callers add `text`, `location` and so on.
pub(super) fn message(chat_id: i64, message_id: i32, from: Value) -> Value {
    json!({
        "message_id": message_id,
        "date": unix_now(),
        "chat": chat(chat_id),
        "from": from,
    })
}

/// A button press under `message`.
pub(super) fn callback_query(id: u64, user_id: i64, message: Value, data: &str) -> Value {
    json!({
        "id": id.to_string(),
        "from": user(user_id),
        "chat_instance": format!("instance {}", message["chat"]["id"]),
        "message": message,
        "data": data,
    })
}

/// What Telegram sends under a message the bot can no longer see: a
/// date of zero marks it inaccessible.
pub(super) fn inaccessible_message(chat_id: i64, message_id: i32) -> Value {
    json!({ "chat": chat(chat_id), "message_id": message_id, "date": 0 })
}

/// A `chat_member` change: the user joined or left the group.
pub(super) fn member_change(chat_id: i64, user_id: i64, joined: bool) -> Value {
    let (old, new) = if joined { ("left", "member") } else { ("member", "left") };
    json!({
        "chat": chat(chat_id),
        "from": user(user_id),
        "date": unix_now(),
        "old_chat_member": { "user": user(user_id), "status": old },
        "new_chat_member": { "user": user(user_id), "status": new },
    })
}

/// A `my_chat_member` change: `by` added the bot to the group or
/// removed it.
pub(super) fn own_change(chat_id: i64, by: i64, added: bool) -> Value {
    let (old, new) = if added { ("left", "member") } else { ("member", "left") };
    json!({
        "chat": chat(chat_id),
        "from": user(by),
        "date": unix_now(),
        "old_chat_member": { "user": bot_user(), "status": old },
        "new_chat_member": { "user": bot_user(), "status": new },
    })
}

/// Copies the fields of `extra` into the object `target`.
pub(super) fn merge(target: &mut Value, extra: Value) {
    if let (Some(target), Value::Object(extra)) = (target.as_object_mut(), extra) {
        target.extend(extra);
    }
}

/// Dates are wall-clock seconds, as Telegram gives them, even when a test
/// has paused tokio's clock.
pub(super) fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs())
}
