//! Where each node of a loaded document stands in the source.
//!
//! The index is recorded while the document is parsed, at little cost: one
//! flat list of nodes in document order (a mapping or list before its
//! children, each with the size of its subtree) and the mapping keys' text
//! one after another. A JSON Pointer is found by walking it down from the
//! root, skipping whole subtrees; no pointer string is built per node.

use crate::diagnostic::Span;

/// The source spans of one node: its key (for mapping values) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpan {
    /// The key's span, when the node is a mapping value.
    pub key: Option<Span>,
    /// The value's span.
    pub value: Span,
}

/// One recorded node.
#[derive(Debug, Clone, Copy)]
struct Node {
    span: NodeSpan,
    /// Nodes in this node's subtree, itself included.
    size: usize,
    /// The key's text (mapping values only): a range of [`SpanIndex::names`].
    name: (usize, usize),
    /// False for a mapping or list the parse never finished (a syntax error
    /// inside it): it has no span of its own, only children.
    closed: bool,
}

/// JSON Pointer (escaped as RFC 6901: `~0` for `~`, `~1` for `/`) to source spans.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    /// Nodes in document order, a container before its children.
    nodes: Vec<Node>,
    /// The mapping keys' text, one after another.
    names: String,
}

impl SpanIndex {
    /// An empty index with room for about `nodes` nodes.
    pub(crate) fn with_capacity(nodes: usize) -> Self {
        SpanIndex {
            nodes: Vec::with_capacity(nodes),
            names: String::with_capacity(nodes * 8),
        }
    }

    fn push(&mut self, key: Option<(&str, Span)>, value: Span, closed: bool) -> usize {
        let start = self.names.len();
        if let Some((name, _)) = key {
            self.names.push_str(name);
        }
        self.nodes.push(Node {
            span: NodeSpan {
                key: key.map(|(_, span)| span),
                value,
            },
            size: 1,
            name: (start, self.names.len()),
            closed,
        });
        self.nodes.len() - 1
    }

    /// Records a node without children (a scalar, an alias) as the next node.
    pub(crate) fn leaf(&mut self, key: Option<(&str, Span)>, value: Span) {
        self.push(key, value, true);
    }

    /// Records the start of a mapping or list; its children follow until
    /// [`SpanIndex::close`] is called with the returned index.
    pub(crate) fn open(&mut self, key: Option<(&str, Span)>) -> usize {
        self.push(key, Span::default(), false)
    }

    /// Records the end of the mapping or list opened at `index`, with its span.
    pub(crate) fn close(&mut self, index: usize, value: Span) {
        let size = self.nodes.len() - index;
        if let Some(node) = self.nodes.get_mut(index) {
            node.span.value = value;
            node.size = size;
            node.closed = true;
        }
    }

    /// Gives the containers still open at `index` (a parse that stopped
    /// inside them) their children, without a span of their own.
    pub(crate) fn unfinished(&mut self, index: usize) {
        let size = self.nodes.len() - index;
        if let Some(node) = self.nodes.get_mut(index) {
            node.size = size;
            node.closed = false;
        }
    }

    /// Forgets the node at `index` and everything recorded after it (a node
    /// that turned out to be a key, or a duplicate key's value).
    pub(crate) fn truncate(&mut self, index: usize) {
        if let Some(node) = self.nodes.get(index) {
            self.names.truncate(node.name.0);
            self.nodes.truncate(index);
        }
    }

    /// Replaces every recorded span by `f` of it.
    pub(crate) fn map_spans(&mut self, f: impl Fn(Span) -> Span) {
        for node in &mut self.nodes {
            node.span.key = node.span.key.map(&f);
            node.span.value = f(node.span.value);
        }
    }

    fn name(&self, node: &Node) -> &str {
        &self.names[node.name.0..node.name.1]
    }

