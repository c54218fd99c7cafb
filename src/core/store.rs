//! The storage the core needs, as traits: the core never sees a database.
//! Every event is handled inside one [`Tx`], so the inbox record, the state
//! change and the outbox effects commit together or not at all.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::effect::Effect;
use super::job::{Job, JobId, JobKind, JobRecord, NewJob};
use super::model::{
    Account, AccountRef, Alert, AlertId, ChatRef, Elder, ElderId, Feedback, Figures, Group,
    GroupKind, Lang, Member, NewOffer, Offer, OfferNo, OfferStatus, Person, PersonId, Platform,
    Referral, Report,
};
use super::pace::{Answered, Outcome, Take, Taken};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A person before the store gives them an id.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPerson {
    pub name: String,
    pub lang: Lang,
    /// How far they go until they say otherwise.
    pub radius_km: f64,
    pub at: DateTime<Utc>,
}

/// An elder before the store gives them an id.
#[derive(Clone, Debug, PartialEq)]
pub struct NewElder {
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub address: String,
    pub at: Option<super::model::LatLon>,
    pub neighbourhood: Option<String>,
    pub languages: Vec<String>,
    pub mobility: String,
    pub caregiver: Option<String>,
    pub consent: bool,
    pub created_at: DateTime<Utc>,
}

/// Where a dialogue lives: one per person and chat, on any platform.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DialogueKey {
    pub chat: ChatRef,
    pub person: PersonId,
}

/// A claim being made or given back, written with the offer's history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transition {
    pub offer: OfferNo,
    pub from: OfferStatus,
    pub to: OfferStatus,
    /// The claimant after the transition.
    pub claimant: Option<PersonId>,
    pub by: PersonId,
    pub at: DateTime<Utc>,
}

/// A message waiting in the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub effect: Effect,
    pub attempts: i64,
}

/// A row of the offer's history.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub from: Option<OfferStatus>,
    pub to: OfferStatus,
    pub by: PersonId,
    pub at: DateTime<Utc>,
}

/// What the fair ranking needs of one person's notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoteHistory {
    pub person: PersonId,
    pub last: DateTime<Utc>,
    /// Notes since the time asked about.
    pub since: i64,
}

/// What waits for the staff, for their morning digest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Waiting {
    /// Outings over and held, whose report was not written.
    pub reports_missing: i64,
    pub open_alerts: i64,
}

/// A verified volunteer's outings, for the messages that thank them, check
/// in on them or suggest another outing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VolunteerRecord {
    pub person: PersonId,
    /// Outings done that started in the period asked about.
    pub done_in_period: i64,
    /// Outings done, ever.
    pub done: i64,
    /// When the last outing done started.
    pub last_done: Option<DateTime<Utc>>,
    /// Outings claimed and not yet reported.
    pub held: i64,
    /// The last day of their pause, if they set one.
    pub paused_until: Option<chrono::NaiveDate>,
}

