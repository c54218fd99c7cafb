//! The report a volunteer gives after an outing, and the alert it raises
//! when they are worried about the elder.

use serde::{Deserialize, Serialize};

use super::context::{Ctx, Flow, refuse};
use super::dialogue::{self, Choice, Dialogue, Next, Question, Reply, Step, read_yes_no, yes_no};
use super::effect::{Arg, Text};
use super::feedback;
use super::model::{
    Alert, AlertId, Concern, GroupKind, Offer, OfferNo, OfferStatus, Outcome, Report,
};
use super::parse;
use super::render;
use super::store::Transition;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDialogue {
    pub offer: OfferNo,
    pub step: ReportStep,
}

/// The answers gathered before the concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    pub outcome: Outcome,
    pub duration_min: Option<i64>,
    pub rating: Option<u8>,
    pub entered_home: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ReportStep {
    AskOutcome,
    AskDuration { outcome: Outcome },
    AskRating { outcome: Outcome, duration_min: i64 },
    AskEnteredHome { outcome: Outcome, duration_min: Option<i64>, rating: Option<u8> },
    AskConcerns { answers: Answers, concerns: Vec<Concern> },
    AskNote { answers: Answers, concerns: Vec<Concern> },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ReportAnswers {
    pub offer: OfferNo,
    pub answers: Answers,
    pub concerns: Vec<Concern>,
    pub note: Option<String>,
}

const DURATIONS: [i64; 4] = [60, 90, 120, 180];

impl ReportDialogue {
    pub(crate) fn new(offer: OfferNo) -> Self {
        Self { offer, step: ReportStep::AskOutcome }
    }

    pub(crate) fn question(&self) -> Question {
        match &self.step {
            ReportStep::AskOutcome => {
                let text = Text::new("report-ask-outcome").arg("number", self.offer.0);
                let choices = Outcome::ALL
                    .iter()
                    .map(|&outcome| Choice::new(outcome.as_str(), render::outcome(outcome)));
                Question::new("outcome", text).choices(choices.collect())
            }
            ReportStep::AskDuration { .. } => {
                let choices = DURATIONS
                    .iter()
                    .map(|&minutes| Choice::new(minutes.to_string(), render::duration(minutes)));
                Question::new("duration", Text::new("report-ask-duration"))
                    .choices(choices.collect())
            }
            ReportStep::AskRating { .. } => Question::new("rating", Text::new("report-ask-rating"))
                .choices((0..=4).map(rating_choice).collect()),
            ReportStep::AskEnteredHome { .. } => {
                Question::new("home", Text::new("report-ask-entered-home")).choices(yes_no())
            }
            ReportStep::AskConcerns { concerns, .. } => concern_question(concerns),
            ReportStep::AskNote { .. } => Question::new("note", Text::new("report-ask-note")),
        }
    }

    pub(crate) fn next(self, reply: Reply<'_>) -> Step<Self> {
        let offer = self.offer;
        let ask = |step| Ok(Next::Ask(ReportDialogue { offer, step }));
        match self.step {
            ReportStep::AskOutcome => match read_outcome(reply) {
                Some(Outcome::TookPlace) => {
                    ask(ReportStep::AskDuration { outcome: Outcome::TookPlace })
                }
                Some(outcome) => {
                    ask(ReportStep::AskEnteredHome { outcome, duration_min: None, rating: None })
                }
                None => Err(Text::new("answer-pick-one")),
            },
            ReportStep::AskDuration { outcome } => match read_duration(reply) {
                Some(duration_min) => ask(ReportStep::AskRating { outcome, duration_min }),
                None => Err(Text::new("answer-duration")),
            },
            ReportStep::AskRating { outcome, duration_min } => match read_rating(reply) {
                Some(rating) => ask(ReportStep::AskEnteredHome {
                    outcome,
                    duration_min: Some(duration_min),
                    rating: Some(rating),
                }),
                None => Err(Text::new("answer-rating")),
            },
            ReportStep::AskEnteredHome { outcome, duration_min, rating } => {
                let Some(entered_home) = read_yes_no(reply) else {
                    return Err(Text::new("answer-yes-no"));
                };
                let answers = Answers { outcome, duration_min, rating, entered_home };
                ask(ReportStep::AskConcerns { answers, concerns: Vec::new() })
            }
            ReportStep::AskConcerns { answers, mut concerns } => match read_concern(reply) {
                Some(None) if concerns.is_empty() => {
                    Ok(Next::Done(dialogue::Finished::Report(ReportAnswers {
                        offer,
                        answers,
                        concerns,
                        note: None,
                    })))
                }
                Some(None) => ask(ReportStep::AskNote { answers, concerns }),
                Some(Some(concern)) => {
                    if !concerns.contains(&concern) {
                        concerns.push(concern);
                    }
                    ask(ReportStep::AskConcerns { answers, concerns })
                }
                None => Err(Text::new("answer-pick-one")),
            },
            ReportStep::AskNote { answers, concerns } => {
                let note = reply.text();
                let done = ReportAnswers { offer, answers, concerns, note };
                Ok(Next::Done(dialogue::Finished::Report(done)))
            }
        }
    }
}

fn rating_choice(rating: u8) -> Choice {
    Choice::new(rating.to_string(), Text::new("rating-value").arg("rating", i64::from(rating)))
}

fn concern_question(chosen: &[Concern]) -> Question {
    let text = if chosen.is_empty() {
        Text::new("report-ask-concerns")
    } else {
        let chosen = chosen.iter().copied().map(render::concern).collect();
        Text::new("report-ask-more-concerns").arg("chosen", Arg::List(chosen))
    };
    let remaining = Concern::ALL.iter().filter(|concern| !chosen.contains(concern));
    let mut choices: Vec<Choice> =
        remaining.map(|&concern| Choice::new(concern.as_str(), render::concern(concern))).collect();
    let done = if chosen.is_empty() { "choice-no-concern" } else { "choice-done" };
    choices.push(Choice::new("done", Text::new(done)));
    Question::new("concern", text).choices(choices)
}

fn read_outcome(reply: Reply<'_>) -> Option<Outcome> {
    match reply {
        Reply::Choice(value) => value.parse().ok(),
        _ => None,
    }
}

fn read_duration(reply: Reply<'_>) -> Option<i64> {
    match reply {
        Reply::Choice(value) => value.parse().ok(),
        Reply::Text(text) => parse::duration_min(text),
        Reply::Location(_) => None,
    }
}

fn read_rating(reply: Reply<'_>) -> Option<u8> {
    let (Reply::Choice(typed) | Reply::Text(typed)) = reply else { return None };
    typed.trim().parse().ok().filter(|rating| *rating <= 4)
}

/// `Some(None)` is "no (more) concerns".
fn read_concern(reply: Reply<'_>) -> Option<Option<Concern>> {
    let (Reply::Choice(typed) | Reply::Text(typed)) = reply else { return None };
    let typed = typed.trim();
    if ["done", "none", "aucune", "aucun", "fini", "non", "no"].contains(&typed) {
        return Some(None);
    }
    typed.parse().ok().or_else(|| parse::concern(typed)).map(Some)
}

/// `report N`: starts the report for an outing the sender holds.
pub(crate) async fn start(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("usage-report"));
    };
    let me = ctx.person()?;
    let offer = super::offer::find(ctx, number).await?;
    let held = matches!(offer.status, OfferStatus::Claimed | OfferStatus::Confirmed);
    if offer.claimant != Some(me.id) || !held {
        return refuse(Text::new("report-not-yours").arg("number", number.0));
    }
    if offer.start > ctx.now {
        let text = Text::new("report-too-early").arg("number", number.0);
        return refuse(text.arg("start", Arg::Time(offer.start)));
    }
    dialogue::start(ctx, Dialogue::Report(ReportDialogue::new(number))).await
}

