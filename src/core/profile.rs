//! A volunteer's profile: where they go, how far, when, and a pause.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::command::fold_accents;
use super::context::{Ctx, Flow, refuse};
use super::dialogue::{self, Dialogue, Env, Finished, Next, Question, Reply, Step};
use super::effect::{Arg, Button, Message, Text};
use super::model::{Area, LatLon, Person, Slot};
use super::parse;

/// Each profile question is one step: the dialogue only waits for the
/// answer to the field the volunteer chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileDialogue {
    AskArea,
    AskRadius,
    AskAvailability,
    AskPause,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ProfileChange {
    Area(Area),
    Radius(f64),
    Availability(Vec<Slot>),
    Pause(Option<NaiveDate>),
    NamePublic(bool),
}

impl ProfileDialogue {
    pub(crate) fn question(&self) -> Question {
        let (tag, id) = match self {
            ProfileDialogue::AskArea => ("area", "profile-ask-area"),
            ProfileDialogue::AskRadius => ("radius", "profile-ask-radius"),
            ProfileDialogue::AskAvailability => ("availability", "profile-ask-availability"),
            ProfileDialogue::AskPause => ("pause", "profile-ask-pause"),
        };
        Question::new(tag, Text::new(id))
    }

    pub(crate) fn next(self, reply: Reply<'_>, env: &Env<'_>) -> Step<Self> {
        let change = match (self, reply) {
            (ProfileDialogue::AskArea, Reply::Location(at)) => {
                ProfileChange::Area(Area::Point { at })
            }
            (_, Reply::Text(text)) => read_change(self, text, env)?,
            _ => return Err(Text::new("answer-text")),
        };
        Ok(Next::Done(Finished::Profile(change)))
    }
}

fn read_change(field: ProfileDialogue, typed: &str, env: &Env<'_>) -> Result<ProfileChange, Text> {
    match field {
        ProfileDialogue::AskArea => read_area(typed, env).map(ProfileChange::Area),
        ProfileDialogue::AskRadius => {
            let radius: f64 = typed
                .trim()
                .trim_end_matches("km")
                .trim()
                .replace(',', ".")
                .parse()
                .map_err(|_| Text::new("answer-radius"))?;
            if !(0.1..=50.0).contains(&radius) {
                return Err(Text::new("answer-radius"));
            }
            Ok(ProfileChange::Radius(radius))
        }
        ProfileDialogue::AskAvailability => {
            parse::slots(typed).map(ProfileChange::Availability).ok_or(Text::new("answer-slots"))
        }
        ProfileDialogue::AskPause => read_pause(typed, env).map(ProfileChange::Pause),
    }
}

fn read_area(typed: &str, env: &Env<'_>) -> Result<Area, Text> {
    if let Some(at) = LatLon::parse(typed) {
        return Ok(Area::Point { at });
    }
    let mut ids = Vec::new();
    for word in typed.split([' ', ',']).filter(|word| !word.is_empty()) {
        let hood = env.geography.resolve(word).ok_or(Text::new("answer-place"))?;
        if !ids.contains(&hood.id) {
            ids.push(hood.id.clone());
        }
    }
    if ids.is_empty() {
        return Err(Text::new("answer-place"));
    }
    Ok(Area::Neighbourhoods { ids })
}

fn read_pause(typed: &str, env: &Env<'_>) -> Result<Option<NaiveDate>, Text> {
    if ["off", "non", "no", "fin", "end", "aucune", "none"].contains(&typed.trim()) {
        return Ok(None);
    }
    let today = env.now.with_timezone(&env.policy.timezone).date_naive();
    match parse::date(typed, today) {
        Some(day) if day > today => Ok(Some(day)),
        _ => Err(Text::new("answer-pause")),
    }
}

/// `profile` alone shows the profile with a button per field; with a
/// field and a value it changes that field at once.
pub(crate) async fn profile(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let args = args.trim();
    if args.is_empty() {
        let me = ctx.person()?;
        ctx.reply(show(&me, ctx.lang));
        return Ok(());
    }
    let (field, value) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let Some(field) = field_named(field) else {
        return refuse(Text::new("usage-profile"));
    };
    let change = match field {
        Field::Ask(step) if value.trim().is_empty() => {
            return dialogue::start(ctx, Dialogue::Profile(step)).await;
        }
        Field::Ask(step) => read_change(step, value, &ctx.env()),
        Field::Name => {
            read_name_public(value).map(ProfileChange::NamePublic).ok_or(Text::new("usage-profile"))
        }
    };
    match change {
        Ok(change) => apply(ctx, change).await,
        Err(problem) => refuse(problem),
    }
}

