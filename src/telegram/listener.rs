//! Long polling with the inbox as the record of what was received. Each
//! update is handled by the core, which records it in the inbox in the
//! same transaction as its effects, before the offset that tells Telegram
//! it was received is sent: a crash in between makes Telegram send it
//! again, and the inbox makes the second time harmless.

use std::fmt;
use std::sync::Arc;

use teloxide::payloads::GetUpdatesSetters;
use teloxide::prelude::Requester;
use teloxide::types::{AllowedUpdate, Update};
use teloxide::{Bot, RequestError};
use tokio::sync::{Notify, watch};
use tokio::time::Duration;

use super::update::events;
use crate::core::{Core, CoreError};

/// How long one `getUpdates` waits for news, in seconds: below the 17 s
/// after which teloxide's HTTP client gives up on a request.
const POLL_SECONDS: u32 = 10;

/// Pause after a failed poll or event before trying again.
const RETRY: Duration = Duration::from_secs(2);

pub struct Listener {
    bot: Bot,
    core: Core,
    username: String,
    /// The first update not yet handled: what `getUpdates` asks for.
    offset: i32,
}

/// Written by hand: a teloxide `Bot` prints its token.
impl fmt::Debug for Listener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listener")
            .field("bot", &self.username)
            .field("offset", &self.offset)
            .finish()
    }
}

impl Listener {
    pub fn new(bot: Bot, core: Core, username: String) -> Self {
        Self { bot, core, username, offset: 0 }
    }

    /// Polls until `shutdown` turns true; wakes delivery after each batch.
    pub async fn run(mut self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            let poll = self
                .bot
                .get_updates()
                .offset(self.offset)
                .timeout(POLL_SECONDS)
                .allowed_updates(allowed());
            let updates = tokio::select! {
                updates = poll => updates,
                _ = shutdown.changed() => break,
            };
            match updates {
                Ok(updates) => {
                    if let Err(error) = self.handle_all(&updates).await {
                        tracing::error!(%error, "an update could not be handled; retrying");
                        tokio::time::sleep(RETRY).await;
                    }
                    wake.notify_one();
                }
                Err(error) => {
                    tracing::warn!(%error, "polling Telegram failed; retrying");
                    tokio::time::sleep(wait_for(&error)).await;
                }
            }
        }
    }

    /// Handles updates in order, moving the offset past each one handled;
    /// stops at the first that fails, to be fetched again.
    async fn handle_all(&mut self, updates: &[Update]) -> Result<(), CoreError> {
        for update in updates {
            for event in events(update, &self.username) {
                self.core.handle(&event).await?;
            }
            self.offset = i32::try_from(update.id.0).unwrap_or(i32::MAX).saturating_add(1);
        }
        Ok(())
    }
}

/// Telegram sends `chat_member` updates only to bots that ask for them.
pub(super) fn allowed() -> Vec<AllowedUpdate> {
    vec![
        AllowedUpdate::Message,
        AllowedUpdate::CallbackQuery,
        AllowedUpdate::ChatMember,
        AllowedUpdate::MyChatMember,
    ]
}

fn wait_for(error: &RequestError) -> Duration {
    match error {
        RequestError::RetryAfter(wait) => wait.duration(),
        _ => RETRY,
    }
}