/// Stores the report, closes the outing, and tells the staff what needs
/// their attention.
pub(crate) async fn finish(ctx: &mut Ctx<'_>, done: ReportAnswers) -> Flow {
    let me = ctx.person()?;
    let offer = super::offer::find(ctx, done.offer).await?;
    let report = Report {
        offer: done.offer,
        person: me.id,
        outcome: done.answers.outcome,
        duration_min: done.answers.duration_min,
        rating: done.answers.rating,
        entered_home: done.answers.entered_home,
        concerns: done.concerns,
        note: done.note,
        at: ctx.now,
    };
    ctx.tx.insert_report(&report).await?;
    let change = Transition {
        offer: offer.number,
        from: offer.status,
        to: OfferStatus::Done,
        claimant: offer.claimant,
        by: me.id,
        at: ctx.now,
    };
    if ctx.tx.transition(&change).await? {
        let done = Offer { status: OfferStatus::Done, ..offer.clone() };
        super::publish::refresh_posts(ctx, &done, None).await?;
    }
    if !report.concerns.is_empty() {
        raise_alert(ctx, &report, offer.elder).await?;
    }
    if report.entered_home {
        let text = Text::new("staff-entered-home").arg("number", offer.number.0);
        super::group::tell_room(ctx, GroupKind::Staff, text).await?;
    }
    if let Some(feedback) = ctx.tx.feedback(offer.number).await? {
        feedback::flag_if_divergent(ctx, &report, &feedback).await?;
    }
    ctx.reply_text(Text::new("report-thanks").arg("number", offer.number.0));
    Ok(())
}

async fn raise_alert(ctx: &mut Ctx<'_>, report: &Report, elder: super::model::ElderId) -> Flow {
    let alert = Alert {
        id: AlertId(0),
        offer: report.offer,
        elder,
        raised_by: report.person,
        concerns: report.concerns.clone(),
        note: report.note.clone(),
        referred: false,
        at: ctx.now,
    };
    let id = ctx.tx.insert_alert(&alert).await?;
    let concerns = report.concerns.iter().copied().map(render::concern).collect();
    let text = Text::new("alert-raised")
        .arg("alert", id.0)
        .arg("number", report.offer.0)
        .arg("elder", elder.0)
        .arg("concerns", Arg::List(concerns))
        .arg("note", report.note.clone().unwrap_or_default());
    let told = super::group::tell_room(ctx, GroupKind::MedicoSocial, text.clone()).await?;
    if !told {
        super::group::tell_room(ctx, GroupKind::Staff, text).await?;
    }
    Ok(())
}
