//! Syncing with the homeserver, each response's events handled by the
//! core before the next is asked for.
//!
//! The client stores its sync position as soon as a response arrives,
//! before anything is done with it. The bot therefore keeps its own
//! position in the store, moved only once every event of a response has
//! been handled (and recorded in the inbox); at start-up the client's
//! position is set back to it, so that events the bot received but never
//! handled come again, and the inbox makes those it did handle harmless.

use std::sync::Arc;
use std::time::Duration;

use chrono::DateTime;
use matrix_sdk::Client;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::api::client::membership::leave_room::v3::Request as LeaveRoom;
use matrix_sdk::ruma::events::room::member::MembershipState;
use matrix_sdk::ruma::events::room::message::MessageType;
use matrix_sdk::ruma::events::{
    AnyStrippedStateEvent, AnySyncMessageLikeEvent, AnySyncStateEvent, AnySyncTimelineEvent,
    SyncMessageLikeEvent, SyncStateEvent,
};
use matrix_sdk::ruma::{EventId, OwnedUserId, RoomId, UserId};
use matrix_sdk::sync::SyncResponse;
use serde_json::Value;
use tokio::sync::{Notify, watch};

use super::inbound;
use super::render::BUTTONS;
use super::send::{direct_room_key, direct_user_key};
use crate::app::App;
use crate::core::CoreError;
use crate::core::effect::Text;
use crate::core::event::{Event, EventKind, Sender};
use crate::core::model::{AccountRef, ChatRef, Platform, Role};
use crate::core::store::StoreError;

/// Where the bot's own sync position is kept.
pub const POSITION_KEY: &str = "matrix:sync";

/// How long one sync waits for news.
const POLL: Duration = Duration::from_secs(30);

/// Pause after a failed sync or event before trying again.
const RETRY: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct Listener {
    client: Client,
    app: App,
    me: OwnedUserId,
    /// Whether the bot has never synced: what the first sync brings is
    /// history, not something to answer now.
    first: bool,
}

#[derive(Debug, thiserror::Error)]
enum HandleError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Listener {
    pub fn new(client: Client, app: App, me: OwnedUserId, first: bool) -> Self {
        Self { client, app, me, first }
    }

    /// Syncs until `shutdown` turns true; wakes delivery after each
    /// response handled.
    pub async fn run(self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        let mut first = self.first;
        while !*shutdown.borrow() {
            let sync = self.client.sync_once(SyncSettings::default().timeout(POLL));
            let response = tokio::select! {
                response = sync => response,
                _ = shutdown.changed() => break,
            };
            let response = match response {
                Ok(response) => response,
                Err(error) => {
                    tracing::warn!(%error, "syncing with the homeserver failed; retrying");
                    tokio::time::sleep(RETRY).await;
                    continue;
                }
            };
            // The client has moved past this response: it is handled
            // until it is, or the process stops and meets it again.
            while let Err(error) = self.handle(&response, first).await {
                tracing::error!(%error, "a Matrix event could not be handled; retrying");
                tokio::time::sleep(RETRY).await;
                if *shutdown.borrow() {
                    return;
                }
            }
            first = false;
            wake.notify_one();
        }
    }

    async fn handle(&self, response: &SyncResponse, first: bool) -> Result<(), HandleError> {
        for (room_id, invited) in &response.rooms.invited {
            let states = &invited.invite_state.events;
            let states = states.iter().filter_map(|state| state.deserialize().ok());
            self.invited(room_id, states.collect()).await?;
        }
        if !first {
            for (room_id, joined) in &response.rooms.joined {
                let Some(room) = self.client.get_room(room_id) else { continue };
                for event in &joined.timeline.events {
                    if let Some(event) = self.event(&room, event).await? {
                        self.app.core().handle(&event).await?;
                    }
                }
            }
            for (room_id, left) in &response.rooms.left {
                let removals = left.timeline.events.iter().filter_map(|e| self.removal(room_id, e));
                for event in removals.collect::<Vec<_>>() {
                    self.app.core().handle(&event).await?;
                }
            }
        }
        let position = &response.next_batch;
        self.app.store().set_adapter_value(POSITION_KEY, position).await?;
        Ok(())
    }

