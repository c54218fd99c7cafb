//! How long the bot takes to post one message in each of 50 encrypted
//! Matrix rooms, against a real Synapse on loopback with its message rate
//! limit lifted for the bot, as the README says to do.
//!
//! `cargo bench --bench matrix_broadcast`. Synapse is the integration
//! tests' own, installed under cargo's target directory on first use;
//! without Python and PyPI the bench says so and measures nothing.

#![expect(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]
// The Matrix client's futures nest deeper than the compiler looks by default.
#![recursion_limit = "256"]

// The integration tests' Synapse harness, included where it lives.
#[path = "../tests/it"]
#[expect(dead_code, reason = "the harness's other helpers serve the tests")]
mod it {
    pub mod synapse;
}

use std::sync::Arc;
use std::time::{Duration, Instant};

use compagnie::app::App;
use compagnie::config::{self, Config, DatabaseUrl, MatrixLogin, Secret};
use compagnie::core::clock::SystemClock;
use compagnie::core::effect::{Effect, Message, Text};
use compagnie::core::model::{ChatRef, Lang, Platform};
use compagnie::delivery::Delivery;
use compagnie::matrix::send::Sender;
use compagnie::matrix::sync::Listener;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::api::client::room::create_room::v3::Request as CreateRoom;
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId};
use matrix_sdk::{Client, RoomMemberships};
use tokio::sync::{Notify, watch};

use it::synapse::Synapse;

const ROOMS: usize = 50;
const ROUNDS: usize = 3;

#[tokio::main]
async fn main() {
    let Some(synapse) = Synapse::start().await else {
        println!("Synapse cannot be installed here: nothing measured");
        return;
    };
    let bot = synapse.register("compagnie").await;
    let owner = synapse.register("claire").await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let settings = config::Matrix {
        homeserver: synapse.url().to_string(),
        user: bot.id.clone(),
        login: MatrixLogin::Password(Secret::new(bot.password.clone())),
        data_dir: dir.path().join("matrix"),
        store_passphrase: Secret::new("a passphrase for the bench"),
    };
    let url = format!("sqlite:{}", dir.path().join("compagnie.db").display());
    let config = Config { database_url: DatabaseUrl::new(url), ..Config::default() };
    let app = App::build(config, Arc::new(SystemClock)).await.expect("app");
    // The bot's parts started as `compagnie::matrix::serve` starts them,
    // with the wake-up of delivery at hand.
    let client = compagnie::matrix::session::connect(&settings, None).await.expect("the bot");
    let me = client.user_id().expect("logged in").to_owned();
    let (_stop, shutdown) = watch::channel(false);
    let wake = Arc::new(Notify::new());
    let sender = Sender::new(client.clone(), app.clone());
    tokio::spawn(Delivery::new(sender, app.clone()).run(wake.clone(), shutdown.clone()));
    tokio::spawn(Listener::new(client, app.clone(), me, true).run(wake.clone(), shutdown));

    // The rooms' owner is an ambassador who invited the bot; the bot joins
    // rooms staff invite it to, so she is made one in the store.
    let person = owner_client(&synapse, &owner).await;
    make_staff(&app, &owner.id).await;
    let bot_id = OwnedUserId::try_from(bot.id.as_str()).expect("the bot's id");
    let rooms = rooms_with(&person, &bot_id).await;

    println!("Matrix broadcast: one notice in each of {ROOMS} encrypted rooms");
    for round in 1..=ROUNDS {
        let took = broadcast(&app, &wake, &rooms, round).await;
        let rate = ROOMS as f64 / took.as_secs_f64();
        println!("round {round}: {:.2} s, {rate:.1} messages a second", took.as_secs_f64());
    }
}

async fn owner_client(synapse: &Synapse, user: &it::synapse::User) -> Client {
    let client =
        Client::builder().homeserver_url(synapse.url()).build().await.expect("the owner's client");
    client.matrix_auth().login_username(&user.id, &user.password).send().await.expect("login");
    let syncing = client.clone();
    tokio::spawn(async move { syncing.sync(SyncSettings::default()).await });
    client
}

async fn make_staff(app: &App, user: &str) {
    use compagnie::core::model::{AccountRef, Role};
    let account = AccountRef { platform: Platform::Matrix, user: user.to_owned() };
    app.core().seed_coordinators(std::slice::from_ref(&account)).await.expect("seeded");
    let mut tx = app.store().begin().await.expect("begin");
    let (_, person) = tx.account(&account).await.expect("read").expect("seeded");
    assert!(person.roles.has(Role::Coordinator));
    tx.commit().await.expect("commit");
}

/// Encrypted rooms the owner creates with the bot invited, once it has
/// joined them all.
async fn rooms_with(owner: &Client, bot: &OwnedUserId) -> Vec<OwnedRoomId> {
    let mut rooms = Vec::new();
    for _ in 0..ROOMS {
        let mut request = CreateRoom::new();
        request.invite = vec![bot.clone()];
        let encryption = RoomEncryptionEventContent::with_recommended_defaults();
        request.initial_state =
            vec![InitialStateEvent::with_empty_state_key(encryption).to_raw_any()];
        rooms.push(owner.create_room(request).await.expect("a room"));
    }
    let started = Instant::now();
    for room in &rooms {
        loop {
            let members = room.members(RoomMemberships::JOIN).await.unwrap_or_default();
            if members.iter().any(|member| member.user_id() == bot) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "the bot never joined");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    rooms.iter().map(|room| room.room_id().to_owned()).collect()
}

/// Writes one notice per room into the outbox and times it until the
/// outbox holds nothing waiting.
async fn broadcast(app: &App, wake: &Notify, rooms: &[OwnedRoomId], round: usize) -> Duration {
    let effects: Vec<Effect> = rooms
        .iter()
        .map(|room| Effect::Send {
            chat: ChatRef::new(Platform::Matrix, room.to_string()),
            message: Message::new(
                Lang::Fr,
                Text::new("welcome-verified").arg("name", format!("round {round}")),
            ),
        })
        .collect();
    let started = Instant::now();
    let tx = app.store().begin().await.expect("begin");
    tx.commit_with(&effects, chrono::Utc::now()).await.expect("commit");
    wake.notify_one();
    loop {
        let waiting = app.store().pending(Platform::Matrix, 1_000).await.expect("outbox");
        if waiting.is_empty() {
            return started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(600), "the broadcast never ended");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
