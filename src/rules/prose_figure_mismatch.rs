//! `GP315`: money amounts and percentages in prose agree with the facts they state. See [`ProseFigureMismatch`].
//!
//! Each string outside the facts is read sentence by sentence
//! ([`super::prose_figures`]); each figure is tied to at most one fact by
//! the words around it ([`range_facts`], [`money_fact`], [`percent_fact`]),
//! then compared with it ([`Prose::compare_money`], [`Prose::compare_percent`]).

use serde_json::Value;

use super::prose_figures::{
    Figure, FigureKind, Nearby, cert_named, figures, names_any_state, sentences, states_in,
};
use super::{Guide, Rule, Step, finding, number_text, pointer_of, thousands, walk};
use crate::codes;
use crate::decimal::Decimal;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};

#[doc = include_str!("docs/GP315.md")]
pub struct ProseFigureMismatch;

const SALARY_WORDS: &[&str] = &[
    "earn",
    "salar",
    "pay",
    "paid",
    "make",
    "range",
    "compensation",
    "wage",
    "income",
];

/// What a figure was compared with.
struct Fact {
    pointer: String,
    name: String,
    value: FactValue,
}

enum FactValue {
    Dollars(i64),
    Percent(f64),
}

impl Rule for ProseFigureMismatch {
    fn code(&self) -> &'static str {
        codes::PROSE_FIGURE_MISMATCH
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP315.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let mut path = Vec::new();
        for (key, value) in guide.root {
            if matches!(
                key.as_str(),
                "facts" | "sources" | "salary_by_state" | "slug" | "editorial" | "occupation"
            ) {
                continue;
            }
            path.push(Step::Key(key));
            walk(value, &mut path, &|_, _| false, &mut |path, value| {
                if let Value::String(text) = value {
                    if text.bytes().any(|b| b == b'$' || b == b'%') || text.contains("opening") {
                        let prose = Prose {
                            guide,
                            pointer: &pointer_of(path),
                            text,
                        };
                        prose.check(out);
                    }
                }
            });
            path.pop();
        }
    }
}

/// What the guide lists that prose may name.
struct Subjects<'g> {
    /// The state codes of `salary_by_state`.
    states: Vec<&'g str>,
    /// The certifications' indexes and names.
    certifications: Vec<(usize, &'g str)>,
}

impl<'g> Subjects<'g> {
    fn of(guide: &Guide<'g>) -> Self {
        Subjects {
            states: guide
                .list("/salary_by_state")
                .into_iter()
                .flatten()
                .filter_map(|row| row.get("state")?.as_str())
                .collect(),
            certifications: guide
                .list("/certifications/items")
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(i, item)| Some((i, item.get("name")?.as_str()?)))
                .collect(),
        }
    }
}

/// One sentence with figures, and what it says around them.
struct Sentence<'t, 'g> {
    /// Byte range in the string value.
    range: (usize, usize),
    /// The figures, left to right.
    figures: Vec<Figure>,
    /// The sentence in lower case.
    lower: String,
    /// The listed states it names.
    states: Vec<&'g str>,
    /// It names a state (listed or not).
    any_state: bool,
    /// It speaks of pay.
    salary_context: bool,
    /// The certifications it names.
    certifications: Vec<&'t (usize, &'g str)>,
    /// It states exactly one money amount (ranges aside).
    single_money: bool,
}

impl<'t, 'g> Sentence<'t, 'g> {
    /// The sentence at `range` of `text`, or `None` when it states no figure.
    fn read(text: &str, range: (usize, usize), subjects: &'t Subjects<'g>) -> Option<Self> {
        let sentence = &text[range.0..range.1];
        if !sentence.contains(['$', '%']) {
            return None;
        }
        let figures = figures(text, range);
        if figures.is_empty() {
            return None;
        }
        let lower = sentence.to_ascii_lowercase();
        let states = states_in(sentence, &subjects.states);
        let any_state = !states.is_empty() || names_any_state(sentence);
        let salary_context = SALARY_WORDS.iter().any(|w| lower.contains(w));
        let certifications = subjects
            .certifications
            .iter()
            .filter(|(_, name)| cert_named(sentence, name))
            .collect();
        let single_money = figures
            .iter()
            .filter(|f| matches!(f.kind, FigureKind::Money { .. }))
            .count()
            == 1;
        Some(Sentence {
            range,
            figures,
            lower,
            states,
            any_state,
            salary_context,
            certifications,
            single_money,
        })
    }

