//! Recurring jobs: digests for the staff and the groups, the purge, and
//! the words to volunteers that keep them going (thanks, check-ins, a
//! second outing). One pending occurrence of each, planned at start-up
//! and, once done, planned again for the next. After downtime the
//! occurrence that fell due is done once, late, and the next is planned
//! from now: missed occurrences are not done in a burst, and the log says
//! how many there were.

use chrono::{Datelike, Duration, Months, NaiveTime, TimeZone};

use super::Core;
use super::context::{Ctx, Flow};
use super::effect::{Effect, Message, Text};
use super::job::{Job, JobKind, NewJob};
use super::model::{ChatRef, GroupKind, Lang, Offer};
use super::publish::place_name;
use super::render;
use super::store::{StoreError, VolunteerRecord};

/// Outings listed one by one in the digest; more are counted.
const LISTED: usize = 15;

/// An unclaimed outing starting within this is urgent in the digest.
const URGENT: Duration = Duration::hours(48);

/// A volunteer whose last outing was this long ago, with nothing claimed
/// since, is checked in on.
const IDLE_AFTER: Duration = Duration::days(30);

/// A volunteer's first outing is followed, this long after, by the
/// suggestion of a second.
const SECOND_AFTER: Duration = Duration::days(3);

impl Core {
    /// Makes sure each recurring job that bot-config turns on has its next
    /// occurrence waiting, and that those turned off have none. Every
    /// replica may do this at start-up: the store keeps one occurrence.
    pub async fn plan_recurring(&self) -> Result<(), StoreError> {
        let deps = self.deps();
        let now = deps.clock.now();
        let mut tx = deps.store.begin().await?;
        for kind in JobKind::RECURRING {
            let next = deps
                .policy
                .schedules
                .of(kind)
                .and_then(|cron| cron.next_after(now, deps.policy.timezone));
            match next {
                Some(due) => tx.plan_recurring(&NewJob { kind, offer: None, due }, now).await?,
                None => tx.cancel_recurring(kind).await?,
            }
        }
        tx.commit().await
    }
}

/// Does a recurring job and plans its next occurrence, in one transaction.
pub(crate) async fn fire(ctx: &mut Ctx<'_>, job: &Job) -> Flow {
    match job.kind {
        JobKind::MorningDigest => morning_digest(ctx).await?,
        JobKind::Purge => purge(ctx).await?,
        JobKind::WeeklyDigest => weekly_digest(ctx).await?,
        JobKind::MonthlyThanks => monthly_thanks(ctx).await?,
        JobKind::IdleCheckIn => check_in(ctx, CheckIn::Idle).await?,
        JobKind::SecondOuting => check_in(ctx, CheckIn::SecondOuting).await?,
        _ => {}
    }
    let policy = &ctx.deps.policy;
    let Some(cron) = policy.schedules.of(job.kind) else { return Ok(()) };
    let missed = cron.count_between(job.due, ctx.now, policy.timezone, 1_000);
    if missed > 0 {
        tracing::info!(job = job.kind.as_str(), missed, "done once for the occurrences missed");
    }
    if let Some(due) = cron.next_after(ctx.now, policy.timezone) {
        let next = NewJob { kind: job.kind, offer: None, due };
        ctx.tx.plan_recurring(&next, ctx.now).await?;
    }
    Ok(())
}

/// The staff room's morning: outings nobody claimed, soonest first, then
/// what else waits for them. Nothing is sent on a morning with nothing.
async fn morning_digest(ctx: &mut Ctx<'_>) -> Flow {
    let open = ctx.tx.open_offers().await?;
    let open: Vec<_> = open.into_iter().filter(|offer| offer.start > ctx.now).collect();
    let waiting = ctx.tx.waiting(ctx.now).await?;
    if open.is_empty() && waiting.reports_missing == 0 && waiting.open_alerts == 0 {
        return Ok(());
    }
    let urgent = open.iter().filter(|offer| offer.start - ctx.now < URGENT).count();
    let head = Text::new("staff-digest")
        .arg("unclaimed", count(open.len()))
        .arg("urgent", count(urgent))
        .arg("reports", waiting.reports_missing)
        .arg("alerts", waiting.open_alerts);
    let open: Vec<&Offer> = open.iter().collect();
    let rooms = ctx.tx.groups_of_kind(GroupKind::Staff).await?;
    for room in rooms {
        let message = listing(ctx, room.lang, head.clone(), &open);
        ctx.push(Effect::Send { chat: room.chat, message });
    }
    Ok(())
}

