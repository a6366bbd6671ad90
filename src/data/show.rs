//! What `guidepress data show` prints: one occupation's official figures,
//! nationally and by state, as a text table or as JSON.

use serde::Serialize;

use super::{Estimates, Figure, Occupation, Snapshot};
use crate::escape;

/// What is shown: an occupation in a release, all areas or one state.
#[derive(Debug, Serialize)]
pub struct Shown<'a> {
    /// The release name, `2025A01`.
    pub release: &'a str,
    /// How BLS names it, `May 2025`.
    pub release_name: String,
    /// The snapshot file.
    pub source: String,
    /// The occupation code, title and group.
    pub occupation: OccupationHeader<'a>,
    /// The nation (unless one state was asked for), then the states.
    pub areas: Vec<&'a Estimates>,
}

/// The occupation part of [`Shown`].
#[derive(Debug, Serialize)]
pub struct OccupationHeader<'a> {
    /// `15-1252`.
    pub code: &'a str,
    /// `Software Developers`.
    pub title: &'a str,
    /// `detailed`.
    pub group: &'a str,
}

impl<'a> Shown<'a> {
    /// The rows of `occupation` in `snapshot`: every area, or only `state`.
    pub fn new(snapshot: &'a Snapshot, occupation: &'a Occupation, state: Option<&str>) -> Self {
        let areas = match state {
            Some(state) => occupation.state(state).into_iter().collect(),
            None => occupation
                .national
                .iter()
                .chain(&occupation.states)
                .collect(),
        };
        Shown {
            release: snapshot.release.as_str(),
            release_name: snapshot.release.label(),
            source: snapshot.path.display().to_string(),
            occupation: OccupationHeader {
                code: &occupation.code,
                title: &occupation.title,
                group: &occupation.group,
            },
            areas,
        }
    }

    /// As pretty JSON (with a final newline).
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// As a text table with a legend for the special values it contains.
    pub fn text(&self) -> String {
        // Titles and codes come from a snapshot file: shown on one line,
        // control characters escaped.
        let mut out = format!(
            "{} ({}), BLS OEWS {} ({}), {}\n\n",
            escape::line(self.occupation.title),
            escape::line(self.occupation.code),
            escape::line(&self.release_name),
            escape::line(self.release),
            escape::line(&self.source)
        );
        let header = [
            "area", "employed", "mean", "10th", "25th", "median", "75th", "90th", "line",
        ];
        let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| (*h).to_owned()).collect()];
        let mut specials: Vec<Figure> = Vec::new();
        for area in &self.areas {
            let figures = [
                area.employment,
                area.annual_mean,
                area.pct10,
                area.pct25,
                area.median,
                area.pct75,
                area.pct90,
            ];
            for figure in figures {
                if !matches!(figure, Figure::Value(_)) && !specials.contains(&figure) {
                    specials.push(figure);
                }
            }
            let name = if area.is_national() {
                escape::line(&area.area_title).into_owned()
            } else {
                escape::line(&format!("{} {}", area.state, area.area_title)).into_owned()
            };
            let mut row = vec![name];
            row.extend(figures.iter().map(|f| figure_text(*f)));
            row.push(area.line.to_string());
            rows.push(row);
        }
        let widths: Vec<usize> = (0..header.len())
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                if c == 0 {
                    line.push_str(&format!("{cell:<width$}", width = widths[c]));
                } else {
                    line.push_str(&format!("  {cell:>width$}", width = widths[c]));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if self.areas.is_empty() {
            out.push_str("(no estimates for this area)\n");
        }
        out.push_str("\nAnnual wages in US dollars; \"line\" is the snapshot line.\n");
        specials.sort_by_key(|f| f.symbol());
        for special in specials {
            match special.symbol() {
                "" => out.push_str(&format!("-: {}\n", special.reason())),
                _ => out.push_str(&format!("{}\n", special.reason())),
            }
        }
        out
    }
}

fn figure_text(figure: Figure) -> String {
    match figure {
        Figure::Value(v) => crate::text::thousands(v),
        Figure::Blank => "-".into(),
        other => other.symbol().to_owned(),
    }
}
