//! Fact rules: what no schema can say. The numbers on a guide agree with each
//! other, its references resolve, its editorial state is complete.
//!
//! One rule per file, each a unit type implementing [`Rule`]; its `DOC` text
//! (What it checks / Why it matters / Example) is its doc comment and what
//! `guidepress rule CODE` prints. [`RULES`] is the one table mapping codes to
//! rules; the codes themselves live in [`crate::codes::RULE_CODES`].
//!
//! Rules run after schema validation on every guide that parsed, whether or
//! not it passed its schema: each rule reads what it needs with `let … else`
//! guards and skips what it cannot read.

pub mod config;
pub mod date;
pub mod engine;
pub mod suppress;

mod annual_openings_official;
mod approval_incomplete;
mod career_path_duration;
mod duplicate_slug;
mod duplicate_source_id;
mod entry_education_official;
mod future_date;
mod house_term;
mod job_growth_official;
mod national_median_official;
mod occupation_title_mismatch;
mod official;
mod official_data_unavailable;
mod outlook;
mod placeholder_text;
mod projections_unavailable;
mod prose_dictionary_unavailable;
mod prose_figure_mismatch;
mod prose_figures;
mod prose_words;
mod salary_range_median;
mod salary_range_official;
mod salary_vs_national;
mod slug_mismatch;
mod source_occupation_mismatch;
mod spelling;
mod stale_review;
mod stale_source;
mod state_employment_official;
mod state_median_official;
mod state_rank_order;
mod unknown_author;
mod unknown_soc_code;
mod unknown_source;
mod unpublished_estimate;
mod unused_source;

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::codes::{self, CodeInfo};
use crate::diagnostic::{Diagnostic, Span};
use crate::document::LoadedFile;

pub use config::RulesConfig;
pub use date::Date;
pub use engine::{RuleSettings, RulesError, finish, guide_findings};
pub use official::{OfficialFigure, official_figures};

/// The top-level fields that cross-file rules ([`Rule::check_workspace`]) read.
/// Once its own checks are done, a guide keeps only these in memory, with
/// their spans and source lines (see [`crate::pipeline::run`] and
/// [`LoadedFile::compact`]); a cross-file rule reading another field, or
/// pointing its findings at another field, must add it here.
pub const WORKSPACE_FIELDS: &[&str] = &["slug"];

/// True when [`finish`] reads `file`'s text again (for its suppression
/// comments): such a file keeps its whole text until then.
pub fn reads_text_when_finishing(file: &LoadedFile) -> bool {
    suppress::present(&file.source.text)
}

