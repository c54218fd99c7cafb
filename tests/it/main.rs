//! The integration tests, in one binary so that they share helpers and
//! build once.

#![expect(clippy::expect_used, reason = "a failed expectation is a failed test")]

mod common;
mod console;
mod locales;
mod store;
mod bot;
mod concurrency;
mod refusals;
mod resume;
mod scenario;
