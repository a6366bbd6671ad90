//! Where a `[cms.fields]` entry is written in `guidepress.toml`, as
//! `line:column`, read from the TOML parser's spans.

use toml::de::{DeTable, DeValue};

/// The byte range of the key at `path` (`["cms", "fields", "state_pay",
/// "fields", "code"]`), if the text has it.
pub fn key_span(text: &str, path: &[&str]) -> Option<std::ops::Range<usize>> {
    let parsed = DeTable::parse(text).ok()?;
    let mut table: &DeTable = parsed.get_ref();
    let (last, head) = path.split_last()?;
    for key in head {
        let (_, value) = table.iter().find(|(k, _)| k.get_ref() == key)?;
        let DeValue::Table(inner) = value.get_ref() else {
            return None;
        };
        table = inner;
    }
    table
        .iter()
        .find(|(k, _)| k.get_ref() == last)
        .map(|(k, _)| k.span())
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_inline_and_dotted_tables_are_found() {
        let text = "[cms]\ncontent_type = \"x\"\n\n[cms.fields]\nheadline = \"/title\"\nstate_pay = { from = \"/s\", fields = { code = \"/state\" } }\n";
        let span = key_span(text, &["cms", "fields", "state_pay", "fields", "code"]).unwrap();
        assert_eq!(&text[span.clone()], "code");
        assert_eq!(line_col(text, span.start), (6, 39));
        let span = key_span(text, &["cms", "fields", "headline"]).unwrap();
        assert_eq!(line_col(text, span.start), (5, 1));
        assert!(key_span(text, &["cms", "fields", "nope"]).is_none());
    }
}
