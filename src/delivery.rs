//! Delivering a platform's outbox: in order within each chat, within the
//! platform's limits, many chats at once, retrying what may succeed later
//! and recording what never will. The platform's adapter provides the
//! [`Channel`] that sends one message and says how its limits count.

use std::fmt;
use std::sync::Arc;

use chrono::Utc;
use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use tokio::sync::{Notify, watch};
use tokio::time::{Duration, Instant};

use crate::app::App;
use crate::core::effect::{Effect, Text};
use crate::core::model::Platform;
use crate::core::pace::{Answered, Outcome, Pace, Take};
use crate::core::store::{OutboxItem, Store, StoreError};

/// Chats looked at in one round.
const BATCH: i64 = 500;

/// Transient failures of one message before it is given up. Waits the
/// platform asks for (its rate limits) are not failures and count for none.
const MAX_ATTEMPTS: i64 = 8;

/// How long delivery sleeps when nothing waits: the listener wakes it
/// sooner, and this catches messages another process wrote.
const IDLE: Duration = Duration::from_secs(5);

/// How long a message on its way is this process's. A send takes at most
/// a request's timeout (17 s for Telegram, 30 s for Matrix); if the
/// process dies meanwhile, another sends it again once this has passed.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);

/// How long a stopping process waits for the sends on their way, so that
/// their chats are not held until the leases run out.
const DRAIN: Duration = Duration::from_secs(5);

/// Why a message did not go.
#[derive(Debug)]
pub enum Failure {
    /// The platform asked to wait this long.
    RetryAfter(Duration),
    /// The network or the platform failed; trying again may work.
    Transient(String),
    /// It will never work: the person blocked the bot, the chat is gone,
    /// the bot lacks a right.
    Permanent(String),
}

/// What a message came to: the platform's id of the message sent (for
/// later edits) and how many messages count against the limits.
pub type Sent = Result<(Option<String>, usize), Failure>;

/// One platform's way of sending; cheap to clone into each send.
pub trait Channel: Clone + fmt::Debug + Send + Sync + 'static {
    const PLATFORM: Platform;

    fn pace(&self) -> &dyn Pace;

    /// Sends one message. The outbox id names it across retries, for
    /// platforms that recognise a message sent twice.
    fn send(&self, item: &OutboxItem) -> impl Future<Output = Sent> + Send;
}

/// A send under way and what it came to.
type Settling = (OutboxItem, Sent);

/// Delivers one account's outbox, alongside any other process that
/// delivers it: the store shares out the messages and counts the limits.
#[derive(Debug)]
pub struct Delivery<C> {
    channel: C,
    app: App,
    /// When messages that had to wait may be looked at again.
    next: Option<Instant>,
}

impl<C: Channel> Delivery<C> {
    pub fn new(channel: C, app: App) -> Self {
        Self { channel, app, next: None }
    }

