//! The Fluent files and the code agree: every file parses, French and
//! English define the same messages, every message the code names exists,
//! and no message is left that nothing uses.
//!
//! The code names a message by a kebab-case string literal
//! (`"offer-published"`): by the project's convention, such literals in
//! `src/` are Fluent ids and nothing else, so they are collected by
//! scanning the sources.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use compagnie::i18n::SOURCES;
use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};

/// Kebab-case literals in `src/` that are not message ids, each with the
/// reason it has to look like one.
const NOT_MESSAGE_IDS: &[&str] = &[
    // The HTTP header Telegram sends its webhook secret in.
    "x-telegram-bot-api-secret-token",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.ftl` file under `locales/`, as (language, path from the root).
fn locale_files() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for lang in std::fs::read_dir(root().join("locales")).unwrap() {
        let lang = lang.unwrap();
        for file in std::fs::read_dir(lang.path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "ftl") {
                let relative = path.strip_prefix(root()).unwrap().to_owned();
                files.push((lang.file_name().to_string_lossy().into_owned(), relative));
            }
        }
    }
    files.sort();
    files
}

fn parse(path: &Path) -> ast::Resource<String> {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    match fluent_syntax::parser::parse(text) {
        Ok(resource) => resource,
        Err((_, errors)) => panic!("{} does not parse: {errors:?}", path.display()),
    }
}

/// The message ids a language defines, over all its files.
fn messages_of(lang: &str) -> BTreeSet<String> {
    let files = locale_files().into_iter().filter(|(of, _)| of == lang);
    let resources: Vec<_> = files.map(|(_, path)| parse(&path)).collect();
    let entries = resources.into_iter().flat_map(|resource| resource.body);
    entries
        .filter_map(|entry| match entry {
            Entry::Message(message) => Some(message.id.name),
            _ => None,
        })
        .collect()
}

/// Ids one message names inside another (`{ kind-medical }`): a message
/// only reached that way is in use too.
fn referenced_in_locales() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (_, path) in locale_files() {
        for entry in parse(&path).body {
            if let Entry::Message(message) = entry {
                let attributes = message.attributes.iter().map(|attribute| &attribute.value);
                for pattern in message.value.iter().chain(attributes) {
                    references_in_pattern(pattern, &mut found);
                }
            }
        }
    }
    found
}

fn references_in_pattern(pattern: &ast::Pattern<String>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            references_in_expression(expression, found);
        }
    }
}

fn references_in_expression(expression: &Expression<String>, found: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            references_in_inline(selector, found);
            for variant in variants {
                references_in_pattern(&variant.value, found);
            }
        }
        Expression::Inline(inline) => references_in_inline(inline, found),
    }
}

fn references_in_inline(inline: &InlineExpression<String>, found: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::MessageReference { id, .. } => {
            found.insert(id.name.clone());
        }
        InlineExpression::Placeable { expression } => references_in_expression(expression, found),
        _ => {}
    }
}

/// Kebab-case string literals in every `.rs` file under `src/`.
fn ids_in_code() -> BTreeSet<String> {
    let mut files = vec![root().join("src")];
    let mut ids = BTreeSet::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            let literals = string_literals(&source).into_iter();
            ids.extend(literals.filter(|literal| looks_like_message_id(literal)));
        }
    }
    ids.retain(|id| !NOT_MESSAGE_IDS.contains(&id.as_str()));
    ids
}

/// `^[a-z][a-z0-9]*(-[a-z0-9]+)+$`, written out.
fn looks_like_message_id(text: &str) -> bool {
    let mut words = text.split('-');
    let first_is_a_word =
        words.next().is_some_and(|first| first.starts_with(|c: char| c.is_ascii_lowercase()));
    let word =
        |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_is_a_word && text.contains('-') && text.split('-').all(word)
}

/// The contents of the string literals of a Rust source, comments, char
/// literals and lifetimes skipped. Escapes are kept as written, which is
/// enough: an id never contains one.
fn string_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    let mut literals = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        i = match (at(i), at(i + 1)) {
            ('/', '/') => (i..chars.len()).find(|&j| chars[j] == '\n').unwrap_or(chars.len()),
            ('/', '*') => skip_block_comment(&chars, i),
            ('"', _) => quoted(&chars, i + 1, &mut literals),
            ('r', '"' | '#') if !is_identifier_char(at(i.wrapping_sub(1))) => {
                raw(&chars, i + 1, &mut literals)
            }
            // An escaped char literal: the escaped character may be a quote.
            ('\'', '\\') => (i + 3..chars.len()).find(|&j| chars[j] == '\'').unwrap_or(i) + 1,
            ('\'', _) if at(i + 2) == '\'' => i + 3,
            _ => i + 1,
        };
    }
    literals
}

fn is_identifier_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Skips a block comment, nested ones included; returns the index after it.
fn skip_block_comment(chars: &[char], start: usize) -> usize {
    let (mut depth, mut i) = (0, start);
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => (depth, i) = (depth + 1, i + 2),
            ('*', '/') if depth == 1 => return i + 2,
            ('*', '/') => (depth, i) = (depth - 1, i + 2),
            _ => i += 1,
        }
    }
    chars.len()
}

/// Reads a "…" literal whose text starts at `start`.
fn quoted(chars: &[char], start: usize, literals: &mut Vec<String>) -> usize {
    let mut i = start;
    while i < chars.len() && chars[i] != '"' {
        i += if chars[i] == '\\' { 2 } else { 1 };
    }
    let end = i.min(chars.len());
    literals.push(chars[start..end].iter().collect());
    end + 1
}

/// Reads an r"…" or r#"…"# literal whose hashes start at `start`.
fn raw(chars: &[char], start: usize, literals: &mut Vec<String>) -> usize {
    let hashes = chars[start..].iter().take_while(|&&c| c == '#').count();
    if chars.get(start + hashes) != Some(&'"') {
        return start;
    }
    let text = start + hashes + 1;
    let closes = |j: usize| chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#'));
    let end = (text..chars.len()).find(|&j| closes(j)).unwrap_or(chars.len());
    literals.push(chars[text..end].iter().collect());
    end + 1 + hashes
}

#[test]
fn every_locale_file_parses_without_junk() {
    let files = locale_files();
    assert!(!files.is_empty(), "no Fluent file under locales/");
    for (_, path) in files {
        let junk =
            parse(&path).body.into_iter().filter(|entry| matches!(entry, Entry::Junk { .. }));
        assert_eq!(junk.count(), 0, "{} has unparsed lines", path.display());
    }
}

#[test]
fn every_locale_file_is_built_into_the_binary() {
    let on_disk: BTreeSet<String> =
        locale_files().into_iter().map(|(_, path)| path.to_string_lossy().into_owned()).collect();
    let built_in: BTreeSet<String> = SOURCES.iter().map(|source| source.path.to_owned()).collect();
    assert_eq!(on_disk, built_in, "list every file of locales/ in i18n::SOURCES");
    for source in SOURCES {
        assert!(source.path.starts_with(&format!("locales/{}/", source.lang.as_str())));
    }
}

#[test]
fn french_and_english_define_the_same_messages() {
    let (fr, en) = (messages_of("fr"), messages_of("en"));
    let only_fr: Vec<_> = fr.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&fr).collect();
    assert!(only_fr.is_empty() && only_en.is_empty(), "only fr: {only_fr:?}; only en: {only_en:?}");
}

#[test]
fn every_message_named_in_code_exists_in_every_locale() {
    let used = ids_in_code();
    for lang in ["fr", "en"] {
        let defined = messages_of(lang);
        let missing: Vec<_> = used.difference(&defined).collect();
        assert!(missing.is_empty(), "missing from locales/{lang}: {missing:?}");
    }
}

#[test]
fn every_locale_message_is_used() {
    let mut used = ids_in_code();
    used.extend(referenced_in_locales());
    for lang in ["fr", "en"] {
        let unused: Vec<_> =
            messages_of(lang).into_iter().filter(|id| !used.contains(id)).collect();
        assert!(unused.is_empty(), "unused in locales/{lang}: {unused:?}");
    }
}

#[test]
fn scanner_finds_literals_and_skips_the_rest() {
    let source = r####"
        // "in-line-comment"
        /* "block-comment" /* "nested-comment" */ "still-comment" */
        fn f<'a>(x: &'a str) -> char { let _ = ('"', '\'', "offer-new"); 'x' }
        const RAW: &str = r#"raw-text "with quotes""#;
        const ESCAPED: &str = "say \"hi-there\" now";
    "####;
    let literals = string_literals(source);
    assert_eq!(literals, ["offer-new", "raw-text \"with quotes\"", r#"say \"hi-there\" now"#]);
}

#[test]
fn message_id_shape() {
    for id in ["offer-new", "error-internal", "a1-b2-c3"] {
        assert!(looks_like_message_id(id), "{id}");
    }
    for not in ["offer", "Offer-new", "offer--new", "offer-", "-offer", "1-offer", "a_b-c", "x-y.z"]
    {
        assert!(!looks_like_message_id(not), "{not}");
    }
}
