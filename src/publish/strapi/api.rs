//! The content API of one collection: paged listing with selected fields,
//! reads by `documentId` and slug, create (never twice), update, unpublish,
//! delete.

use std::collections::BTreeSet;

use futures_util::stream::{self, StreamExt};
use reqwest::Method;
use serde_json::{Value, json};

use crate::publish::mapping::Mapping;
use crate::retry::Decision;

use super::{CmsError, Created, PAGE_SIZE, RemoteDoc, StrapiClient, Version};

/// Listing pages asked for at once after the first.
const LIST_PAGES_AT_ONCE: usize = 4;

/// Most documents one listing reads (per version). A CMS claiming more, or
/// paging on past it, is an error: guidepress does not read without end.
pub const MAX_LISTED: usize = 100_000;

/// Most values in one `$in` filter of a batched re-read ([`StrapiClient::find_slugs`],
/// [`StrapiClient::get_many`]). Strapi parses at most 100 array items in a
/// query (more turn the filter into something it ignores); 50 keeps the
/// URL short whatever the slugs.
pub const BATCH: usize = 50;

/// A write as guidepress sends it: `publish --dry-run --show-requests`
/// prints the first one of each planned create and update, so that a
/// benchmark can replay exactly what guidepress sends.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WriteRequest {
    /// `POST`, `PUT`.
    pub method: &'static str,
    /// The path under the CMS's base URL (`/api/guides`).
    pub path: String,
    /// The query parameters (`status=draft`).
    pub query: Vec<(String, String)>,
    /// The JSON body.
    pub body: Value,
}

