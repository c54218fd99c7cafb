//! Telegram, the first chat platform: what the Bot API delivers becomes
//! core events ([`update`]), and what the core sends becomes Bot API
//! messages in HTML with inline keyboards ([`render`]).
//!
//! Both halves are translations and nothing more. The listener that
//! records each update in the inbox before acknowledging it, and the
//! outbox delivery with Telegram's rate limits, are not built yet:
//! `compagnie run` does not start this adapter.

pub mod render;
pub mod update;
