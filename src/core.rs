//! The conversational core: platform-neutral events in, effects out.
//!
//! [`Core::handle`] runs each event in one store transaction: the inbox
//! record that makes a replay harmless, the state change, and the effects
//! written to the outbox commit together. A refusal (bad input, a role
//! that does not allow the command) rolls back whatever the handler began
//! and commits only the inbox record and the answer.

pub mod clock;
pub mod cron;
pub mod effect;
pub mod event;
pub mod geocode;
pub mod job;
pub mod matching;
pub mod model;
pub mod pace;
pub mod policy;
pub mod store;

mod account;
mod choices;
mod claim;
mod command;
mod context;
mod dialogue;
mod dispatch;
mod elder;
mod feedback;
mod group;
mod notes;
mod offer;
mod parse;
mod profile;
mod publish;
mod recurring;
mod remind;
mod render;
mod report;
mod staff;

use std::sync::Arc;

use tokio::sync::Notify;
use tracing::{Instrument, debug, error, info_span};

pub use self::command::Command;
pub use self::dialogue::Dialogue;
pub use self::remind::Fired;

use self::clock::Clock;
use self::context::{Ctx, Stop};
use self::effect::{Effect, Message, Text};
use self::event::{Event, EventKind};
use self::model::{Account, AccountRef, ChatRef, Person, Role};
use self::policy::Policy;
use self::store::{NewPerson, Store, StoreError};
use crate::geography::Geography;

/// What the core depends on, shared by every event.
#[derive(Debug)]
pub struct Deps {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub geography: Arc<Geography>,
    pub geocoding: geocode::Geocoding,
    pub policy: Policy,
}

#[derive(Clone, Debug)]
pub struct Core {
    deps: Arc<Deps>,
    /// Signalled when an event or a job wrote jobs, which may fall due
    /// sooner than the scheduler expects.
    jobs_written: Arc<Notify>,
}

/// How one attempt at an event ended.
enum Attempt {
    Handled(Handled),
    /// Rolled back: the event needs this address looked up first.
    LookUp(String),
}

/// How an event ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handled {
    /// Handled now: its effects are in the outbox.
    Done,
    /// Refused with an answer to the sender; nothing else changed.
    Refused,
    /// Already handled before (a replay): nothing was done.
    Duplicate,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot handle event {event}: {source}")]
pub struct CoreError {
    pub event: String,
    #[source]
    pub source: StoreError,
}

impl Core {
    pub fn new(deps: Deps) -> Self {
        Self { deps: Arc::new(deps), jobs_written: Arc::new(Notify::new()) }
    }

    /// What the scheduler waits on besides the time of the next job.
    pub fn jobs_written(&self) -> &Arc<Notify> {
        &self.jobs_written
    }

    pub fn deps(&self) -> &Deps {
        &self.deps
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.deps.store
    }

    /// Handles one event, at most once however often it is delivered.
    pub async fn handle(&self, event: &Event) -> Result<Handled, CoreError> {
        let span = info_span!(
            "event",
            platform = event.platform().as_str(),
            chat = %event.chat.id,
            event = %event.id,
        );
        self.handle_looking_up(event)
            .instrument(span)
            .await
            .map_err(|source| CoreError { event: event.id.clone(), source })
    }

    /// Handles an event, and again with the address it gives looked up
    /// when it turns out to need one. The second time the lookup is there,
    /// so it is not asked for again.
    async fn handle_looking_up(&self, event: &Event) -> Result<Handled, StoreError> {
        match self.handle_once(event, None).await? {
            Attempt::Handled(handled) => Ok(handled),
            Attempt::LookUp(address) => {
                let looked_up = geocode::look_up(&self.deps, address).await;
                match self.handle_once(event, Some(looked_up)).await? {
                    Attempt::Handled(handled) => Ok(handled),
                    // The dialogue asks only while nothing was looked up.
                    Attempt::LookUp(_) => {
                        Err(StoreError::Corrupt("an address was wanted twice".to_owned()))
                    }
                }
            }
        }
    }

