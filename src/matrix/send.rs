//! Sending one outbox message to Matrix, and reading the homeserver's
//! answer: sent, wait, try again later, or never.

use std::fmt;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use matrix_sdk::room::Room;
use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedTransactionId, OwnedUserId};
use matrix_sdk::{Client, HttpError};
use serde_json::json;

use super::render;
use crate::app::App;
use crate::core::effect::{Effect, Message, Text};
use crate::core::model::{ChatRef, Lang, Platform};
use crate::core::pace::{Admission, Pace, SendRecord};
use crate::core::store::OutboxItem;
use crate::delivery::{Channel, Failure, Sent};

/// Where the direct room opened with a person is kept, and the person a
/// direct room is with.
pub fn direct_room_key(user: &str) -> String {
    format!("matrix:direct:{user}")
}

pub fn direct_user_key(room: &str) -> String {
    format!("matrix:direct-room:{room}")
}

/// What sends for the bot's account; cheap to clone into each send.
#[derive(Clone)]
pub struct Sender {
    client: Client,
    app: App,
}

/// Written by hand: the client holds the access token.
impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("user", &self.client.user_id()).finish_non_exhaustive()
    }
}

/// Matrix sets no fixed sending limits: the homeserver answers
/// `M_LIMIT_EXCEEDED` with the time to wait, which delivery honours.
#[derive(Clone, Copy, Debug, Default)]
pub struct MatrixPace;

impl Pace for MatrixPace {
    fn memory(&self) -> chrono::Duration {
        chrono::Duration::zero()
    }

    fn admit(&self, _: &[SendRecord], waiting: &[OutboxItem], _: DateTime<Utc>) -> Admission {
        Admission { go: waiting.iter().map(|item| (item.id, false)).collect(), next: None }
    }
}

impl Channel for Sender {
    const PLATFORM: Platform = Platform::Matrix;

    fn pace(&self) -> &dyn Pace {
        &MatrixPace
    }

    fn send(&self, item: &OutboxItem) -> impl Future<Output = Sent> + Send {
        self.send_item(item)
    }
}

impl Sender {
    pub fn new(client: Client, app: App) -> Self {
        Self { client, app }
    }

    async fn send_item(&self, item: &OutboxItem) -> Sent {
        // The homeserver keeps a transaction id for a while: a message
        // sent again after a lost answer is recognised, not posted twice.
        let txn = OwnedTransactionId::from(format!("compagnie-{}", item.id));
        match &item.effect {
            Effect::Send { chat, message } => self.post(chat, message, txn).await,
            Effect::Edit { chat, key, message } => {
                let Some((room, original)) = self.posted(chat, key).await? else {
                    return Ok((None, 0));
                };
                let rendered = render::message(self.app.localizer(), message, self.me());
                let content = render::replacement(&rendered, original.as_str());
                room.send_raw("m.room.message", content)
                    .with_transaction_id(&txn)
                    .await
                    .map_err(classify)?;
                Ok((None, 1))
            }
            Effect::Delete { chat, key } => {
                let Some((room, event)) = self.posted(chat, key).await? else {
                    return Ok((None, 0));
                };
                let redact = room.redact(&event, None, Some(txn));
                redact.await.map_err(|error| classify(error.into()))?;
                Ok((None, 1))
            }
            Effect::Pin { chat, key } => {
                let Some((room, event)) = self.posted(chat, key).await? else {
                    return Ok((None, 0));
                };
                room.pin_event(&event).await.map_err(classify)?;
                Ok((None, 1))
            }
            Effect::RemoveMember { chat, user } => self.kick(chat, user).await,
            Effect::Answer { chat, lang, text, .. } => {
                self.answer(chat, *lang, text.as_ref(), txn).await
            }
        }
    }

    fn me(&self) -> &str {
        self.client.user_id().map_or("", |id| id.as_str())
    }

    /// Sends a message, then reacts under it with its buttons' keys so
    /// that people need only press them.
    async fn post(&self, chat: &ChatRef, message: &Message, txn: OwnedTransactionId) -> Sent {
        let room = self.room(chat).await?;
        let rendered = render::message(self.app.localizer(), message, self.me());
        let sent = room.send_raw("m.room.message", rendered.content).with_transaction_id(&txn);
        let event_id = sent.await.map_err(classify)?.response.event_id;
        for (index, key) in rendered.keys.iter().enumerate() {
            let reaction = json!({
                "m.relates_to": { "rel_type": "m.annotation", "event_id": event_id, "key": key }
            });
            let txn = OwnedTransactionId::from(format!("{txn}-{index}"));
            let react = room.send_raw("m.reaction", reaction).with_transaction_id(&txn);
            react.await.map_err(classify)?;
        }
        Ok((Some(event_id.to_string()), 1))
    }

