//! One release: the snapshot file read once, indexed by occupation code, and
//! each occupation's rows parsed the first time a guide asks for it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use super::table::{self, col};
use super::{DataError, Figure, Release};

/// The estimates for one occupation in one area (the nation or a state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Estimates {
    /// The 1-based line (or spreadsheet row) it was read from.
    pub line: usize,
    /// `AREA`: `99` for the nation, else the state's FIPS code.
    pub area: String,
    /// `AREA_TITLE`: `U.S.`, `California`.
    pub area_title: String,
    /// `AREA_TYPE`: 1 national, 2 state (3 territory in some BLS tables).
    pub area_type: u8,
    /// `PRIM_STATE`: `US` or the state's USPS code.
    pub state: String,
    /// `TOT_EMP`.
    pub employment: Figure,
    /// `H_MEAN`, in cents (dollars in JSON).
    #[serde(serialize_with = "cents_as_dollars")]
    pub hourly_mean: Figure,
    /// `A_MEAN`.
    pub annual_mean: Figure,
    /// `H_MEDIAN`, in cents (dollars in JSON).
    #[serde(serialize_with = "cents_as_dollars")]
    pub hourly_median: Figure,
    /// `A_PCT10`.
    pub pct10: Figure,
    /// `A_PCT25`.
    pub pct25: Figure,
    /// `A_MEDIAN`.
    pub median: Figure,
    /// `A_PCT75`.
    pub pct75: Figure,
    /// `A_PCT90`.
    pub pct90: Figure,
}

fn cents_as_dollars<S: serde::Serializer>(
    figure: &Figure,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match figure {
        Figure::Value(cents) => serializer.serialize_f64(*cents as f64 / 100.0),
        other => other.serialize(serializer),
    }
}

impl Estimates {
    /// True for the national row.
    pub fn is_national(&self) -> bool {
        self.area_type == 1 || self.state == "US"
    }
}

/// One row of a snapshot: an occupation's estimates in one area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `OCC_CODE`, `15-1252`.
    pub occ_code: String,
    /// `OCC_TITLE`.
    pub occ_title: String,
    /// `O_GROUP`: total, major, minor, broad, detailed.
    pub o_group: String,
    /// The figures.
    pub estimates: Estimates,
}

/// True for `15-1252`.
pub fn is_soc_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 7 && b[2] == b'-' && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
}

