//! What the fake remembers between calls, and the checks every call goes
//! through before its method runs.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio::time::{Duration, Instant};

use super::faults::{CallFault, Dice, Faults};
use super::limits::{self, Limits};
use super::methods;

/// One call the client made, whatever the answer.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    pub body: Value,
    /// On tokio's clock, so that paused tests can compare times.
    pub at: Instant,
    pub status: u16,
}

/// An answer in the Bot API's envelope.
#[derive(Debug)]
pub(super) struct Reply {
    pub(super) status: StatusCode,
    pub(super) body: Value,
}

impl Reply {
    pub(super) fn ok(result: Value) -> Self {
        Reply { status: StatusCode::OK, body: json!({ "ok": true, "result": result }) }
    }

    pub(super) fn error(code: u16, description: &str) -> Self {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
        let body = json!({ "ok": false, "error_code": code, "description": description });
        Reply { status, body }
    }

    pub(super) fn retry_after(seconds: u32) -> Self {
        let mut reply = Self::error(429, &format!("Too Many Requests: retry after {seconds}"));
        reply.body["parameters"] = json!({ "retry_after": seconds });
        reply
    }
}

/// What to do with a call: answer now, or wait for updates.
#[derive(Debug)]
pub(super) enum Outcome {
    Answer(Reply),
    /// The call was carried out; its answer leaves after this long.
    Late(Reply, Duration),
    Poll {
        limit: usize,
        deadline: Instant,
    },
}

/// The state behind a lock, and the signal that wakes long polls.
#[derive(Debug)]
pub(super) struct Shared {
    state: Mutex<State>,
    pub(super) pushed: Notify,
}

impl Shared {
    pub(super) fn new() -> Self {
        Shared { state: Mutex::new(State::new()), pushed: Notify::new() }
    }

    /// A test that failed while holding the lock must not hide the state
    /// from the assertions of the tests that follow.
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues the newest update once more, id and all, as Telegram does
    /// when it never heard that the update was received.
    pub(super) fn push_again(&self) -> Option<i64> {
        let mut state = self.lock();
        let update = state.updates.back()?.clone();
        let id = update["update_id"].as_i64();
        state.updates.push_back(update);
        drop(state);
        self.pushed.notify_waiters();
        id
    }

    pub(super) fn push(&self, update: Value) -> i64 {
        let id = self.lock().push_update(update);
        self.pushed.notify_waiters();
        id
    }

    pub(super) fn roll_reset(&self) -> bool {
        let mut state = self.lock();
        let reset = state.dice.roll_reset();
        state.resets += u32::from(reset);
        reset
    }
}

#[derive(Debug)]
pub(super) struct State {
    pub(super) calls: Vec<Call>,
    pub(super) breaches: u32,
    pub(super) resets: u32,
    pub(super) dice: Dice,
    pub(super) blocked: HashSet<i64>,
    pub(super) absent: HashSet<i64>,
    pub(super) not_admin: HashSet<i64>,
    limits: Limits,
    updates: VecDeque<Value>,
    next_update_id: i64,
    chats: HashMap<i64, ChatLog>,
    next_callback: u64,
}

/// The messages of one chat, whoever wrote them: Telegram numbers them
/// in one sequence per chat.
#[derive(Debug, Default)]
struct ChatLog {
    last_id: i32,
    messages: BTreeMap<i32, Value>,
}

impl State {
    fn new() -> Self {
        State {
            calls: Vec::new(),
            breaches: 0,
            resets: 0,
            dice: Dice::new(Faults::default()),
            blocked: HashSet::new(),
            absent: HashSet::new(),
            not_admin: HashSet::new(),
            limits: Limits::new(),
            updates: VecDeque::new(),
            next_update_id: 1,
            chats: HashMap::new(),
            next_callback: 1,
        }
    }

    /// Runs the checks and the method, and records the call.
    pub(super) fn answer(&mut self, method: &str, body: Value, now: Instant) -> Outcome {
        let method = methods::canonical(method);
        let outcome = self.decide(method, &body, now);
        let status = match &outcome {
            Outcome::Answer(reply) | Outcome::Late(reply, _) => reply.status.as_u16(),
            Outcome::Poll { .. } => 200,
        };
        self.calls.push(Call { method: method.to_owned(), body, at: now, status });
        outcome
    }

