//! The Synapse harness against the real server: if these pass, the Matrix
//! tests have a homeserver that registers users and carries messages.

use std::time::Duration;

use serde_json::{Value, json};

use crate::synapse::{self, Synapse, User};

#[tokio::test]
async fn a_message_sent_in_a_room_is_read_back_by_the_member_invited() {
    let Some(synapse) = synapse::shared().await else { return };
    let alice = synapse.register("alice").await;
    let bob = synapse.register("bob").await;
    let token = synapse.login(&alice).await;

    let create = json!({ "invite": [bob.id] });
    let created =
        synapse.request("POST", "/_matrix/client/v3/createRoom", Some(&token), Some(create)).await;
    let room = created["room_id"].as_str().expect("a room id");
    let join = format!("/_matrix/client/v3/join/{}", encode(room));
    synapse.request("POST", &join, Some(&bob.access_token), Some(json!({}))).await;
    let send = format!("/_matrix/client/v3/rooms/{}/send/m.room.message/1", encode(room));
    let message = json!({ "msgtype": "m.text", "body": "Bonjour Bob" });
    synapse.request("PUT", &send, Some(&token), Some(message)).await;

    let bodies = messages_seen(synapse, &bob, room).await;
    assert_eq!(bodies, ["Bonjour Bob"]);
}

#[tokio::test]
async fn clients_are_told_the_url_the_server_answers_on() {
    let Some(synapse) = synapse::shared().await else { return };
    let known = synapse.request("GET", "/.well-known/matrix/client", None, None).await;
    assert_eq!(known["m.homeserver"]["base_url"], synapse.url().as_str());
}

#[tokio::test]
async fn a_server_of_its_own_is_gone_once_dropped() {
    let Some(synapse) = Synapse::start().await else { return };
    synapse.register("carol").await;
    let address = synapse.url().socket_addrs(|| None).expect("an address")[0];
    drop(synapse);
    let connected = tokio::net::TcpStream::connect(address).await;
    assert!(connected.is_err(), "nothing listens on {address} any more");
}

/// The bodies of the messages in `room` that `user` syncs, waiting for
/// the first one for a few seconds.
async fn messages_seen(synapse: &Synapse, user: &User, room: &str) -> Vec<String> {
    let mut since = String::new();
    for _ in 0..10 {
        let path = format!("/_matrix/client/v3/sync?timeout=1000{since}");
        let sync = synapse.request("GET", &path, Some(&user.access_token), None).await;
        let events = &sync["rooms"]["join"][room]["timeline"]["events"];
        let bodies = message_bodies(events);
        if !bodies.is_empty() {
            return bodies;
        }
        since = format!("&since={}", sync["next_batch"].as_str().expect("a sync token"));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Vec::new()
}

fn message_bodies(events: &Value) -> Vec<String> {
    let events = events.as_array().map(Vec::as_slice).unwrap_or_default();
    let messages = events.iter().filter(|event| event["type"] == "m.room.message");
    messages.filter_map(|event| event["content"]["body"].as_str().map(str::to_owned)).collect()
}

/// Room ids go into paths, where `!` and `:` are safer escaped.
fn encode(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}