/// A fact rule. Implementations are unit types, one per file.
pub trait Rule: Sync + Send {
    /// The rule's code, a row of [`codes::RULE_CODES`].
    fn code(&self) -> &'static str;
    /// What it checks, why it matters, an example finding and its fix (Markdown).
    fn doc(&self) -> &'static str;
    /// Whether a finding it makes an error stays one whatever level is
    /// configured (the configured level applies to its other findings, and
    /// `off` still turns it off): `GP316` in a guide under review.
    fn keeps_errors(&self) -> bool {
        false
    }
    /// Checks one guide.
    fn check_guide(&self, _guide: &Guide<'_>, _out: &mut Vec<Diagnostic>) {}
    /// Checks all guides of the run together (cross-file rules). Findings are
    /// returned with the index of their guide in `guides`.
    fn check_workspace(&self, _guides: &[Guide<'_>], _out: &mut Vec<(usize, Diagnostic)>) {}
}

/// Every rule, in code order. Codes are never reused.
pub static RULES: &[&dyn Rule] = &[
    &salary_vs_national::SalaryVsNational,
    &salary_range_median::RangeContainsMedian,
    &state_rank_order::StateRankOrder,
    &career_path_duration::CareerPathDuration,
    &unknown_source::UnknownSource,
    &unused_source::UnusedSource,
    &duplicate_source_id::DuplicateSourceId,
    &unknown_author::UnknownAuthor,
    &slug_mismatch::SlugMismatch,
    &duplicate_slug::DuplicateSlug,
    &approval_incomplete::ApprovalIncomplete,
    &future_date::FutureDate,
    &stale_review::StaleReview,
    &stale_source::StaleSource,
    &prose_figure_mismatch::ProseFigureMismatch,
    &placeholder_text::PlaceholderText,
    &unknown_soc_code::UnknownSocCode,
    &occupation_title_mismatch::OccupationTitleMismatch,
    &national_median_official::NationalMedianOfficial,
    &salary_range_official::SalaryRangeOfficial,
    &state_median_official::StateMedianOfficial,
    &state_employment_official::StateEmploymentOfficial,
    &unpublished_estimate::UnpublishedEstimate,
    &official_data_unavailable::OfficialDataUnavailable,
    &job_growth_official::JobGrowthOfficial,
    &annual_openings_official::AnnualOpeningsOfficial,
    &entry_education_official::EntryEducationOfficial,
    &projections_unavailable::ProjectionsUnavailable,
    &source_occupation_mismatch::SourceOccupationMismatch,
    &spelling::Spelling,
    &house_term::HouseTerm,
    &prose_dictionary_unavailable::ProseDictionaryUnavailable,
];

/// The rule with `code` (or kebab-case name), ignoring case.
pub fn rule(code_or_name: &str) -> Option<&'static dyn Rule> {
    let info = codes::lookup(code_or_name)?;
    RULES.iter().copied().find(|r| r.code() == info.code)
}

/// The code table row of a rule code.
pub fn info(code: &str) -> &'static CodeInfo {
    codes::RULE_CODES
        .iter()
        .find(|i| i.code == code)
        .expect("every rule code is in the code table")
}

/// What the rules know besides the guide itself.
#[derive(Debug, Clone)]
pub struct RuleContext {
    /// Today's date (injectable for tests with `GUIDEPRESS_TODAY`).
    pub today: Date,
    /// Ids allowed to approve guides; `None` when no list is configured.
    pub editors: Option<Vec<String>>,
    /// Ids of the files in the authors folder; `None` when it cannot be listed.
    pub authors: Option<BTreeSet<String>>,
    /// The authors folder as shown in messages.
    pub authors_dir: String,
    /// Oldest `editorial.last_reviewed` accepted, in days.
    pub review_max_age_days: i64,
    /// Oldest `sources[].accessed_on` accepted, in days.
    pub source_max_age_days: i64,
    /// The official data (`[data]`); `None` turns the `GP6xx` rules off.
    pub data: Option<std::sync::Arc<crate::data::DataStore>>,
    /// BLS's Employment Projections (`[data] projections_dir`); `None` turns
    /// the outlook rules (`GP611`-`GP614`) off.
    pub projections: Option<std::sync::Arc<crate::data::projections::ProjectionStore>>,
    /// The prose checks' settings (`[prose]`); `None` turns `GP7xx` off.
    pub prose: Option<std::sync::Arc<crate::prose::Prose>>,
    /// Compute spelling suggestions while checking (`GP701`'s fix and help
    /// line). The language server turns it off and computes them only for
    /// the code actions asked for: a word typed letter by letter is a new
    /// misspelling at every keystroke.
    pub suggestions: bool,
}

impl Default for RuleContext {
    fn default() -> Self {
        RuleContext {
            today: Date::new(2026, 1, 1).expect("a valid date"),
            editors: None,
            authors: None,
            authors_dir: "content/authors".into(),
            review_max_age_days: config::DEFAULT_REVIEW_MAX_AGE_DAYS,
            source_max_age_days: config::DEFAULT_SOURCE_MAX_AGE_DAYS,
            data: None,
            projections: None,
            prose: None,
            suggestions: true,
        }
    }
}

/// One guide as a rule sees it: the loaded file, its root mapping, the context.
#[derive(Clone, Copy)]
pub struct Guide<'a> {
    /// The loaded file (source text, spans).
    pub file: &'a LoadedFile,
    /// The root mapping.
    pub root: &'a Map<String, Value>,
    /// What the rules know besides the guide.
    pub context: &'a RuleContext,
}

impl<'a> Guide<'a> {
    /// The guide in `file`, when it parsed to a mapping.
    pub fn new(file: &'a LoadedFile, context: &'a RuleContext) -> Option<Self> {
        let root = file.value.as_ref()?.as_object()?;
        Some(Guide {
            file,
            root,
            context,
        })
    }

