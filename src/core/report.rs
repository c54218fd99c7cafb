//! The report a volunteer gives after an outing, and the alert it raises
//! when they are worried about the elder.

use serde::{Deserialize, Serialize};

use super::choices::{
    duration_choices, outcome_question, rating_question, read_duration, read_outcome, read_rating,
    read_yes_no, yes_no,
};
use super::context::{Ctx, Flow, refuse};
use super::dialogue::{self, Choice, Dialogue, Finished, Next, Question, Reply, Step};
use super::effect::{Arg, Text};
use super::feedback;
use super::model::{
    Alert, AlertId, Concern, GroupKind, Offer, OfferNo, OfferStatus, Outcome, PersonId, Report,
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

/// Where an answer leads: the next question, or the end.
enum Then {
    Ask(ReportStep),
    Done { answers: Answers, concerns: Vec<Concern>, note: Option<String> },
}

impl ReportDialogue {
    pub(crate) fn new(offer: OfferNo) -> Self {
        Self { offer, step: ReportStep::AskOutcome }
    }

    pub(crate) fn question(&self) -> Question {
        match &self.step {
            ReportStep::AskOutcome => {
                outcome_question(Text::new("report-ask-outcome").arg("number", self.offer.0))
            }
            ReportStep::AskDuration { .. } => {
                Question::new("duration", Text::new("report-ask-duration"))
                    .choices(duration_choices(&DURATIONS))
            }
            ReportStep::AskRating { .. } => rating_question(Text::new("report-ask-rating")),
            ReportStep::AskEnteredHome { .. } => {
                Question::new("home", Text::new("report-ask-entered-home")).choices(yes_no())
            }
            ReportStep::AskConcerns { concerns, .. } => concern_question(concerns),
            ReportStep::AskNote { .. } => Question::new("note", Text::new("report-ask-note")),
        }
    }

    pub(crate) fn next(self, reply: Reply<'_>) -> Step<Self> {
        let then = match self.step {
            ReportStep::AskOutcome => receive_outcome(reply),
            ReportStep::AskDuration { outcome } => receive_duration(outcome, reply),
            ReportStep::AskRating { outcome, duration_min } => {
                receive_rating(outcome, duration_min, reply)
            }
            ReportStep::AskEnteredHome { outcome, duration_min, rating } => receive_entered_home(
                Answers { outcome, duration_min, rating, entered_home: false },
                reply,
            ),
            ReportStep::AskConcerns { answers, concerns } => {
                receive_concern(answers, concerns, reply)
            }
            ReportStep::AskNote { answers, concerns } => {
                Ok(Then::Done { answers, concerns, note: reply.text() })
            }
        }?;
        let offer = self.offer;
        Ok(match then {
            Then::Ask(step) => Next::Ask(ReportDialogue { offer, step }),
            Then::Done { answers, concerns, note } => {
                Next::Done(Finished::Report(ReportAnswers { offer, answers, concerns, note }))
            }
        })
    }
}

fn receive_outcome(reply: Reply<'_>) -> Result<Then, Text> {
    let step = match read_outcome(reply).ok_or(Text::new("answer-pick-one"))? {
        Outcome::TookPlace => ReportStep::AskDuration { outcome: Outcome::TookPlace },
        outcome => ReportStep::AskEnteredHome { outcome, duration_min: None, rating: None },
    };
    Ok(Then::Ask(step))
}

fn receive_duration(outcome: Outcome, reply: Reply<'_>) -> Result<Then, Text> {
    let duration_min = read_duration(reply).ok_or(Text::new("answer-duration"))?;
    Ok(Then::Ask(ReportStep::AskRating { outcome, duration_min }))
}

fn receive_rating(outcome: Outcome, duration_min: i64, reply: Reply<'_>) -> Result<Then, Text> {
    let rating = read_rating(reply).ok_or(Text::new("answer-rating"))?;
    let (duration_min, rating) = (Some(duration_min), Some(rating));
    Ok(Then::Ask(ReportStep::AskEnteredHome { outcome, duration_min, rating }))
}

/// Whether the volunteer went into the home must be answered: the charter
/// says not to, and staff need to know when it happened.
fn receive_entered_home(answers: Answers, reply: Reply<'_>) -> Result<Then, Text> {
    let entered_home = read_yes_no(reply).ok_or(Text::new("answer-yes-no"))?;
    let answers = Answers { entered_home, ..answers };
    Ok(Then::Ask(ReportStep::AskConcerns { answers, concerns: Vec::new() }))
}

fn receive_concern(
    answers: Answers,
    mut concerns: Vec<Concern>,
    reply: Reply<'_>,
) -> Result<Then, Text> {
    match read_concern(reply).ok_or(Text::new("answer-pick-one"))? {
        None if concerns.is_empty() => Ok(Then::Done { answers, concerns, note: None }),
        None => Ok(Then::Ask(ReportStep::AskNote { answers, concerns })),
        Some(concern) => {
            if !concerns.contains(&concern) {
                concerns.push(concern);
            }
            Ok(Then::Ask(ReportStep::AskConcerns { answers, concerns }))
        }
    }
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

/// `Some(None)` is "no (more) concerns".
fn read_concern(reply: Reply<'_>) -> Option<Option<Concern>> {
    let (Reply::Choice(typed) | Reply::Text(typed)) = reply else { return None };
    let typed = typed.trim();
    if ["done", "none", "aucune", "aucun", "fini", "non", "no"].contains(&typed) {
        return Some(None);
    }
    typed.parse().ok().or_else(|| parse::concern(typed)).map(Some)
}

/// Whether a person holds an offer: it is claimed or confirmed, by them.
pub(crate) fn holds(offer: &Offer, person: PersonId) -> bool {
    let held = matches!(offer.status, OfferStatus::Claimed | OfferStatus::Confirmed);
    held && offer.claimant == Some(person)
}

/// `report N`: starts the report for an outing the sender holds.
pub(crate) async fn start(ctx: &mut Ctx<'_>, args: &str) -> Flow {
    let Some(number) = parse::offer_number(args) else {
        return refuse(Text::new("usage-report"));
    };
    let me = ctx.person()?;
    let offer = super::offer::find(ctx, number).await?;
    if !holds(&offer, me.id) {
        return refuse(Text::new("report-not-yours").arg("number", number.0));
    }
    if offer.start > ctx.now {
        let text = Text::new("report-too-early").arg("number", number.0);
        return refuse(text.arg("start", Arg::Time(offer.start)));
    }
    dialogue::start(ctx, Dialogue::Report(ReportDialogue::new(number))).await
}

/// Stores the report, closes the outing, and tells the staff what needs
/// their attention. Everything is checked before anything is written: the
/// offer may have changed hands while the dialogue was open.
pub(crate) async fn finish(ctx: &mut Ctx<'_>, done: ReportAnswers) -> Flow {
    let me = ctx.person()?;
    let offer = super::offer::find(ctx, done.offer).await?;
    if !holds(&offer, me.id) || ctx.tx.report(offer.number).await?.is_some() {
        return refuse(Text::new("report-not-yours").arg("number", offer.number.0));
    }
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
    super::remind::closed(ctx, offer.number).await?;
    close_outing(ctx, &offer, report.outcome, me.id).await?;
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

/// An outing that took place is done; one that did not is cancelled, so
/// that the figures count only outings that happened.
async fn close_outing(ctx: &mut Ctx<'_>, offer: &Offer, outcome: Outcome, by: PersonId) -> Flow {
    let to = match outcome {
        Outcome::TookPlace => OfferStatus::Done,
        _ => OfferStatus::Cancelled,
    };
    let change = Transition {
        offer: offer.number,
        from: offer.status,
        to,
        claimant: offer.claimant,
        by,
        at: ctx.now,
    };
    if ctx.tx.transition(&change).await? {
        let closed = Offer { status: to, ..offer.clone() };
        super::publish::refresh_posts(ctx, &closed, None).await?;
    }
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
