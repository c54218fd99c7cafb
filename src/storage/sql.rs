//! The store's SQL, shared by SQLite and PostgreSQL through sqlx's `Any`
//! driver. [`SqlStore`] opens transactions; `SqlTx` (in `transaction`)
//! runs the core's reads and writes inside one. The queries live in one
//! module per part of the schema, as functions over a connection, so that
//! the same code runs in a transaction or on a connection of the pool.

mod codec;
mod delivery;
mod figures;
mod groups;
mod jobs;
mod notes;
mod offers;
mod outbox;
mod people;
mod records;
mod transaction;

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool};
use tokio::sync::Semaphore;

use crate::core::effect::Effect;
use crate::core::job::{Job, JobId, JobKind, JobRecord, NewJob};
use crate::core::model::{
    Account, AccountRef, Alert, AlertId, ChatRef, Elder, ElderId, Feedback, Figures, Group,
    GroupKind, Member, NewOffer, Offer, OfferNo, OfferStatus, Person, PersonId, Platform, Referral,
    Report,
};
use crate::core::pace::{Answered, Outcome, Take, Taken};
use crate::core::store::{
    DialogueKey, NewElder, NewPerson, NoteHistory, OutboxItem, StatusChange, Store, StoreError,
    StoreResult, Transition, Tx, VolunteerRecord, Waiting,
};

use super::Backend;
use codec::{db, secs};
use transaction::SqlTx;

pub(super) struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// SQLite's writers, queued here in turn. SQLite lets one connection
    /// write at a time and makes the others poll for the lock, which is
    /// unfair: under a burst, one of them can poll until its busy timeout
    /// runs out. Queued here first, writers of this process take turns in
    /// order and only ever wait on SQLite's lock for another process.
    writers: Option<Arc<Semaphore>>,
}

impl SqlStore {
    pub(super) fn new(pool: AnyPool, backend: Backend) -> Self {
        let writers = (backend == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1)));
        Self { pool, backend, writers }
    }

    /// A write transaction, begun the way the backend needs. A task must
    /// not open a second one while it holds one: on SQLite it would wait
    /// for itself.
    async fn transaction(&self) -> StoreResult<SqlTx> {
        match &self.writers {
            Some(writers) => {
                let turn = writers.clone().acquire_owned().await.map_err(closed)?;
                SqlTx::sqlite(&self.pool, turn).await
            }
            None => SqlTx::postgres(&self.pool).await,
        }
    }

    async fn connection(&self) -> StoreResult<PoolConnection<Any>> {
        self.pool.acquire().await.map_err(db)
    }
}

/// Written by hand: the pool's options hold the database URL, which may
/// hold a password.
impl fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.backend)
            .field("connections", &self.pool.size())
            .finish_non_exhaustive()
    }
}

/// The writers' queue never closes while the store lives.
fn closed(error: tokio::sync::AcquireError) -> StoreError {
    StoreError::Backend(Box::new(error))
}

#[async_trait]
impl Store for SqlStore {
    async fn begin(&self) -> StoreResult<Box<dyn Tx>> {
        Ok(Box::new(self.transaction().await?))
    }

    async fn pending(&self, platform: Platform, limit: i64) -> StoreResult<Vec<OutboxItem>> {
        outbox::pending(&mut *self.connection().await?, platform, limit).await
    }

    async fn delivered(&self, id: i64, message_id: Option<&str>) -> StoreResult<()> {
        let mut tx = self.transaction().await?;
        outbox::delivered(tx.conn().await?, id, message_id).await?;
        tx.commit().await
    }

    async fn failed(&self, id: i64, error: &str, permanent: bool) -> StoreResult<()> {
        let mut tx = self.transaction().await?;
        outbox::failed(tx.conn().await?, id, error, permanent).await?;
        tx.commit().await
    }

    async fn take_sends(&self, take: &Take<'_>) -> StoreResult<Taken> {
        let mut tx = self.transaction().await?;
        let taken = delivery::take(&mut tx, take).await?;
        tx.commit().await?;
        Ok(taken)
    }

    async fn settle(&self, id: i64, outcome: Outcome<'_>, answered: Answered) -> StoreResult<()> {
        let mut tx = self.transaction().await?;
        delivery::settle(&mut tx, id, outcome, answered).await?;
        tx.commit().await
    }

