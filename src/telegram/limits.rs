//! Telegram's sending limits, kept by the sender so that Telegram never
//! has to refuse: 30 messages a second overall, one a second in a private
//! chat, 20 a minute in a group. Edits, pins and deletions count like
//! messages; answers to button presses do not.
//!
//! Telegram counts a message when it arrives, which the sender cannot
//! see. A message counts here from the moment it leaves until a second
//! (or a minute) after its answer came back, which is always later than
//! its arrival: however the network bunches messages, no window of
//! Telegram's can hold more than the limit.
//!
//! The state lives in this process. With several replicas delivering to
//! the same bot each would keep its own count and together they could
//! exceed the limits; one replica delivers per bot until the count is
//! shared through the store.

use std::collections::{HashMap, VecDeque};

use tokio::time::{Duration, Instant};

const GLOBAL_PER_SECOND: usize = 30;
const PRIVATE_PER_SECOND: usize = 1;
const GROUP_PER_MINUTE: usize = 20;

#[derive(Debug, Default)]
pub struct Limits {
    /// When recent answers came back, for the overall limit.
    recent: VecDeque<Instant>,
    /// The same per chat, within that chat's window.
    chats: HashMap<i64, VecDeque<Instant>>,
    /// Messages sent and not yet answered, overall and per chat.
    in_flight: usize,
    chats_in_flight: HashMap<i64, usize>,
    /// Chats Telegram asked to wait (429), until when.
    paused: HashMap<i64, Instant>,
}

impl Limits {
    /// When a message to `chat` may leave: `Some(now)` at once, `Some`
    /// later, or `None` when it must wait for a message in flight.
    pub fn next_slot(&mut self, chat: i64, now: Instant) -> Option<Instant> {
        let (count, window) = window_of(chat);
        let flying = self.chats_in_flight.get(&chat).copied().unwrap_or(0);
        let local = earliest(self.chats.entry(chat).or_default(), count, flying, window, now)?;
        let global = earliest(&mut self.recent, GLOBAL_PER_SECOND, self.in_flight, SECOND, now)?;
        let paused = self.paused.get(&chat).copied().unwrap_or(now);
        Some(global.max(local).max(paused))
    }

    /// A message to `chat` leaves now.
    pub fn start(&mut self, chat: i64) {
        self.in_flight += 1;
        *self.chats_in_flight.entry(chat).or_default() += 1;
    }

    /// Its answer came back at `now`, after `parts` messages.
    pub fn finish(&mut self, chat: i64, now: Instant, parts: usize) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if let Some(flying) = self.chats_in_flight.get_mut(&chat) {
            *flying = flying.saturating_sub(1);
        }
        for _ in 0..parts.max(1) {
            self.recent.push_back(now);
            self.chats.entry(chat).or_default().push_back(now);
        }
    }

    /// Telegram said to wait before sending to `chat` again.
    pub fn pause(&mut self, chat: i64, until: Instant) {
        let paused = self.paused.entry(chat).or_insert(until);
        *paused = (*paused).max(until);
    }
}

const SECOND: Duration = Duration::from_secs(1);

/// How many messages a chat takes per window: private chats have positive
/// ids, groups negative ones.
fn window_of(chat: i64) -> (usize, Duration) {
    if chat > 0 {
        (PRIVATE_PER_SECOND, SECOND)
    } else {
        (GROUP_PER_MINUTE, Duration::from_secs(60))
    }
}

/// The earliest instant at which one more message fits `count` per
/// `window`, with `flying` messages not yet answered; `None` when those
/// alone fill it. Answers that left the window are forgotten.
fn earliest(
    answered: &mut VecDeque<Instant>,
    count: usize,
    flying: usize,
    window: Duration,
    now: Instant,
) -> Option<Instant> {
    while answered.front().is_some_and(|at| *at + window <= now) {
        answered.pop_front();
    }
    if flying >= count {
        return None;
    }
    let used = answered.len() + flying;
    if used < count {
        return Some(now);
    }
    Some(answered[used - count] + window)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_chat_takes_one_message_a_second_after_its_answer() {
        let mut limits = Limits::default();
        let start = Instant::now();
        assert_eq!(limits.next_slot(42, start), Some(start));
        limits.start(42);
        assert_eq!(limits.next_slot(42, start), None, "wait for the answer");
        let answered = start + Duration::from_millis(300);
        limits.finish(42, answered, 1);
        assert_eq!(limits.next_slot(42, answered), Some(answered + SECOND));
        assert_eq!(limits.next_slot(43, answered), Some(answered), "another chat is free");
    }

    #[test]
    fn a_group_takes_twenty_messages_a_minute() {
        let mut limits = Limits::default();
        let start = Instant::now();
        for n in 0..20 {
            let at = start + Duration::from_millis(n * 100);
            assert_eq!(limits.next_slot(-100, at), Some(at));
            limits.start(-100);
            limits.finish(-100, at, 1);
        }
        let later = start + Duration::from_secs(2);
        assert_eq!(limits.next_slot(-100, later), Some(start + Duration::from_secs(60)));
    }

    #[test]
    fn thirty_messages_a_second_overall_counting_those_in_flight() {
        let mut limits = Limits::default();
        let start = Instant::now();
        for chat in 1..=20 {
            limits.start(chat);
            limits.finish(chat, start, 1);
        }
        for chat in 21..=30 {
            limits.start(chat);
        }
        assert_eq!(limits.next_slot(31, start), Some(start + SECOND));
        for chat in 31..=50 {
            limits.start(chat);
        }
        assert_eq!(limits.next_slot(51, start), None, "thirty in flight fill the second");
    }

    #[test]
    fn a_pause_holds_the_chat() {
        let mut limits = Limits::default();
        let start = Instant::now();
        limits.pause(-7, start + Duration::from_secs(5));
        assert_eq!(limits.next_slot(-7, start), Some(start + Duration::from_secs(5)));
    }
}
