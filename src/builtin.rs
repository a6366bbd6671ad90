//! What the binary carries, so that it works in a repository holding only
//! `content/`: the guide and author schemas and every official data snapshot
//! of this repository's `data/` folder at build time (`build.rs` compresses
//! them; they are inflated here on first use, once per run). A file of the
//! same path in the repository being checked overrides the embedded one:
//! callers look on disk first and come here when the file is missing.

use std::io::Read;

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// How an embedded file is named where a repository path would be shown.
pub const ORIGIN: &str = "built in";

/// The embedded file at `path` (relative to a repository, `/`-separated:
/// `schemas/guide.schema.json`, `data/oews/2025A01.csv`), inflated; `None`
/// when no such file is embedded.
pub fn read(path: &str) -> Option<Vec<u8>> {
    let (_, size, compressed) = FILES.iter().find(|(p, _, _)| *p == path)?;
    let mut bytes = Vec::with_capacity(*size);
    // The bytes were written by build.rs from this very build: a failure is a bug.
    flate2::read::ZlibDecoder::new(*compressed)
        .take(*size as u64 + 1)
        .read_to_end(&mut bytes)
        .expect("an embedded file inflates");
    debug_assert_eq!(bytes.len(), *size);
    Some(bytes)
}

/// True when a file is embedded at `path`.
pub fn contains(path: &str) -> bool {
    FILES.iter().any(|(p, _, _)| *p == path)
}

/// The names of the files embedded directly in `folder` (`data/oews` →
/// `2025A01.csv`, …), sorted.
pub fn files_in(folder: &str) -> Vec<&'static str> {
    let folder = folder.trim_end_matches('/');
    let mut names: Vec<&'static str> = FILES
        .iter()
        .filter_map(|(path, _, _)| {
            let rest = path.strip_prefix(folder)?.strip_prefix('/')?;
            (!rest.contains('/')).then_some(rest)
        })
        .collect();
    names.sort_unstable();
    names
}

/// Every embedded path with its size and compressed size, in bytes.
pub fn listing() -> impl Iterator<Item = (&'static str, usize, usize)> {
    FILES
        .iter()
        .map(|(path, size, bytes)| (*path, *size, bytes.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schemas_and_the_oews_snapshot_are_embedded_and_inflate_to_the_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for path in [
            "schemas/guide.schema.json",
            "schemas/author.schema.json",
            "data/oews/2025A01.csv",
        ] {
            let embedded = read(path).unwrap_or_else(|| panic!("{path} is not embedded"));
            assert_eq!(embedded, std::fs::read(root.join(path)).unwrap(), "{path}");
        }
        assert!(files_in("data/oews").contains(&"2025A01.csv"));
        assert!(
            files_in("data").is_empty(),
            "only direct children are listed"
        );
        assert!(read("data/oews/1999A01.csv").is_none());
        assert!(!contains("schemas/guidepress.schema.json"));
    }
}
