//! Creating an offer, in one line or step by step, up to the moment it is
//! published (see `publish`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::choices::read_duration;
use super::context::{Ctx, Flow, Stop, refuse};
use super::dialogue::{self, Choice, Dialogue, Env, Finished, Next, Question, Reply, Step};
use super::effect::{Arg, Text};
use super::model::{ElderId, Need, Offer, OfferKind, OfferNo};
use super::parse;
use super::render;
use super::store::StoreError;

/// An offer as the coordinator describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferDraft {
    pub elder: ElderId,
    pub kind: OfferKind,
    pub start: DateTime<Utc>,
    pub duration_min: i64,
    pub destination: String,
    pub needs: Vec<Need>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum OfferDialogue {
    AskElder,
    AskKind { elder: ElderId },
    AskWhen { elder: ElderId, kind: OfferKind },
    AskDuration { elder: ElderId, kind: OfferKind, start: DateTime<Utc> },
    AskDestination { elder: ElderId, kind: OfferKind, start: DateTime<Utc>, duration_min: i64 },
    AskNeeds { draft: OfferDraft },
    Confirm { draft: OfferDraft },
}

impl OfferDialogue {
    pub(crate) fn question(&self) -> Question {
        match self {
            OfferDialogue::AskElder => Question::new("elder", Text::new("offer-ask-elder")),
            OfferDialogue::AskKind { .. } => {
                let choices = OfferKind::ALL
                    .iter()
                    .map(|&kind| Choice::new(kind.as_str(), render::kind(kind)));
                Question::new("kind", Text::new("offer-ask-kind")).choices(choices.collect())
            }
            OfferDialogue::AskWhen { .. } => Question::new("when", Text::new("offer-ask-when")),
            OfferDialogue::AskDuration { .. } => {
                let choices = [60, 120, 180, 240]
                    .map(|minutes| Choice::new(minutes.to_string(), render::duration(minutes)));
                Question::new("duration", Text::new("offer-ask-duration")).choices(choices.to_vec())
            }
            OfferDialogue::AskDestination { .. } => {
                Question::new("destination", Text::new("offer-ask-destination"))
            }
            OfferDialogue::AskNeeds { draft } => needs_question(&draft.needs),
            OfferDialogue::Confirm { draft } => confirm_question(draft),
        }
    }

    pub(crate) fn next(self, reply: Reply<'_>, env: &Env<'_>) -> Step<Self> {
        let next = match self {
            OfferDialogue::AskElder => receive_elder(reply)?,
            OfferDialogue::AskKind { elder } => receive_kind(elder, reply)?,
            OfferDialogue::AskWhen { elder, kind } => receive_when(elder, kind, reply, env)?,
            OfferDialogue::AskDuration { elder, kind, start } => {
                let duration_min = receive_duration(reply, env)?;
                OfferDialogue::AskDestination { elder, kind, start, duration_min }
            }
            OfferDialogue::AskDestination { elder, kind, start, duration_min } => {
                let destination = reply.text().ok_or(Text::new("answer-text"))?;
                let destination = destination.chars().take(200).collect();
                let draft =
                    OfferDraft { elder, kind, start, duration_min, destination, needs: Vec::new() };
                OfferDialogue::AskNeeds { draft }
            }
            OfferDialogue::AskNeeds { draft } => receive_need(draft, reply)?,
            OfferDialogue::Confirm { draft } => return receive_confirmation(draft, reply),
        };
        Ok(Next::Ask(next))
    }
}

fn receive_elder(reply: Reply<'_>) -> Result<OfferDialogue, Text> {
    let typed = reply.text().unwrap_or_default();
    let elder = parse::id_number(&typed).ok_or(Text::new("answer-elder"))?;
    Ok(OfferDialogue::AskKind { elder: ElderId(elder) })
}

fn receive_kind(elder: ElderId, reply: Reply<'_>) -> Result<OfferDialogue, Text> {
    let kind = match reply {
        Reply::Choice(value) => value.parse().ok(),
        Reply::Text(text) => parse::kind(text),
        Reply::Location(_) => None,
    };
    Ok(OfferDialogue::AskWhen { elder, kind: kind.ok_or(Text::new("answer-pick-one"))? })
}

