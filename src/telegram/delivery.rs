//! Delivering the outbox to Telegram: in order within each chat, within
//! Telegram's limits, many chats at once, retrying what may succeed later
//! and recording what never will.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use teloxide::Bot;
use tokio::sync::{Notify, watch};
use tokio::time::{Duration, Instant};

use super::limits::Limits;
use super::send::{Failure, Sender};
use crate::app::App;
use crate::core::effect::Effect;
use crate::core::model::Platform;
use crate::core::store::{OutboxItem, Store, StoreError};

/// Messages read from the outbox at a time.
const BATCH: i64 = 500;

/// Transient failures of one message before it is given up.
const MAX_ATTEMPTS: i64 = 8;

/// How long delivery sleeps when nothing waits: the listener wakes it
/// sooner, and this catches messages another process wrote.
const IDLE: Duration = Duration::from_secs(5);

/// A send under way and what it answered.
type Sent = (OutboxItem, i64, Result<(Option<String>, usize), Failure>);

/// Delivers one bot's outbox. Its limits are this process's own.
pub struct Delivery {
    sender: Sender,
    limits: Limits,
    /// Chats with a message on its way: their next one waits for it.
    busy: HashSet<String>,
    /// When a chat that had to wait may be tried again.
    next: Option<Instant>,
}

/// Written by hand: a teloxide `Bot` prints its token.
impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Delivery").field("bot", &self.sender.username).finish_non_exhaustive()
    }
}

impl Delivery {
    pub fn new(bot: Bot, app: App, username: String) -> Self {
        let sender = Sender { bot, app, username };
        Self { sender, limits: Limits::default(), busy: HashSet::new(), next: None }
    }

    /// Delivers until `shutdown` turns true, woken early by `wake`. A send
    /// that takes long (Telegram's errors can) holds only its own chat.
    pub async fn run(mut self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        let mut in_flight: FuturesUnordered<BoxFuture<'static, Sent>> = FuturesUnordered::new();
        while !*shutdown.borrow() {
            match self.dispatch().await {
                Ok(sends) => in_flight.extend(sends),
                Err(error) => tracing::error!(%error, "cannot read the outbox; trying again"),
            }
            let wait = self.next.take().unwrap_or_else(|| Instant::now() + IDLE);
            tokio::select! {
                Some(sent) = in_flight.next(), if !in_flight.is_empty() => {
                    if let Err(error) = self.settle(sent).await {
                        tracing::error!(%error, "cannot record a delivery");
                    }
                }
                () = tokio::time::sleep_until(wait) => {}
                () = wake.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.sender.app.store()
    }

    /// Starts the sends that may go now: the first waiting message of
    /// each chat not already busy, so that every chat reads its messages
    /// in the order they were written, if the chat's limits allow. Their
    /// slots are taken before they leave, since they leave together.
    async fn dispatch(&mut self) -> Result<Vec<BoxFuture<'static, Sent>>, StoreError> {
        let items = self.store().pending(Platform::Telegram, BATCH).await?;
        let now = Instant::now();
        let mut seen = HashSet::new();
        let mut sends = Vec::new();
        for item in items {
            let key = item.effect.chat().id.clone();
            if !seen.insert(key.clone()) || self.busy.contains(&key) {
                continue;
            }
            let Ok(chat) = key.parse::<i64>() else {
                self.store().failed(item.id, "not a Telegram chat id", true).await?;
                continue;
            };
            if counts(&item.effect) {
                match self.limits.next_slot(chat, now) {
                    // A send in flight frees the slot when it is answered.
                    None => continue,
                    Some(slot) if slot > now => {
                        self.wait_until(slot);
                        continue;
                    }
                    Some(_) => self.limits.start(chat),
                }
            }
            self.busy.insert(key);
            let sender = self.sender.clone();
            sends.push(Box::pin(async move {
                let result = sender.send(chat, &item.effect).await;
                (item, chat, result)
            }) as BoxFuture<'static, Sent>);
        }
        Ok(sends)
    }

    /// Records what a send came to, and frees its chat. A failed send
    /// counts too: Telegram may have counted it before failing.
    async fn settle(&mut self, (item, chat, result): Sent) -> Result<(), StoreError> {
        self.busy.remove(&item.effect.chat().id);
        let now = Instant::now();
        self.wait_until(now);
        if counts(&item.effect) {
            let parts = result.as_ref().map_or(1, |(_, parts)| *parts);
            self.limits.finish(chat, now, parts);
        }
        match result {
            Ok((message_id, _)) => self.store().delivered(item.id, message_id.as_deref()).await,
            Err(failure) => self.failed(&item, chat, failure).await,
        }
    }

    async fn failed(
        &mut self,
        item: &OutboxItem,
        chat: i64,
        failure: Failure,
    ) -> Result<(), StoreError> {
        let (wait, reason) = match failure {
            Failure::Permanent(reason) => return self.give_up(item, &reason).await,
            Failure::RetryAfter(wait) => (wait, format!("rate limited for {wait:?}")),
            Failure::Transient(reason) => (backoff(item.attempts), reason),
        };
        if item.attempts + 1 >= MAX_ATTEMPTS {
            return self.give_up(item, &reason).await;
        }
        tracing::warn!(outbox = item.id, chat, %reason, "delivery failed; will retry");
        self.store().failed(item.id, &reason, false).await?;
        let until = Instant::now() + wait;
        self.limits.pause(chat, until);
        self.wait_until(until);
        Ok(())
    }

    /// Records a message that will never go, and tells the coordinators
    /// when it was meant for a person or a group; a refused removal is
    /// told to the group where it was asked, and an unanswered button
    /// press is nobody's concern.
    async fn give_up(&self, item: &OutboxItem, reason: &str) -> Result<(), StoreError> {
        tracing::error!(outbox = item.id, chat = %item.effect.chat(), %reason, "delivery given up");
        self.store().failed(item.id, reason, true).await?;
        let core = self.sender.app.core();
        match item.effect {
            Effect::Answer { .. } => Ok(()),
            Effect::RemoveMember { .. } => core.removal_refused(item.effect.chat()).await,
            _ => core.delivery_failed(item.effect.chat(), reason).await,
        }
    }

    /// Looks again no later than `at`.
    fn wait_until(&mut self, at: Instant) {
        self.next = Some(self.next.map_or(at, |next| next.min(at)));
    }
}

/// Whether an effect counts against Telegram's sending limits.
fn counts(effect: &Effect) -> bool {
    !matches!(effect, Effect::Answer { .. })
}

/// Waits 1, 2, 4… seconds after each failure, up to about a minute.
fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(0, 6)).unwrap_or(6);
    Duration::from_secs(1 << exponent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telegram::send::classify;
    use teloxide::{ApiError, RequestError};

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
