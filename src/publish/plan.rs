//! The plan: what publishing would do to each guide, decided from the
//! repository's guides (after the gate) and the CMS's current state. Pure:
//! no I/O, so every case is a unit test.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::payload::{self, MANAGED_BY, Payload};
use super::strapi::{RemoteDoc, WriteRequest};

/// A guide of the repository, after the gate.
#[derive(Debug, Clone)]
pub struct LocalGuide {
    /// The slug (the file name when the file has none).
    pub slug: String,
    /// The file, relative to the configuration's folder.
    pub path: String,
    /// The editorial status, if readable.
    pub status: Option<String>,
    /// Why it may not be published (empty when it may).
    pub blocked: Option<Blocked>,
    /// What would be sent (approved, error-free guides; archived ones too, for pruning).
    pub payload: Option<Payload>,
}

/// Why a guide stays out of the CMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocked {
    /// The reason, one sentence.
    pub reason: String,
    /// Whether this fails the run: an approved guide that cannot go out does;
    /// a draft simply waits.
    pub fails: bool,
}

/// What to do with one guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Not in the CMS: create it.
    Create,
    /// In the CMS with other content: update it.
    Update,
    /// In the CMS with the same content hash: nothing to do.
    Unchanged,
    /// The CMS copy was edited outside guidepress (or is not guidepress's): left alone.
    Conflict,
    /// Not allowed out (not approved, or has errors).
    Blocked,
    /// Archived in the repository: remove the published version (`--prune`).
    Unpublish,
    /// Gone from the repository: delete the document (`--prune`).
    Delete,
}

impl Action {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Unchanged => "unchanged",
            Action::Conflict => "conflict",
            Action::Blocked => "blocked",
            Action::Unpublish => "unpublish",
            Action::Delete => "delete",
        }
    }

    /// Whether carrying it out writes to the CMS.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Action::Create | Action::Update | Action::Unpublish | Action::Delete
        )
    }
}

/// One field that differs between the CMS and the repository (`--diff`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDiff {
    /// `title`, `facts.salaryMin`, `careerSteps[2].title`, ...
    pub field: String,
    /// The CMS's value (`null` when absent).
    pub cms: Value,
    /// The repository's value (`null` when absent).
    pub repo: Value,
}

/// What happened when an entry was carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Written as planned.
    Done,
    /// Nothing needed writing after all (found in the wanted state on re-read).
    AlreadyDone,
    /// Found edited in the CMS on the re-read just before writing: left alone.
    Conflict,
    /// Failed; see the message.
    Failed,
    /// Not attempted (the run stopped).
    Skipped,
}

/// One line of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanEntry {
    /// The guide's slug.
    pub slug: String,
    /// The repository file, if the guide is in the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// What to do.
    pub action: Action,
    /// Why (blocked, conflict), one sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Fields that differ between the CMS and the repository.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Their values, with `--diff`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<FieldDiff>,
    /// The CMS document, if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// An update or delete that overrides a conflict (`--force`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
    /// Whether this entry fails the run.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub fails: bool,
    /// What happened, once carried out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Details of the outcome (the error of a failure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The request carrying it out sends first (`--show-requests`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<WriteRequest>,
    /// What would be written.
    #[serde(skip)]
    pub payload: Option<Payload>,
}

impl PlanEntry {
    pub(crate) fn new(slug: &str, path: Option<&str>, action: Action) -> Self {
        PlanEntry {
            slug: slug.to_owned(),
            path: path.map(str::to_owned),
            action,
            reason: None,
            fields: Vec::new(),
            diff: Vec::new(),
            document_id: None,
            forced: false,
            fails: false,
            outcome: None,
            message: None,
            request: None,
            payload: None,
        }
    }

    /// Whether this entry makes the run fail (exit 1): a blocked approved
    /// guide, a conflict left alone, a failure.
    pub fn is_failure(&self) -> bool {
        self.fails
            || matches!(
                self.outcome,
                Some(Outcome::Failed | Outcome::Conflict | Outcome::Skipped)
            )
    }
}