    /// Joins a direct chat someone opened, or a room staff invited it to;
    /// declines the rest, saying why.
    async fn invited(
        &self,
        room_id: &RoomId,
        states: Vec<AnyStrippedStateEvent>,
    ) -> Result<(), HandleError> {
        let invite = states.iter().find_map(|state| match state {
            AnyStrippedStateEvent::RoomMember(member) if member.state_key == self.me => {
                Some((member.sender.clone(), member.content.is_direct == Some(true)))
            }
            _ => None,
        });
        let Some((inviter, direct)) = invite else { return Ok(()) };
        let staff = self.is_staff(&inviter).await?;
        if !direct && !staff {
            self.decline(room_id, &inviter).await;
            return Ok(());
        }
        if let Err(error) = self.client.join_room_by_id(room_id).await {
            // The next sync shows the invitation again.
            tracing::warn!(%error, room = %room_id, "cannot join; will try again");
            return Ok(());
        }
        if direct {
            let (user, room) = (inviter.as_str(), room_id.as_str());
            self.app.store().set_adapter_value(&direct_room_key(user), room).await?;
            self.app.store().set_adapter_value(&direct_user_key(room), user).await?;
        }
        Ok(())
    }

    /// Leaves an invitation with a reason the inviter's client shows.
    async fn decline(&self, room_id: &RoomId, inviter: &UserId) {
        tracing::info!(room = %room_id, %inviter, "invitation declined");
        let lang = self.app.config().policy.default_lang;
        let reason = self.app.localizer().render(lang, &Text::new("matrix-invitation-declined"));
        let mut leave = LeaveRoom::new(room_id.to_owned());
        leave.reason = Some(reason);
        if let Err(error) = self.client.send(leave).await {
            tracing::warn!(%error, room = %room_id, "cannot decline an invitation");
        }
    }

    async fn is_staff(&self, user: &UserId) -> Result<bool, StoreError> {
        let account = AccountRef { platform: Platform::Matrix, user: user.to_string() };
        let mut tx = self.app.store().begin().await?;
        let person = tx.account(&account).await?.map(|(_, person)| person);
        tx.commit().await?;
        Ok(person.is_some_and(|person| {
            person.roles.has(Role::Coordinator) || person.roles.has(Role::Ambassador)
        }))
    }

    /// The core's event for a timeline event, if it is one the bot reads:
    /// its own events, notices (bots' messages), edits, unreadable or
    /// undecryptable events are ignored on purpose.
    async fn event(&self, room: &Room, event: &TimelineEvent) -> Result<Option<Event>, StoreError> {
        let Ok(timeline) = event.raw().deserialize() else { return Ok(None) };
        let sender = timeline.sender().to_owned();
        if sender == self.me {
            return Ok(None);
        }
        let key = direct_user_key(room.room_id().as_str());
        let direct_with = self.app.store().adapter_value(&key).await?;
        let kind = match &timeline {
            AnySyncTimelineEvent::MessageLike(message) => self.message(room, message).await,
            // Comings and goings matter in groups, not in direct rooms.
            AnySyncTimelineEvent::State(state) if direct_with.is_none() => {
                membership(state, &self.me)
            }
            AnySyncTimelineEvent::State(_) => None,
        };
        let Some((kind, who)) = kind else { return Ok(None) };
        let who = who.unwrap_or(sender);
        let private = direct_with.as_deref() == Some(who.as_str());
        let chat = if private { who.to_string() } else { room.room_id().to_string() };
        let millis = i64::from(timeline.origin_server_ts().0);
        Ok(Some(Event {
            id: timeline.event_id().to_string(),
            chat: ChatRef::new(Platform::Matrix, chat),
            private,
            sender: sender_of(room, &who).await,
            at: DateTime::from_timestamp_millis(millis).unwrap_or_default(),
            kind,
        }))
    }

