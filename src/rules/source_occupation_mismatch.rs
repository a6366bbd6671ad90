//! `GP609`: the BLS sources a guide cites are about its own occupation. See [`SourceOccupationMismatch`].

use serde_json::Value;

use super::official::{self, Lookup};
use super::{Guide, Rule, finding};
use crate::codes;
use crate::data::Snapshot;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};

#[doc = include_str!("docs/GP609.md")]
pub struct SourceOccupationMismatch;

impl Rule for SourceOccupationMismatch {
    fn code(&self) -> &'static str {
        codes::SOURCE_OCCUPATION_MISMATCH
    }

    fn doc(&self) -> &'static str {
        include_str!("docs/GP609.md")
    }

    fn check_guide(&self, guide: &Guide<'_>, out: &mut Vec<Diagnostic>) {
        let Some(soc) = guide.str("/occupation/soc_code") else {
            return;
        };
        if !crate::data::snapshot::is_soc_code(soc) {
            return;
        }
        let Some(sources) = guide.list("/sources") else {
            return;
        };
        // The release's titles name the occupations; without data, only the
        // codes in OEWS addresses are compared.
        let found = match official::lookup(guide) {
            Lookup::Found(found) => Some(found),
            _ => None,
        };
        let snapshot = found.as_ref().map(|f| &*f.snapshot);
        let own_title = found.as_ref().map(|f| f.occupation.title.as_str());
        let own = describe(soc, own_title);
        // The sources the guide's figures come from: their ids must not name another occupation.
        let figure_sources: Vec<&str> = ["/facts/source", "/salary_by_state_source"]
            .iter()
            .filter_map(|p| guide.str(p))
            .collect();
        for (index, source) in sources.iter().enumerate() {
            let id = source.get("id").and_then(Value::as_str).unwrap_or("");
            if let Some(url) = source.get("url").and_then(Value::as_str) {
                match bls_page(url) {
                    Some(BlsPage::Oews(code)) if code != soc => {
                        out.push(oews_finding(
                            guide, index, id, url, &code, soc, snapshot, &own,
                        ));
                    }
                    Some(BlsPage::Ooh(page)) => {
                        if let Some((code, title)) =
                            other_occupation(&page, soc, own_title, snapshot)
                        {
                            let pointer = format!("/sources/{index}/url");
                            out.push(
                                finding(
                                    guide,
                                    codes::SOURCE_OCCUPATION_MISMATCH,
                                    &pointer,
                                    format!(
                                        "Source `{id}` cites the Occupational Outlook Handbook's page on {}, but the guide is about {own}.",
                                        describe(&code, title.as_deref())
                                    ),
                                )
                                .with_span_label(format!("a page about {code}"))
                                .with_help(format!(
                                    "cite the Handbook's page for {own} (search https://www.bls.gov/ooh/ for it), or correct `occupation.soc_code`"
                                )),
                            );
                        }
                    }
                    _ => {}
                }
            }
            if !id.starts_with("bls-") || !figure_sources.contains(&id) {
                continue;
            }
            let named = id
                .trim_start_matches("bls-")
                .trim_start_matches("oews-")
                .trim_start_matches("oes-")
                .trim_start_matches("ooh-");
            let other = match code_in(named) {
                Some(code) if code != soc => Some((code.clone(), title_of(snapshot, &code))),
                Some(_) => None,
                None => other_occupation(named, soc, own_title, snapshot),
            };
            if let Some((code, title)) = other {
                let pointer = format!("/sources/{index}/id");
                out.push(
                    finding(
                        guide,
                        codes::SOURCE_OCCUPATION_MISMATCH,
                        &pointer,
                        format!(
                            "Source `{id}`, which the guide's figures cite, is named after {}, but the guide is about {own}.",
                            describe(&code, title.as_deref())
                        ),
                    )
                    .with_span_label(format!("names {code}"))
                    .with_help(
                        "a guide copied from another occupation keeps its sources: point the source at this occupation's BLS pages and rename its id (and the references to it)",
                    ),
                );
            }
        }
    }
}

/// `Registered Nurses (29-1141)`, or the code alone without data.
fn describe(code: &str, title: Option<&str>) -> String {
    match title {
        Some(title) => format!("{title} ({code})"),
        None => code.to_owned(),
    }
}

fn title_of(snapshot: Option<&Snapshot>, code: &str) -> Option<String> {
    snapshot?
        .titles()
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, t)| t.clone())
}

