use chrono::NaiveDate;

use super::*;

fn act(who: &str, group: Option<&str>, act: Act) -> Option<Line> {
    Some(Line::Act { who: Some(who.into()), group: group.map(Into::into), act })
}

fn say(text: &str) -> Act {
    Act::Say(text.into())
}

#[test]
fn lines_that_parse() {
    let at = |h, m| NaiveDate::from_ymd_opt(2026, 12, 7).unwrap().and_hms_opt(h, m, 0).unwrap();
    let paris = LatLon { lat: 48.8652, lon: 2.378 };
    let cases: Vec<(&str, Option<Line>)> = vec![
        ("", None),
        ("   ", None),
        ("# a comment", None),
        ("time 2026-12-07 09:00", Some(Line::SetTime(at(9, 0)))),
        ("time +2d", Some(Line::Advance(TimeDelta::days(2)))),
        ("time +3h", Some(Line::Advance(TimeDelta::hours(3)))),
        ("time +30m", Some(Line::Advance(TimeDelta::minutes(30)))),
        ("@claire > /start", act("claire", None, say("/start"))),
        ("@Claire   >   !aide  ", act("claire", None, say("!aide"))),
        (
            "@claire in #paris-11 > /link_group 11",
            act("claire", Some("#paris-11"), say("/link_group 11")),
        ),
        ("@alice press claim:142", act("alice", None, Act::Press(Press::Data("claim:142".into())))),
        (
            "@alice in #paris-11 press claim:142",
            act("alice", Some("#paris-11"), Act::Press(Press::Data("claim:142".into()))),
        ),
        ("@alice press 2", act("alice", None, Act::Press(Press::Number(2)))),
        ("@alice shares 48.8652,2.3780", act("alice", None, Act::Share(paris))),
        (
            "@alice in #paris-11 shares 48.8652, 2.378",
            act("alice", Some("#paris-11"), Act::Share(paris)),
        ),
        ("@bob joins #paris-11", act("bob", None, Act::Join("#paris-11".into()))),
        ("@bob leaves #Paris-11", act("bob", None, Act::Leave("#paris-11".into()))),
        ("@alice", Some(Line::Select("alice".into()))),
        ("/claim 142", Some(Line::Act { who: None, group: None, act: say("/claim 142") })),
        ("> time to go", Some(Line::Act { who: None, group: None, act: say("time to go") })),
        ("press 2", Some(Line::Act { who: None, group: None, act: Act::Press(Press::Number(2)) })),
        (
            "in #paris-11 press claim:142",
            Some(Line::Act {
                who: None,
                group: Some("#paris-11".into()),
                act: Act::Press(Press::Data("claim:142".into())),
            }),
        ),
        (
            "joins #paris-11",
            Some(Line::Act { who: None, group: None, act: Act::Join("#paris-11".into()) }),
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(parse(line), Ok(expected), "{line}");
    }
}

#[test]
fn lines_that_are_refused_say_why() {
    let cases = [
        ("@alice says hello", ScriptError::UnknownAct("@alice".into())),
        ("@alice >", ScriptError::NothingToSay),
        (">", ScriptError::NothingToSay),
        ("@alice press", ScriptError::BadPress),
        ("@alice press 0", ScriptError::BadPress),
        ("@alice press a b", ScriptError::BadPress),
        ("@alice shares paris", ScriptError::BadLocation("paris".into())),
        ("@alice shares 95,2", ScriptError::BadLocation("95,2".into())),
        ("@bob joins paris", ScriptError::BadGroup("paris".into())),
        ("@bob in paris > hi", ScriptError::BadGroup("paris".into())),
        ("@bob in #a joins #b", ScriptError::GroupTwice("joins")),
        ("@b*b > hi", ScriptError::BadName("b*b".into())),
        ("time tomorrow", ScriptError::BadTime("tomorrow".into())),
        ("time +2w", ScriptError::BadTime("+2w".into())),
        ("time 2026-13-01 09:00", ScriptError::BadTime("2026-13-01 09:00".into())),
    ];
    for (line, expected) in cases {
        assert_eq!(parse(line), Err(expected), "{line}");
    }
}

#[test]
fn errors_read_as_advice() {
    let error = parse("@alice waves").unwrap_err().to_string();
    assert_eq!(error, "expected `>`, `press`, `shares`, `joins` or `leaves` after @alice");
}
