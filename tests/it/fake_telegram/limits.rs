//! Telegram's send rate limits, on tokio's clock so that tests may pause
//! time and still see the windows move.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

/// Sends allowed in any second, all chats together.
const OVERALL_PER_SECOND: usize = 30;
/// Sends allowed in any second to one private chat.
const PRIVATE_PER_SECOND: usize = 1;
/// Sends allowed in any minute to one group.
const GROUP_PER_MINUTE: usize = 20;

/// The methods that count as sends; answering a button press does not.
pub(super) fn is_counted(method: &str) -> bool {
    matches!(
        method,
        "sendMessage"
            | "editMessageText"
            | "editMessageReplyMarkup"
            | "pinChatMessage"
            | "deleteMessage"
    )
}

/// Sliding windows of the sends admitted, overall and per chat.
#[derive(Debug)]
pub(super) struct Limits {
    overall: Window,
    chats: HashMap<i64, Window>,
}

impl Limits {
    pub(super) fn new() -> Self {
        Limits {
            overall: Window::new(Duration::from_secs(1), OVERALL_PER_SECOND),
            chats: HashMap::new(),
        }
    }

    /// Admits a send to `chat` at `now`, or tells in whole seconds (at
    /// least one) how long the client should have waited.
    pub(super) fn admit(&mut self, chat: i64, now: Instant) -> Result<(), u32> {
        let window = self.chats.entry(chat).or_insert_with(|| Window::for_chat(chat));
        let wait = self.overall.wait(now).max(window.wait(now));
        if let Some(wait) = wait {
            return Err(whole_seconds(wait));
        }
        self.overall.admitted.push_back(now);
        window.admitted.push_back(now);
        Ok(())
    }
}

#[derive(Debug)]
struct Window {
    span: Duration,
    max: usize,
    admitted: VecDeque<Instant>,
}

impl Window {
    fn new(span: Duration, max: usize) -> Self {
        Window { span, max, admitted: VecDeque::new() }
    }

    /// Private chats have positive ids, groups negative ones.
    fn for_chat(chat: i64) -> Self {
        if chat > 0 {
            Window::new(Duration::from_secs(1), PRIVATE_PER_SECOND)
        } else {
            Window::new(Duration::from_secs(60), GROUP_PER_MINUTE)
        }
    }

    /// How long until one more send fits, if it does not fit now.
    fn wait(&mut self, now: Instant) -> Option<Duration> {
        while self.admitted.front().is_some_and(|&at| at + self.span <= now) {
            self.admitted.pop_front();
        }
        if self.admitted.len() < self.max {
            return None;
        }
        self.admitted.front().map(|&oldest| (oldest + self.span).saturating_duration_since(now))
    }
}

fn whole_seconds(wait: Duration) -> u32 {
    let seconds = wait.as_millis().div_ceil(1000).max(1);
    u32::try_from(seconds).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_gets_twenty_sends_a_minute() {
        let start = Instant::now();
        let mut limits = Limits::new();
        for i in 0..20 {
            let at = start + Duration::from_secs(i);
            assert_eq!(limits.admit(-100, at), Ok(()), "send {i}");
        }
        assert_eq!(limits.admit(-100, start + Duration::from_secs(20)), Err(40));
        assert_eq!(limits.admit(-100, start + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn overall_limit_spans_chats() {
        let now = Instant::now();
        let mut limits = Limits::new();
        for chat in 1..=30 {
            assert_eq!(limits.admit(chat, now), Ok(()));
        }
        assert_eq!(limits.admit(31, now), Err(1));
    }
}