    /// The words around `figure`.
    fn nearby(&self, figure: &Figure) -> Nearby<'_> {
        Nearby::around(
            &self.lower,
            figure.start - self.range.0,
            figure.end - self.range.0,
        )
    }
}

/// `$A-$B` in a sentence about pay that names no state nor certification:
/// the salary range's minimum and maximum.
fn range_facts<'f>(
    guide: &Guide<'_>,
    sentence: &Sentence<'_, '_>,
    low: &'f Figure,
    high: &'f Figure,
) -> Vec<(&'f Figure, Fact)> {
    if sentence.any_state || !sentence.salary_context || !sentence.certifications.is_empty() {
        return Vec::new();
    }
    [
        ("/facts/salary_range/min", "the salary range's minimum", low),
        (
            "/facts/salary_range/max",
            "the salary range's maximum",
            high,
        ),
    ]
    .into_iter()
    .filter_map(|(pointer, name, end)| {
        let actual = guide.int(pointer)?;
        Some((
            end,
            Fact {
                pointer: pointer.into(),
                name: name.into(),
                value: FactValue::Dollars(actual),
            },
        ))
    })
    .collect()
}

/// A money amount next to "median": the national median, or the median of
/// the one state the sentence names. Otherwise, the only amount of a
/// sentence naming one certification (and not about median pay): its price.
fn money_fact(guide: &Guide<'_>, sentence: &Sentence<'_, '_>, nearby: Nearby<'_>) -> Option<Fact> {
    if nearby.mentions(&["median"]) {
        return match sentence.states.as_slice() {
            [] if !sentence.any_state => guide.int("/facts/national_median_salary").map(|v| Fact {
                pointer: "/facts/national_median_salary".into(),
                name: "the national median salary".into(),
                value: FactValue::Dollars(v),
            }),
            [state] => {
                let (pointer, value) = state_fact(guide, state, "median_salary")?;
                Some(Fact {
                    pointer,
                    name: format!("{} median salary", crate::text::possessive(state)),
                    value: FactValue::Dollars(super::whole(value)?),
                })
            }
            _ => None,
        };
    }
    let ([(index, name)], true) = (sentence.certifications.as_slice(), sentence.single_money)
    else {
        return None;
    };
    if sentence.salary_context && sentence.lower.contains("median") {
        return None;
    }
    let pointer = format!("/certifications/items/{index}/cost_usd");
    let cost = guide.int(&pointer)?;
    Some(Fact {
        pointer,
        name: format!("the price of {name}"),
        value: FactValue::Dollars(cost),
    })
}

/// A percentage next to "growth" in a sentence naming no state: the job
/// growth rate. Next to "national" in a sentence naming one listed state:
/// that state's difference from the national median (negative when "below",
/// "less", "lower" or "under" follows). Returns the percentage as read.
fn percent_fact(
    guide: &Guide<'_>,
    sentence: &Sentence<'_, '_>,
    nearby: Nearby<'_>,
    decimal: &Decimal,
) -> Option<(Decimal, Fact)> {
    if nearby.mentions(&["growth", "grow"]) && !sentence.any_state {
        let actual = guide.get("/facts/job_growth_pct").and_then(Value::as_f64)?;
        return Some((
            decimal.clone(),
            Fact {
                pointer: "/facts/job_growth_pct".into(),
                name: "the job growth rate".into(),
                value: FactValue::Percent(actual),
            },
        ));
    }
    let ([state], true) = (sentence.states.as_slice(), nearby.mentions(&["national"])) else {
        return None;
    };
    let (pointer, value) = state_fact(guide, state, "vs_national_pct")?;
    let actual = value.as_f64()?;
    let below = ["below", "less", "lower", "under"]
        .iter()
        .any(|w| nearby.after.contains(w));
    let mut decimal = decimal.clone();
    if below && !decimal.negative {
        decimal.negative = true;
    }
    Some((
        decimal,
        Fact {
            pointer,
            name: format!(
                "{} difference from the national median",
                crate::text::possessive(state)
            ),
            value: FactValue::Percent(actual),
        },
    ))
}

