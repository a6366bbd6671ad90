//! What `guidepress data show` adds about the projections: each occupation's
//! employment in the base and target years, the change in percent, the
//! openings a year and the typical entry education, and, when asked, the
//! sum of a group as the Occupational Outlook Handbook gives it.

use serde::Serialize;

use super::store::{Outlook, ProjectionsSnapshot};
use super::table::{Projection, Tenths};
use crate::text::thousands;

/// The projections shown for an occupation (and its group).
#[derive(Debug, Serialize)]
pub struct ShownProjections<'a> {
    /// The release name, `2024-34`.
    pub release: &'a str,
    /// How BLS writes it, `2024–34`.
    pub release_name: String,
    /// The base and target years.
    pub years: (u16, u16),
    /// The snapshot file.
    pub source: String,
    /// The occupations.
    pub occupations: Vec<&'a Projection>,
    /// The group's sum, when asked for.
    pub group: Option<GroupSum>,
}

/// A group of occupations added up.
#[derive(Debug, Serialize)]
pub struct GroupSum {
    /// The codes.
    pub codes: Vec<String>,
    /// Employment in the base year, thousands.
    pub employment_base: Tenths,
    /// Employment in the target year, thousands.
    pub employment_target: Tenths,
    /// The change in percent (computed from the sums).
    pub change_pct: f64,
    /// Openings a year, thousands.
    pub openings: Tenths,
    /// The typical entry education of its occupations.
    pub education: Vec<String>,
}

impl<'a> ShownProjections<'a> {
    /// The rows of `codes` in `snapshot` (those it has), and the sum of the
    /// group when `group` holds more than one occupation.
    pub fn new(
        snapshot: &'a ProjectionsSnapshot,
        codes: &[&str],
        group: Option<&Outlook<'_>>,
    ) -> Self {
        let occupations = codes.iter().filter_map(|c| snapshot.get(c)).collect();
        let group = group.filter(|g| g.members.len() > 1).map(|g| GroupSum {
            codes: g.members.iter().map(|m| m.code.clone()).collect(),
            employment_base: g.employment_base(),
            employment_target: g.employment_target(),
            change_pct: (g.change_pct().0 * 10.0).round() / 10.0,
            openings: g.openings(),
            education: g.education().iter().map(|e| (*e).to_owned()).collect(),
        });
        ShownProjections {
            release: snapshot.release.as_str(),
            release_name: snapshot.release.label(),
            years: (snapshot.release.base_year(), snapshot.release.target_year()),
            source: snapshot.path.display().to_string(),
            occupations,
            group,
        }
    }

    /// As a text table.
    pub fn text(&self) -> String {
        let mut out = format!(
            "BLS Employment Projections {} ({}), {}\n\n",
            self.release_name, self.release, self.source
        );
        let (base, target) = self.years;
        let header = [
            "occupation".to_owned(),
            base.to_string(),
            target.to_string(),
            "change".to_owned(),
            "openings/yr".to_owned(),
            "education".to_owned(),
            "line".to_owned(),
        ];
        let mut rows = vec![header.to_vec()];
        let people =
            |t: Option<Tenths>| t.map_or_else(|| "-".to_owned(), |t| thousands(t.people()));
        let pct = |p: f64| format!("{}{p:.1} %", if p >= 0.0 { "+" } else { "" });
        for row in &self.occupations {
            rows.push(vec![
                format!("{} {}", row.code, row.title),
                people(row.employment_base),
                people(row.employment_target),
                row.change_pct
                    .map_or_else(|| "-".to_owned(), |p| pct(p.as_f64())),
                people(row.openings),
                row.education.clone().unwrap_or_else(|| "-".to_owned()),
                row.line.to_string(),
            ]);
        }
        if let Some(group) = &self.group {
            rows.push(vec![
                format!("together ({})", group.codes.join(" + ")),
                thousands(group.employment_base.people()),
                thousands(group.employment_target.people()),
                pct(group.change_pct),
                thousands(group.openings.people()),
                group.education.join("; "),
                String::new(),
            ]);
        }
        let widths: Vec<usize> = (0..header.len())
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                match c {
                    0 | 5 => line.push_str(&format!("{cell:<width$}  ", width = widths[c])),
                    _ => line.push_str(&format!("{cell:>width$}  ", width = widths[c])),
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if self.occupations.is_empty() {
            out.push_str("(no projections for this occupation)\n");
        }
        out.push_str(&format!(
            "\nEmployment {base} and {target}, and openings a year (average over {base}–{}), in people; change over the decade.\n",
            target % 100
        ));
        out
    }
}
