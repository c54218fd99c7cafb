//! A fake Telegram Bot API server on a loopback port, for tests that
//! drive the real teloxide client against it.
//!
//! It speaks the Bot API's HTTP and JSON, queues updates for long
//! polling, enforces Telegram's send rate limits (counting each breach),
//! injects faults drawn from a seeded generator, and records every call.

mod faults;
mod limits;
mod methods;
mod objects;
mod server;
mod state;

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use url::Url;

pub use faults::Faults;
pub use objects::BOT_ID;
pub use state::Call;

use state::Shared;

/// A running fake; the server stops accepting connections when dropped.
#[derive(Debug)]
pub struct FakeTelegram {
    url: Url,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl FakeTelegram {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> FakeTelegram {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("loopback port");
        let address = listener.local_addr().expect("bound address");
        let url = Url::parse(&format!("http://{address}/")).expect("loopback URL");
        let shared = Arc::new(Shared::new());
        let server = server::serve(listener, shared.clone());
        FakeTelegram { url, shared, server }
    }

    /// The base URL to give `Bot::set_api_url`.
    pub fn url(&self) -> Url {
        self.url.clone()
    }

    pub fn token(&self) -> &'static str {
        server::TOKEN
    }

    /// A teloxide client talking to this fake.
    pub fn bot(&self) -> teloxide::Bot {
        teloxide::Bot::new(self.token()).set_api_url(self.url())
    }

    /// Replaces the faults in force, restarting their generator.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.lock().dice = faults::Dice::new(faults);
    }

    /// The user blocked the bot: sends to their private chat get 403.
    pub fn block_user(&self, user_id: i64) {
        self.shared.lock().blocked.insert(user_id);
    }

    /// The bot is not in this chat: every call about it gets 400.
    pub fn remove_bot_from(&self, chat_id: i64) {
        self.shared.lock().absent.insert(chat_id);
    }

    /// The bot is in this group but no admin: bans and pins get 400.
    pub fn demote_bot_in(&self, chat_id: i64) {
        self.shared.lock().not_admin.insert(chat_id);
    }
}

/// Updates a test pushes; each returns the id of the update queued.
impl FakeTelegram {
    pub fn push_private_text(&self, user_id: i64, text: &str) -> i64 {
        self.push_message(user_id, user_id, json!({ "text": text }))
    }

    pub fn push_group_text(&self, chat_id: i64, user_id: i64, text: &str) -> i64 {
        self.push_message(chat_id, user_id, json!({ "text": text }))
    }

    /// A location shared in a private chat or a group.
    pub fn push_location(&self, chat_id: i64, user_id: i64, latitude: f64, longitude: f64) -> i64 {
        let location = json!({ "latitude": latitude, "longitude": longitude });
        self.push_message(chat_id, user_id, json!({ "location": location }))
    }

    /// A press on a button of a message in `chat_id`; the message is the
    /// one the bot sent, with its current text and keyboard.
    pub fn push_callback(&self, chat_id: i64, message_id: i32, user_id: i64, data: &str) -> i64 {
        let mut state = self.shared.lock();
        let message = state.message_mut(chat_id, message_id).map(|message| message.clone());
        let message = message.unwrap_or_else(|| objects::inaccessible_message(chat_id, message_id));
        let query = objects::callback_query(state.next_callback_id(), user_id, message, data);
        drop(state);
        self.push_raw(json!({ "callback_query": query }))
    }

    /// A user joined (`true`) or left (`false`) a group.
    pub fn push_member_change(&self, chat_id: i64, user_id: i64, joined: bool) -> i64 {
        let change = objects::member_change(chat_id, user_id, joined);
        self.push_raw(json!({ "chat_member": change }))
    }

    /// A user joined a group, told by the service message Telegram posts
    /// in it (it also sends a `chat_member` update for the same join).
    pub fn push_join_message(&self, chat_id: i64, user_id: i64) -> i64 {
        let joined = json!({ "new_chat_members": [objects::user(user_id)] });
        self.push_message(chat_id, user_id, joined)
    }

    /// `by` added the bot to a group (`true`) or removed it (`false`).
    pub fn push_own_change(&self, chat_id: i64, by: i64, added: bool) -> i64 {
        self.push_raw(json!({ "my_chat_member": objects::own_change(chat_id, by, added) }))
    }

    /// A press with data the bot never wrote, or with none at all, on a
    /// message too old to be shown.
    pub fn push_foreign_callback(&self, chat_id: i64, user_id: i64, data: Option<&str>) -> i64 {
        let id = self.shared.lock().next_callback_id();
        let message = objects::inaccessible_message(chat_id, 1);
        let mut query = objects::callback_query(id, user_id, message, data.unwrap_or_default());
        if data.is_none()
            && let Some(query) = query.as_object_mut()
        {
            query.remove("data");
        }
        self.push_raw(json!({ "callback_query": query }))
    }

    /// The newest queued update, queued again with the same id.
    pub fn push_again(&self) -> Option<i64> {
        self.shared.push_again()
    }

    /// Any update; its `update_id` is set by the fake.
    pub fn push_raw(&self, update: Value) -> i64 {
        self.shared.push(update)
    }

    fn push_message(&self, chat_id: i64, user_id: i64, content: Value) -> i64 {
        let mut state = self.shared.lock();
        let id = state.next_message_id(chat_id);
        let mut message = objects::message(chat_id, id, objects::user(user_id));
        objects::merge(&mut message, content);
        state.keep_message(message.clone());
        drop(state);
        self.push_raw(json!({ "message": message }))
    }
}

/// What the client did, for assertions.
impl FakeTelegram {
    /// Every call, in the order they arrived.
    pub fn all_calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.all_calls().into_iter().filter(|call| call.method == method).collect()
    }

    /// The texts delivered to a chat by `sendMessage`, in order.
    pub fn texts_to(&self, chat_id: i64) -> Vec<String> {
        let delivered = self.calls("sendMessage").into_iter().filter(|call| call.status == 200);
        delivered
            .filter(|call| state::chat_id(&call.body) == Some(chat_id))
            .filter_map(|call| call.body["text"].as_str().map(str::to_owned))
            .collect()
    }

    /// Sends refused for breaking a rate limit (injected 429s aside).
    pub fn breaches(&self) -> u32 {
        self.shared.lock().breaches
    }

    /// Connections reset on purpose.
    pub fn resets(&self) -> u32 {
        self.shared.lock().resets
    }
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.server.abort();
    }
}