    /// Walks `pointer` down from the root as far as it goes: the byte length
    /// of the pointer's longest prefix found with a span, and that node.
    fn walk(&self, pointer: &str) -> Option<(usize, usize)> {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return None;
        }
        let root = self.nodes.first()?;
        let mut found = root.closed.then_some((0, 0));
        let mut current = 0;
        let mut consumed = 0;
        for token in pointer.split('/').skip(1) {
            let node = &self.nodes[current];
            let end = current + node.size;
            let mut child = current + 1;
            if child >= end {
                break;
            }
            let is_map = self.nodes[child].span.key.is_some();
            let target = if is_map {
                let unescaped = unescape(token);
                let mut target = None;
                while child < end {
                    if self.name(&self.nodes[child]) == unescaped {
                        target = Some(child);
                        break;
                    }
                    child += self.nodes[child].size;
                }
                target
            } else {
                index_token(token).and_then(|mut skip| {
                    while skip > 0 && child < end {
                        child += self.nodes[child].size;
                        skip -= 1;
                    }
                    (child < end).then_some(child)
                })
            };
            let Some(target) = target else {
                break;
            };
            current = target;
            consumed += 1 + token.len();
            if self.nodes[current].closed {
                found = Some((consumed, current));
            }
        }
        found
    }

    /// The spans of the node at `pointer`.
    pub fn get(&self, pointer: &str) -> Option<NodeSpan> {
        let (consumed, index) = self.walk(pointer)?;
        (consumed == pointer.len()).then(|| self.nodes[index].span)
    }

    /// The spans of the node at `pointer` or, when it does not exist, of its nearest ancestor.
    pub fn nearest(&self, pointer: &str) -> Option<(String, NodeSpan)> {
        let (consumed, index) = self.walk(pointer)?;
        Some((pointer[..consumed].to_owned(), self.nodes[index].span))
    }

    /// The value's span of the node at `pointer`, or of its nearest ancestor.
    pub fn value_span(&self, pointer: &str) -> Option<Span> {
        let (_, index) = self.walk(pointer)?;
        Some(self.nodes[index].span.value)
    }

    /// The key's span of the node at `pointer`, or of its nearest ancestor;
    /// the value's span for a list item and the root, which have no key.
    pub fn key_span(&self, pointer: &str) -> Option<Span> {
        let (_, index) = self.walk(pointer)?;
        let node = self.nodes[index].span;
        Some(node.key.unwrap_or(node.value))
    }

    /// Every recorded node with its pointer, in document order.
    pub fn iter(&self) -> impl Iterator<Item = (String, NodeSpan)> + '_ {
        // Open containers: where their subtree ends, their pointer's length,
        // and how many children they have had so far.
        let mut open: Vec<(usize, usize, usize)> = Vec::new();
        let mut pointer = String::new();
        self.nodes.iter().enumerate().filter_map(move |(i, node)| {
            while open.last().is_some_and(|&(end, _, _)| i >= end) {
                open.pop();
            }
            if let Some((_, parent_len, children)) = open.last_mut() {
                pointer.truncate(*parent_len);
                pointer.push('/');
                if node.span.key.is_some() {
                    pointer.push_str(&escape_token(self.name(node)));
                } else {
                    pointer.push_str(&children.to_string());
                }
                *children += 1;
            } else {
                pointer.clear();
            }
            if node.size > 1 {
                open.push((i + node.size, pointer.len(), 0));
            }
            node.closed.then(|| (pointer.clone(), node.span))
        })
    }

    /// Number of nodes recorded.
    pub fn len(&self) -> usize {
        self.nodes.iter().filter(|node| node.closed).count()
    }

    /// True when no node is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A smaller index holding only the root and its fields named `fields`
    /// (their own spans, not their children's): what a file keeps for the
    /// findings cross-file rules may still make once the rest is dropped.
    pub fn keep_fields(&self, fields: &[&str]) -> SpanIndex {
        let mut kept = SpanIndex::default();
        let Some(root) = self.nodes.first() else {
            return kept;
        };
        kept.push(None, root.span.value, root.closed);
        let mut child = 1;
        while child < root.size.min(self.nodes.len()) {
            let node = &self.nodes[child];
            if let Some(key) = node.span.key {
                let name = self.name(node);
                if fields.contains(&name) && kept.nodes.iter().skip(1).all(|k| kept.name(k) != name)
                {
                    kept.push(Some((name, key)), node.span.value, node.closed);
                }
            }
            child += node.size;
        }
        kept.nodes[0].size = kept.nodes.len();
        kept
    }
}

