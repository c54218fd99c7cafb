//! Private notes about an outing nobody claimed, to the volunteers best
//! placed to take it: near it, not paused, not asked about it before, under
//! the weekly cap of notes, and first those asked least this week, then
//! those with the fewest outings lately, so that the same few are neither
//! always the ones asked nor flooded.

use chrono::Duration;

use super::context::{Ctx, Flow};
use super::effect::{Button, Message, Text};
use super::model::{Area, Offer, Person};
use super::publish::{is_near, place_name};
use super::render;

/// Volunteers written to at each step of an escalation.
const PER_STEP: usize = 5;

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
    let asked = ctx.tx.noted(offer.number).await?;
    let this_week = ctx.tx.notes_since(ctx.now - Duration::days(7)).await?;
    let notes_of = |person: &Person| {
        this_week.iter().find(|(noted, _)| *noted == person.id).map_or(0, |(_, count)| *count)
    };
    let cap = ctx.deps.policy.notes_per_week;
    let records = ctx.tx.volunteer_records(ctx.now - LATELY, ctx.now).await?;
    let today = ctx.now.with_timezone(&ctx.deps.policy.timezone).date_naive();
    let around: Vec<String> = match (reach, &offer.neighbourhood) {
        (Reach::Wider, Some(hood)) => {
            ctx.deps.geography.adjacent(hood).into_iter().map(|next| next.id.clone()).collect()
        }
        _ => Vec::new(),
    };
    let within = |person: &Person| match (&person.area, reach) {
        (Area::Unset, _) => false,
        (area, Reach::Near) => is_near(offer, area, person.radius_km),
        (area @ Area::Neighbourhoods { ids }, Reach::Wider) => {
            is_near(offer, area, person.radius_km) || ids.iter().any(|id| around.contains(id))
        }
        (area, Reach::Wider) => is_near(offer, area, 2.0 * person.radius_km),
    };
    let placed = |person: &Person| {
        let paused = person.paused_until.is_some_and(|until| until >= today);
        !paused && !asked.contains(&person.id) && notes_of(person) < cap && within(person)
    };
    let mut ranked: Vec<(Person, (i64, i64, i64))> = ctx
        .tx
        .verified_people()
        .await?
        .into_iter()
        .filter(placed)
        .map(|person| {
            let record = records.iter().find(|record| record.person == person.id);
            let (done, held) = record.map_or((0, 0), |record| (record.done_in_period, record.held));
            let lately = (notes_of(&person), done, held);
            (person, lately)
        })
        .collect();
    ranked.sort_by_key(|(person, lately)| (*lately, person.id));

    let number = offer.number.0;
    let place = place_name(&ctx.deps.geography, offer);
    let mut sent = Vec::new();
    for (person, _) in ranked {
        if sent.len() == PER_STEP {
            break;
        }
        let summary = render::summary(offer, place.clone());
        let label = Text::new("button-claim-number").arg("number", number);
        let claim = Button::press(label, format!("claim:{number}"));
        let note = |lang| {
            Message::new(lang, Text::new("note-unclaimed").arg("number", number))
                .then(summary)
                .row(vec![claim])
        };
        if ctx.send_private(person.id, note).await? {
            sent.push(person.id);
        }
    }
    ctx.tx.record_notes(offer.number, &sent, ctx.now).await?;
    Ok(())
}

/// The names of those written to about `offer`, for the staff.
pub(crate) async fn asked(
    ctx: &mut Ctx<'_>,
    offer: &Offer,
) -> Result<Vec<Text>, super::store::StoreError> {
    let mut names = Vec::new();
    for person in ctx.tx.noted(offer.number).await? {
        let name = ctx.tx.person(person).await?.name;
        names.push(Text::new("person-name").arg("name", name));
    }
    Ok(names)
}
