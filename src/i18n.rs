//! Turns the core's message ids and arguments into text in French or
//! English, through the Fluent files under `locales/`.
//!
//! The files are built into the binary, so a deployment cannot lose them.
//! Arguments that need a language of their own are prepared here before
//! Fluent sees them: times and dates are written in the deployment's time
//! zone, nested texts are rendered in the same language, and lists are
//! joined the way each language joins them.

mod calendar;

use std::collections::HashSet;
use std::fmt;
use std::sync::Mutex;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::langid;

use crate::core::effect::{Arg, Message, Text};
use crate::core::model::Lang;

type Bundle = FluentBundle<FluentResource>;

/// One Fluent file built into the binary.
#[derive(Clone, Copy, Debug)]
pub struct Source {
    pub lang: Lang,
    /// Its path from the crate's root.
    pub path: &'static str,
    pub text: &'static str,
}

/// Every Fluent file the bot speaks from.
pub const SOURCES: &[Source] = &[
    Source {
        lang: Lang::Fr,
        path: "locales/fr/compagnie.ftl",
        text: include_str!("../locales/fr/compagnie.ftl"),
    },
    Source {
        lang: Lang::En,
        path: "locales/en/compagnie.ftl",
        text: include_str!("../locales/en/compagnie.ftl"),
    },
];

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("cannot parse {path}: {reasons}")]
    Parse { path: &'static str, reasons: String },
    #[error("cannot load {path}: {reasons}")]
    Load { path: &'static str, reasons: String },
}

pub struct Localizer {
    fr: Bundle,
    en: Bundle,
    timezone: chrono_tz::Tz,
    /// Ids already reported missing or broken, so the log says it once.
    warned: Mutex<HashSet<(Lang, String)>>,
}

impl Localizer {
    /// A localizer over the built-in Fluent files.
    pub fn new(timezone: chrono_tz::Tz) -> Result<Self, I18nError> {
        Self::with_sources(timezone, SOURCES)
    }

    pub fn with_sources(timezone: chrono_tz::Tz, sources: &[Source]) -> Result<Self, I18nError> {
        let mut fr = new_bundle(Lang::Fr);
        let mut en = new_bundle(Lang::En);
        for source in sources {
            let bundle = match source.lang {
                Lang::Fr => &mut fr,
                Lang::En => &mut en,
            };
            add_source(bundle, source)?;
        }
        Ok(Self { fr, en, timezone, warned: Mutex::new(HashSet::new()) })
    }

    /// A text in `lang`. A message missing from the files shows as its id,
    /// so that the person still sees something and the log says what.
    pub fn render(&self, lang: Lang, text: &Text) -> String {
        self.render_escaped(lang, text, plain)
    }

    /// Renders a text for a platform with markup: every string that came
    /// from a person (`Arg::Str`) goes through `escape`, so that a name or
    /// a destination can never be read as markup.
    pub fn render_escaped(&self, lang: Lang, text: &Text, escape: Escape) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(&text.id).and_then(|message| message.value()) else {
            self.warn_once(lang, &text.id, "message missing from the locale");
            return text.id.clone();
        };
        let mut args = FluentArgs::new();
        for (name, arg) in &text.args {
            args.set(name.as_str(), self.value(lang, arg, escape));
        }
        let mut errors = Vec::new();
        let rendered = bundle.format_pattern(pattern, Some(&args), &mut errors);
        if !errors.is_empty() {
            self.warn_once(lang, &text.id, "message rendered with errors");
        }
        rendered.into_owned()
    }

    /// A whole message, its paragraphs separated by a blank line.
    pub fn render_message(&self, message: &Message) -> String {
        self.render_message_escaped(message, plain)
    }

    /// [`Localizer::render_message`] with [`Localizer::render_escaped`].
    pub fn render_message_escaped(&self, message: &Message, escape: Escape) -> String {
        let paragraphs = self.render_all(message.lang, &message.body, escape);
        paragraphs.join("\n\n")
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    fn value(&self, lang: Lang, arg: &Arg, escape: Escape) -> FluentValue<'static> {
        match arg {
            Arg::Str(text) => FluentValue::from(escape(text)),
            Arg::Num(number) => FluentValue::from(*number),
            Arg::Time(at) => calendar::date_time(lang, &at.with_timezone(&self.timezone)).into(),
            Arg::Date(at) => calendar::date(lang, &at.with_timezone(&self.timezone)).into(),
            Arg::Text(text) => self.render_escaped(lang, text, escape).into(),
            Arg::List(texts) => join_list(lang, &self.render_all(lang, texts, escape)).into(),
            Arg::Lines(texts) => self.render_all(lang, texts, escape).join("\n").into(),
        }
    }

    fn render_all(&self, lang: Lang, texts: &[Text], escape: Escape) -> Vec<String> {
        texts.iter().map(|text| self.render_escaped(lang, text, escape)).collect()
    }

    fn warn_once(&self, lang: Lang, id: &str, problem: &str) {
        let mut warned = self.warned.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if warned.insert((lang, id.to_owned())) {
            tracing::warn!(lang = lang.as_str(), id, "{problem}");
        }
    }
}

/// How a platform writes a person's own words into its markup.
pub type Escape = fn(&str) -> String;

/// For plain-text platforms: words as they are.
fn plain(text: &str) -> String {
    text.to_owned()
}

/// For platforms that read HTML (Telegram, Matrix): what a person wrote,
/// escaped so that no client reads it as markup.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            c => escaped.push(c),
        }
    }
    escaped
}

impl fmt::Debug for Localizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Localizer").field("timezone", &self.timezone).finish_non_exhaustive()
    }
}

