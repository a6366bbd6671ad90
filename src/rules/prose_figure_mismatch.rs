//! `GP315`: money amounts and percentages in prose agree with the facts they state. See [`ProseFigureMismatch`].

use serde_json::Value;

use super::salary_vs_national::Decimal;
use super::{Guide, Rule, Step, finding, number_text, pointer_of, thousands, walk};
use crate::codes;
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

/// A money amount or percentage found in prose.
#[derive(Debug, Clone)]
struct Figure {
    /// Byte range in the string value.
    start: usize,
    end: usize,
    kind: FigureKind,
}

#[derive(Debug, Clone)]
enum FigureKind {
    /// `$133,080`, `$211,000+`, `$133K`: dollars, trailing zeros, `+`, plain digits (fixable).
    Money {
        dollars: i64,
        zeros: u32,
        plus: bool,
        plain: bool,
    },
    /// `$80,000-$211,000+`: the two ends.
    Range(Box<Figure>, Box<Figure>),
    /// `+17%`, `12.5%`.
    Percent(Decimal),
}

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

    fn fix_kind(&self) -> Option<Applicability> {
        Some(Applicability::Unsafe)
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
                    if text.bytes().any(|b| b == b'$' || b == b'%') {
                        check_text(guide, &pointer_of(path), text, out);
                    }
                }
            });
            path.pop();
        }
    }
}

/// Sentences of `text` as byte ranges: split after `.`, `!`, `?` followed by
/// white space, and at blank lines and Markdown list items.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let boundary = (matches!(b, b'.' | b'!' | b'?')
            && next.is_none_or(|n| n.is_ascii_whitespace()))
            || (b == b'\n' && matches!(next, Some(b'\n' | b'-' | b'*')));
        if boundary {
            out.push((start, i + 1));
            start = i + 1;
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

fn parse_money(text: &str, at: usize) -> Option<Figure> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'$') {
        return None;
    }
    let mut i = at + 1;
    let mut digits = String::new();
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits.push(b as char);
        } else if b == b','
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            && !digits.is_empty()
        {
            // thousands separator
        } else {
            break;
        }
        i += 1;
    }
    if digits.is_empty() {
        return None;
    }
    let mut fraction = String::new();
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            fraction.push(bytes[i] as char);
            i += 1;
        }
    }
    let multiplier: i64 = match bytes.get(i) {
        Some(b'K' | b'k') if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
            i += 1;
            1_000
        }
        Some(b'M') if !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
            i += 1;
            1_000_000
        }
        _ => 1,
    };
    let plain = multiplier == 1 && fraction.trim_end_matches('0').is_empty();
    let whole: i64 = digits.parse().ok()?;
    let fraction_value = if fraction.is_empty() {
        0
    } else {
        let scale = 10i64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
        fraction.parse::<i64>().ok()?.checked_mul(multiplier)? / scale
    };
    let dollars = whole.checked_mul(multiplier)?.checked_add(fraction_value)?;
    let plus = bytes.get(i) == Some(&b'+');
    if plus {
        i += 1;
    }
    let zeros = if dollars == 0 {
        0
    } else {
        let mut n = dollars;
        let mut zeros = 0;
        while n % 10 == 0 && zeros < 9 {
            n /= 10;
            zeros += 1;
        }
        zeros
    };
    Some(Figure {
        start: at,
        end: i,
        kind: FigureKind::Money {
            dollars,
            zeros,
            plus,
            plain,
        },
    })
}

