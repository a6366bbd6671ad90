//! The prose of one field: the byte ranges of a string that are prose (for
//! Markdown, what `pulldown-cmark` reads as text: not code spans, code
//! blocks, HTML, autolinks or link targets; link text is), with addresses
//! (`https://…`, `www.…`, `name@host.org`) left out, and the words in them.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::config::FieldKind;

/// The byte ranges of `text` that are prose, in order.
pub fn prose_ranges(text: &str, kind: FieldKind) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    match kind {
        FieldKind::Off => {}
        FieldKind::Text => without_addresses(text, 0, text.len(), &mut ranges),
        FieldKind::Markdown => {
            // Most prose holds no Markdown at all: read it as text.
            if !text
                .bytes()
                .any(|b| matches!(b, b'`' | b'<' | b'[' | b'&' | b'\\') || b == b'\n')
                && !text.starts_with("    ")
            {
                without_addresses(text, 0, text.len(), &mut ranges);
                return ranges;
            }
            let mut code = 0usize;
            for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
                match event {
                    Event::Start(Tag::CodeBlock(_)) => code += 1,
                    Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
                    Event::Start(Tag::Link {
                        link_type: LinkType::Autolink | LinkType::Email,
                        ..
                    }) => code += 1,
                    Event::End(TagEnd::Link) if code > 0 && is_autolink(text, range.start) => {
                        code -= 1
                    }
                    // Only text shown as written (not `&amp;` or `\*`) is checked.
                    Event::Text(shown) if code == 0 && text.get(range.clone()) == Some(&*shown) => {
                        without_addresses(text, range.start, range.end, &mut ranges);
                    }
                    _ => {}
                }
            }
        }
    }
    ranges
}

fn is_autolink(text: &str, start: usize) -> bool {
    text[start..].starts_with('<')
}

/// Pushes the parts of `text[start..end]` that are not addresses.
fn without_addresses(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let part = &text[start..end];
    let mut from = start;
    let mut at = 0;
    for piece in part.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end();
        if is_address(word) {
            if from < start + at {
                out.push((from, start + at));
            }
            from = start + at + word.len();
        }
        at += piece.len();
    }
    if from < end {
        out.push((from, end));
    }
}

/// True for `https://…`, `www.…` and `name@host.org` (an address, not prose).
fn is_address(word: &str) -> bool {
    let word = word.trim_start_matches(['(', '<', '"', '\'']);
    word.contains("://")
        || word.starts_with("www.")
        || word
            .split_once('@')
            .is_some_and(|(name, host)| !name.is_empty() && host.contains('.'))
}

/// One word of prose: its bytes in the string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The words of `text[start..end]`: runs of letters and digits, joined by
/// one apostrophe (`don't`, `don’t`), hyphen (`real-time`) or dot between
/// letters (`Node.js`); a word's parts are checked in [`parts`].
pub fn words(text: &str, start: usize, end: usize, out: &mut Vec<Word>) {
    let part = &text[start..end];
    let mut chars = part.char_indices().peekable();
    let mut begin: Option<usize> = None;
    let mut last_end = 0;
    while let Some((i, c)) = chars.next() {
        if word_char(c) {
            if begin.is_none() {
                begin = Some(i);
            }
            last_end = i + c.len_utf8();
            continue;
        }
        let joins = matches!(c, '\'' | '\u{2019}' | '-' | '.')
            && begin.is_some()
            && last_end == i
            && chars.peek().is_some_and(|(_, next)| next.is_alphabetic());
        if joins {
            continue;
        }
        if let Some(b) = begin.take() {
            out.push(Word {
                start: start + b,
                end: start + last_end,
            });
        }
    }
    if let Some(b) = begin {
        out.push(Word {
            start: start + b,
            end: start + last_end,
        });
    }
}

/// The parts of a word whose whole is not known, checked one by one: split
/// at hyphens (`real-tme`) and dots (`e.g`, `Foo.js`).
pub fn parts(word: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    word.split(['-', '.']).map(move |part| {
        let start = at;
        at += part.len() + 1;
        (start, part)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, kind: FieldKind) -> Vec<&str> {
        let mut found = Vec::new();
        for (start, end) in prose_ranges(text, kind) {
            words(text, start, end, &mut found);
        }
        found.iter().map(|w| &text[w.start..w.end]).collect()
    }

    #[test]
    fn words_join_apostrophes_hyphens_and_dots() {
        assert_eq!(
            shown(
                "You’ll use Node.js in real-time, don't you? (e.g. yes)",
                FieldKind::Text
            ),
            [
                "You’ll",
                "use",
                "Node.js",
                "in",
                "real-time",
                "don't",
                "you",
                "e.g",
                "yes"
            ]
        );
        assert_eq!(
            shown("end- and 'quoted' --", FieldKind::Text),
            ["end", "and", "quoted"]
        );
    }

    #[test]
    fn addresses_are_not_prose() {
        assert_eq!(
            shown(
                "See https://exmaple.org/pth or www.exmaple.org, mail ann@exmaple.org now",
                FieldKind::Text
            ),
            ["See", "or", "mail", "now"]
        );
    }

    #[test]
    fn markdown_code_html_and_link_targets_are_not_prose() {
        let text = "Use `fooo` and [the docz](https://exmaple.org/lnk) or <https://auto.lnk>.\n\n\
                    ```\nlet x = wrng;\n```\n\n<b onmouseover=\"x\">Bold</b> and &amp; then *emph*\n";
        assert_eq!(
            shown(text, FieldKind::Markdown),
            [
                "Use", "and", "the", "docz", "or", "Bold", "and", "then", "emph"
            ]
        );
    }

    #[test]
    fn parts_split_at_hyphens_and_dots() {
        let parts: Vec<_> = parts("real-time-ish").collect();
        assert_eq!(parts, [(0, "real"), (5, "time"), (10, "ish")]);
        let dotted: Vec<_> = super::parts("e.g").collect();
        assert_eq!(dotted, [(0, "e"), (2, "g")]);
    }
}
