//! Markdown bodies (sections, FAQ answers) to HTML that is safe to inline:
//! raw HTML in the text is shown as text, images become their description
//! (a preview never loads anything from another host), and only `http`,
//! `https`, `mailto` and in-page links stay links.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Renders `text` (CommonMark with tables and strikethrough) to HTML.
pub fn to_html(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut dropped_links = 0usize;
    let mut in_image = 0usize;
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link { ref dest_url, .. }) if !safe_link(dest_url) => {
            dropped_links += 1;
            None
        }
        Event::End(TagEnd::Link) if dropped_links > 0 => {
            dropped_links -= 1;
            None
        }
        Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) if in_image > 0 => None,
        other => Some(other),
    });
    let mut html = String::with_capacity(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Links a reader may follow from a preview: web, mail and in-page addresses.
pub fn safe_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn paragraphs_and_emphasis() {
        assert_eq!(
            to_html("**Bold:** text\n\nNext"),
            "<p><strong>Bold:</strong> text</p>\n<p>Next</p>\n"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("<script>alert(1)</script>\n\nA <b onclick=x>tag</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn images_and_unsafe_links_are_dropped() {
        let html = to_html(
            "![a chart](https://example.com/x.png) [x](javascript:alert(1)) [ok](https://bls.gov)",
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("a chart"), "{html}");
        assert!(
            html.contains(r#"<a href="https://bls.gov">ok</a>"#),
            "{html}"
        );
    }
}