/// Figures in `text[range]`, left to right.
fn figures(text: &str, range: (usize, usize)) -> Vec<Figure> {
    let bytes = text.as_bytes();
    let mut out: Vec<Figure> = Vec::new();
    let mut i = range.0;
    while i < range.1 {
        if bytes[i] == b'$' {
            if let Some(money) = parse_money(text, i) {
                i = money.end;
                // A range: `$A-$B`, `$A – $B`, `$A to $B`.
                let rest = &text[i..range.1];
                let trimmed = rest.trim_start();
                let joined = ["-", "–", "—", "to "]
                    .iter()
                    .find_map(|sep| trimmed.strip_prefix(sep));
                if let Some(after) = joined {
                    let after_trim = after.trim_start();
                    let second_at = range.1 - after_trim.len();
                    if let Some(high) = parse_money(text, second_at).filter(|f| f.end <= range.1) {
                        i = high.end;
                        out.push(Figure {
                            start: money.start,
                            end: high.end,
                            kind: FigureKind::Range(Box::new(money), Box::new(high)),
                        });
                        continue;
                    }
                }
                out.push(money);
                continue;
            }
        }
        if bytes[i] == b'%' {
            // Walk back over the number.
            let mut start = i;
            while start > range.0 && (bytes[start - 1].is_ascii_digit() || bytes[start - 1] == b'.')
            {
                start -= 1;
            }
            if start > range.0 && matches!(bytes[start - 1], b'+' | b'-') {
                start -= 1;
            }
            let number = &text[start..i];
            let word_before = start > range.0 && bytes[start - 1].is_ascii_alphanumeric();
            if let (Some(decimal), false) = (Decimal::parse(number), word_before) {
                out.push(Figure {
                    start,
                    end: i + 1,
                    kind: FigureKind::Percent(decimal),
                });
            }
        }
        i += 1;
    }
    out
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// States a sentence names: by full name, or by code when the guide lists that state.
fn states_in<'g>(sentence: &str, listed: &[&'g str]) -> Vec<&'g str> {
    let mut found = Vec::new();
    for code in listed {
        let name = crate::states::name(code);
        if contains_word(sentence, code) || name.is_some_and(|n| contains_word(sentence, n)) {
            found.push(*code);
        }
    }
    found
}

fn names_any_state(sentence: &str) -> bool {
    crate::states::STATES
        .iter()
        .any(|(_, name)| contains_word(sentence, name))
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
    let signed = |d: &Decimal| {
        let v = d.units * 10i128.pow(scale - d.decimals);
        if d.negative { -v } else { v }
    };
    let unit = 10i128.pow(scale - written.decimals);
    2 * (signed(written) - signed(&actual)).abs() <= unit
}

fn money_text(dollars: i64) -> String {
    format!("${}", thousands(dollars))
}

