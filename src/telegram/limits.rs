//! Telegram's sending limits, kept by the sender so that Telegram never
//! has to refuse: about 30 messages a second overall, one a second in a
//! private chat, 20 a minute in a group. Edits, pins and deletions count
//! like messages; answers to button presses do not.
//!
//! The state lives in this process. With several replicas delivering to
//! the same bot each would keep its own count and together they could
//! exceed the limits; one replica delivers per bot until the count is
//! shared through the store.

use std::collections::{HashMap, VecDeque};

use tokio::time::{Duration, Instant};

const GLOBAL_PER_SECOND: usize = 30;
const PRIVATE_INTERVAL: Duration = Duration::from_secs(1);
const GROUP_PER_MINUTE: usize = 20;

#[derive(Debug, Default)]
pub struct Limits {
    /// Send times in the last second, for the overall limit.
    recent: VecDeque<Instant>,
    /// Send times per chat, within that chat's window.
    chats: HashMap<i64, VecDeque<Instant>>,
    /// Chats Telegram asked to wait (429), until when.
    paused: HashMap<i64, Instant>,
}

impl Limits {
    /// When a message to `chat` may go: now, or later.
    pub fn next_slot(&mut self, chat: i64, now: Instant) -> Instant {
        let (count, window) = window_of(chat);
        let global = earliest(&mut self.recent, GLOBAL_PER_SECOND, Duration::from_secs(1), now);
        let sent = self.chats.entry(chat).or_default();
        let local = earliest(sent, count, window, now);
        let paused = self.paused.get(&chat).copied().unwrap_or(now);
        global.max(local).max(paused)
    }

    /// Records a message sent to `chat` at `now`.
    pub fn record(&mut self, chat: i64, now: Instant) {
        self.recent.push_back(now);
        self.chats.entry(chat).or_default().push_back(now);
    }

    /// Telegram said to wait before sending to `chat` again.
    pub fn pause(&mut self, chat: i64, until: Instant) {
        let paused = self.paused.entry(chat).or_insert(until);
        *paused = (*paused).max(until);
    }
}

/// How many messages a chat takes per window: private chats have positive
/// ids, groups negative ones.
fn window_of(chat: i64) -> (usize, Duration) {
    if chat > 0 { (1, PRIVATE_INTERVAL) } else { (GROUP_PER_MINUTE, Duration::from_secs(60)) }
}

/// The earliest instant at which one more send fits `count` per `window`,
/// forgetting sends that left the window.
fn earliest(sent: &mut VecDeque<Instant>, count: usize, window: Duration, now: Instant) -> Instant {
    while sent.front().is_some_and(|at| *at + window <= now) {
        sent.pop_front();
    }
    if sent.len() < count {
        return now;
    }
    sent[sent.len() - count] + window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_chat_takes_one_message_a_second() {
        let mut limits = Limits::default();
        let start = Instant::now();
        assert_eq!(limits.next_slot(42, start), start);
        limits.record(42, start);
        assert_eq!(limits.next_slot(42, start), start + Duration::from_secs(1));
        assert_eq!(limits.next_slot(43, start), start, "another chat is not held up");
    }

    #[test]
    fn a_group_takes_twenty_messages_a_minute() {
        let mut limits = Limits::default();
        let start = Instant::now();
        for n in 0..20 {
            let at = start + Duration::from_millis(n * 100);
            assert!(limits.next_slot(-100, at) <= at);
            limits.record(-100, at);
        }
        let later = start + Duration::from_secs(2);
        assert_eq!(limits.next_slot(-100, later), start + Duration::from_secs(60));
    }

    #[test]
    fn thirty_messages_a_second_overall() {
        let mut limits = Limits::default();
        let start = Instant::now();
        for chat in 1..=30 {
            limits.record(chat, start);
        }
        assert_eq!(limits.next_slot(31, start), start + Duration::from_secs(1));
    }

    #[test]
    fn a_pause_holds_the_chat() {
        let mut limits = Limits::default();
        let start = Instant::now();
        limits.pause(-7, start + Duration::from_secs(5));
        assert_eq!(limits.next_slot(-7, start), start + Duration::from_secs(5));
    }
}
