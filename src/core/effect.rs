//! What the core asks adapters to do. Effects are written to the outbox in
//! the same transaction as the state change that caused them, and carry
//! Fluent message ids rather than text: each adapter renders them in the
//! recipient's language when it delivers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::{ChatRef, Lang};

/// A localisable text: a Fluent message id and its arguments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

impl Text {
    pub fn new(id: &str) -> Self {
        Self { id: id.to_owned(), args: Vec::new() }
    }

    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Self {
        self.args.push((name.to_owned(), value.into()));
        self
    }
}

/// A Fluent argument. `Time` is shown in the deployment's time zone and
/// `Text` is rendered first, in the same language, so that a kind or a
/// list of needs reads naturally in both languages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arg {
    Str(String),
    Num(i64),
    Time(DateTime<Utc>),
    Date(DateTime<Utc>),
    Text(Box<Text>),
    /// Rendered and joined as a sentence: `a, b and c`.
    List(Vec<Text>),
    /// Rendered and joined one per line.
    Lines(Vec<Text>),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Str(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Str(value)
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Num(value)
    }
}

impl From<Text> for Arg {
    fn from(value: Text) -> Self {
        Arg::Text(Box::new(value))
    }
}

/// A button under a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub label: Text,
    pub action: Action,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Comes back to the core as [`super::event::EventKind::Button`].
    Press(String),
    /// Opens a private chat with the bot, which starts with this payload
    /// (a Telegram deep link; elsewhere, the command to type).
    StartPrivate(String),
}

impl Button {
    pub fn press(label: Text, data: impl Into<String>) -> Self {
        Self { label, action: Action::Press(data.into()) }
    }
}

/// A message as the core composes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub lang: Lang,
    /// Paragraphs, rendered one after the other.
    pub body: Vec<Text>,
    /// Rows of buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Vec<Button>>,
    /// Names the post so that later effects can edit, pin or delete it
    /// (`offer:142`): adapters remember the platform's id under this key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl Message {
    pub fn new(lang: Lang, text: Text) -> Self {
        Self { lang, body: vec![text], buttons: Vec::new(), key: None }
    }

    pub fn then(mut self, text: Text) -> Self {
        self.body.push(text);
        self
    }

    pub fn row(mut self, buttons: Vec<Button>) -> Self {
        if !buttons.is_empty() {
            self.buttons.push(buttons);
        }
        self
    }

    pub fn keyed(mut self, key: String) -> Self {
        self.key = Some(key);
        self
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    Send {
        chat: ChatRef,
        message: Message,
    },
    /// Replaces the text and buttons of the post sent under `key`.
    Edit {
        chat: ChatRef,
        key: String,
        message: Message,
    },
    Delete {
        chat: ChatRef,
        key: String,
    },
    Pin {
        chat: ChatRef,
        key: String,
    },
    RemoveMember {
        chat: ChatRef,
        user: String,
    },
    /// The short answer to a button press (a toast on Telegram, a reply
    /// elsewhere). Every press gets one, so no client is left spinning.
    Answer {
        chat: ChatRef,
        event: String,
        lang: Lang,
        text: Option<Text>,
    },
}

impl Effect {
    pub fn chat(&self) -> &ChatRef {
        match self {
            Effect::Send { chat, .. }
            | Effect::Edit { chat, .. }
            | Effect::Delete { chat, .. }
            | Effect::Pin { chat, .. }
            | Effect::RemoveMember { chat, .. }
            | Effect::Answer { chat, .. } => chat,
        }
    }
}
