//! Publishing an offer into the groups that serve the elder's
//! neighbourhood, listing open offers, and cancelling one.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

use super::context::{Ctx, Flow, refuse};
use super::effect::{Arg, Button, Effect, Message, Text};
use super::model::{
    Area, Elder, ElderId, Group, GroupKind, LatLon, NewOffer, Offer, OfferKind, OfferStatus,
    PersonId,
};
use super::offer::{OfferDraft, find};
use super::parse;
use super::policy::Policy;
use super::render;
use super::store::{StoreError, Transition};
use crate::geography::{self, Geography};

/// Most offers one `offers` answer lists.
const LISTED: usize = 10;

/// The calendar week (Monday to Sunday, local time) holding an instant.
pub(crate) fn week_of(at: DateTime<Utc>, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = at.with_timezone(&zone).date_naive();
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let start = |day| parse::local_instant(day, NaiveTime::MIN, zone).unwrap_or(at);
    (start(monday), start(monday + Duration::days(7)))
}

/// The service's rules an offer must meet on its own: not too long, not
/// in the past.
pub(crate) fn check_policy(
    draft: &OfferDraft,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<(), Text> {
    if draft.duration_min > policy.max_duration_min {
        let hours = policy.max_duration_min / 60;
        return Err(Text::new("offer-too-long").arg("hours", hours));
    }
    if draft.start <= now {
        return Err(Text::new("offer-in-past").arg("start", Arg::Time(draft.start)));
    }
    Ok(())
}

/// The refusal when the elder's week already holds as many outings as the
/// policy allows. Phone calls are not outings: they count for nothing.
pub(crate) async fn week_taken(
    ctx: &mut Ctx<'_>,
    elder: ElderId,
    kind: OfferKind,
    start: DateTime<Utc>,
) -> Result<Option<Text>, StoreError> {
    if kind == OfferKind::ConvivialCall {
        return Ok(None);
    }
    let (from, to) = week_of(start, ctx.deps.policy.timezone);
    let offers = ctx.tx.offers_of_elder(elder, from, to).await?;
    let outings: Vec<&Offer> =
        offers.iter().filter(|offer| offer.kind != OfferKind::ConvivialCall).collect();
    let limit = ctx.deps.policy.outings_per_elder_per_week;
    if outings.len() < limit {
        return Ok(None);
    }
    let existing = outings.first().map_or(0, |offer| offer.number.0);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(Some(Text::new("offer-week-taken").arg("number", existing).arg("limit", limit)))
}

/// The elder, or a refusal naming the unknown number.
pub(crate) async fn elder(ctx: &mut Ctx<'_>, id: ElderId) -> Flow<Elder> {
    match ctx.tx.elder(id).await {
        Ok(elder) => Ok(elder),
        Err(StoreError::NotFound) => refuse(Text::new("elder-unknown").arg("elder", id.0)),
        Err(error) => Err(error.into()),
    }
}

/// The neighbourhood's name as shown in posts, or a word for calls.
pub(crate) fn place_name(geography: &Geography, offer: &Offer) -> Arg {
    match offer.neighbourhood.as_deref().and_then(|id| geography.get(id)) {
        Some(hood) => Arg::Str(hood.name.clone()),
        None if offer.kind == OfferKind::ConvivialCall => Text::new("place-phone").into(),
        None => Text::new("place-unknown").into(),
    }
}

pub(crate) async fn publish(ctx: &mut Ctx<'_>, draft: OfferDraft) -> Flow {
    let me = ctx.person()?;
    let elder = elder(ctx, draft.elder).await?;
    if let Err(problem) = check_policy(&draft, &ctx.deps.policy, ctx.now) {
        return refuse(problem);
    }
    ctx.tx.lock_elder(elder.id).await?;
    if let Some(problem) = week_taken(ctx, elder.id, draft.kind, draft.start).await? {
        return refuse(problem);
    }
    let new = new_offer(&draft, &elder, ctx.deps.geography.as_ref(), &ctx.deps.policy, me.id);
    let offer = ctx.tx.insert_offer(&new, OfferStatus::Published, ctx.now).await?;
    ctx.tx.audit(me.id, "offer_new", &offer.number.to_string(), ctx.now).await?;
    super::remind::while_open(ctx, &offer).await?;
    let groups = groups_for(ctx, &offer).await?;
    for group in &groups {
        post(ctx, group, &offer).await?;
    }
    super::notes::send(ctx, &offer, super::notes::Reach::Near).await?;
    let text = if groups.is_empty() {
        Text::new("offer-published-nowhere")
    } else {
        Text::new("offer-published").arg("groups", i64::try_from(groups.len()).unwrap_or(0))
    };
    ctx.reply_text(text.arg("number", offer.number.0));
    Ok(())
}

fn new_offer(
    draft: &OfferDraft,
    elder: &Elder,
    geography: &Geography,
    policy: &Policy,
    by: PersonId,
) -> NewOffer {
    let hood = elder
        .neighbourhood
        .as_deref()
        .and_then(|id| geography.get(id))
        .or_else(|| elder.at.and_then(|at| geography.locate(at)));
    let point: Option<LatLon> = elder.at.or(hood.map(|hood| hood.centre));
    let is_call = draft.kind == OfferKind::ConvivialCall;
    NewOffer {
        elder: elder.id,
        kind: draft.kind,
        start: draft.start,
        duration_min: draft.duration_min,
        destination: draft.destination.clone(),
        meeting_point: None,
        needs: draft.needs.clone(),
        neighbourhood: hood.filter(|_| !is_call).map(|hood| hood.id.clone()),
        public_at: point
            .filter(|_| !is_call)
            .map(|at| geography::round_to_grid(at, policy.public_grid_m)),
        target_groups: Vec::new(),
        created_by: by,
    }
}

/// The groups an offer goes to: those serving its neighbourhood, or for a
/// phone call, the groups named or else every neighbourhood group.
async fn groups_for(ctx: &mut Ctx<'_>, offer: &Offer) -> Result<Vec<Group>, StoreError> {
    let groups = ctx.tx.groups_of_kind(GroupKind::Neighbourhood).await?;
    let serves = |group: &Group| match (&offer.neighbourhood, offer.kind) {
        (_, OfferKind::ConvivialCall) => {
            offer.target_groups.is_empty() || offer.target_groups.contains(&group.chat.to_string())
        }
        (Some(hood), _) => group.neighbourhoods.contains(hood),
        (None, _) => false,
    };
    Ok(groups.into_iter().filter(serves).collect())
}

async fn post(ctx: &mut Ctx<'_>, group: &Group, offer: &Offer) -> Flow {
    let place = place_name(&ctx.deps.geography, offer);
    let message = render::public_post(offer, place, group.lang, None);
    ctx.tx.record_post(&group.chat, &render::post_key(offer)).await?;
    ctx.push(Effect::Send { chat: group.chat.clone(), message });
    Ok(())
}

/// Posts an offer nobody claimed again in its groups, below what was
/// said since. Later edits go to the new post; the first keeps its claim
/// button, whose press is answered as any other.
pub(crate) async fn post_again(ctx: &mut Ctx<'_>, offer: &Offer) -> Flow {
    for group in groups_for(ctx, offer).await? {
        post(ctx, &group, offer).await?;
    }
    Ok(())
}

/// Edits every post of an offer to show where it stands now.
pub(crate) async fn refresh_posts(
    ctx: &mut Ctx<'_>,
    offer: &Offer,
    taken_by: Option<&str>,
) -> Flow {
    let key = render::post_key(offer);
    for chat in ctx.tx.posts(&key).await? {
        let lang = match ctx.tx.group(&chat).await? {
            Some(group) => group.lang,
            None => ctx.deps.policy.default_lang,
        };
        let place = place_name(&ctx.deps.geography, offer);
        let message = render::public_post(offer, place, lang, taken_by);
        ctx.push(Effect::Edit { chat, key: key.clone(), message });
    }
    Ok(())
}

/// `offer_cancel N`.
pub(crate) async fn cancel(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("usage-offer-cancel"));
    };
    let me = ctx.person()?;
    let offer = find(ctx, number).await?;
    let open =
        [OfferStatus::Draft, OfferStatus::Published, OfferStatus::Claimed, OfferStatus::Confirmed];
    if !open.contains(&offer.status) {
        return refuse(Text::new("offer-closed").arg("number", number.0));
    }
    let change = Transition {
        offer: number,
        from: offer.status,
        to: OfferStatus::Cancelled,
        claimant: offer.claimant,
        by: me.id,
        at: ctx.now,
    };
    if !ctx.tx.transition(&change).await? {
        return refuse(Text::new("offer-changed").arg("number", number.0));
    }
    ctx.tx.audit(me.id, "offer_cancel", &number.to_string(), ctx.now).await?;
    super::remind::closed(ctx, number).await?;
    let cancelled = Offer { status: OfferStatus::Cancelled, ..offer.clone() };
    refresh_posts(ctx, &cancelled, None).await?;
    if let Some(claimant) = offer.claimant {
        let text = Text::new("offer-cancelled-claimant").arg("number", number.0);
        ctx.send_private(claimant, |lang| Message::new(lang, text)).await?;
    }
    ctx.reply_text(Text::new("offer-cancelled").arg("number", number.0));
    Ok(())
}

