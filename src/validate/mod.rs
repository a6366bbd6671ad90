//! Validation against JSON Schemas (draft 2020-12, formats asserted; `integer`
//! means written as a whole number, see [`types`]).
//!
//! Each schema is compiled once per run. Errors come out as [`SchemaError`]s
//! (instance pointer + kind + schema location); turning them into diagnostics
//! needs the span index, which is built only for files that have errors.

mod messages;
mod types;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use messages::{closest, field_name, to_diagnostics};

use crate::codes;
use crate::diagnostic::{Diagnostic, Span};
use crate::document::LoadedFile;
use crate::file_kind::FileKind;

/// Validates a loaded file against `schema` and adds the findings to it; a
/// file of no known kind without a schema gets a warning saying only its YAML
/// was checked.
pub fn check_file(file: &mut LoadedFile, schema: Option<&Schema>) {
    let mut diagnostics = std::mem::take(&mut file.diagnostics);
    if let (Some(schema), Some(value)) = (schema, &file.value) {
        if schema.is_valid(value) {
            file.schema_valid = true;
        } else {
            for error in schema.errors(value) {
                diagnostics.extend(to_diagnostics(
                    &error,
                    &schema.document,
                    value,
                    file.spans(),
                    &file.source,
                ));
            }
        }
    } else if schema.is_none() && file.value.is_some() && file.kind == FileKind::Other {
        diagnostics.push(
            Diagnostic::warning(
                codes::NO_SCHEMA,
                "No schema is configured for this file; only its YAML was checked.",
                Span::at(0),
            )
            .with_help("add a `[[schemas]]` entry in guidepress.toml, or pass `--schema FILE`"),
        );
    }
    file.diagnostics = diagnostics;
}

/// The largest schema file read, in bytes (the schema itself and each file a `$ref` names).
pub const MAX_SCHEMA_SIZE: u64 = 16 * 1024 * 1024;

/// Resolves `$ref`s to local files (`file:` addresses, as relative references
/// against the schema file become); never fetches anything over the network.
struct LocalFiles;

