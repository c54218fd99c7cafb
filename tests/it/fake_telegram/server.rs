//! The HTTP side: the route teloxide calls, long polling, and the
//! listener the server runs on.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{CONNECTION, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::faults::ResettingListener;
use super::state::{Outcome, Reply, Shared};

/// The token the fake accepts; its prefix is the bot's id.
pub(super) const TOKEN: &str = "7000000001:fake-token-for-tests";

/// Serves the fake on `listener` until the returned task is aborted.
pub(super) fn serve(listener: TcpListener, shared: Arc<Shared>) -> JoinHandle<()> {
    let router = Router::new().route("/{bot}/{method}", post(call)).with_state(shared.clone());
    let listener = ResettingListener { inner: listener, shared };
    tokio::spawn(async move {
        // Serving only ends when the handle aborts this task.
        _ = axum::serve(listener, router).await;
    })
}

async fn call(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if bot.strip_prefix("bot") != Some(TOKEN) {
        return respond(&shared, Reply::error(401, "Unauthorized"));
    }
    // teloxide sends no body for methods without parameters.
    let body = serde_json::from_slice(&body).unwrap_or_else(|_| json!({}));
    let outcome = shared.lock().answer(&method, body, Instant::now());
    let reply = match outcome {
        Outcome::Answer(reply) => reply,
        Outcome::Poll { limit, deadline } => poll(&shared, limit, deadline).await,
        Outcome::Late(reply, delay) => {
            tokio::time::sleep(delay).await;
            reply
        }
    };
    respond(&shared, reply)
}

/// Waits until an update is pushed or the deadline passes.
async fn poll(shared: &Shared, limit: usize, deadline: Instant) -> Reply {
    loop {
        // Listening before looking, so that a push between the look and
        // the wait still wakes this poll.
        let pushed = shared.pushed.notified();
        tokio::pin!(pushed);
        pushed.as_mut().enable();
        if let Some(reply) = ready_updates(shared, limit, deadline) {
            return reply;
        }
        _ = tokio::time::timeout_at(deadline, pushed).await;
    }
}

/// The queued updates, if there are some or the wait is over.
fn ready_updates(shared: &Shared, limit: usize, deadline: Instant) -> Option<Reply> {
    let state = shared.lock();
    let ready = state.has_updates() || Instant::now() >= deadline;
    ready.then(|| state.pending_updates(limit))
}

fn respond(shared: &Shared, reply: Reply) -> Response {
    let mut response = (reply.status, axum::Json::<Value>(reply.body)).into_response();
    if shared.lock().dice.resets_connections() {
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