    fn decide(&mut self, method: &str, body: &Value, now: Instant) -> Outcome {
        let stall = match self.dice.roll_call() {
            Some(CallFault::TooManyRequests(seconds)) => {
                return Outcome::Answer(Reply::retry_after(seconds));
            }
            Some(CallFault::ServerError) => {
                return Outcome::Answer(Reply::error(500, "Internal Server Error"));
            }
            Some(CallFault::Stall(delay)) => Some(delay),
            None => None,
        };
        if method == "getUpdates" {
            return self.get_updates(body, now);
        }
        match (self.carry_out(method, body, now), stall) {
            (Outcome::Answer(reply), Some(delay)) => Outcome::Late(reply, delay),
            (outcome, _) => outcome,
        }
    }

    fn carry_out(&mut self, method: &str, body: &Value, now: Instant) -> Outcome {
        let Some(run) = methods::find(method) else {
            return Outcome::Answer(Reply::error(404, "Not Found: method not found"));
        };
        Outcome::Answer(self.refuse(method, body, now).unwrap_or_else(|| run(self, body)))
    }

    /// The refusals that depend on the chat rather than on the method.
    fn refuse(&mut self, method: &str, body: &Value, now: Instant) -> Option<Reply> {
        let chat = chat_id(body)?;
        if self.absent.contains(&chat) {
            return Some(Reply::error(400, "Bad Request: chat not found"));
        }
        if self.blocked.contains(&chat) {
            return Some(Reply::error(403, "Forbidden: bot was blocked by the user"));
        }
        if limits::is_counted(method)
            && let Err(seconds) = self.limits.admit(chat, now)
        {
            self.breaches += 1;
            return Some(Reply::retry_after(seconds));
        }
        self.not_admin.contains(&chat).then(|| methods::lacking_rights(method)).flatten()
    }

    /// Acknowledges the updates below the offset, then answers with the
    /// rest or, when there is none yet, waits up to the timeout.
    fn get_updates(&mut self, body: &Value, now: Instant) -> Outcome {
        if let Some(offset) = body["offset"].as_i64() {
            self.updates.retain(|update| update["update_id"].as_i64() >= Some(offset));
        }
        let limit = body["limit"].as_u64().map_or(100, |limit| limit.clamp(1, 100));
        let limit = usize::try_from(limit).unwrap_or(100);
        let timeout = Duration::from_secs(body["timeout"].as_u64().unwrap_or(0));
        if self.updates.is_empty() && !timeout.is_zero() {
            return Outcome::Poll { limit, deadline: now + timeout };
        }
        Outcome::Answer(self.pending_updates(limit))
    }

    pub(super) fn pending_updates(&self, limit: usize) -> Reply {
        Reply::ok(Value::Array(self.updates.iter().take(limit).cloned().collect()))
    }

    pub(super) fn has_updates(&self) -> bool {
        !self.updates.is_empty()
    }

    fn push_update(&mut self, mut update: Value) -> i64 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        update["update_id"] = json!(id);
        self.updates.push_back(update);
        id
    }

    pub(super) fn next_callback_id(&mut self) -> u64 {
        self.next_callback += 1;
        self.next_callback - 1
    }

    pub(super) fn next_message_id(&mut self, chat: i64) -> i32 {
        let log = self.chats.entry(chat).or_default();
        log.last_id += 1;
        log.last_id
    }

    pub(super) fn keep_message(&mut self, message: Value) {
        let (Some(chat), Some(id)) = (message["chat"]["id"].as_i64(), message_id(&message)) else {
            return;
        };
        self.chats.entry(chat).or_default().messages.insert(id, message);
    }

    pub(super) fn message_mut(&mut self, chat: i64, id: i32) -> Option<&mut Value> {
        self.chats.get_mut(&chat)?.messages.get_mut(&id)
    }

    pub(super) fn forget_message(&mut self, chat: i64, id: i32) -> Option<Value> {
        self.chats.get_mut(&chat)?.messages.remove(&id)
    }
}

/// The chat a call is about; Telegram also accepts it as a string.
pub(super) fn chat_id(body: &Value) -> Option<i64> {
    let chat = &body["chat_id"];
    chat.as_i64().or_else(|| chat.as_str()?.parse().ok())
}

pub(super) fn message_id(body: &Value) -> Option<i32> {
    body["message_id"].as_i64().and_then(|id| i32::try_from(id).ok())
}