/// The CMS's state as listed.
#[derive(Debug, Default, Clone)]
pub struct RemoteState {
    /// Published versions by slug.
    pub published: HashMap<String, RemoteDoc>,
    /// Draft versions by slug (every document has one), when listed.
    pub drafts: Option<HashMap<String, RemoteDoc>>,
    /// Slugs used by more than one document.
    pub duplicates: BTreeSet<String>,
}

impl RemoteState {
    /// Indexes listed documents by slug, noting slugs used twice.
    pub fn from_lists(published: Vec<RemoteDoc>, drafts: Option<Vec<RemoteDoc>>) -> Self {
        let mut duplicates = BTreeSet::new();
        let mut index = |docs: Vec<RemoteDoc>| {
            let mut map: HashMap<String, RemoteDoc> = HashMap::new();
            for doc in docs {
                let slug = doc.slug().to_owned();
                if map
                    .get(&slug)
                    .is_some_and(|other| other.document_id != doc.document_id)
                {
                    duplicates.insert(slug.clone());
                }
                map.insert(slug, doc);
            }
            map
        };
        let published = index(published);
        let drafts = drafts.map(&mut index);
        RemoteState {
            published,
            drafts,
            duplicates,
        }
    }
}

/// What the repository's guide files may own in the CMS, so `--prune`
/// never deletes a document whose file is still there: every guide's slug,
/// its file name (a guide whose `slug:` changed, blocked by GP309, still
/// owns the document its file name names) and its path (the document's
/// `sourcePath`). Blocked and unreadable guides count like the others.
#[derive(Debug, Default, Clone)]
pub struct Claims {
    /// Slug (or file name) → the file.
    slugs: BTreeMap<String, String>,
    /// The files.
    paths: BTreeSet<String>,
}

impl Claims {
    /// The claims of the repository's guides.
    pub fn of(local: &[LocalGuide]) -> Claims {
        let mut claims = Claims::default();
        for guide in local {
            let stem = guide
                .path
                .rsplit('/')
                .next()
                .and_then(|name| name.strip_suffix(".yaml").or(name.strip_suffix(".yml")));
            let payload_slug = guide.payload.as_ref().map(|p| p.slug.as_str());
            for slug in std::iter::once(guide.slug.as_str())
                .chain(stem)
                .chain(payload_slug)
            {
                claims
                    .slugs
                    .entry(slug.to_owned())
                    .or_insert_with(|| guide.path.clone());
            }
            claims.paths.insert(guide.path.clone());
        }
        claims
    }

    /// The repository file that may own `doc` (by slug, file name or
    /// `sourcePath`), if any.
    pub fn owner(&self, doc: &RemoteDoc) -> Option<String> {
        if let Some(path) = self.slugs.get(doc.slug()) {
            return Some(path.clone());
        }
        doc.fields
            .get("sourcePath")
            .and_then(Value::as_str)
            .filter(|path| self.paths.contains(*path))
            .map(str::to_owned)
    }
}

/// How to plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// Stage drafts only: compare with, and write, the draft versions.
    pub draft: bool,
    /// Overwrite CMS edits.
    pub force: bool,
    /// Plan unpublishing archived guides and deleting removed ones.
    pub prune: bool,
    /// Plan unpublishing archived guides only (what `prune` does to them,
    /// without deleting anything): a push to main that archives a guide.
    pub unpublish_archived: bool,
    /// Fill [`PlanEntry::diff`].
    pub diff: bool,
}

/// Whether a CMS version may be overwritten: it is guidepress's and its
/// managed fields still hash to the hash it carries. `Err` says why not.
pub fn check_untouched(doc: &RemoteDoc) -> Result<(), String> {
    if doc.managed_by.as_deref() != Some(MANAGED_BY) {
        return Err(format!(
            "the CMS document {} was not created by guidepress (managedBy is {})",
            doc.document_id,
            doc.managed_by
                .as_deref()
                .map_or("unset".to_owned(), |m| format!("`{m}`"))
        ));
    }
    if !doc
        .content_hash
        .as_deref()
        .is_some_and(|stored| payload::carries_hash(&doc.fields, stored))
    {
        return Err(format!(
            "the CMS copy (document {}) was edited outside guidepress: its fields no longer match its contentHash",
            doc.document_id
        ));
    }
    Ok(())
}

