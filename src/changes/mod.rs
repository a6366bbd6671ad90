//! Checking only what a change touches: the files changed since a git
//! reference ([`git`], reading its diff with [`diff`]), the files whose
//! result those changes can alter ([`select`](mod@select)), the lines the diff touched
//! ([`lines`]), and splitting the files into shards for a CI matrix
//! ([`shard`]).
//!
//! Git is run as a command (`git` on `PATH`); nothing is written to the repository.

use std::path::PathBuf;

use crate::workspace::WorkspaceError;

pub mod diff;
pub mod git;
pub mod lines;
pub mod select;
pub mod shard;

pub use diff::{FileChange, FileStatus, parse_hunks, parse_name_status};
pub use git::{ChangeSet, repository_prefix};
pub use lines::ChangedLines;
pub use select::{Selection, select};
pub use shard::{Shard, ShardParseError};

/// Why the changed files could not be found.
#[derive(Debug, thiserror::Error)]
pub enum ChangesError {
    /// `git` could not be run.
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    /// The working directory is not inside a git repository.
    #[error("{0} is not inside a git repository, so `--changed-since` cannot be used")]
    NotARepository(PathBuf),
    /// The base reference is not in this clone.
    #[error(
        "`{reference}` is not in this clone (a shallow clone, or the branch was never fetched); \
         fetch it first, e.g. `git fetch --no-tags --depth=50 origin {branch}`, \
         or check out with `fetch-depth: 0` in actions/checkout"
    )]
    MissingBase {
        /// The reference given.
        reference: String,
        /// The branch name to fetch, guessed from the reference.
        branch: String,
    },
    /// The base and `HEAD` have no common commit in this clone.
    #[error(
        "`{0}` and HEAD have no common commit in this clone (it is too shallow); \
         deepen it, e.g. `git fetch --deepen=100`, or check out with `fetch-depth: 0`"
    )]
    NoMergeBase(String),
    /// Another git failure.
    #[error("`git {command}` failed: {stderr}")]
    Git {
        /// The arguments.
        command: String,
        /// What git said.
        stderr: String,
    },
    /// Listing the workspace failed.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
}
