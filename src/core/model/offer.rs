//! Offers and what follows them: the outing itself, the reports of both
//! sides, and the alerts and referrals they lead to.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ElderId, LatLon, OfferNo, PersonId, UnknownName};

named_enum! {
    /// What an outing is for. Medical appointments escalate first.
    OfferKind {
        Medical = "medical",
        Administrative = "administrative",
        Leisure = "leisure",
        Shopping = "shopping",
        Culture = "culture",
        ConvivialCall = "convivial_call",
        SpecialMission = "special_mission",
    }
}

named_enum! {
    OfferStatus {
        Draft = "draft",
        Published = "published",
        Claimed = "claimed",
        Confirmed = "confirmed",
        Done = "done",
        Cancelled = "cancelled",
        Expired = "expired",
    }
}

named_enum! {
    /// Something the elder needs from the volunteer, shown publicly.
    Need {
        Wheelchair = "wheelchair",
        WalkingFrame = "walking_frame",
        VisualImpairment = "visual_impairment",
        Language = "language",
    }
}

named_enum! {
    /// Whether an outing took place, as the volunteer or the elder tells it.
    Outcome {
        TookPlace = "took_place",
        ElderAbsent = "elder_absent",
        CancelledByElder = "cancelled_by_elder",
        CancelledByVolunteer = "cancelled_by_volunteer",
    }
}

named_enum! {
    /// What a volunteer may be worried about after an outing.
    Concern {
        Isolation = "isolation",
        Mobility = "mobility",
        Health = "health",
        Memory = "memory",
        Home = "home",
        Money = "money",
        Other = "other",
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub number: OfferNo,
    pub elder: ElderId,
    pub kind: OfferKind,
    pub start: DateTime<Utc>,
    pub duration_min: i64,
    /// Where the outing goes: public.
    pub destination: String,
    /// Where the volunteer meets the elder when not at home: private.
    pub meeting_point: Option<String>,
    pub needs: Vec<Need>,
    pub status: OfferStatus,
    pub claimant: Option<PersonId>,
    pub neighbourhood: Option<String>,
    /// The elder's point rounded for public posts.
    pub public_at: Option<LatLon>,
    /// Groups a convivial call goes to when the coordinator named some.
    pub target_groups: Vec<String>,
    pub flagged: bool,
    pub created_by: PersonId,
    pub created_at: DateTime<Utc>,
}

impl Offer {
    pub fn end(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::minutes(self.duration_min)
    }
}

/// An offer not yet stored: the store gives it its number.
#[derive(Clone, Debug, PartialEq)]
pub struct NewOffer {
    pub elder: ElderId,
    pub kind: OfferKind,
    pub start: DateTime<Utc>,
    pub duration_min: i64,
    pub destination: String,
    pub meeting_point: Option<String>,
    pub needs: Vec<Need>,
    pub neighbourhood: Option<String>,
    pub public_at: Option<LatLon>,
    pub target_groups: Vec<String>,
    pub created_by: PersonId,
}

/// What the volunteer says after an outing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub offer: OfferNo,
    pub person: PersonId,
    pub outcome: Outcome,
    pub duration_min: Option<i64>,
    pub rating: Option<u8>,
    pub entered_home: bool,
    pub concerns: Vec<Concern>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// What the elder says, recorded by a coordinator after a phone call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub offer: OfferNo,
    pub by: PersonId,
    pub outcome: Outcome,
    pub rating: Option<u8>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AlertId(pub i64);

/// A fragility or incident alert raised by a report.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub id: AlertId,
    pub offer: OfferNo,
    pub elder: ElderId,
    pub raised_by: PersonId,
    pub concerns: Vec<Concern>,
    pub note: Option<String>,
    pub referred: bool,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Referral {
    pub alert: AlertId,
    pub service: String,
    pub elder_agreed: bool,
    pub by: PersonId,
    pub at: DateTime<Utc>,
}
