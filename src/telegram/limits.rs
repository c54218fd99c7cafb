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
//! The sends counted are those of every process delivering for the bot,
//! as the store keeps them ([`crate::core::pace`]).

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

use crate::core::effect::Effect;
use crate::core::pace::{Admission, Pace, SendRecord};
use crate::core::store::OutboxItem;

const GLOBAL_PER_SECOND: usize = 30;
const PRIVATE_PER_SECOND: usize = 1;
const GROUP_PER_MINUTE: usize = 20;

/// How soon to look again when messages on their way fill a window: the
/// process that sent them may be another one, whose answers do not wake
/// this one.
const IN_FLIGHT_POLL: Duration = Duration::milliseconds(200);

/// Telegram's limits, as the store applies them to every process's sends.
#[derive(Clone, Copy, Debug, Default)]
pub struct TelegramPace;

impl Pace for TelegramPace {
    fn memory(&self) -> Duration {
        MINUTE
    }

    fn admit(
        &self,
        recent: &[SendRecord],
        waiting: &[OutboxItem],
        now: DateTime<Utc>,
    ) -> Admission {
        let mut limits = Limits::counting(recent);
        let mut admission = Admission::default();
        for item in waiting {
            // Answers to presses do not count, and a chat id that is not
            // Telegram's fails when sent, at once.
            let chat = item.effect.chat().id.parse::<i64>();
            let (Ok(chat), true) = (chat, counts(&item.effect)) else {
                admission.go.push((item.id, false));
                continue;
            };
            match limits.next_slot(chat, now) {
                None => admission.look_again(now + IN_FLIGHT_POLL),
                Some(slot) if slot > now => admission.look_again(slot),
                Some(_) => {
                    limits.start(chat);
                    admission.go.push((item.id, true));
                }
            }
        }
        admission
    }
}

/// Whether an effect counts against Telegram's sending limits.
pub fn counts(effect: &Effect) -> bool {
    !matches!(effect, Effect::Answer { .. })
}

#[derive(Debug, Default)]
pub struct Limits {
    /// When recent answers came back, for the overall limit.
    recent: VecDeque<DateTime<Utc>>,
    /// The same per chat, within that chat's window.
    chats: HashMap<i64, VecDeque<DateTime<Utc>>>,
    /// Messages sent and not yet answered, overall and per chat.
    in_flight: usize,
    chats_in_flight: HashMap<i64, usize>,
}

impl Limits {
    /// The limits as `sends` leave them.
    pub fn counting(sends: &[SendRecord]) -> Self {
        let mut answered: Vec<(DateTime<Utc>, i64, i64)> = Vec::new();
        let mut limits = Limits::default();
        for send in sends {
            let Ok(chat) = send.chat.parse::<i64>() else { continue };
            match send.answered {
                Some(at) => answered.push((at, chat, send.weight)),
                None => limits.start(chat),
            }
        }
        answered.sort_unstable();
        for (at, chat, weight) in answered {
            limits.count(chat, at, weight);
        }
        limits
    }

    /// When a message to `chat` may leave: `Some(now)` at once, `Some`
    /// later, or `None` when it must wait for a message on its way.
    pub fn next_slot(&mut self, chat: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let (count, window) = window_of(chat);
        let flying = self.chats_in_flight.get(&chat).copied().unwrap_or(0);
        let local = earliest(self.chats.entry(chat).or_default(), count, flying, window, now)?;
        let global = earliest(&mut self.recent, GLOBAL_PER_SECOND, self.in_flight, SECOND, now)?;
        Some(global.max(local))
    }

    /// A message to `chat` leaves now.
    pub fn start(&mut self, chat: i64) {
        self.in_flight += 1;
        *self.chats_in_flight.entry(chat).or_default() += 1;
    }

