//! Step-by-step conversations. Each is a state enum whose variants mirror
//! its questions, with a pure transition from one step to the next; the
//! state is stored per person and chat, so a restart resumes it.
//!
//! Answers come as a button press (`d:TAG:VALUE`), as the number of a
//! choice typed back (for platforms without buttons), or as free text.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::context::{Ctx, Flow, Stop};
use super::effect::{Button, Message, Text};
use super::elder::{ElderDialogue, ElderDraft};
use super::feedback::{FeedbackAnswers, FeedbackDialogue, ReferralAnswers, ReferralDialogue};
use super::geocode::Lookup;
use super::model::LatLon;
use super::offer::{OfferDialogue, OfferDraft};
use super::policy::Policy;
use super::profile::{ProfileChange, ProfileDialogue};
use super::report::{ReportAnswers, ReportDialogue};
use super::store::StoreError;
use crate::geography::Geography;

/// Longest free-text answer kept; longer ones are cut, not refused.
const MAX_ANSWER_CHARS: usize = 1000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dialogue", content = "state", rename_all = "snake_case")]
pub enum Dialogue {
    ElderAdd(ElderDialogue),
    OfferNew(OfferDialogue),
    Report(ReportDialogue),
    Feedback(FeedbackDialogue),
    Referral(ReferralDialogue),
    Profile(ProfileDialogue),
}

/// What a finished dialogue hands to its command.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Finished {
    Elder(ElderDraft),
    Offer(OfferDraft),
    Report(ReportAnswers),
    Feedback(FeedbackAnswers),
    Referral(ReferralAnswers),
    Profile(ProfileChange),
}

/// One answer to the current question.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Reply<'a> {
    Choice(&'a str),
    Text(&'a str),
    Location(LatLon),
}

impl Reply<'_> {
    /// Free text, trimmed and cut to a sane length; `-` means nothing.
    pub fn text(&self) -> Option<String> {
        let Reply::Text(text) = self else { return None };
        let text = text.trim();
        if text.is_empty() || text == "-" {
            return None;
        }
        Some(text.chars().take(MAX_ANSWER_CHARS).collect())
    }
}

/// A choice offered with a question.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Choice {
    pub value: String,
    pub label: Text,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: Text) -> Self {
        Self { value: value.into(), label }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Question {
    /// Names the step, so that a button left from an earlier question is
    /// recognised as stale rather than taken for an answer to this one.
    pub tag: &'static str,
    pub text: Text,
    pub choices: Vec<Choice>,
}

impl Question {
    pub fn new(tag: &'static str, text: Text) -> Self {
        Self { tag, text, choices: Vec::new() }
    }

    pub fn choices(mut self, choices: Vec<Choice>) -> Self {
        self.choices = choices;
        self
    }

    /// Reads typed text as a choice when it names one by value or number.
    fn read<'a>(&'a self, text: &'a str) -> Reply<'a> {
        let typed = text.trim();
        if let Some(choice) = self.choices.iter().find(|c| c.value.eq_ignore_ascii_case(typed)) {
            return Reply::Choice(&choice.value);
        }
        let index = typed.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
        match index.and_then(|index| self.choices.get(index)) {
            Some(choice) => Reply::Choice(&choice.value),
            None => Reply::Text(text),
        }
    }
}

/// What the next step is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Next<S> {
    Ask(S),
    Done(Finished),
    /// Ends the dialogue with nothing to do but say this.
    Stop(Text),
}

/// A transition: the next step, or why the answer was not understood.
pub(crate) type Step<S> = Result<Next<S>, Text>;

/// What the pure transitions may consult.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Env<'a> {
    pub now: DateTime<Utc>,
    pub policy: &'a Policy,
    pub geography: &'a Geography,
    /// The address this answer gives, looked up before the event began.
    pub looked_up: Option<&'a Lookup>,
    pub min_score: f64,
}

impl Dialogue {
    pub(crate) fn question(&self) -> Question {
        match self {
            Dialogue::ElderAdd(state) => state.question(),
            Dialogue::OfferNew(state) => state.question(),
            Dialogue::Report(state) => state.question(),
            Dialogue::Feedback(state) => state.question(),
            Dialogue::Referral(state) => state.question(),
            Dialogue::Profile(state) => state.question(),
        }
    }

    /// The address this reply gives, when the step takes one to look up.
    fn address_in(&self, reply: Reply<'_>) -> Option<String> {
        match self {
            Dialogue::ElderAdd(state) => state.address_in(reply),
            _ => None,
        }
    }

    pub(crate) fn next(self, reply: Reply<'_>, env: &Env<'_>) -> Step<Dialogue> {
        fn wrap<S>(step: Step<S>, into: fn(S) -> Dialogue) -> Step<Dialogue> {
            step.map(|next| match next {
                Next::Ask(state) => Next::Ask(into(state)),
                Next::Done(done) => Next::Done(done),
                Next::Stop(text) => Next::Stop(text),
            })
        }
        match self {
            Dialogue::ElderAdd(state) => wrap(state.next(reply, env), Dialogue::ElderAdd),
            Dialogue::OfferNew(state) => wrap(state.next(reply, env), Dialogue::OfferNew),
            Dialogue::Report(state) => wrap(state.next(reply), Dialogue::Report),
            Dialogue::Feedback(state) => wrap(state.next(reply), Dialogue::Feedback),
            Dialogue::Referral(state) => wrap(state.next(reply), Dialogue::Referral),
            Dialogue::Profile(state) => wrap(state.next(reply, env), Dialogue::Profile),
        }
    }
}