fn check_text(guide: &Guide<'_>, pointer: &str, text: &str, out: &mut Vec<Diagnostic>) {
    let listed: Vec<&str> = guide
        .list("/salary_by_state")
        .into_iter()
        .flatten()
        .filter_map(|row| row.get("state")?.as_str())
        .collect();
    let certifications: Vec<(usize, &str)> = guide
        .list("/certifications/items")
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, item)| Some((i, item.get("name")?.as_str()?)))
        .collect();
    for range in sentences(text) {
        let sentence = &text[range.0..range.1];
        if !sentence.contains(['$', '%']) {
            continue;
        }
        let found = figures(text, range);
        if found.is_empty() {
            continue;
        }
        let lower = sentence.to_ascii_lowercase();
        let states = states_in(sentence, &listed);
        let any_state = !states.is_empty() || names_any_state(sentence);
        let salary_context = SALARY_WORDS.iter().any(|w| lower.contains(w));
        let certs: Vec<&(usize, &str)> = certifications
            .iter()
            .filter(|(_, name)| cert_named(sentence, name))
            .collect();
        let single_money = found
            .iter()
            .filter(|f| matches!(f.kind, FigureKind::Money { .. }))
            .count()
            == 1;
        for figure in &found {
            let (start, end) = (figure.start - range.0, figure.end - range.0);
            let local_before = &lower[floor_boundary(&lower, start.saturating_sub(40))..start];
            let local_after = &lower[end..floor_boundary(&lower, (end + 30).min(lower.len()))];
            let local_before = trim_to_boundary(local_before);
            match &figure.kind {
                FigureKind::Range(low, high) => {
                    if any_state || !salary_context || !certs.is_empty() {
                        continue;
                    }
                    let facts = [
                        ("/facts/salary_range/min", "the salary range's minimum", low),
                        (
                            "/facts/salary_range/max",
                            "the salary range's maximum",
                            high,
                        ),
                    ];
                    for (fact_pointer, name, end) in facts {
                        let Some(actual) = guide.int(fact_pointer) else {
                            continue;
                        };
                        compare_money(
                            guide,
                            pointer,
                            text,
                            end,
                            &Fact {
                                pointer: fact_pointer.into(),
                                name: name.into(),
                                value: FactValue::Dollars(actual),
                            },
                            out,
                        );
                    }
                }
                FigureKind::Money { .. } => {
                    let median_near =
                        local_before.contains("median") || local_after.contains("median");
                    if median_near {
                        let fact = match states.as_slice() {
                            [] if !any_state => {
                                guide.int("/facts/national_median_salary").map(|v| Fact {
                                    pointer: "/facts/national_median_salary".into(),
                                    name: "the national median salary".into(),
                                    value: FactValue::Dollars(v),
                                })
                            }
                            [state] => {
                                state_fact(guide, state, "median_salary").map(|(p, v)| Fact {
                                    pointer: p,
                                    name: format!("{state}'s median salary"),
                                    value: FactValue::Dollars(v.as_i64().unwrap_or(i64::MIN)),
                                })
                            }
                            _ => None,
                        };
                        if let Some(fact) =
                            fact.filter(|f| !matches!(f.value, FactValue::Dollars(i64::MIN)))
                        {
                            compare_money(guide, pointer, text, figure, &fact, out);
                        }
                        continue;
                    }
                    if let ([(index, name)], true) = (certs.as_slice(), single_money) {
                        if salary_context && lower.contains("median") {
                            continue;
                        }
                        let fact_pointer = format!("/certifications/items/{index}/cost_usd");
                        let Some(cost) = guide.int(&fact_pointer) else {
                            continue;
                        };
                        compare_money(
                            guide,
                            pointer,
                            text,
                            figure,
                            &Fact {
                                pointer: fact_pointer,
                                name: format!("the price of {name}"),
                                value: FactValue::Dollars(cost),
                            },
                            out,
                        );
                    }
                }
                FigureKind::Percent(decimal) => {
                    let growth = ["growth", "grow"]
                        .iter()
                        .any(|w| local_before.contains(w) || local_after.contains(w));
                    if growth && !any_state {
                        let Some(actual) =
                            guide.get("/facts/job_growth_pct").and_then(Value::as_f64)
                        else {
                            continue;
                        };
                        compare_percent(
                            guide,
                            pointer,
                            text,
                            figure,
                            decimal,
                            &Fact {
                                pointer: "/facts/job_growth_pct".into(),
                                name: "the job growth rate".into(),
                                value: FactValue::Percent(actual),
                            },
                            out,
                        );
                        continue;
                    }
                    let national =
                        local_after.contains("national") || local_before.contains("national");
                    if let ([state], true) = (states.as_slice(), national) {
                        let Some((fact_pointer, value)) =
                            state_fact(guide, state, "vs_national_pct")
                        else {
                            continue;
                        };
                        let Some(actual) = value.as_f64() else {
                            continue;
                        };
                        let below = ["below", "less", "lower", "under"]
                            .iter()
                            .any(|w| local_after.contains(w));
                        let mut decimal = decimal.clone();
                        if below && !decimal.negative {
                            decimal.negative = true;
                        }
                        compare_percent(
                            guide,
                            pointer,
                            text,
                            figure,
                            &decimal,
                            &Fact {
                                pointer: fact_pointer,
                                name: format!("{state}'s difference from the national median"),
                                value: FactValue::Percent(actual),
                            },
                            out,
                        );
                    }
                }
            }
        }
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Keeps the part of `before` after the last clause break, so "median" in an
/// earlier clause does not tie a later figure.
fn trim_to_boundary(before: &str) -> &str {
    match before.rfind([';', '(', ')']) {
        Some(i) => &before[i + 1..],
        None => before,
    }
}

/// True when a sentence names the certification: its full name, or an
/// acronym given in parentheses in the name (`CKA` for "Kubernetes Administrator (CKA)").
fn cert_named(sentence: &str, name: &str) -> bool {
    if sentence.contains(name) {
        return true;
    }
    let Some(open) = name.find('(') else {
        return false;
    };
    let Some(close) = name[open..].find(')') else {
        return false;
    };
    let acronym = &name[open + 1..open + close];
    acronym.len() >= 2 && contains_word(sentence, acronym)
}

fn state_fact<'a>(guide: &Guide<'a>, state: &str, field: &str) -> Option<(String, &'a Value)> {
    let rows = guide.list("/salary_by_state")?;
    let index = rows
        .iter()
        .position(|row| row.get("state").and_then(Value::as_str) == Some(state))?;
    let value = rows[index].get(field)?;
    Some((format!("/salary_by_state/{index}/{field}"), value))
}

