//! Leased delivery: how the processes that deliver one platform's outbox
//! share it. Each message is leased to one process while it is on its
//! way, each chat has at most one message on its way so that it reads
//! them in order, and the platform's sending limits are counted over the
//! sends of every process, kept in the store.
//!
//! The store decides which messages leave in one transaction per round;
//! the platform's adapter says how its limits count, as a [`Pace`].

use chrono::{DateTime, Duration, Utc};

use super::model::Platform;
use super::store::OutboxItem;

/// A send counted against a platform's limits: when it left, when its
/// answer came back (`None` while it is on its way), and how many
/// messages it made (a long text goes in parts).
#[derive(Clone, Debug, PartialEq)]
pub struct SendRecord {
    pub chat: String,
    pub left: DateTime<Utc>,
    pub answered: Option<DateTime<Utc>>,
    pub weight: i64,
}

/// The messages that may leave now, by outbox id, each with whether it
/// counts against the limits; and when to look again for the others.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Admission {
    pub go: Vec<(i64, bool)>,
    pub next: Option<DateTime<Utc>>,
}

impl Admission {
    /// Looks again no later than `at`.
    pub fn look_again(&mut self, at: DateTime<Utc>) {
        self.next = Some(self.next.map_or(at, |next| next.min(at)));
    }
}

/// A platform's sending limits.
pub trait Pace: Send + Sync + std::fmt::Debug {
    /// How long after its answer a send still counts: the longest window.
    fn memory(&self) -> Duration;

    /// Which of `waiting` (the first message of each chat, oldest first)
    /// may leave at `now`, given the `recent` sends of every process.
    fn admit(&self, recent: &[SendRecord], waiting: &[OutboxItem], now: DateTime<Utc>)
    -> Admission;
}

/// What a delivering process asks of the store in one round.
#[derive(Clone, Copy, Debug)]
pub struct Take<'a> {
    pub platform: Platform,
    pub now: DateTime<Utc>,
    /// How long the messages taken are this process's: if it dies with
    /// one on its way, another process sends it again after that.
    pub lease: Duration,
    /// At most this many messages are looked at.
    pub batch: i64,
    pub pace: &'a dyn Pace,
}

/// What the store gives back: messages now leased to the caller, and when
/// to look again if nothing wakes it sooner.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Taken {
    pub items: Vec<OutboxItem>,
    pub next: Option<DateTime<Utc>>,
}

/// How a leased send ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome<'a> {
    /// Delivered, with the platform's id of the message for later edits.
    Sent { message_id: Option<&'a str> },
    /// Failed for now: tried again (first in its chat) after `after`.
    /// `counted` is false when the platform only asked to wait, which
    /// says nothing against the message and uses up none of its tries.
    Retry { error: &'a str, after: DateTime<Utc>, counted: bool },
    /// Failed for good; its chat moves on to the next message.
    GiveUp { error: &'a str },
}

/// A send's end as the limits see it: when the answer came back and how
/// many messages it made (none for an edit of a post never delivered).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Answered {
    pub at: DateTime<Utc>,
    pub weight: i64,
}
