//! Glob patterns from the configuration, compiled one way everywhere
//! (`globset` defaults: `*` also matches `/`, `**` any number of folders).

use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};

/// A pattern that does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid glob `{pattern}`: {message}")]
pub struct GlobError {
    /// The pattern as written (all of them, joined by `, `, when the set failed).
    pub pattern: String,
    /// What is wrong with it.
    pub message: String,
}

fn compile(pattern: &str) -> Result<Glob, GlobError> {
    Glob::new(pattern).map_err(|error| GlobError {
        pattern: pattern.to_owned(),
        message: error.kind().to_string(),
    })
}

/// Compiles one pattern.
pub fn matcher(pattern: &str) -> Result<GlobMatcher, GlobError> {
    compile(pattern).map(|glob| glob.compile_matcher())
}

/// Compiles a list of patterns into one set; `None` for an empty list (so
/// callers can tell "no patterns" from "matches nothing").
pub fn set(patterns: &[String]) -> Result<Option<GlobSet>, GlobError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(compile(pattern)?);
    }
    builder.build().map(Some).map_err(|error| GlobError {
        pattern: patterns.join(", "),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile_or_say_why_not() {
        assert!(
            matcher("content/**/*.yaml")
                .unwrap()
                .is_match("content/a/b.yaml")
        );
        let error = matcher("content/[").unwrap_err();
        assert_eq!(error.pattern, "content/[");
        assert!(!error.message.is_empty());
        assert!(set(&[]).unwrap().is_none());
        let set = set(&["*.gov/**".into(), "a/*".into()]).unwrap().unwrap();
        assert!(set.is_match("a/b"));
        assert!(!set.is_match("b/a"));
    }
}