/// Whether a CMS version holds exactly the guide's mapped attributes
/// (`sourcePath` aside).
fn holds_the_same(doc: &RemoteDoc, local: &Payload) -> bool {
    let mut theirs = doc.fields.clone();
    let mut ours = local.fields();
    theirs.remove(payload::SOURCE_PATH);
    ours.remove(payload::SOURCE_PATH);
    payload::same(&Value::Object(theirs), &Value::Object(ours))
}

fn diff_fields(entry: &mut PlanEntry, doc: &RemoteDoc, local: &Payload, with_values: bool) {
    let ours = local.fields();
    entry.fields = payload::differing_fields(&doc.fields, &ours);
    if with_values {
        let mut leaves = Vec::new();
        for field in &entry.fields {
            let cms = payload::field_value(&doc.fields, field).unwrap_or(&Value::Null);
            let repo = payload::field_value(&ours, field).unwrap_or(&Value::Null);
            leaf_diffs(field.clone(), cms, repo, &mut leaves);
        }
        entry.diff = leaves;
    }
}

/// Most differing leaves listed for one guide; the rest are summed up.
const MAX_LEAF_DIFFS: usize = 50;

/// The differing leaves under two values (`facts.license`,
/// `careerSteps[2].title`): mappings are compared key by key and lists of
/// equal length item by item, so an edit deep inside a field shows only
/// what changed. At most [`MAX_LEAF_DIFFS`] are listed; one more entry
/// says how many were left out.
fn leaf_diffs(path: String, cms: &Value, repo: &Value, out: &mut Vec<FieldDiff>) {
    let mut pending = vec![(path, cms, repo)];
    let mut left_out = 0usize;
    while let Some((path, cms, repo)) = pending.pop() {
        if cms == repo {
            continue;
        }
        let mut children = Vec::new();
        match (cms, repo) {
            (Value::Object(a), Value::Object(b)) => {
                let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for key in keys {
                    children.push((
                        format!("{path}.{key}"),
                        a.get(key).unwrap_or(&Value::Null),
                        b.get(key).unwrap_or(&Value::Null),
                    ));
                }
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (index, (x, y)) in a.iter().zip(b).enumerate() {
                    children.push((format!("{path}[{index}]"), x, y));
                }
            }
            _ => {
                if out.len() < MAX_LEAF_DIFFS {
                    out.push(FieldDiff {
                        field: path,
                        cms: cms.clone(),
                        repo: repo.clone(),
                    });
                } else {
                    left_out += 1;
                }
                continue;
            }
        }
        // Depth first, in key order.
        pending.extend(children.into_iter().rev());
    }
    if left_out > 0 {
        out.push(FieldDiff {
            field: format!("… and {left_out} more differing values"),
            cms: Value::Null,
            repo: Value::Null,
        });
    }
}