/// An array index token: digits without a leading zero (RFC 6901).
fn index_token(token: &str) -> Option<usize> {
    if token.is_empty()
        || !token.bytes().all(|b| b.is_ascii_digit())
        || (token.len() > 1 && token.starts_with('0'))
    {
        return None;
    }
    token.parse().ok()
}

fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{ParseOptions, parse};

    fn index(yaml: &str, track_spans: bool) -> SpanIndex {
        parse(
            yaml,
            &ParseOptions {
                track_spans,
                single_document: true,
                ..ParseOptions::default()
            },
        )
        .spans
    }

    #[test]
    fn pointers_find_keys_items_and_nearest_ancestors() {
        let yaml = "a: 1\nb:\n  - x\n  - {c: 2, d/e: 3}\n\"q~\": [1]\n";
        for track in [false, true] {
            let spans = index(yaml, track);
            let text = |span: Span| &yaml[span.start..span.end];
            assert_eq!(text(spans.get("/a").unwrap().value), "1");
            assert_eq!(text(spans.get("/a").unwrap().key.unwrap()), "a");
            assert_eq!(text(spans.get("/b/0").unwrap().value), "x");
            assert_eq!(text(spans.get("/b/1/c").unwrap().value), "2");
            assert_eq!(text(spans.get("/b/1/d~1e").unwrap().value), "3");
            assert_eq!(text(spans.get("/q~0/0").unwrap().value), "1");
            assert!(spans.get("/b/01").is_none());
            assert!(spans.get("/b/2").is_none());
            assert!(spans.get("a").is_none());
            let (at, node) = spans.nearest("/b/1/zz/0").unwrap();
            assert_eq!(at, "/b/1");
            assert_eq!(text(node.value), "{c: 2, d/e: 3}");
            assert_eq!(spans.nearest("").unwrap().0, "");
            let mut pointers: Vec<String> = spans.iter().map(|(p, _)| p).collect();
            pointers.sort();
            assert_eq!(
                pointers,
                [
                    "",
                    "/a",
                    "/b",
                    "/b/0",
                    "/b/1",
                    "/b/1/c",
                    "/b/1/d~1e",
                    "/q~0",
                    "/q~0/0"
                ]
            );
            assert_eq!(spans.len(), 9);
        }
    }

    #[test]
    fn a_parse_stopped_by_an_error_keeps_what_it_finished() {
        let yaml = "a: 1\nb:\n  c: [2\n";
        let spans = index(yaml, true);
        assert_eq!(spans.get("/a").unwrap().value, Span::new(3, 4));
        assert!(spans.get("").is_none());
        assert!(spans.nearest("/b/c").is_none_or(|(at, _)| at != "/b"));
    }

    #[test]
    fn duplicate_keys_keep_the_first_value() {
        let yaml = "a:\n  x: 1\na:\n  y: 2\nb: 3\n";
        let spans = index(yaml, true);
        assert_eq!(spans.get("/a/x").unwrap().value, Span::new(8, 9));
        assert!(spans.get("/a/y").is_none());
        assert_eq!(spans.get("/b").unwrap().value, Span::new(23, 24));
    }

    #[test]
    fn keep_fields_keeps_the_root_and_the_fields_named() {
        let yaml = "other:\n  deep: [1, 2]\nslug: x\n";
        let spans = index(yaml, false);
        let kept = spans.keep_fields(&["slug"]);
        assert_eq!(kept.get("/slug"), spans.get("/slug"));
        assert_eq!(kept.get(""), spans.get(""));
        assert_eq!(kept.nearest("/other/deep").unwrap().0, "");
        assert_eq!(kept.len(), 2);
    }
}
