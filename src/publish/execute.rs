//! Carrying out a plan made from one listing of the CMS.
//!
//! The plan was made from each document's listed content, so what it says
//! still holds for a document that has not changed since: the writes go in
//! batches of [`BATCH`], and just before each batch one request per version
//! re-reads the batch's documents without their content (`updatedAt`,
//! `contentHash`, slug):
//!
//! - **a create** whose slug no document has (drafts included) is sent
//!   straight away; one whose slug a document has now (another publisher, a
//!   stale listing) is found, re-read and updated instead, never duplicated;
//! - **an update** whose versions carry the listed `updatedAt` and
//!   `contentHash` is sent straight away: Strapi sets `updatedAt` on every
//!   write through its APIs and admin panel, so an unchanged `updatedAt`
//!   means the content is the one the plan checked for edits made in the
//!   CMS. A version that changed (or that the listing did not hold) is read
//!   again in full, and an edit found there is a conflict;
//! - **an unpublish or delete** (`--prune`) is always re-read in full just
//!   before, and checked again against the listed slug and the repository.
//!
//! A batch check that fails is not trusted: each guide of the batch is then
//! re-read on its own before its write. A write whose answer is lost is
//! checked by re-reading before it is sent again (see [`StrapiClient`]); an
//! answer of an unexpected shape stops the run ([`CmsError::Unexpected`]);
//! so does a CMS that refuses connections for [`REFUSED_IN_A_ROW`] guides in
//! a row ([`CmsError::CmsDown`]), instead of trying every remaining guide
//! with its retries.
//!
//! The remaining race: Strapi has no conditional write (no `If-Match`), so
//! an edit made in the CMS between a batch's check and its write (the time
//! one batch takes, well under a second at the default concurrency) is
//! overwritten, and a document with the same slug created by hand in that
//! time is only stopped by the content type's unique slug (the shipped
//! Strapi has one). Two publishers running at once are kept apart by the
//! publish workflow's concurrency group, not here.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::payload::Payload;
use super::plan::{Action, Claims, Outcome, PlanEntry, RemoteState, check_untouched};
use super::strapi::{BATCH, CmsError, Created, RemoteDoc, StrapiClient, Version, WriteRequest};

/// What the executor reports as it goes.
#[derive(Debug, Clone)]
pub enum Event {
    /// Writing starts: this many entries will be carried out.
    Start(usize),
    /// One entry is finished (its outcome is set).
    Finished(Box<PlanEntry>),
}

/// Receives [`Event`]s (progress bar, log lines).
pub type EventFn = Arc<dyn Fn(Event) + Send + Sync>;

/// How to carry out a plan.
#[derive(Debug, Clone, Copy)]
pub struct ExecuteOptions {
    /// Write drafts only.
    pub draft: bool,
    /// Overwrite CMS edits.
    pub force: bool,
    /// Entries carried out at once.
    pub concurrency: usize,
    /// Testing aid: stop (sleep) after this many writes, so a test can kill the process mid-run.
    pub pause_after_writes: Option<usize>,
}

/// Guides in a row whose requests could not connect to the CMS (each after
/// its own retries) before the run stops: the CMS is down, and trying every
/// remaining guide would only repeat the same failure.
pub const REFUSED_IN_A_ROW: usize = 3;

/// The first request carrying out `entry` would send (a create's POST, an
/// update's PUT), as [`StrapiClient`] builds it; `None` for other actions.
pub fn first_request(
    client: &StrapiClient,
    entry: &PlanEntry,
    options: &ExecuteOptions,
) -> Option<WriteRequest> {
    let payload = entry.payload.as_ref()?;
    let version = target_version(options);
    match (entry.action, &entry.document_id) {
        (Action::Create, _) => Some(client.create_request(&payload.to_data(), version)),
        (Action::Update, Some(id)) => Some(client.update_request(id, &payload.to_data(), version)),
        _ => None,
    }
}

struct Shared {
    client: Arc<StrapiClient>,
    options: ExecuteOptions,
    claims: Claims,
    writes_done: AtomicUsize,
    stop: AtomicBool,
    /// Entries in a row that failed because no connection could be made.
    refused: AtomicUsize,
}

/// What the check just before a batch found about one entry.
#[derive(Debug, Clone, PartialEq)]
enum Fresh {
    /// Not checked (or the check failed): the entry re-reads on its own.
    Unknown,
    /// A create whose slug no document has, drafts included.
    Absent,
    /// A create whose slug this document has now.
    Found(String),
    /// An update whose versions are as listed: the plan's verdict stands.
    AsListed,
}

