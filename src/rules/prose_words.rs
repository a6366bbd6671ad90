//! What the prose rules (`GP701`, `GP702`) share: the prose of a guide,
//! field by field, and where a piece of a string value is in the file.

use super::Guide;
use crate::diagnostic::Span;
use crate::prose::{FieldKind, Prose, scan, terms};

/// One prose field: its JSON Pointer, its text, and its prose byte ranges.
pub(super) struct Field<'g> {
    pub pointer: String,
    pub text: &'g str,
    pub ranges: Vec<(usize, usize)>,
}

/// Every prose field of `guide`, with the prose settings; nothing when
/// `[prose]` is off.
pub(super) fn fields<'g>(guide: &Guide<'g>) -> Option<(&'g Prose, Vec<Field<'g>>)> {
    let prose = guide.context.prose.as_deref()?;
    let mut out = Vec::new();
    let root = guide.file.value.as_ref()?;
    prose
        .fields
        .visit(root, &mut |pointer, text, kind: FieldKind| {
            let ranges = scan::prose_ranges(text, kind);
            if !ranges.is_empty() {
                out.push(Field {
                    pointer: pointer.to_owned(),
                    text,
                    ranges,
                });
            }
        });
    Some((prose, out))
}

/// The house terms in a field, in order.
pub(super) fn terms_in<'p>(prose: &'p Prose, field: &Field<'_>) -> Vec<terms::Found<'p>> {
    let mut found = Vec::new();
    for &(start, end) in &field.ranges {
        prose.terms.find(field.text, start, end, &mut found);
    }
    found
}

/// Where bytes `start..end` of the field's string are in the file, and
/// whether that is exact (else the whole string's span): the same
/// occurrence of the same characters, counted in the value and in the file.
pub(super) fn locate(
    guide: &Guide<'_>,
    field: &Field<'_>,
    start: usize,
    end: usize,
) -> (Span, Span, bool) {
    let node = guide.span(&field.pointer);
    let needle = &field.text[start..end];
    let occurrence = field.text[..start].matches(needle).count();
    let Some(source) = guide.file.source.text.get(node.start..node.end) else {
        return (node, node, false);
    };
    match source.match_indices(needle).nth(occurrence) {
        Some((at, _)) => (
            Span::new(node.start + at, node.start + at + needle.len()),
            node,
            true,
        ),
        None => (node, node, false),
    }
}
