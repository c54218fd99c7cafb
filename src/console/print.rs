//! How the core's effects look in a terminal: where each goes, its text
//! in the recipient's language, and its buttons numbered with the data a
//! script can press.

use crate::core::effect::{Action, Message, Text};
use crate::core::model::Lang;
use crate::i18n::Localizer;

/// A new message, `id` being the console's name for it (`m4`).
pub(super) fn send(localizer: &Localizer, chat: &str, id: &str, message: &Message) -> String {
    format!("→ {chat} ({id})\n{}", body(localizer, message))
}

/// A message replaced; `id` is unknown when the post was never delivered.
pub(super) fn edit(
    localizer: &Localizer,
    chat: &str,
    id: Option<&str>,
    message: &Message,
) -> String {
    format!("✎ {chat} (message {})\n{}", id.unwrap_or("?"), body(localizer, message))
}

pub(super) fn delete(chat: &str, id: Option<&str>) -> String {
    format!("✗ {chat} (message {}) deleted", id.unwrap_or("?"))
}

pub(super) fn pin(chat: &str, id: Option<&str>) -> String {
    format!("📌 {chat} (message {}) pinned", id.unwrap_or("?"))
}

pub(super) fn removal(chat: &str, user: &str) -> String {
    format!("⊘ {chat}: @{user} removed")
}

/// The answer to a button press, shown to whoever pressed; a silent
/// answer (which only stops a client's spinner) shows nothing.
pub(super) fn answer(
    localizer: &Localizer,
    to: &str,
    lang: Lang,
    text: Option<&Text>,
) -> Option<String> {
    text.map(|text| format!("↳ {to}: {}", localizer.render(lang, text)))
}

/// What pressing a button sends: its data, or for a button that opens a
/// private chat, the command the person would find typed for them.
pub(super) fn target(action: &Action) -> String {
    match action {
        Action::Press(data) => data.clone(),
        Action::StartPrivate(payload) => format!("/start {payload}"),
    }
}

/// The text indented under its header, then one line per row of buttons,
/// numbered across rows from 1 as `press N` counts them.
fn body(localizer: &Localizer, message: &Message) -> String {
    let text = localizer.render_message(message);
    let mut lines: Vec<String> = text.lines().map(indent).collect();
    let mut number = 0;
    for row in &message.buttons {
        let labels: Vec<String> = row
            .iter()
            .map(|button| {
                number += 1;
                let label = localizer.render(message.lang, &button.label);
                format!("[{number} {label} · {}]", target(&button.action))
            })
            .collect();
        lines.push(indent(&labels.join(" ")));
    }
    lines.join("\n")
}

fn indent(line: &str) -> String {
    if line.is_empty() { String::new() } else { format!("    {line}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::effect::Button;
    use crate::i18n::Source;

    // Ids without a hyphen, kept apart from the bot's own messages.
    const EN: &str = "posted = Offer { $n } is open.\nclaim = Claim\nmute = Not for me\n\
                      begin = Open a chat\ntaken = Taken!\nthanks = Thank you.\n";

    fn localizer() -> Localizer {
        let sources = [Source { lang: Lang::En, path: "en.ftl", text: EN }];
        Localizer::with_sources(chrono_tz::Europe::Paris, &sources).unwrap()
    }

    #[test]
    fn buttons_are_numbered_across_rows_with_what_they_send() {
        let message = Message::new(Lang::En, Text::new("posted").arg("n", 142))
            .then(Text::new("thanks"))
            .row(vec![
                Button::press(Text::new("claim"), "claim:142"),
                Button::press(Text::new("mute"), "mute:142"),
            ])
            .row(vec![Button {
                label: Text::new("begin"),
                action: Action::StartPrivate("offer142".into()),
            }]);
        let shown = send(&localizer(), "#paris-11", "m4", &message);
        let expected = "→ #paris-11 (m4)\n    Offer 142 is open.\n\n    Thank you.\n    \
                        [1 Claim · claim:142] [2 Not for me · mute:142]\n    \
                        [3 Open a chat · /start offer142]";
        assert_eq!(shown, expected);
    }

    #[test]
    fn edits_name_the_message_they_replace() {
        let message = Message::new(Lang::En, Text::new("taken"));
        assert_eq!(
            edit(&localizer(), "#paris-11", Some("m3"), &message),
            "✎ #paris-11 (message m3)\n    Taken!"
        );
        assert_eq!(delete("#paris-11", None), "✗ #paris-11 (message ?) deleted");
    }

    #[test]
    fn answers_show_only_when_they_say_something() {
        let localizer = localizer();
        let taken = Text::new("taken");
        assert_eq!(
            answer(&localizer, "@alice", Lang::En, Some(&taken)).as_deref(),
            Some("↳ @alice: Taken!")
        );
        assert_eq!(answer(&localizer, "@alice", Lang::En, None), None);
    }
}
