//! Neighbourhoods and points: which neighbourhood holds a point, distances,
//! and the rounding that keeps public posts vague.

use std::path::Path;

use geo::{BoundingRect, Centroid, Contains, Distance, Euclidean, Haversine, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

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

/// Outlines closer than this (in degrees, about 30 m in Paris) touch:
/// simplified boundaries of neighbours rarely share their vertices. Two
/// that nearly meet at a corner then count as touching too (the 1st and
/// the 9th of the simplified Paris outlines), which widens a search a
/// little more than the map would.
const TOUCHING: f64 = 0.0003;

/// A neighbourhood's bounding box in the index, with its place in the list.
type Indexed = GeomWithData<Rectangle<[f64; 2]>, usize>;

#[derive(Clone, Debug, Default)]
pub struct Geography {
    neighbourhoods: Vec<Neighbourhood>,
    /// Bounding boxes, so that a point is tested against the few outlines
    /// whose box holds it rather than against all of them.
    index: RTree<Indexed>,
    /// For each neighbourhood (by place in the list), those it touches.
    adjacent: Vec<Vec<usize>>,
}

impl Geography {
    pub fn new(neighbourhoods: Vec<Neighbourhood>) -> Self {
        let boxes = neighbourhoods.iter().enumerate().filter_map(|(n, hood)| {
            let rect = hood.shape.bounding_rect()?;
            let corners = Rectangle::from_corners(rect.min().into(), rect.max().into());
            Some(GeomWithData::new(corners, n))
        });
        let index = RTree::bulk_load(boxes.collect());
        let adjacent = neighbourhoods
            .iter()
            .enumerate()
            .map(|(n, hood)| touching(&index, &neighbourhoods, n, hood))
            .collect();
        Self { neighbourhoods, index, adjacent }
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
        Ok(Self::new(neighbourhoods))
    }

    pub fn all(&self) -> &[Neighbourhood] {
        &self.neighbourhoods
    }

    pub fn get(&self, id: &str) -> Option<&Neighbourhood> {
        self.neighbourhoods.iter().find(|hood| hood.id == id)
    }

    /// The neighbourhood that holds a point, if any.
    pub fn locate(&self, at: LatLon) -> Option<&Neighbourhood> {
        let point = Point::new(at.lon, at.lat);
        let boxes = self.index.locate_all_at_point(&[at.lon, at.lat]);
        boxes
            .map(|indexed| &self.neighbourhoods[indexed.data])
            .find(|hood| hood.shape.contains(&point))
    }

    /// The neighbourhoods that touch the one named `id`.
    pub fn adjacent(&self, id: &str) -> Vec<&Neighbourhood> {
        let Some(place) = self.neighbourhoods.iter().position(|hood| hood.id == id) else {
            return Vec::new();
        };
        self.adjacent[place].iter().map(|&other| &self.neighbourhoods[other]).collect()
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

/// The neighbourhoods (by place) whose outline comes within [`TOUCHING`]
/// of the `n`th's, found among those whose boxes come that close.
fn touching(
    index: &RTree<Indexed>,
    all: &[Neighbourhood],
    n: usize,
    hood: &Neighbourhood,
) -> Vec<usize> {
    let Some(rect) = hood.shape.bounding_rect() else { return Vec::new() };
    let near = AABB::from_corners(
        [rect.min().x - TOUCHING, rect.min().y - TOUCHING],
        [rect.max().x + TOUCHING, rect.max().y + TOUCHING],
    );
    let mut found: Vec<usize> = index
        .locate_in_envelope_intersecting(&near)
        .map(|indexed| indexed.data)
        .filter(|&other| {
            other != n && Euclidean.distance(&hood.shape, &all[other].shape) <= TOUCHING
        })
        .collect();
    found.sort_unstable();
    found
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
    fn arrondissements_touch_their_neighbours_only() {
        let paris = paris();
        let around = |id: &str| -> Vec<String> {
            paris.adjacent(id).into_iter().map(|hood| hood.id.clone()).collect()
        };
        // The 10th, 11th, 19th and 20th meet at Belleville.
        assert_eq!(around("11"), ["3", "4", "10", "12", "19", "20"]);
        // Across the Seine counts: its middle is the boundary.
        let first = around("1");
        for next in ["2", "3", "4", "6", "7", "8"] {
            assert!(first.contains(&next.to_owned()), "the 1st touches the {next}th: {first:?}");
        }
        for far in ["11", "15", "16", "20"] {
            assert!(!first.contains(&far.to_owned()), "the 1st is far from the {far}th");
        }
        assert!(around("nowhere").is_empty());
    }

    /// A known place inside each arrondissement, first to twentieth: the
    /// town hall where it stands well inside, a landmark otherwise.
    const LANDMARKS: [(&str, f64, f64); 20] = [
        ("Louvre pyramid", 48.8610, 2.3358),
        ("Palais Brongniart", 48.8693, 2.3412),
        ("Musée Carnavalet", 48.8575, 2.3625),
        ("Hôtel de Ville", 48.8564, 2.3525),
        ("Panthéon", 48.8462, 2.3464),
        ("Palais du Luxembourg", 48.8482, 2.3371),
        ("Eiffel Tower", 48.8584, 2.2945),
        ("Madeleine", 48.8700, 2.3245),
        ("Mairie du 9e", 48.8723, 2.3405),
        ("Gare de l'Est", 48.8768, 2.3592),
        ("Mairie du 11e", 48.8575, 2.3800),
        ("Mairie du 12e", 48.8405, 2.3880),
        ("Mairie du 13e", 48.8316, 2.3557),
        ("Mairie du 14e", 48.8331, 2.3265),
        ("Mairie du 15e", 48.8415, 2.3002),
        ("Mairie du 16e", 48.8637, 2.2766),
        ("Mairie du 17e", 48.8838, 2.3222),
        ("Mairie du 18e", 48.8924, 2.3444),
        ("Mairie du 19e", 48.8826, 2.3822),
        ("Mairie du 20e", 48.8651, 2.3987),
    ];

    #[test]
    fn a_place_in_each_arrondissement_is_routed_to_it() {
        let paris = paris();
        for (number, (place, lat, lon)) in (1..).zip(LANDMARKS) {
            let found = paris.locate(LatLon { lat, lon }).map(|hood| hood.id.clone());
            assert_eq!(found, Some(number.to_string()), "{place}");
        }
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
