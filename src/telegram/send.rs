//! Sending one outbox message to Telegram, and reading Telegram's answer:
//! sent, wait, try again later, or never.

use std::fmt;
use teloxide::payloads::{
    AnswerCallbackQuerySetters, EditMessageTextSetters, SendMessageSetters, UnbanChatMemberSetters,
};
use teloxide::prelude::Requester;
use teloxide::types::{
    CallbackQueryId, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId, ParseMode,
    UserId,
};

use teloxide::{ApiError, Bot, RequestError};
use tokio::time::Duration;

use super::limits::TelegramPace;
use super::render;
use crate::app::App;
use crate::core::effect::{Effect, Message, Text};
use crate::core::model::{ChatRef, Lang, Platform};
use crate::core::pace::Pace;
use crate::core::store::OutboxItem;
use crate::delivery::{Channel, Failure, Sent};

/// What sends for one bot; cheap to clone into each send in flight.
#[derive(Clone)]
pub struct Sender {
    bot: Bot,
    app: App,
    username: String,
}

/// Written by hand: a teloxide `Bot` prints its token.
impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("bot", &self.username).finish_non_exhaustive()
    }
}

impl Channel for Sender {
    const PLATFORM: Platform = Platform::Telegram;

    fn pace(&self) -> &dyn Pace {
        &TelegramPace
    }

    fn send(&self, item: &OutboxItem) -> impl Future<Output = Sent> + Send {
        self.send_effect(&item.effect)
    }
}

impl Sender {
    pub fn new(bot: Bot, app: App, username: String) -> Self {
        Self { bot, app, username }
    }

    async fn send_effect(&self, effect: &Effect) -> Sent {
        let Ok(chat_id) = effect.chat().id.parse::<i64>().map(ChatId) else {
            return Err(Failure::Permanent("not a Telegram chat id".to_owned()));
        };
        match effect {
            Effect::Send { message, .. } => self.send_message(chat_id, message).await,
            Effect::Edit { chat, key, message } => {
                let Some(id) = self.post(chat, key).await? else { return Ok((None, 0)) };
                self.edit_message(chat_id, id, message).await.map(|()| (None, 1))
            }
            Effect::Delete { chat, key } | Effect::Pin { chat, key } => {
                let Some(id) = self.post(chat, key).await? else { return Ok((None, 0)) };
                let result = match effect {
                    Effect::Delete { .. } => self.bot.delete_message(chat_id, id).await,
                    _ => self.bot.pin_chat_message(chat_id, id).await,
                };
                result.map(|_| (None, 1)).map_err(classify)
            }
            Effect::RemoveMember { user, .. } => self.remove(chat_id, user).await,
            Effect::Answer { event, lang, text, .. } => {
                self.answer(event, *lang, text.as_ref()).await.map(|()| (None, 0))
            }
        }
    }

    /// The Telegram id of a post; `None` for one never delivered, which
    /// leaves nothing to edit, pin or delete.
    async fn post(&self, chat: &ChatRef, key: &str) -> Result<Option<MessageId>, Failure> {
        let known = self.app.store().post_id(chat, key).await;
        let known = known.map_err(|error| Failure::Transient(error.to_string()))?;
        Ok(known.and_then(|id| id.parse::<i32>().ok()).map(MessageId))
    }

    async fn send_message(
        &self,
        chat: ChatId,
        message: &Message,
    ) -> Result<(Option<String>, usize), Failure> {
        let rendered = render::message(self.app.localizer(), message, &self.username);
        let count = rendered.parts.len();
        let mut last = None;
        // The parts follow one another at once: a message long enough to
        // be split can exceed a private chat's one message a second.
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
        let rendered = render::message(self.app.localizer(), message, &self.username);
        let text = rendered.parts.first().cloned().unwrap_or_default();
        let keyboard = rendered.keyboard.unwrap_or_else(|| InlineKeyboardMarkup::new(no_buttons()));
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

    async fn answer(&self, event: &str, lang: Lang, text: Option<&Text>) -> Result<(), Failure> {
        // Only presses have an id to answer; the listener names them `cb…`.
        let Some(id) = event.strip_prefix("cb") else { return Ok(()) };
        let mut request = self.bot.answer_callback_query(CallbackQueryId(id.to_owned()));
        if let Some(text) = text {
            request = request.text(self.app.localizer().render(lang, text));
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

fn no_buttons() -> Vec<Vec<InlineKeyboardButton>> {
    Vec::new()
}

/// Telegram's own words decide: it says when to wait, and its refusals
/// other than server errors are final.
pub(super) fn classify(error: RequestError) -> Failure {
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

#[cfg(test)]
mod tests {
    use super::*;

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