#[allow(clippy::too_many_arguments)]
fn oews_finding(
    guide: &Guide<'_>,
    index: usize,
    id: &str,
    url: &str,
    code: &str,
    soc: &str,
    snapshot: Option<&Snapshot>,
    own: &str,
) -> Diagnostic {
    let pointer = format!("/sources/{index}/url");
    let page = |c: &str| format!("oes{}.htm", c.replace('-', ""));
    let title = title_of(snapshot, code);
    let span = guide.span(&pointer);
    let written = &guide.file.source.text[span.start..span.end];
    let corrected = url.replace(&page(code), &page(soc));
    let mut diagnostic = finding(
        guide,
        codes::SOURCE_OCCUPATION_MISMATCH,
        &pointer,
        format!(
            "Source `{id}` cites BLS OEWS's page for {}, but the guide is about {own}.",
            describe(code, title.as_deref())
        ),
    )
    .with_span_label(format!("the page of {code}"))
    .with_help(format!(
        "the guide's own OEWS page is {corrected}; or correct `occupation.soc_code` if the source is right"
    ));
    if written.contains(&page(code)) {
        diagnostic = diagnostic.with_fix(Fix {
            message: format!("Cite {} instead of {}", page(soc), page(code)),
            applicability: Applicability::Unsafe,
            edits: vec![Edit {
                span,
                replacement: written.replace(&page(code), &page(soc)),
            }],
        });
    }
    diagnostic
}

/// A page of bls.gov about one occupation.
#[derive(Debug, PartialEq, Eq)]
enum BlsPage {
    /// An OEWS occupation profile, `…/oes/current/oes151252.htm`: its SOC code.
    Oews(String),
    /// An Occupational Outlook Handbook page, `…/ooh/<group>/<page>.htm`: the page name.
    Ooh(String),
}

/// The occupation page of bls.gov that `url` is, if any.
fn bls_page(url: &str) -> Option<BlsPage> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    if host != "bls.gov" && !host.ends_with(".bls.gov") {
        return None;
    }
    let segments: Vec<&str> = parsed.path_segments()?.filter(|s| !s.is_empty()).collect();
    let (first, last) = (*segments.first()?, *segments.last()?);
    let page = last
        .strip_suffix(".htm")
        .or_else(|| last.strip_suffix(".html"))?;
    match first {
        "oes" => {
            let digits = page.strip_prefix("oes")?;
            (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| BlsPage::Oews(format!("{}-{}", &digits[..2], &digits[2..])))
        }
        "ooh" if segments.len() >= 3 => Some(BlsPage::Ooh(page.to_ascii_lowercase())),
        _ => None,
    }
}

/// A SOC code written in a name: `151252` or `15-1252` (the whole name).
fn code_in(name: &str) -> Option<String> {
    let digits = name.replace('-', "");
    let shaped = name.len() == 6 || (name.len() == 7 && name.as_bytes()[2] == b'-');
    (shaped && digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}", &digits[..2], &digits[2..]))
}

/// The title's words, lower case, joined by `-`: `Software Developers` → `software-developers`.
fn slug(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The occupation whose BLS title `name` spells (`software-developers`), when
/// it is not the guide's own and not in the guide's broad group (a Handbook
/// page covers several close occupations: `software-developers` is also the
/// page of 15-1253). `None` without data, or when `name` is no title.
fn other_occupation(
    name: &str,
    soc: &str,
    own_title: Option<&str>,
    snapshot: Option<&Snapshot>,
) -> Option<(String, Option<String>)> {
    let snapshot = snapshot?;
    if own_title.is_some_and(|t| slug(t) == name) {
        return None;
    }
    let (code, title) = snapshot.titles().iter().find(|(_, t)| slug(t) == name)?;
    // The broad group is the code's first five digits (15-1252 → 15-125).
    (code[..6] != soc[..6]).then(|| (code.clone(), Some(title.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bls_pages() {
        assert_eq!(
            bls_page("https://www.bls.gov/oes/current/oes151252.htm"),
            Some(BlsPage::Oews("15-1252".into()))
        );
        assert_eq!(
            bls_page("https://www.bls.gov/oes/2023/may/oes291141.htm"),
            Some(BlsPage::Oews("29-1141".into()))
        );
        assert_eq!(
            bls_page("https://www.bls.gov/ooh/healthcare/registered-nurses.htm"),
            Some(BlsPage::Ooh("registered-nurses".into()))
        );
        assert_eq!(
            bls_page("https://www.bls.gov/oes/current/oes_nat.htm"),
            None
        );
        assert_eq!(bls_page("https://www.bls.gov/ooh/"), None);
        assert_eq!(
            bls_page("https://example.com/oes/current/oes151252.htm"),
            None
        );
        assert_eq!(
            bls_page("https://notbls.gov/oes/current/oes151252.htm"),
            None
        );
    }

    #[test]
    fn codes_and_slugs() {
        assert_eq!(code_in("151252").as_deref(), Some("15-1252"));
        assert_eq!(code_in("15-1252").as_deref(), Some("15-1252"));
        assert_eq!(code_in("software-developers"), None);
        assert_eq!(code_in("1512520"), None);
        assert_eq!(slug("Software Developers"), "software-developers");
        assert_eq!(
            slug("Nurse Anesthetists, Nurse Midwives, and Nurse Practitioners"),
            "nurse-anesthetists-nurse-midwives-and-nurse-practitioners"
        );
    }
}
