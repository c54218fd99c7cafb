//! Neighbourhoods and points: which neighbourhood holds a point, distances,
//! and the rounding that keeps public posts vague.

use std::path::Path;

use geo::{Centroid, Contains, Distance, Haversine, MultiPolygon, Point};

use crate::core::model::LatLon;

#[derive(Debug, thiserror::Error)]
pub enum GeographyError {
    #[error("cannot read neighbourhoods from {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("cannot parse neighbourhoods from {path}: {reason}")]
    Parse { path: String, reason: String },
}

/// One neighbourhood: an id people type (`11`), a name and its outline.
#[derive(Clone, Debug)]
pub struct Neighbourhood {
    pub id: String,
    pub name: String,
    pub shape: MultiPolygon<f64>,
    pub centre: LatLon,
}

/// Which properties of each GeoJSON feature give its id and its name.
#[derive(Clone, Debug)]
pub struct FeatureKeys {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, Default)]
pub struct Geography {
    neighbourhoods: Vec<Neighbourhood>,
}

impl Geography {
    pub fn new(neighbourhoods: Vec<Neighbourhood>) -> Self {
        Self { neighbourhoods }
    }

    /// Reads a GeoJSON feature collection of polygons or multipolygons.
    pub fn load(path: &Path, keys: &FeatureKeys) -> Result<Self, GeographyError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|source| GeographyError::Read { path: shown.clone(), source })?;
        Self::parse(&text, keys).map_err(|reason| GeographyError::Parse { path: shown, reason })
    }

    pub fn parse(text: &str, keys: &FeatureKeys) -> Result<Self, String> {
        let collection: geojson::FeatureCollection =
            text.parse().map_err(|error: geojson::Error| error.to_string())?;
        let neighbourhoods = collection
            .features
            .iter()
            .map(|feature| read_feature(feature, keys))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { neighbourhoods })
    }

    pub fn all(&self) -> &[Neighbourhood] {
        &self.neighbourhoods
    }

    pub fn get(&self, id: &str) -> Option<&Neighbourhood> {
        self.neighbourhoods.iter().find(|hood| hood.id == id)
    }

    /// The neighbourhood that holds a point, if any.
    // A linear scan: a city has a few dozen neighbourhoods, and each test
    // is a bounding-box check before the polygon one.
    pub fn locate(&self, at: LatLon) -> Option<&Neighbourhood> {
        let point = Point::new(at.lon, at.lat);
        self.neighbourhoods.iter().find(|hood| hood.shape.contains(&point))
    }

    /// Finds a neighbourhood from what someone typed: its id, its name, or
    /// an ordinal such as `11e` or `11th`.
    pub fn resolve(&self, typed: &str) -> Option<&Neighbourhood> {
        let typed = typed.trim().to_lowercase();
        let bare = typed
            .trim_end_matches("ème")
            .trim_end_matches("eme")
            .trim_end_matches(['e', 'r'])
            .trim_end_matches("th")
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd");
        self.neighbourhoods
            .iter()
            .find(|hood| hood.id == typed || hood.id == bare || hood.name.to_lowercase() == typed)
    }
}

fn read_feature(feature: &geojson::Feature, keys: &FeatureKeys) -> Result<Neighbourhood, String> {
    let property = |key: &str| -> Result<String, String> {
        match feature.property(key) {
            Some(serde_json::Value::String(text)) => Ok(text.clone()),
            Some(serde_json::Value::Number(number)) => Ok(number.to_string()),
            _ => Err(format!("a feature has no `{key}` property")),
        }
    };
    let (id, name) = (property(&keys.id)?, property(&keys.name)?);
    let geometry = feature.geometry.as_ref().ok_or(format!("feature {id} has no geometry"))?;
    let shape = match geo::Geometry::<f64>::try_from(geometry.clone()) {
        Ok(geo::Geometry::Polygon(polygon)) => MultiPolygon::new(vec![polygon]),
        Ok(geo::Geometry::MultiPolygon(shape)) => shape,
        _ => return Err(format!("feature {id} is not a polygon")),
    };
    let centre = shape.centroid().ok_or(format!("feature {id} has an empty outline"))?;
    Ok(Neighbourhood { id, name, shape, centre: LatLon { lat: centre.y(), lon: centre.x() } })
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: LatLon, b: LatLon) -> f64 {
    Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat)) / 1000.0
}

/// Snaps a point to a grid of `grid_m` metres, so that a public post
/// points at the right part of town and never at a door.
pub fn round_to_grid(at: LatLon, grid_m: f64) -> LatLon {
    const METRES_PER_DEGREE: f64 = 111_320.0;
    let lat_step = grid_m / METRES_PER_DEGREE;
    let lat = (at.lat / lat_step).round() * lat_step;
    let lon_step = grid_m / (METRES_PER_DEGREE * lat.to_radians().cos().max(0.01));
    let lon = (at.lon / lon_step).round() * lon_step;
    LatLon { lat: (lat * 1e4).round() / 1e4, lon: (lon * 1e4).round() / 1e4 }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARIS: &str = include_str!("../bot-config/paris-arrondissements.geojson");

    fn paris() -> Geography {
        let keys = FeatureKeys { id: "number".into(), name: "name".into() };
        Geography::parse(PARIS, &keys).unwrap()
    }

    #[test]
    fn town_hall_of_the_11th_is_in_the_11th() {
        let paris = paris();
        let hood = paris.locate(LatLon { lat: 48.8574, lon: 2.3795 }).unwrap();
        assert_eq!((hood.id.as_str(), hood.name.as_str()), ("11", "Popincourt"));
    }

    #[test]
    fn versailles_is_in_no_arrondissement() {
        assert!(paris().locate(LatLon { lat: 48.8049, lon: 2.1204 }).is_none());
    }

    #[test]
    fn typed_ordinals_resolve() {
        let geo = paris();
        for typed in ["11", "11e", "11ème", "11th", "Popincourt"] {
            assert_eq!(geo.resolve(typed).map(|hood| hood.id.as_str()), Some("11"), "{typed}");
        }
        assert_eq!(geo.resolve("1er").map(|hood| hood.id.as_str()), Some("1"));
        assert!(geo.resolve("21").is_none());
    }

    #[test]
    fn rounding_moves_a_point_by_less_than_the_grid() {
        let door = LatLon { lat: 48.86523, lon: 2.37801 };
        let shown = round_to_grid(door, 500.0);
        assert_ne!(shown, door);
        assert!(distance_km(door, shown) < 0.5);
    }
}
