//! Which button `press N` means: the N-th of the newest message in that
//! chat that still shows buttons.

use std::collections::HashMap;

use super::session::LineError;
use crate::core::effect::{Action, Message};

/// Messages with buttons remembered per chat; older ones are forgotten,
/// as a person scrolling back would not find them either.
const KEPT_PER_CHAT: usize = 16;

#[derive(Debug, Default)]
pub(super) struct Buttons {
    /// Per chat, in the order the messages were first sent.
    by_chat: HashMap<String, Vec<Shown>>,
}

#[derive(Debug)]
struct Shown {
    message: String,
    actions: Vec<Action>,
}

impl Buttons {
    /// Records what message `id` in `chat` now shows: `None` once deleted.
    /// An edit keeps the message's place, so a post that loses its buttons
    /// hands `press N` back to the message before it.
    pub fn show(&mut self, chat: &str, id: &str, message: Option<&Message>) {
        let actions: Vec<Action> = message
            .map(|message| message.buttons.iter().flatten().map(|b| b.action.clone()).collect())
            .unwrap_or_default();
        let shown = self.by_chat.entry(chat.to_owned()).or_default();
        match shown.iter().position(|shown| shown.message == id) {
            Some(at) if actions.is_empty() => {
                shown.remove(at);
            }
            Some(at) => shown[at].actions = actions,
            None if actions.is_empty() => {}
            None => {
                shown.push(Shown { message: id.to_owned(), actions });
                if shown.len() > KEPT_PER_CHAT {
                    shown.remove(0);
                }
            }
        }
    }

    /// The `number`-th button, from 1 across rows, of the newest message
    /// with buttons in `chat`.
    pub fn nth(&self, chat: &str, number: usize) -> Result<Action, LineError> {
        let newest = self.by_chat.get(chat).and_then(|shown| shown.last());
        let Some(newest) = newest else {
            return Err(LineError::NoButtons(chat.to_owned()));
        };
        let found = number.checked_sub(1).and_then(|at| newest.actions.get(at)).cloned();
        found.ok_or_else(|| LineError::NoSuchButton {
            chat: chat.to_owned(),
            message: newest.message.clone(),
            count: newest.actions.len(),
            number,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::effect::{Button, Text};
    use crate::core::model::Lang;

    fn with_buttons(data: &[&str]) -> Message {
        let row = data.iter().map(|d| Button::press(Text::new("label"), *d)).collect();
        Message::new(Lang::En, Text::new("body")).row(row)
    }

    fn pressed(buttons: &Buttons, number: usize) -> Option<String> {
        match buttons.nth("#g", number) {
            Ok(Action::Press(data)) => Some(data),
            _ => None,
        }
    }

    #[test]
    fn the_newest_message_with_buttons_wins() {
        let mut buttons = Buttons::default();
        buttons.show("#g", "m1", Some(&with_buttons(&["a", "b"])));
        buttons.show("#g", "m2", Some(&Message::new(Lang::En, Text::new("plain"))));
        assert_eq!(pressed(&buttons, 2).as_deref(), Some("b"));
        buttons.show("#g", "m3", Some(&with_buttons(&["c"])));
        assert_eq!(pressed(&buttons, 1).as_deref(), Some("c"));
        assert!(matches!(buttons.nth("#g", 2), Err(LineError::NoSuchButton { count: 1, .. })));
    }

    #[test]
    fn a_post_losing_its_buttons_hands_back_to_the_one_before() {
        let mut buttons = Buttons::default();
        buttons.show("#g", "m1", Some(&with_buttons(&["signup"])));
        buttons.show("#g", "m2", Some(&with_buttons(&["claim"])));
        buttons.show("#g", "m2", Some(&Message::new(Lang::En, Text::new("taken"))));
        assert_eq!(pressed(&buttons, 1).as_deref(), Some("signup"));
        buttons.show("#g", "m1", None);
        assert!(matches!(buttons.nth("#g", 1), Err(LineError::NoButtons(_))));
    }

    #[test]
    fn an_edit_keeps_the_place_of_the_message() {
        let mut buttons = Buttons::default();
        buttons.show("#g", "m1", Some(&with_buttons(&["old"])));
        buttons.show("#g", "m2", Some(&with_buttons(&["newer"])));
        buttons.show("#g", "m1", Some(&with_buttons(&["edited"])));
        assert_eq!(pressed(&buttons, 1).as_deref(), Some("newer"));
    }
}
