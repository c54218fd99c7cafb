//! Matrix, the second chat platform: the bot's device is logged in once
//! and restored after ([`session`]); what syncing brings becomes core
//! events ([`sync`], [`inbound`]); what the core sends becomes notices in
//! plain text and HTML, with reactions for buttons ([`render`]), delivered
//! by the platform-neutral [`crate::delivery`] ([`send`]). Direct rooms
//! are opened on demand and remembered per person. Encrypted rooms are
//! read and written like the others: the client encrypts and decrypts.

pub mod inbound;
pub mod render;
pub mod send;
pub mod session;
pub mod sync;

use std::sync::Arc;

use tokio::sync::{Notify, watch};

use crate::app::App;
use crate::config;
use crate::delivery::Delivery;
use crate::lease::Lease;
use send::Sender;
use sync::{Listener, POSITION_KEY};

#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("cannot use the Matrix data directory: {0}")]
    DataDir(#[source] std::io::Error),
    #[error("the saved Matrix session is unreadable: {0}")]
    Session(#[source] serde_json::Error),
    #[error("cannot open the Matrix client: {0}")]
    Client(String),
    #[error("Matrix: {0}")]
    Sdk(#[from] matrix_sdk::Error),
    #[error("logged in to Matrix but given no session")]
    NoSession,
    #[error(transparent)]
    Store(#[from] crate::core::store::StoreError),
}

/// Serves the bot's Matrix account until `shutdown` turns true: syncs and
/// delivers the outbox, side by side.
pub async fn serve(
    app: App,
    settings: &config::Matrix,
    shutdown: watch::Receiver<bool>,
) -> Result<(), MatrixError> {
    let position = app.store().adapter_value(POSITION_KEY).await?;
    let first = position.is_none();
    let client = session::connect(settings, position).await?;
    let me = client.user_id().ok_or(MatrixError::NoSession)?.to_owned();
    tracing::info!(user = %me, "serving Matrix");

    let wake = Arc::new(Notify::new());
    let delivery = Delivery::new(Sender::new(client.clone(), app.clone()), app.clone());
    let delivering = delivery.run(wake.clone(), shutdown.clone());
    // Every replica delivers; one at a time syncs.
    let lease =
        Lease::new(app.store().clone(), app.core().deps().clock.clone(), format!("matrix:{me}"));
    let mut first = Some(first);
    let listening = lease.run(shutdown, |stop| {
        let listener =
            Listener::new(client.clone(), app.clone(), me.clone(), first.take().unwrap_or(false));
        listener.run(wake.clone(), stop)
    });
    tokio::join!(listening, delivering);
    Ok(())
}
