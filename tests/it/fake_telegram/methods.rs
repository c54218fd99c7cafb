//! The Bot API methods the fake knows, once the call passed the checks
//! on faults, chats and rate limits.

use serde_json::{Value, json};

use super::objects;
use super::state::{Reply, State, chat_id, message_id};

type Method = fn(&mut State, &Value) -> Reply;

const NOT_MODIFIED: &str = "Bad Request: message is not modified: specified new message \
     content and reply markup are exactly the same as a current content and reply markup \
     of the message";

/// The methods known, as the Bot API spells them.
const KNOWN: [&str; 13] = [
    "getMe",
    "getUpdates",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "pinChatMessage",
    "answerCallbackQuery",
    "setMyCommands",
    "banChatMember",
    "unbanChatMember",
    "deleteWebhook",
    "setWebhook",
];

/// Telegram reads method names without regard to case, and teloxide
/// sends them capitalised (`GetMe`): records use the documented name.
pub(super) fn canonical(method: &str) -> &str {
    KNOWN.into_iter().find(|known| known.eq_ignore_ascii_case(method)).unwrap_or(method)
}

pub(super) fn find(method: &str) -> Option<Method> {
    let run: Method = match method {
        "getMe" => |_, _| Reply::ok(objects::me()),
        "sendMessage" => send_message,
        "editMessageText" => edit_message_text,
        "editMessageReplyMarkup" => edit_message_reply_markup,
        "deleteMessage" => delete_message,
        "pinChatMessage" => pin_chat_message,
        "answerCallbackQuery"
        | "setMyCommands"
        | "banChatMember"
        | "unbanChatMember"
        | "deleteWebhook"
        | "setWebhook" => |_, _| Reply::ok(json!(true)),
        _ => return None,
    };
    Some(run)
}

/// The refusal a group where the bot is no admin gives to `method`.
pub(super) fn lacking_rights(method: &str) -> Option<Reply> {
    let description = match method {
        "pinChatMessage" => "Bad Request: not enough rights to pin a message",
        "banChatMember" | "unbanChatMember" => {
            "Bad Request: not enough rights to restrict/unrestrict chat member"
        }
        _ => return None,
    };
    Some(Reply::error(400, description))
}

fn send_message(state: &mut State, body: &Value) -> Reply {
    let (Some(chat), Some(text)) = (chat_id(body), body["text"].as_str()) else {
        return Reply::error(400, "Bad Request: message text is empty");
    };
    let id = state.next_message_id(chat);
    let mut message = objects::message(chat, id, objects::bot_user());
    message["text"] = json!(text);
    set_markup(&mut message, body);
    state.keep_message(message.clone());
    Reply::ok(message)
}

fn edit_message_text(state: &mut State, body: &Value) -> Reply {
    edit(state, body, |message, body| {
        let text = body["text"].clone();
        let changed = message["text"] != text || message["reply_markup"] != body["reply_markup"];
        message["text"] = text;
        set_markup(message, body);
        changed
    })
}

fn edit_message_reply_markup(state: &mut State, body: &Value) -> Reply {
    edit(state, body, |message, body| {
        let changed = message["reply_markup"] != body["reply_markup"];
        set_markup(message, body);
        changed
    })
}

/// Finds the message an edit is about and applies `change`, which tells
/// whether anything changed: Telegram refuses edits that change nothing.
fn edit(state: &mut State, body: &Value, change: fn(&mut Value, &Value) -> bool) -> Reply {
    // Messages sent inline are not kept: their edits only say true.
    if body.get("inline_message_id").is_some() {
        return Reply::ok(json!(true));
    }
    let found = chat_id(body).zip(message_id(body));
    let Some(message) = found.and_then(|(chat, id)| state.message_mut(chat, id)) else {
        return Reply::error(400, "Bad Request: message to edit not found");
    };
    if !change(message, body) {
        return Reply::error(400, NOT_MODIFIED);
    }
    message["edit_date"] = json!(objects::unix_now());
    Reply::ok(message.clone())
}

fn delete_message(state: &mut State, body: &Value) -> Reply {
    let found = chat_id(body).zip(message_id(body));
    match found.and_then(|(chat, id)| state.forget_message(chat, id)) {
        Some(_) => Reply::ok(json!(true)),
        None => Reply::error(400, "Bad Request: message to delete not found"),
    }
}

fn pin_chat_message(state: &mut State, body: &Value) -> Reply {
    let found = chat_id(body).zip(message_id(body));
    match found.and_then(|(chat, id)| state.message_mut(chat, id)) {
        Some(_) => Reply::ok(json!(true)),
        None => Reply::error(400, "Bad Request: message to pin not found"),
    }
}

/// Messages carry only inline keyboards; other markups are not echoed.
fn set_markup(message: &mut Value, body: &Value) {
    let markup = &body["reply_markup"];
    if markup.get("inline_keyboard").is_some() {
        message["reply_markup"] = markup.clone();
    } else if let Some(message) = message.as_object_mut() {
        message.remove("reply_markup");
    }
}
