//! The address service's client against a local server that answers like
//! the national address API: each answer ends in a point, a question, or
//! a clear error, never a panic.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use compagnie::config;
use compagnie::core::clock::FixedClock;
use compagnie::core::geocode::Geocoding;
use compagnie::core::model::{AccountRef, ElderId, LatLon, Platform};
use compagnie::geocoder::{AddressApi, Found, GeocodeError, Geocoder, decide};
use serde_json::{Value, json};

use crate::bot::{Bot, In, ids, monday_morning};
use crate::common::each_store;

fn feature(label: &str, score: f64, lon: f64, lat: f64) -> Value {
    json!({
        "type": "Feature",
        "geometry": { "type": "Point", "coordinates": [lon, lat] },
        "properties": {
            "label": label, "score": score, "postcode": "75011", "citycode": "75111",
            "type": "housenumber", "city": "Paris"
        }
    })
}

/// Answers by the address's last word, as the service would answer such
/// addresses, counting the requests.
async fn search(State(asked): State<Arc<AtomicUsize>>, RawQuery(query): RawQuery) -> Response {
    asked.fetch_add(1, Ordering::SeqCst);
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
    let field =
        |name: &str| pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    assert!(field("limit").is_some_and(|limit| limit != "0"), "a limit is asked");
    let address = field("q").unwrap_or_default();
    let features = match address.split_whitespace().last().unwrap_or_default() {
        "sure" => vec![feature("12 Rue Oberkampf 75011 Paris", 0.96, 2.3780, 48.8652)],
        "vague" => vec![
            feature("Rue Oberkampf 75011 Paris", 0.52, 2.3760, 48.8650),
            feature("Oberkampf 75011 Paris", 0.61, 2.3680, 48.8646),
        ],
        "broken" => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Vec::new()
        }
        _ => Vec::new(),
    };
    let body = json!({ "type": "FeatureCollection", "version": "draft", "features": features });
    ([(header::CONTENT_TYPE, "application/json")], body.to_string()).into_response()
}

/// The server on a free loopback port: its base URL, and how many
/// requests it had.
async fn address_service() -> (url::Url, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let asked = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route("/search/", get(search)).with_state(asked.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap(), asked)
}

fn settings(base_url: url::Url) -> config::Geocoder {
    let timeout = Duration::from_secs(1);
    config::Geocoder { enabled: true, base_url, timeout, min_score: 0.7 }
}

#[tokio::test]
async fn each_answer_ends_in_a_point_a_question_or_a_clear_error() {
    let api = AddressApi::new(&settings(address_service().await.0)).unwrap();
    let found = |address: &'static str| {
        let api = &api;
        async move { api.search(address).await.map(|candidates| decide(candidates, 0.7)) }
    };

    let Found::Point(best) = found("12 rue Oberkampf sure").await.unwrap() else {
        panic!("a sure match is taken");
    };
    assert_eq!((best.at.lat, best.at.lon), (48.8652, 2.3780), "GeoJSON puts longitude first");
    assert_eq!(best.postcode.as_deref(), Some("75011"));

    let Found::Ask(candidates) = found("oberkampf vague").await.unwrap() else {
        panic!("low scores ask which is meant");
    };
    assert_eq!(candidates.len(), 2);
    assert!(candidates[0].score > candidates[1].score, "the likeliest first");

    assert_eq!(found("nowhere at all").await.unwrap(), Found::Nothing);
    assert!(matches!(found("a broken").await, Err(GeocodeError::Status(500))));
    assert!(matches!(found("a slow").await, Err(GeocodeError::Timeout)));
}

#[tokio::test]
async fn a_service_that_is_down_says_so() {
    // A port just freed: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let api = AddressApi::new(&settings(base)).unwrap();
    assert!(matches!(api.search("12 rue Oberkampf").await, Err(GeocodeError::Unreachable(_))));
}