/// The profile buttons (`profile:area`…) start the matching question.
pub(crate) async fn on_button(ctx: &mut Ctx<'_>, field: &str) -> Flow {
    match field_named(field) {
        Some(Field::Ask(step)) => {
            ctx.answer(None);
            dialogue::start(ctx, Dialogue::Profile(step)).await
        }
        Some(Field::Name) => {
            let shown = ctx.person()?.name_public;
            apply(ctx, ProfileChange::NamePublic(!shown)).await
        }
        None => refuse(Text::new("button-stale")),
    }
}

enum Field {
    Ask(ProfileDialogue),
    Name,
}

fn field_named(typed: &str) -> Option<Field> {
    let field = match fold_accents(&typed.to_lowercase()).as_str() {
        "area" | "zone" | "quartier" | "quartiers" => Field::Ask(ProfileDialogue::AskArea),
        "radius" | "rayon" => Field::Ask(ProfileDialogue::AskRadius),
        "availability" | "disponibilites" | "dispo" => Field::Ask(ProfileDialogue::AskAvailability),
        "pause" => Field::Ask(ProfileDialogue::AskPause),
        "name" | "nom" => Field::Name,
        _ => return None,
    };
    Some(field)
}

fn read_name_public(typed: &str) -> Option<bool> {
    match fold_accents(&typed.trim().to_lowercase()).as_str() {
        "public" | "shown" | "visible" | "affiche" | "oui" | "yes" => Some(true),
        "hidden" | "cache" | "masque" | "non" | "no" => Some(false),
        _ => None,
    }
}

pub(crate) async fn apply(ctx: &mut Ctx<'_>, change: ProfileChange) -> Flow {
    let mut me = ctx.person()?;
    match change {
        ProfileChange::Area(area) => me.area = area,
        ProfileChange::Radius(radius) => me.radius_km = radius,
        ProfileChange::Availability(slots) => me.availability = slots,
        ProfileChange::Pause(until) => me.paused_until = until,
        ProfileChange::NamePublic(shown) => me.name_public = shown,
    }
    ctx.tx.update_person(&me).await?;
    ctx.answer(None);
    let message = show(&me, ctx.lang);
    ctx.reply(Message {
        body: [vec![Text::new("profile-updated")], message.body].concat(),
        ..message
    });
    Ok(())
}

/// The profile as the volunteer sees it, with a button per field.
pub(crate) fn show(me: &Person, lang: super::model::Lang) -> Message {
    let area = match &me.area {
        Area::Unset => Text::new("area-unset"),
        Area::Point { .. } => {
            let radius = (me.radius_km * 10.0).round() / 10.0;
            Text::new("area-point").arg("radius", radius.to_string())
        }
        Area::Neighbourhoods { ids } => Text::new("area-neighbourhoods").arg("ids", ids.join(", ")),
    };
    let availability = if me.availability.is_empty() {
        Text::new("availability-any").into()
    } else {
        Arg::List(me.availability.iter().map(slot).collect())
    };
    let pause = match me.paused_until {
        Some(day) => Text::new("pause-until").arg("date", day.format("%d/%m/%Y").to_string()),
        None => Text::new("pause-none"),
    };
    let text = Text::new("profile-show")
        .arg("name", me.name.clone())
        .arg("verified", Text::new(if me.verified { "choice-yes" } else { "choice-no" }))
        .arg("area", area)
        .arg("availability", availability)
        .arg("pause", pause)
        .arg("shown", Text::new(if me.name_public { "name-shown" } else { "name-hidden" }));
    let button = |id: &str, field: &str| Button::press(Text::new(id), format!("profile:{field}"));
    Message::new(lang, text)
        .row(vec![button("button-area", "area"), button("button-radius", "radius")])
        .row(vec![button("button-availability", "availability"), button("button-pause", "pause")])
        .row(vec![button("button-name-shown", "name")])
}

fn slot(slot: &Slot) -> Text {
    let time = |minutes: u16| {
        let time = NaiveTime::from_num_seconds_from_midnight_opt(u32::from(minutes) * 60, 0);
        time.map(|time| time.format("%H:%M").to_string()).unwrap_or_default()
    };
    Text::new("slot-line")
        .arg("day", i64::from(slot.weekday))
        .arg("from", time(slot.from_min))
        .arg("to", time(slot.to_min))
}
