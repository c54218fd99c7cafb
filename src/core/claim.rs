//! Claiming an offer and giving it back.

use chrono::{DateTime, Duration, Utc};

use super::context::{Ctx, Flow, refuse};
use super::effect::{Action, Arg, Button, Message, Text};
use super::model::{GroupKind, Offer, OfferNo, OfferStatus, Person};
use super::offer::find;
use super::parse;
use super::publish::refresh_posts;
use super::render;
use super::report::holds;
use super::store::Transition;

/// `claim N`, the claim button, or a deep link that carries a claim.
pub(crate) async fn claim(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("usage-claim"));
    };
    let me = ctx.person()?;
    if !me.verified {
        return refuse(Text::new("claim-unverified"));
    }
    let offer = find(ctx, number).await?;
    if offer.claimant == Some(me.id) {
        return refuse(Text::new("claim-already-yours").arg("number", number.0));
    }
    refuse_unless_open(&offer, ctx.now)?;
    refuse_if_kept_for_another(ctx, &me, number).await?;
    ctx.tx.lock_person(me.id).await?;
    refuse_if_overlapping(ctx, &me, &offer).await?;
    if ctx.private_chat_of(me.id).await?.is_none() {
        return keep_while_they_open_a_chat(ctx, &me, number).await;
    }
    let change = Transition {
        offer: number,
        from: OfferStatus::Published,
        to: OfferStatus::Claimed,
        claimant: Some(me.id),
        by: me.id,
        at: ctx.now,
    };
    if !ctx.tx.transition(&change).await? {
        return refuse(Text::new("claim-taken").arg("number", number.0));
    }
    let claimed = Offer { status: OfferStatus::Claimed, claimant: Some(me.id), ..offer };
    super::remind::after_claim(ctx, &claimed).await?;
    announce_claim(ctx, &me, &claimed).await
}

/// An offer can be claimed while it is published and has not started.
fn refuse_unless_open(offer: &Offer, now: DateTime<Utc>) -> Flow {
    let number = offer.number.0;
    match offer.status {
        OfferStatus::Published if offer.start > now => Ok(()),
        OfferStatus::Claimed | OfferStatus::Confirmed => {
            refuse(Text::new("claim-taken").arg("number", number))
        }
        _ => refuse(Text::new("offer-closed").arg("number", number)),
    }
}

/// A volunteer cannot be in two places at once.
async fn refuse_if_overlapping(ctx: &mut Ctx<'_>, me: &Person, offer: &Offer) -> Flow {
    let held = ctx.tx.claims_of(me.id).await?;
    let clash = held.iter().find(|other| other.start < offer.end() && offer.start < other.end());
    match clash {
        Some(other) => refuse(Text::new("claim-overlap").arg("other", other.number.0)),
        None => Ok(()),
    }
}

/// An offer kept for someone who is opening a private chat waits for
/// them until the hold runs out.
async fn refuse_if_kept_for_another(ctx: &mut Ctx<'_>, me: &Person, number: OfferNo) -> Flow {
    match ctx.tx.holder(number, ctx.now).await? {
        Some((holder, until)) if holder != me.id => {
            refuse(Text::new("claim-kept").arg("number", number.0).arg("until", Arg::Time(until)))
        }
        _ => Ok(()),
    }
}

/// The bot can only hand over contact details in a private chat. The
/// offer is kept for the volunteer while they open one, through a link
/// that resumes the claim; if they do not come, anyone may take it once
/// the hold runs out, with nothing to undo.
async fn keep_while_they_open_a_chat(ctx: &mut Ctx<'_>, me: &Person, number: OfferNo) -> Flow {
    let until = ctx.now + Duration::minutes(ctx.deps.policy.claim_hold_min);
    if !ctx.tx.hold(number, me.id, ctx.now, until).await? {
        return refuse(Text::new("claim-taken").arg("number", number.0));
    }
    ctx.answer(Some(Text::new("claim-open-private-chat-short")));
    let start = Button {
        label: Text::new("button-open-private-chat"),
        action: Action::StartPrivate(format!("claim-{number}")),
    };
    let text =
        Text::new("claim-open-private-chat").arg("number", number.0).arg("until", Arg::Time(until));
    ctx.reply(Message::new(ctx.lang, text).row(vec![start]));
    Ok(())
}

async fn announce_claim(ctx: &mut Ctx<'_>, me: &Person, offer: &Offer) -> Flow {
    let shown = me.name_public.then_some(me.name.as_str());
    refresh_posts(ctx, offer, shown).await?;
    let elder = ctx.tx.elder(offer.elder).await?;
    let handover = render::handover(offer, &elder, me.lang);
    ctx.send_private(me.id, |_| handover).await?;
    ctx.answer(Some(Text::new("claim-won-short").arg("number", offer.number.0)));
    Ok(())
}

/// `release N` or the release button: the offer goes back to the groups.
pub(crate) async fn release(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("usage-release"));
    };
    let me = ctx.person()?;
    let offer = find(ctx, number).await?;
    if !holds(&offer, me.id) {
        return refuse(Text::new("release-not-yours").arg("number", number.0));
    }
    // Once the outing has begun it cannot go back to the groups: what
    // happened is told in the report.
    if offer.start <= ctx.now {
        return refuse(Text::new("release-started").arg("number", number.0));
    }
    let change = Transition {
        offer: number,
        from: offer.status,
        to: OfferStatus::Published,
        claimant: None,
        by: me.id,
        at: ctx.now,
    };
    if !ctx.tx.transition(&change).await? {
        return refuse(Text::new("offer-changed").arg("number", number.0));
    }
    let reopened = Offer { status: OfferStatus::Published, claimant: None, ..offer };
    super::remind::while_open(ctx, &reopened).await?;
    refresh_posts(ctx, &reopened, None).await?;
    if reopened.start - ctx.now < Duration::hours(ctx.deps.policy.late_release_hours) {
        let text = Text::new("staff-late-release")
            .arg("number", number.0)
            .arg("start", Arg::Time(reopened.start))
            .arg("hours", ctx.deps.policy.late_release_hours);
        super::group::tell_room(ctx, GroupKind::Staff, text).await?;
    }
    ctx.answer(Some(Text::new("released-short").arg("number", number.0)));
    ctx.reply_text(Text::new("release-done").arg("number", number.0));
    Ok(())
}
