//! The things the service keeps: people, elders, offers and what happens to
//! them. Plain data, shared by the core and the storage backends.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An enum stored and typed by name: `as_str`, `FromStr` and `ALL`.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(UnknownName(s.to_owned())) }
            }
        }
    };
}

mod offer;

pub use offer::{
    Alert, AlertId, Concern, Feedback, Need, NewOffer, Offer, OfferKind, OfferStatus, Outcome,
    Referral, Report,
};

named_enum! {
    /// A chat platform. The terminal adapter counts as one so that anyone
    /// can try the bot without an account anywhere.
    Platform {
        Console = "console",
        Telegram = "telegram",
        Matrix = "matrix",
    }
}

named_enum! {
    /// What a scheduled job does when it falls due: the reminders of a
    /// claimed outing, then the escalation of one nobody claimed.
    JobKind {
        Introduce = "introduce",
        DayBefore = "day_before",
        Morning = "morning",
        Report = "report",
        ReportNudge = "report_nudge",
        ReportOverdue = "report_overdue",
        Repost = "repost",
        Widen = "widen",
        StaffUnclaimed = "staff_unclaimed",
        MorningDigest = "morning_digest",
        Purge = "purge",
        WeeklyDigest = "weekly_digest",
        MonthlyThanks = "monthly_thanks",
        IdleCheckIn = "idle_check_in",
        SecondOuting = "second_outing",
    }
}

impl JobKind {
    /// The jobs that follow a claim, cancelled when it is given back.
    pub const REMINDERS: [JobKind; 6] = [
        JobKind::Introduce,
        JobKind::DayBefore,
        JobKind::Morning,
        JobKind::Report,
        JobKind::ReportNudge,
        JobKind::ReportOverdue,
    ];

    /// The jobs that look for a volunteer, cancelled by a claim.
    pub const ESCALATIONS: [JobKind; 3] =
        [JobKind::Repost, JobKind::Widen, JobKind::StaffUnclaimed];
}

impl Platform {
    /// Whether the bot can open a private chat with someone by itself: on
    /// Matrix it creates a direct room, where on Telegram only the person
    /// can start one.
    pub fn opens_private_chats(self) -> bool {
        self == Platform::Matrix
    }
}

/// A stored name that no variant carries, read back from the store or a
/// configuration file.
#[derive(Debug, thiserror::Error)]
#[error("unknown name `{0}`")]
pub struct UnknownName(pub String);

/// One chat on one platform: a private chat with someone or a group.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChatRef {
    pub platform: Platform,
    pub id: String,
}

impl ChatRef {
    pub fn new(platform: Platform, id: impl Into<String>) -> Self {
        Self { platform, id: id.into() }
    }
}

impl fmt::Display for ChatRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.platform.as_str(), self.id)
    }
}

/// One user account on one platform.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountRef {
    pub platform: Platform,
    pub user: String,
}

/// The languages the bot speaks, French first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "fr" | "francais" | "français" | "french" => Ok(Lang::Fr),
            "en" | "anglais" | "english" => Ok(Lang::En),
            other => Err(UnknownName(other.to_owned())),
        }
    }
}

/// Store keys, kept apart so that an offer number is never taken for a
/// person or an elder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ElderId(pub i64);

/// The short public number of an offer (#142).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OfferNo(pub i64);

impl fmt::Display for OfferNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a person may do beyond volunteering. Stored as a small bit set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Ambassador,
    Coordinator,
    Referent,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Ambassador, Role::Coordinator, Role::Referent];

    fn bit(self) -> i64 {
        match self {
            Role::Ambassador => 1,
            Role::Coordinator => 2,
            Role::Referent => 4,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Ambassador => "ambassador",
            Role::Coordinator => "coordinator",
            Role::Referent => "referent",
        }
    }
}

impl FromStr for Role {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "ambassador" | "ambassadeur" | "ambassadrice" => Ok(Role::Ambassador),
            "coordinator" | "coordinateur" | "coordinatrice" => Ok(Role::Coordinator),
            "referent" | "référent" | "referente" | "référente" => Ok(Role::Referent),
            other => Err(UnknownName(other.to_owned())),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Roles(pub i64);

impl Roles {
    pub fn has(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn with(self, role: Role) -> Self {
        Roles(self.0 | role.bit())
    }

    pub fn without(self, role: Role) -> Self {
        Roles(self.0 & !role.bit())
    }

    /// Coordinators and referents are staff: they see elders' details.
    pub fn is_staff(self) -> bool {
        self.has(Role::Coordinator) || self.has(Role::Referent)
    }
}

/// A point in WGS84 degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    /// `48.8652,2.3780` or `48.8652 2.3780`, in range.
    pub fn parse(typed: &str) -> Option<Self> {
        let (lat, lon) = typed.trim().split_once([',', ' '])?;
        let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
        let valid = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        valid.then_some(Self { lat, lon })
    }
}

/// Where a volunteer is happy to go.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Area {
    #[default]
    Unset,
    Point {
        at: LatLon,
    },
    Neighbourhoods {
        ids: Vec<String>,
    },
}

/// A weekly availability slot in local time; `weekday` counts from Monday
/// as 0, minutes from midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub weekday: u8,
    pub from_min: u16,
    pub to_min: u16,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub lang: Lang,
    pub verified: bool,
    pub roles: Roles,
    pub area: Area,
    pub radius_km: f64,
    pub availability: Vec<Slot>,
    pub paused_until: Option<NaiveDate>,
    /// Whether the group post may show this volunteer's name once claimed.
    pub name_public: bool,
    pub consent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A chat account linked to a person. `private_chat` is known once the
/// person has written to the bot privately: only then can it reach them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub account: AccountRef,
    pub person: PersonId,
    pub handle: Option<String>,
    pub private_chat: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Elder {
    pub id: ElderId,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub address: String,
    pub at: Option<LatLon>,
    pub neighbourhood: Option<String>,
    pub languages: Vec<String>,
    pub mobility: String,
    pub caregiver: Option<String>,
    pub consent: bool,
    pub created_at: DateTime<Utc>,
}

named_enum! {
    /// What a group is for. The staff and medico-social rooms receive the
    /// service's internal messages.
    GroupKind {
        Neighbourhood = "neighbourhood",
        Staff = "staff",
        MedicoSocial = "medico_social",
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub chat: ChatRef,
    pub kind: GroupKind,
    pub title: String,
    pub neighbourhoods: Vec<String>,
    pub lang: Lang,
}

/// A member of a group as last seen by the bot.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub chat: ChatRef,
    pub user: String,
    pub name: String,
    /// The @handle they had when last seen, without the `@`.
    pub handle: Option<String>,
    pub person: Option<PersonId>,
    pub verified: bool,
}

/// Figures for ambassadors and coordinators.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub open_offers: i64,
    pub outings_this_month: i64,
    pub active_volunteers: i64,
    pub idle_volunteers: i64,
}
