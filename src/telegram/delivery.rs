//! Delivering the outbox to Telegram: in order within each chat, within
//! Telegram's limits, retrying what may succeed later and recording what
//! never will.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use teloxide::payloads::{
    AnswerCallbackQuerySetters, EditMessageTextSetters, SendMessageSetters, UnbanChatMemberSetters,
};
use teloxide::prelude::Requester;
use teloxide::types::{
    CallbackQueryId, ChatId, InlineKeyboardMarkup, MessageId, ParseMode, UserId,
};
use teloxide::{ApiError, Bot, RequestError};
use tokio::sync::{Notify, watch};
use tokio::time::{Duration, Instant};

use super::limits::Limits;
use super::render;
use crate::app::App;
use crate::core::effect::{Effect, Message};
use crate::core::model::Platform;
use crate::core::store::{OutboxItem, Store, StoreError};
use crate::i18n::Localizer;

/// Messages read from the outbox at a time.
const BATCH: i64 = 100;

/// Transient failures of one message before it is given up.
const MAX_ATTEMPTS: i64 = 8;

/// Why a message did not go.
#[derive(Debug)]
enum Failure {
    /// Telegram asked to wait this long.
    RetryAfter(Duration),
    /// The network or Telegram failed; trying again may work.
    Transient(String),
    /// It will never work: the person blocked the bot, the chat is gone,
    /// the bot lacks a right.
    Permanent(String),
}

/// How long delivery sleeps when nothing waits: the listener wakes it
/// sooner, and this catches messages another process wrote.
const IDLE: Duration = Duration::from_secs(5);

/// Delivers one bot's outbox. Its limits are this process's own.
pub struct Delivery {
    bot: Bot,
    app: App,
    username: String,
    limits: Limits,
}

/// Written by hand: a teloxide `Bot` prints its token.
impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery").field("bot", &self.username).finish_non_exhaustive()
    }
}

impl Delivery {
    pub fn new(bot: Bot, app: App, username: String) -> Self {
        Self { bot, app, username, limits: Limits::default() }
    }

