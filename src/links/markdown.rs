//! The addresses a Markdown page cites (the README, the documentation
//! site's pages), with the span of their exact characters: link and image
//! targets (`[BLS](https://…)`, `<https://…>`, reference definitions) and
//! bare addresses in the text. Code (fenced, indented, inline) and raw HTML
//! are examples, not citations: they are left alone.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::extract::{Citation, CitationKind, scan_prose};
use crate::diagnostic::Span;

/// Every http(s) address cited by the Markdown `text`, in order.
pub fn extract(text: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    // Inside a link the text is the link's label, often the address again.
    let mut links = 0usize;
    let mut code = 0usize;
    for (event, range) in Parser::new_ext(text, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links += 1;
                if is_http(&dest_url) {
                    found.push(citation(text, range, &dest_url));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => links = links.saturating_sub(1),
            Event::Text(content) if code == 0 && links == 0 => {
                for address in scan_prose(&content) {
                    found.push(citation(text, range.clone(), address));
                }
            }
            _ => {}
        }
    }
    found
}

fn is_http(address: &str) -> bool {
    let lower = address.get(..8).unwrap_or(address).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The citation of `address`, found inside the source bytes `range` (exact),
/// or the whole range when the Markdown spells it otherwise (escapes,
/// entities, a reference defined elsewhere).
fn citation(text: &str, range: std::ops::Range<usize>, address: &str) -> Citation {
    let inside = text.get(range.clone()).unwrap_or_default();
    let (span, exact) = match inside.find(address) {
        Some(at) => (
            Span::new(range.start + at, range.start + at + address.len()),
            true,
        ),
        None => (Span::new(range.start, range.end), false),
    };
    Citation {
        text: address.to_owned(),
        span,
        exact,
        pointer: String::new(),
        kind: CitationKind::Prose,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cited(text: &str) -> Vec<(String, String, bool)> {
        extract(text)
            .into_iter()
            .map(|c| (c.text, text[c.span.start..c.span.end].to_owned(), c.exact))
            .collect()
    }

    #[test]
    fn links_autolinks_images_and_bare_addresses_with_exact_spans() {
        let text = "See [BLS](https://www.bls.gov/oes/) and <https://example.com/a>.\n\
                    ![chart](https://example.com/c.png \"title\")\n\
                    Plain https://example.org/x, then [rel](docs/x.md) and [mail](mailto:a@b.c).\n";
        let found = cited(text);
        let addresses: Vec<&str> = found.iter().map(|(a, _, _)| a.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "https://www.bls.gov/oes/",
                "https://example.com/a",
                "https://example.com/c.png",
                "https://example.org/x"
            ]
        );
        for (address, span, exact) in &found {
            assert!(exact, "{address}");
            assert_eq!(address, span);
        }
    }

    #[test]
    fn code_and_html_are_examples_not_citations() {
        let text = "```toml\nbase_url = \"http://127.0.0.1:1337\"\n```\n\n    http://indented.example/\n\n\
                    Inline `https://inline.example/` code.\n\n<a href=\"https://html.example/\">x</a>\n";
        assert_eq!(cited(text), Vec::<(String, String, bool)>::new());
    }

    #[test]
    fn a_reference_link_is_cited_where_it_is_defined_or_used() {
        let text = "Read [the data][bls].\n\n[bls]: https://www.bls.gov/oes/\n";
        let found = extract(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "https://www.bls.gov/oes/");
        // The span points into the page (the use or the definition), never past it.
        assert!(found[0].span.end <= text.len());
    }
}