#[tokio::test]
async fn locate_takes_an_address_and_asks_when_unsure() {
    let (base, _) = address_service().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("compagnie.toml");
    let database = format!("sqlite://{}", dir.path().join("compagnie.db").display());
    let text = format!("[database]\nurl = {database:?}\n\n[geocoder]\nbase_url = \"{base}\"\n");
    std::fs::write(&config, text).unwrap();
    let locate = |place: &'static str| {
        let config = config.clone();
        async move {
            // The server answers on this test's runtime meanwhile.
            let run = tokio::task::spawn_blocking(move || {
                std::process::Command::new(env!("CARGO_BIN_EXE_compagnie"))
                    .arg("--config")
                    .arg(&config)
                    .args(["locate", place])
                    .current_dir(env!("CARGO_MANIFEST_DIR"))
                    .env_remove("COMPAGNIE_DATABASE_URL")
                    .output()
                    .unwrap()
            });
            let run = run.await.unwrap();
            (run.status.code(), String::from_utf8_lossy(&run.stdout).into_owned())
        }
    };

    let (code, text) = locate("12 rue Oberkampf sure").await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("neighbourhood: 11 (Popincourt)"), "{text}");
    let (code, text) = locate("oberkampf vague").await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("did you mean") && text.contains("Oberkampf 75011 Paris"), "{text}");
    let (code, text) = locate("a broken").await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("LAT,LON"), "{text}");
}

/// Registers an elder step by step up to the address, and returns what
/// the bot asked next.
async fn register_up_to_the_address(bot: &mut Bot, address: &str) -> Vec<String> {
    for answer in ["/elder_add", "Jeanne", "Martin", "06 12 34 56 78"] {
        bot.say("claire", In::Private, answer).await;
    }
    ids(&bot.say("claire", In::Private, address).await)
}

/// The rest of the registration, and where the elder was placed.
async fn finish_registration(bot: &mut Bot) -> (Option<LatLon>, Option<String>) {
    bot.say("claire", In::Private, "-").await;
    let done = ids(&bot.say("claire", In::Private, "oui").await);
    assert!(done.contains(&"elder-registered".to_owned()), "{done:?}");
    let mut tx = bot.store.begin().await.unwrap();
    let elder = tx.elder(ElderId(1)).await.unwrap();
    (elder.at, elder.neighbourhood)
}

#[tokio::test]
async fn registering_an_elder_looks_the_address_up_once() {
    each_store(|store| async move {
        let (base, asked) = address_service().await;
        let service = Arc::new(AddressApi::new(&settings(base)).unwrap());
        let geocoding = Geocoding { service: Some(service), min_score: 0.7 };
        let clock = Arc::new(FixedClock::new(monday_morning()));
        let mut bot = Bot::with_geocoding(store, clock, geocoding).await;
        let claire = AccountRef { platform: Platform::Console, user: "claire".into() };
        bot.core.seed_coordinators(&[claire]).await.unwrap();

        let asked_next = register_up_to_the_address(&mut bot, "12 rue Oberkampf sure").await;
        assert_eq!(asked_next, ["elder-ask-mobility-located"], "a sure match is taken");
        let (at, hood) = finish_registration(&mut bot).await;
        assert_eq!((at, hood.as_deref()), (Some(LatLon { lat: 48.8652, lon: 2.378 }), Some("11")));

        // The same address again, typed differently: the stored answer.
        let asked_before = asked.load(Ordering::SeqCst);
        register_up_to_the_address(&mut bot, "12 Rue  Oberkampf SURE").await;
        assert_eq!(asked.load(Ordering::SeqCst), asked_before, "answered from the store");
        bot.say("claire", In::Private, "/cancel").await;

        let asked_next = register_up_to_the_address(&mut bot, "oberkampf vague").await;
        assert_eq!(asked_next, ["elder-ask-candidate"], "low scores ask which is meant");
        let picked = ids(&bot.say("claire", In::Private, "2").await);
        assert_eq!(picked, ["elder-ask-mobility-located"]);
        bot.say("claire", In::Private, "/cancel").await;

        for (address, question) in [
            ("a broken", "elder-ask-place-unreachable"),
            ("a slow", "elder-ask-place-unreachable"),
            ("nowhere at all", "elder-ask-place-not-found"),
        ] {
            let asked_next = register_up_to_the_address(&mut bot, address).await;
            assert_eq!(asked_next, [question], "{address}");
            let placed = ids(&bot.say("claire", In::Private, "11").await);
            assert_eq!(placed, ["elder-ask-mobility"], "{address}: placed by hand");
            bot.say("claire", In::Private, "/cancel").await;
        }
    })
    .await;
}