    async fn handle_once(
        &self,
        event: &Event,
        looked_up: Option<geocode::Lookup>,
    ) -> Result<Attempt, StoreError> {
        let mut tx = self.deps.store.begin().await?;
        let sender = event.account();
        let opened = tx.open_event(event.platform(), &event.id, event.at, &sender);
        let Some(me) = opened.await? else {
            debug!("replayed event ignored");
            return Ok(Attempt::Handled(Handled::Duplicate));
        };
        let mut ctx = Ctx::open(&self.deps, tx, event, me).await?;
        ctx.looked_up = looked_up;
        let handled = match dispatch::dispatch(&mut ctx).await {
            Ok(()) => {
                if ctx.finish().await? {
                    self.jobs_written.notify_one();
                }
                Handled::Done
            }
            Err(Stop::Refuse(text)) => {
                let lang = ctx.lang;
                drop(ctx);
                self.answer_alone(event, lang, text).await?;
                Handled::Refused
            }
            Err(Stop::LookUp(address)) => return Ok(Attempt::LookUp(address)),
            Err(Stop::Store(error)) => {
                error!(%error, "event failed; the sender is told to try again");
                let lang = ctx.lang;
                drop(ctx);
                self.answer_alone(event, lang, Text::new("error-internal")).await?;
                return Err(error);
            }
        };
        Ok(Attempt::Handled(handled))
    }

    /// Commits the inbox record and one answer, and nothing else: what a
    /// refused or failed event leaves behind.
    async fn answer_alone(
        &self,
        event: &Event,
        lang: model::Lang,
        text: Text,
    ) -> Result<(), StoreError> {
        let mut tx = self.deps.store.begin().await?;
        tx.record_event(event.platform(), &event.id, event.at).await?;
        let effect = match event.kind {
            EventKind::Button(_) => Effect::Answer {
                chat: event.chat.clone(),
                event: event.id.clone(),
                lang,
                text: Some(text),
            },
            _ => Effect::Send { chat: event.chat.clone(), message: Message::new(lang, text) },
        };
        tx.enqueue(&[effect], event.at).await?;
        tx.commit().await
    }

    /// Tells the staff room that a chat could not be reached for good (the
    /// person blocked the bot, the group is gone, the bot lost a right),
    /// naming the person or group but not what the message said. Failures
    /// in the staff room itself are not reported there.
    pub async fn delivery_failed(&self, chat: &ChatRef, reason: &str) -> Result<(), StoreError> {
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin().await?;
        let rooms = tx.groups_of_kind(model::GroupKind::Staff).await?;
        if rooms.is_empty() || rooms.iter().any(|room| room.chat == *chat) {
            return Ok(());
        }
        let who = match tx.group(chat).await? {
            Some(group) => group.title,
            None => {
                let account = AccountRef { platform: chat.platform, user: chat.id.clone() };
                tx.account(&account).await?.map_or_else(|| chat.to_string(), |(_, p)| p.name)
            }
        };
        let reason: String = reason.chars().take(200).collect();
        let text = Text::new("staff-delivery-failed").arg("who", who).arg("reason", reason);
        let effects: Vec<Effect> = rooms
            .into_iter()
            .map(|room| Effect::Send {
                chat: room.chat,
                message: Message::new(room.lang, text.clone()),
            })
            .collect();
        tx.commit_with(&effects, now).await
    }

    /// Tells a group that a member could not be removed, or a post pinned,
    /// because the bot lacks the right there, so that whoever asked knows
    /// what to fix; `what` is the message saying which right.
    pub async fn right_lacking(&self, chat: &ChatRef, what: Text) -> Result<(), StoreError> {
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin().await?;
        let lang = tx.group(chat).await?.map_or(self.deps.policy.default_lang, |group| group.lang);
        let message = Message::new(lang, what);
        tx.commit_with(&[Effect::Send { chat: chat.clone(), message }], now).await
    }

    /// Makes sure each account named in bot-config belongs to a
    /// coordinator, so that a new deployment has someone to run it.
    pub async fn seed_coordinators(&self, accounts: &[AccountRef]) -> Result<(), StoreError> {
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin().await?;
        for account in accounts {
            let person = match tx.account(account).await? {
                Some((_, person)) => person,
                None => {
                    let new = NewPerson {
                        name: account.user.clone(),
                        lang: self.deps.policy.default_lang,
                        radius_km: self.deps.policy.default_radius_km,
                        at: now,
                    };
                    let person = tx.insert_person(&new).await?;
                    let linked = Account {
                        account: account.clone(),
                        person: person.id,
                        handle: None,
                        private_chat: None,
                    };
                    tx.upsert_account(&linked).await?;
                    person
                }
            };
            if !person.roles.has(Role::Coordinator) || !person.verified {
                let roles = person.roles.with(Role::Coordinator);
                tx.update_person(&Person { roles, verified: true, ..person }).await?;
            }
        }
        tx.commit().await
    }
}