/// True when `written` states `actual`: equal, or rounded (down, or to nearest
/// without `+`) at the written precision and within 1%.
fn money_agrees(written: i64, zeros: u32, plus: bool, actual: i64) -> bool {
    if written == actual {
        return true;
    }
    let (written, actual) = (i128::from(written), i128::from(actual));
    let unit = 10i128.pow(zeros.min(9));
    let down = actual.div_euclid(unit) * unit;
    let nearest = (actual + unit / 2).div_euclid(unit) * unit;
    let close = (written - actual).abs() * 100 <= actual.abs();
    close && (written == down || (!plus && written == nearest))
}

fn percent_agrees(written: &Decimal, actual: f64) -> bool {
    let Some(actual) = Decimal::parse(&number_text(actual)) else {
        return true;
    };
    let scale = written.decimals.max(actual.decimals);
    let unit = 10i128.pow(scale - written.decimals);
    2 * (written.scaled(scale) - actual.scaled(scale)).abs() <= unit
}

/// The text stating `actual` in place of `written` (`+17%` → `+15%`), at
/// the written precision, keeping its sign's form; `None` when the sign comes
/// from the words around it ("12% below") and would have to change.
fn percent_replacement(written: &str, decimal: &Decimal, actual: f64) -> Option<String> {
    let signed = written.starts_with(['+', '-']);
    let from_words = decimal.negative && !written.starts_with('-');
    if from_words && actual >= 0.0 {
        return None;
    }
    let places = decimal.decimals as usize;
    let magnitude = format!("{:.places$}", actual.abs());
    let zero = magnitude.trim_start_matches(['0', '.']).is_empty();
    let sign = match (from_words, actual < 0.0 && !zero, signed) {
        (true, _, _) => "",
        (false, true, _) => "-",
        (false, false, true) => "+",
        (false, false, false) => "",
    };
    Some(format!("{sign}{magnitude}%"))
}

fn money_text(dollars: i64) -> String {
    format!("${}", thousands(dollars))
}

/// One string value of the guide that states figures.
struct Prose<'a, 'g> {
    guide: &'a Guide<'g>,
    /// Where the string is.
    pointer: &'a str,
    /// The string.
    text: &'a str,
}

impl Prose<'_, '_> {
    /// Compares every figure of the text that is tied to a fact.
    fn check(&self, out: &mut Vec<Diagnostic>) {
        self.check_openings(out);
        let subjects = Subjects::of(self.guide);
        for range in sentences(self.text) {
            let Some(sentence) = Sentence::read(self.text, range, &subjects) else {
                continue;
            };
            for figure in &sentence.figures {
                let nearby = sentence.nearby(figure);
                match &figure.kind {
                    FigureKind::Range(low, high) => {
                        for (end, fact) in range_facts(self.guide, &sentence, low, high) {
                            self.compare_money(end, &fact, out);
                        }
                    }
                    FigureKind::Money { .. } => {
                        if let Some(fact) = money_fact(self.guide, &sentence, nearby) {
                            self.compare_money(figure, &fact, out);
                        }
                    }
                    FigureKind::Percent(decimal) => {
                        if let Some((decimal, fact)) =
                            percent_fact(self.guide, &sentence, nearby, decimal)
                        {
                            self.compare_percent(figure, &decimal, &fact, out);
                        }
                    }
                }
            }
        }
    }

