//! The fake Telegram server, driven by the real teloxide client: if these
//! pass, the adapter's tests talk to something teloxide understands.

use std::time::Duration;

use teloxide::payloads::*;
use teloxide::prelude::*;
use teloxide::types::{
    ChatMemberStatus, InlineKeyboardButton, InlineKeyboardMarkup, MessageId, UpdateKind,
};
use teloxide::{ApiError, RequestError};

use crate::fake_telegram::{BOT_ID, FakeTelegram, Faults};

const ALICE: i64 = 42;
const GROUP: i64 = -1_001_234_567_890;

#[tokio::test]
async fn get_me_names_the_bot() {
    let fake = FakeTelegram::start().await;
    let me = fake.bot().get_me().await.expect("getMe");
    assert_eq!(i64::try_from(me.id.0).ok(), Some(BOT_ID));
    assert_eq!(me.username(), "compagnie_test_bot");
}

#[tokio::test]
async fn sent_message_is_edited_and_unchanged_edit_is_refused() {
    let fake = FakeTelegram::start().await;
    let bot = fake.bot();
    let keyboard =
        InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Yes", "offer:1:yes")]]);
    let sent = bot.send_message(ChatId(GROUP), "hello").reply_markup(keyboard).await.unwrap();
    assert_eq!((sent.id, sent.text()), (MessageId(1), Some("hello")));
    assert!(sent.reply_markup().is_some());

    let edited = bot.edit_message_text(ChatId(GROUP), sent.id, "bye").await.unwrap();
    assert_eq!(edited.text(), Some("bye"));
    assert!(edited.reply_markup().is_none(), "an edit without markup removes it");

    let again = bot.edit_message_text(ChatId(GROUP), sent.id, "bye").await;
    assert!(matches!(again, Err(RequestError::Api(ApiError::MessageNotModified))));
    assert_eq!(fake.texts_to(GROUP), ["hello"]);
    assert_eq!(fake.breaches(), 0);
}

#[tokio::test]
async fn updates_parse_and_acknowledged_ones_never_return() {
    let fake = FakeTelegram::start().await;
    let bot = fake.bot();
    let sent = bot.send_message(ChatId(GROUP), "offer").await.unwrap();
    fake.push_private_text(ALICE, "/start");
    fake.push_group_text(GROUP, ALICE, "hi");
    fake.push_callback(GROUP, sent.id.0, ALICE, "offer:1:yes");
    fake.push_location(ALICE, ALICE, 48.86, 2.37);
    let last = fake.push_member_change(GROUP, ALICE, true);

    let updates = bot.get_updates().await.unwrap();
    let kinds: Vec<_> = updates.iter().map(describe).collect();
    assert_eq!(kinds, ["text /start", "text hi", "press offer:1:yes offer", "location", "join"]);

    let offset = i32::try_from(last).unwrap();
    let after = bot.get_updates().offset(offset).await.unwrap();
    assert_eq!(after.len(), 1, "the offset's own update is not acknowledged yet");
    assert!(bot.get_updates().offset(offset + 1).await.unwrap().is_empty());
    assert!(bot.get_updates().await.unwrap().is_empty(), "acknowledged updates never return");
}