fn new_bundle(lang: Lang) -> Bundle {
    let id = match lang {
        Lang::Fr => langid!("fr"),
        Lang::En => langid!("en"),
    };
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // Isolation marks are invisible in chat clients but break copying a
    // command out of a message, and the texts here mix no scripts.
    bundle.set_use_isolating(false);
    bundle
}

fn add_source(bundle: &mut Bundle, source: &Source) -> Result<(), I18nError> {
    let resource = FluentResource::try_new(source.text.to_owned()).map_err(|(_, errors)| {
        I18nError::Parse { path: source.path, reasons: describe(&errors) }
    })?;
    bundle
        .add_resource(resource)
        .map_err(|errors| I18nError::Load { path: source.path, reasons: describe(&errors) })
}

fn describe(errors: &[impl fmt::Display]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// `a, b et c` or `a, b and c`.
fn join_list(lang: Lang, items: &[String]) -> String {
    let last_joiner = match lang {
        Lang::Fr => " et ",
        Lang::En => " and ",
    };
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{}{last_joiner}{last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    // Ids without a hyphen: they must not look like the bot's own
    // messages, which the locale test collects from string literals.
    const FR: &str = "when = Rendez-vous { $at }.\nday = Le { $on }.\n\
                      needs = Besoins : { $needs }.\nwheelchair = fauteuil roulant\n\
                      walker = déambulateur\nvisual = malvoyance\n\
                      kind = Sortie { $kind }\nmedical = médicale\n\
                      count = { $n ->\n [one] une sortie\n *[other] { $n } sorties\n}\n";
    const EN: &str = "when = Meeting { $at }.\nday = On { $on }.\n\
                      needs = Needs: { $needs }.\nwheelchair = wheelchair\n\
                      walker = walking frame\nvisual = visual impairment\n\
                      kind = { $kind } outing\nmedical = Medical\n";

    fn localizer() -> Localizer {
        let sources = [
            Source { lang: Lang::Fr, path: "fr.ftl", text: FR },
            Source { lang: Lang::En, path: "en.ftl", text: EN },
        ];
        Localizer::with_sources(chrono_tz::Europe::Paris, &sources).unwrap()
    }

    fn needs(names: &[&str]) -> Text {
        Text::new("needs").arg("needs", Arg::List(names.iter().map(|n| Text::new(n)).collect()))
    }

    #[test]
    fn built_in_files_load() {
        let localizer = Localizer::new(chrono_tz::Europe::Paris).unwrap();
        assert!(localizer.render(Lang::En, &Text::new("error-internal")).starts_with("Sorry"));
    }

    #[test]
    fn times_are_shown_in_the_deployment_zone_without_isolation_marks() {
        let at = Utc.with_ymd_and_hms(2026, 12, 8, 13, 30, 0).unwrap();
        let text = Text::new("when").arg("at", Arg::Time(at));
        let localizer = localizer();
        assert_eq!(localizer.render(Lang::Fr, &text), "Rendez-vous mardi 8 décembre à 14 h 30.");
        assert_eq!(localizer.render(Lang::En, &text), "Meeting Tuesday 8 December at 2:30 pm.");
        let summer = Utc.with_ymd_and_hms(2026, 7, 7, 22, 30, 0).unwrap();
        let day = Text::new("day").arg("on", Arg::Date(summer));
        assert_eq!(localizer.render(Lang::Fr, &day), "Le mercredi 8 juillet.");
    }

    #[test]
    fn nested_texts_render_in_the_same_language() {
        let text = Text::new("kind").arg("kind", Text::new("medical"));
        assert_eq!(localizer().render(Lang::Fr, &text), "Sortie médicale");
        assert_eq!(localizer().render(Lang::En, &text), "Medical outing");
    }

    #[test]
    fn lists_join_with_the_language_conjunction() {
        let localizer = localizer();
        let all = needs(&["wheelchair", "walker", "visual"]);
        assert_eq!(
            localizer.render(Lang::Fr, &all),
            "Besoins : fauteuil roulant, déambulateur et malvoyance."
        );
        assert_eq!(
            localizer.render(Lang::En, &all),
            "Needs: wheelchair, walking frame and visual impairment."
        );
        assert_eq!(localizer.render(Lang::En, &needs(&["walker"])), "Needs: walking frame.");
    }

    #[test]
    fn lines_are_rendered_one_per_line() {
        let lines = Arg::Lines(vec![Text::new("wheelchair"), Text::new("walker")]);
        let text = Text::new("needs").arg("needs", lines);
        assert_eq!(localizer().render(Lang::En, &text), "Needs: wheelchair\nwalking frame.");
    }

    #[test]
    fn numbers_choose_plural_forms() {
        let localizer = localizer();
        assert_eq!(localizer.render(Lang::Fr, &Text::new("count").arg("n", 1)), "une sortie");
        assert_eq!(localizer.render(Lang::Fr, &Text::new("count").arg("n", 3)), "3 sorties");
    }

    #[test]
    fn missing_message_shows_its_id() {
        assert_eq!(localizer().render(Lang::En, &Text::new("count")), "count");
        assert_eq!(localizer().render(Lang::En, &Text::new("nowhere")), "nowhere");
    }

    #[test]
    fn message_paragraphs_are_separated_by_a_blank_line() {
        let message = Message::new(Lang::En, Text::new("wheelchair")).then(Text::new("walker"));
        assert_eq!(localizer().render_message(&message), "wheelchair\n\nwalking frame");
    }

    #[test]
    fn broken_files_are_refused_with_their_path() {
        let sources = [Source { lang: Lang::Fr, path: "broken.ftl", text: "oops = {\n" }];
        let error = Localizer::with_sources(chrono_tz::Europe::Paris, &sources).unwrap_err();
        assert!(error.to_string().starts_with("cannot parse broken.ftl"), "{error}");
    }
}