/// The start is checked at once, so that a date in the past is typed again
/// rather than found out after every other answer.
fn receive_when(
    elder: ElderId,
    kind: OfferKind,
    reply: Reply<'_>,
    env: &Env<'_>,
) -> Result<OfferDialogue, Text> {
    let typed = reply.text().unwrap_or_default();
    let zone = env.policy.timezone;
    let start = parse::when(&typed, env.now, zone).ok_or(Text::new("answer-when"))?;
    if start <= env.now {
        return Err(Text::new("offer-in-past").arg("start", Arg::Time(start)));
    }
    Ok(OfferDialogue::AskDuration { elder, kind, start })
}

fn receive_duration(reply: Reply<'_>, env: &Env<'_>) -> Result<i64, Text> {
    let duration_min = read_duration(reply).ok_or(Text::new("answer-duration"))?;
    let max = env.policy.max_duration_min;
    if duration_min > max {
        return Err(Text::new("offer-too-long").arg("hours", max / 60));
    }
    Ok(duration_min)
}

fn receive_need(mut draft: OfferDraft, reply: Reply<'_>) -> Result<OfferDialogue, Text> {
    match read_need(reply).ok_or(Text::new("answer-pick-one"))? {
        Some(need) => {
            if !draft.needs.contains(&need) {
                draft.needs.push(need);
            }
            Ok(OfferDialogue::AskNeeds { draft })
        }
        None => Ok(OfferDialogue::Confirm { draft }),
    }
}

fn receive_confirmation(draft: OfferDraft, reply: Reply<'_>) -> Step<OfferDialogue> {
    match reply {
        Reply::Choice("publish") => Ok(Next::Done(Finished::Offer(draft))),
        Reply::Choice("discard") => Ok(Next::Stop(Text::new("offer-discarded"))),
        _ => Err(Text::new("answer-pick-one")),
    }
}

fn needs_question(chosen: &[Need]) -> Question {
    let remaining = Need::ALL.iter().filter(|need| !chosen.contains(need));
    let mut choices: Vec<Choice> =
        remaining.map(|&need| Choice::new(need.as_str(), render::need(need))).collect();
    let done = if chosen.is_empty() { "choice-no-need" } else { "choice-done" };
    choices.push(Choice::new("done", Text::new(done)));
    let text = Text::new("offer-ask-needs").arg("needs", render::needs(chosen));
    Question::new("needs", text).choices(choices)
}

fn confirm_question(draft: &OfferDraft) -> Question {
    let text = Text::new("offer-confirm")
        .arg("elder", draft.elder.0)
        .arg("kind", render::kind(draft.kind))
        .arg("start", Arg::Time(draft.start))
        .arg("duration", render::duration(draft.duration_min))
        .arg("destination", draft.destination.clone())
        .arg("needs", render::needs(&draft.needs));
    let choices = vec![
        Choice::new("publish", Text::new("choice-publish")),
        Choice::new("discard", Text::new("choice-discard")),
    ];
    Question::new("confirm", text).choices(choices)
}

/// `Some(None)` is "no (more) needs".
fn read_need(reply: Reply<'_>) -> Option<Option<Need>> {
    let (Reply::Choice(typed) | Reply::Text(typed)) = reply else { return None };
    let typed = typed.trim();
    if ["done", "none", "aucun", "non", "no", "-"].contains(&typed) {
        return Some(None);
    }
    typed.parse().ok().or_else(|| parse::need(typed)).map(Some)
}

/// Checks against the store, as soon as the answer is in: that the elder
/// exists, and that the week of the chosen day has room for an outing.
pub(crate) async fn check(ctx: &mut Ctx<'_>, state: &OfferDialogue) -> Flow<Result<(), Text>> {
    match state {
        OfferDialogue::AskKind { elder } => match super::publish::elder(ctx, *elder).await {
            Ok(_) => Ok(Ok(())),
            Err(Stop::Refuse(problem)) => Ok(Err(problem)),
            Err(stop) => Err(stop),
        },
        OfferDialogue::AskDuration { elder, kind, start } => {
            let taken = super::publish::week_taken(ctx, *elder, *kind, *start).await?;
            Ok(taken.map_or(Ok(()), Err))
        }
        _ => Ok(Ok(())),
    }
}

