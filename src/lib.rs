//! guidepress: keeps career guides correct and ships them.
//!
//! The pipeline: [`load`] (YAML with spans) → [`validate`] (JSON Schemas) →
//! rules → links → publish, with [`report`] for output formats and
//! [`config`] beside them. Content problems are [`Diagnostic`]s; `Err` is
//! for I/O, configuration and internal failures.
#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]

pub mod codes;
pub mod diagnostic;
pub mod links;
pub mod load;
pub mod net;
pub mod source;

pub use diagnostic::{Applicability, Diagnostic, Edit, ExternalLabel, Fix, Label, Severity, Span};
pub use source::{Position, SourceFile};
pub mod changes;
pub mod check;
pub mod config;
pub mod data;
pub mod document;
pub mod fix;
pub mod fsio;
pub mod publish;
pub mod report;
pub mod rules;
pub mod validate;
pub mod workspace;