type Finished = (usize, PlanEntry, Option<CmsError>);

/// Carries out every writing entry of `entries`, `concurrency` at a time,
/// in batches of [`BATCH`] checked just before against `remote` (the
/// listing the plan was made from). `claims` are the repository's (a
/// delete re-checks them on its re-read). Returns the first fatal error
/// (bad token, an answer of unexpected shape, the CMS down), after which
/// nothing more is attempted.
pub async fn execute(
    client: Arc<StrapiClient>,
    entries: &mut [PlanEntry],
    remote: &RemoteState,
    claims: Claims,
    options: ExecuteOptions,
    events: Option<EventFn>,
) -> Option<CmsError> {
    let shared = Arc::new(Shared {
        client,
        options,
        claims,
        writes_done: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        refused: AtomicUsize::new(0),
    });
    let todo: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].action.writes())
        .collect();
    let total = todo.len();
    if let Some(events) = &events {
        events(Event::Start(total));
    }
    let concurrency = options.concurrency.max(1);
    let semaphore = Arc::new(Semaphore::new(concurrency));
    let mut tasks: JoinSet<Finished> = JoinSet::new();
    let mut tally = Tally::default();
    for batch in todo.chunks(BATCH) {
        // The next batch is checked while the last writes of this one are
        // still under way, so the CMS is never idle waiting for the check.
        while tasks.len() > concurrency {
            if let Some(Ok(finished)) = tasks.join_next().await {
                tally.finish(entries, finished, events.as_ref());
            }
        }
        let fresh = if shared.stop.load(Ordering::SeqCst) {
            HashMap::new()
        } else {
            match check_batch(&shared, entries, batch, remote).await {
                Ok(fresh) => fresh,
                Err(fatal) => {
                    shared.stop.store(true, Ordering::SeqCst);
                    tally.fatal.get_or_insert(fatal);
                    HashMap::new()
                }
            }
        };
        for &index in batch {
            let mut entry = entries[index].clone();
            let fresh = fresh.get(&index).cloned().unwrap_or(Fresh::Unknown);
            let shared = Arc::clone(&shared);
            let semaphore = Arc::clone(&semaphore);
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                if shared.stop.load(Ordering::SeqCst) {
                    entry.outcome = Some(Outcome::Skipped);
                    entry.message = Some("not attempted: the run stopped".into());
                    return (index, entry, None);
                }
                let result = carry_out(&shared, &mut entry, fresh).await;
                let fatal = settle(&shared, &mut entry, result, total);
                (index, entry, fatal)
            });
        }
    }
    while let Some(joined) = tasks.join_next().await {
        if let Ok(finished) = joined {
            tally.finish(entries, finished, events.as_ref());
        }
    }
    let mut first_fatal = tally.fatal;
    // How far it got, counted once every task is done.
    if let Some(CmsError::CmsDown {
        done: d,
        failed: f,
        not_attempted: n,
        ..
    }) = &mut first_fatal
    {
        (*d, *f, *n) = (tally.done, tally.failed, tally.not_attempted);
    }
    first_fatal
}

/// Outcomes counted as entries finish.
#[derive(Default)]
struct Tally {
    done: usize,
    failed: usize,
    not_attempted: usize,
    fatal: Option<CmsError>,
}

impl Tally {
    fn finish(
        &mut self,
        entries: &mut [PlanEntry],
        (index, entry, fatal): Finished,
        events: Option<&EventFn>,
    ) {
        match entry.outcome {
            Some(Outcome::Skipped) => self.not_attempted += 1,
            Some(Outcome::Done | Outcome::AlreadyDone) => self.done += 1,
            _ => self.failed += 1,
        }
        if let Some(events) = events {
            events(Event::Finished(Box::new(entry.clone())));
        }
        entries[index] = entry;
        if self.fatal.is_none() {
            self.fatal = fatal;
        }
    }
}

