//! A bot to talk to in tests: the core over a real store, a fixed clock,
//! the Paris arrondissements, and the console's conventions for chats
//! (`@alice` is Alice's private chat, `#paris-11` a group). Each call
//! handles one event and returns the effects it put in the outbox, which
//! it then marks delivered, as the terminal adapter does.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use compagnie::core::clock::FixedClock;
use compagnie::core::effect::{Action, Effect, Message};
use compagnie::core::event::{Event, EventKind, Sender};
use compagnie::core::geocode::Geocoding;
use compagnie::core::model::{AccountRef, ChatRef, LatLon, Platform};
use compagnie::core::policy::Policy;
use compagnie::core::store::Store;
use compagnie::core::{Core, Deps, Handled};
use compagnie::geography::{FeatureKeys, Geography};
use compagnie::i18n::Localizer;
use compagnie::scheduler::Scheduler;

const PARIS: &str = include_str!("../../bot-config/paris-arrondissements.geojson");

/// Where someone writes: their private chat with the bot, or a group.
#[derive(Clone, Copy, Debug)]
pub enum In<'a> {
    Private,
    Group(&'a str),
}

pub struct Bot {
    pub core: Core,
    pub store: Arc<dyn Store>,
    pub clock: Arc<FixedClock>,
    pub localizer: Localizer,
}

/// Event ids unique across every bot of the test run, as platform ids are
/// across restarts: a bot resumed on the same store must not replay them.
static EVENTS: AtomicU64 = AtomicU64::new(0);

/// 9:00 in Paris on Monday 7 December 2026.
pub fn monday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap()
}

pub fn paris() -> Geography {
    let keys = FeatureKeys { id: "number".into(), name: "name".into() };
    Geography::parse(PARIS, &keys).unwrap()
}

impl Bot {
    /// A bot over `store` whose only coordinator is Claire.
    pub async fn on(store: Arc<dyn Store>) -> Bot {
        let clock = Arc::new(FixedClock::new(monday_morning()));
        let bot = Bot::resume(store, clock).await;
        let claire = AccountRef { platform: Platform::Console, user: "claire".into() };
        bot.core.seed_coordinators(&[claire]).await.unwrap();
        bot
    }

    /// A new core over an existing store, as after a restart.
    pub async fn resume(store: Arc<dyn Store>, clock: Arc<FixedClock>) -> Bot {
        Bot::with_geocoding(store, clock, Geocoding::offline()).await
    }

    /// A bot that looks addresses up through `geocoding`.
    pub async fn with_geocoding(
        store: Arc<dyn Store>,
        clock: Arc<FixedClock>,
        geocoding: Geocoding,
    ) -> Bot {
        let deps = Deps {
            store: store.clone(),
            clock: clock.clone(),
            geography: Arc::new(paris()),
            geocoding,
            policy: Policy::default(),
        };
        let localizer = Localizer::new(chrono_tz::Europe::Paris).unwrap();
        Bot { core: Core::new(deps), store, clock, localizer }
    }

    pub fn set_time(&self, at: DateTime<Utc>) {
        self.clock.set(at);
    }

    /// Moves the clock to `at` and does the jobs due by then, as the
    /// scheduler would; returns what they sent.
    pub async fn at(&mut self, at: DateTime<Utc>) -> Vec<Effect> {
        self.clock.set(at);
        Scheduler::new(self.core.clone()).fire_due().await.unwrap();
        self.deliver().await
    }

    /// Sends text; a leading `/` makes it a command.
    pub async fn say(&mut self, who: &str, place: In<'_>, text: &str) -> Vec<Effect> {
        let kind = match text.strip_prefix('/') {
            Some(command) => {
                let (name, args) = command.split_once(' ').unwrap_or((command, ""));
                EventKind::Command { name: name.into(), args: args.into() }
            }
            None => EventKind::Text(text.into()),
        };
        self.handle(who, place, kind).await.1
    }

    pub async fn press(&mut self, who: &str, place: In<'_>, data: &str) -> Vec<Effect> {
        self.handle(who, place, EventKind::Button(data.into())).await.1
    }

    pub async fn share(&mut self, who: &str, place: In<'_>, at: LatLon) -> Vec<Effect> {
        self.handle(who, place, EventKind::Location(at)).await.1
    }

    pub async fn joins(&mut self, who: &str, group: &str) -> Vec<Effect> {
        self.handle(who, In::Group(group), EventKind::MemberJoined).await.1
    }

    pub async fn leaves(&mut self, who: &str, group: &str) -> Vec<Effect> {
        self.handle(who, In::Group(group), EventKind::MemberLeft).await.1
    }

    /// Handles one event and returns how it ended and what it sent.
    pub async fn handle(
        &mut self,
        who: &str,
        place: In<'_>,
        kind: EventKind,
    ) -> (Handled, Vec<Effect>) {
        let id = format!("test-{}", EVENTS.fetch_add(1, Ordering::Relaxed));
        let event = event(id, who, place, kind, self.clock.as_ref());
        let handled = self.core.handle(&event).await.unwrap();
        (handled, self.deliver().await)
    }

    /// Takes everything waiting in the console outbox.
    pub async fn deliver(&self) -> Vec<Effect> {
        let items = self.store.pending(Platform::Console, 1000).await.unwrap();
        let mut effects = Vec::new();
        for (number, item) in items.into_iter().enumerate() {
            let id = format!("m{}-{number}", item.id);
            self.store.delivered(item.id, Some(&id)).await.unwrap();
            effects.push(item.effect);
        }
        effects
    }

    /// A message as a person reads it, in the message's language.
    pub fn read(&self, message: &Message) -> String {
        let mut text = self.localizer.render_message(message);
        for button in message.buttons.iter().flatten() {
            text.push_str(&format!("\n[{}]", self.localizer.render(message.lang, &button.label)));
            if let Action::Press(data) = &button.action {
                text.push_str(&format!(" {data}"));
            }
        }
        text
    }
}

pub fn event(id: String, who: &str, place: In<'_>, kind: EventKind, clock: &FixedClock) -> Event {
    use compagnie::core::clock::Clock;
    let (chat, private) = match place {
        In::Private => (format!("@{who}"), true),
        In::Group(group) => (format!("#{group}"), false),
    };
    let mut name = who.to_owned();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    Event {
        id,
        chat: ChatRef::new(Platform::Console, chat),
        private,
        sender: Sender { user: who.into(), name, handle: Some(who.into()) },
        at: clock.now(),
        kind,
    }
}

/// The message ids of every text an effect carries, answers included.
pub fn ids(effects: &[Effect]) -> Vec<String> {
    let mut ids = Vec::new();
    for effect in effects {
        match effect {
            Effect::Send { message, .. } | Effect::Edit { message, .. } => {
                ids.extend(message.body.iter().map(|text| text.id.clone()));
            }
            Effect::Answer { text: Some(text), .. } => ids.push(text.id.clone()),
            _ => {}
        }
    }
    ids
}

/// The effects that go to one chat.
pub fn to(effects: &[Effect], chat: &str) -> Vec<Effect> {
    effects.iter().filter(|effect| effect.chat().id == chat).cloned().collect()
}
