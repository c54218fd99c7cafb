//! The console's clock: the real time until a script sets it.

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};

use crate::core::clock::Clock;

/// Follows the system clock until [`ConsoleClock::set`] or
/// [`ConsoleClock::advance`] pins it, so that a session without `time`
/// lines lives in the present and a scripted one on the days it names.
#[derive(Debug, Default)]
pub struct ConsoleClock {
    pinned: Mutex<Option<DateTime<Utc>>>,
}

impl ConsoleClock {
    pub fn set(&self, at: DateTime<Utc>) {
        *self.lock() = Some(at);
    }

    /// Moves the clock on, from the present if it was never set.
    pub fn advance(&self, by: TimeDelta) -> DateTime<Utc> {
        let mut pinned = self.lock();
        let at = pinned.unwrap_or_else(Utc::now) + by;
        *pinned = Some(at);
        at
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<DateTime<Utc>>> {
        self.pinned.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for ConsoleClock {
    fn now(&self) -> DateTime<Utc> {
        self.lock().unwrap_or_else(Utc::now)
    }
}