    /// Delivers until `shutdown` turns true, woken early by `wake`.
    pub async fn run(mut self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            let next = match self.pass().await {
                Ok(next) => next.unwrap_or_else(|| Instant::now() + IDLE),
                Err(error) => {
                    tracing::error!(%error, "cannot read the outbox; trying again");
                    Instant::now() + IDLE
                }
            };
            tokio::select! {
                () = tokio::time::sleep_until(next) => {}
                () = wake.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.app.store()
    }

    fn localizer(&self) -> &Localizer {
        self.app.localizer()
    }

    /// Sends what may go now; returns when to look again for what had to
    /// wait, or `None` when nothing is waiting.
    pub async fn pass(&mut self) -> Result<Option<Instant>, StoreError> {
        let items = self.store().pending(Platform::Telegram, BATCH).await?;
        // A chat whose earlier message waits holds its later ones, so that
        // each chat reads its messages in the order they were written.
        let mut held: HashSet<String> = HashSet::new();
        let mut next: Option<Instant> = None;
        for item in items {
            let chat = item.effect.chat().id.clone();
            if held.contains(&chat) {
                continue;
            }
            if let Some(wait) = self.deliver(&item).await? {
                held.insert(chat);
                next = Some(next.map_or(wait, |next| next.min(wait)));
            }
        }
        Ok(next)
    }

    /// Delivers one message, or says until when it has to wait.
    async fn deliver(&mut self, item: &OutboxItem) -> Result<Option<Instant>, StoreError> {
        let Ok(chat) = item.effect.chat().id.parse::<i64>() else {
            self.store().failed(item.id, "not a Telegram chat id", true).await?;
            return Ok(None);
        };
        let counted = counts(&item.effect);
        let now = Instant::now();
        let slot = if counted { self.limits.next_slot(chat, now) } else { now };
        if slot > now {
            return Ok(Some(slot));
        }
        match self.send(chat, &item.effect).await {
            Ok((message_id, sent)) => {
                for _ in 0..sent {
                    self.limits.record(chat, Instant::now());
                }
                self.store().delivered(item.id, message_id.as_deref()).await?;
                Ok(None)
            }
            Err(failure) => self.failed(item, chat, failure).await,
        }
    }

    async fn failed(
        &mut self,
        item: &OutboxItem,
        chat: i64,
        failure: Failure,
    ) -> Result<Option<Instant>, StoreError> {
        let now = Instant::now();
        let (wait, reason) = match failure {
            Failure::Permanent(reason) => {
                self.give_up(item, &reason).await?;
                return Ok(None);
            }
            Failure::RetryAfter(wait) => (wait, format!("rate limited for {wait:?}")),
            Failure::Transient(reason) => (backoff(item.attempts), reason),
        };
        if item.attempts + 1 >= MAX_ATTEMPTS {
            self.give_up(item, &reason).await?;
            return Ok(None);
        }
        tracing::warn!(outbox = item.id, chat, %reason, "delivery failed; will retry");
        self.store().failed(item.id, &reason, false).await?;
        self.limits.pause(chat, now + wait);
        Ok(Some(now + wait))
    }

    /// Records a message that will never go, and tells the coordinators
    /// when it was meant for a person or a group (an unanswered button
    /// press is nobody's concern).
    async fn give_up(&self, item: &OutboxItem, reason: &str) -> Result<(), StoreError> {
        tracing::error!(outbox = item.id, chat = %item.effect.chat(), %reason, "delivery given up");
        self.store().failed(item.id, reason, true).await?;
        if matches!(item.effect, Effect::Answer { .. }) {
            return Ok(());
        }
        self.app.core().delivery_failed(item.effect.chat(), reason).await
    }

    /// Sends one effect; returns the platform's id of the message sent
    /// (for later edits) and how many messages count against the limits.
    async fn send(&self, chat: i64, effect: &Effect) -> Result<(Option<String>, usize), Failure> {
        let chat_id = ChatId(chat);
        match effect {
            Effect::Send { message, .. } => self.send_message(chat_id, message).await,
            Effect::Edit { chat, key, message } => {
                let known = self.store().post_id(chat, key).await;
                let known = known.map_err(|error| Failure::Transient(error.to_string()))?;
                // A post never delivered has nothing to edit.
                let Some(id) = known.and_then(|id| id.parse::<i32>().ok()) else {
                    return Ok((None, 0));
                };
                self.edit_message(chat_id, MessageId(id), message).await.map(|()| (None, 1))
            }
            Effect::Delete { chat, key } | Effect::Pin { chat, key } => {
                let known = self.store().post_id(chat, key).await;
                let known = known.map_err(|error| Failure::Transient(error.to_string()))?;
                let Some(id) = known.and_then(|id| id.parse::<i32>().ok()) else {
                    return Ok((None, 0));
                };
                let result = match effect {
                    Effect::Delete { .. } => self.bot.delete_message(chat_id, MessageId(id)).await,
                    _ => self.bot.pin_chat_message(chat_id, MessageId(id)).await,
                };
                result.map(|_| (None, 1)).map_err(classify)
            }
            Effect::RemoveMember { user, .. } => self.remove(chat_id, user).await,
            Effect::Answer { event, lang, text, .. } => {
                self.answer(event, *lang, text.as_ref()).await.map(|()| (None, 0))
            }
        }
    }

    async fn send_message(
        &self,
        chat: ChatId,
        message: &Message,
    ) -> Result<(Option<String>, usize), Failure> {
        let rendered = render::message(self.localizer(), message, &self.username);
        let count = rendered.parts.len();
        let mut last = None;
        for (index, part) in rendered.parts.iter().enumerate() {
            let mut request = self.bot.send_message(chat, part).parse_mode(ParseMode::Html);
            if let (true, Some(keyboard)) = (index + 1 == count, rendered.keyboard.clone()) {
                request = request.reply_markup(keyboard);
            }
            last = Some(request.await.map_err(classify)?.id.0.to_string());
        }
        Ok((last, count))
    }

    /// Replaces a post's text and buttons; a post left without buttons
    /// loses the ones it had.
    async fn edit_message(
        &self,
        chat: ChatId,
        id: MessageId,
        message: &Message,
    ) -> Result<(), Failure> {
        let rendered = render::message(self.localizer(), message, &self.username);
        let text = rendered.parts.first().cloned().unwrap_or_default();
        let keyboard = rendered.keyboard.unwrap_or_else(|| InlineKeyboardMarkup::new(empty()));
        let request = self.bot.edit_message_text(chat, id, text).parse_mode(ParseMode::Html);
        match request.reply_markup(keyboard).await {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(()),
            Err(error) => Err(classify(error)),
        }
    }

    /// Removes a member: banned, then unbanned at once, so that they may
    /// come back through an invitation.
    async fn remove(&self, chat: ChatId, user: &str) -> Result<(Option<String>, usize), Failure> {
        let Ok(user) = user.parse::<u64>().map(UserId) else {
            return Err(Failure::Permanent(format!("not a Telegram user id: {user}")));
        };
        self.bot.ban_chat_member(chat, user).await.map_err(classify)?;
        let unban = self.bot.unban_chat_member(chat, user).only_if_banned(true);
        unban.await.map_err(classify)?;
        Ok((None, 1))
    }

    async fn answer(
        &self,
        event: &str,
        lang: crate::core::model::Lang,
        text: Option<&crate::core::effect::Text>,
    ) -> Result<(), Failure> {
        // Only presses have an id to answer; the listener names them `cb…`.
        let Some(id) = event.strip_prefix("cb") else { return Ok(()) };
        let mut request = self.bot.answer_callback_query(CallbackQueryId(id.to_owned()));
        if let Some(text) = text {
            request = request.text(self.localizer().render(lang, text));
        }
        match request.await {
            Ok(_) => Ok(()),
            // A press answered too late (after about 15 s) cannot be
            // answered at all: there is nothing left to retry.
            Err(RequestError::Api(error)) => Err(Failure::Permanent(error.to_string())),
            Err(error) => Err(classify(error)),
        }
    }
}

fn empty() -> Vec<Vec<teloxide::types::InlineKeyboardButton>> {
    Vec::new()
}

/// Whether an effect counts against Telegram's sending limits.
fn counts(effect: &Effect) -> bool {
    !matches!(effect, Effect::Answer { .. })
}

/// Telegram's own words decide: it says when to wait, and its refusals
/// other than server errors are final.
fn classify(error: RequestError) -> Failure {
    match error {
        RequestError::RetryAfter(wait) => Failure::RetryAfter(wait.duration().max(MIN_WAIT)),
        RequestError::Api(ApiError::Unknown(description)) if is_server_error(&description) => {
            Failure::Transient(description)
        }
        RequestError::Api(error) => Failure::Permanent(error.to_string()),
        RequestError::MigrateToChatId(chat) => {
            Failure::Permanent(format!("the group moved to chat {}", chat.0))
        }
        other => Failure::Transient(other.to_string()),
    }
}

const MIN_WAIT: Duration = Duration::from_secs(1);

fn is_server_error(description: &str) -> bool {
    ["Internal Server Error", "Bad Gateway", "Service Unavailable", "Gateway Timeout"]
        .iter()
        .any(|error| description.contains(error))
}

/// Waits 1, 2, 4… seconds after each failure, up to about a minute.
fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(0, 6)).unwrap_or(6);
    Duration::from_secs(1 << exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_stop_growing() {
        let waits: Vec<u64> = (0..9).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 64, 64]);
    }

    #[test]
    fn failures_are_sorted_by_what_telegram_says() {
        let wait = RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(3));
        assert!(matches!(classify(wait), Failure::RetryAfter(d) if d.as_secs() == 3));
        let blocked = RequestError::Api(ApiError::BotBlocked);
        assert!(matches!(classify(blocked), Failure::Permanent(_)));
        let server = RequestError::Api(ApiError::Unknown("Internal Server Error".into()));
        assert!(matches!(classify(server), Failure::Transient(_)));
    }
}
