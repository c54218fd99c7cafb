//! The grammar of console lines, typed or read from a script. See the
//! module documentation of [`crate::console`] for the whole of it.

use chrono::{NaiveDateTime, TimeDelta};

use crate::core::model::LatLon;

/// One meaningful line.
#[derive(Clone, Debug, PartialEq)]
pub enum Line {
    /// `time 2026-12-07 09:00`: the clock set to a local time.
    SetTime(NaiveDateTime),
    /// `time +2d`: the clock moved on.
    Advance(TimeDelta),
    /// `@alice` alone: lines without a name are hers from now on.
    Select(String),
    /// Something a person does. `who` is `None` for a line without a
    /// name, which belongs to the current person; `group` is `None` in
    /// the person's private chat with the bot.
    Act { who: Option<String>, group: Option<String>, act: Act },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Act {
    /// Writes a line of text; a leading `/` or `!` makes it a command.
    Say(String),
    Press(Press),
    Share(LatLon),
    Join(String),
    Leave(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Press {
    /// The data the bot put on the button (`claim:142`).
    Data(String),
    /// The button's place on the last message with buttons, from 1.
    Number(usize),
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ScriptError {
    #[error("`{0}` is not a name: use letters, digits, `_`, `.` or `-`")]
    BadName(String),
    #[error("expected `>`, `press`, `shares`, `joins` or `leaves` after {0}")]
    UnknownAct(String),
    #[error("nothing to say after `>`")]
    NothingToSay,
    #[error("`press` needs button data (`claim:142`) or a button number from 1")]
    BadPress,
    #[error("`{0}` is not a location: write `48.8652,2.3780` (latitude, longitude)")]
    BadLocation(String),
    #[error("expected a group such as `#paris-11`, found `{0}`")]
    BadGroup(String),
    #[error("`{0}` is not a time: write `time 2026-12-07 09:00` or `time +2d`, `+3h`, `+30m`")]
    BadTime(String),
    #[error("`{0}` happens in the group itself: leave out `in #…`")]
    GroupTwice(&'static str),
}

/// Reads one line; `None` for a blank line or a comment.
pub fn parse(line: &str) -> Result<Option<Line>, ScriptError> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    if let Some(rest) = line.strip_prefix("time ") {
        return parse_time(rest.trim()).map(Some);
    }
    if let Some(rest) = line.strip_prefix('@') {
        return parse_person_line(rest).map(Some);
    }
    // The current person's actions read as they would after `@name`.
    if ["press", "shares", "joins", "leaves", "in"].contains(&split_word(line).0) {
        return parse_acting(None, line).map(Some);
    }
    let text = line.strip_prefix('>').unwrap_or(line).trim();
    if text.is_empty() {
        return Err(ScriptError::NothingToSay);
    }
    Ok(Some(Line::Act { who: None, group: None, act: Act::Say(text.to_owned()) }))
}

/// What follows the `@` of `@alice in #paris-11 press 2`.
fn parse_person_line(line: &str) -> Result<Line, ScriptError> {
    let (name, rest) = split_word(line);
    let who = check_name(name)?.to_lowercase();
    if rest.is_empty() {
        return Ok(Line::Select(who));
    }
    parse_acting(Some(who), rest)
}

/// `[in #group] ACT`, by a named person or the current one.
fn parse_acting(who: Option<String>, rest: &str) -> Result<Line, ScriptError> {
    let (group, rest) = match rest.strip_prefix("in ") {
        Some(after) => {
            let (group, rest) = split_word(after.trim_start());
            (Some(check_group(group)?), rest)
        }
        None => (None, rest),
    };
    let named = who.as_ref().map_or_else(|| "`in #group`".to_owned(), |who| format!("@{who}"));
    let act = parse_act(&named, rest)?;
    if group.is_some() && matches!(act, Act::Join(_) | Act::Leave(_)) {
        let verb = if matches!(act, Act::Join(_)) { "joins" } else { "leaves" };
        return Err(ScriptError::GroupTwice(verb));
    }
    Ok(Line::Act { who, group, act })
}

fn parse_act(who: &str, rest: &str) -> Result<Act, ScriptError> {
    if let Some(text) = rest.strip_prefix('>') {
        let text = text.trim();
        return if text.is_empty() {
            Err(ScriptError::NothingToSay)
        } else {
            Ok(Act::Say(text.into()))
        };
    }
    let (verb, argument) = split_word(rest);
    match verb {
        "press" => parse_press(argument).map(Act::Press),
        "shares" => parse_location(argument).map(Act::Share),
        "joins" => check_group(argument).map(Act::Join),
        "leaves" => check_group(argument).map(Act::Leave),
        _ => Err(ScriptError::UnknownAct(who.to_owned())),
    }
}

fn parse_press(argument: &str) -> Result<Press, ScriptError> {
    if argument.is_empty() || argument.contains(char::is_whitespace) {
        return Err(ScriptError::BadPress);
    }
    match argument.parse::<usize>() {
        Ok(0) => Err(ScriptError::BadPress),
        Ok(number) => Ok(Press::Number(number)),
        Err(_) => Ok(Press::Data(argument.to_owned())),
    }
}

/// `48.8652,2.3780`, with or without a space after the comma.
pub fn parse_location(text: &str) -> Result<LatLon, ScriptError> {
    let bad = || ScriptError::BadLocation(text.to_owned());
    let (lat, lon) = text.split_once(',').ok_or_else(bad)?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(bad());
    }
    Ok(LatLon { lat, lon })
}

fn parse_time(text: &str) -> Result<Line, ScriptError> {
    let bad = || ScriptError::BadTime(text.to_owned());
    let Some(step) = text.strip_prefix('+') else {
        let at = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").map_err(|_| bad())?;
        return Ok(Line::SetTime(at));
    };
    let split = step.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (count, unit) = step.split_at(split);
    let count: i64 = count.parse().map_err(|_| bad())?;
    let delta = match unit {
        "d" => TimeDelta::try_days(count),
        "h" => TimeDelta::try_hours(count),
        "m" => TimeDelta::try_minutes(count),
        _ => None,
    };
    delta.map(Line::Advance).ok_or_else(bad)
}

/// The first word and the rest, trimmed.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim();
    match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim_start()),
        None => (text, ""),
    }
}

fn check_name(name: &str) -> Result<&str, ScriptError> {
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '-');
    if name.is_empty() || !name.chars().all(allowed) {
        return Err(ScriptError::BadName(name.to_owned()));
    }
    Ok(name)
}

fn check_group(text: &str) -> Result<String, ScriptError> {
    let bad = || ScriptError::BadGroup(text.to_owned());
    let name = text.strip_prefix('#').ok_or_else(bad)?;
    check_name(name).map_err(|_| bad())?;
    Ok(format!("#{}", name.to_lowercase()))
}

#[cfg(test)]
mod tests;
