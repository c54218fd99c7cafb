//! Addresses to points, through the French national address API
//! (`/search/?q=…&limit=…`, answered in GeoCodeJSON) or any service that
//! answers like it. Only the best candidates are kept; whether one is good
//! enough to take without asking is [`decide`]'s call, in the core.

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config;
pub use crate::core::geocode::{Candidate, Found, GeocodeError, Geocoder, decide};
use crate::core::model::LatLon;

/// Candidates asked for: enough to offer a choice, few enough to read.
const LIMIT: u8 = 5;

/// The least time between two requests: ten a second, well under the
/// fifty the national service allows each caller.
const SPACING: Duration = Duration::from_millis(100);

/// The national address API over HTTP.
#[derive(Debug)]
pub struct AddressApi {
    client: reqwest::Client,
    search: url::Url,
    /// When the next request may leave.
    next: Mutex<Instant>,
}

impl AddressApi {
    pub fn new(settings: &config::Geocoder) -> Result<Self, GeocodeError> {
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(|error| GeocodeError::Unreachable(error.to_string()))?;
        let search = settings
            .base_url
            .join("search/")
            .map_err(|error| GeocodeError::Unreachable(error.to_string()))?;
        Ok(Self { client, search, next: Mutex::new(Instant::now()) })
    }

    /// Waits for this request's turn under [`SPACING`].
    async fn pace(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep_until(*next).await;
        }
        *next = (*next).max(now) + SPACING;
    }
}

#[async_trait]
impl Geocoder for AddressApi {
    async fn search(&self, address: &str) -> Result<Vec<Candidate>, GeocodeError> {
        self.pace().await;
        let mut url = self.search.clone();
        url.query_pairs_mut().append_pair("q", address).append_pair("limit", &LIMIT.to_string());
        let answer = self.client.get(url).send().await.map_err(failure)?;
        let status = answer.status();
        if !status.is_success() {
            return Err(GeocodeError::Status(status.as_u16()));
        }
        let body = answer.bytes().await.map_err(failure)?;
        let collection: Collection = serde_json::from_slice(&body)
            .map_err(|error| GeocodeError::Answer(error.to_string()))?;
        Ok(collection.features.into_iter().filter_map(Feature::candidate).collect())
    }
}

fn failure(error: reqwest::Error) -> GeocodeError {
    if error.is_timeout() {
        GeocodeError::Timeout
    } else {
        GeocodeError::Unreachable(error.to_string())
    }
}

/// The parts of a GeoCodeJSON answer that are read.
#[derive(Deserialize)]
struct Collection {
    #[serde(default)]
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    geometry: Geometry,
    properties: Properties,
}

#[derive(Deserialize)]
struct Geometry {
    coordinates: Vec<f64>,
}

#[derive(Deserialize)]
struct Properties {
    label: String,
    score: f64,
    postcode: Option<String>,
    citycode: Option<String>,
}

impl Feature {
    /// A candidate, unless its point is not one (GeoJSON: longitude first).
    fn candidate(self) -> Option<Candidate> {
        let [lon, lat] = self.geometry.coordinates[..] else { return None };
        let valid = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        valid.then_some(Candidate {
            label: self.properties.label,
            score: self.properties.score,
            postcode: self.properties.postcode,
            citycode: self.properties.citycode,
            at: LatLon { lat, lon },
        })
    }
}
