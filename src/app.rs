//! The bot assembled from its configuration: the one place, with
//! `main.rs`, that knows every concrete type.

use std::sync::Arc;

use tracing::info;

use crate::config::Config;
use crate::core::clock::Clock;
use crate::core::geocode::Geocoding;
use crate::core::store::{Store, StoreError};
use crate::core::{Core, Deps};
use crate::geocoder::{AddressApi, GeocodeError, Geocoder};
use crate::geography::{Geography, GeographyError};
use crate::i18n::{I18nError, Localizer};
use crate::storage::{self, StorageError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("cannot open the store")]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Geography(#[from] GeographyError),
    #[error("cannot set up the address service")]
    Geocoder(#[from] GeocodeError),
    #[error("cannot load the built-in locales")]
    I18n(#[from] I18nError),
    #[error("cannot record the coordinators named in the configuration")]
    Seed(#[source] StoreError),
    #[error("cannot plan the recurring jobs")]
    Plan(#[source] StoreError),
}

/// What every adapter needs, cheap to clone and share between tasks.
#[derive(Clone, Debug)]
pub struct App {
    config: Arc<Config>,
    core: Core,
    localizer: Arc<Localizer>,
}

impl App {
    /// Opens the store (running its migrations), loads the neighbourhoods
    /// and the locales, and makes the configured coordinators coordinators.
    /// The clock is given so that tests and scripts can set the time.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> Result<Self, AppError> {
        let hoods = &config.neighbourhoods;
        let geography = Geography::load(&hoods.file, &hoods.feature_keys())?;
        let localizer = Localizer::new(config.policy.timezone)?;
        let store = storage::connect(config.database_url.expose()).await?;
        info!(
            database = config.database_url.scheme(),
            neighbourhoods = geography.all().len(),
            "store and neighbourhoods ready"
        );

        let geocoding = Geocoding {
            service: if config.geocoder.enabled {
                Some(Arc::new(AddressApi::new(&config.geocoder)?) as Arc<dyn Geocoder>)
            } else {
                None
            },
            min_score: config.geocoder.min_score,
        };
        let deps = Deps {
            store,
            clock,
            geography: Arc::new(geography),
            geocoding,
            policy: config.policy.clone(),
        };
        let core = Core::new(deps);
        core.seed_coordinators(&config.coordinators).await.map_err(AppError::Seed)?;
        core.plan_recurring().await.map_err(AppError::Plan)?;
        Ok(Self { config: Arc::new(config), core, localizer: Arc::new(localizer) })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn core(&self) -> &Core {
        &self.core
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        self.core.store()
    }

    pub fn localizer(&self) -> &Localizer {
        &self.localizer
    }
}
