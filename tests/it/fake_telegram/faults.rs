//! Faults drawn from a seeded generator, so that a failing run can be
//! replayed exactly, and a listener that resets chosen connections.

use std::sync::Arc;

use axum::serve::Listener;
use tokio::net::{TcpListener, TcpStream};

use super::Shared;

/// Which share of calls and connections fail, and how.
#[derive(Clone, Debug)]
pub struct Faults {
    /// Seeds the generator; the same seed and calls give the same faults.
    pub seed: u64,
    /// Share of calls answered 429 with `retry_after_secs`.
    pub too_many_requests: f64,
    /// The `retry_after` of injected 429 answers, in seconds.
    pub retry_after_secs: u32,
    /// Share of calls answered 500.
    pub server_error: f64,
    /// Share of new connections reset before their request is read.
    pub reset: f64,
    /// Share of calls carried out and then answered only `stall_secs`
    /// later, as when Telegram is slow or an answer is lost: a client
    /// that gives up first cannot know whether the call took effect.
    pub stall: f64,
    pub stall_secs: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            seed: 0x5eed,
            too_many_requests: 0.0,
            retry_after_secs: 1,
            server_error: 0.0,
            reset: 0.0,
            stall: 0.0,
            stall_secs: 0,
        }
    }
}

/// What the dice decided for one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CallFault {
    TooManyRequests(u32),
    ServerError,
    /// Carried out, answered after this long.
    Stall(std::time::Duration),
}

/// The faults in force and the generator drawing them.
#[derive(Debug)]
pub(super) struct Dice {
    faults: Faults,
    rng: XorShift,
}

impl Dice {
    pub(super) fn new(faults: Faults) -> Self {
        let rng = XorShift::new(faults.seed);
        Dice { faults, rng }
    }

    /// One draw per call, so that the sequence of faults does not depend
    /// on which kinds of fault are switched on.
    pub(super) fn roll_call(&mut self) -> Option<CallFault> {
        let draw = self.rng.next_unit();
        let faults = &self.faults;
        if draw < faults.too_many_requests {
            Some(CallFault::TooManyRequests(faults.retry_after_secs.max(1)))
        } else if draw < faults.too_many_requests + faults.server_error {
            Some(CallFault::ServerError)
        } else if draw < faults.too_many_requests + faults.server_error + faults.stall {
            Some(CallFault::Stall(std::time::Duration::from_secs(faults.stall_secs)))
        } else {
            None
        }
    }

    pub(super) fn roll_reset(&mut self) -> bool {
        self.faults.reset > 0.0 && self.rng.next_unit() < self.faults.reset
    }

    /// Whether connections may be reset at all: then every answer closes
    /// its connection, or a kept-alive one would never meet the dice.
    pub(super) fn resets_connections(&self) -> bool {
        self.faults.reset > 0.0
    }
}

/// Marsaglia's xorshift64: enough randomness for test faults.
#[derive(Debug)]
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        // Zero is the one state xorshift never leaves.
        XorShift(seed.max(1))
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in [0, 1) from the 53 high bits, a double's precision.
    fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Accepts connections like a `TcpListener` but resets some of them.
pub(super) struct ResettingListener {
    pub(super) inner: TcpListener,
    pub(super) shared: Arc<Shared>,
}

impl Listener for ResettingListener {
    type Io = TcpStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (stream, addr) = Listener::accept(&mut self.inner).await;
            if !self.shared.roll_reset() {
                return (stream, addr);
            }
            // A zero linger turns the close into a reset: the client sees
            // its connection torn down rather than an orderly end.
            _ = stream.set_zero_linger();
            drop(stream);
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_faults() {
        let faults = Faults { server_error: 0.5, ..Faults::default() };
        let draws = |mut dice: Dice| (0..64).map(|_| dice.roll_call()).collect::<Vec<_>>();
        let first = draws(Dice::new(faults.clone()));
        assert_eq!(first, draws(Dice::new(faults)));
        assert!(first.contains(&None) && first.contains(&Some(CallFault::ServerError)));
    }
}