#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Starts a write transaction. On SQLite it takes the write lock at
    /// once, so that concurrent events queue instead of failing.
    async fn begin(&self) -> StoreResult<Box<dyn Tx>>;

    /// The oldest undelivered messages for one platform, in order.
    async fn pending(&self, platform: Platform, limit: i64) -> StoreResult<Vec<OutboxItem>>;

    /// Records a delivery and, for a keyed post, the platform's message id.
    async fn delivered(&self, id: i64, message_id: Option<&str>) -> StoreResult<()>;

    /// Records a failed delivery; `permanent` ones are not tried again.
    async fn failed(&self, id: i64, error: &str, permanent: bool) -> StoreResult<()>;

    /// Leases to the caller the messages that may leave now (see
    /// [`pace`](super::pace)): the first pending message of each chat
    /// that has none on its way, within the platform's limits counted
    /// over the sends of every process.
    async fn take_sends(&self, take: &Take<'_>) -> StoreResult<Taken>;

    /// Ends a leased send.
    async fn settle(&self, id: i64, outcome: Outcome<'_>, answered: Answered) -> StoreResult<()>;

    /// Takes or keeps the lease `name` for `holder` until `until`: true
    /// when `holder` has it now, false while another holder's lease runs.
    async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Gives up the lease `name` if `holder` has it, so that another
    /// process need not wait for it to run out.
    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()>;

    /// What the address service answered for `query`, as stored.
    async fn cached_geocode(&self, query: &str) -> StoreResult<Option<String>>;
    async fn cache_geocode(&self, query: &str, answer: &str, at: DateTime<Utc>) -> StoreResult<()>;

    /// A value an adapter keeps between runs, such as how far it has read.
    async fn adapter_value(&self, key: &str) -> StoreResult<Option<String>>;

    async fn set_adapter_value(&self, key: &str, value: &str) -> StoreResult<()>;

    /// The platform's id of the post sent to `chat` under `key`.
    async fn post_id(&self, chat: &ChatRef, key: &str) -> StoreResult<Option<String>>;

    /// Leases to the caller, until `lease_until`, up to `limit` pending
    /// jobs due at `now` that no live lease holds, soonest first. Several
    /// processes may take at once: none is handed a job another holds.
    async fn take_jobs(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Job>>;

    /// When the soonest pending job falls due.
    async fn next_job_due(&self) -> StoreResult<Option<DateTime<Utc>>>;

    /// Records a job that failed: tried again from `retry_at`, or failed
    /// for good when `None`.
    async fn job_failed(
        &self,
        id: JobId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;

    /// Pending and failed jobs, soonest first, for operators.
    async fn jobs(&self, limit: i64) -> StoreResult<Vec<JobRecord>>;
}

/// One transaction. Dropping it without [`Tx::commit`] rolls it back.
#[async_trait]
pub trait Tx: Send {
    async fn commit(self: Box<Self>) -> StoreResult<()>;

    /// Writes an event's effects to the outbox and commits: the way every
    /// event ends, which a backend may do in one round trip.
    async fn commit_with(
        mut self: Box<Self>,
        effects: &[Effect],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.enqueue(effects, at).await?;
        self.commit().await
    }

    /// Records an incoming event; false when it was already handled.
    async fn record_event(
        &mut self,
        platform: Platform,
        id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Records an incoming event and reads its sender's account: `None`
    /// when the event was already handled. Every event starts this way, so
    /// a backend may do both in one round trip.
    async fn open_event(
        &mut self,
        platform: Platform,
        id: &str,
        at: DateTime<Utc>,
        sender: &AccountRef,
    ) -> StoreResult<Option<Option<(Account, Person)>>> {
        if !self.record_event(platform, id, at).await? {
            return Ok(None);
        }
        Ok(Some(self.account(sender).await?))
    }

    async fn account(&mut self, account: &AccountRef) -> StoreResult<Option<(Account, Person)>>;
    async fn account_by_handle(
        &mut self,
        platform: Platform,
        handle: &str,
    ) -> StoreResult<Option<(Account, Person)>>;
    async fn accounts_of(&mut self, person: PersonId) -> StoreResult<Vec<Account>>;
    async fn person(&mut self, id: PersonId) -> StoreResult<Person>;
    async fn insert_person(&mut self, person: &NewPerson) -> StoreResult<Person>;
    async fn update_person(&mut self, person: &Person) -> StoreResult<()>;
    async fn upsert_account(&mut self, account: &Account) -> StoreResult<()>;
    /// Erases a person's data: accounts, profile, dialogues, memberships.
    /// Reports stay, detached from the name.
    async fn erase_person(&mut self, id: PersonId) -> StoreResult<()>;

    /// Holds a person until the transaction ends, so that checks over
    /// their claims and the claim that follows cannot interleave with
    /// another transaction's.
    async fn lock_person(&mut self, id: PersonId) -> StoreResult<()>;
    /// Holds an elder likewise, for the one-outing-a-week rule.
    async fn lock_elder(&mut self, id: ElderId) -> StoreResult<()>;

    async fn insert_elder(&mut self, elder: &NewElder) -> StoreResult<ElderId>;
    async fn elder(&mut self, id: ElderId) -> StoreResult<Elder>;

    async fn insert_offer(
        &mut self,
        offer: &NewOffer,
        status: OfferStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<Offer>;
    async fn offer(&mut self, number: OfferNo) -> StoreResult<Offer>;
    /// Offers of one elder starting in `[from, to)`, cancelled ones left out.
    async fn offers_of_elder(
        &mut self,
        elder: ElderId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Offer>>;
    /// Published offers, soonest first.
    async fn open_offers(&mut self) -> StoreResult<Vec<Offer>>;
    /// Offers a person holds (claimed or confirmed).
    async fn claims_of(&mut self, person: PersonId) -> StoreResult<Vec<Offer>>;
    /// Moves an offer from `from` to `to` if it is still in `from`: the one
    /// atomic step that makes exactly one of many simultaneous claims win.
    /// A change of status also ends any hold on the offer.
    async fn transition(&mut self, change: &Transition) -> StoreResult<bool>;
    /// Keeps a published offer for `person` until `until`, unless it is
    /// kept for someone else past `now`; true when it is now kept for them.
    async fn hold(
        &mut self,
        number: OfferNo,
        person: PersonId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Whom an offer is kept for at `now`, and until when.
    async fn holder(
        &mut self,
        number: OfferNo,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(PersonId, DateTime<Utc>)>>;
    async fn history(&mut self, number: OfferNo) -> StoreResult<Vec<StatusChange>>;
    async fn set_flagged(&mut self, number: OfferNo, flagged: bool) -> StoreResult<()>;

    /// Remembers that a post went to `chat` under `key`, for later edits.
    async fn record_post(&mut self, chat: &ChatRef, key: &str) -> StoreResult<()>;
    async fn posts(&mut self, key: &str) -> StoreResult<Vec<ChatRef>>;

    async fn group(&mut self, chat: &ChatRef) -> StoreResult<Option<Group>>;
    async fn groups(&mut self) -> StoreResult<Vec<Group>>;
    async fn groups_of_kind(&mut self, kind: GroupKind) -> StoreResult<Vec<Group>>;
    async fn upsert_group(&mut self, group: &Group) -> StoreResult<()>;

    async fn upsert_member(&mut self, member: &Member) -> StoreResult<()>;
    async fn remove_member(&mut self, chat: &ChatRef, user: &str) -> StoreResult<()>;
    async fn members(&mut self, chat: &ChatRef) -> StoreResult<Vec<Member>>;

    async fn insert_report(&mut self, report: &Report) -> StoreResult<()>;
    async fn report(&mut self, number: OfferNo) -> StoreResult<Option<Report>>;
    async fn insert_feedback(&mut self, feedback: &Feedback) -> StoreResult<()>;
    async fn feedback(&mut self, number: OfferNo) -> StoreResult<Option<Feedback>>;
    async fn insert_alert(&mut self, alert: &Alert) -> StoreResult<AlertId>;
    async fn alert(&mut self, id: AlertId) -> StoreResult<Alert>;
    async fn insert_referral(&mut self, referral: &Referral) -> StoreResult<()>;

    /// The stored state of a dialogue, as the core serialised it.
    async fn dialogue(&mut self, key: &DialogueKey) -> StoreResult<Option<String>>;
    async fn set_dialogue(&mut self, key: &DialogueKey, state: Option<&str>) -> StoreResult<()>;

    async fn enqueue(&mut self, effects: &[Effect], at: DateTime<Utc>) -> StoreResult<()>;

    /// Writes jobs to be done later, with the change that causes them.
    async fn schedule(&mut self, jobs: &[NewJob], at: DateTime<Utc>) -> StoreResult<()>;
    /// Cancels an offer's pending jobs of the given kinds.
    async fn cancel_jobs(&mut self, offer: OfferNo, kinds: &[JobKind]) -> StoreResult<()>;
    /// Writes a recurring job's next occurrence unless one is pending.
    async fn plan_recurring(&mut self, job: &NewJob, at: DateTime<Utc>) -> StoreResult<()>;
    /// Cancels a recurring job's pending occurrence, for one turned off.
    async fn cancel_recurring(&mut self, kind: JobKind) -> StoreResult<()>;
    /// Marks a pending job done; false when it no longer is pending,
    /// because another process did it or it was cancelled meanwhile. The
    /// job's effects commit with this, so that it is done once.
    async fn complete_job(&mut self, id: JobId, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn audit(
        &mut self,
        actor: PersonId,
        action: &str,
        detail: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Figures over the offers of some neighbourhoods, or all when `None`.
    /// A volunteer is active when they hold or held an offer starting
    /// between 30 days before `now` and 60 days after; verified volunteers
    /// active nowhere are idle.
    async fn figures(
        &mut self,
        neighbourhoods: Option<&[String]>,
        month_start: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Figures>;

    /// What waits for the staff at `now`: reports due and not written,
    /// alerts not yet referred.
    async fn waiting(&mut self, now: DateTime<Utc>) -> StoreResult<Waiting>;

    /// Every verified person: the volunteers an outing may be noted to.
    async fn verified_people(&mut self) -> StoreResult<Vec<Person>>;
    /// Records that these people were written to about an outing.
    async fn record_notes(
        &mut self,
        offer: OfferNo,
        people: &[PersonId],
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// For each person ever written to: their last note, and how many
    /// since `since`.
    async fn note_history(&mut self, since: DateTime<Utc>) -> StoreResult<Vec<NoteHistory>>;
    /// Who was written to about an outing, first first.
    async fn noted(&mut self, offer: OfferNo) -> StoreResult<Vec<PersonId>>;
    /// Records that a person wants no more of an outing they were written
    /// to about; false when they were never written to about it.
    async fn decline_note(
        &mut self,
        offer: OfferNo,
        person: PersonId,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// The outings a person said were not for them.
    async fn declined(&mut self, person: PersonId) -> StoreResult<Vec<OfferNo>>;

    /// Every verified volunteer who ever claimed an outing, with their
    /// outings; `done_in_period` counts those started in `[from, to)`.
    async fn volunteer_records(
        &mut self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<VolunteerRecord>>;

    /// Deletes messages delivered or given up that were written before
    /// `before`; returns how many.
    async fn purge_outbox(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Deletes the address service's answers looked up before `before`;
    /// returns how many.
    async fn purge_geocodes(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;

    /// Everything a person reported, for `my_data`.
    async fn reports_by(&mut self, person: PersonId) -> StoreResult<Vec<Report>>;
}
