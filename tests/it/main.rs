//! The integration tests, in one binary so that they share helpers and
//! build once.

#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a failed expectation is a failed test"
)]

mod bot;
mod common;
mod concurrency;
mod console;
mod crash;
mod fairness;
mod fake_telegram;
mod fake_telegram_checks;
mod geocoder;
mod groups;
mod holds;
mod locales;
mod locate;
mod matrix;
mod notes;
mod population;
mod refusals;
mod replicas;
mod resume;
mod scenario;
mod scheduler;
mod store;
mod synapse;
mod synapse_checks;
mod telegram;
