//! Private notes about an outing, to the volunteers best placed to take
//! it: when it is published, and again at each step of an escalation if
//! nobody claimed it; those never written to before are written to
//! besides the usual few, so that newcomers hear of a first outing.
//! [`super::matching`] says who is placed and in what order; this module
//! loads what it weighs, writes the notes and records them, so that
//! nobody is asked twice about one outing and the staff can see who was
//! asked.

use std::collections::{HashMap, HashSet};

use chrono::Duration;

use super::context::{Ctx, Flow, refuse};
use super::effect::{Arg, Button, Message, Text};
use super::matching::{self, History, Place, Pool, Volunteer, Wanted, Window, within_budget};
use super::model::{Lang, Offer, OfferKind, PersonId};
use super::parse;
use super::publish::place_name;
use super::render;
use super::store::StoreError;

/// The period whose outings count against a volunteer in the ranking.
const LATELY: Duration = Duration::days(30);

/// How far from an outing the volunteers written to may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Those whose area covers the outing.
    Near,
    /// Those too whose neighbourhoods touch the outing's, or whose radius
    /// would reach it were it twice as long.
    Wider,
}

/// Writes to the next volunteers best placed for `offer`, and records who
/// was written to.
pub(crate) async fn send(ctx: &mut Ctx<'_>, offer: &Offer, reach: Reach) -> Flow {
    let pool = pool(ctx).await?;
    let skip: HashSet<PersonId> = ctx.tx.noted(offer.number).await?.into_iter().collect();
    let languages = languages(ctx, offer).await?;
    let widened = reach == Reach::Wider;
    let neighbourhoods = matching::neighbourhoods(
        &ctx.deps.geography,
        offer.neighbourhood.as_deref(),
        offer.public_at,
        widened,
    );
    let policy = &ctx.deps.policy;
    let is_call = offer.kind == OfferKind::ConvivialCall;
    let wanted = Wanted {
        place: (!is_call).then_some(Place {
            at: offer.public_at,
            neighbourhoods: &neighbourhoods,
            widened,
        }),
        window: Window::of(offer.start, offer.duration_min, policy.timezone),
        languages: &languages,
        today: ctx.now.with_timezone(&policy.timezone).date_naive(),
        cap: policy.notes_per_week,
        skip: &skip,
    };
    // All ranked: some may not have opened a private chat with the bot
    // yet, and the next take their place.
    let ranked = pool.best(&wanted, pool.len());

    let mut sent = Vec::new();
    for person in ranked {
        // Those never written to rank first: past them, the budget is spent.
        if !within_budget(sent.len(), pool.never_noted(person)) {
            break;
        }
        let note = note(ctx, offer);
        if ctx.send_private(person, note).await? {
            sent.push(person);
        }
    }
    ctx.tx.record_notes(offer.number, &sent, ctx.now).await?;
    Ok(())
}

/// The note itself, with a button to take the outing and one to say it
/// is not for them.
fn note(ctx: &Ctx<'_>, offer: &Offer) -> impl FnOnce(Lang) -> Message + use<> {
    let number = offer.number.0;
    let summary = render::summary(offer, place_name(&ctx.deps.geography, offer));
    let label = Text::new("button-claim-number").arg("number", number);
    let claim = Button::press(label, format!("claim:{number}"));
    let decline = Button::press(Text::new("button-not-for-me"), format!("decline:{number}"));
    move |lang| {
        Message::new(lang, Text::new("note-unclaimed").arg("number", number))
            .then(summary)
            .row(vec![claim, decline])
    }
}

/// The verified volunteers with what the ranking weighs of their past.
async fn pool(ctx: &mut Ctx<'_>) -> Result<Pool, StoreError> {
    let notes: HashMap<PersonId, _> = ctx
        .tx
        .note_history(ctx.now - Duration::days(7))
        .await?
        .into_iter()
        .map(|history| (history.person, history))
        .collect();
    let records: HashMap<PersonId, _> = ctx
        .tx
        .volunteer_records(ctx.now - LATELY, ctx.now)
        .await?
        .into_iter()
        .map(|record| (record.person, record))
        .collect();
    let volunteers = ctx.tx.verified_people().await?.into_iter().map(|person| {
        let noted = notes.get(&person.id);
        let record = records.get(&person.id);
        let history = History {
            notes_this_week: noted.map_or(0, |noted| noted.since),
            last_noted: noted.map(|noted| noted.last),
            outings_lately: record.map_or(0, |record| record.done_in_period),
            outings_ever: record.map_or(0, |record| record.done),
        };
        Volunteer {
            id: person.id,
            lang: person.lang,
            area: person.area,
            radius_km: person.radius_km,
            availability: person.availability,
            paused_until: person.paused_until,
            history,
        }
    });
    Ok(Pool::new(volunteers))
}

/// The languages of which a caller must speak one: the elder's, for a
/// phone call; none asked of an outing.
async fn languages(ctx: &mut Ctx<'_>, offer: &Offer) -> Result<Vec<Lang>, StoreError> {
    if offer.kind != OfferKind::ConvivialCall {
        return Ok(Vec::new());
    }
    let elder = ctx.tx.elder(offer.elder).await?;
    Ok(elder.languages.iter().filter_map(|typed| typed.parse().ok()).collect())
}

/// "Not for me" under a note: that outing is neither written about nor
/// listed to them again.
pub(crate) async fn decline(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let me = ctx.person()?;
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("button-stale"));
    };
    if !ctx.tx.decline_note(number, me.id, ctx.now).await? {
        return refuse(Text::new("button-stale"));
    }
    ctx.answer(Some(Text::new("note-declined").arg("number", number.0)));
    Ok(())
}

/// `asked N`: who was written to about an outing, for its coordinator.
pub(crate) async fn list_asked(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("usage-asked"));
    };
    let offer = super::offer::find(ctx, number).await?;
    let names = asked(ctx, &offer).await?;
    let text = Text::new("offer-asked")
        .arg("number", number.0)
        .arg("count", i64::try_from(names.len()).unwrap_or(i64::MAX))
        .arg("asked", Arg::List(names));
    ctx.reply_text(text);
    Ok(())
}

/// The names of those written to about `offer`, for the staff.
pub(crate) async fn asked(ctx: &mut Ctx<'_>, offer: &Offer) -> Result<Vec<Text>, StoreError> {
    let mut names = Vec::new();
    for person in ctx.tx.noted(offer.number).await? {
        let name = ctx.tx.person(person).await?.name;
        names.push(Text::new("person-name").arg("name", name));
    }
    Ok(names)
}