impl Ctx<'_> {
    pub(crate) fn env(&self) -> Env<'_> {
        let deps = self.deps;
        Env {
            now: self.now,
            policy: &deps.policy,
            geography: &deps.geography,
            looked_up: self.looked_up.as_ref(),
            min_score: deps.geocoding.min_score,
        }
    }
}

pub(crate) async fn load(ctx: &mut Ctx<'_>) -> Result<Option<Dialogue>, StoreError> {
    let Some(key) = ctx.dialogue_key() else { return Ok(None) };
    let Some(stored) = ctx.tx.dialogue(&key).await? else { return Ok(None) };
    match serde_json::from_str(&stored) {
        Ok(dialogue) => Ok(Some(dialogue)),
        Err(error) => {
            // A state written by an older version that this one cannot
            // read is dropped: the person is asked to start again. Only
            // the category is logged, as the message may quote answers.
            tracing::warn!(category = ?error.classify(), "stored dialogue unreadable, dropped");
            ctx.tx.set_dialogue(&key, None).await?;
            Ok(None)
        }
    }
}

pub(crate) async fn save(ctx: &mut Ctx<'_>, dialogue: Option<&Dialogue>) -> Flow {
    let Some(key) = ctx.dialogue_key() else { return Ok(()) };
    let state = match dialogue {
        Some(dialogue) => Some(
            serde_json::to_string(dialogue)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?,
        ),
        None => None,
    };
    ctx.tx.set_dialogue(&key, state.as_deref()).await?;
    Ok(())
}

/// Starts a dialogue (replacing any other in this chat) and asks its
/// first question.
pub(crate) async fn start(ctx: &mut Ctx<'_>, dialogue: Dialogue) -> Flow {
    save(ctx, Some(&dialogue)).await?;
    let question = dialogue.question();
    ask(ctx, &question, None);
    Ok(())
}

fn ask(ctx: &mut Ctx<'_>, question: &Question, problem: Option<Text>) {
    let mut message = match problem {
        Some(problem) => Message::new(ctx.lang, problem).then(question.text.clone()),
        None => Message::new(ctx.lang, question.text.clone()),
    };
    let buttons = question.choices.iter().map(|choice| {
        Button::press(choice.label.clone(), format!("d:{}:{}", question.tag, choice.value))
    });
    let buttons: Vec<Button> = buttons.collect();
    for row in buttons.chunks(3) {
        message = message.row(row.to_vec());
    }
    ctx.reply(message);
}

/// Something a person sent that may answer their open dialogue.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Input<'a> {
    Text(&'a str),
    Button { tag: &'a str, value: &'a str },
    Location(LatLon),
}

/// What an input did to the sender's dialogue.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Progress {
    /// There was no dialogue to answer.
    NoDialogue,
    /// The dialogue asked its next question (or the same one again).
    Asked,
    Finished(Finished),
}

/// Feeds an input to the sender's dialogue in this chat.
pub(crate) async fn on_input(ctx: &mut Ctx<'_>, input: Input<'_>) -> Flow<Progress> {
    let Some(dialogue) = load(ctx).await? else {
        if matches!(input, Input::Button { .. }) {
            ctx.answer(Some(Text::new("button-stale")));
        }
        return Ok(Progress::NoDialogue);
    };
    let question = dialogue.question();
    let reply = match input {
        Input::Text(text) => question.read(text),
        Input::Location(at) => Reply::Location(at),
        Input::Button { tag, value } if tag == question.tag => Reply::Choice(value),
        Input::Button { .. } => {
            ctx.answer(Some(Text::new("button-stale")));
            return Ok(Progress::Asked);
        }
    };
    let can_look_up = ctx.looked_up.is_none() && ctx.deps.geocoding.service.is_some();
    if let Some(address) = dialogue.address_in(reply).filter(|_| can_look_up) {
        return Err(Stop::LookUp(address));
    }
    ctx.answer(None);
    advance(ctx, dialogue, reply, &question).await
}

async fn advance(
    ctx: &mut Ctx<'_>,
    dialogue: Dialogue,
    reply: Reply<'_>,
    question: &Question,
) -> Flow<Progress> {
    let env = ctx.env();
    match dialogue.next(reply, &env) {
        Err(problem) => {
            ask(ctx, question, Some(problem));
            Ok(Progress::Asked)
        }
        Ok(Next::Ask(next)) => {
            if let Err(problem) = check(ctx, &next).await? {
                ask(ctx, question, Some(problem));
                return Ok(Progress::Asked);
            }
            let question = next.question();
            save(ctx, Some(&next)).await?;
            ask(ctx, &question, None);
            Ok(Progress::Asked)
        }
        Ok(Next::Done(finished)) => {
            save(ctx, None).await?;
            Ok(Progress::Finished(finished))
        }
        Ok(Next::Stop(text)) => {
            save(ctx, None).await?;
            ctx.reply_text(text);
            Ok(Progress::Asked)
        }
    }
}

/// Checks against the store what a pure transition cannot: that the
/// elder named in an offer exists.
async fn check(ctx: &mut Ctx<'_>, next: &Dialogue) -> Flow<Result<(), Text>> {
    match next {
        Dialogue::OfferNew(state) => super::offer::check(ctx, state).await,
        _ => Ok(Ok(())),
    }
}