/// `offers`: open offers in this group's neighbourhoods, or near the
/// sender in a private chat.
pub(crate) async fn list(ctx: &mut Ctx<'_>) -> Flow {
    let open = ctx.tx.open_offers().await?;
    let here = match ctx.tx.group(&ctx.event.chat).await? {
        Some(group) if !ctx.event.private => Area::Neighbourhoods { ids: group.neighbourhoods },
        _ => ctx.me.as_ref().map(|(_, person)| person.area.clone()).unwrap_or_default(),
    };
    let radius = ctx.me.as_ref().map_or(ctx.deps.policy.default_radius_km, |(_, p)| p.radius_km);
    let declined = match &ctx.me {
        Some((_, me)) if ctx.event.private => ctx.tx.declined(me.id).await?,
        _ => Vec::new(),
    };
    let near: Vec<&Offer> = open
        .iter()
        .filter(|offer| is_near(offer, &here, radius) && !declined.contains(&offer.number))
        .collect();
    if near.is_empty() {
        ctx.reply_text(Text::new("offers-none"));
        return Ok(());
    }
    let count = i64::try_from(near.len()).unwrap_or(0);
    let mut message = Message::new(ctx.lang, Text::new("offers-header").arg("count", count));
    for offer in near.into_iter().take(LISTED) {
        let place = place_name(&ctx.deps.geography, offer);
        message = message.then(render::summary(offer, place));
        let label = Text::new("button-claim-number").arg("number", offer.number.0);
        message = message.row(vec![Button::press(label, format!("claim:{}", offer.number))]);
    }
    ctx.reply(message);
    Ok(())
}

pub(crate) fn is_near(offer: &Offer, area: &Area, radius_km: f64) -> bool {
    match area {
        Area::Unset => true,
        Area::Neighbourhoods { ids } => {
            offer.kind == OfferKind::ConvivialCall
                || offer.neighbourhood.as_ref().is_some_and(|hood| ids.contains(hood))
        }
        Area::Point { at } => {
            offer.kind == OfferKind::ConvivialCall
                || offer
                    .public_at
                    .is_some_and(|place| geography::distance_km(*at, place) <= radius_km)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Paris;

    #[test]
    fn a_week_runs_monday_to_monday_in_local_time() {
        let sunday_night = Utc.with_ymd_and_hms(2026, 12, 13, 22, 30, 0).unwrap();
        let (from, to) = week_of(sunday_night, Paris);
        assert_eq!(from.to_rfc3339(), "2026-12-06T23:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-13T23:00:00+00:00");
        let after_clocks_change = Utc.with_ymd_and_hms(2026, 3, 30, 12, 0, 0).unwrap();
        let (from, to) = week_of(after_clocks_change, Paris);
        assert_eq!(from.to_rfc3339(), "2026-03-29T22:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-04-05T22:00:00+00:00");
    }
}