impl Record {
    /// Reads the fields of one row; `cols` gives the position of each of
    /// [`table::COLUMNS`]. `Err` names the column and value that are wrong.
    pub fn parse<S: AsRef<str>>(
        fields: &[S],
        cols: &[usize; 16],
        line: usize,
    ) -> Result<Record, String> {
        let get = |c: usize| -> &str { fields.get(cols[c]).map_or("", |f| f.as_ref().trim()) };
        let name = |c: usize| table::COLUMNS[c];
        let occ_code = get(col::OCC_CODE);
        if !is_soc_code(occ_code) {
            return Err(format!(
                "OCC_CODE is `{occ_code}`, not a SOC code like 15-1252"
            ));
        }
        let occ_title = get(col::OCC_TITLE);
        if occ_title.is_empty() {
            return Err("OCC_TITLE is empty".into());
        }
        let area = get(col::AREA);
        let area = if area.bytes().all(|b| b == b'0') {
            area
        } else {
            area.trim_start_matches('0')
        };
        if area.is_empty() || !area.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("AREA is `{area}`, not a number"));
        }
        let area_type: u8 = get(col::AREA_TYPE)
            .split('.')
            .next()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| format!("AREA_TYPE is `{}`, not a number", get(col::AREA_TYPE)))?;
        let state = get(col::PRIM_STATE);
        if state.len() != 2 || !state.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!("PRIM_STATE is `{state}`, not a two-letter code"));
        }
        let bad = |c: usize| {
            format!(
                "{} is `{}`, not a number or one of BLS's special values (`*`, `**`, `#`)",
                name(c),
                get(c)
            )
        };
        let whole = |c: usize| Figure::parse_whole(get(c)).ok_or_else(|| bad(c));
        let cents = |c: usize| Figure::parse_cents(get(c)).ok_or_else(|| bad(c));
        Ok(Record {
            occ_code: occ_code.to_owned(),
            occ_title: occ_title.to_owned(),
            o_group: get(col::O_GROUP).to_ascii_lowercase(),
            estimates: Estimates {
                line,
                area: area.to_owned(),
                area_title: get(col::AREA_TITLE).to_owned(),
                area_type,
                state: state.to_owned(),
                employment: whole(col::TOT_EMP)?,
                hourly_mean: cents(col::H_MEAN)?,
                annual_mean: whole(col::A_MEAN)?,
                hourly_median: cents(col::H_MEDIAN)?,
                pct10: whole(col::A_PCT10)?,
                pct25: whole(col::A_PCT25)?,
                median: whole(col::A_MEDIAN)?,
                pct75: whole(col::A_PCT75)?,
                pct90: whole(col::A_PCT90)?,
            },
        })
    }

    /// The row's fields in [`table::COLUMNS`] order, as the snapshot writes them.
    pub fn fields(&self) -> [String; 16] {
        let e = &self.estimates;
        [
            e.area.clone(),
            e.area_title.clone(),
            e.area_type.to_string(),
            e.state.clone(),
            self.occ_code.clone(),
            self.occ_title.clone(),
            self.o_group.clone(),
            e.employment.whole_text(),
            e.hourly_mean.cents_text(),
            e.annual_mean.whole_text(),
            e.hourly_median.cents_text(),
            e.pct10.whole_text(),
            e.pct25.whole_text(),
            e.median.whole_text(),
            e.pct75.whole_text(),
            e.pct90.whole_text(),
        ]
    }
}

/// One occupation in one release: the nation and every state BLS estimated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occupation {
    /// `15-1252`.
    pub code: String,
    /// BLS's title, `Software Developers`.
    pub title: String,
    /// total, major, minor, broad or detailed.
    pub group: String,
    /// The national row.
    pub national: Option<Estimates>,
    /// The state rows, by state code.
    pub states: Vec<Estimates>,
}

impl Occupation {
    /// The row of the state with USPS code `state` (`CA`), ignoring case.
    pub fn state(&self, state: &str) -> Option<&Estimates> {
        self.states
            .iter()
            .find(|e| e.state.eq_ignore_ascii_case(state))
    }
}

/// The largest snapshot read (May 2025's is 4.6 MB).
const MAX_SNAPSHOT_BYTES: u64 = 256 << 20;

/// Where one row sits in the text: line, byte start, byte end.
type RowRef = (u32, u32, u32);

/// An occupation parsed (or found unreadable) on first use.
type Parsed = Result<Arc<Occupation>, DataError>;

/// A release, read once; occupations are parsed when first asked for.
pub struct Snapshot {
    /// Its release.
    pub release: Release,
    /// The file, as shown in messages.
    pub path: PathBuf,
    /// True for a snapshot embedded in the binary (no file to point at).
    pub built_in: bool,
    text: String,
    cols: [usize; 16],
    index: HashMap<Box<str>, Vec<RowRef>>,
    parsed: Mutex<HashMap<Box<str>, Parsed>>,
    titles: OnceLock<Vec<(String, String)>>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("release", &self.release)
            .field("path", &self.path)
            .field("occupations", &self.index.len())
            .finish_non_exhaustive()
    }
}

impl Snapshot {
    /// Reads the snapshot of `release` from `path` (shown as `display`).
    pub fn read(release: Release, path: &Path, display: &Path) -> Result<Self, DataError> {
        let text = super::snapshot_text(
            super::SnapshotSource::File(path, MAX_SNAPSHOT_BYTES),
            display,
        )?;
        Self::parse(release, display, text)
    }

