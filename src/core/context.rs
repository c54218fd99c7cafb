//! What a handler works with while it handles one event.

use chrono::{DateTime, Utc};

use super::Deps;
use super::effect::{Effect, Message, Text};
use super::event::{Event, EventKind};
use super::geocode::Lookup;
use super::job::NewJob;
use super::model::{Account, ChatRef, Lang, Person, PersonId};
use super::store::{DialogueKey, StoreError, Tx};

/// Why a handler stopped early.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The sender is told why, and nothing the handler did is kept.
    Refuse(Text),
    /// The event needs this address looked up, which must not happen
    /// while its transaction holds the store: nothing it did is kept, and
    /// it is handled again once the address service has answered.
    LookUp(String),
    Store(StoreError),
}

impl From<StoreError> for Stop {
    fn from(error: StoreError) -> Self {
        Stop::Store(error)
    }
}

pub(crate) type Flow<T = ()> = Result<T, Stop>;

/// Stops the handler with a refusal.
pub(crate) fn refuse<T>(text: Text) -> Flow<T> {
    Err(Stop::Refuse(text))
}

pub(crate) struct Ctx<'a> {
    pub deps: &'a Deps,
    pub tx: Box<dyn Tx>,
    pub event: &'a Event,
    /// The sender, when they are known to the service.
    pub me: Option<(Account, Person)>,
    pub lang: Lang,
    pub now: DateTime<Utc>,
    /// The address the event gives, looked up before it began.
    pub looked_up: Option<Lookup>,
    out: Vec<Effect>,
    answered: bool,
    /// Whether jobs were written, for the scheduler to look at them.
    scheduled: bool,
}

impl<'a> Ctx<'a> {
    /// A context for an event whose inbox record and sender (`me`) the
    /// transaction has just read.
    pub async fn open(
        deps: &'a Deps,
        mut tx: Box<dyn Tx>,
        event: &'a Event,
        mut me: Option<(Account, Person)>,
    ) -> Result<Self, StoreError> {
        if let Some((account, person)) = me.as_mut() {
            remember_private_chat(&mut *tx, account, event).await?;
            take_display_name(&mut *tx, person, account, event).await?;
        }
        let lang = me.as_ref().map_or(deps.policy.default_lang, |(_, person)| person.lang);
        let now = deps.clock.now();
        Ok(Self {
            deps,
            tx,
            event,
            me,
            lang,
            now,
            looked_up: None,
            out: Vec::new(),
            answered: false,
            scheduled: false,
        })
    }

    /// Writes the effects to the outbox and commits.
    /// Commits the event's work; true when it wrote jobs.
    pub async fn finish(mut self) -> Result<bool, StoreError> {
        // Every press is answered, so that no client is left waiting.
        self.answer(None);
        self.tx.commit_with(&self.out, self.now).await?;
        Ok(self.scheduled)
    }

    /// Writes jobs in the event's transaction.
    pub async fn schedule(&mut self, jobs: &[NewJob]) -> Result<(), StoreError> {
        self.scheduled |= !jobs.is_empty();
        self.tx.schedule(jobs, self.now).await
    }

    pub fn push(&mut self, effect: Effect) {
        self.out.push(effect);
    }

    /// The sender, or a refusal asking them to sign up first.
    pub fn person(&self) -> Flow<Person> {
        match &self.me {
            Some((_, person)) => Ok(person.clone()),
            None => refuse(Text::new("refused-not-registered")),
        }
    }

    /// Answers in the chat the event came from.
    pub fn reply(&mut self, message: Message) {
        let chat = self.event.chat.clone();
        self.out.push(Effect::Send { chat, message });
    }

    pub fn reply_text(&mut self, text: Text) {
        self.reply(Message::new(self.lang, text));
    }

    /// The short answer to a button press; sent once.
    pub fn answer(&mut self, text: Option<Text>) {
        if self.answered || !matches!(self.event.kind, EventKind::Button(_)) {
            return;
        }
        self.answered = true;
        let (chat, event) = (self.event.chat.clone(), self.event.id.clone());
        self.out.push(Effect::Answer { chat, event, lang: self.lang, text });
    }

    /// Sends to a person's private chat; false when they never opened one.
    pub async fn send_private(
        &mut self,
        person: PersonId,
        build: impl FnOnce(Lang) -> Message,
    ) -> Result<bool, StoreError> {
        let Some(chat) = self.private_chat_of(person).await? else {
            return Ok(false);
        };
        let lang = self.tx.person(person).await?.lang;
        self.out.push(Effect::Send { chat, message: build(lang) });
        Ok(true)
    }

    /// The person's private chat, on the platform of this event when they
    /// have one there.
    pub async fn private_chat_of(
        &mut self,
        person: PersonId,
    ) -> Result<Option<ChatRef>, StoreError> {
        let accounts = self.tx.accounts_of(person).await?;
        let chats: Vec<ChatRef> = accounts
            .into_iter()
            .filter_map(|account| {
                let platform = account.account.platform;
                // Where the bot can open a private chat itself, it names
                // the chat after the person until it has opened one.
                let opened = platform.opens_private_chats().then_some(account.account.user);
                Some(ChatRef::new(platform, account.private_chat.or(opened)?))
            })
            .collect();
        let platform = self.event.platform();
        let preferred = chats.iter().position(|chat| chat.platform == platform).unwrap_or(0);
        Ok(chats.into_iter().nth(preferred))
    }

    /// Where this sender's dialogue in this chat is kept.
    pub fn dialogue_key(&self) -> Option<DialogueKey> {
        let (_, person) = self.me.as_ref()?;
        Some(DialogueKey { chat: self.event.chat.clone(), person: person.id })
    }
}

/// A person who writes privately can be reached privately from then on.
async fn remember_private_chat(
    tx: &mut dyn Tx,
    account: &mut Account,
    event: &Event,
) -> Result<(), StoreError> {
    let handle_changed = account.handle != event.sender.handle;
    let chat_changed =
        event.private && account.private_chat.as_deref() != Some(event.chat.id.as_str());
    if !handle_changed && !chat_changed {
        return Ok(());
    }
    if chat_changed {
        account.private_chat = Some(event.chat.id.clone());
    }
    if handle_changed {
        account.handle = event.sender.handle.clone();
    }
    tx.upsert_account(account).await
}

/// People named in bot-config are stored under their account id until
/// they first write: then they get the name their platform shows.
async fn take_display_name(
    tx: &mut dyn Tx,
    person: &mut Person,
    account: &Account,
    event: &Event,
) -> Result<(), StoreError> {
    let shown = &event.sender.name;
    if person.name != account.account.user || shown.is_empty() || *shown == person.name {
        return Ok(());
    }
    person.name = shown.chars().take(80).collect();
    tx.update_person(person).await
}
