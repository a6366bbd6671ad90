//! The one table of diagnostic codes. Codes are never reused: retire a code by
//! leaving its row with `retired: true` rather than deleting it.
//!
//! Groups: `GP1xx` reading YAML, `GP2xx` schema, `GP3xx` fact rules,
//! `GP4xx` source links, `GP5xx` publishing, `GP6xx` official data (fact
//! rules that compare a guide with BLS's figures), `GP7xx` prose (spelling
//! and house style in the fields the schema marks as prose).

use crate::diagnostic::{Applicability, Severity};

/// One row of the code table.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// The stable code, e.g. `GP201`.
    pub code: &'static str,
    /// A kebab-case name, e.g. `missing-field`.
    pub name: &'static str,
    /// One sentence describing the problem.
    pub summary: &'static str,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// The kind of fix its findings carry: `Safe` (applied by `--fix`),
    /// `Unsafe` (only with `--unsafe-fixes`), or `None`. The one place this
    /// is said: `rules`, `rule CODE` and the README read it, and a test holds
    /// every fix a finding carries to it.
    pub fix: Option<Applicability>,
}

/// One table of codes. A row is `CONST = "GPxxx", "name", Severity, "Summary.";`
/// and, for a code whose findings carry a fix, `fix Safe` or `fix Unsafe`
/// after the severity: `CONST = "GPxxx", "name", Severity, fix Unsafe, "Summary.";`.
macro_rules! codes {
    ($(#[$meta:meta])* $table:ident; $( $konst:ident = $code:literal, $name:literal, $sev:ident, $(fix $fix:ident,)? $summary:literal; )*) => {
        $(
            #[doc = $summary]
            pub const $konst: &str = $code;
        )*
        $(#[$meta])*
        pub const $table: &[CodeInfo] = &[
            $( CodeInfo {
                code: $code,
                name: $name,
                summary: $summary,
                default_severity: Severity::$sev,
                fix: codes!(@fix $($fix)?),
            }, )*
        ];
    };
    (@fix) => { None };
    (@fix $fix:ident) => { Some(Applicability::$fix) };
}

codes! {
    /// Every code the reader and the schema validator use, in order.
    CORE_CODES;
    UNREADABLE_FILE = "GP100", "unreadable-file", Error, "The file could not be read.";
    YAML_SYNTAX = "GP101", "yaml-syntax", Error, "The file is not valid YAML.";
    DUPLICATE_KEY = "GP102", "duplicate-key", Error, "A mapping defines the same key twice.";
    TAB_INDENTATION = "GP103", "tab-indentation", Error, fix Safe, "A tab character is used for indentation.";
    MULTIPLE_DOCUMENTS = "GP104", "multiple-documents", Error, "The file holds more than one YAML document.";
    EMPTY_FILE = "GP105", "empty-file", Error, "The file holds no YAML document.";
    NOT_UTF8 = "GP106", "not-utf8", Error, "The file is not valid UTF-8.";
    FILE_TOO_LARGE = "GP107", "file-too-large", Error, "The file is larger than the configured limit.";
    TOO_DEEP = "GP108", "nesting-too-deep", Error, "Mappings and lists are nested deeper than the configured limit.";
    ALIAS_BUDGET = "GP109", "alias-expansion", Error, "Aliases expand to more nodes than the configured budget.";
    NON_STRING_KEY = "GP110", "non-string-key", Error, "A mapping key is not a string.";
    MISSING_FIELD = "GP201", "missing-field", Error, "A required field is missing.";
    UNKNOWN_FIELD = "GP202", "unknown-field", Error, "A field is not part of the content model.";
    WRONG_TYPE = "GP203", "wrong-type", Error, "A value has the wrong type.";
    NOT_ALLOWED = "GP204", "value-not-allowed", Error, "A value is not one of the allowed values.";
    PATTERN_MISMATCH = "GP205", "pattern-mismatch", Error, "A text value does not have the required form.";
    INVALID_FORMAT = "GP206", "invalid-format", Error, "A value is not a valid date, URL or other format.";
    OUT_OF_RANGE = "GP207", "out-of-range", Error, "A number is outside the allowed range.";
    BAD_LENGTH = "GP208", "bad-length", Error, "A text is too short or too long.";
    BAD_LIST = "GP209", "bad-list", Error, "A list has too few or too many items, or repeats an item.";
    SCHEMA_VIOLATION = "GP210", "schema-violation", Error, "A value breaks another schema constraint.";
    NO_SCHEMA = "GP211", "no-schema", Warning, "No schema is configured for the file.";
}

codes! {
    /// Every code of the fact rules (`GP3xx`, `GP6xx` for the official
    /// data and `GP7xx` for prose), in order. Each has a rule in [`crate::rules::RULES`], except
    /// `GP390`/`GP391`, which the rule engine itself reports about suppression
    /// comments.
    RULE_CODES;
    SALARY_VS_NATIONAL = "GP301", "salary-vs-national", Error, fix Safe, "A state's percentage against the national median does not match the salaries.";
    RANGE_CONTAINS_MEDIAN = "GP302", "salary-range-median", Error, "The salary range does not contain the national median, or its minimum exceeds its maximum.";
    STATE_RANK_ORDER = "GP303", "state-rank-order", Error, "State rows are not in rank order, or a state is listed twice.";
    CAREER_PATH_DURATION = "GP304", "career-path-duration", Warning, fix Unsafe, "The career path's total time does not agree with its steps, or a duration runs backwards.";
    UNKNOWN_SOURCE = "GP305", "unknown-source", Error, "A source reference names no entry of `sources`.";
    UNUSED_SOURCE = "GP306", "unused-source", Warning, "A source is never cited.";
    DUPLICATE_SOURCE_ID = "GP307", "duplicate-source-id", Error, "Two sources share an id.";
    UNKNOWN_AUTHOR = "GP308", "unknown-author", Error, "An author reference names no file in the authors folder.";
    SLUG_MISMATCH = "GP309", "slug-mismatch", Error, fix Unsafe, "A guide's slug differs from its file name.";
    DUPLICATE_SLUG = "GP310", "duplicate-slug", Error, "Two guides share a slug.";
    APPROVAL_INCOMPLETE = "GP311", "approval-incomplete", Error, "An approved guide lacks its approver or approval date, or was approved by someone who is not an editor.";
    FUTURE_DATE = "GP312", "future-date", Error, "An editorial or source date is in the future.";
    STALE_REVIEW = "GP313", "stale-review", Warning, "The guide was last reviewed longer ago than allowed.";
    STALE_SOURCE = "GP314", "stale-source", Warning, "A source was last accessed longer ago than allowed.";
    PROSE_FIGURE_MISMATCH = "GP315", "prose-figure-mismatch", Error, fix Unsafe, "A figure written in prose contradicts the structured fact it states.";
    PLACEHOLDER_TEXT = "GP316", "placeholder-text", Warning, "A text is still a placeholder (`TODO: …`): a warning in a draft, an error once the guide is in review or approved.";
    UNUSED_SUPPRESSION = "GP390", "unused-suppression", Warning, fix Safe, "A `# guidepress: ignore` comment suppresses nothing.";
    INVALID_SUPPRESSION = "GP391", "invalid-suppression", Error, "A `# guidepress: ignore` comment has no reason, names an unknown code, or is misplaced.";
    UNKNOWN_SOC_CODE = "GP601", "unknown-soc-code", Error, fix Unsafe, "The occupation's SOC code is not in the official data release the guide is checked against.";
    OCCUPATION_TITLE_MISMATCH = "GP602", "occupation-title-mismatch", Warning, fix Unsafe, "The occupation title differs from BLS's title for the SOC code.";
    NATIONAL_MEDIAN_OFFICIAL = "GP603", "national-median-official", Error, fix Unsafe, "The national median salary differs from BLS's national annual median.";
    SALARY_RANGE_OFFICIAL = "GP604", "salary-range-official", Error, fix Unsafe, "The salary range differs from BLS's annual percentiles (10th and 90th unless configured).";
    STATE_MEDIAN_OFFICIAL = "GP605", "state-median-official", Error, fix Unsafe, "A state's median salary differs from BLS's annual median for that state.";
    STATE_EMPLOYMENT_OFFICIAL = "GP606", "state-employment-official", Error, fix Unsafe, "A state's employment differs from BLS's employment estimate for that state.";
    UNPUBLISHED_ESTIMATE = "GP607", "unpublished-estimate", Warning, "A figure states an estimate BLS did not publish (`*`, `**`) or has no row for.";
    OFFICIAL_DATA_UNAVAILABLE = "GP608", "official-data-unavailable", Error, "The official data the guide is checked against cannot be used: an unknown pinned release or an unreadable snapshot.";
    SOURCE_OCCUPATION_MISMATCH = "GP609", "source-occupation-mismatch", Error, fix Unsafe, "A BLS source cited by the guide is about another occupation than the guide's SOC code.";
    JOB_GROWTH_OFFICIAL = "GP611", "job-growth-official", Error, fix Unsafe, "The job growth percentage differs from BLS's Employment Projections change over the projection decade for the occupations the outlook covers.";
    ANNUAL_OPENINGS_OFFICIAL = "GP612", "annual-openings-official", Error, fix Unsafe, "The annual openings differ from BLS's Employment Projections annual average openings for the occupations the outlook covers.";
    ENTRY_EDUCATION_OFFICIAL = "GP613", "entry-education-official", Warning, fix Unsafe, "The education a guide gives differs from BLS's typical education needed for entry.";
    PROJECTIONS_UNAVAILABLE = "GP614", "projections-unavailable", Error, "The Employment Projections an outlook is checked against cannot be used: an occupation it names is not in the release, or the snapshot is unreadable.";
    SPELLING = "GP701", "spelling", Warning, fix Unsafe, "A word in prose is in neither the dictionary nor the technical or repository words; the fix is the first suggestion.";
    HOUSE_TERM = "GP702", "house-term", Warning, fix Safe, "Prose uses a term the house style replaces (`[prose.terms]`); the fix writes the preferred term in the same capitalization.";
    PROSE_DICTIONARY_UNAVAILABLE = "GP703", "prose-dictionary-unavailable", Warning, "The spelling dictionary or the repository's words file cannot be read; said once per run.";
}

/// The documentation of every core code (`GP1xx`, `GP2xx`): what it checks,
/// why it matters, an example and its fix, as the fact rules have theirs.
const CORE_DOCS: &[(&str, &str)] = &[
    ("GP100", include_str!("codes/docs/GP100.md")),
    ("GP101", include_str!("codes/docs/GP101.md")),
    ("GP102", include_str!("codes/docs/GP102.md")),
    ("GP103", include_str!("codes/docs/GP103.md")),
    ("GP104", include_str!("codes/docs/GP104.md")),
    ("GP105", include_str!("codes/docs/GP105.md")),
    ("GP106", include_str!("codes/docs/GP106.md")),
    ("GP107", include_str!("codes/docs/GP107.md")),
    ("GP108", include_str!("codes/docs/GP108.md")),
    ("GP109", include_str!("codes/docs/GP109.md")),
    ("GP110", include_str!("codes/docs/GP110.md")),
    ("GP201", include_str!("codes/docs/GP201.md")),
    ("GP202", include_str!("codes/docs/GP202.md")),
    ("GP203", include_str!("codes/docs/GP203.md")),
    ("GP204", include_str!("codes/docs/GP204.md")),
    ("GP205", include_str!("codes/docs/GP205.md")),
    ("GP206", include_str!("codes/docs/GP206.md")),
    ("GP207", include_str!("codes/docs/GP207.md")),
    ("GP208", include_str!("codes/docs/GP208.md")),
    ("GP209", include_str!("codes/docs/GP209.md")),
    ("GP210", include_str!("codes/docs/GP210.md")),
    ("GP211", include_str!("codes/docs/GP211.md")),
];

/// The documentation of a core code (Markdown), printed by `guidepress rule
/// CODE`. Fact rules carry theirs ([`crate::rules::Rule::doc`]).
pub fn doc(code: &str) -> Option<&'static str> {
    CORE_DOCS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, doc)| *doc)
}

