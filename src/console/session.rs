//! One console session: turns parsed lines into core events and prints
//! what the core sent to console chats.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::buttons::Buttons;
use super::script::{Act, Line, Press, ScriptError};
use super::{ConsoleClock, ConsoleError, print};
use crate::app::App;
use crate::core::CoreError;
use crate::core::clock::Clock;
use crate::core::effect::{Action, Effect};
use crate::core::event::{Event, EventKind, Sender};
use crate::core::model::{ChatRef, Platform};

/// How many outbox messages are read at a time.
const BATCH: i64 = 32;

/// Why one line did nothing; the session goes on.
#[derive(Debug, thiserror::Error)]
pub(super) enum LineError {
    #[error(transparent)]
    Script(#[from] ScriptError),
    #[error("{0} does not exist in {1}: the clocks skip that hour")]
    NoSuchTime(NaiveDateTime, Tz),
    #[error("who is speaking? start the line with @name, or type @name alone first")]
    NobodySpeaking,
    #[error("no message with buttons in {0} yet")]
    NoButtons(String),
    #[error("the newest message with buttons in {chat} ({message}) has {count}, not {number}")]
    NoSuchButton { chat: String, message: String, count: usize, number: usize },
    #[error(transparent)]
    Core(#[from] CoreError),
}

pub(super) struct Session<'a> {
    app: &'a App,
    clock: &'a ConsoleClock,
    /// Makes event ids unique across runs: the store's inbox remembers
    /// every event it handled, and would ignore a reused id.
    nonce: String,
    events: u64,
    messages: u64,
    /// The person a line without `@name` belongs to.
    current: Option<String>,
    buttons: Buttons,
    /// Who pressed a button, by event id, so the answer names them.
    pressers: HashMap<String, String>,
}

impl<'a> Session<'a> {
    pub fn new(app: &'a App, clock: &'a ConsoleClock) -> Self {
        let started = chrono::Utc::now().timestamp_micros();
        Self {
            app,
            clock,
            nonce: format!("{started:x}.{:x}", std::process::id()),
            events: 0,
            messages: 0,
            current: None,
            buttons: Buttons::default(),
            pressers: HashMap::new(),
        }
    }

    pub fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// Does what a line says; returns a note to print, if any.
    pub async fn line(&mut self, line: &str) -> Result<Option<String>, LineError> {
        match super::script::parse(line)? {
            Some(line) => self.apply(line).await,
            None => Ok(None),
        }
    }

    async fn apply(&mut self, line: Line) -> Result<Option<String>, LineError> {
        match line {
            Line::SetTime(local) => {
                let zone = self.app.config().policy.timezone;
                let at = zone.from_local_datetime(&local).earliest();
                self.clock.set(at.ok_or(LineError::NoSuchTime(local, zone))?.to_utc());
                Ok(Some(self.clock_note()))
            }
            Line::Advance(by) => {
                self.clock.advance(by);
                Ok(Some(self.clock_note()))
            }
            Line::Select(who) => {
                self.current = Some(who);
                Ok(None)
            }
            Line::Act { who, group, act } => {
                let who = who.or_else(|| self.current.clone()).ok_or(LineError::NobodySpeaking)?;
                let event = self.event_for(&who, group, act)?;
                self.app.core().handle(&event).await?;
                Ok(None)
            }
        }
    }

    fn clock_note(&self) -> String {
        let zone = self.app.config().policy.timezone;
        format!("clock: {}", self.clock.now().with_timezone(&zone).format("%Y-%m-%d %H:%M %Z"))
    }

    fn event_for(
        &mut self,
        who: &str,
        group: Option<String>,
        act: Act,
    ) -> Result<Event, LineError> {
        let (group, kind) = match act {
            Act::Say(text) => (group, text_kind(&text)),
            Act::Press(press) => return self.press(who, group, press),
            Act::Share(at) => (group, EventKind::Location(at)),
            Act::Join(group) => (Some(group), EventKind::MemberJoined),
            Act::Leave(group) => (Some(group), EventKind::MemberLeft),
        };
        Ok(self.event(who, group, kind))
    }

    fn press(
        &mut self,
        who: &str,
        group: Option<String>,
        press: Press,
    ) -> Result<Event, LineError> {
        let action = match press {
            Press::Data(data) => Action::Press(data),
            Press::Number(number) => {
                let chat = group.clone().unwrap_or_else(|| format!("@{who}"));
                self.buttons.nth(&chat, number)?
            }
        };
        match action {
            Action::Press(data) => {
                let event = self.event(who, group, EventKind::Button(data));
                self.pressers.insert(event.id.clone(), who.to_owned());
                Ok(event)
            }
            // A link that opens a private chat starts it with `/start`.
            Action::StartPrivate(payload) => Ok(self.event(
                who,
                None,
                EventKind::Command { name: "start".into(), args: payload },
            )),
        }
    }

