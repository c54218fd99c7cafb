//! compagnie: a chat bot that runs a volunteer accompaniment service for
//! older people.
//!
//! # Layers
//!
//! - [`core`] is the conversational core. It takes platform-neutral events
//!   and returns platform-neutral effects, and reaches storage only through
//!   the traits in [`core::store`]. It knows nothing of sqlx, teloxide or
//!   matrix-sdk.
//! - [`storage`] implements those traits on SQLite and PostgreSQL.
//! - Adapters ([`console`]) turn a platform's input into events and deliver
//!   the outbox back to it.
//! - [`scheduler`] has the core do the jobs that fall due, as [`delivery`]
//!   sends the outbox; [`lease`] keeps work that must run in one process
//!   at a time (polling, syncing) in one.
//! - [`app`] assembles the concrete pieces from the configuration; only it
//!   and `main.rs` know every concrete type.
//!
//! Dependencies point inwards: storage and adapters depend on the core,
//! never the reverse.

pub mod app;
pub mod config;
pub mod console;
pub mod core;
pub mod delivery;
pub mod geocoder;
pub mod geography;
pub mod i18n;
pub mod lease;
pub mod matrix;
pub mod scheduler;
pub mod storage;
pub mod telegram;