    async fn take_jobs(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Job>> {
        let mut tx = self.transaction().await?;
        let jobs = jobs::take(&mut tx, now, lease_until, limit).await?;
        tx.commit().await?;
        Ok(jobs)
    }

    async fn next_job_due(&self) -> StoreResult<Option<DateTime<Utc>>> {
        jobs::next_due(&mut *self.connection().await?).await
    }

    async fn job_failed(
        &self,
        id: JobId,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let mut tx = self.transaction().await?;
        jobs::failed(tx.conn().await?, id, error, retry_at).await?;
        tx.commit().await
    }

    async fn jobs(&self, limit: i64) -> StoreResult<Vec<JobRecord>> {
        jobs::list(&mut *self.connection().await?, limit).await
    }

    async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        // The update applies only to the holder's own lease or one run
        // out, so two processes racing for it cannot both succeed.
        let sql = "INSERT INTO leases (name, holder, until_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (name) DO UPDATE \
                   SET holder = excluded.holder, until_at = excluded.until_at \
                   WHERE leases.holder = excluded.holder OR leases.until_at <= $4";
        let mut tx = self.transaction().await?;
        let query = sqlx::query(sql).bind(name).bind(holder).bind(secs(until)).bind(secs(now));
        let done = query.execute(tx.conn().await?).await.map_err(db)?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    async fn release_lease(&self, name: &str, holder: &str) -> StoreResult<()> {
        let sql = "DELETE FROM leases WHERE name = $1 AND holder = $2";
        let mut tx = self.transaction().await?;
        sqlx::query(sql).bind(name).bind(holder).execute(tx.conn().await?).await.map_err(db)?;
        tx.commit().await
    }

    async fn cached_geocode(&self, query: &str) -> StoreResult<Option<String>> {
        notes::cached_geocode(&mut *self.connection().await?, query).await
    }

    async fn cache_geocode(&self, query: &str, answer: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.transaction().await?;
        notes::cache_geocode(tx.conn().await?, query, answer, at).await?;
        tx.commit().await
    }

    async fn adapter_value(&self, key: &str) -> StoreResult<Option<String>> {
        let sql = "SELECT value FROM adapter_state WHERE key = $1";
        let query = sqlx::query_scalar(sql).bind(key);
        query.fetch_optional(&mut *self.connection().await?).await.map_err(db)
    }

    async fn set_adapter_value(&self, key: &str, value: &str) -> StoreResult<()> {
        let sql = "INSERT INTO adapter_state (key, value) VALUES ($1, $2) \
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        let mut tx = self.transaction().await?;
        sqlx::query(sql).bind(key).bind(value).execute(tx.conn().await?).await.map_err(db)?;
        tx.commit().await
    }

    async fn post_id(&self, chat: &ChatRef, key: &str) -> StoreResult<Option<String>> {
        groups::post_id(&mut *self.connection().await?, chat, key).await
    }
}

impl SqlTx {
    /// On SQLite a write transaction already holds the whole database; on
    /// PostgreSQL the row is locked until the transaction ends.
    async fn lock(&mut self, select_for_update: &'static str, id: i64) -> StoreResult<()> {
        if self.is_sqlite() {
            return Ok(());
        }
        let query = sqlx::query(select_for_update).bind(id);
        query.fetch_optional(self.conn().await?).await.map_err(db)?;
        Ok(())
    }
}

#[async_trait]
impl Tx for SqlTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        (*self).commit().await
    }

    /// On SQLite the outbox rows and the `COMMIT` go in one round trip.
    async fn commit_with(
        mut self: Box<Self>,
        effects: &[Effect],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        if effects.is_empty() {
            return (*self).commit().await;
        }
        if !self.is_sqlite() {
            outbox::enqueue(self.conn().await?, effects, at).await?;
            return (*self).commit().await;
        }
        let (conn, begin) = self.first_statement()?;
        outbox::enqueue_between(conn, effects, at, begin, true).await?;
        self.ended_sqlite()
    }

    async fn record_event(
        &mut self,
        platform: Platform,
        id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        records::record_event(self.conn().await?, platform, id, at).await
    }

    async fn open_event(
        &mut self,
        platform: Platform,
        id: &str,
        at: DateTime<Utc>,
        sender: &AccountRef,
    ) -> StoreResult<Option<Option<(Account, Person)>>> {
        if self.is_sqlite() {
            let (conn, begin) = self.first_statement()?;
            return people::open_event(conn, begin, platform, id, at, sender).await;
        }
        if !records::record_event(self.conn().await?, platform, id, at).await? {
            return Ok(None);
        }
        Ok(Some(people::account(self.conn().await?, sender).await?))
    }

    async fn account(&mut self, account: &AccountRef) -> StoreResult<Option<(Account, Person)>> {
        people::account(self.conn().await?, account).await
    }

    async fn account_by_handle(
        &mut self,
        platform: Platform,
        handle: &str,
    ) -> StoreResult<Option<(Account, Person)>> {
        people::account_by_handle(self.conn().await?, platform, handle).await
    }

    async fn accounts_of(&mut self, person: PersonId) -> StoreResult<Vec<Account>> {
        people::accounts_of(self.conn().await?, person).await
    }

    async fn person(&mut self, id: PersonId) -> StoreResult<Person> {
        people::person(self.conn().await?, id).await
    }

    async fn insert_person(&mut self, person: &NewPerson) -> StoreResult<Person> {
        people::insert_person(self.conn().await?, person).await
    }

    async fn update_person(&mut self, person: &Person) -> StoreResult<()> {
        people::update_person(self.conn().await?, person).await
    }

    async fn upsert_account(&mut self, account: &Account) -> StoreResult<()> {
        people::upsert_account(self.conn().await?, account).await
    }

    async fn erase_person(&mut self, id: PersonId) -> StoreResult<()> {
        people::erase_person(self.conn().await?, id).await
    }

    async fn lock_person(&mut self, id: PersonId) -> StoreResult<()> {
        self.lock("SELECT id FROM persons WHERE id = $1 FOR UPDATE", id.0).await
    }

    async fn lock_elder(&mut self, id: ElderId) -> StoreResult<()> {
        self.lock("SELECT id FROM elders WHERE id = $1 FOR UPDATE", id.0).await
    }

    async fn insert_elder(&mut self, elder: &NewElder) -> StoreResult<ElderId> {
        people::insert_elder(self.conn().await?, elder).await
    }

    async fn elder(&mut self, id: ElderId) -> StoreResult<Elder> {
        people::elder(self.conn().await?, id).await
    }

    async fn insert_offer(
        &mut self,
        offer: &NewOffer,
        status: OfferStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<Offer> {
        offers::insert_offer(self.conn().await?, offer, status, at).await
    }

    async fn offer(&mut self, number: OfferNo) -> StoreResult<Offer> {
        offers::offer(self.conn().await?, number).await
    }

    async fn offers_of_elder(
        &mut self,
        elder: ElderId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Offer>> {
        offers::offers_of_elder(self.conn().await?, elder, from, to).await
    }

    async fn open_offers(&mut self) -> StoreResult<Vec<Offer>> {
        offers::open_offers(self.conn().await?).await
    }

    async fn claims_of(&mut self, person: PersonId) -> StoreResult<Vec<Offer>> {
        offers::claims_of(self.conn().await?, person).await
    }

    async fn transition(&mut self, change: &Transition) -> StoreResult<bool> {
        offers::transition(self.conn().await?, change).await
    }

    async fn hold(
        &mut self,
        number: OfferNo,
        person: PersonId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        offers::hold(self.conn().await?, number, person, now, until).await
    }

    async fn holder(
        &mut self,
        number: OfferNo,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(PersonId, DateTime<Utc>)>> {
        offers::holder(self.conn().await?, number, now).await
    }

    async fn history(&mut self, number: OfferNo) -> StoreResult<Vec<StatusChange>> {
        offers::history(self.conn().await?, number).await
    }

    async fn set_flagged(&mut self, number: OfferNo, flagged: bool) -> StoreResult<()> {
        offers::set_flagged(self.conn().await?, number, flagged).await
    }

    async fn record_post(&mut self, chat: &ChatRef, key: &str) -> StoreResult<()> {
        groups::record_post(self.conn().await?, chat, key).await
    }

    async fn posts(&mut self, key: &str) -> StoreResult<Vec<ChatRef>> {
        groups::posts(self.conn().await?, key).await
    }

    async fn group(&mut self, chat: &ChatRef) -> StoreResult<Option<Group>> {
        groups::group(self.conn().await?, chat).await
    }

    async fn groups(&mut self) -> StoreResult<Vec<Group>> {
        groups::groups(self.conn().await?).await
    }

    async fn groups_of_kind(&mut self, kind: GroupKind) -> StoreResult<Vec<Group>> {
        groups::groups_of_kind(self.conn().await?, kind).await
    }

    async fn upsert_group(&mut self, group: &Group) -> StoreResult<()> {
        groups::upsert_group(self.conn().await?, group).await
    }

    async fn upsert_member(&mut self, member: &Member) -> StoreResult<()> {
        groups::upsert_member(self.conn().await?, member).await
    }

    async fn remove_member(&mut self, chat: &ChatRef, user: &str) -> StoreResult<()> {
        groups::remove_member(self.conn().await?, chat, user).await
    }

    async fn members(&mut self, chat: &ChatRef) -> StoreResult<Vec<Member>> {
        groups::members(self.conn().await?, chat).await
    }

    async fn insert_report(&mut self, report: &Report) -> StoreResult<()> {
        records::insert_report(self.conn().await?, report).await
    }

    async fn report(&mut self, number: OfferNo) -> StoreResult<Option<Report>> {
        records::report(self.conn().await?, number).await
    }

    async fn insert_feedback(&mut self, feedback: &Feedback) -> StoreResult<()> {
        records::insert_feedback(self.conn().await?, feedback).await
    }

    async fn feedback(&mut self, number: OfferNo) -> StoreResult<Option<Feedback>> {
        records::feedback(self.conn().await?, number).await
    }

    async fn insert_alert(&mut self, alert: &Alert) -> StoreResult<AlertId> {
        records::insert_alert(self.conn().await?, alert).await
    }

    async fn alert(&mut self, id: AlertId) -> StoreResult<Alert> {
        records::alert(self.conn().await?, id).await
    }

    async fn insert_referral(&mut self, referral: &Referral) -> StoreResult<()> {
        records::insert_referral(self.conn().await?, referral).await
    }

    async fn dialogue(&mut self, key: &DialogueKey) -> StoreResult<Option<String>> {
        records::dialogue(self.conn().await?, key).await
    }

    async fn set_dialogue(&mut self, key: &DialogueKey, state: Option<&str>) -> StoreResult<()> {
        records::set_dialogue(self.conn().await?, key, state).await
    }

    async fn enqueue(&mut self, effects: &[Effect], at: DateTime<Utc>) -> StoreResult<()> {
        outbox::enqueue(self.conn().await?, effects, at).await
    }

    async fn schedule(&mut self, jobs: &[NewJob], at: DateTime<Utc>) -> StoreResult<()> {
        jobs::schedule(self.conn().await?, jobs, at).await
    }

    async fn cancel_jobs(&mut self, offer: OfferNo, kinds: &[JobKind]) -> StoreResult<()> {
        jobs::cancel(self.conn().await?, offer, kinds).await
    }

    async fn complete_job(&mut self, id: JobId, at: DateTime<Utc>) -> StoreResult<bool> {
        jobs::complete(self.conn().await?, id, at).await
    }

    async fn plan_recurring(&mut self, job: &NewJob, at: DateTime<Utc>) -> StoreResult<()> {
        jobs::plan_recurring(self.conn().await?, job, at).await
    }

    async fn cancel_recurring(&mut self, kind: JobKind) -> StoreResult<()> {
        jobs::cancel_recurring(self.conn().await?, kind).await
    }

    async fn waiting(&mut self, now: DateTime<Utc>) -> StoreResult<Waiting> {
        records::waiting(self.conn().await?, now).await
    }

    async fn verified_people(&mut self) -> StoreResult<Vec<Person>> {
        people::verified(self.conn().await?).await
    }

    async fn record_notes(
        &mut self,
        offer: OfferNo,
        people: &[PersonId],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        notes::record(self.conn().await?, offer, people, at).await
    }

    async fn note_history(&mut self, since: DateTime<Utc>) -> StoreResult<Vec<NoteHistory>> {
        notes::history(self.conn().await?, since).await
    }

    async fn noted(&mut self, offer: OfferNo) -> StoreResult<Vec<PersonId>> {
        notes::noted(self.conn().await?, offer).await
    }

    async fn decline_note(
        &mut self,
        offer: OfferNo,
        person: PersonId,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        notes::decline(self.conn().await?, offer, person, at).await
    }

    async fn declined(&mut self, person: PersonId) -> StoreResult<Vec<OfferNo>> {
        notes::declined(self.conn().await?, person).await
    }

    async fn purge_geocodes(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        notes::purge_geocodes(self.conn().await?, before).await
    }

    async fn volunteer_records(
        &mut self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<VolunteerRecord>> {
        records::volunteer_records(self.conn().await?, from, to).await
    }

    async fn purge_outbox(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        records::purge_outbox(self.conn().await?, before).await
    }

    async fn audit(
        &mut self,
        actor: PersonId,
        action: &str,
        detail: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        records::audit(self.conn().await?, actor, action, detail, at).await
    }

    async fn figures(
        &mut self,
        neighbourhoods: Option<&[String]>,
        month_start: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Figures> {
        figures::figures(self.conn().await?, neighbourhoods, month_start, now).await
    }

    async fn reports_by(&mut self, person: PersonId) -> StoreResult<Vec<Report>> {
        records::reports_by(self.conn().await?, person).await
    }
}