/// Where a code's documentation lives in guidepress's repository, when it
/// has a page of its own.
pub fn doc_path(code: &str) -> Option<String> {
    let code = code.to_ascii_uppercase();
    if doc(&code).is_some() {
        Some(format!("src/codes/docs/{code}.md"))
    } else if RULE_CODES.iter().any(|info| info.code == code)
        && code != UNUSED_SUPPRESSION
        && code != INVALID_SUPPRESSION
    {
        Some(format!("src/rules/docs/{code}.md"))
    } else {
        None
    }
}

/// Every code, core codes first, then the rule codes, then the link codes.
pub fn all_codes() -> impl Iterator<Item = &'static CodeInfo> {
    CORE_CODES.iter().chain(RULE_CODES).chain(LINK_CODES)
}

/// Looks any code up by code (`GP301`) or name (`salary-vs-national`), ignoring case.
pub fn lookup(code_or_name: &str) -> Option<&'static CodeInfo> {
    all_codes().find(|info| {
        info.code.eq_ignore_ascii_case(code_or_name) || info.name.eq_ignore_ascii_case(code_or_name)
    })
}

codes! {
    /// Every code of source link verification (`GP4xx`: `guidepress links`,
    /// `check --links`), in order.
    LINK_CODES;
    LINK_BROKEN = "GP401", "broken-link", Error, "A cited link is broken: the page is gone (404, 410), the domain does not resolve, or the server refuses connections.";
    LINK_INCONCLUSIVE = "GP402", "inconclusive-link", Warning, "A cited link could not be verified: bot protection, rate limits, a timeout or server errors got in the way.";
    LINK_PERMANENT_REDIRECT = "GP403", "permanent-redirect", Warning, fix Safe, "A cited link permanently redirects to another address; the safe fix cites the new one.";
    LINK_SOFT_404 = "GP404", "soft-404", Warning, "A cited link answers with success but looks like a \"not found\" page or the site's home page.";
    LINK_REFUSED = "GP405", "link-refused", Error, "A cited link, or a redirect it leads to, points at a private, loopback or metadata address that the safety policy refuses.";
    LINK_INVALID = "GP406", "invalid-link", Error, "A cited address is not a valid http or https URL.";
    LINK_CACHE = "GP407", "link-cache", Warning, "The link cache file or its key cannot be used (damaged, not ours, outside the repository, readable by others); the run went on without it.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_its_documentation() {
        for info in CORE_CODES {
            let doc = doc(info.code).unwrap_or_else(|| panic!("{} has no doc", info.code));
            assert!(
                doc.starts_with(&format!("# {} `{}`", info.code, info.name)),
                "{}",
                info.code
            );
            for heading in ["## What it checks", "## Why it matters", "## Example"] {
                assert!(doc.contains(heading), "{} lacks {heading}", info.code);
            }
            let path = doc_path(info.code).expect("a path");
            assert!(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(&path)
                    .is_file(),
                "{path}"
            );
        }
    }
}