    /// Its answer came back at `at`, after `weight` messages.
    pub fn finish(&mut self, chat: i64, at: DateTime<Utc>, weight: i64) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if let Some(flying) = self.chats_in_flight.get_mut(&chat) {
            *flying = flying.saturating_sub(1);
        }
        self.count(chat, at, weight);
    }

    fn count(&mut self, chat: i64, at: DateTime<Utc>, weight: i64) {
        for _ in 0..weight {
            self.recent.push_back(at);
            self.chats.entry(chat).or_default().push_back(at);
        }
    }
}

const SECOND: Duration = Duration::seconds(1);
const MINUTE: Duration = Duration::seconds(60);

/// How many messages a chat takes per window: private chats have positive
/// ids, groups negative ones.
fn window_of(chat: i64) -> (usize, Duration) {
    if chat > 0 { (PRIVATE_PER_SECOND, SECOND) } else { (GROUP_PER_MINUTE, MINUTE) }
}

/// The earliest instant at which one more message fits `count` per
/// `window`, with `flying` messages not yet answered; `None` when those
/// alone fill it. Answers that left the window are forgotten.
fn earliest(
    answered: &mut VecDeque<DateTime<Utc>>,
    count: usize,
    flying: usize,
    window: Duration,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
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
    use crate::core::effect::{Message, Text};
    use crate::core::model::{ChatRef, Lang, Platform};

    fn start() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn ms(n: i64) -> Duration {
        Duration::milliseconds(n)
    }

    #[test]
    fn a_private_chat_takes_one_message_a_second_after_its_answer() {
        let mut limits = Limits::default();
        let start = start();
        assert_eq!(limits.next_slot(42, start), Some(start));
        limits.start(42);
        assert_eq!(limits.next_slot(42, start), None, "wait for the answer");
        let answered = start + ms(300);
        limits.finish(42, answered, 1);
        assert_eq!(limits.next_slot(42, answered), Some(answered + SECOND));
        assert_eq!(limits.next_slot(43, answered), Some(answered), "another chat is free");
    }

    #[test]
    fn a_group_takes_twenty_messages_a_minute() {
        let mut limits = Limits::default();
        let start = start();
        for n in 0..20 {
            let at = start + ms(n * 100);
            assert_eq!(limits.next_slot(-100, at), Some(at));
            limits.start(-100);
            limits.finish(-100, at, 1);
        }
        let later = start + Duration::seconds(2);
        assert_eq!(limits.next_slot(-100, later), Some(start + MINUTE));
    }

    #[test]
    fn thirty_messages_a_second_overall_counting_those_in_flight() {
        let mut limits = Limits::default();
        let start = start();
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

    fn waiting(id: i64, chat: i64) -> OutboxItem {
        let chat = ChatRef::new(Platform::Telegram, chat.to_string());
        let message = Message::new(Lang::En, Text::new("help"));
        OutboxItem { id, effect: Effect::Send { chat, message }, attempts: 0 }
    }

    #[test]
    fn the_sends_of_other_processes_count() {
        let now = start();
        let answered = |chat: i64, ago: i64| SendRecord {
            chat: chat.to_string(),
            left: now - ms(ago + 50),
            answered: Some(now - ms(ago)),
            weight: 1,
        };
        let mut recent: Vec<SendRecord> = (1..=29).map(|chat| answered(chat, 500)).collect();
        recent.push(answered(-7, 2_000));
        let queue = [waiting(1, -7), waiting(2, 500), waiting(3, 501)];
        let admission = TelegramPace.admit(&recent, &queue, now);
        assert_eq!(admission.go, [(1, true)], "one slot was left in the second");
        assert_eq!(admission.next, Some(now + ms(500)), "when the oldest answer leaves it");
    }

    #[test]
    fn a_chat_with_a_send_on_its_way_elsewhere_waits_and_looks_again_soon() {
        let now = start();
        let flying =
            SendRecord { chat: "42".into(), left: now - ms(10), answered: None, weight: 1 };
        let admission = TelegramPace.admit(&[flying], &[waiting(1, 42)], now);
        assert!(admission.go.is_empty());
        assert_eq!(admission.next, Some(now + IN_FLIGHT_POLL));
    }
}
