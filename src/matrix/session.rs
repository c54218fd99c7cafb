//! The bot's Matrix device: logged in once with the password (or taken
//! over from an access token), then restored from the session kept in the
//! data directory, so that a restart keeps the same device and its
//! encryption keys.

use std::path::{Path, PathBuf};

use matrix_sdk::authentication::SessionTokens;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::store::{StateStoreDataKey, StateStoreDataValue};
use matrix_sdk::{Client, SessionMeta};

use super::MatrixError;
use crate::config;

/// The name the bot's device shows in people's clients.
const DEVICE_NAME: &str = "compagnie";

/// A client logged in as the bot, on the stores of its data directory.
/// `sync_from`, when known, is where the bot last finished handling
/// events: the client's own stored position, saved before events are
/// handled, is set back to it so that a crash in between loses nothing.
pub async fn connect(
    settings: &config::Matrix,
    sync_from: Option<String>,
) -> Result<Client, MatrixError> {
    std::fs::create_dir_all(&settings.data_dir).map_err(MatrixError::DataDir)?;
    let client = Client::builder()
        .homeserver_url(&settings.homeserver)
        .sqlite_store(settings.data_dir.join("store"), Some(settings.store_passphrase.expose()))
        // Delivery retries by itself, with the outbox's backoff: the
        // client's own retries would hold a send for up to 15 minutes.
        .request_config(RequestConfig::new().disable_retry())
        .build()
        .await
        .map_err(|error| MatrixError::Client(error.to_string()))?;

    let saved = session_path(&settings.data_dir);
    match read_session(&saved)? {
        Some(session) => {
            if let Some(token) = sync_from {
                let store = client.state_store();
                let value = StateStoreDataValue::SyncToken(token);
                let set = store.set_kv_data(StateStoreDataKey::SyncToken, value).await;
                set.map_err(|error| MatrixError::Client(error.to_string()))?;
            }
            client.restore_session(session).await.map_err(MatrixError::Sdk)?;
        }
        None => {
            let session = match &settings.login {
                config::MatrixLogin::Password(password) => {
                    log_in(&client, settings, password).await?
                }
                config::MatrixLogin::AccessToken(token) => take_over(&client, token).await?,
            };
            write_session(&saved, &session)?;
        }
    }
    Ok(client)
}

/// A new device, logged in with the password.
async fn log_in(
    client: &Client,
    settings: &config::Matrix,
    password: &config::Secret,
) -> Result<MatrixSession, MatrixError> {
    let auth = client.matrix_auth();
    let login = auth.login_username(&settings.user, password.expose());
    login.initial_device_display_name(DEVICE_NAME).send().await.map_err(MatrixError::Sdk)?;
    auth.session().ok_or(MatrixError::NoSession)
}

/// The device an access token was issued for, which the homeserver names
/// when asked whose token it is. Its keys are made here if the device
/// never had any; a device already used by another client keeps keys this
/// store lacks, and its encrypted history stays unreadable to the bot.
async fn take_over(client: &Client, token: &config::Secret) -> Result<MatrixSession, MatrixError> {
    let base = client.homeserver();
    let url = format!("{}/_matrix/client/v3/account/whoami", base.as_str().trim_end_matches('/'));
    let answer = matrix_sdk::reqwest::Client::new()
        .get(url)
        .bearer_auth(token.expose())
        .send()
        .await
        .and_then(matrix_sdk::reqwest::Response::error_for_status)
        .map_err(|error| MatrixError::Client(format!("cannot check the access token: {error}")))?;
    let body = answer.bytes().await.map_err(|error| MatrixError::Client(error.to_string()))?;
    let whoami: Whoami = serde_json::from_slice(&body).map_err(MatrixError::Session)?;
    let device_id = whoami.device_id.ok_or(MatrixError::NoSession)?;
    let session = MatrixSession {
        meta: SessionMeta { user_id: whoami.user_id, device_id },
        tokens: SessionTokens { access_token: token.expose().to_owned(), refresh_token: None },
    };
    client.restore_session(session.clone()).await.map_err(MatrixError::Sdk)?;
    Ok(session)
}

/// The homeserver's answer to `whoami`.
#[derive(serde::Deserialize)]
struct Whoami {
    user_id: matrix_sdk::ruma::OwnedUserId,
    device_id: Option<matrix_sdk::ruma::OwnedDeviceId>,
}

fn session_path(dir: &Path) -> PathBuf {
    dir.join("session.json")
}

fn read_session(path: &Path) -> Result<Option<MatrixSession>, MatrixError> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(MatrixError::Session),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(MatrixError::DataDir(error)),
    }
}

/// Written beside and renamed into place, readable by the bot alone: it
/// holds the access token.
fn write_session(path: &Path, session: &MatrixSession) -> Result<(), MatrixError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let json = serde_json::to_vec(session).map_err(MatrixError::Session)?;
    let partial = path.with_extension("json.partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)
        .map_err(MatrixError::DataDir)?;
    file.write_all(&json).and_then(|()| file.sync_all()).map_err(MatrixError::DataDir)?;
    std::fs::rename(&partial, path).map_err(MatrixError::DataDir)
}