/// What one listing asks for.
struct Listing<'a> {
    version: Version,
    with_content: bool,
    /// `(field, values)`: only documents whose field is one of the values.
    only: Option<(&'a str, &'a [&'a str])>,
}

impl StrapiClient {
    fn fields_query(&self, with_content: bool) -> Vec<(String, String)> {
        let mut names: Vec<&str> = vec![
            "slug",
            "contentHash",
            "managedBy",
            "updatedAt",
            "publishedAt",
        ];
        if with_content {
            names.push(crate::publish::payload::SOURCE_PATH);
            for name in self.mapping.scalar_attributes() {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let mut query: Vec<(String, String)> = names
            .into_iter()
            .enumerate()
            .map(|(i, name)| (format!("fields[{i}]"), name.to_owned()))
            .collect();
        if with_content {
            query.extend(self.mapping.populate_query());
        }
        query
    }

    /// Every document's `version`, [`PAGE_SIZE`] per request. With
    /// `with_content`, the managed fields come too (needed to tell an edit
    /// made in the CMS); without, only `slug`, `contentHash`, `managedBy`
    /// and the timestamps.
    pub async fn list(
        &self,
        version: Version,
        with_content: bool,
    ) -> Result<Vec<RemoteDoc>, CmsError> {
        self.list_pages(Listing {
            version,
            with_content,
            only: None,
        })
        .await
    }

    /// The drafts (every document has one) of the documents whose slug is
    /// one of `slugs` (at most [`BATCH`]), without their content: the check
    /// just before a batch of creates that none was created since the
    /// listing. A document with a slug not asked for (the filter was not
    /// applied) is [`CmsError::Unexpected`].
    pub async fn find_slugs(&self, slugs: &[&str]) -> Result<Vec<RemoteDoc>, CmsError> {
        self.list_pages(Listing {
            version: Version::Draft,
            with_content: false,
            only: Some(("slug", slugs)),
        })
        .await
    }

    /// `version` of the documents `ids` (at most [`BATCH`]), without their
    /// content: the check just before a batch of updates that none changed
    /// since the listing. A document not asked for is [`CmsError::Unexpected`].
    pub async fn get_many(
        &self,
        ids: &[&str],
        version: Version,
    ) -> Result<Vec<RemoteDoc>, CmsError> {
        self.list_pages(Listing {
            version,
            with_content: false,
            only: Some(("documentId", ids)),
        })
        .await
    }

    /// Pages through a listing, sorted by `id`. Bounded: at most
    /// [`MAX_LISTED`] documents; an answer whose pagination does not follow
    /// the request (another page, more items than the page size, a page of
    /// documents already listed, no `meta.pagination`) is
    /// [`CmsError::Unexpected`], since a listing that silently misses
    /// documents would make a create duplicate one.
    async fn list_pages(&self, listing: Listing<'_>) -> Result<Vec<RemoteDoc>, CmsError> {
        let url = self.url(None, None);
        let mut base = self.fields_query(listing.with_content);
        base.push(("status".into(), listing.version.as_str().into()));
        base.push(("sort[0]".into(), "id:asc".into()));
        let mut wanted = BTreeSet::new();
        if let Some((field, values)) = listing.only {
            if values.is_empty() {
                return Ok(Vec::new());
            }
            for (i, value) in values.iter().enumerate() {
                base.push((format!("filters[{field}][$in][{i}]"), (*value).to_owned()));
                wanted.insert(*value);
            }
        }
        let mut out: Vec<RemoteDoc> = Vec::new();
        let mut seen = BTreeSet::new();
        let request = |page: usize| {
            let mut query = base.clone();
            query.push(("pagination[page]".into(), page.to_string()));
            query.push(("pagination[pageSize]".into(), PAGE_SIZE.to_string()));
            let url = &url;
            async move {
                let body = self.send(Method::GET, url, &query, None, false).await;
                (page, body)
            }
        };
        // Each answer is taken in page order: the page count it announces,
        // `None` once the listing is whole.
        let mut take = |page: usize, body: Option<Value>| -> Result<Option<usize>, CmsError> {
            let body = body.unwrap_or(Value::Null);
            let action = format!(
                "GET {} ({}, page {page})",
                url.path(),
                listing.version.as_str()
            );
            let Some(items) = body.get("data").and_then(Value::as_array) else {
                return Err(unexpected(&action, "no `data` list"));
            };
            let pages = pagination(&body, page, items.len(), &action)?;
            let mut new = 0;
            for item in items {
                let doc = document(item, &action, &self.mapping)?;
                if let Some((field, _)) = listing.only {
                    let value = match field {
                        "slug" => doc.slug(),
                        _ => doc.document_id.as_str(),
                    };
                    if !wanted.contains(value) {
                        return Err(unexpected(
                            &action,
                            &format!(
                                "asked for documents by {field}, got document {} ({field} `{value}`): the filter was not applied",
                                doc.document_id
                            ),
                        ));
                    }
                }
                // A document that moved from one page to the next while
                // listing (another was deleted meanwhile) is listed once.
                if seen.insert(doc.document_id.clone()) {
                    new += 1;
                    out.push(doc);
                }
            }
            if new == 0 && !items.is_empty() {
                return Err(unexpected(
                    &action,
                    "the page holds only documents already listed: the CMS does not page as asked",
                ));
            }
            if out.len() > MAX_LISTED {
                return Err(unexpected(
                    &action,
                    &format!(
                        "the listing goes past {MAX_LISTED} documents, more than guidepress reads"
                    ),
                ));
            }
            Ok((page < pages && !items.is_empty()).then_some(pages))
        };
        let (_, first) = request(1).await;
        let Some(mut pages) = take(1, first?)? else {
            return Ok(out);
        };
        // The first page tells how many there are (bounded by
        // `pagination`): the others are asked for a few at a time, so the
        // CMS prepares one while guidepress reads another. A listing that
        // grows while it is read (a document created meanwhile) is read on
        // to its new end.
        let mut next = 2;
        while next <= pages {
            let asked = next..=pages;
            next = pages + 1;
            let mut answers = stream::iter(asked)
                .map(&request)
                .buffered(LIST_PAGES_AT_ONCE);
            while let Some((page, body)) = answers.next().await {
                match take(page, body?)? {
                    Some(count) => pages = pages.max(count),
                    None => return Ok(out),
                }
            }
        }
        Ok(out)
    }

    /// One version of a document, with its managed fields; `None` when it
    /// has none (404, or `data: null`). An answer without `data`, or a
    /// document other than the one asked for, is [`CmsError::Unexpected`].
    pub async fn get(
        &self,
        document_id: &str,
        version: Version,
    ) -> Result<Option<RemoteDoc>, CmsError> {
        let url = self.url(Some(document_id), None);
        let mut query = self.fields_query(true);
        query.push(("status".into(), version.as_str().into()));
        let Some(body) = self.send(Method::GET, &url, &query, None, true).await? else {
            return Ok(None);
        };
        let action = format!("GET {} ({})", url.path(), version.as_str());
        match body.get("data") {
            None => Err(unexpected(&action, "no `data` in the answer")),
            Some(Value::Null) => Ok(None),
            Some(data) => {
                let doc = document(data, &action, &self.mapping)?;
                if doc.document_id != document_id {
                    return Err(unexpected(
                        &action,
                        &format!("asked for document {document_id}, got {}", doc.document_id),
                    ));
                }
                Ok(Some(doc))
            }
        }
    }

    /// The document with `slug` (its draft: every document has one), if any.
    /// An entry without `documentId`, or with another slug (the filter was
    /// not applied), is [`CmsError::Unexpected`]: never "not found".
    pub async fn find_by_slug(&self, slug: &str) -> Result<Option<RemoteDoc>, CmsError> {
        let url = self.url(None, None);
        let mut query = self.fields_query(true);
        query.push(("status".into(), "draft".into()));
        query.push(("filters[slug][$eq]".into(), slug.to_owned()));
        query.push(("pagination[pageSize]".into(), "2".into()));
        let body = self
            .send(Method::GET, &url, &query, None, false)
            .await?
            .unwrap_or(Value::Null);
        let action = format!("GET {} (slug {slug})", url.path());
        let Some(items) = body.get("data").and_then(Value::as_array) else {
            return Err(unexpected(&action, "no `data` list"));
        };
        let mut found = None;
        for item in items {
            let doc = document(item, &action, &self.mapping)?;
            if doc.slug() != slug {
                return Err(unexpected(
                    &action,
                    &format!(
                        "asked for slug `{slug}`, got document {} with slug `{}` (the filter was not applied)",
                        doc.document_id,
                        doc.slug()
                    ),
                ));
            }
            found.get_or_insert(doc);
        }
        Ok(found)
    }

    /// The request [`StrapiClient::create`] sends first.
    pub fn create_request(&self, data: &Value, version: Version) -> WriteRequest {
        WriteRequest {
            method: "POST",
            path: self.url(None, None).path().to_owned(),
            query: status_query(version),
            body: json!({ "data": data }),
        }
    }

    /// The request [`StrapiClient::update`] sends first.
    pub fn update_request(
        &self,
        document_id: &str,
        data: &Value,
        version: Version,
    ) -> WriteRequest {
        WriteRequest {
            method: "PUT",
            path: self.url(Some(document_id), None).path().to_owned(),
            query: status_query(version),
            body: json!({ "data": data }),
        }
    }

    /// Creates a document (published, or only a draft). Never creates twice:
    /// when the answer is lost (timeout, connection reset, 5xx) or the slug
    /// is taken, the slug is looked up before trying again. A document found
    /// after a lost answer is [`Created::Found`] (most likely this write); one
    /// found because the slug was taken from the start is [`Created::Taken`].
    pub async fn create(
        &self,
        slug: &str,
        data: &Value,
        version: Version,
    ) -> Result<Created, CmsError> {
        let url = self.url(None, None);
        let WriteRequest { query, body, .. } = self.create_request(data, version);
        let action = format!("POST {}", url.path());
        let mut attempt = 0;
        // Whether an earlier attempt may have written the document.
        let mut maybe_written = false;
        loop {
            let error = match self
                .send_once(Method::POST, &url, &query, Some(&body), false)
                .await
            {
                Ok(Some(answer)) => {
                    let Some(data) = answer.get("data").filter(|d| !d.is_null()) else {
                        return Err(unexpected(&action, "no document in the answer"));
                    };
                    return Ok(Created::New(document(data, &action, &self.mapping)?));
                }
                Ok(None) => CmsError::Malformed {
                    action: action.clone(),
                    message: "an empty answer".into(),
                },
                Err(error) => error,
            };
            let lost = error.is_retryable()
                || matches!(
                    error,
                    CmsError::Malformed { .. } | CmsError::ResponseTooLarge { .. }
                );
            if !(lost || error.is_slug_taken()) {
                return Err(error);
            }
            maybe_written |= error.answer_lost();
            let retry = match self.retry_policy().next(attempt, error.retry_after()) {
                Decision::Retry(delay) if lost => Some(delay),
                _ => None,
            };
            // No connection was made, now or before: nothing can have been
            // written, so there is nothing to look up (a lookup would only
            // meet the same refusal, through retries of its own, while the
            // run waits to learn that the CMS is gone).
            if error.is_connect() && !maybe_written {
                let Some(delay) = retry else {
                    return Err(error);
                };
                self.log(&format!("{error}; retrying in {} ms", delay.as_millis()));
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            if let Some(delay) = retry {
                self.log(&format!(
                    "{error}; looking `{slug}` up before retrying in {} ms",
                    delay.as_millis()
                ));
                tokio::time::sleep(delay).await;
            }
            // The write may have happened: look before writing again.
            if let Some(found) = self.find_by_slug(slug).await? {
                return Ok(if maybe_written {
                    Created::Found(found)
                } else {
                    Created::Taken(found)
                });
            }
            if retry.is_none() {
                return Err(error);
            }
            attempt += 1;
        }
    }

    /// Sends a write that is safe to repeat (PUT, unpublish, DELETE). When
    /// its answer is lost ([`CmsError::answer_lost`]), `landed` re-reads the
    /// document: a write found carried out is a success (`Ok(None)`), and
    /// only one not found is sent again, within the retry policy.
    async fn write_checked<F, Fut>(
        &self,
        method: Method,
        url: &reqwest::Url,
        query: &[(String, String)],
        body: Option<&Value>,
        allow_404: bool,
        landed: F,
    ) -> Result<Option<Value>, CmsError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<bool, CmsError>>,
    {
        let mut attempt = 0;
        loop {
            let error = match self
                .send_once(method.clone(), url, query, body, allow_404)
                .await
            {
                Ok(answer) => return Ok(answer),
                Err(error) => error,
            };
            if !(error.is_retryable() || error.answer_lost()) {
                return Err(error);
            }
            let decision = self.retry_policy().next(attempt, error.retry_after());
            if let Decision::Retry(delay) = decision {
                self.log(&format!(
                    "{error}; checking whether it landed, then retrying in {} ms",
                    delay.as_millis()
                ));
                tokio::time::sleep(delay).await;
            }
            if error.answer_lost() {
                match landed().await {
                    Ok(true) => {
                        self.log(&format!(
                            "{method} {}: the answer was lost, but the re-read shows the write landed",
                            url.path()
                        ));
                        return Ok(None);
                    }
                    Ok(false) => {}
                    Err(fatal) if fatal.is_fatal() => return Err(fatal),
                    // The re-read failed too: the write's own error says more.
                    Err(_) => {}
                }
            }
            if !matches!(decision, Decision::Retry(_)) {
                return Err(error);
            }
            attempt += 1;
        }
    }

    /// Replaces the managed fields of a document (publishing it, or only its
    /// draft). A lost answer is checked by re-reading: the wanted version
    /// carrying the new `contentHash` means the write landed.
    pub async fn update(
        &self,
        document_id: &str,
        data: &Value,
        version: Version,
    ) -> Result<(), CmsError> {
        let url = self.url(Some(document_id), None);
        let WriteRequest { query, body, .. } = self.update_request(document_id, data, version);
        let hash = data.get("contentHash").and_then(Value::as_str);
        self.write_checked(
            Method::PUT,
            &url,
            &query,
            Some(&body),
            false,
            || async move {
                let now = self.get(document_id, version).await?;
                Ok(hash.is_some() && now.is_some_and(|d| d.content_hash.as_deref() == hash))
            },
        )
        .await?;
        Ok(())
    }

    /// Removes the published version, keeping the draft (custom route
    /// `POST /api/<type>/:documentId/unpublish`). `false` when there is no
    /// such document. A lost answer is checked by re-reading: no published
    /// version left means it landed.
    pub async fn unpublish(&self, document_id: &str) -> Result<bool, CmsError> {
        let url = self.url(Some(document_id), Some("unpublish"));
        let mut landed = false;
        let answer = self
            .write_checked(Method::POST, &url, &[], Some(&json!({})), true, || async {
                Ok(self.get(document_id, Version::Published).await?.is_none())
            })
            .await?;
        if answer.is_none() {
            // 404 (no such document), or a lost answer found carried out.
            landed = self.get(document_id, Version::Draft).await?.is_some();
        }
        Ok(answer.is_some() || landed)
    }

    /// Deletes a document, every version (a missing one is not an error). A
    /// lost answer is checked by re-reading: no draft left means it landed.
    pub async fn delete(&self, document_id: &str) -> Result<(), CmsError> {
        let url = self.url(Some(document_id), None);
        self.write_checked(Method::DELETE, &url, &[], None, true, || async {
            Ok(self.get(document_id, Version::Draft).await?.is_none())
        })
        .await?;
        Ok(())
    }
}

/// One document of an answer: it must have a `documentId` and a `slug`.
fn document(item: &Value, action: &str, mapping: &Mapping) -> Result<RemoteDoc, CmsError> {
    let doc = RemoteDoc::from_json(item, mapping)
        .ok_or_else(|| unexpected(action, "a document without a `documentId`"))?;
    if doc.slug().is_empty() {
        return Err(unexpected(
            action,
            &format!(
                "document {} has no `slug` (every document guidepress reads needs one)",
                doc.document_id
            ),
        ));
    }
    Ok(doc)
}

fn unexpected(action: &str, message: &str) -> CmsError {
    CmsError::Unexpected {
        action: action.to_owned(),
        message: message.to_owned(),
    }
}

fn status_query(version: Version) -> Vec<(String, String)> {
    match version {
        Version::Draft => vec![("status".into(), "draft".into())],
        Version::Published => Vec::new(),
    }
}

/// The page count a listing answer announces, checked against the request:
/// the page asked for, a page size no larger than asked, no more items than
/// that, and no more pages than [`MAX_LISTED`] documents fill.
fn pagination(body: &Value, page: usize, items: usize, action: &str) -> Result<usize, CmsError> {
    let meta = body.pointer("/meta/pagination");
    let number = |name: &str| meta.and_then(|m| m.get(name)).and_then(Value::as_u64);
    let (Some(got), Some(size), Some(count)) =
        (number("page"), number("pageSize"), number("pageCount"))
    else {
        return Err(unexpected(
            action,
            "no `meta.pagination` with `page`, `pageSize` and `pageCount` (guidepress pages through the list by them)",
        ));
    };
    if got != page as u64 {
        return Err(unexpected(
            action,
            &format!("asked for page {page}, got page {got}: the CMS does not page as asked"),
        ));
    }
    if size == 0 || size > PAGE_SIZE as u64 || items as u64 > size {
        return Err(unexpected(
            action,
            &format!(
                "{items} documents on a page of size {size} (asked for pages of {PAGE_SIZE}): the CMS does not page as asked"
            ),
        ));
    }
    let most = MAX_LISTED.div_ceil(size as usize) as u64;
    if count > most {
        return Err(unexpected(
            action,
            &format!(
                "the CMS announces {count} pages of {size} documents, more than guidepress reads ({MAX_LISTED} documents)"
            ),
        ));
    }
    Ok(count as usize)
}