/// Decides what to do with every guide. Entries come sorted by slug.
pub fn plan(local: &[LocalGuide], remote: &RemoteState, options: PlanOptions) -> Vec<PlanEntry> {
    let mut entries: BTreeMap<(String, Option<String>), PlanEntry> = BTreeMap::new();
    for guide in local {
        let key = (guide.slug.clone(), Some(guide.path.clone()));
        let archived = guide.status.as_deref() == Some("archived");
        let published = remote.published.get(&guide.slug);
        let draft = remote.drafts.as_ref().and_then(|d| d.get(&guide.slug));
        if archived {
            // Archived: with --prune or --unpublish-archived, take the
            // published version down.
            let take_down = options.prune || options.unpublish_archived;
            if take_down && guide.blocked.as_ref().is_none_or(|b| !b.fails) {
                if let Some(doc) = published {
                    entries.insert(key, prune_entry(guide, doc, Action::Unpublish, options));
                    continue;
                }
            }
            let mut entry = PlanEntry::new(&guide.slug, Some(&guide.path), Action::Blocked);
            entry.reason = Some(if take_down && published.is_none() {
                "status is `archived`: not published in the CMS, nothing to take down".into()
            } else {
                "status is `archived`: not published (use --unpublish-archived or --prune to take it down from the CMS)"
                    .into()
            });
            entries.insert(key, entry);
            continue;
        }
        if let Some(blocked) = &guide.blocked {
            let mut entry = PlanEntry::new(&guide.slug, Some(&guide.path), Action::Blocked);
            entry.reason = Some(blocked.reason.clone());
            entry.fails = blocked.fails;
            entries.insert(key, entry);
            continue;
        }
        let Some(payload) = &guide.payload else {
            continue;
        };
        let mut entry = PlanEntry::new(&guide.slug, Some(&guide.path), Action::Create);
        entry.payload = Some(payload.clone());
        if remote.duplicates.contains(&guide.slug) {
            entry.action = Action::Conflict;
            entry.fails = true;
            entry.reason =
                Some("more than one CMS document has this slug: resolve it in the CMS".into());
            entries.insert(key, entry);
            continue;
        }
        // The version compared with is the one this run writes.
        let target = if options.draft { draft } else { published };
        // Any existing document (a draft-only one counts) is updated, never duplicated.
        let existing = target.or(published).or(draft);
        let Some(doc) = existing else {
            entries.insert(key, entry);
            continue;
        };
        entry.document_id = Some(doc.document_id.clone());
        entry.action = Action::Update;
        let hash = payload.hash();
        let unchanged = target.is_some_and(|t| t.content_hash.as_deref() == Some(hash));
        let untouched = check_untouched(doc);
        if untouched.is_ok() && unchanged {
            entry.action = Action::Unchanged;
            entries.insert(key, entry);
            continue;
        }
        if untouched.is_err() && target.is_some_and(|t| holds_the_same(t, payload)) {
            // Nothing to write (a document pulled into the repository, or
            // written by someone else, that the guide matches exactly).
            entry.action = Action::Unchanged;
            entry.reason = Some(
                "identical to the CMS copy, which guidepress did not write (a later change is a conflict until --force)".into(),
            );
            entries.insert(key, entry);
            continue;
        }
        // Every listed version of a document to be written is guarded (an
        // editor's draft is not overwritten because the published version
        // is clean): the executor writes without re-reading a document that
        // has not changed since this listing.
        let untouched = untouched.and_then(|()| {
            [published, draft]
                .into_iter()
                .flatten()
                .filter(|v| v.document_id == doc.document_id)
                .try_for_each(check_untouched)
        });
        diff_fields(&mut entry, doc, payload, options.diff);
        if let Err(why) = untouched {
            if options.force {
                entry.forced = true;
                entry.reason = Some(format!("{why}; overwritten because of --force"));
            } else {
                entry.action = Action::Conflict;
                entry.fails = true;
                entry.reason = Some(format!("{why}; use --force to overwrite"));
            }
        }
        entries.insert(key, entry);
    }

    if options.prune {
        // Documents guidepress created whose guide is gone from the
        // repository: no file claims them by slug, file name or sourcePath.
        let claims = Claims::of(local);
        let mut seen = BTreeSet::new();
        let all = remote
            .drafts
            .iter()
            .flat_map(|d| d.values())
            .chain(remote.published.values());
        for doc in all {
            let slug = doc.slug().to_owned();
            if doc.managed_by.as_deref() != Some(MANAGED_BY)
                || !seen.insert(doc.document_id.clone())
            {
                continue;
            }
            if let Some(path) = claims.owner(doc) {
                // Kept; say so on the file's own line when it has another slug.
                if let Some(entry) = entries
                    .values_mut()
                    .find(|e| e.path.as_deref() == Some(path.as_str()) && e.slug != slug)
                {
                    let note =
                        format!("the CMS document `{slug}` is not pruned: this file published it");
                    entry.reason = Some(match entry.reason.take() {
                        Some(reason) => format!("{reason}; {note}"),
                        None => note,
                    });
                }
                continue;
            }
            let guide = LocalGuide {
                slug: slug.clone(),
                path: String::new(),
                status: None,
                blocked: None,
                payload: None,
            };
            entries.insert(
                (slug, None),
                prune_entry(&guide, doc, Action::Delete, options),
            );
        }
    }
    entries.into_values().collect()
}