/// Where `figure` (at bytes `start..end` of the string value `text`) is in the source.
fn locate(guide: &Guide<'_>, pointer: &str, text: &str, start: usize, end: usize) -> (Span, bool) {
    let node = guide.span(pointer);
    let needle = &text[start..end];
    let occurrence = text[..start].matches(needle).count();
    let Some(source) = guide.file.source.text.get(node.start..node.end) else {
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

fn compare_money(
    guide: &Guide<'_>,
    pointer: &str,
    text: &str,
    figure: &Figure,
    fact: &Fact,
    out: &mut Vec<Diagnostic>,
) {
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
    let written = &text[figure.start..figure.end];
    let (span, exact) = locate(guide, pointer, text, figure.start, figure.end);
    let mut diagnostic = report(guide, pointer, span, written, fact, &money_text(actual));
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
    guide: &Guide<'_>,
    pointer: &str,
    text: &str,
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
    let written = &text[figure.start..figure.end];
    let (span, _) = locate(guide, pointer, text, figure.start, figure.end);
    out.push(report(
        guide,
        pointer,
        span,
        written,
        fact,
        &format!("{}%", number_text(actual)),
    ));
}

fn report(
    guide: &Guide<'_>,
    pointer: &str,
    span: Span,
    written: &str,
    fact: &Fact,
    actual: &str,
) -> Diagnostic {
    let field = crate::validate::field_name(&fact.pointer);
    let mut diagnostic = finding(
        guide,
        codes::PROSE_FIGURE_MISMATCH,
        pointer,
        format!(
            "The text says {written}, but {} is {actual} (`{field}`).",
            fact.name
        ),
    );
    diagnostic.span = span;
    diagnostic
        .with_span_label(format!("{} is {actual}", fact.name))
        .with_label(guide.span(&fact.pointer), "fact defined here")
        .with_help("make the text agree with the fact, or correct the fact if the text is right")
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
    fn finds_figures() {
        let text = "Backend Engineers earn $80,000-$211,000+ depending on location. Growth is +17% and a cert costs $150.";
        let sentences = sentences(text);
        assert_eq!(sentences.len(), 2);
        let first = figures(text, sentences[0]);
        assert_eq!(first.len(), 1);
        assert!(matches!(first[0].kind, FigureKind::Range(..)));
        assert_eq!(&text[first[0].start..first[0].end], "$80,000-$211,000+");
        let second = figures(text, sentences[1]);
        assert_eq!(second.len(), 2);
        assert_eq!(&text[second[0].start..second[0].end], "+17%");
        assert_eq!(&text[second[1].start..second[1].end], "$150");
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