/// Records a failure on `entry`; returns the error that stops the run, if any.
fn settle(
    shared: &Shared,
    entry: &mut PlanEntry,
    result: Result<(), CmsError>,
    total: usize,
) -> Option<CmsError> {
    let error = match result {
        Ok(()) => {
            shared.refused.store(0, Ordering::SeqCst);
            return None;
        }
        Err(error) => error,
    };
    entry.outcome = Some(Outcome::Failed);
    entry.message = Some(error.to_string());
    let refused = if error.is_connect() {
        shared.refused.fetch_add(1, Ordering::SeqCst) + 1
    } else {
        shared.refused.store(0, Ordering::SeqCst);
        0
    };
    if error.is_fatal() {
        shared.stop.store(true, Ordering::SeqCst);
        Some(error)
    } else if refused >= REFUSED_IN_A_ROW && !shared.stop.swap(true, Ordering::SeqCst) {
        Some(CmsError::CmsDown {
            refused,
            last: error.to_string(),
            done: 0,
            failed: 0,
            total,
            not_attempted: 0,
        })
    } else {
        None
    }
}

/// The check just before a batch: the drafts having the slugs of its
/// creates, and the versions of its updates' documents, without content,
/// one request each. `Err` only for an error that stops the run (an answer
/// of unexpected shape, a refused token); any other failure leaves the
/// batch's entries [`Fresh::Unknown`], to be re-read one by one.
async fn check_batch(
    shared: &Shared,
    entries: &[PlanEntry],
    batch: &[usize],
    remote: &RemoteState,
) -> Result<HashMap<usize, Fresh>, CmsError> {
    let client = &shared.client;
    let mut fresh = HashMap::new();
    let creates: Vec<usize> = batch
        .iter()
        .copied()
        .filter(|&i| entries[i].action == Action::Create && entries[i].document_id.is_none())
        .collect();
    if !creates.is_empty() {
        let slugs: Vec<&str> = creates.iter().map(|&i| entries[i].slug.as_str()).collect();
        match client.find_slugs(&slugs).await {
            Ok(found) => {
                for &i in &creates {
                    let state = match found.iter().find(|d| d.slug() == entries[i].slug) {
                        Some(doc) => Fresh::Found(doc.document_id.clone()),
                        None => Fresh::Absent,
                    };
                    fresh.insert(i, state);
                }
            }
            Err(error) if error.is_fatal() => return Err(error),
            Err(_) => {}
        }
    }
    // Updates are checked only against a listing that held both versions
    // they are guarded on (the draft always; the published one unless
    // writing drafts only).
    let Some(drafts) = &remote.drafts else {
        return Ok(fresh);
    };
    let updates: Vec<(usize, &str)> = batch
        .iter()
        .filter(|&&i| entries[i].action == Action::Update)
        .filter_map(|&i| entries[i].document_id.as_deref().map(|id| (i, id)))
        .collect();
    if updates.is_empty() {
        return Ok(fresh);
    }
    let ids: Vec<&str> = updates.iter().map(|(_, id)| *id).collect();
    let mut versions = vec![(Version::Draft, drafts)];
    if !shared.options.draft {
        versions.push((Version::Published, &remote.published));
    }
    let mut as_listed: HashMap<usize, bool> = updates.iter().map(|(i, _)| (*i, true)).collect();
    for (version, listed) in versions {
        let now = match client.get_many(&ids, version).await {
            Ok(now) => now,
            Err(error) if error.is_fatal() => return Err(error),
            Err(_) => return Ok(fresh),
        };
        for (i, id) in &updates {
            let before = listed
                .get(&entries[*i].slug)
                .filter(|d| d.document_id == *id);
            let after = now.iter().find(|d| d.document_id == *id);
            if !unchanged(before, after) {
                as_listed.insert(*i, false);
            }
        }
    }
    for (i, same) in as_listed {
        if same {
            fresh.insert(i, Fresh::AsListed);
        }
    }
    Ok(fresh)
}

/// Whether a version read again just now is the one listed: both absent,
/// or the same document, slug, marker, hash and `updatedAt` (a version
/// without `updatedAt` is never taken as unchanged).
fn unchanged(listed: Option<&RemoteDoc>, now: Option<&RemoteDoc>) -> bool {
    match (listed, now) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.updated_at.is_some()
                && a.updated_at == b.updated_at
                && a.document_id == b.document_id
                && a.slug() == b.slug()
                && a.content_hash == b.content_hash
                && a.managed_by == b.managed_by
                && a.published_at == b.published_at
        }
        _ => false,
    }
}