    /// A number followed by "openings" ("140,100 openings a year", "129,200
    /// job openings"): `facts.annual_openings`, compared as money is (rounded
    /// down or to nearest at the written precision, within 1%).
    fn check_openings(&self, out: &mut Vec<Diagnostic>) {
        let Some(actual) = self.guide.int("/facts/annual_openings") else {
            return;
        };
        let text = self.text;
        let bytes = text.as_bytes();
        for (start, end) in sentences(text) {
            if !text[start..end].contains("opening") {
                continue;
            }
            let mut i = start;
            while i < end {
                let fresh = i == start
                    || !matches!(bytes[i - 1], b'$' | b'.' | b',' | b'-')
                        && !bytes[i - 1].is_ascii_alphanumeric();
                if !(bytes[i].is_ascii_digit() && fresh) {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < end
                    && (bytes[j].is_ascii_digit()
                        || (bytes[j] == b',' && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)))
                {
                    j += 1;
                }
                let after = text[j..end].trim_start().to_ascii_lowercase();
                let named = [
                    "openings",
                    "job openings",
                    "new openings",
                    "annual openings",
                ]
                .iter()
                .any(|w| after.starts_with(w));
                let digits: String = text[i..j].chars().filter(char::is_ascii_digit).collect();
                if let (true, Ok(written)) = (named, digits.parse::<i64>()) {
                    let zeros = digits.len() - digits.trim_end_matches('0').len();
                    let zeros = u32::try_from(zeros.min(9)).unwrap_or(0);
                    if written >= 100 && !money_agrees(written, zeros, false, actual) {
                        let unit = 10i64.pow(zeros);
                        let rounded = (actual + unit / 2) / unit * unit;
                        let fact = Fact {
                            pointer: "/facts/annual_openings".into(),
                            name: "the annual openings".into(),
                            value: FactValue::Dollars(actual),
                        };
                        let (span, exact) = self.locate_range(i, j);
                        let written_text = &text[i..j];
                        let mut diagnostic =
                            self.report(span, written_text, &fact, &thousands(actual));
                        if exact {
                            diagnostic = diagnostic.with_fix(Fix {
                                message: format!(
                                    "Replace {written_text} with {}",
                                    thousands(rounded)
                                ),
                                applicability: Applicability::Unsafe,
                                edits: vec![Edit {
                                    span,
                                    replacement: thousands(rounded),
                                }],
                            });
                        }
                        out.push(diagnostic);
                    }
                }
                i = j.max(i + 1);
            }
        }
    }

    /// Where `figure` is in the source, and whether that is exact (else the
    /// whole string's span).
    fn locate(&self, figure: &Figure) -> (Span, bool) {
        self.locate_range(figure.start, figure.end)
    }

    /// Where bytes `start..end` of the string are in the source, and whether
    /// that is exact (else the whole string's span).
    fn locate_range(&self, start: usize, end: usize) -> (Span, bool) {
        let text = self.text;
        let node = self.guide.span(self.pointer);
        let needle = &text[start..end];
        let occurrence = text[..start].matches(needle).count();
        let Some(source) = self.guide.file.source.text.get(node.start..node.end) else {
            return (node, false);
        };
        match source.match_indices(needle).nth(occurrence) {
            Some((at, _)) => (
                Span::new(node.start + at, node.start + at + needle.len()),
                true,
            ),
            None => (node, false),
        }
    }