    /// The bot removed from a room by someone else (a kick or a ban),
    /// which the core tells the staff of; the bot leaving on its own is
    /// not a removal.
    fn removal(&self, room_id: &RoomId, event: &TimelineEvent) -> Option<Event> {
        let timeline: AnySyncTimelineEvent = event.raw().deserialize().ok()?;
        let AnySyncTimelineEvent::State(AnySyncStateEvent::RoomMember(SyncStateEvent::Original(
            member,
        ))) = &timeline
        else {
            return None;
        };
        let gone =
            matches!(member.content.membership, MembershipState::Leave | MembershipState::Ban);
        if member.state_key != self.me || member.sender == self.me || !gone {
            return None;
        }
        let by = &member.sender;
        let millis = i64::from(member.origin_server_ts.0);
        Some(Event {
            id: member.event_id.to_string(),
            chat: ChatRef::new(Platform::Matrix, room_id.to_string()),
            private: false,
            sender: Sender {
                user: by.to_string(),
                name: by.localpart().to_owned(),
                handle: Some(inbound::handle(by.as_str())),
            },
            at: DateTime::from_timestamp_millis(millis).unwrap_or_default(),
            kind: EventKind::BotRemoved,
        })
    }

    async fn message(
        &self,
        room: &Room,
        event: &AnySyncMessageLikeEvent,
    ) -> Option<(EventKind, Option<OwnedUserId>)> {
        match event {
            AnySyncMessageLikeEvent::RoomMessage(SyncMessageLikeEvent::Original(message)) => {
                // An edit is ignored: what it changed was already handled.
                if message.content.relates_to.as_ref().is_some_and(|relation| {
                    matches!(
                        relation,
                        matrix_sdk::ruma::events::room::message::Relation::Replacement(_)
                    )
                }) {
                    return None;
                }
                match &message.content.msgtype {
                    MessageType::Text(text) => Some((inbound::text(&text.body), None)),
                    MessageType::Location(location) => {
                        inbound::geo(location.geo_uri()).map(|at| (EventKind::Location(at), None))
                    }
                    _ => None,
                }
            }
            AnySyncMessageLikeEvent::Reaction(SyncMessageLikeEvent::Original(reaction)) => {
                let relation = &reaction.content.relates_to;
                let data = self.button(room, &relation.event_id, &relation.key).await?;
                Some((EventKind::Button(data), None))
            }
            _ => None,
        }
    }

    /// The data of the button a reaction stands for, read from the bot's
    /// own message it reacts to; `None` for a reaction on anything else.
    async fn button(&self, room: &Room, target: &EventId, key: &str) -> Option<String> {
        let event = room.event(target, None).await.ok()?;
        let value: Value = event.raw().deserialize_as().ok()?;
        if value["sender"].as_str() != Some(self.me.as_str()) {
            return None;
        }
        value["content"][BUTTONS][key].as_str().map(str::to_owned)
    }
}

/// Joins and departures in a group, as the member's own events. Changes
/// of name or avatar (a join after a join) and the bot's own are not.
fn membership(state: &AnySyncStateEvent, me: &UserId) -> Option<(EventKind, Option<OwnedUserId>)> {
    let AnySyncStateEvent::RoomMember(SyncStateEvent::Original(member)) = state else {
        return None;
    };
    let user = OwnedUserId::try_from(member.state_key.as_str()).ok()?;
    if user == me {
        return None;
    }
    let before = member.unsigned.prev_content.as_ref().map(|content| content.membership.clone());
    let kind = match (&member.content.membership, before) {
        (MembershipState::Join, Some(MembershipState::Join)) => return None,
        (MembershipState::Join, _) => EventKind::MemberJoined,
        (MembershipState::Leave | MembershipState::Ban, Some(MembershipState::Join)) => {
            EventKind::MemberLeft
        }
        _ => return None,
    };
    Some((kind, Some(user)))
}

async fn sender_of(room: &Room, user: &UserId) -> Sender {
    let member = room.get_member_no_sync(user).await.ok().flatten();
    let name =
        member.map_or_else(|| user.localpart().to_owned(), |member| member.name().to_owned());
    Sender { user: user.to_string(), name, handle: Some(inbound::handle(user.as_str())) }
}
