//! The Telegram adapter end to end: the real teloxide client against the
//! fake Bot API server, the core on a temporary SQLite store.

use std::sync::Arc;
use std::time::Duration;

use compagnie::app::App;
use compagnie::config::{self, Config, DatabaseUrl, Secret, Webhook};
use compagnie::core::clock::FixedClock;
use compagnie::core::model::{Account, AccountRef, ChatRef, Person, Platform};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::fake_telegram::FakeTelegram;

const CLAIRE: i64 = 1001;
const ALICE: i64 = 2001;
const BOB: i64 = 2002;
const DAVE: i64 = 2004;
const GROUP_11: i64 = -1_001_000_000_011;
const STAFF: i64 = -1_001_000_000_900;

mod delivery;
mod moderation;

/// The bot serving the fake server, stopped when dropped.
struct Served {
    fake: FakeTelegram,
    app: App,
    /// The store's URL, for a second process on the same store.
    database_url: String,
    /// The core's time, which starts at the real time and stays there
    /// until a test moves it; delivery keeps real time for the limits.
    clock: Arc<FixedClock>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn serve() -> Served {
    serve_with(None).await
}

async fn serve_with(webhook: Option<Webhook>) -> Served {
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("compagnie.db").display());
    let telegram = config::Telegram {
        token: Secret::new(fake.token()),
        api_url: fake.url().to_string(),
        webhook,
    };
    let claire = AccountRef { platform: Platform::Telegram, user: CLAIRE.to_string() };
    let config = Config {
        database_url: DatabaseUrl::new(url.clone()),
        coordinators: vec![claire],
        telegram: Some(telegram.clone()),
        ..crate::common::defaults()
    };
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let app = App::build(config, clock.clone()).await.unwrap();
    let (stop, shutdown) = watch::channel(false);
    let serving = app.clone();
    let task = tokio::spawn(async move {
        compagnie::telegram::serve(serving, &telegram, shutdown).await.unwrap();
    });
    Served { fake, app, database_url: url, clock, stop, task: Some(task), _dir: dir }
}

/// Waits until `done` holds, for at most ten seconds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

fn sent_to_contains(fake: &FakeTelegram, chat: i64, part: &str) -> bool {
    fake.texts_to(chat).iter().any(|text| text.contains(part))
}

/// Claire links the 11th's group and the staff room; Alice and Bob sign
/// up and are verified; an outing for Jeanne is published.
async fn set_up(fake: &FakeTelegram) {
    fake.push_private_text(CLAIRE, "/start");
    fake.push_group_text(GROUP_11, CLAIRE, "/link_group 11");
    fake.push_group_text(STAFF, CLAIRE, "/link_group@compagnie_test_bot staff");
    for volunteer in [ALICE, BOB] {
        fake.push_private_text(volunteer, "/start");
        fake.push_private_text(CLAIRE, &format!("/verify @u{volunteer}"));
    }
    let elder = "/elder_add Jeanne Martin | 06 12 34 56 78 | 12 rue Oberkampf | 48.8652,2.3780 | -";
    fake.push_private_text(CLAIRE, elder);
    fake.push_private_text(CLAIRE, "/offer_new 1 medical demain 14:30 2h Hôpital Saint-Antoine");
    until("the offer in the group", || sent_to_contains(fake, GROUP_11, "n°101")).await;
}