/// `offer_new` alone starts the dialogue; with arguments it reads
/// `ELDER KIND DATE TIME DURATION DESTINATION [+need…]`.
pub(crate) async fn create(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    if args.trim().is_empty() {
        return dialogue::start(ctx, Dialogue::OfferNew(OfferDialogue::AskElder)).await;
    }
    let env = ctx.env();
    match one_line(args, &env) {
        Ok(draft) => super::publish::publish(ctx, draft).await,
        Err(problem) => refuse(problem),
    }
}

fn one_line(args: &str, env: &Env<'_>) -> Result<OfferDraft, Text> {
    let usage = || Text::new("usage-offer-new");
    let words: Vec<&str> = args.split_whitespace().collect();
    let [elder, kind, day, hour, duration, rest @ ..] = words.as_slice() else {
        return Err(usage());
    };
    let elder = ElderId(parse::id_number(elder).ok_or_else(usage)?);
    let kind = parse::kind(kind).ok_or(Text::new("answer-kind"))?;
    let start = parse::when(&format!("{day} {hour}"), env.now, env.policy.timezone)
        .ok_or(Text::new("answer-when"))?;
    let duration_min = parse::duration_min(duration).ok_or(Text::new("answer-duration"))?;
    let (needs, destination): (Vec<&str>, Vec<&str>) =
        rest.iter().partition(|word| word.starts_with('+'));
    let needs = needs
        .iter()
        .map(|word| parse::need(&word[1..]).ok_or(Text::new("answer-need")))
        .collect::<Result<Vec<_>, _>>()?;
    let destination: String = destination.join(" ").chars().take(200).collect();
    if destination.is_empty() && kind != OfferKind::ConvivialCall {
        return Err(usage());
    }
    Ok(OfferDraft { elder, kind, start, duration_min, destination, needs })
}

/// The offer, or a refusal naming the unknown number.
pub(crate) async fn find(ctx: &mut Ctx<'_>, number: OfferNo) -> Flow<Offer> {
    match ctx.tx.offer(number).await {
        Ok(offer) => Ok(offer),
        Err(StoreError::NotFound) => refuse(Text::new("offer-unknown").arg("number", number.0)),
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::policy::Policy;
    use crate::geography::Geography;
    use chrono::TimeZone;
    use std::sync::LazyLock;

    static POLICY: LazyLock<Policy> = LazyLock::new(Policy::default);

    fn env(geography: &Geography) -> Env<'_> {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        Env { now, policy: &POLICY, geography, looked_up: None, min_score: 1.0 }
    }

    #[test]
    fn one_line_reads_needs_and_destination() {
        let geography = Geography::default();
        let line = "4 medical 10/12 14h30 2h Hôpital Saint-Antoine +fauteuil";
        let draft = one_line(line, &env(&geography)).unwrap();
        assert_eq!(draft.elder, ElderId(4));
        assert_eq!(draft.destination, "Hôpital Saint-Antoine");
        assert_eq!(draft.needs, vec![Need::Wheelchair]);
        assert_eq!(draft.start.to_rfc3339(), "2026-12-10T13:30:00+00:00");
    }

    #[test]
    fn one_line_refuses_what_it_cannot_read() {
        let geography = Geography::default();
        for line in ["4 medical", "x medical 10/12 14h 2h Gare", "4 flying 10/12 14h 2h Gare"] {
            assert!(one_line(line, &env(&geography)).is_err(), "{line}");
        }
    }

    #[test]
    fn the_dialogue_walks_to_confirmation() {
        let geography = Geography::default();
        let env = env(&geography);
        let mut state = OfferDialogue::AskElder;
        for reply in [
            Reply::Text("4"),
            Reply::Choice("medical"),
            Reply::Text("10/12 14:30"),
            Reply::Choice("120"),
            Reply::Text("Hôpital"),
            Reply::Choice("wheelchair"),
            Reply::Choice("done"),
        ] {
            let Ok(Next::Ask(next)) = state.next(reply, &env) else { panic!("{reply:?}") };
            state = next;
        }
        assert!(matches!(state, OfferDialogue::Confirm { .. }));
        let done = state.next(Reply::Choice("publish"), &env);
        assert!(matches!(done, Ok(Next::Done(Finished::Offer(_)))));
    }
}
