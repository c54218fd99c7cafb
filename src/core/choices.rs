//! Questions more than one dialogue asks, and how their answers are read.

use super::dialogue::{Choice, Question, Reply};
use super::effect::Text;
use super::model::Outcome;
use super::parse;
use super::render;

/// Yes and no, the most common pair of choices.
pub(crate) fn yes_no() -> Vec<Choice> {
    vec![Choice::new("yes", Text::new("choice-yes")), Choice::new("no", Text::new("choice-no"))]
}

/// Reads a yes or no reply, typed in either language.
pub(crate) fn read_yes_no(reply: Reply<'_>) -> Option<bool> {
    let typed = match reply {
        Reply::Choice(value) => value.to_owned(),
        Reply::Text(text) => text.trim().to_lowercase(),
        Reply::Location(_) => return None,
    };
    match typed.as_str() {
        "yes" | "oui" | "y" | "o" => Some(true),
        "no" | "non" | "n" => Some(false),
        _ => None,
    }
}

/// Whether an outing took place, asked of the volunteer and the elder.
pub(crate) fn outcome_question(text: Text) -> Question {
    let choices =
        Outcome::ALL.iter().map(|&outcome| Choice::new(outcome.as_str(), render::outcome(outcome)));
    Question::new("outcome", text).choices(choices.collect())
}

pub(crate) fn read_outcome(reply: Reply<'_>) -> Option<Outcome> {
    match reply {
        Reply::Choice(value) => value.parse().ok(),
        _ => None,
    }
}

/// How it went, from 0 (very bad) to 4 (very good).
pub(crate) fn rating_question(text: Text) -> Question {
    let choices = (0..=4).map(|rating: i64| {
        Choice::new(rating.to_string(), Text::new("rating-value").arg("rating", rating))
    });
    Question::new("rating", text).choices(choices.collect())
}

pub(crate) fn read_rating(reply: Reply<'_>) -> Option<u8> {
    let (Reply::Choice(typed) | Reply::Text(typed)) = reply else { return None };
    typed.trim().parse().ok().filter(|rating| *rating <= 4)
}

/// A duration chosen or typed; button data is checked like typed text,
/// since a client can send any.
pub(crate) fn read_duration(reply: Reply<'_>) -> Option<i64> {
    let (Reply::Choice(typed) | Reply::Text(typed)) = reply else { return None };
    parse::duration_min(typed)
}

/// Durations offered as buttons.
pub(crate) fn duration_choices(minutes: &[i64]) -> Vec<Choice> {
    minutes
        .iter()
        .map(|&minutes| Choice::new(minutes.to_string(), render::duration(minutes)))
        .collect()
}