async fn wrote(shared: &Shared) {
    let done = shared.writes_done.fetch_add(1, Ordering::SeqCst) + 1;
    if shared
        .options
        .pause_after_writes
        .is_some_and(|limit| done >= limit)
    {
        // Test aid: hold here so the test can kill the process mid-run.
        loop {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    }
}

fn target_version(options: &ExecuteOptions) -> Version {
    if options.draft {
        Version::Draft
    } else {
        Version::Published
    }
}

async fn carry_out(shared: &Shared, entry: &mut PlanEntry, fresh: Fresh) -> Result<(), CmsError> {
    let client = &shared.client;
    match entry.action {
        Action::Create | Action::Update => {
            let Some(payload) = entry.payload.clone() else {
                return Ok(());
            };
            if fresh == Fresh::AsListed {
                if let Some(id) = entry.document_id.clone() {
                    // Unchanged since the listing the plan checked: no re-read.
                    client
                        .update(&id, &payload.to_data(), target_version(&shared.options))
                        .await?;
                    entry.outcome = Some(Outcome::Done);
                    wrote(shared).await;
                    return Ok(());
                }
            }
            let mut document_id = entry.document_id.clone();
            // What the batch check found stands for the first round only.
            let mut fresh = Some(fresh);
            // A document deleted between the plan and its re-read is created
            // again; one that vanishes twice in a row stops this guide.
            for _ in 0..2 {
                let checked = fresh.take();
                let (id, ours) = match document_id.take() {
                    Some(id) => (id, false),
                    None => {
                        // Find-or-create: the plan may be stale; look the
                        // slug up first, unless the batch check just did.
                        let found = match checked {
                            Some(Fresh::Absent) => None,
                            Some(Fresh::Found(id)) => Some(id),
                            _ => client
                                .find_by_slug(&payload.slug)
                                .await?
                                .map(|doc| doc.document_id),
                        };
                        match found {
                            Some(id) => (id, false),
                            None => {
                                let created = client
                                    .create(
                                        &payload.slug,
                                        &payload.to_data(),
                                        target_version(&shared.options),
                                    )
                                    .await?;
                                match created {
                                    Created::New(doc) => {
                                        entry.document_id = Some(doc.document_id);
                                        entry.outcome = Some(Outcome::Done);
                                        wrote(shared).await;
                                        return Ok(());
                                    }
                                    // A lost answer: most likely this write.
                                    Created::Found(doc) => (doc.document_id, true),
                                    Created::Taken(doc) => (doc.document_id, false),
                                }
                            }
                        }
                    }
                };
                entry.document_id = Some(id.clone());
                if sync_existing(shared, entry, &payload, &id, ours).await? {
                    return Ok(());
                }
                entry.document_id = None;
            }
            Err(CmsError::Unexpected {
                action: format!("writing `{}`", payload.slug),
                message: "its document vanished twice between being found and being re-read".into(),
            })
        }
        Action::Unpublish => {
            let Some(id) = entry.document_id.clone() else {
                return Ok(());
            };
            let Some(current) = client.get(&id, Version::Published).await? else {
                entry.outcome = Some(Outcome::AlreadyDone);
                return Ok(());
            };
            same_slug(entry, &current)?;
            if !guard(shared, entry, &current) {
                return Ok(());
            }
            let found = client.unpublish(&id).await?;
            entry.outcome = Some(if found {
                Outcome::Done
            } else {
                Outcome::AlreadyDone
            });
            wrote(shared).await;
            Ok(())
        }
        Action::Delete => {
            let Some(id) = entry.document_id.clone() else {
                return Ok(());
            };
            let Some(current) = client.get(&id, Version::Draft).await? else {
                entry.outcome = Some(Outcome::AlreadyDone);
                return Ok(());
            };
            let published = client.get(&id, Version::Published).await?;
            for doc in std::iter::once(&current).chain(published.as_ref()) {
                same_slug(entry, doc)?;
                // The re-read's own slug and sourcePath, against the repository's.
                if let Some(path) = shared.claims.owner(doc) {
                    entry.outcome = Some(Outcome::Conflict);
                    entry.message = Some(format!(
                        "found on re-read: the file {path} owns this document; not deleted"
                    ));
                    return Ok(());
                }
            }
            if !guard(shared, entry, &current)
                || published.is_some_and(|p| !guard(shared, entry, &p))
            {
                return Ok(());
            }
            client.delete(&id).await?;
            entry.outcome = Some(Outcome::Done);
            wrote(shared).await;
            Ok(())
        }
        Action::Unchanged | Action::Conflict | Action::Blocked => Ok(()),
    }
}

/// The re-read must be the document the plan was made from: a slug other
/// than the listed one means the CMS's answers cannot be trusted.
fn same_slug(entry: &PlanEntry, doc: &RemoteDoc) -> Result<(), CmsError> {
    if doc.slug() == entry.slug {
        return Ok(());
    }
    Err(CmsError::Unexpected {
        action: format!("re-reading document {}", doc.document_id),
        message: format!(
            "it was listed with slug `{}` but reads back with slug `{}`",
            entry.slug,
            doc.slug()
        ),
    })
}

/// `true` when `doc` may be overwritten; otherwise marks the entry a conflict.
fn guard(shared: &Shared, entry: &mut PlanEntry, doc: &RemoteDoc) -> bool {
    match check_untouched(doc) {
        Ok(()) => true,
        Err(_) if shared.options.force => true,
        Err(why) => {
            entry.outcome = Some(Outcome::Conflict);
            entry.message = Some(format!("found on re-read: {why}; use --force to overwrite"));
            false
        }
    }
}

/// Re-reads the document, refuses to overwrite an edit made in the CMS, and
/// writes only when the wanted version does not already carry the hash.
/// `ours`: the document was found after a create whose answer was lost (so
/// finding it in place means this run wrote it). `Ok(false)` when the
/// document is gone (deleted since it was found).
async fn sync_existing(
    shared: &Shared,
    entry: &mut PlanEntry,
    payload: &Payload,
    document_id: &str,
    ours: bool,
) -> Result<bool, CmsError> {
    let client = &shared.client;
    let hash = payload.hash();
    let Some(draft) = client.get(document_id, Version::Draft).await? else {
        return Ok(false);
    };
    same_slug(entry, &draft)?;
    let published = if shared.options.draft {
        None
    } else {
        client.get(document_id, Version::Published).await?
    };
    if let Some(published) = &published {
        same_slug(entry, published)?;
    }
    let carries = |doc: &RemoteDoc| doc.content_hash.as_deref() == Some(hash);
    for doc in std::iter::once(&draft).chain(published.as_ref()) {
        if !guard(shared, entry, doc) {
            return Ok(true);
        }
    }
    let in_place = if shared.options.draft {
        carries(&draft) && check_untouched(&draft).is_ok()
    } else {
        published
            .as_ref()
            .is_some_and(|p| carries(p) && check_untouched(p).is_ok())
            && carries(&draft)
    };
    if in_place {
        // Written by this run only when a create's answer was lost.
        entry.outcome = Some(if ours {
            Outcome::Done
        } else {
            Outcome::AlreadyDone
        });
        return Ok(true);
    }
    client
        .update(
            document_id,
            &payload.to_data(),
            target_version(&shared.options),
        )
        .await?;
    entry.outcome = Some(Outcome::Done);
    wrote(shared).await;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn listed(updated: &str, hash: &str) -> RemoteDoc {
        let mut fields = serde_json::Map::new();
        fields.insert("slug".into(), json!("a"));
        RemoteDoc {
            document_id: "d-a".into(),
            fields,
            content_hash: Some(hash.into()),
            managed_by: Some("guidepress".into()),
            updated_at: Some(updated.into()),
            published_at: None,
        }
    }

    #[test]
    fn a_version_is_as_listed_only_when_nothing_moved() {
        let a = listed("2026-01-01T00:00:00.000Z", "sha256:1");
        assert!(unchanged(Some(&a), Some(&a.clone())));
        assert!(unchanged(None, None));
        assert!(!unchanged(Some(&a), None), "deleted since");
        assert!(!unchanged(None, Some(&a)), "appeared since");
        let later = listed("2026-01-01T00:00:00.001Z", "sha256:1");
        assert!(!unchanged(Some(&a), Some(&later)), "written since");
        let other = listed("2026-01-01T00:00:00.000Z", "sha256:2");
        assert!(!unchanged(Some(&a), Some(&other)));
        let mut published = a.clone();
        published.published_at = Some("2026-01-01T00:00:00.000Z".into());
        assert!(!unchanged(Some(&a), Some(&published)));
        let mut renamed = a.clone();
        renamed.fields.insert("slug".into(), json!("b"));
        assert!(!unchanged(Some(&a), Some(&renamed)));
        let mut no_time = a.clone();
        no_time.updated_at = None;
        assert!(
            !unchanged(Some(&no_time), Some(&no_time.clone())),
            "without updatedAt nothing tells an edit"
        );
    }
}