fn prune_entry(
    guide: &LocalGuide,
    doc: &RemoteDoc,
    action: Action,
    options: PlanOptions,
) -> PlanEntry {
    let path = (!guide.path.is_empty()).then_some(guide.path.as_str());
    let mut entry = PlanEntry::new(&guide.slug, path, action);
    entry.document_id = Some(doc.document_id.clone());
    entry.reason = Some(match action {
        Action::Unpublish => "status is `archived`".into(),
        _ => "no longer in the repository".into(),
    });
    if let Err(why) = check_untouched(doc) {
        if options.force {
            entry.forced = true;
            entry.reason = Some(format!("{why}; pruned because of --force"));
        } else {
            entry.action = Action::Conflict;
            entry.fails = true;
            entry.reason = Some(format!("{why}; not pruned (use --force)"));
        }
    }
    entry
}

/// Counts of entries by action.
pub fn counts(entries: &[PlanEntry]) -> BTreeMap<Action, usize> {
    let mut counts = BTreeMap::new();
    for entry in entries {
        *counts.entry(entry.action).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn guide(slug: &str, status: &str, title: &str) -> LocalGuide {
        let value = json!({"slug": slug, "title": title, "status": status});
        LocalGuide {
            slug: slug.into(),
            path: format!("content/guides/{slug}.yaml"),
            status: Some(status.into()),
            blocked: (status != "approved" && status != "archived").then(|| Blocked {
                reason: format!("status is `{status}`"),
                fails: false,
            }),
            payload: Some(
                Payload::from_guide(&value, &format!("content/guides/{slug}.yaml")).unwrap(),
            ),
        }
    }

    fn remote_of(guide: &LocalGuide, id: &str) -> RemoteDoc {
        let payload = guide.payload.as_ref().unwrap();
        RemoteDoc {
            document_id: id.into(),
            fields: payload.fields(),
            content_hash: Some(payload.hash().to_owned()),
            managed_by: Some(MANAGED_BY.into()),
            updated_at: None,
            published_at: Some("2026-01-01T00:00:00.000Z".into()),
        }
    }

    fn actions(entries: &[PlanEntry]) -> Vec<(String, Action)> {
        entries.iter().map(|e| (e.slug.clone(), e.action)).collect()
    }

    #[test]
    fn creates_updates_skips_and_blocks() {
        let a = guide("a", "approved", "A");
        let b = guide("b", "approved", "B");
        let c = guide("c", "draft", "C");
        let d = guide("d", "approved", "D");
        let mut old_d = remote_of(&guide("d", "approved", "Old D"), "dd");
        old_d.fields.insert("slug".into(), json!("d"));
        let remote = RemoteState::from_lists(vec![remote_of(&b, "bb"), old_d], None);
        let entries = plan(&[a, b, c, d], &remote, PlanOptions::default());
        assert_eq!(
            actions(&entries),
            vec![
                ("a".into(), Action::Create),
                ("b".into(), Action::Unchanged),
                ("c".into(), Action::Blocked),
                ("d".into(), Action::Update),
            ]
        );
        assert_eq!(entries[3].fields, vec!["title"]);
        assert!(!entries.iter().any(PlanEntry::is_failure));
    }

    #[test]
    fn diff_shows_the_differing_leaves_only() {
        let mut out = Vec::new();
        leaf_diffs(
            "document".into(),
            &json!({"facts": {"license": "Not required", "education": "BSc"}, "steps": [{"t": "a"}, {"t": "b"}]}),
            &json!({"facts": {"license": "Required in some states", "education": "BSc"}, "steps": [{"t": "a"}, {"t": "c"}], "new": 1}),
            &mut out,
        );
        let fields: Vec<&str> = out.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "document.facts.license",
                "document.new",
                "document.steps[1].t"
            ]
        );
        assert_eq!(out[0].cms, json!("Not required"));
        assert_eq!(out[0].repo, json!("Required in some states"));
        assert_eq!(out[1].cms, Value::Null);
    }

    #[test]
    fn an_edit_in_the_cms_is_a_conflict_unless_forced() {
        let a = guide("a", "approved", "A");
        let mut edited = remote_of(&a, "aa");
        edited
            .fields
            .insert("title".into(), json!("Edited in the CMS"));
        let remote = RemoteState::from_lists(vec![edited], None);
        let options = PlanOptions {
            diff: true,
            ..PlanOptions::default()
        };
        let entries = plan(std::slice::from_ref(&a), &remote, options);
        assert_eq!(entries[0].action, Action::Conflict);
        assert_eq!(entries[0].fields, vec!["title"]);
        assert_eq!(entries[0].diff[0].cms, json!("Edited in the CMS"));
        assert!(entries[0].is_failure());
        let forced = plan(
            &[a],
            &remote,
            PlanOptions {
                force: true,
                ..options
            },
        );
        assert_eq!(forced[0].action, Action::Update);
        assert!(forced[0].forced && !forced[0].is_failure());
    }

    #[test]
    fn prune_takes_down_archived_and_deletes_only_its_own_removed_documents() {
        let archived = guide("old", "archived", "Old");
        let gone = remote_of(&guide("gone", "approved", "Gone"), "g1");
        let mut foreign = remote_of(&guide("foreign", "approved", "F"), "f1");
        foreign.managed_by = None;
        let remote = RemoteState::from_lists(
            vec![remote_of(&archived, "o1"), gone.clone(), foreign.clone()],
            Some(vec![remote_of(&archived, "o1"), gone, foreign]),
        );
        let without = plan(
            std::slice::from_ref(&archived),
            &remote,
            PlanOptions::default(),
        );
        assert_eq!(actions(&without), vec![("old".into(), Action::Blocked)]);
        let with = plan(
            &[archived],
            &remote,
            PlanOptions {
                prune: true,
                ..PlanOptions::default()
            },
        );
        assert_eq!(
            actions(&with),
            vec![
                ("gone".into(), Action::Delete),
                ("old".into(), Action::Unpublish)
            ]
        );
    }

    #[test]
    fn a_foreign_document_the_guide_matches_exactly_is_unchanged() {
        let a = guide("a", "approved", "A");
        let mut foreign = remote_of(&a, "aa");
        foreign.managed_by = None;
        foreign.content_hash = None;
        foreign.fields.remove("sourcePath");
        let remote = RemoteState::from_lists(vec![foreign.clone()], None);
        let entries = plan(std::slice::from_ref(&a), &remote, PlanOptions::default());
        assert_eq!(entries[0].action, Action::Unchanged);
        assert!(!entries[0].is_failure());
        foreign.fields.insert("title".into(), json!("Other"));
        let remote = RemoteState::from_lists(vec![foreign], None);
        let entries = plan(&[a], &remote, PlanOptions::default());
        assert_eq!(entries[0].action, Action::Conflict);
    }

    #[test]
    fn unpublish_archived_takes_down_archived_guides_and_deletes_nothing() {
        let archived = guide("old", "archived", "Old");
        let never = guide("never", "archived", "Never published");
        let gone = remote_of(&guide("gone", "approved", "Gone"), "g1");
        let remote = RemoteState::from_lists(vec![remote_of(&archived, "o1"), gone], None);
        let entries = plan(
            &[archived, never],
            &remote,
            PlanOptions {
                unpublish_archived: true,
                ..PlanOptions::default()
            },
        );
        assert_eq!(
            actions(&entries),
            vec![
                ("never".into(), Action::Blocked),
                ("old".into(), Action::Unpublish)
            ]
        );
        assert!(!entries[0].is_failure());
        assert_eq!(
            entries[0].reason.as_deref(),
            Some("status is `archived`: not published in the CMS, nothing to take down")
        );
        assert_eq!(entries[1].document_id.as_deref(), Some("o1"));
    }

    #[test]
    fn a_draft_only_document_is_updated_not_duplicated() {
        let a = guide("a", "approved", "A");
        let mut staged = remote_of(&guide("a", "approved", "Staged"), "aa");
        staged.published_at = None;
        let remote = RemoteState::from_lists(Vec::new(), Some(vec![staged]));
        let entries = plan(&[a], &remote, PlanOptions::default());
        assert_eq!(entries[0].action, Action::Update);
        assert_eq!(entries[0].document_id.as_deref(), Some("aa"));
    }

    #[test]
    fn an_update_is_guarded_on_every_listed_version() {
        // Published as guidepress left it; an editor saved the draft.
        let old = guide("a", "approved", "Old");
        let mut draft = remote_of(&old, "aa");
        draft.published_at = None;
        draft
            .fields
            .insert("title".into(), json!("Saved by an editor"));
        let remote =
            RemoteState::from_lists(vec![remote_of(&old, "aa")], Some(vec![draft.clone()]));
        // An update would overwrite the editor's draft: a conflict.
        let entries = plan(
            &[guide("a", "approved", "New")],
            &remote,
            PlanOptions::default(),
        );
        assert_eq!(entries[0].action, Action::Conflict, "{entries:?}");
        assert!(
            entries[0]
                .reason
                .as_deref()
                .unwrap()
                .contains("edited outside guidepress")
        );
        // Nothing to write: the draft is the editor's business.
        let entries = plan(&[old], &remote, PlanOptions::default());
        assert_eq!(entries[0].action, Action::Unchanged);
        // Another document's draft with the slug is not this one's.
        draft.document_id = "other".into();
        let remote = RemoteState::from_lists(
            vec![remote_of(&guide("a", "approved", "Old"), "aa")],
            Some(vec![draft]),
        );
        let entries = plan(
            &[guide("a", "approved", "New")],
            &remote,
            PlanOptions::default(),
        );
        assert_eq!(entries[0].action, Action::Update);
    }

    #[test]
    fn prune_keeps_what_a_file_of_the_repository_may_own() {
        let published = remote_of(&guide("old-slug", "approved", "Old"), "o1");
        let mut moved = remote_of(&guide("moved", "approved", "Moved"), "m1");
        moved
            .fields
            .insert("sourcePath".into(), json!("content/guides/kept.yaml"));
        let gone = remote_of(&guide("gone", "approved", "Gone"), "g1");
        // The file `old-slug.yaml` now says `slug: new-slug` (GP309: blocked).
        let mut renamed = guide("new-slug", "approved", "Old");
        renamed.path = "content/guides/old-slug.yaml".into();
        renamed.blocked = Some(Blocked {
            reason: "1 error from check [GP309]".into(),
            fails: true,
        });
        renamed.payload = None;
        // `kept.yaml` published `moved` (its sourcePath), then changed slug.
        let mut kept = guide("kept", "approved", "Kept");
        kept.path = "content/guides/kept.yaml".into();
        let docs = vec![published, moved, gone];
        let remote = RemoteState::from_lists(docs.clone(), Some(docs));
        let entries = plan(
            &[renamed, kept],
            &remote,
            PlanOptions {
                prune: true,
                force: true,
                ..PlanOptions::default()
            },
        );
        assert_eq!(
            actions(&entries),
            vec![
                ("gone".into(), Action::Delete),
                ("kept".into(), Action::Create),
                ("new-slug".into(), Action::Blocked),
            ]
        );
        assert!(
            entries[2]
                .reason
                .as_deref()
                .unwrap()
                .ends_with("the CMS document `old-slug` is not pruned: this file published it"),
            "{entries:?}"
        );
    }
}