    /// On Matrix the answer to a reaction is a notice in its room, when
    /// there is something to say.
    async fn answer(
        &self,
        chat: &ChatRef,
        lang: Lang,
        text: Option<&Text>,
        txn: OwnedTransactionId,
    ) -> Sent {
        let Some(text) = text else { return Ok((None, 0)) };
        self.post(chat, &Message::new(lang, text.clone()), txn).await
    }

    /// Removes a member, if the bot's power in the room allows it: told
    /// plainly otherwise, as a refusal that will not change by retrying.
    async fn kick(&self, chat: &ChatRef, user: &str) -> Sent {
        let room = self.room(chat).await?;
        let Ok(target) = OwnedUserId::try_from(user) else {
            return Err(Failure::Permanent(format!("not a Matrix user id: {user}")));
        };
        let me = self.client.user_id().ok_or_else(|| Failure::Transient("logged out".into()))?;
        let levels =
            room.power_levels().await.map_err(|error| Failure::Transient(error.to_string()))?;
        if !levels.user_can_kick_user(me, &target) {
            return Err(Failure::Permanent("not enough power to remove members".into()));
        }
        room.kick_user(&target, None).await.map_err(classify)?;
        Ok((None, 1))
    }

    /// The room of a chat: a group's own, or the direct room with a
    /// person, opened on first use and remembered.
    async fn room(&self, chat: &ChatRef) -> Result<Room, Failure> {
        let Some(user) = chat.id.strip_prefix('@').map(|_| chat.id.as_str()) else {
            let id = OwnedRoomId::try_from(chat.id.as_str())
                .map_err(|_| Failure::Permanent(format!("not a Matrix room id: {}", chat.id)))?;
            return self.client.get_room(&id).ok_or_else(|| not_in(&chat.id));
        };
        let store = self.app.store();
        let kept = store.adapter_value(&direct_room_key(user)).await.map_err(transient)?;
        let known = kept.and_then(|id| OwnedRoomId::try_from(id).ok());
        if let Some(room) = known.and_then(|id| self.client.get_room(&id)) {
            return Ok(room);
        }
        let person = OwnedUserId::try_from(user)
            .map_err(|_| Failure::Permanent(format!("not a Matrix user id: {user}")))?;
        let room = self.client.create_dm(&person).await.map_err(classify)?;
        let id = room.room_id().as_str();
        store.set_adapter_value(&direct_room_key(user), id).await.map_err(transient)?;
        store.set_adapter_value(&direct_user_key(id), user).await.map_err(transient)?;
        Ok(room)
    }

    /// The room and event of a post sent under `key`; `None` for one
    /// never delivered, which leaves nothing to edit, pin or delete.
    async fn posted(
        &self,
        chat: &ChatRef,
        key: &str,
    ) -> Result<Option<(Room, OwnedEventId)>, Failure> {
        let known = self.app.store().post_id(chat, key).await.map_err(transient)?;
        let Some(event) = known.and_then(|id| OwnedEventId::try_from(id).ok()) else {
            return Ok(None);
        };
        Ok(Some((self.room(chat).await?, event)))
    }
}

fn not_in(room: &str) -> Failure {
    Failure::Permanent(format!("the bot is not in room {room}"))
}

fn transient(error: impl fmt::Display) -> Failure {
    Failure::Transient(error.to_string())
}

/// Waits at least this long when the homeserver asks to wait.
const MIN_WAIT: Duration = Duration::from_secs(1);

/// The homeserver's words decide: it says when to wait; its server errors
/// and the network may pass; its other refusals are final.
pub fn classify(error: matrix_sdk::Error) -> Failure {
    if let Some(ErrorKind::LimitExceeded(limit)) = error.client_api_error_kind() {
        let wait = match limit.retry_after {
            Some(RetryAfter::Delay(wait)) => wait,
            Some(RetryAfter::DateTime(at)) => {
                at.duration_since(SystemTime::now()).unwrap_or_default()
            }
            None => MIN_WAIT,
        };
        return Failure::RetryAfter(wait.max(MIN_WAIT));
    }
    if let Some(api) = error.as_client_api_error() {
        let status = api.status_code;
        return if status.is_server_error() || status.as_u16() == 429 {
            Failure::Transient(error.to_string())
        } else {
            Failure::Permanent(error.to_string())
        };
    }
    match &error {
        matrix_sdk::Error::Http(http) if matches!(**http, HttpError::Reqwest(_)) => {
            Failure::Transient(error.to_string())
        }
        _ => Failure::Permanent(error.to_string()),
    }
}