fn describe(update: &Update) -> String {
    match &update.kind {
        UpdateKind::Message(message) if message.location().is_some() => "location".into(),
        UpdateKind::Message(message) => format!("text {}", message.text().unwrap_or("")),
        UpdateKind::CallbackQuery(query) => {
            let under = query.regular_message().and_then(|message| message.text());
            format!("press {} {}", query.data.as_deref().unwrap_or(""), under.unwrap_or(""))
        }
        UpdateKind::ChatMember(change)
            if change.new_chat_member.status() == ChatMemberStatus::Member =>
        {
            "join".into()
        }
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn long_poll_answers_when_an_update_is_pushed() {
    let fake = FakeTelegram::start().await;
    let poll = tokio::spawn(fake.bot().get_updates().timeout(5).send());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!poll.is_finished(), "the poll waits while nothing is queued");

    let id = fake.push_private_text(ALICE, "hello");
    let updates = tokio::time::timeout(Duration::from_secs(1), poll).await.unwrap().unwrap();
    assert_eq!(
        updates.unwrap().iter().map(|update| update.id.0).collect::<Vec<_>>(),
        [u32::try_from(id).unwrap()]
    );
}

#[tokio::test]
async fn long_poll_ends_empty_at_its_timeout() {
    let fake = FakeTelegram::start().await;
    let updates = fake.bot().get_updates().timeout(1).await.unwrap();
    assert!(updates.is_empty());
}

#[tokio::test(start_paused = true)]
async fn second_private_send_within_a_second_is_a_breach() {
    let fake = FakeTelegram::start().await;
    let bot = fake.bot();
    bot.send_message(ChatId(ALICE), "one").await.unwrap();
    let refused = bot.send_message(ChatId(ALICE), "two").await;
    assert!(matches!(refused, Err(RequestError::RetryAfter(wait)) if wait.seconds() == 1));
    assert_eq!(fake.breaches(), 1);

    tokio::time::advance(Duration::from_secs(1)).await;
    bot.send_message(ChatId(ALICE), "three").await.unwrap();
    assert_eq!(fake.texts_to(ALICE), ["one", "three"]);
    let sends = fake.calls("sendMessage");
    assert_eq!(sends[2].at - sends[0].at, Duration::from_secs(1));
}

#[tokio::test]
async fn refusals_map_to_teloxide_errors() {
    let fake = FakeTelegram::start().await;
    let bot = fake.bot();
    fake.block_user(ALICE);
    fake.remove_bot_from(-1);
    fake.demote_bot_in(GROUP);
    let pinned = bot.send_message(ChatId(GROUP), "pin me").await.unwrap().id;

    let blocked = bot.send_message(ChatId(ALICE), "hello").await;
    assert!(matches!(blocked, Err(RequestError::Api(ApiError::BotBlocked))), "{blocked:?}");
    let absent = bot.send_message(ChatId(-1), "hello").await;
    assert!(matches!(absent, Err(RequestError::Api(ApiError::ChatNotFound))), "{absent:?}");
    let pin = bot.pin_chat_message(ChatId(GROUP), pinned).await;
    assert!(matches!(pin, Err(RequestError::Api(ApiError::NotEnoughRightsToPinMessage))));
    let ban = bot.ban_chat_member(ChatId(GROUP), UserId(7)).await;
    assert!(matches!(ban, Err(RequestError::Api(ApiError::NotEnoughRightsToRestrict))));
    assert_eq!(fake.breaches(), 0);
}

#[tokio::test]
async fn injected_429_is_retry_after_but_no_breach() {
    let fake = FakeTelegram::start().await;
    let faults = Faults { too_many_requests: 1.0, retry_after_secs: 3, ..Faults::default() };
    fake.set_faults(faults);
    let refused = fake.bot().get_me().await;
    assert!(matches!(refused, Err(RequestError::RetryAfter(wait)) if wait.seconds() == 3));
    assert_eq!(fake.breaches(), 0);
}

// teloxide waits ten seconds after any 5xx before reading the answer:
// paused time lets the test skip that wait.
#[tokio::test(start_paused = true)]
async fn injected_server_error_is_reported() {
    let fake = FakeTelegram::start().await;
    fake.set_faults(Faults { server_error: 1.0, ..Faults::default() });
    let failed = fake.bot().delete_webhook().await;
    let description = "Internal Server Error";
    assert!(matches!(failed, Err(RequestError::Api(ApiError::Unknown(ref d))) if d == description));
    assert_eq!(fake.calls("deleteWebhook")[0].status, 500);
}

#[tokio::test]
async fn reset_connection_is_a_network_error() {
    let fake = FakeTelegram::start().await;
    fake.set_faults(Faults { reset: 1.0, ..Faults::default() });
    let failed = tokio::time::timeout(Duration::from_secs(1), fake.bot().get_me()).await;
    assert!(matches!(failed, Ok(Err(RequestError::Network(_)))), "{failed:?}");
    assert!(fake.resets() >= 1);
    assert!(fake.all_calls().is_empty(), "no request was read");
}

#[tokio::test]
async fn unknown_method_is_not_found() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let fake = FakeTelegram::start().await;
    let address = format!("{}:{}", fake.url().host_str().unwrap(), fake.url().port().unwrap());
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST /bot{}/sendDice HTTP/1.1\r\nhost: fake\r\ncontent-length: 2\r\n\
         connection: close\r\n\r\n{{}}",
        fake.token()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();

    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    let expected = r#"{"ok":false,"error_code":404,"description":"Not Found: method not found"}"#;
    let parse = |json| serde_json::from_str::<serde_json::Value>(json).unwrap();
    assert_eq!(parse(body), parse(expected));
    assert_eq!(fake.calls("sendDice")[0].status, 404);
}