/// The id of the group post that shows offer 101, with its claim button.
async fn post_of_offer(served: &Served) -> i32 {
    let sent = served.fake.calls("sendMessage");
    let post = sent.iter().find(|call| {
        let text = call.body["text"].as_str().unwrap_or("");
        call.body["chat_id"] == GROUP_11 && text.contains("n°101")
    });
    let button = &post.expect("the post was sent").body["reply_markup"]["inline_keyboard"][0][0];
    assert_eq!(button["callback_data"], "claim:101");
    // The fake answers before delivery records the post's id: wait for it.
    let group = ChatRef::new(Platform::Telegram, GROUP_11.to_string());
    for _ in 0..500 {
        if let Some(id) = served.app.store().post_id(&group, "offer:101").await.unwrap() {
            return id.parse().unwrap();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the post's id was never kept");
}

#[tokio::test]
async fn two_volunteers_press_claim_at_once_and_one_gets_the_details() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    let post = post_of_offer(&served).await;
    fake.push_callback(GROUP_11, post, ALICE, "claim:101");
    fake.push_callback(GROUP_11, post, BOB, "claim:101");

    let got_phone = |user| sent_to_contains(fake, user, "06 12 34 56 78");
    until("the details for the winner", || got_phone(ALICE) || got_phone(BOB)).await;
    until("both presses answered", || fake.calls("answerCallbackQuery").len() >= 2).await;
    assert!(got_phone(ALICE) != got_phone(BOB), "exactly one volunteer gets the details");
    let toasts: Vec<String> = fake
        .calls("answerCallbackQuery")
        .iter()
        .filter_map(|call| call.body["text"].as_str().map(str::to_owned))
        .collect();
    assert!(toasts.iter().any(|toast| toast.contains("Trop tard")), "{toasts:?}");
    until("the post edited", || {
        fake.calls("editMessageText").iter().any(|call| call.body["chat_id"] == GROUP_11)
    })
    .await;
    for text in fake.texts_to(GROUP_11) {
        assert!(!text.contains("Martin") && !text.contains("06 12"), "{text}");
    }
    assert_eq!(fake.breaches(), 0);
}

#[tokio::test]
async fn an_update_delivered_twice_is_handled_once() {
    let served = serve().await;
    let fake = &served.fake;
    fake.push_private_text(ALICE, "/start");
    fake.push_again().unwrap();
    until("a welcome", || sent_to_contains(fake, ALICE, "Bienvenue")).await;
    fake.push_private_text(ALICE, "/aide");
    until("the help", || sent_to_contains(fake, ALICE, "/offres")).await;
    let welcomes = fake.texts_to(ALICE).iter().filter(|text| text.contains("Bienvenue")).count();
    assert_eq!(welcomes, 1);
}

#[tokio::test]
async fn a_newcomer_is_greeted_with_a_link_and_the_ambassador_told() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    fake.push_private_text(CLAIRE, &format!("/role @u{ALICE} ambassador"));
    fake.push_member_change(GROUP_11, ALICE, true);
    fake.push_member_change(GROUP_11, DAVE, true);
    until("the ambassador told", || sent_to_contains(fake, ALICE, "User 2004")).await;
    until("the greeting", || sent_to_contains(fake, GROUP_11, "inscrivez-vous")).await;
    let greeting = fake.calls("sendMessage").into_iter().find(|call| {
        call.body["chat_id"] == GROUP_11
            && call.body["text"].as_str().unwrap_or("").contains("inscrivez-vous")
    });
    let greeting = greeting.expect("the newcomer is greeted");
    let link = &greeting.body["reply_markup"]["inline_keyboard"][0][0]["url"];
    assert_eq!(link, "https://t.me/compagnie_test_bot?start=signup");
}

