//! `--shard K/N`: a stable split of the file list for a CI matrix.

use std::path::Path;
use std::str::FromStr;

use crate::workspace::Target;

/// `--shard K/N`: the K-th of N parts (1-based) of a sorted file list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which part, from 1.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

/// `--shard` was not `K/N` with `1 <= K <= N`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a shard is written K/N with 1 <= K <= N, such as 2/4; got `{0}`")]
pub struct ShardParseError(String);

impl FromStr for Shard {
    type Err = ShardParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || ShardParseError(s.to_owned());
        let (index, count) = s.split_once('/').ok_or_else(error)?;
        let index: usize = index.trim().parse().map_err(|_| error())?;
        let count: usize = count.trim().parse().map_err(|_| error())?;
        if index == 0 || count == 0 || index > count {
            return Err(error());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Keeps this shard's targets: files sorted by path relative to `root`,
    /// then every N-th from the K-th. The same files always land in the same
    /// shard for the same file list, on any machine.
    pub fn select(self, targets: Vec<Target>, root: &Path) -> Vec<Target> {
        let mut keyed: Vec<(String, Target)> = targets
            .into_iter()
            .map(|t| {
                let key = t
                    .path
                    .strip_prefix(root)
                    .unwrap_or(&t.path)
                    .to_string_lossy()
                    .replace('\\', "/");
                (key, t)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        keyed
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index - 1)
            .map(|(_, (_, t))| t)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_reject() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert!("0/4".parse::<Shard>().is_err());
        assert!("5/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }
}