/// `head`, then the first [`LISTED`] outings one a line, then how many
/// more there are.
fn listing(ctx: &Ctx<'_>, lang: Lang, head: Text, offers: &[&Offer]) -> Message {
    let mut message = Message::new(lang, head);
    for offer in offers.iter().take(LISTED) {
        message = message.then(render::summary(offer, place_name(&ctx.deps.geography, offer)));
    }
    let more = offers.len().saturating_sub(LISTED);
    if more > 0 {
        message = message.then(Text::new("staff-digest-more").arg("count", count(more)));
    }
    message
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Delivered messages past the retention period leave the store: the
/// handovers of contact details among them, and the addresses looked up.
async fn purge(ctx: &mut Ctx<'_>) -> Flow {
    let before = ctx.now - Duration::days(ctx.deps.policy.retention_days);
    let removed = ctx.tx.purge_outbox(before).await?;
    let addresses = ctx.tx.purge_geocodes(before).await?;
    tracing::info!(removed, addresses, "messages and addresses past their retention removed");
    Ok(())
}

/// Each neighbourhood group's outings still open, listed where they were
/// posted; a group with none is left alone.
async fn weekly_digest(ctx: &mut Ctx<'_>) -> Flow {
    let open = ctx.tx.open_offers().await?;
    let mut by_group: Vec<(ChatRef, Vec<&Offer>)> = Vec::new();
    for offer in open.iter().filter(|offer| offer.start > ctx.now) {
        for chat in ctx.tx.posts(&render::post_key(offer)).await? {
            match by_group.iter_mut().find(|(group, _)| *group == chat) {
                Some((_, offers)) => offers.push(offer),
                None => by_group.push((chat, vec![offer])),
            }
        }
    }
    for (chat, offers) in by_group {
        let Some(group) = ctx.tx.group(&chat).await? else { continue };
        if group.kind != GroupKind::Neighbourhood {
            continue;
        }
        let head = Text::new("group-weekly-digest").arg("count", count(offers.len()));
        let message = listing(ctx, group.lang, head, &offers);
        ctx.push(Effect::Send { chat, message });
    }
    Ok(())
}

/// Thanks to every volunteer who went out in the month just ended, with
/// their own figures; those who did not are not reminded of it.
async fn monthly_thanks(ctx: &mut Ctx<'_>) -> Flow {
    let tz = ctx.deps.policy.timezone;
    let today = ctx.now.with_timezone(&tz).date_naive();
    let this_month = today.with_day(1).unwrap_or(today);
    let last_month = this_month.checked_sub_months(Months::new(1)).unwrap_or(this_month);
    let start = |day: chrono::NaiveDate| {
        let midnight = day.and_time(NaiveTime::MIN);
        tz.from_local_datetime(&midnight).earliest().map_or(ctx.now, |at| at.to_utc())
    };
    let (from, to) = (start(last_month), start(this_month));
    let records = ctx.tx.volunteer_records(from, to).await?;
    for record in records.iter().filter(|record| record.done_in_period > 0) {
        let text = Text::new("thanks-monthly")
            .arg("count", record.done_in_period)
            .arg("total", record.done);
        ctx.send_private(record.person, |lang| Message::new(lang, text)).await?;
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CheckIn {
    /// Thirty days since the last outing, nothing claimed since.
    Idle,
    /// Three days since a first outing, nothing claimed since.
    SecondOuting,
}

/// A word to the volunteers whose last outing started within the day that
/// ends `IDLE_AFTER` (or `SECOND_AFTER`) ago: run daily, each volunteer
/// meets it once. It names how many outings are open now.
async fn check_in(ctx: &mut Ctx<'_>, kind: CheckIn) -> Flow {
    let (after, id) = match kind {
        CheckIn::Idle => (IDLE_AFTER, "idle-check-in"),
        CheckIn::SecondOuting => (SECOND_AFTER, "second-outing"),
    };
    let window = (ctx.now - after - Duration::days(1))..(ctx.now - after);
    let today = ctx.now.with_timezone(&ctx.deps.policy.timezone).date_naive();
    let due = |record: &VolunteerRecord| {
        let first_only = kind == CheckIn::Idle || record.done == 1;
        let last = record.last_done.is_some_and(|last| window.contains(&last));
        let paused = record.paused_until.is_some_and(|until| until >= today);
        first_only && last && record.held == 0 && !paused
    };
    let records = ctx.tx.volunteer_records(ctx.now, ctx.now).await?;
    let open = ctx.tx.open_offers().await?;
    let open = count(open.iter().filter(|offer| offer.start > ctx.now).count());
    for record in records.iter().filter(|record| due(record)) {
        let text = Text::new(id).arg("open", open);
        ctx.send_private(record.person, |lang| Message::new(lang, text)).await?;
    }
    Ok(())
}
