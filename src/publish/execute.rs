//! Carrying out a plan: every write is preceded by a fresh read of the
//! document, so an edit made in the CMS since the plan is still caught.
//!
//! The remaining race: Strapi has no conditional write (no `If-Match`), so
//! an edit made in the CMS between that read and the write (milliseconds)
//! is overwritten. Two publishers running at once are kept apart by the
//! publish workflow's concurrency group, not here.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::payload::Payload;
use super::plan::{Action, Outcome, PlanEntry, check_untouched};
use super::strapi::{CmsError, Created, RemoteDoc, StrapiClient, Version};

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

struct Shared {
    client: Arc<StrapiClient>,
    options: ExecuteOptions,
    writes_done: AtomicUsize,
    stop: AtomicBool,
}

/// Carries out every writing entry of `entries`, `concurrency` at a time.
/// Returns the first fatal error (bad token), after which nothing more is attempted.
pub async fn execute(
    client: Arc<StrapiClient>,
    entries: &mut [PlanEntry],
    options: ExecuteOptions,
    events: Option<EventFn>,
) -> Option<CmsError> {
    let shared = Arc::new(Shared {
        client,
        options,
        writes_done: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    let todo: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].action.writes())
        .collect();
    if let Some(events) = &events {
        events(Event::Start(todo.len()));
    }
    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for index in todo {
        let entry = entries[index].clone();
        let shared = Arc::clone(&shared);
        let semaphore = Arc::clone(&semaphore);
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            let mut entry = entry;
            if shared.stop.load(Ordering::SeqCst) {
                entry.outcome = Some(Outcome::Skipped);
                entry.message = Some("not attempted: the run stopped".into());
                return (index, entry, None);
            }
            let fatal = match carry_out(&shared, &mut entry).await {
                Ok(()) => None,
                Err(error) => {
                    entry.outcome = Some(Outcome::Failed);
                    entry.message = Some(error.to_string());
                    if error.is_fatal() {
                        shared.stop.store(true, Ordering::SeqCst);
                        Some(error)
                    } else {
                        None
                    }
                }
            };
            (index, entry, fatal)
        });
    }
    let mut first_fatal = None;
    while let Some(joined) = tasks.join_next().await {
        let Ok((index, entry, fatal)) = joined else {
            continue;
        };
        if let Some(events) = &events {
            events(Event::Finished(Box::new(entry.clone())));
        }
        entries[index] = entry;
        if first_fatal.is_none() {
            first_fatal = fatal;
        }
    }
    first_fatal
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

async fn carry_out(shared: &Shared, entry: &mut PlanEntry) -> Result<(), CmsError> {
    let client = &shared.client;
    match entry.action {
        Action::Create | Action::Update => {
            let Some(payload) = entry.payload.clone() else {
                return Ok(());
            };
            let document_id = match entry.document_id.clone() {
                Some(id) => id,
                // Find-or-create: the plan may be stale; look the slug up first.
                None => match client.find_by_slug(&payload.slug).await? {
                    Some(doc) => doc.document_id,
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
                            Created::Found(doc) => doc.document_id,
                        }
                    }
                },
            };
            entry.document_id = Some(document_id.clone());
            sync_existing(shared, entry, &payload, &document_id).await
        }
        Action::Unpublish => {
            let Some(id) = entry.document_id.clone() else {
                return Ok(());
            };
            let Some(current) = client.get(&id, Version::Published).await? else {
                entry.outcome = Some(Outcome::AlreadyDone);
                return Ok(());
            };
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
async fn sync_existing(
    shared: &Shared,
    entry: &mut PlanEntry,
    payload: &Payload,
    document_id: &str,
) -> Result<(), CmsError> {
    let client = &shared.client;
    let hash = payload.hash();
    let draft = client.get(document_id, Version::Draft).await?;
    let Some(draft) = draft else {
        // Deleted since it was listed: create it again (never twice: see `create`).
        entry.document_id = None;
        let created = client
            .create(
                &payload.slug,
                &payload.to_data(),
                target_version(&shared.options),
            )
            .await?;
        let doc = match created {
            Created::New(doc) | Created::Found(doc) => doc,
        };
        entry.document_id = Some(doc.document_id);
        entry.outcome = Some(Outcome::Done);
        wrote(shared).await;
        return Ok(());
    };
    let published = if shared.options.draft {
        None
    } else {
        client.get(document_id, Version::Published).await?
    };
    let carries = |doc: &RemoteDoc| doc.content_hash.as_deref() == Some(hash.as_str());
    for doc in std::iter::once(&draft).chain(published.as_ref()) {
        if !guard(shared, entry, doc) {
            return Ok(());
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
        // A create whose answer was lost ends here: it did happen.
        entry.outcome = Some(if entry.action == Action::Create {
            Outcome::Done
        } else {
            Outcome::AlreadyDone
        });
        return Ok(());
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
    Ok(())
}