    /// The node at `pointer`.
    pub fn get(&self, pointer: &str) -> Option<&'a Value> {
        if pointer.is_empty() {
            return None;
        }
        let mut tokens = pointer.split('/').skip(1);
        let first = tokens.next()?;
        let mut node = self.root.get(first)?;
        for token in tokens {
            node = match node {
                Value::Object(map) => map.get(token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The text at `pointer`.
    pub fn str(&self, pointer: &str) -> Option<&'a str> {
        self.get(pointer)?.as_str()
    }

    /// The whole number at `pointer` (see [`whole`]).
    pub fn int(&self, pointer: &str) -> Option<i64> {
        whole(self.get(pointer)?)
    }

    /// The list at `pointer`.
    pub fn list(&self, pointer: &str) -> Option<&'a Vec<Value>> {
        self.get(pointer)?.as_array()
    }

    /// True when schema validation already reported the node at `pointer`: a
    /// schema finding (`GP2xx`) on it or inside it, or on its absence (a
    /// missing-field finding on an ancestor naming the missing key). A rule
    /// that cannot run because of such a finding says nothing more.
    pub fn schema_reported(&self, pointer: &str) -> bool {
        let schema = |d: &&Diagnostic| d.code.starts_with("GP2");
        let found = |p: &str| {
            self.file.diagnostics.iter().filter(schema).any(|d| {
                d.pointer.as_deref().is_some_and(|at| {
                    at == p || (at.starts_with(p) && at[p.len()..].starts_with('/'))
                })
            })
        };
        if found(pointer) {
            return true;
        }
        // A missing `key` is reported on its parent, naming it.
        let mut current = pointer;
        while let Some(cut) = current.rfind('/') {
            let (parent, key) = (&current[..cut], &current[cut + 1..]);
            let named = format!("`{}`", key.replace("~1", "/").replace("~0", "~"));
            if self.file.diagnostics.iter().filter(schema).any(|d| {
                d.code == codes::MISSING_FIELD
                    && d.pointer.as_deref() == Some(parent)
                    && d.message.contains(&named)
            }) {
                return true;
            }
            current = parent;
        }
        false
    }

    /// The value span of `pointer` (builds the span index: call only when reporting).
    pub fn span(&self, pointer: &str) -> Span {
        self.file.value_span(pointer)
    }

    /// The key span of `pointer` (builds the span index: call only when reporting).
    pub fn key_span(&self, pointer: &str) -> Span {
        self.file.key_span(pointer)
    }
}

/// One step of a path into a guide: a key or a list index.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// A mapping key.
    Key(&'a str),
    /// A list index.
    Index(usize),
}

/// The JSON Pointer of a path (built only when a finding needs it).
pub fn pointer_of(path: &[Step<'_>]) -> String {
    let mut pointer = String::new();
    for step in path {
        pointer.push('/');
        match step {
            Step::Key(key) => pointer.push_str(&crate::load::span_index::escape_token(key)),
            Step::Index(index) => pointer.push_str(&index.to_string()),
        }
    }
    pointer
}

/// Calls `visit` with the path and value of every node under `value`, depth
/// first, without allocating a pointer per node. `skip` says which subtrees to
/// leave out (it sees the path to the subtree and its value).
pub fn walk<'a>(
    value: &'a Value,
    path: &mut Vec<Step<'a>>,
    skip: &dyn Fn(&[Step<'a>], &'a Value) -> bool,
    visit: &mut dyn FnMut(&[Step<'a>], &'a Value),
) {
    if !path.is_empty() && skip(path, value) {
        return;
    }
    visit(path, value);
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Step::Key(key));
                walk(child, path, skip, visit);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(Step::Index(index));
                walk(child, path, skip, visit);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A finding of rule `code` at its default severity, on the value of `pointer`.
pub fn finding(
    guide: &Guide<'_>,
    code: &'static str,
    pointer: &str,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(
        code,
        info(code).default_severity,
        message,
        guide.span(pointer),
    )
    .with_pointer(pointer)
}

pub use crate::text::thousands;

/// The whole number a value holds, the same whether written as an integer
/// (`135980`) or as a float that is whole and exact (`135980.0`, `13598e1`;
/// the schema reports those as GP203): every fact rule reads figures through
/// this, so none treats the two differently. Floats beyond 2^53 (not exact),
/// fractions and integers beyond `i64` are `None`, never cast.
pub fn whole(value: &Value) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    let number = value.as_number()?;
    if let Some(n) = number.as_i64() {
        return Some(n);
    }
    let f = number.as_f64().filter(|_| number.is_f64())?;
    #[allow(clippy::cast_possible_truncation)]
    (f.fract() == 0.0 && f.abs() <= EXACT).then_some(f as i64)
}

/// Formats a JSON number as written in YAML (`4`, `6.5`).
pub fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_read_the_same_however_written() {
        use serde_json::json;
        assert_eq!(whole(&json!(135980)), Some(135980));
        assert_eq!(whole(&json!(135980.0)), Some(135980));
        assert_eq!(whole(&json!(0.0)), Some(0));
        assert_eq!(whole(&json!(-0.0)), Some(0));
        assert_eq!(whole(&json!(-5.0)), Some(-5));
        assert_eq!(whole(&json!(9_007_199_254_740_992.0)), Some(1 << 53));
        for none in [
            json!(1e300),
            json!(-1e300),
            json!(1e16),
            json!(0.5),
            json!(u64::MAX),
            json!("135980"),
            Value::Null,
        ] {
            assert_eq!(whole(&none), None, "{none}");
        }
        assert_eq!(whole(&json!(i64::MIN)), Some(i64::MIN));
    }

    #[test]
    fn every_rule_code_has_one_rule_and_one_row() {
        for rule in RULES {
            assert_eq!(
                RULES.iter().filter(|r| r.code() == rule.code()).count(),
                1,
                "{}",
                rule.code()
            );
            let _ = info(rule.code());
            assert!(rule.doc().contains("## What it checks"), "{}", rule.code());
            assert!(rule.doc().contains("## Why it matters"), "{}", rule.code());
            assert!(rule.doc().contains("## Example"), "{}", rule.code());
        }
        let mut seen = std::collections::HashSet::new();
        for info in codes::all_codes() {
            assert!(seen.insert(info.code), "{} reused", info.code);
        }
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(133080), "133,080");
        assert_eq!(thousands(-1000), "-1,000");
        assert_eq!(thousands(999), "999");
    }
}
