//! Core messages as Telegram shows them: HTML text, split at the length
//! Telegram accepts, and an inline keyboard.

use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::core::effect::{Action, Message};
use crate::i18n::{Localizer, escape_html};

/// Telegram refuses messages longer than this many characters.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// A message ready for `sendMessage` with `parse_mode = HTML`: one or more
/// parts, the keyboard going under the last one.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub parts: Vec<String>,
    pub keyboard: Option<InlineKeyboardMarkup>,
}

/// Renders a message for the bot whose username is `bot`, which deep
/// links name.
pub fn message(localizer: &Localizer, message: &Message, bot: &str) -> Rendered {
    let text = localizer.render_message_escaped(message, escape_html);
    Rendered { parts: split(&text, MAX_MESSAGE_CHARS), keyboard: keyboard(localizer, message, bot) }
}

fn keyboard(localizer: &Localizer, message: &Message, bot: &str) -> Option<InlineKeyboardMarkup> {
    if message.buttons.is_empty() {
        return None;
    }
    let rows = message.buttons.iter().map(|row| {
        let buttons = row.iter().filter_map(|button| {
            // Button labels are plain text on Telegram: no escaping.
            let label = localizer.render(message.lang, &button.label);
            match &button.action {
                Action::Press(data) => Some(InlineKeyboardButton::callback(label, data.clone())),
                Action::StartPrivate(payload) => {
                    let link = deep_link(bot, payload)?;
                    Some(InlineKeyboardButton::url(label, link))
                }
            }
        });
        buttons.collect::<Vec<_>>()
    });
    Some(InlineKeyboardMarkup::new(rows))
}

/// `https://t.me/BOT?start=PAYLOAD`, which opens a private chat with the
/// bot and sends `/start PAYLOAD` when the person presses Start.
pub fn deep_link(bot: &str, payload: &str) -> Option<url::Url> {
    let mut link = url::Url::parse("https://t.me/").ok()?.join(bot).ok()?;
    link.query_pairs_mut().append_pair("start", payload);
    Some(link)
}

/// Cuts a text into parts of at most `max` characters, at paragraph
/// breaks, then line breaks, then anywhere outside an HTML entity.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text.trim_end();
    while rest.chars().count() > max {
        let cut = cut_point(rest, max);
        parts.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start_matches('\n');
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_owned());
    }
    parts
}

/// The byte index at which to cut: the last break within `max`
/// characters, or failing that the last character boundary that does not
/// fall inside an entity such as `&amp;`.
fn cut_point(text: &str, max: usize) -> usize {
    let limit = text.char_indices().nth(max).map_or(text.len(), |(index, _)| index);
    let head = &text[..limit];
    if let Some(index) = head.rfind("\n\n").filter(|index| *index > 0) {
        return index;
    }
    if let Some(index) = head.rfind('\n').filter(|index| *index > 0) {
        return index;
    }
    match head.rfind('&') {
        Some(amp) if !head[amp..].contains(';') && amp > 0 => amp,
        _ => limit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::effect::{Button, Text};
    use crate::core::model::Lang;

    fn localizer() -> Localizer {
        Localizer::new(chrono_tz::Europe::Paris).unwrap()
    }

    #[test]
    fn what_people_write_is_escaped_and_the_template_is_not() {
        let text = Text::new("welcome-verified").arg("name", "<b>Bob</b> & co");
        let rendered = message(&localizer(), &Message::new(Lang::En, text), "compagnie_bot");
        assert_eq!(rendered.parts, ["Welcome &lt;b&gt;Bob&lt;/b&gt; &amp; co!"]);
        assert_eq!(rendered.keyboard, None);
    }

    #[test]
    fn buttons_become_callbacks_and_deep_links() {
        let claim = Button::press(Text::new("button-claim"), "claim:142");
        let start = Button {
            label: Text::new("button-sign-up"),
            action: Action::StartPrivate(format!("claim-{}", 142)),
        };
        let message = Message::new(Lang::Fr, Text::new("offer-post-open")).row(vec![claim, start]);
        let keyboard = super::message(&localizer(), &message, "compagnie_bot").keyboard.unwrap();
        let json = serde_json::to_value(&keyboard).unwrap();
        let row = &json["inline_keyboard"][0];
        assert_eq!(row[0]["text"], "Je prends");
        assert_eq!(row[0]["callback_data"], "claim:142");
        assert_eq!(row[1]["url"], "https://t.me/compagnie_bot?start=claim-142");
    }

    #[test]
    fn long_texts_are_split_at_breaks_and_never_inside_an_entity() {
        let paragraphs = ["a".repeat(3000), "b".repeat(3000)].join("\n\n");
        let parts = split(&paragraphs, 4096);
        assert_eq!(parts, ["a".repeat(3000), "b".repeat(3000)]);

        let one_line = format!("{}&amp;{}", "x".repeat(4093), "y".repeat(10));
        let parts = split(&one_line, 4096);
        assert_eq!(parts[0], "x".repeat(4093));
        assert!(parts[1].starts_with("&amp;"));
        assert!(parts.iter().all(|part| part.chars().count() <= 4096));

        let accents = "é".repeat(5000);
        let parts = split(&accents, 4096);
        assert_eq!(parts.iter().map(|part| part.chars().count()).sum::<usize>(), 5000);
    }
}
