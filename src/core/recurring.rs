//! Recurring jobs: one pending occurrence of each, planned at start-up
//! and, once done, planned again for the next. After downtime the
//! occurrence that fell due is done once, late, and the next is planned
//! from now: missed occurrences are not done in a burst, and the log says
//! how many there were.

use chrono::Duration;

use super::Core;
use super::context::{Ctx, Flow};
use super::effect::{Effect, Message, Text};
use super::job::{Job, JobKind, NewJob};
use super::model::GroupKind;
use super::publish::place_name;
use super::render;
use super::store::StoreError;

/// Outings listed one by one in the digest; more are counted.
const LISTED: usize = 15;

/// An unclaimed outing starting within this is urgent in the digest.
const URGENT: Duration = Duration::hours(48);

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
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let urgent = open.iter().filter(|offer| offer.start - ctx.now < URGENT).count();
    let head = Text::new("staff-digest")
        .arg("unclaimed", count(open.len()))
        .arg("urgent", count(urgent))
        .arg("reports", waiting.reports_missing)
        .arg("alerts", waiting.open_alerts);
    let lines: Vec<Text> = open
        .iter()
        .take(LISTED)
        .map(|offer| render::summary(offer, place_name(&ctx.deps.geography, offer)))
        .collect();
    let more = open.len().saturating_sub(LISTED);
    let rooms = ctx.tx.groups_of_kind(GroupKind::Staff).await?;
    for room in rooms {
        let mut message = Message::new(room.lang, head.clone());
        for line in &lines {
            message = message.then(line.clone());
        }
        if more > 0 {
            message = message.then(Text::new("staff-digest-more").arg("count", count(more)));
        }
        ctx.push(Effect::Send { chat: room.chat, message });
    }
    Ok(())
}

/// Delivered messages past the retention period leave the store: the
/// handovers of contact details among them.
async fn purge(ctx: &mut Ctx<'_>) -> Flow {
    let before = ctx.now - Duration::days(ctx.deps.policy.retention_days);
    let removed = ctx.tx.purge_outbox(before).await?;
    tracing::info!(removed, "delivered messages past their retention removed");
    Ok(())
}
