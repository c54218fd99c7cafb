//! What due jobs do: remind the claimant of an outing, ask for the report
//! and tell the staff when it does not come, and look further for a
//! volunteer when nobody claimed an outing. Also the answers to the
//! reminders' buttons.

use chrono::{DateTime, Utc};

use super::context::{Ctx, Flow, Stop};
use super::effect::{Arg, Button, Message, Text};
use super::event::{Event, EventKind, Sender};
use super::job::{Job, JobKind, NewJob, escalation_ladder, reminder_ladder};
use super::model::{ChatRef, GroupKind, Offer, OfferNo, OfferStatus, PersonId, Platform};
use super::report::holds;
use super::store::StoreError;
use super::{Core, group, notes, offer, parse, publish};

/// What became of a job handed to [`Core::fire`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fired {
    /// Done now: its effects are in the outbox.
    Done,
    /// Done before, by this process or another: nothing was done again.
    AlreadyDone,
}

impl Core {
    /// Does a due job, once. The job is marked done in the transaction that
    /// writes its effects, so that of two processes holding it (one whose
    /// lease ran out while it worked) only the first to commit does it. A
    /// job that lost its point meanwhile (the outing given back, the report
    /// written) is marked done and does nothing.
    pub async fn fire(&self, job: &Job) -> Result<Fired, StoreError> {
        let deps = self.deps();
        let now = deps.clock.now();
        let mut tx = deps.store.begin().await?;
        if !tx.complete_job(job.id, now).await? {
            return Ok(Fired::AlreadyDone);
        }
        let event = clock_event(job, now);
        let mut ctx = Ctx::open(deps, tx, &event, None).await?;
        match due(&mut ctx, job).await {
            Ok(()) => {
                if ctx.finish().await? {
                    self.jobs_written().notify_one();
                }
            }
            Err(Stop::Store(error)) => return Err(error),
            // The outing is gone (a job, which is nobody's answer, never
            // wants an address): the job is done with nothing to say.
            Err(Stop::Refuse(_) | Stop::LookUp(_)) => {
                drop(ctx);
                let mut tx = deps.store.begin().await?;
                tx.complete_job(job.id, now).await?;
                tx.commit().await?;
            }
        }
        Ok(Fired::Done)
    }
}

/// The event a job's handlers see: the clock's, in no chat anybody reads.
/// Handlers that answer "the sender" have nothing to answer here; those
/// that write to people name their chats.
fn clock_event(job: &Job, at: DateTime<Utc>) -> Event {
    Event {
        id: format!("job:{}", job.id.0),
        chat: ChatRef::new(Platform::Console, "clock"),
        private: false,
        sender: Sender { user: "clock".into(), name: String::new(), handle: None },
        at,
        kind: EventKind::Text(String::new()),
    }
}

async fn due(ctx: &mut Ctx<'_>, job: &Job) -> Flow {
    let Some(number) = job.offer else { return super::recurring::fire(ctx, job).await };
    let offer = offer::find(ctx, number).await?;
    match job.kind {
        JobKind::Introduce | JobKind::DayBefore | JobKind::Morning => {
            remind_claimant(ctx, &offer, job.kind).await
        }
        JobKind::Report | JobKind::ReportNudge => ask_for_report(ctx, &offer, job.kind).await,
        JobKind::ReportOverdue => report_overdue(ctx, &offer).await,
        JobKind::Repost | JobKind::Widen | JobKind::StaffUnclaimed => {
            escalate(ctx, &offer, job.kind).await
        }
        // Recurring jobs are about no outing: they were handled above.
        _ => Ok(()),
    }
}

/// The volunteer holding an outing that has not begun.
fn claimant_before_start(offer: &Offer, now: DateTime<Utc>) -> Option<PersonId> {
    let held = matches!(offer.status, OfferStatus::Claimed | OfferStatus::Confirmed);
    offer.claimant.filter(|_| held && offer.start > now)
}

async fn remind_claimant(ctx: &mut Ctx<'_>, offer: &Offer, kind: JobKind) -> Flow {
    let Some(claimant) = claimant_before_start(offer, ctx.now) else { return Ok(()) };
    let elder = ctx.tx.elder(offer.elder).await?;
    let number = offer.number.0;
    let id = match kind {
        JobKind::Introduce => "reminder-introduce",
        JobKind::DayBefore => "reminder-day-before",
        _ => "reminder-morning",
    };
    let text = Text::new(id)
        .arg("number", number)
        .arg("start", Arg::Time(offer.start))
        .arg("name", elder.first_name.clone())
        .arg("phone", elder.phone.clone());
    let contact = |answer: &str, label: &str| {
        Button::press(Text::new(label), format!("contact:{number}:{answer}"))
    };
    let release = Button::press(Text::new("button-release"), format!("release:{number}"));
    let buttons = match kind {
        JobKind::DayBefore => vec![
            vec![contact("reached", "button-reached"), contact("unreached", "button-unreached")],
            vec![release],
        ],
        _ => vec![vec![release]],
    };
    ctx.send_private(claimant, |lang| {
        buttons.into_iter().fold(Message::new(lang, text), Message::row)
    })
    .await?;
    Ok(())
}