    fn compare_money(&self, figure: &Figure, fact: &Fact, out: &mut Vec<Diagnostic>) {
        let FigureKind::Money {
            dollars,
            zeros,
            plus,
            plain,
        } = figure.kind
        else {
            return;
        };
        let FactValue::Dollars(actual) = fact.value else {
            return;
        };
        if money_agrees(dollars, zeros, plus, actual) {
            return;
        }
        let written = &self.text[figure.start..figure.end];
        let (span, exact) = self.locate(figure);
        let mut diagnostic = self.report(span, written, fact, &money_text(actual));
        if exact && plain {
            diagnostic = diagnostic.with_fix(Fix {
                message: format!("Replace {written} with {}", money_text(actual)),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span,
                    replacement: money_text(actual),
                }],
            });
        }
        out.push(diagnostic);
    }

    fn compare_percent(
        &self,
        figure: &Figure,
        decimal: &Decimal,
        fact: &Fact,
        out: &mut Vec<Diagnostic>,
    ) {
        let FactValue::Percent(actual) = fact.value else {
            return;
        };
        if percent_agrees(decimal, actual) {
            return;
        }
        let written = &self.text[figure.start..figure.end];
        let (span, exact) = self.locate(figure);
        let mut diagnostic = self.report(span, written, fact, &format!("{}%", number_text(actual)));
        if let Some(replacement) = exact
            .then(|| percent_replacement(written, decimal, actual))
            .flatten()
        {
            diagnostic = diagnostic.with_fix(Fix {
                message: format!("Replace {written} with {replacement}"),
                applicability: Applicability::Unsafe,
                edits: vec![Edit { span, replacement }],
            });
        }
        out.push(diagnostic);
    }

    fn report(&self, span: Span, written: &str, fact: &Fact, actual: &str) -> Diagnostic {
        let field = crate::validate::field_name(&fact.pointer);
        let mut diagnostic = finding(
            self.guide,
            codes::PROSE_FIGURE_MISMATCH,
            self.pointer,
            format!(
                "The text says {written}, but {} is {actual} (`{field}`).",
                fact.name
            ),
        );
        diagnostic.span = span;
        diagnostic
            .with_span_label(format!("{} is {actual}", fact.name))
            .with_label(self.guide.span(&fact.pointer), "fact defined here")
            .with_help(
                "make the text agree with the fact, or correct the fact if the text is right",
            )
    }
}

fn state_fact<'a>(guide: &Guide<'a>, state: &str, field: &str) -> Option<(String, &'a Value)> {
    let rows = guide.list("/salary_by_state")?;
    let index = rows
        .iter()
        .position(|row| row.get("state").and_then(Value::as_str) == Some(state))?;
    let value = rows[index].get(field)?;
    Some((format!("/salary_by_state/{index}/{field}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_rounding() {
        assert!(money_agrees(211_000, 3, true, 211_450));
        assert!(money_agrees(133_000, 3, false, 133_080));
        assert!(!money_agrees(130_000, 4, false, 133_080));
        assert!(!money_agrees(212_000, 3, true, 211_450));
        assert!(money_agrees(80_000, 4, false, 80_000));
        assert!(!money_agrees(85_000, 3, false, 80_000));
    }

    #[test]
    fn openings_in_prose() {
        assert!(money_agrees(129_000, 3, false, 129_200));
        assert!(!money_agrees(140_100, 2, false, 129_200));
    }

    #[test]
    fn percent_fixes_keep_the_written_form() {
        let fix = |text: &str, actual: f64| {
            let decimal = Decimal::parse(text.trim_end_matches('%')).unwrap();
            percent_replacement(text, &decimal, actual)
        };
        assert_eq!(fix("+17%", 15.18).as_deref(), Some("+15%"));
        assert_eq!(fix("17%", 15.18).as_deref(), Some("15%"));
        assert_eq!(fix("17.0%", 15.18).as_deref(), Some("15.2%"));
        assert_eq!(fix("+3%", -2.0).as_deref(), Some("-2%"));
        let mut below = Decimal::parse("12").unwrap();
        below.negative = true;
        assert_eq!(
            percent_replacement("12%", &below, -9.0).as_deref(),
            Some("9%")
        );
        assert_eq!(percent_replacement("12%", &below, 4.0), None);
    }

    #[test]
    fn percent_precision() {
        assert!(percent_agrees(&Decimal::parse("17").unwrap(), 17.0));
        assert!(percent_agrees(&Decimal::parse("17").unwrap(), 17.4));
        assert!(!percent_agrees(&Decimal::parse("17").unwrap(), 17.6));
        assert!(!percent_agrees(&Decimal::parse("17.0").unwrap(), 17.4));
        assert!(!percent_agrees(&Decimal::parse("15").unwrap(), 17.0));
    }
}
