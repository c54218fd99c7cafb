//! What adapters hand to the core: one platform-neutral event per thing a
//! person did in a chat.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::{AccountRef, ChatRef, LatLon, Platform};

/// Longest text the core reads; anything longer is answered with a
/// refusal before it is parsed.
pub const MAX_TEXT_BYTES: usize = 4096;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The platform's id for this event, unique within the platform: the
    /// inbox key that makes a replayed event harmless.
    pub id: String,
    pub chat: ChatRef,
    /// Whether `chat` is a private chat between the sender and the bot.
    pub private: bool,
    pub sender: Sender,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
}

impl Event {
    pub fn platform(&self) -> Platform {
        self.chat.platform
    }

    pub fn account(&self) -> AccountRef {
        AccountRef { platform: self.chat.platform, user: self.sender.user.clone() }
    }
}

/// Who did it, as the platform names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    pub user: String,
    pub name: String,
    /// The @handle others use to name this account in commands.
    pub handle: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    /// Plain text: an answer in a dialogue, or chatter the bot ignores.
    Text(String),
    /// A command, already stripped of the platform's prefix (`/`, `!`) and
    /// of any `@botname`: `name` as typed, `args` the rest of the line.
    Command {
        name: String,
        args: String,
    },
    /// A button pressed (or on Matrix, a reaction or numbered reply mapped
    /// to one) carrying the data the bot put on it.
    Button(String),
    Location(LatLon),
    /// The sender joined the group.
    MemberJoined,
    /// The sender left the group or was removed.
    MemberLeft,
    /// The sender added the bot to the group.
    BotAdded,
    /// The sender removed the bot from the group.
    BotRemoved,
}
