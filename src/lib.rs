//! guidepress: keeps career guides correct and ships them.
//!
//! The pipeline ([`pipeline`]): [`load`] (YAML with spans) → [`validate`]
//! (JSON Schemas) → [`rules`] → [`links`] → [`results`], then [`report`]
//! for output formats and [`publish`]; [`config`] and [`workspace`] say
//! what to check. Content problems are [`Diagnostic`]s; `Err` is
//! for I/O, configuration and internal failures.
#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]

pub mod codes;
pub mod diagnostic;
pub mod links;
pub mod load;
pub mod net;
pub mod pipeline;
pub mod source;
pub mod text;

pub use diagnostic::{Applicability, Diagnostic, Edit, ExternalLabel, Fix, Label, Severity, Span};
pub use source::{Position, SourceFile};
pub mod builtin;
pub mod changes;
pub mod config;
pub mod data;
pub mod decimal;
pub mod docs;
pub mod document;
pub mod escape;
pub mod file_kind;
pub mod fix;
pub mod fsio;
pub mod glob;
pub mod preview;
pub mod prose;
pub mod publish;
pub mod report;
pub mod results;
pub mod retry;
pub mod review;
pub mod rules;
pub mod scaffold;
pub mod server;
pub mod states;
pub mod update;
pub mod validate;
pub mod workspace;
