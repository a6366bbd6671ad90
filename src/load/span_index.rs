//! Where each node of a loaded document stands in the source.

use std::collections::HashMap;

use crate::diagnostic::Span;

/// The source spans of one node: its key (for mapping values) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpan {
    /// The key's span, when the node is a mapping value.
    pub key: Option<Span>,
    /// The value's span.
    pub value: Span,
}

/// JSON Pointer (escaped as RFC 6901: `~0` for `~`, `~1` for `/`) to source spans.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    nodes: HashMap<String, NodeSpan>,
}

impl SpanIndex {
    /// Records the spans of the node at `pointer` (first record wins, as duplicate keys keep the first value).
    pub(crate) fn insert(&mut self, pointer: &str, span: NodeSpan) {
        self.nodes.entry(pointer.to_owned()).or_insert(span);
    }

    /// Replaces every recorded span by `f` of it.
    pub(crate) fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        for node in self.nodes.values_mut() {
            node.key = node.key.map(&f);
            node.value = f(node.value);
        }
    }

    /// The spans of the node at `pointer`.
    pub fn get(&self, pointer: &str) -> Option<NodeSpan> {
        self.nodes.get(pointer).copied()
    }

    /// The spans of the node at `pointer` or, when it does not exist, of its nearest ancestor.
    pub fn nearest(&self, pointer: &str) -> Option<(String, NodeSpan)> {
        let mut current = pointer;
        loop {
            if let Some(span) = self.get(current) {
                return Some((current.to_owned(), span));
            }
            let cut = current.rfind('/')?;
            current = &current[..cut];
        }
    }

    /// The value's span of the node at `pointer`, or of its nearest ancestor.
    pub fn value_span(&self, pointer: &str) -> Option<Span> {
        self.nearest(pointer).map(|(_, node)| node.value)
    }

    /// The key's span of the node at `pointer`, or of its nearest ancestor;
    /// the value's span for a list item and the root, which have no key.
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        self.nearest(pointer)
            .map(|(_, node)| node.key.unwrap_or(node.value))
    }

    /// Every recorded node (unordered).
    pub fn iter(&self) -> impl Iterator<Item = (&str, NodeSpan)> {
        self.nodes.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Number of nodes recorded.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when no node is recorded.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Escapes one JSON Pointer reference token.
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// Splits a pointer into unescaped reference tokens.
pub fn tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
}
