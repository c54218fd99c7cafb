//! The bot's Matrix device: logged in once with the password, then
//! restored from the session kept in the data directory, so that a restart
//! keeps the same device and its encryption keys.

use std::path::{Path, PathBuf};

use matrix_sdk::Client;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::store::{StateStoreDataKey, StateStoreDataValue};

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
            let auth = client.matrix_auth();
            let login = auth.login_username(&settings.user, settings.password.expose());
            login
                .initial_device_display_name(DEVICE_NAME)
                .send()
                .await
                .map_err(MatrixError::Sdk)?;
            let session = auth.session().ok_or(MatrixError::NoSession)?;
            write_session(&saved, &session)?;
        }
    }
    Ok(client)
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
