//! Addresses to points: the seam to the address service, and how the
//! core uses its answers. An event that gives an elder's address is
//! rolled back and handled again once the address is looked up, so that
//! a slow service holds no lock; the answer is kept in the store for next
//! time, and when the service cannot answer the coordinator gives the
//! place by hand.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tracing::warn;

use super::Deps;
use super::model::LatLon;

/// One place an address may mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

/// The address service, if one is configured, and how sure it must be
/// for an answer to be taken without asking.
#[derive(Clone, Debug)]
pub struct Geocoding {
    pub service: Option<Arc<dyn Geocoder>>,
    pub min_score: f64,
}

impl Geocoding {
    /// No address service: every address is placed by hand.
    pub fn offline() -> Self {
        Self { service: None, min_score: 1.0 }
    }
}

/// An address looked up for the event being handled.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Lookup {
    pub address: String,
    /// The candidates, or `None` when the service could not answer.
    pub candidates: Option<Vec<Candidate>>,
}

/// Looks `address` up: the store's copy first, else the service's
/// answer, kept for next time. Failures end in no candidates, and the
/// coordinator places the elder by hand.
pub(crate) async fn look_up(deps: &Deps, address: String) -> Lookup {
    let candidates = match &deps.geocoding.service {
        Some(service) => candidates(deps, service.as_ref(), &address).await,
        None => None,
    };
    Lookup { address, candidates }
}

/// The stored answer for `address`, or the service's, stored for next
/// time. The address itself never reaches the log.
async fn candidates(deps: &Deps, service: &dyn Geocoder, address: &str) -> Option<Vec<Candidate>> {
    let key = cache_key(address);
    match deps.store.cached_geocode(&key).await {
        Ok(Some(stored)) => match serde_json::from_str(&stored) {
            Ok(candidates) => return Some(candidates),
            Err(error) => warn!(%error, "stored address answer unreadable, asking again"),
        },
        Ok(None) => {}
        Err(error) => warn!(%error, "stored address answers unreadable, asking the service"),
    }
    let found = match service.search(address).await {
        Ok(found) => found,
        Err(error) => {
            warn!(%error, "address lookup failed; the coordinator places the elder by hand");
            return None;
        }
    };
    let stored = serde_json::to_string(&found).unwrap_or_default();
    if let Err(error) = deps.store.cache_geocode(&key, &stored, deps.clock.now()).await {
        warn!(%error, "address answer not kept");
    }
    Some(found)
}

/// The key an answer is kept under: case and runs of spaces ignored.
fn cache_key(address: &str) -> String {
    address.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_typed_differently_share_an_answer() {
        assert_eq!(cache_key("  12 Rue  de la Roquette\n"), cache_key("12 rue de la roquette"));
    }
}