impl jsonschema::Retrieve for LocalFiles {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let address = uri.as_str();
        let url = url::Url::parse(address)?;
        if url.scheme() != "file" {
            return Err(format!(
                "`{address}` is not a local file; schema references are never fetched from the network"
            )
            .into());
        }
        let path = url
            .to_file_path()
            .map_err(|()| format!("`{address}` is not a local file path"))?;
        let bytes = crate::fsio::read_regular(&path, MAX_SCHEMA_SIZE)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// A compiled schema and its source document (for descriptions and hints).
pub struct Schema {
    /// Where the schema was read from (for a built-in schema, the path it
    /// stands in for, `schemas/guide.schema.json (built in)`).
    pub path: PathBuf,
    /// True for a schema embedded in the binary ([`crate::builtin`]).
    pub built_in: bool,
    /// The schema document.
    pub document: Value,
    validator: jsonschema::Validator,
}

/// Why a schema could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaLoadError {
    /// The file could not be read.
    #[error("cannot read schema {path}")]
    Read {
        /// The schema path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("schema {path} is not valid JSON")]
    Json {
        /// The schema path.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The schema is not a valid JSON Schema.
    #[error("schema {path} is not a valid JSON Schema: {message}")]
    Invalid {
        /// The schema path.
        path: PathBuf,
        /// What the validator said.
        message: String,
    },
}

/// One schema violation, before it is placed in the source.
#[derive(Debug, Clone)]
pub struct SchemaError {
    /// JSON Pointer of the offending instance node.
    pub pointer: String,
    /// What is wrong.
    pub kind: SchemaErrorKind,
    /// JSON Pointer into the schema document of the subschema holding the failed keyword.
    pub subschema: String,
    /// The validator's own message (used for kinds without a tailored one).
    pub fallback: String,
}

/// The kinds of violation the messages are tailored to.
#[derive(Debug, Clone)]
pub enum SchemaErrorKind {
    /// `required`.
    Missing(String),
    /// `additionalProperties: false`.
    Unknown(Vec<String>),
    /// `type`.
    Type,
    /// `enum`.
    Enum(Vec<Value>),
    /// `const`.
    Const(Value),
    /// `pattern`.
    Pattern(String),
    /// `format`.
    Format(String),
    /// `minimum`, `maximum` and the exclusive ones: (keyword, limit).
    Bound(&'static str, Value),
    /// `minLength` / `maxLength`: (keyword, limit).
    Length(&'static str, u64),
    /// `minItems` / `maxItems`: (keyword, limit).
    Items(&'static str, u64),
    /// `uniqueItems`.
    Unique,
    /// Anything else.
    Other,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Schema {
    /// Reads and compiles the schema at `path`.
    pub fn load(path: &Path) -> Result<Self, SchemaLoadError> {
        let text = crate::fsio::read_regular(path, MAX_SCHEMA_SIZE).map_err(|error| {
            SchemaLoadError::Read {
                path: path.to_owned(),
                source: std::io::Error::other(error.to_string()),
            }
        })?;
        let document: Value =
            serde_json::from_slice(&text).map_err(|source| SchemaLoadError::Json {
                path: path.to_owned(),
                source,
            })?;
        Self::from_value(path, document)
    }

    /// Compiles an already parsed schema document.
    pub fn from_value(path: &Path, document: Value) -> Result<Self, SchemaLoadError> {
        let mut options = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_keyword("type", types::compile)
            .with_retriever(LocalFiles);
        // Relative `$ref`s resolve against the schema file itself.
        if let Some(base) = std::fs::canonicalize(path)
            .ok()
            .and_then(|p| url::Url::from_file_path(p).ok())
        {
            options = options.with_base_uri(base.to_string());
        }
        let validator = options
            .build(&document)
            .map_err(|error| SchemaLoadError::Invalid {
                path: path.to_owned(),
                message: error.to_string(),
            })?;
        Ok(Schema {
            path: path.to_owned(),
            built_in: false,
            document,
            validator,
        })
    }

    /// The schema embedded in the binary at `relative`
    /// (`schemas/guide.schema.json`), compiled; `None` when none is.
    pub fn built_in(relative: &str) -> Option<Result<Self, SchemaLoadError>> {
        let bytes = crate::builtin::read(relative)?;
        let path = PathBuf::from(format!("{relative} ({})", crate::builtin::ORIGIN));
        let document: Value = match serde_json::from_slice(&bytes) {
            Ok(document) => document,
            Err(source) => return Some(Err(SchemaLoadError::Json { path, source })),
        };
        Some(Self::from_value(&path, document).map(|mut schema| {
            schema.built_in = true;
            schema
        }))
    }

    /// True when `instance` is valid (the fast path: no error objects are built).
    pub fn is_valid(&self, instance: &Value) -> bool {
        self.validator.is_valid(instance)
    }

    /// Every violation in `instance`.
    pub fn errors(&self, instance: &Value) -> Vec<SchemaError> {
        self.validator
            .iter_errors(instance)
            .map(|error| {
                let keyword_location = error
                    .absolute_keyword_location()
                    .and_then(|uri| uri.as_str().split_once('#').map(|(_, f)| f.to_owned()))
                    .unwrap_or_else(|| error.schema_path().as_str().to_owned());
                let subschema = keyword_location
                    .rfind('/')
                    .map_or_else(String::new, |i| keyword_location[..i].to_owned());
                let kind = classify(error.kind());
                SchemaError {
                    pointer: error.instance_path().as_str().to_owned(),
                    kind,
                    subschema,
                    fallback: error.to_string(),
                }
            })
            .collect()
    }
}

fn classify(kind: &jsonschema::error::ValidationErrorKind) -> SchemaErrorKind {
    use jsonschema::error::ValidationErrorKind as K;
    match kind {
        K::Required { property } => SchemaErrorKind::Missing(
            property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned),
        ),
        K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
            SchemaErrorKind::Unknown(unexpected.clone())
        }
        K::Type { .. } => SchemaErrorKind::Type,
        K::Custom { keyword, .. } if keyword == "type" => SchemaErrorKind::Type,
        K::Enum { options } => {
            SchemaErrorKind::Enum(options.as_array().cloned().unwrap_or_default())
        }
        K::Constant { expected_value } => SchemaErrorKind::Const((**expected_value).clone()),
        K::Pattern { pattern } => SchemaErrorKind::Pattern(pattern.clone()),
        K::Format { format } => SchemaErrorKind::Format(format.clone()),
        K::Minimum { limit } => SchemaErrorKind::Bound("minimum", limit.clone()),
        K::Maximum { limit } => SchemaErrorKind::Bound("maximum", limit.clone()),
        K::ExclusiveMinimum { limit } => SchemaErrorKind::Bound("exclusiveMinimum", limit.clone()),
        K::ExclusiveMaximum { limit } => SchemaErrorKind::Bound("exclusiveMaximum", limit.clone()),
        K::MinLength { limit } => SchemaErrorKind::Length("minLength", *limit),
        K::MaxLength { limit } => SchemaErrorKind::Length("maxLength", *limit),
        K::MinItems { limit } => SchemaErrorKind::Items("minItems", *limit),
        K::MaxItems { limit } => SchemaErrorKind::Items("maxItems", *limit),
        K::UniqueItems => SchemaErrorKind::Unique,
        _ => SchemaErrorKind::Other,
    }
}
