//! The Matrix adapter end to end: the bot and the people are real
//! matrix-sdk clients on the real Synapse of [`crate::synapse`], in
//! encrypted direct rooms and in group rooms.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use compagnie::app::App;
use compagnie::config::{self, Config, DatabaseUrl, MatrixLogin, Secret};
use compagnie::core::clock::FixedClock;
use compagnie::core::effect::{Effect, Message, Text};
use compagnie::core::model::{AccountRef, ChatRef, Lang, Platform};
use matrix_sdk::Client;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::{MessagesOptions, Room};
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::{OwnedEventId, OwnedUserId};
use serde_json::Value;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::synapse::{self, Synapse, User};

/// The bot serving its Matrix account, stopped when dropped.
struct Bot {
    id: OwnedUserId,
    app: App,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Bot {
    /// Starts the bot for `account` on the store and data kept in `dir`,
    /// with `coordinators` named in its configuration.
    async fn start(synapse: &Synapse, account: &User, dir: &Path, coordinators: &[&User]) -> Bot {
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        Bot::start_at(synapse, account, dir, coordinators, clock).await
    }

    /// [`Bot::start`] with the core on `clock`, which a test may move.
    async fn start_at(
        synapse: &Synapse,
        account: &User,
        dir: &Path,
        coordinators: &[&User],
        clock: Arc<FixedClock>,
    ) -> Bot {
        let login = MatrixLogin::Password(Secret::new(account.password.clone()));
        Bot::start_with(synapse, account, login, dir, coordinators, clock).await
    }

    /// [`Bot::start_at`], signing in with `login`.
    async fn start_with(
        synapse: &Synapse,
        account: &User,
        login: MatrixLogin,
        dir: &Path,
        coordinators: &[&User],
        clock: Arc<FixedClock>,
    ) -> Bot {
        let settings = config::Matrix {
            homeserver: synapse.url().to_string(),
            user: account.id.clone(),
            login,
            data_dir: dir.join("matrix"),
            store_passphrase: Secret::new("a passphrase for tests"),
        };
        let url = format!("sqlite:{}", dir.join("compagnie.db").display());
        let coordinators = coordinators
            .iter()
            .map(|user| AccountRef { platform: Platform::Matrix, user: user.id.clone() })
            .collect();
        let config = Config {
            database_url: DatabaseUrl::new(url),
            coordinators,
            matrix: Some(settings.clone()),
            ..crate::common::defaults()
        };
        let filter = tracing_subscriber::EnvFilter::from_env("COMPAGNIE_TEST_LOG");
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter(filter).try_init();
        let app = App::build(config, clock).await.unwrap();
        let (stop, shutdown) = watch::channel(false);
        let serving = app.clone();
        let task = tokio::spawn(async move {
            compagnie::matrix::serve(serving, &settings, shutdown).await.unwrap();
        });
        let id = OwnedUserId::try_from(account.id.as_str()).unwrap();
        Bot { id, app, stop, task: Some(task) }
    }

    /// Stops the bot and waits until it has.
    async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A person's own client, syncing in the background.
struct Person {
    client: Client,
    sync: JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Drop for Person {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

async fn person(synapse: &Synapse, user: &User) -> Person {
    let dir = tempfile::tempdir().unwrap();
    let client = Client::builder()
        .homeserver_url(synapse.url())
        .sqlite_store(dir.path(), None)
        .build()
        .await
        .unwrap();
    client.matrix_auth().login_username(&user.id, &user.password).send().await.unwrap();
    client.sync_once(SyncSettings::default()).await.unwrap();
    let syncing = client.clone();
    // A sync loop ends at the first error: this one starts again, as a
    // person's client would after the homeserver was away.
    let sync = tokio::spawn(async move {
        loop {
            let _ = syncing.sync(SyncSettings::default().timeout(Duration::from_secs(5))).await;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    Person { client, sync, _dir: dir }
}

/// Waits until `done` holds, for at most a minute: two homeservers and
/// the clients' encryption, in a debug build on two cores, can take tens
/// of seconds when tests run side by side.
async fn until<F: Future<Output = bool>>(what: &str, done: impl Fn() -> F) {
    for _ in 0..600 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// The bodies of the last messages of a room, oldest first, decrypted
/// where the person's client can.
async fn bodies(room: &Room) -> Vec<String> {
    let mut options = MessagesOptions::backward();
    options.limit = 50u32.into();
    let Ok(messages) = room.messages(options).await else { return Vec::new() };
    let mut bodies: Vec<String> = messages
        .chunk
        .iter()
        .filter_map(|event| event.raw().deserialize_as::<Value>().ok())
        .filter_map(|event| event["content"]["body"].as_str().map(str::to_owned))
        .collect();
    bodies.reverse();
    bodies
}

async fn said(room: &Room, part: &str) -> bool {
    bodies(room).await.iter().any(|body| body.contains(part))
}

/// The events of a room whose body holds `part`, newest first.
async fn events_saying(room: &Room, part: &str) -> Vec<(OwnedEventId, Value)> {
    let Ok(messages) = room.messages(MessagesOptions::backward()).await else { return Vec::new() };
    let events = messages.chunk.iter().filter_map(|event| {
        let value: Value = event.raw().deserialize_as().ok()?;
        let body = value["content"]["body"].as_str()?;
        body.contains(part).then_some((event.event_id()?, value))
    });
    events.collect()
}

/// Opens an encrypted direct room with the bot and waits until it joins.
async fn direct_room(person: &Person, bot: &OwnedUserId) -> Room {
    let room = person.client.create_dm(bot).await.unwrap();
    until_joined(&room, bot).await;
    room
}

/// A bot with no coordinator named, and Alice with a client of her own.
struct BotAndAlice {
    bot: Bot,
    account: User,
    alice: Person,
    alice_user: User,
    /// The bot's store and session: a test binds it, or they are deleted
    /// under the running bot.
    dir: tempfile::TempDir,
}

async fn bot_and_alice(synapse: &Synapse) -> BotAndAlice {
    let account = synapse.register("compagnie").await;
    let alice_user = synapse.register("alice").await;
    let dir = tempfile::tempdir().unwrap();
    let bot = Bot::start(synapse, &account, dir.path(), &[]).await;
    let alice = person(synapse, &alice_user).await;
    BotAndAlice { bot, account, alice, alice_user, dir }
}

/// Waits until `user` has joined `room`.
async fn until_joined(room: &Room, user: &OwnedUserId) {
    let joined = || async {
        let members = room.members(matrix_sdk::RoomMemberships::JOIN).await.unwrap_or_default();
        members.iter().any(|member| member.user_id() == user)
    };
    until(&format!("{user} in {}", room.room_id()), joined).await;
}

async fn say(room: &Room, text: &str) {
    room.send(RoomMessageEventContent::text_plain(text)).await.unwrap();
}

#[tokio::test]
async fn a_person_is_answered_in_an_encrypted_direct_room_and_again_after_a_restart() {
    let Some(synapse) = synapse::shared().await else { return };
    let BotAndAlice { bot, account, alice, dir, .. } = bot_and_alice(synapse).await;
    let bot_id = bot.id.clone();

    let room = direct_room(&alice, &bot_id).await;
    assert!(room.latest_encryption_state().await.unwrap().is_encrypted());
    say(&room, "!start").await;
    until("the welcome", || said(&room, "Bienvenue")).await;

    let session = || std::fs::read_to_string(dir.path().join("matrix/session.json")).unwrap();
    let before = session();
    bot.stop().await;
    let bot = Bot::start(synapse, &account, dir.path(), &[]).await;
    say(&room, "!aide").await;
    until("the help after the restart", || said(&room, "!offres")).await;
    assert_eq!(session(), before, "the same device, restored");
    let welcomes = bodies(&room).await.iter().filter(|body| body.contains("Bienvenue")).count();
    assert_eq!(welcomes, 1, "nothing answered twice");
    drop(bot);
}

#[tokio::test]
async fn a_bot_given_an_access_token_serves_from_the_device_it_names() {
    let Some(synapse) = synapse::shared().await else { return };
    let account = synapse.register("compagnie").await;
    let alice = person(synapse, &synapse.register("alice").await).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let login = MatrixLogin::AccessToken(Secret::new(account.access_token.clone()));
    let bot = Bot::start_with(synapse, &account, login, dir.path(), &[], clock).await;

    let room = direct_room(&alice, &bot.id).await;
    say(&room, "!start").await;
    until("the welcome", || said(&room, "Bienvenue")).await;
    let session = std::fs::read_to_string(dir.path().join("matrix/session.json")).unwrap();
    assert!(session.contains(&account.device_id), "the registered device, kept: {session}");
    drop(bot);
}

/// An encrypted group room that `owner` creates with the bot and others
/// invited; returns it once the bot is in.
async fn encrypted_group(owner: &Person, bot: &OwnedUserId, invited: &[&Person]) -> Room {
    use matrix_sdk::ruma::api::client::room::create_room::v3::Request;
    use matrix_sdk::ruma::events::InitialStateEvent;
    use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
    let mut request = Request::new();
    request.invite = vec![bot.clone()];
    request.invite.extend(invited.iter().map(|person| person.id()));
    let encryption = RoomEncryptionEventContent::with_recommended_defaults();
    request.initial_state = vec![InitialStateEvent::with_empty_state_key(encryption).to_raw_any()];
    let group = owner.client.create_room(request).await.unwrap();
    until_joined(&group, bot).await;
    group
}

/// Joins a room `person` was invited to.
async fn join(person: &Person, room: &Room) -> Room {
    let invited = || async { person.client.get_room(room.room_id()).is_some() };
    until("the invitation", invited).await;
    person.client.join_room_by_id(room.room_id()).await.unwrap()
}

impl Person {
    fn id(&self) -> OwnedUserId {
        self.client.user_id().unwrap().to_owned()
    }

    /// How coordinators name this person in commands.
    fn handle(&self) -> String {
        format!("@{}", self.id().as_str().trim_start_matches('@'))
    }
}

/// Signs up in a direct room and is verified by the coordinator.
async fn volunteer(person: &Person, bot: &OwnedUserId, coordinator: &Room) -> Room {
    let direct = direct_room(person, bot).await;
    say(&direct, "!start").await;
    until("the welcome", || said(&direct, "Bienvenue")).await;
    say(coordinator, &format!("!verify {}", person.handle())).await;
    until("verified", || said(&direct, "Bonne nouvelle")).await;
    direct
}

#[tokio::test]
async fn a_whole_outing_in_encrypted_rooms_claimed_by_reaction_and_reported_by_numbers() {
    let Some(synapse) = synapse::shared().await else { return };
    let account = synapse.register("compagnie").await;
    let users = [synapse.register("claire").await, synapse.register("alice").await];
    let (bob_user, dave_user) = (synapse.register("bob").await, synapse.register("dave").await);
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let bot = Bot::start_at(synapse, &account, dir.path(), &[&users[0]], clock.clone()).await;
    let claire = person(synapse, &users[0]).await;
    let (alice, bob) = (person(synapse, &users[1]).await, person(synapse, &bob_user).await);

    // Claire links an encrypted room for the 11th; Alice and Bob sign up.
    let claire_dm = direct_room(&claire, &bot.id).await;
    say(&claire_dm, "!start").await;
    until("Claire greeted", || said(&claire_dm, "Bonjour")).await;
    let group = encrypted_group(&claire, &bot.id, &[&alice]).await;
    say(&group, "!link_group 11").await;
    until("the group linked", || said(&group, "Ce groupe reçoit")).await;
    let alice_dm = volunteer(&alice, &bot.id, &claire_dm).await;
    let bob_dm = volunteer(&bob, &bot.id, &claire_dm).await;

    // Bob, made ambassador, is told when Dave joins without signing up.
    say(&claire_dm, &format!("!role {} ambassador", bob.handle())).await;
    until("Bob made ambassador", || said(&claire_dm, "ambassad")).await;
    group.invite_user_by_id(&bob.id()).await.unwrap();
    let bob_group = join(&bob, &group).await;
    let dave = person(synapse, &dave_user).await;
    group.invite_user_by_id(&dave.id()).await.unwrap();
    join(&dave, &group).await;
    until("Dave greeted", || said(&group, "inscrivez-vous")).await;
    until("Bob told", || said(&bob_dm, "sans être bénévole vérifié")).await;
    // Bob asks for Dave's removal, which the bot has no power to do here.
    say(&bob_group, &format!("!retirer {}", dave.handle())).await;
    until("the removal refused", || said(&group, "pas pu retirer ce membre")).await;

    // An outing is posted; Alice and Bob react to claim it at once.
    let elder = "!elder_add Jeanne Martin | 06 12 34 56 78 | 12 rue Oberkampf | 48.8652,2.3780 | -";
    say(&claire_dm, elder).await;
    say(&claire_dm, "!offer_new 1 medical demain 14:30 2h Hôpital Saint-Antoine").await;
    let alice_group = join(&alice, &group).await;
    until("the post in the group", || said(&alice_group, "n°101")).await;
    let (post, _) = events_saying(&alice_group, "n°101").await.remove(0);
    let claim = || ReactionEventContent::new(Annotation::new(post.clone(), "🙋".to_owned()));
    let (by_alice, by_bob) = tokio::join!(alice_group.send(claim()), bob_group.send(claim()));
    by_alice.unwrap();
    by_bob.unwrap();
    let details = |room: &Room| {
        let room = room.clone();
        async move { said(&room, "06 12 34 56 78").await }
    };
    until("the details for the winner", || async {
        details(&alice_dm).await || details(&bob_dm).await
    })
    .await;
    until("the other told", || said(&group, "Trop tard")).await;
    let (alice_won, bob_won) = (details(&alice_dm).await, details(&bob_dm).await);
    assert!(alice_won != bob_won, "exactly one volunteer gets the details");
    let edited = || async {
        let posts = events_saying(&alice_group, "n°101").await;
        posts.iter().any(|(_, event)| event["content"]["m.relates_to"]["rel_type"] == "m.replace")
    };
    until("the post edited", edited).await;
    for body in bodies(&group).await {
        assert!(!body.contains("06 12") && !body.contains("Martin"), "{body}");
    }

    // After the outing, the winner reports by typing numbers, and the bot
    // restarts halfway through.
    let winner_dm = if alice_won { &alice_dm } else { &bob_dm };
    let mut tx = bot.app.store().begin().await.unwrap();
    let offer = tx.offer(compagnie::core::model::OfferNo(101)).await.unwrap();
    drop(tx);
    clock.set(offer.end() + chrono::Duration::hours(1));
    say(winner_dm, "!compte_rendu 101").await;
    until("the first question", || said(winner_dm, "Comment s'est passée")).await;
    say(winner_dm, "1").await;
    until("the duration asked", || said(winner_dm, "Combien de temps")).await;
    bot.stop().await;
    let bot = Bot::start_at(synapse, &account, dir.path(), &[&users[0]], clock.clone()).await;
    for (answer, next) in
        [("3", "de 0"), ("4", "domicile"), ("2", "inquiète"), ("8", "Merci pour ce")]
    {
        say(winner_dm, answer).await;
        until(next, || said(winner_dm, next)).await;
    }
    let asked = bodies(winner_dm).await;
    let durations = asked.iter().filter(|body| body.contains("Combien de temps")).count();
    assert_eq!(durations, 1, "nothing asked twice: {asked:?}");
    let mut tx = bot.app.store().begin().await.unwrap();
    let report = tx.report(offer.number).await.unwrap().expect("the report was kept");
    drop(tx);
    assert_eq!((report.duration_min, report.rating), (Some(120), Some(4)));

    // The encrypted group is still read after the restart.
    say(&group, "!aide").await;
    until("the help in the group", || async {
        bodies(&group).await.iter().filter(|body| body.contains("!offres")).count() >= 1
    })
    .await;
    drop(bot);
}

#[tokio::test]
async fn the_bot_comes_back_after_the_homeserver_stops_and_sends_what_waited() {
    let Some(mut synapse) = Synapse::start().await else { return };
    let BotAndAlice { bot, alice, alice_user, dir: _dir, .. } = bot_and_alice(&synapse).await;
    let room = direct_room(&alice, &bot.id).await;
    say(&room, "!start").await;
    until("the welcome", || said(&room, "Bienvenue")).await;

    // The homeserver is away for twenty seconds; meanwhile the core writes
    // a message for Alice.
    let outage = synapse.stop_for(Duration::from_secs(20));
    let written = async {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let chat = ChatRef::new(Platform::Matrix, alice_user.id.clone());
        let message = Message::new(Lang::Fr, Text::new("you-are-verified"));
        let tx = bot.app.store().begin().await.unwrap();
        tx.commit_with(&[Effect::Send { chat, message }], chrono::Utc::now()).await.unwrap();
    };
    tokio::join!(outage, written);
    until("the message written meanwhile", || said(&room, "Bonne nouvelle")).await;
    say(&room, "!aide").await;
    until("the help, once synced again", || said(&room, "!offres")).await;
    drop(bot);
}

#[tokio::test]
async fn a_rate_limited_bot_waits_as_told_and_sends_everything_in_order() {
    let Some(synapse) = Synapse::start_limited((0.5, 2)).await else { return };
    let BotAndAlice { bot, alice, alice_user, dir: _dir, .. } = bot_and_alice(&synapse).await;
    let room = direct_room(&alice, &bot.id).await;

    let chat = ChatRef::new(Platform::Matrix, alice_user.id.clone());
    let sends: Vec<Effect> = (1..=6)
        .map(|n| Effect::Send {
            chat: chat.clone(),
            message: Message::new(
                Lang::Fr,
                Text::new("welcome-verified").arg("name", format!("n{n}")),
            ),
        })
        .collect();
    let tx = bot.app.store().begin().await.unwrap();
    tx.commit_with(&sends, chrono::Utc::now()).await.unwrap();
    until("all six, at half a message a second", || said(&room, "n6")).await;
    let bodies = bodies(&room).await;
    let order: Vec<&str> = bodies
        .iter()
        .filter_map(|body| body.strip_prefix("Bienvenue ")?.split_whitespace().next())
        .collect();
    assert_eq!(order, ["n1", "n2", "n3", "n4", "n5", "n6"], "each once, in order");
    drop(bot);
}

#[tokio::test]
async fn an_invitation_from_outside_the_team_is_declined_with_a_reason() {
    let Some(synapse) = synapse::shared().await else { return };
    let BotAndAlice { bot, alice, alice_user, dir: _dir, .. } = bot_and_alice(synapse).await;
    let mut request = matrix_sdk::ruma::api::client::room::create_room::v3::Request::new();
    request.invite = vec![bot.id.clone()];
    let room = alice.client.create_room(request).await.unwrap();

    let path = format!(
        "/_matrix/client/v3/rooms/{}/state/m.room.member/{}",
        encode(room.room_id().as_str()),
        encode(bot.id.as_str())
    );
    let token = Some(alice_user.access_token.as_str());
    let declined = || async {
        let member = synapse.request("GET", &path, token, None).await;
        member["membership"] == "leave"
    };
    until("the invitation declined", declined).await;
    let member = synapse.request("GET", &path, token, None).await;
    let reason = member["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("l'équipe du service m'invite"), "{member}");
    drop(bot);
}

/// Room and user ids in a URL path.
fn encode(id: &str) -> String {
    id.replace('!', "%21").replace('@', "%40").replace(':', "%3A").replace('#', "%23")
}
