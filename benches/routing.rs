//! How long routing a point to its neighbourhood takes among the 20 Paris
//! arrondissements of the default configuration: the R-tree of their
//! bounding boxes picks the few outlines to test.
//!
//! `cargo bench --bench routing`.

#![expect(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]

use std::hint::black_box;
use std::time::{Duration, Instant};

use compagnie::core::model::LatLon;
use compagnie::geography::{FeatureKeys, Geography};

/// Points on a 200 by 200 grid over a box a little larger than Paris, so
/// that some fall outside every arrondissement.
const SIDE: usize = 200;
const ROUNDS: usize = 5;

fn main() {
    let keys = FeatureKeys { id: "number".into(), name: "name".into() };
    let text = include_str!("../bot-config/paris-arrondissements.geojson");
    let geography = Geography::parse(text, &keys).expect("neighbourhoods");
    let step = |low: f64, high: f64, n: usize| low + (high - low) * n as f64 / SIDE as f64;
    let points: Vec<LatLon> = (0..SIDE * SIDE)
        .map(|n| LatLon { lat: step(48.80, 48.92, n / SIDE), lon: step(2.22, 2.48, n % SIDE) })
        .collect();
    let inside = points.iter().filter(|at| geography.locate(**at).is_some()).count();

    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for at in &points {
            black_box(geography.locate(black_box(*at)));
        }
        best = best.min(started.elapsed());
    }
    let each = best.as_secs_f64() / points.len() as f64;
    println!(
        "routing: {} points ({inside} inside Paris), best of {ROUNDS}: {:.2} µs a point",
        points.len(),
        each * 1e6
    );
}