/// After the outing: the report dialogue's first step, then a nudge.
async fn ask_for_report(ctx: &mut Ctx<'_>, offer: &Offer, kind: JobKind) -> Flow {
    let Some(claimant) = offer.claimant.filter(|&person| holds(offer, person)) else {
        return Ok(());
    };
    if ctx.tx.report(offer.number).await?.is_some() {
        return Ok(());
    }
    let number = offer.number.0;
    let id = if kind == JobKind::Report { "reminder-report" } else { "reminder-report-nudge" };
    let text = Text::new(id).arg("number", number);
    let button = Button::press(Text::new("button-report"), format!("report:{number}"));
    ctx.send_private(claimant, |lang| Message::new(lang, text).row(vec![button])).await?;
    Ok(())
}

async fn report_overdue(ctx: &mut Ctx<'_>, offer: &Offer) -> Flow {
    let Some(claimant) = offer.claimant.filter(|&person| holds(offer, person)) else {
        return Ok(());
    };
    if ctx.tx.report(offer.number).await?.is_some() {
        return Ok(());
    }
    let name = ctx.tx.person(claimant).await?.name;
    let text = Text::new("staff-report-missing").arg("number", offer.number.0).arg("name", name);
    group::tell_room(ctx, GroupKind::Staff, text).await?;
    Ok(())
}

/// An outing still unclaimed: posted again with notes to the volunteers
/// best placed for it, then its groups' ambassadors asked to find someone
/// and volunteers of the neighbourhoods around written to, then the staff
/// told who was asked.
async fn escalate(ctx: &mut Ctx<'_>, offer: &Offer, kind: JobKind) -> Flow {
    if offer.status != OfferStatus::Published || offer.start <= ctx.now {
        return Ok(());
    }
    let number = offer.number.0;
    match kind {
        JobKind::Repost => {
            publish::post_again(ctx, offer).await?;
            notes::send(ctx, offer, notes::Reach::Near).await
        }
        JobKind::Widen => {
            let text = Text::new("ambassador-unclaimed")
                .arg("number", number)
                .arg("start", Arg::Time(offer.start));
            for chat in ctx.tx.posts(&super::render::post_key(offer)).await? {
                if let Some(group) = ctx.tx.group(&chat).await? {
                    group::tell_ambassadors(ctx, &group, text.clone()).await?;
                }
            }
            notes::send(ctx, offer, notes::Reach::Wider).await
        }
        _ => {
            let asked = notes::asked(ctx, offer).await?;
            let text = Text::new("staff-unclaimed")
                .arg("number", number)
                .arg("start", Arg::Time(offer.start))
                .arg("count", i64::try_from(asked.len()).unwrap_or(i64::MAX))
                .arg("asked", Arg::List(asked));
            group::tell_room(ctx, GroupKind::Staff, text).await?;
            Ok(())
        }
    }
}

/// The reminders that follow a claim, in the claim's transaction; the
/// search for a volunteer ends.
pub(crate) async fn after_claim(ctx: &mut Ctx<'_>, offer: &Offer) -> Result<(), StoreError> {
    ctx.tx.cancel_jobs(offer.number, &JobKind::ESCALATIONS).await?;
    let policy = &ctx.deps.policy;
    let jobs = reminder_ladder(offer, ctx.now, policy.timezone, &policy.reminders);
    ctx.schedule(&jobs).await
}

/// An outing open to volunteers, newly or again: its reminders end and
/// the search for a volunteer begins.
pub(crate) async fn while_open(ctx: &mut Ctx<'_>, offer: &Offer) -> Result<(), StoreError> {
    ctx.tx.cancel_jobs(offer.number, &JobKind::REMINDERS).await?;
    let jobs: Vec<NewJob> = escalation_ladder(offer, ctx.now, &ctx.deps.policy.reminders);
    ctx.schedule(&jobs).await
}

/// An outing cancelled or closed: nothing more is due for it.
pub(crate) async fn closed(ctx: &mut Ctx<'_>, number: OfferNo) -> Result<(), StoreError> {
    ctx.tx.cancel_jobs(number, &JobKind::REMINDERS).await?;
    ctx.tx.cancel_jobs(number, &JobKind::ESCALATIONS).await
}

/// The day before's buttons: the volunteer reached the elder, or could
/// not, which the staff hear of so that someone calls.
pub(crate) async fn on_contact_button(ctx: &mut Ctx<'_>, rest: &str) -> Flow {
    let (number, answer) = rest.split_once(':').unwrap_or((rest, ""));
    let Some(number) = parse::offer_number(number) else {
        return super::context::refuse(Text::new("button-stale"));
    };
    let me = ctx.person()?;
    let offer = offer::find(ctx, number).await?;
    if !holds(&offer, me.id) {
        return super::context::refuse(Text::new("release-not-yours").arg("number", number.0));
    }
    match answer {
        "reached" => ctx.answer(Some(Text::new("contact-reached"))),
        "unreached" => {
            let text = Text::new("staff-elder-unreached")
                .arg("number", number.0)
                .arg("name", me.name.clone());
            group::tell_room(ctx, GroupKind::Staff, text).await?;
            ctx.reply_text(Text::new("contact-unreached").arg("number", number.0));
        }
        _ => return super::context::refuse(Text::new("button-stale")),
    }
    Ok(())
}
