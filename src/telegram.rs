//! Telegram, the first chat platform: what the Bot API delivers becomes
//! core events ([`update`]), received by long polling ([`listener`]); what
//! the core sends becomes Bot API messages in HTML with inline keyboards
//! ([`render`]), delivered within Telegram's limits ([`limits`]) by the
//! platform-neutral [`crate::delivery`].

pub mod commands;
pub mod limits;
pub mod listener;
pub mod render;
pub mod send;
pub mod update;
pub mod webhook;

use std::sync::Arc;

use teloxide::prelude::Requester;
use teloxide::{Bot, RequestError};
use tokio::sync::{Notify, watch};
use tokio::time::Duration;

use crate::app::App;
use crate::config;
use crate::delivery::Delivery;
use crate::lease::Lease;
use listener::Listener;
use send::Sender;

#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    #[error("invalid telegram.api_url `{url}`: {source}")]
    ApiUrl { url: String, source: url::ParseError },
    // teloxide removes the token from the errors it reports.
    #[error("cannot reach the Telegram Bot API: {0}")]
    GetMe(#[source] RequestError),
    #[error("the Telegram bot has no username")]
    NoUsername,
    #[error(transparent)]
    Webhook(#[from] webhook::WebhookError),
}

/// Delivery of the bot's outbox, for the process's bot or another
/// process's (a replica, a benchmark).
pub fn delivery(bot: Bot, app: App, username: String) -> Delivery<Sender> {
    Delivery::new(Sender::new(bot, app.clone(), username), app)
}

/// Serves the bot until `shutdown` turns true: polls for updates and
/// delivers the outbox, side by side.
pub async fn serve(
    app: App,
    settings: &config::Telegram,
    shutdown: watch::Receiver<bool>,
) -> Result<(), TelegramError> {
    let bot = bot(settings)?;
    let username = introduce(&bot).await?;
    tracing::info!(bot = %username, "serving Telegram");
    commands::publish(&bot, app.localizer()).await;

    let wake = Arc::new(Notify::new());
    let core = app.core().clone();
    let delivery = delivery(bot.clone(), app, username.clone());
    let delivering = delivery.run(wake.clone(), shutdown.clone());
    match &settings.webhook {
        Some(hook) => {
            let receiving = webhook::receive(&bot, core, username, hook, wake, shutdown);
            let (received, ()) = tokio::join!(receiving, delivering);
            received.map_err(TelegramError::Webhook)
        }
        None => {
            // Every replica delivers; one at a time polls.
            let deps = core.deps();
            let lease = Lease::new(deps.store.clone(), deps.clock.clone(), lease_name(&username));
            let polling = lease.run(shutdown, |stop| {
                let (bot, core, username, wake) =
                    (bot.clone(), core.clone(), username.clone(), wake.clone());
                async move {
                    forget_webhook(&bot).await;
                    Listener::new(bot, core, username).run(wake, stop).await;
                }
            });
            tokio::join!(polling, delivering);
            Ok(())
        }
    }
}

/// The lease of polling the bot, shared by the replicas serving it.
fn lease_name(username: &str) -> String {
    format!("telegram:{username}")
}

/// Telegram refuses `getUpdates` while a webhook is set, as it stays
/// after a deployment moves from webhook to polling: it is removed first.
/// Polling then reports what still stops it.
async fn forget_webhook(bot: &Bot) {
    if let Err(error) = bot.delete_webhook().await {
        tracing::warn!(%error, "cannot remove a webhook set before; polling may be refused");
    }
}

/// The bot's username, which commands and deep links name. Telegram being
/// briefly unreachable at start-up is waited out; a refusal (a wrong
/// token) is not.
async fn introduce(bot: &Bot) -> Result<String, TelegramError> {
    let mut wait = Duration::from_secs(1);
    loop {
        match bot.get_me().await {
            Ok(me) => return me.user.username.clone().ok_or(TelegramError::NoUsername),
            Err(error @ RequestError::Api(_)) => return Err(TelegramError::GetMe(error)),
            Err(error) => {
                tracing::warn!(%error, "Telegram unreachable at start-up; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(60));
            }
        }
    }
}

/// A client for the configured Bot API server. The `Bot` must never be
/// printed: its `Debug` shows the token.
pub fn bot(settings: &config::Telegram) -> Result<Bot, TelegramError> {
    let url = url::Url::parse(&settings.api_url)
        .map_err(|source| TelegramError::ApiUrl { url: settings.api_url.clone(), source })?;
    Ok(Bot::new(settings.token.expose()).set_api_url(url))
}
