//! What people write on Matrix, read as the core's events: `!commands`
//! and their French forms, plain replies, shared locations. Reactions and
//! membership changes are read in [`super::sync`], where the room is at
//! hand.

use crate::core::event::EventKind;
use crate::core::model::LatLon;

/// Commands start with this on Matrix, where `/` belongs to the client.
const PREFIX: char = '!';

/// A text message as the core reads it: a command without its `!`, or
/// plain text. The quoted lines a client puts before a reply are dropped.
pub fn text(body: &str) -> EventKind {
    let body = without_reply_fallback(body).trim();
    let Some(command) = body.strip_prefix(PREFIX) else {
        return EventKind::Text(body.to_owned());
    };
    let (name, args) = command.split_once(char::is_whitespace).unwrap_or((command, ""));
    EventKind::Command { name: name.to_owned(), args: args.trim().to_owned() }
}

/// Clients quote the message replied to in lines starting with `> `,
/// then a blank line.
fn without_reply_fallback(body: &str) -> &str {
    if !body.starts_with("> ") {
        return body;
    }
    match body.split_once("\n\n") {
        Some((_, reply)) => reply,
        None => body,
    }
}

/// The point of a `geo:` URI (RFC 5870): `geo:48.85,2.35`, perhaps with
/// an altitude and parameters (`;u=20`).
pub fn geo(uri: &str) -> Option<LatLon> {
    let coordinates = uri.strip_prefix("geo:")?.split(';').next()?;
    let mut parts = coordinates.split(',').map(|part| part.trim().parse::<f64>());
    let (Some(Ok(lat)), Some(Ok(lon))) = (parts.next(), parts.next()) else {
        return None;
    };
    let valid = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
    valid.then_some(LatLon { lat, lon })
}

/// How others name a Matrix account in commands: its id without the `@`.
pub fn handle(user_id: &str) -> String {
    user_id.trim_start_matches('@').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_lose_their_prefix_and_keep_their_arguments() {
        let command = |name: &str, args: &str| EventKind::Command {
            name: name.to_owned(),
            args: args.to_owned(),
        };
        assert_eq!(text("!prendre 101"), command("prendre", "101"));
        assert_eq!(text("  !aide "), command("aide", ""));
        assert_eq!(text("!link_group   11 "), command("link_group", "11"));
        assert_eq!(text("2"), EventKind::Text("2".into()));
    }

    #[test]
    fn a_reply_is_read_without_the_message_it_quotes() {
        let reply = "> <@bot:localhost> Combien de temps ?\n\n120";
        assert_eq!(text(reply), EventKind::Text("120".into()));
    }

    #[test]
    fn geo_uris_give_points_and_nonsense_gives_none() {
        assert_eq!(geo("geo:48.8652,2.378"), Some(LatLon { lat: 48.8652, lon: 2.378 }));
        assert_eq!(geo("geo:48.8652,2.378,35;u=20"), Some(LatLon { lat: 48.8652, lon: 2.378 }));
        for bad in ["48.8,2.3", "geo:", "geo:abc,2", "geo:91,2", "geo:48.8"] {
            assert_eq!(geo(bad), None, "{bad}");
        }
    }
}