    /// Delivers until `shutdown` turns true, woken early by `wake`. A send
    /// that takes long (Telegram's errors can) holds only its own chat.
    pub async fn run(mut self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        let mut in_flight: FuturesUnordered<BoxFuture<'static, Settling>> = FuturesUnordered::new();
        while !*shutdown.borrow() {
            match self.dispatch().await {
                Ok(sends) => in_flight.extend(sends),
                Err(error) => tracing::error!(%error, "cannot read the outbox; trying again"),
            }
            let wait = self.next.take().unwrap_or_else(|| Instant::now() + IDLE);
            tokio::select! {
                Some(sent) = in_flight.next(), if !in_flight.is_empty() => self.settle(sent).await,
                () = tokio::time::sleep_until(wait) => {}
                () = wake.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
        let drained = tokio::time::timeout(DRAIN, async {
            while let Some(sent) = in_flight.next().await {
                self.settle(sent).await;
            }
        });
        if drained.await.is_err() {
            tracing::warn!("stopped with sends on their way; they go again when their lease ends");
        }
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.app.store()
    }

    /// Starts the sends the store hands this process: the first waiting
    /// message of chats with none on its way, within the limits.
    async fn dispatch(&mut self) -> Result<Vec<BoxFuture<'static, Settling>>, StoreError> {
        // Platforms' windows are real time, whatever clock the core keeps.
        let now = Utc::now();
        let pace = self.channel.pace();
        let take = Take { platform: C::PLATFORM, now, lease: LEASE, batch: BATCH, pace };
        let taken = self.store().take_sends(&take).await?;
        if let Some(next) = taken.next {
            self.wait_until(Instant::now() + (next - now).to_std().unwrap_or_default());
        }
        let sends = taken.items.into_iter().map(|item| {
            let channel = self.channel.clone();
            Box::pin(async move {
                let result = channel.send(&item).await;
                (item, result)
            }) as BoxFuture<'static, Settling>
        });
        Ok(sends.collect())
    }

    /// Records what a send came to, which frees its chat. A failed send
    /// counts too: Telegram may have counted it before failing.
    async fn settle(&mut self, (item, result): Settling) {
        self.wait_until(Instant::now());
        let weight = result.as_ref().map_or(1, |(_, parts)| *parts);
        let answered = Answered { at: Utc::now(), weight: i64::try_from(weight).unwrap_or(1) };
        let recorded = match result {
            Ok((message_id, _)) => {
                let outcome = Outcome::Sent { message_id: message_id.as_deref() };
                self.store().settle(item.id, outcome, answered).await
            }
            Err(failure) => self.failed(&item, failure, answered).await,
        };
        if let Err(error) = recorded {
            tracing::error!(outbox = item.id, %error, "cannot record a delivery");
        }
    }

    async fn failed(
        &mut self,
        item: &OutboxItem,
        failure: Failure,
        answered: Answered,
    ) -> Result<(), StoreError> {
        let (wait, reason, counted) = match failure {
            Failure::Permanent(reason) => return self.give_up(item, &reason, answered).await,
            Failure::RetryAfter(wait) => (wait, format!("rate limited for {wait:?}"), false),
            Failure::Transient(reason) => (backoff(item.attempts), reason, true),
        };
        if counted && item.attempts + 1 >= MAX_ATTEMPTS {
            return self.give_up(item, &reason, answered).await;
        }
        let chat = item.effect.chat();
        tracing::warn!(outbox = item.id, %chat, %reason, "delivery failed; will retry");
        let after = answered.at + chrono::Duration::from_std(wait).unwrap_or(LEASE);
        let outcome = Outcome::Retry { error: &reason, after, counted };
        self.store().settle(item.id, outcome, answered).await?;
        self.wait_until(Instant::now() + wait);
        Ok(())
    }

    /// Records a message that will never go, and tells the coordinators
    /// when it was meant for a person or a group; a refused removal or pin
    /// is told to the group where it was asked, and an unanswered button
    /// press is nobody's concern.
    async fn give_up(
        &self,
        item: &OutboxItem,
        reason: &str,
        answered: Answered,
    ) -> Result<(), StoreError> {
        tracing::error!(outbox = item.id, chat = %item.effect.chat(), %reason, "delivery given up");
        self.store().settle(item.id, Outcome::GiveUp { error: reason }, answered).await?;
        let core = self.app.core();
        match item.effect {
            Effect::Answer { .. } => Ok(()),
            Effect::RemoveMember { .. } => {
                core.right_lacking(item.effect.chat(), Text::new("remove-needs-admin")).await
            }
            Effect::Pin { .. } => {
                core.right_lacking(item.effect.chat(), Text::new("pin-needs-admin")).await
            }
            _ => core.delivery_failed(item.effect.chat(), reason).await,
        }
    }

    /// Looks again no later than `at`.
    fn wait_until(&mut self, at: Instant) {
        self.next = Some(self.next.map_or(at, |next| next.min(at)));
    }
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
}