    /// Indexes a snapshot's text by occupation code (rows are parsed later).
    pub fn parse(release: Release, display: &Path, text: String) -> Result<Self, DataError> {
        let row_error = |line: usize, message: String| DataError::Row {
            path: display.to_owned(),
            line,
            message,
        };
        let mut lines = text.split_inclusive('\n');
        let header = lines.next().unwrap_or("");
        let header_fields =
            table::split(header.trim_end_matches(['\n', '\r'])).map_err(|m| row_error(1, m))?;
        let cols = table::locate(&header_fields).map_err(|missing| DataError::Columns {
            path: display.to_owned(),
            missing,
        })?;
        let mut index: HashMap<Box<str>, Vec<RowRef>> = HashMap::new();
        let mut at = header.len();
        for (n, line) in lines.enumerate() {
            let number = n + 2;
            let start = at;
            at += line.len();
            let content = line.trim_end_matches(['\n', '\r']);
            if content.is_empty() {
                continue;
            }
            // Only the code is read now; the rest when a guide asks for the occupation.
            let split;
            let code = if content.contains('"') {
                split = table::split(content).map_err(|m| row_error(number, m))?;
                split.get(cols[col::OCC_CODE]).map_or("", |f| f.as_ref())
            } else {
                content.split(',').nth(cols[col::OCC_CODE]).unwrap_or("")
            }
            .trim();
            if !is_soc_code(code) {
                return Err(row_error(
                    number,
                    format!("OCC_CODE is `{code}`, not a SOC code like 15-1252"),
                ));
            }
            let too_big = |v: usize| {
                u32::try_from(v).map_err(|_| row_error(number, "the file is too large".into()))
            };
            let row = (
                too_big(number)?,
                too_big(start)?,
                too_big(start + content.len())?,
            );
            match index.get_mut(code) {
                Some(rows) => rows.push(row),
                None => {
                    index.insert(code.into(), vec![row]);
                }
            }
        }
        Ok(Snapshot {
            release,
            path: display.to_owned(),
            built_in: false,
            text,
            cols,
            index,
            parsed: Mutex::new(HashMap::new()),
            titles: OnceLock::new(),
        })
    }

    /// The occupation with SOC code `code`: `Ok(None)` when the release has
    /// no such code, `Err` when one of its rows cannot be read.
    pub fn occupation(&self, code: &str) -> Result<Option<Arc<Occupation>>, DataError> {
        let Some(rows) = self.index.get(code) else {
            return Ok(None);
        };
        if let Some(done) = self.parsed.lock().map_err(|_| self.poisoned())?.get(code) {
            return done.clone().map(Some);
        }
        let built = self.build(code, rows).map(Arc::new);
        self.parsed
            .lock()
            .map_err(|_| self.poisoned())?
            .insert(code.into(), built.clone());
        built.map(Some)
    }

    fn poisoned(&self) -> DataError {
        DataError::Io {
            path: self.path.clone(),
            message: "an earlier reader failed".into(),
        }
    }

    fn build(&self, code: &str, rows: &[RowRef]) -> Result<Occupation, DataError> {
        let mut national = None;
        let mut states = Vec::new();
        let mut title = String::new();
        let mut group = String::new();
        for &(line, start, end) in rows {
            let line = line as usize;
            let content = &self.text[start as usize..end as usize];
            let record = table::split(content)
                .and_then(|fields| Record::parse(&fields, &self.cols, line))
                .map_err(|message| DataError::Row {
                    path: self.path.clone(),
                    line,
                    message,
                })?;
            if title.is_empty() || record.estimates.is_national() {
                title = record.occ_title;
                group = record.o_group;
            }
            if record.estimates.is_national() {
                national = Some(record.estimates);
            } else {
                states.push(record.estimates);
            }
        }
        states.sort_by(|a, b| a.state.cmp(&b.state));
        Ok(Occupation {
            code: code.to_owned(),
            title,
            group,
            national,
            states,
        })
    }

    /// True when the release has state rows; BLS's national download
    /// (`national_M2024_dl.xlsx`) alone gives a snapshot without any. Only
    /// the index is read: an occupation with state rows has more than one.
    pub fn has_state_rows(&self) -> bool {
        self.index.values().any(|rows| rows.len() > 1)
    }

