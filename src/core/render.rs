//! The texts the core composes about offers: the public post, the private
//! handover, and the labels for kinds, needs and answers.
//!
//! The public post is built from the offer alone, which carries no name,
//! phone or address: what it cannot see it cannot leak.

use super::effect::{Arg, Button, Message, Text};
use super::model::{Concern, Elder, Lang, Need, Offer, OfferKind, OfferStatus, Outcome};

/// The key under which every post of an offer is remembered for edits.
pub(crate) fn post_key(offer: &Offer) -> String {
    format!("offer:{}", offer.number)
}

pub(crate) fn kind(kind: OfferKind) -> Text {
    Text::new(match kind {
        OfferKind::Medical => "kind-medical",
        OfferKind::Administrative => "kind-administrative",
        OfferKind::Leisure => "kind-leisure",
        OfferKind::Shopping => "kind-shopping",
        OfferKind::Culture => "kind-culture",
        OfferKind::ConvivialCall => "kind-convivial-call",
        OfferKind::SpecialMission => "kind-special-mission",
    })
}

pub(crate) fn need(need: Need) -> Text {
    Text::new(match need {
        Need::Wheelchair => "need-wheelchair",
        Need::WalkingFrame => "need-walking-frame",
        Need::VisualImpairment => "need-visual-impairment",
        Need::Language => "need-language",
    })
}

/// The needs as one argument: a list, or a word saying there are none.
pub(crate) fn needs(needs: &[Need]) -> Arg {
    if needs.is_empty() {
        Text::new("need-none").into()
    } else {
        Arg::List(needs.iter().copied().map(need).collect())
    }
}

pub(crate) fn concern(concern: Concern) -> Text {
    Text::new(match concern {
        Concern::Isolation => "concern-isolation",
        Concern::Mobility => "concern-mobility",
        Concern::Health => "concern-health",
        Concern::Memory => "concern-memory",
        Concern::Home => "concern-home",
        Concern::Money => "concern-money",
        Concern::Other => "concern-other",
    })
}

pub(crate) fn outcome(outcome: Outcome) -> Text {
    Text::new(match outcome {
        Outcome::TookPlace => "outcome-took-place",
        Outcome::ElderAbsent => "outcome-elder-absent",
        Outcome::CancelledByElder => "outcome-cancelled-by-elder",
        Outcome::CancelledByVolunteer => "outcome-cancelled-by-volunteer",
    })
}

pub(crate) fn duration(minutes: i64) -> Text {
    Text::new("duration-hm").arg("hours", minutes / 60).arg("minutes", minutes % 60)
}

/// The offer's essentials in one line, for lists and summaries.
pub(crate) fn summary(offer: &Offer, neighbourhood: Arg) -> Text {
    Text::new("offer-summary")
        .arg("number", offer.number.0)
        .arg("kind", kind(offer.kind))
        .arg("start", Arg::Time(offer.start))
        .arg("duration", duration(offer.duration_min))
        .arg("neighbourhood", neighbourhood)
        .arg("destination", offer.destination.clone())
}

/// What a neighbourhood group sees. `taken_by` is the claimant's name when
/// they agreed to show it.
pub(crate) fn public_post(
    offer: &Offer,
    neighbourhood: Arg,
    lang: Lang,
    taken_by: Option<&str>,
) -> Message {
    let mut message = Message::new(lang, summary(offer, neighbourhood)).keyed(post_key(offer));
    if let Some(at) = offer.public_at {
        let place = format!("{:.3}, {:.3}", at.lat, at.lon);
        message = message.then(Text::new("offer-post-place").arg("place", place));
    }
    message = message.then(Text::new("offer-post-needs").arg("needs", needs(&offer.needs)));
    let status = match (offer.status, taken_by) {
        (OfferStatus::Published, _) => Text::new("offer-post-open"),
        (OfferStatus::Claimed | OfferStatus::Confirmed, Some(name)) => {
            Text::new("offer-post-taken-by").arg("name", name.to_owned())
        }
        (OfferStatus::Claimed | OfferStatus::Confirmed, None) => Text::new("offer-post-taken"),
        (OfferStatus::Done, _) => Text::new("offer-post-done"),
        (OfferStatus::Cancelled | OfferStatus::Expired | OfferStatus::Draft, _) => {
            Text::new("offer-post-closed")
        }
    };
    message = message.then(status);
    if offer.status == OfferStatus::Published {
        let claim = Button::press(Text::new("button-claim"), format!("claim:{}", offer.number));
        message = message.row(vec![claim]);
    }
    message
}

/// What the claimant receives privately: who to call, where, and the
/// charter's rules.
pub(crate) fn handover(offer: &Offer, elder: &Elder, lang: Lang) -> Message {
    let place = offer.meeting_point.clone().unwrap_or_else(|| elder.address.clone());
    let mut message = Message::new(
        lang,
        Text::new("claim-won")
            .arg("number", offer.number.0)
            .arg("name", elder.first_name.clone())
            .arg("start", Arg::Time(offer.start))
            .arg("duration", duration(offer.duration_min))
            .arg("destination", offer.destination.clone()),
    )
    .then(Text::new("claim-contact").arg("phone", elder.phone.clone()).arg("place", place))
    .then(Text::new("claim-needs").arg("needs", needs(&offer.needs)));
    if !elder.mobility.is_empty() {
        message = message.then(Text::new("claim-mobility").arg("notes", elder.mobility.clone()));
    }
    if let Some(caregiver) = &elder.caregiver {
        message = message.then(Text::new("claim-caregiver").arg("contact", caregiver.clone()));
    }
    let release = Button::press(Text::new("button-release"), format!("release:{}", offer.number));
    message.then(Text::new("claim-charter")).row(vec![release])
}
