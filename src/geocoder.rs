//! Addresses to points, through the French national address API
//! (`/search/?q=…&limit=…`, answered in GeoCodeJSON) or any service that
//! answers like it. Only the best candidates are kept; whether one is good
//! enough to take without asking is [`decide`]'s call.

use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config;
use crate::core::model::LatLon;

/// Candidates asked for: enough to offer a choice, few enough to read.
const LIMIT: u8 = 5;

/// The least time between two requests: ten a second, well under the
/// fifty the national service allows each caller.
const SPACING: Duration = Duration::from_millis(100);

/// One place an address may mean.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub label: String,
    /// How sure the service is, from 0 to 1.
    pub score: f64,
    pub postcode: Option<String>,
    pub citycode: Option<String>,
    pub at: LatLon,
}

#[derive(Debug, thiserror::Error)]
pub enum GeocodeError {
    #[error("the address service did not answer in time")]
    Timeout,
    #[error("the address service cannot be reached: {0}")]
    Unreachable(String),
    #[error("the address service answered with status {0}")]
    Status(u16),
    #[error("the address service's answer cannot be read: {0}")]
    Answer(String),
}

#[async_trait]
pub trait Geocoder: Send + Sync + std::fmt::Debug {
    /// The candidates for `address`, best first; empty when none matches.
    async fn search(&self, address: &str) -> Result<Vec<Candidate>, GeocodeError>;
}

/// What to do with the candidates for an address.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// The best is sure enough to take.
    Point(Candidate),
    /// None is: someone must choose among these, or give the point.
    Ask(Vec<Candidate>),
    Nothing,
}

/// Takes the best candidate when its score reaches `min_score`.
pub fn decide(mut candidates: Vec<Candidate>, min_score: f64) -> Found {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    match candidates.first() {
        None => Found::Nothing,
        Some(best) if best.score >= min_score => Found::Point(best.clone()),
        Some(_) => Found::Ask(candidates),
    }
}

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
