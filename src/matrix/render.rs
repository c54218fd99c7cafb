//! Core messages as Matrix shows them: a notice with a plain body and an
//! HTML body, and for buttons, reactions to press.
//!
//! Matrix has no buttons. Each one becomes a reaction key shown under the
//! text; the keys and the data they stand for travel in the message's own
//! content, so that a reaction is read back from the message it reacts
//! to, with nothing kept on the side. Choices in a dialogue are numbered
//! with keycaps, so that typing the number works as well as reacting.

use serde_json::{Map, Value, json};

use crate::core::effect::{Action, Message};
use crate::i18n::{Localizer, escape_html};

/// Where a message's reaction keys and their data travel in its content.
pub const BUTTONS: &str = "fr.compagnie.buttons";

const KEYCAPS: [&str; 9] = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"];

/// A message ready to send: its content, and the reaction keys the bot
/// puts under it so that people need only press them.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub content: Value,
    pub keys: Vec<String>,
}

/// Renders a message from the bot whose Matrix id is `bot`, which the
/// invitations to write privately name.
pub fn message(localizer: &Localizer, message: &Message, bot: &str) -> Rendered {
    let mut plain = with_matrix_commands(&localizer.render_message(message));
    let escaped = localizer.render_message_escaped(message, escape_html);
    let mut html = with_matrix_commands(&escaped).replace('\n', "<br>\n");
    let mut buttons = Map::new();
    let mut keys = Vec::new();
    let mut lines = Vec::new();
    for (index, button) in message.buttons.iter().flatten().enumerate() {
        let label = localizer.render(message.lang, &button.label);
        match &button.action {
            Action::Press(data) => {
                let key = key_for(data, index);
                lines.push(format!("{key} {label}"));
                buttons.insert(key.clone(), Value::String(data.clone()));
                keys.push(key);
            }
            Action::StartPrivate(_) => lines.push(format!("✉️ {label} : {bot}")),
        }
    }
    if !lines.is_empty() {
        plain.push_str(&format!("\n\n{}", lines.join("\n")));
        let escaped: Vec<String> = lines.iter().map(|line| escape_html(line)).collect();
        html.push_str(&format!("<br>\n<br>\n{}", escaped.join("<br>\n")));
    }
    let mut content = json!({
        "msgtype": "m.notice",
        "body": plain,
        "format": "org.matrix.custom.html",
        "formatted_body": html,
    });
    if !buttons.is_empty() {
        content[BUTTONS] = Value::Object(buttons);
    }
    Rendered { content, keys }
}

/// The texts name commands as Telegram writes them (`/offres`); on
/// Matrix, where `/` belongs to the client, they are typed `!offres`. A
/// slash starts a command when it begins a word and a letter follows it,
/// which leaves dates (`10/12`) and addresses (`https://`) alone.
fn with_matrix_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_word = previous.is_none_or(|p: char| p.is_whitespace() || "(«\"'".contains(p));
        let letter_follows = chars.peek().is_some_and(|next| next.is_ascii_lowercase());
        out.push(if c == '/' && starts_word && letter_follows { '!' } else { c });
        previous = Some(c);
    }
    out
}

/// The content of an edit that replaces `original` with `rendered`.
pub fn replacement(rendered: &Rendered, original: &str) -> Value {
    let body = rendered.content["body"].as_str().unwrap_or_default();
    json!({
        "msgtype": "m.notice",
        "body": format!("* {body}"),
        "m.new_content": rendered.content,
        "m.relates_to": { "rel_type": "m.replace", "event_id": original },
    })
}

/// The reaction that stands for a button: a familiar sign for the actions
/// people take on posts, a number for the rest.
fn key_for(data: &str, index: usize) -> String {
    let action = data.split(':').next().unwrap_or_default();
    let sign = match action {
        "claim" => "🙋",
        "release" => "↩️",
        "consent" => "✅",
        _ => KEYCAPS.get(index).copied().unwrap_or("🔘"),
    };
    sign.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::effect::{Button, Text};
    use crate::core::model::Lang;

    #[test]
    fn buttons_become_reactions_named_in_the_content() {
        let localizer = Localizer::new(chrono_tz::Europe::Paris).unwrap();
        let message = Message::new(Lang::En, Text::new("help")).row(vec![
            Button::press(Text::new("button-claim"), "claim:101"),
            Button::press(Text::new("button-consent"), "d:home:no"),
        ]);
        let rendered = super::message(&localizer, &message, "@bot:localhost");
        assert_eq!(rendered.keys, ["🙋", "2️⃣"]);
        assert_eq!(rendered.content[BUTTONS]["🙋"], "claim:101");
        assert_eq!(rendered.content[BUTTONS]["2️⃣"], "d:home:no");
        assert_eq!(rendered.content["msgtype"], "m.notice");
    }

    #[test]
    fn commands_are_written_with_an_exclamation_mark() {
        assert_eq!(
            with_matrix_commands("Tapez /offres, ou (/aide) le 10/12 sur https://x.org/a"),
            "Tapez !offres, ou (!aide) le 10/12 sur https://x.org/a"
        );
    }

    #[test]
    fn what_people_wrote_is_escaped_in_html() {
        assert_eq!(
            escape_html("<b>Jeanne & \"Co\"</b>"),
            "&lt;b&gt;Jeanne &amp; &quot;Co&quot;&lt;/b&gt;"
        );
    }
}