    /// An event from `who`, in `group` or else in their private chat.
    fn event(&mut self, who: &str, group: Option<String>, kind: EventKind) -> Event {
        self.events += 1;
        let private = group.is_none();
        let chat = group.unwrap_or_else(|| format!("@{who}"));
        Event {
            id: format!("{}-{}", self.nonce, self.events),
            chat: ChatRef::new(Platform::Console, chat),
            private,
            sender: sender(who),
            at: self.clock.now(),
            kind,
        }
    }

    /// Prints everything the outbox holds for console chats and marks it
    /// delivered. Other platforms' messages stay for their adapters.
    pub async fn deliver(&mut self, out: &mut (dyn Write + Send)) -> Result<(), ConsoleError> {
        let store = self.app.store();
        let mut seen = HashSet::new();
        loop {
            let items =
                store.pending(Platform::Console, BATCH).await.map_err(ConsoleError::Outbox)?;
            if items.is_empty() {
                return Ok(());
            }
            for item in items {
                // A message the store keeps returning would loop forever.
                if !seen.insert(item.id) {
                    return Err(ConsoleError::Stuck(item.id));
                }
                let (shown, message_id) = self.show(&item.effect).await?;
                if let Some(shown) = shown {
                    writeln!(out, "{shown}").map_err(ConsoleError::Write)?;
                }
                let delivered = store.delivered(item.id, message_id.as_deref()).await;
                delivered.map_err(ConsoleError::Outbox)?;
            }
        }
    }

    /// The text for one effect and the console's id for the message it
    /// concerns.
    async fn show(
        &mut self,
        effect: &Effect,
    ) -> Result<(Option<String>, Option<String>), ConsoleError> {
        let localizer = self.app.localizer();
        let shown = match effect {
            Effect::Send { chat, message } => {
                self.messages += 1;
                let id = format!("m{}", self.messages);
                self.buttons.show(&chat.id, &id, Some(message));
                (Some(print::send(localizer, &chat.id, &id, message)), Some(id))
            }
            Effect::Edit { chat, key, message } => {
                let id = self.post_id(chat, key).await?;
                if let Some(id) = &id {
                    self.buttons.show(&chat.id, id, Some(message));
                }
                (Some(print::edit(localizer, &chat.id, id.as_deref(), message)), id)
            }
            Effect::Delete { chat, key } => {
                let id = self.post_id(chat, key).await?;
                if let Some(id) = &id {
                    self.buttons.show(&chat.id, id, None);
                }
                (Some(print::delete(&chat.id, id.as_deref())), None)
            }
            Effect::Pin { chat, key } => {
                let id = self.post_id(chat, key).await?;
                (Some(print::pin(&chat.id, id.as_deref())), None)
            }
            Effect::RemoveMember { chat, user } => (Some(print::removal(&chat.id, user)), None),
            Effect::Answer { chat, event, lang, text } => {
                let to = self
                    .pressers
                    .remove(event)
                    .map_or_else(|| chat.id.clone(), |who| format!("@{who}"));
                (print::answer(localizer, &to, *lang, text.as_ref()), None)
            }
        };
        Ok(shown)
    }

    async fn post_id(&self, chat: &ChatRef, key: &str) -> Result<Option<String>, ConsoleError> {
        self.app.store().post_id(chat, key).await.map_err(ConsoleError::Outbox)
    }
}

/// A console person: the name is the user id and the handle, and shows
/// capitalised.
fn sender(who: &str) -> Sender {
    let mut letters = who.chars();
    let name = letters.next().map(|first| first.to_uppercase().chain(letters).collect());
    Sender { user: who.to_owned(), name: name.unwrap_or_default(), handle: Some(who.to_owned()) }
}

/// `/claim 142` or `!claim 142` is a command; anything else is text.
fn text_kind(text: &str) -> EventKind {
    let command =
        text.strip_prefix(['/', '!']).filter(|rest| rest.starts_with(char::is_alphabetic));
    let Some(command) = command else {
        return EventKind::Text(text.to_owned());
    };
    let (name, args) = command.split_once(char::is_whitespace).unwrap_or((command, ""));
    EventKind::Command { name: name.to_owned(), args: args.trim().to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_take_either_prefix() {
        let claim = EventKind::Command { name: "claim".into(), args: "142".into() };
        assert_eq!(text_kind("/claim 142"), claim);
        assert_eq!(text_kind("!claim   142 "), claim);
        assert_eq!(
            text_kind("/start"),
            EventKind::Command { name: "start".into(), args: "".into() }
        );
        assert_eq!(text_kind("/ 3"), EventKind::Text("/ 3".into()));
        assert_eq!(text_kind("oui"), EventKind::Text("oui".into()));
    }

    #[test]
    fn people_show_their_name_capitalised() {
        let alice = sender("alice");
        assert_eq!((alice.user.as_str(), alice.name.as_str()), ("alice", "Alice"));
        assert_eq!(alice.handle.as_deref(), Some("alice"));
        assert_eq!(sender("émile").name, "Émile");
    }
}
