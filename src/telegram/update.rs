//! Bot API updates as core events. What the core has no use for gives no
//! event and is ignored on purpose: edited messages (the original was
//! handled), channel posts, inline queries, commands addressed to another
//! bot, members who are bots, and updates teloxide could not parse.

use teloxide::types::{CallbackQuery, Chat, ChatMemberUpdated, Message, Update, UpdateKind, User};

use crate::core::event::{Event, EventKind, Sender};
use crate::core::model::{ChatRef, LatLon, Platform};

/// The events in an update, usually one. Event ids are the inbox keys:
/// `u` and the update id, or for a button press `cb` and the callback
/// query's id, which is what answering the press needs.
pub fn events(update: &Update, bot: &str) -> Vec<Event> {
    let id = format!("u{}", update.id.0);
    match &update.kind {
        UpdateKind::Message(message) => from_message(&id, message, bot),
        UpdateKind::CallbackQuery(query) => from_callback(query).into_iter().collect(),
        UpdateKind::ChatMember(change) => from_member_change(id, change).into_iter().collect(),
        UpdateKind::MyChatMember(change) => from_own_change(id, change).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn from_message(id: &str, message: &Message, bot: &str) -> Vec<Event> {
    if let Some(joined) = message.new_chat_members() {
        let joined = joined.iter().filter(|user| !user.is_bot).enumerate();
        let events = joined.map(|(n, user)| {
            let at = message.date;
            event(format!("{id}-{n}"), &message.chat, user, at, EventKind::MemberJoined)
        });
        return events.collect();
    }
    if let Some(user) = message.left_chat_member().filter(|user| !user.is_bot) {
        return vec![event(id.into(), &message.chat, user, message.date, EventKind::MemberLeft)];
    }
    let Some(user) = message.from.as_ref().filter(|user| !user.is_bot) else {
        return Vec::new();
    };
    let kind = if let Some(text) = message.text() {
        match text.strip_prefix('/') {
            Some(command) => match read_command(command, bot) {
                Some(kind) => kind,
                None => return Vec::new(),
            },
            None => EventKind::Text(text.to_owned()),
        }
    } else if let Some(location) = message.location() {
        EventKind::Location(LatLon { lat: location.latitude, lon: location.longitude })
    } else {
        return Vec::new();
    };
    vec![event(id.into(), &message.chat, user, message.date, kind)]
}

/// `/claim 142`, `/claim@this_bot 142`; `None` for another bot's command.
fn read_command(command: &str, bot: &str) -> Option<EventKind> {
    let (head, args) = command.split_once(char::is_whitespace).unwrap_or((command, ""));
    let name = match head.split_once('@') {
        Some((name, addressee)) if addressee.eq_ignore_ascii_case(bot) => name,
        Some(_) => return None,
        None => head,
    };
    Some(EventKind::Command { name: name.to_owned(), args: args.trim().to_owned() })
}

/// A button press. Presses on messages too old for Telegram to show still
/// name their chat. A press with no data was not on one of the bot's
/// buttons; it still goes to the core, whose refusal answers it, so that
/// the person's client does not spin.
fn from_callback(query: &CallbackQuery) -> Option<Event> {
    let data = query.data.clone().unwrap_or_default();
    let chat = query.message.as_ref()?.chat();
    let id = format!("cb{}", query.id.0);
    let at = query.message.as_ref().map_or_else(chrono::Utc::now, |message| match message {
        teloxide::types::MaybeInaccessibleMessage::Regular(message) => message.date,
        teloxide::types::MaybeInaccessibleMessage::Inaccessible(_) => chrono::Utc::now(),
    });
    Some(event(id, chat, &query.from, at, EventKind::Button(data)))
}

/// Someone joining or leaving a group, as administrators see it.
fn from_member_change(id: String, change: &ChatMemberUpdated) -> Option<Event> {
    let user = &change.new_chat_member.user;
    if user.is_bot {
        return None;
    }
    let (was, is) = (change.old_chat_member.is_present(), change.new_chat_member.is_present());
    let kind = match (was, is) {
        (false, true) => EventKind::MemberJoined,
        (true, false) => EventKind::MemberLeft,
        _ => return None,
    };
    Some(event(id, &change.chat, user, change.date, kind))
}

/// The bot added to a group or removed from it, told as done by whoever
/// did it. Private chats (a person blocking the bot) give no event:
/// delivery finds that out when it next writes to them.
fn from_own_change(id: String, change: &ChatMemberUpdated) -> Option<Event> {
    if change.chat.is_private() || change.from.is_bot {
        return None;
    }
    let (was, is) = (change.old_chat_member.is_present(), change.new_chat_member.is_present());
    let kind = match (was, is) {
        (false, true) => EventKind::BotAdded,
        (true, false) => EventKind::BotRemoved,
        _ => return None,
    };
    Some(event(id, &change.chat, &change.from, change.date, kind))
}

fn event(
    id: String,
    chat: &Chat,
    user: &User,
    at: chrono::DateTime<chrono::Utc>,
    kind: EventKind,
) -> Event {
    Event {
        id,
        chat: ChatRef::new(Platform::Telegram, chat.id.0.to_string()),
        private: chat.is_private(),
        sender: Sender {
            user: user.id.0.to_string(),
            name: user.full_name(),
            handle: user.username.clone(),
        },
        at,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const BOT: &str = "compagnie_bot";

    fn user(id: u64, name: &str) -> Value {
        json!({ "id": id, "is_bot": false, "first_name": name, "username": name.to_lowercase() })
    }

    fn group() -> Value {
        json!({ "id": -1001234, "type": "supergroup", "title": "Paris 11" })
    }

    fn private(id: u64) -> Value {
        json!({ "id": id, "type": "private", "first_name": "Alice" })
    }

    /// Parsed from text, as the listener will: teloxide reads the kind of
    /// an update from a `serde_json::Value` as an unknown one.
    fn parse(update: Value) -> Update {
        serde_json::from_str(&update.to_string()).unwrap()
    }

    fn message(update: u32, chat: Value, extra: Value) -> Update {
        let mut message = json!({
            "message_id": 7, "date": 1_765_000_000, "chat": chat, "from": user(42, "Alice")
        });
        message.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        parse(json!({ "update_id": update, "message": message }))
    }

    fn kinds(update: &Update) -> Vec<EventKind> {
        events(update, BOT).into_iter().map(|event| event.kind).collect()
    }

    #[test]
    fn commands_with_and_without_the_bot_name() {
        let cases = [
            ("/claim 142", Some(("claim", "142"))),
            ("/prendre@Compagnie_Bot  142 ", Some(("prendre", "142"))),
            ("/help@other_bot", None),
            ("/start", Some(("start", ""))),
        ];
        for (text, expected) in cases {
            let update = message(1, group(), json!({ "text": text }));
            let expected: Vec<EventKind> = expected
                .map(|(name, args)| EventKind::Command { name: name.into(), args: args.into() })
                .into_iter()
                .collect();
            assert_eq!(kinds(&update), expected, "{text}");
        }
    }

    #[test]
    fn a_private_message_names_its_chat_and_sender() {
        let update = message(9, private(42), json!({ "text": "bonjour" }));
        let [event] = events(&update, BOT).try_into().unwrap();
        assert_eq!(event.id, "u9");
        assert_eq!(event.chat, ChatRef::new(Platform::Telegram, "42"));
        assert!(event.private);
        assert_eq!(event.sender.handle.as_deref(), Some("alice"));
        assert_eq!(event.kind, EventKind::Text("bonjour".into()));
    }

    #[test]
    fn locations_joins_and_leaves() {
        let shared = message(
            2,
            private(42),
            json!({
                "location": { "latitude": 48.86, "longitude": 2.37 }
            }),
        );
        assert_eq!(kinds(&shared), [EventKind::Location(LatLon { lat: 48.86, lon: 2.37 })]);
        let joined = message(
            3,
            group(),
            json!({
                "new_chat_members": [user(5, "Dave"), user(6, "Erin")]
            }),
        );
        let ids: Vec<String> = events(&joined, BOT).into_iter().map(|event| event.id).collect();
        assert_eq!(ids, (0..2).map(|n| format!("u3-{n}")).collect::<Vec<_>>());
        let left = message(4, group(), json!({ "left_chat_member": user(5, "Dave") }));
        assert_eq!(kinds(&left), [EventKind::MemberLeft]);
    }

    #[test]
    fn a_button_press_is_keyed_by_its_callback_id() {
        let update = parse(json!({
            "update_id": 10,
            "callback_query": {
                "id": "4382", "from": user(42, "Alice"), "chat_instance": "1", "data": "claim:142",
                "message": { "message_id": 7, "date": 1_765_000_000, "chat": group() }
            }
        }));
        let [event] = events(&update, BOT).try_into().unwrap();
        assert_eq!(
            (event.id.as_str(), event.kind),
            ("cb4382", EventKind::Button("claim:142".into()))
        );
    }

    #[test]
    fn a_press_without_data_still_reaches_the_core_to_be_answered() {
        let update = parse(json!({
            "update_id": 14,
            "callback_query": {
                "id": "77", "from": user(42, "Alice"), "chat_instance": "1",
                "message": { "message_id": 7, "date": 1_765_000_000, "chat": group() }
            }
        }));
        assert_eq!(kinds(&update), [EventKind::Button(String::new())]);
    }

    fn own_change(update: u32, chat: Value, old: &str, new: &str) -> Update {
        let bot = json!({ "id": 99, "is_bot": true, "first_name": "Compagnie" });
        let member = |status: &str| match status {
            "kicked" => json!({ "status": status, "user": bot, "until_date": 0 }),
            _ => json!({ "status": status, "user": bot }),
        };
        parse(json!({
            "update_id": update,
            "my_chat_member": {
                "chat": chat, "from": user(42, "Claire"), "date": 1_765_000_000,
                "old_chat_member": member(old), "new_chat_member": member(new)
            }
        }))
    }

    #[test]
    fn the_bot_added_to_a_group_or_removed_is_told_as_done_by_whoever_did_it() {
        let added = own_change(15, group(), "left", "member");
        let [event] = events(&added, BOT).try_into().unwrap();
        assert_eq!((event.kind, event.sender.user.as_str()), (EventKind::BotAdded, "42"));
        let removed = own_change(16, group(), "member", "kicked");
        assert_eq!(kinds(&removed), [EventKind::BotRemoved]);
        let unchanged = own_change(17, group(), "member", "member");
        assert!(kinds(&unchanged).is_empty());
        let blocked = own_change(18, private(42), "member", "kicked");
        assert!(kinds(&blocked).is_empty(), "delivery finds out on its own");
    }

    #[test]
    fn edited_messages_and_unknown_updates_are_ignored() {
        let edited = parse(json!({
            "update_id": 11,
            "edited_message": {
                "message_id": 7, "date": 1, "edit_date": 2, "chat": group(),
                "from": user(42, "Alice"), "text": "/claim 142"
            }
        }));
        assert!(events(&edited, BOT).is_empty());
        let unknown = parse(json!({ "update_id": 12, "something_new": { "x": 1 } }));
        assert!(events(&unknown, BOT).is_empty());
        let photo = message(13, group(), json!({ "photo": [] }));
        assert!(events(&photo, BOT).is_empty());
    }
}
