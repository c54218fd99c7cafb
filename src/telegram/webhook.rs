//! Webhook mode: Telegram posts each update to the bot. An update is
//! answered 200 only once the core has recorded it with its effects, so
//! Telegram posts it again after any failure; the inbox makes a second
//! post harmless, which is what lets several replicas share one webhook.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use teloxide::Bot;
use teloxide::payloads::SetWebhookSetters;
use teloxide::prelude::Requester;
use teloxide::types::Update;
use tokio::sync::{Notify, watch};

use super::update::events;
use crate::config::Webhook;
use crate::core::Core;

/// Telegram's header carrying the secret given to `setWebhook`.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Updates are small; anything larger is not from Telegram.
const MAX_BODY: usize = 1 << 20;

#[derive(Clone)]
struct Receiver {
    core: Core,
    username: Arc<str>,
    secret: Arc<str>,
    wake: Arc<Notify>,
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("cannot listen on {address}: {source}")]
    Listen { address: SocketAddr, source: std::io::Error },
    #[error("invalid telegram.webhook_url `{url}`: {source}")]
    Url { url: String, source: url::ParseError },
    #[error("Telegram refused the webhook: {0}")]
    Register(#[source] teloxide::RequestError),
}

/// Registers the webhook with Telegram and receives updates until
/// `shutdown` turns true.
pub async fn receive(
    bot: &Bot,
    core: Core,
    username: String,
    settings: &Webhook,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) -> Result<(), WebhookError> {
    let url = url::Url::parse(&settings.url)
        .map_err(|source| WebhookError::Url { url: settings.url.clone(), source })?;
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .map_err(|source| WebhookError::Listen { address: settings.listen, source })?;
    // Without the list Telegram leaves out member updates, as in polling.
    let register = bot
        .set_webhook(url)
        .secret_token(settings.secret.expose().to_owned())
        .allowed_updates(super::listener::allowed());
    register.await.map_err(WebhookError::Register)?;
    let secret: Arc<str> = settings.secret.expose().into();
    let receiver = Receiver { core, username: username.into(), secret, wake };
    let app = Router::new()
        .route("/", post(on_update))
        .route("/{*path}", post(on_update))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(receiver);
    let stop = async move {
        while !*shutdown.borrow() {
            if shutdown.changed().await.is_err() {
                break;
            }
        }
    };
    let serve = axum::serve(listener, app).with_graceful_shutdown(stop);
    serve.await.map_err(|source| WebhookError::Listen { address: settings.listen, source })
}

/// One update: refused without the secret, ignored when unreadable (a
/// retry would not help), failed with 500 when the core could not record
/// it, so that Telegram sends it again.
async fn on_update(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let given = headers.get(SECRET_HEADER).map(|value| value.as_bytes());
    if !given.is_some_and(|given| same(given, receiver.secret.as_bytes())) {
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(update) = serde_json::from_slice::<Update>(&body) else {
        tracing::warn!(bytes = body.len(), "unreadable update ignored");
        return StatusCode::OK;
    };
    for event in events(&update, &receiver.username) {
        if let Err(error) = receiver.core.handle(&event).await {
            tracing::error!(%error, "update not recorded; Telegram will send it again");
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    receiver.wake.notify_one();
    StatusCode::OK
}

/// Compares secrets in a time that does not depend on where they differ.
fn same(given: &[u8], secret: &[u8]) -> bool {
    given.len() == secret.len()
        && given.iter().zip(secret).fold(0u8, |differ, (a, b)| differ | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn secrets_match_only_whole() {
        assert!(same(b"s3cret", b"s3cret"));
        assert!(!same(b"s3cre", b"s3cret"));
        assert!(!same(b"s3creT", b"s3cret"));
        assert!(!same(b"", b"s3cret"));
    }
}
