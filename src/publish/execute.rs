//! Carrying out a plan: every write is preceded by a fresh read of the
//! document, so an edit made in the CMS since the plan is still caught.
//!
//! A write whose answer is lost is checked by re-reading before it is sent
//! again (see [`StrapiClient`]); an answer of an unexpected shape stops the
//! run ([`CmsError::Unexpected`]); so does a CMS that refuses connections for
//! [`REFUSED_IN_A_ROW`] guides in a row ([`CmsError::CmsDown`]), instead of
//! trying every remaining guide with its retries.
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
use super::plan::{Action, Claims, Outcome, PlanEntry, check_untouched};
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

/// Guides in a row whose requests could not connect to the CMS (each after
/// its own retries) before the run stops: the CMS is down, and trying every
/// remaining guide would only repeat the same failure.
pub const REFUSED_IN_A_ROW: usize = 3;

struct Shared {
    client: Arc<StrapiClient>,
    options: ExecuteOptions,
    claims: Claims,
    writes_done: AtomicUsize,
    stop: AtomicBool,
    /// Entries in a row that failed because no connection could be made.
    refused: AtomicUsize,
}

/// Carries out every writing entry of `entries`, `concurrency` at a time.
/// `claims` are the repository's (a delete re-checks them on its re-read).
/// Returns the first fatal error (bad token, an answer of unexpected shape,
/// the CMS down), after which nothing more is attempted.
pub async fn execute(
    client: Arc<StrapiClient>,
    entries: &mut [PlanEntry],
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
            let result = carry_out(&shared, &mut entry).await;
            let fatal = match result {
                Ok(()) => {
                    shared.refused.store(0, Ordering::SeqCst);
                    None
                }
                Err(error) => {
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
                    } else if refused >= REFUSED_IN_A_ROW
                        && !shared.stop.swap(true, Ordering::SeqCst)
                    {
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
            };
            (index, entry, fatal)
        });
    }
    let mut first_fatal = None;
    let (mut done, mut failed, mut not_attempted) = (0, 0, 0);
    while let Some(joined) = tasks.join_next().await {
        let Ok((index, entry, fatal)) = joined else {
            continue;
        };
        match entry.outcome {
            Some(Outcome::Skipped) => not_attempted += 1,
            Some(Outcome::Done | Outcome::AlreadyDone) => done += 1,
            _ => failed += 1,
        }
        if let Some(events) = &events {
            events(Event::Finished(Box::new(entry.clone())));
        }
        entries[index] = entry;
        if first_fatal.is_none() {
            first_fatal = fatal;
        }
    }
    // How far it got, counted once every task is done.
    if let Some(CmsError::CmsDown {
        done: d,
        failed: f,
        not_attempted: n,
        ..
    }) = &mut first_fatal
    {
        (*d, *f, *n) = (done, failed, not_attempted);
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
            let mut document_id = entry.document_id.clone();
            // A document deleted between the plan and its re-read is created
            // again; one that vanishes twice in a row stops this guide.
            for _ in 0..2 {
                let (id, ours) = match document_id.take() {
                    Some(id) => (id, false),
                    // Find-or-create: the plan may be stale; look the slug up first.
                    None => match client.find_by_slug(&payload.slug).await? {
                        Some(doc) => (doc.document_id, false),
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
                    },
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
    let carries = |doc: &RemoteDoc| doc.content_hash.as_deref() == Some(hash.as_str());
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