    /// Every occupation code and title (read on first use).
    pub fn titles(&self) -> &[(String, String)] {
        self.titles.get_or_init(|| {
            let mut titles: Vec<(String, String)> = self
                .index
                .iter()
                .filter_map(|(code, rows)| {
                    let &(_, start, end) = rows.first()?;
                    let fields = table::split(&self.text[start as usize..end as usize]).ok()?;
                    let title = fields.get(self.cols[col::OCC_TITLE])?.trim().to_owned();
                    Some((code.to_string(), title))
                })
                .collect();
            titles.sort();
            titles
        })
    }

    /// The occupation a guide probably meant: the best of
    /// [`Snapshot::suggestions`].
    pub fn suggest(&self, code: &str, title: Option<&str>) -> Option<(String, String)> {
        self.suggestions(code, title, 1).into_iter().next()
    }

    /// Up to `limit` occupations someone asking for `title` (or, failing
    /// that, `code`) may have meant, best first. By title: the one with the
    /// same words; else those holding at least half of the title's words
    /// (`nurse` finds `Registered Nurses`, a plural or `-ing` form counts as
    /// the word), the titles holding more of them first, then the closest
    /// in length, then by code. By code: codes one digit away, the nearest
    /// first. The one ranking `data show` and `GP601` use.
    pub fn suggestions(
        &self,
        code: &str,
        title: Option<&str>,
        limit: usize,
    ) -> Vec<(String, String)> {
        let titles = self.titles();
        if let Some(title) = title {
            let wanted = words(title);
            if let Some(found) = titles.iter().find(|(_, t)| words(t) == wanted) {
                return vec![found.clone()];
            }
            let wanted: Vec<String> = wanted.iter().map(|w| stem(w)).collect();
            // ((words found, Dice coefficient), (code, title))
            type Ranked<'t> = ((usize, f64), &'t (String, String));
            let mut ranked: Vec<Ranked<'_>> = titles
                .iter()
                .filter_map(|entry| {
                    let theirs: Vec<String> = words(&entry.1).iter().map(|w| stem(w)).collect();
                    let found = wanted.iter().filter(|w| theirs.contains(w)).count();
                    let dice = 2.0 * found as f64 / (wanted.len() + theirs.len()).max(1) as f64;
                    (found > 0 && 2 * found >= wanted.len()).then_some(((found, dice), entry))
                })
                .collect();
            ranked.sort_by(|(a, x), (b, y)| {
                b.0.cmp(&a.0)
                    .then_with(|| b.1.total_cmp(&a.1))
                    .then_with(|| x.0.cmp(&y.0))
            });
            if !ranked.is_empty() {
                return ranked
                    .into_iter()
                    .take(limit)
                    .map(|(_, entry)| entry.clone())
                    .collect();
            }
        }
        let number = |c: &str| c.replace('-', "").parse::<i64>().ok();
        let Some(wanted) = number(code) else {
            return Vec::new();
        };
        let mut near: Vec<&(String, String)> = titles
            .iter()
            .filter(|(c, _)| {
                c.len() == code.len()
                    && c.bytes().zip(code.bytes()).filter(|(a, b)| a != b).count() == 1
            })
            .collect();
        near.sort_by_key(|(c, _)| number(c).map_or(i64::MAX, |n| (n - wanted).abs()));
        near.into_iter().take(limit).cloned().collect()
    }
}

/// The lower-case words of a title.
fn words(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A word without its plural or `-ing` ending: `nurses`, `nursing` and
/// `nurse` are all `nurs`.
fn stem(word: &str) -> String {
    for ending in ["ing", "es", "s", "e"] {
        if let Some(stem) = word.strip_suffix(ending) {
            if stem.chars().count() >= 3 {
                return stem.to_owned();
            }
        }
    }
    word.to_owned()
}

/// True when `a` and `b` are the same title but for case, spacing and punctuation.
pub fn same_title(a: &str, b: &str) -> bool {
    words(a) == words(b)
}