/// The buttons of the last message sent to `chat`, by their data.
fn buttons_of_last(fake: &FakeTelegram, chat: i64) -> Vec<String> {
    let sent = fake.calls("sendMessage");
    let last = sent.iter().rev().find(|call| call.body["chat_id"] == chat);
    let rows = last.and_then(|call| call.body["reply_markup"]["inline_keyboard"].as_array());
    let buttons = rows.into_iter().flatten().filter_map(|row| row.as_array()).flatten();
    buttons.filter_map(|button| button["callback_data"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn a_volunteer_reports_after_the_outing_by_pressing_buttons() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    let post = post_of_offer(&served).await;
    fake.push_callback(GROUP_11, post, ALICE, "claim:101");
    until("the details", || sent_to_contains(fake, ALICE, "06 12 34 56 78")).await;

    let mut tx = served.app.store().begin().await.unwrap();
    let offer = tx.offer(compagnie::core::model::OfferNo(101)).await.unwrap();
    drop(tx);
    served.clock.set(offer.end() + chrono::Duration::hours(1));
    fake.push_private_text(ALICE, "/compte_rendu 101");
    let answers = ["d:outcome:took_place", "d:duration:120", "d:rating:4", "d:home:no"];
    for answer in answers.into_iter().chain(["d:concern:done"]) {
        until(answer, || buttons_of_last(fake, ALICE).iter().any(|data| data == answer)).await;
        fake.push_callback(ALICE, 1, ALICE, answer);
    }
    until("the thanks", || sent_to_contains(fake, ALICE, "Merci pour ce compte rendu")).await;
    let mut tx = served.app.store().begin().await.unwrap();
    let report = tx.report(offer.number).await.unwrap().expect("the report was kept");
    assert_eq!((report.duration_min, report.rating), (Some(120), Some(4)));
}

/// Dave was registered and verified by the team before he ever wrote to
/// the bot: he has a Telegram account but no private chat with it.
async fn register_without_a_chat(app: &App) {
    let mut tx = app.store().begin().await.unwrap();
    let new = compagnie::core::store::NewPerson {
        name: "Dave".into(),
        lang: Default::default(),
        radius_km: 2.0,
        at: chrono::Utc::now(),
    };
    let person = tx.insert_person(&new).await.unwrap();
    tx.update_person(&Person { verified: true, ..person.clone() }).await.unwrap();
    let account = Account {
        account: AccountRef { platform: Platform::Telegram, user: DAVE.to_string() },
        person: person.id,
        handle: Some(format!("u{DAVE}")),
        private_chat: None,
    };
    tx.upsert_account(&account).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_volunteer_who_never_started_the_bot_claims_through_a_link() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    register_without_a_chat(&served.app).await;
    let post = post_of_offer(&served).await;
    fake.push_callback(GROUP_11, post, DAVE, "claim:101");
    let link = || {
        fake.calls("sendMessage").into_iter().find_map(|call| {
            let button = &call.body["reply_markup"]["inline_keyboard"][0][0];
            let url = button["url"].as_str()?.to_owned();
            (call.body["chat_id"] == GROUP_11 && url.contains("claim")).then_some(url)
        })
    };
    until("the link to open a chat", || link().is_some()).await;
    assert_eq!(link().unwrap(), "https://t.me/compagnie_test_bot?start=claim-101");

    fake.push_callback(GROUP_11, post, ALICE, "claim:101");
    let toast = |part: &str| {
        fake.calls("answerCallbackQuery")
            .iter()
            .any(|call| call.body["text"].as_str().is_some_and(|text| text.contains(part)))
    };
    until("Alice told the outing is kept", || toast("gardée")).await;

    fake.push_private_text(DAVE, "/start claim-101");
    until("Dave's details", || sent_to_contains(fake, DAVE, "06 12 34 56 78")).await;
    assert!(!sent_to_contains(fake, ALICE, "06 12 34 56 78"));
}

#[tokio::test]
async fn a_removal_without_the_right_to_ban_is_explained_in_the_group() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    fake.push_private_text(CLAIRE, &format!("/role @u{ALICE} ambassador"));
    fake.push_member_change(GROUP_11, DAVE, true);
    fake.demote_bot_in(GROUP_11);
    fake.push_group_text(GROUP_11, ALICE, &format!("/retirer @u{DAVE}"));
    until("the group told", || sent_to_contains(fake, GROUP_11, "droit de bannir")).await;
}

#[tokio::test]
async fn a_released_outing_is_offered_again_in_its_group() {
    let served = serve().await;
    let fake = &served.fake;
    set_up(fake).await;
    let post = post_of_offer(&served).await;
    fake.push_callback(GROUP_11, post, ALICE, "claim:101");
    until("the details", || sent_to_contains(fake, ALICE, "06 12 34 56 78")).await;
    fake.push_callback(ALICE, 1, ALICE, "release:101");
    until("the release confirmed", || sent_to_contains(fake, ALICE, "de nouveau proposée")).await;
    let reopened = || {
        fake.calls("editMessageText").iter().any(|call| {
            let button = &call.body["reply_markup"]["inline_keyboard"][0][0];
            call.body["chat_id"] == GROUP_11 && button["callback_data"] == "claim:101"
        })
    };
    until("the post offering the outing again", reopened).await;
    fake.push_callback(GROUP_11, post, BOB, "claim:101");
    until("Bob's details", || sent_to_contains(fake, BOB, "06 12 34 56 78")).await;
}

const SECRET: &str = "s3cret-token";

/// Posts an update to the webhook as Telegram would; returns the status.
async fn post_update(port: u16, secret: &str, update: &serde_json::Value) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = update.to_string();
    let request = format!(
        "POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.split_whitespace().nth(1).and_then(|status| status.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn the_webhook_takes_updates_that_carry_the_secret_only() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let webhook = Webhook {
        url: "https://bot.example.invalid/telegram".into(),
        listen: ([127, 0, 0, 1], port).into(),
        secret: Secret::new(SECRET),
    };
    let served = serve_with(Some(webhook)).await;
    let fake = &served.fake;
    until("the webhook registered", || !fake.calls("setWebhook").is_empty()).await;
    let update = serde_json::json!({
        "update_id": 77,
        "message": {
            "message_id": 1, "date": 1_765_000_000,
            "chat": { "id": ALICE, "type": "private", "first_name": "Alice" },
            "from": { "id": ALICE, "is_bot": false, "first_name": "Alice", "username": "alice" },
            "text": "/start"
        }
    });
    let mut status = 0;
    for _ in 0..50 {
        status = post_update(port, "wrong", &update).await;
        if status != 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, 401, "an update without the secret is refused");
    assert_eq!(post_update(port, SECRET, &update).await, 200);
    assert_eq!(post_update(port, SECRET, &update).await, 200, "a repeat is accepted");
    until("the welcome", || sent_to_contains(fake, ALICE, "Bienvenue")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let welcomes = fake.texts_to(ALICE).iter().filter(|text| text.contains("Bienvenue")).count();
    assert_eq!(welcomes, 1, "the repeat did nothing");
}
