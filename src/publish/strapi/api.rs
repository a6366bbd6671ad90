//! The content API of one collection: paged listing with selected fields,
//! reads by `documentId` and slug, create (never twice), update, unpublish,
//! delete.

use reqwest::Method;
use serde_json::{Value, json};

use crate::publish::mapping::Mapping;
use crate::retry::Decision;

use super::{CmsError, Created, PAGE_SIZE, RemoteDoc, StrapiClient, Version};

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

    /// Every document's `version`, 100 per request. With `with_content`, the
    /// managed fields come too (needed to tell an edit made in the CMS).
    pub async fn list(
        &self,
        version: Version,
        with_content: bool,
    ) -> Result<Vec<RemoteDoc>, CmsError> {
        let mut out = Vec::new();
        let url = self.url(None, None);
        let mut page = 1usize;
        loop {
            let mut query = self.fields_query(with_content);
            query.push(("status".into(), version.as_str().into()));
            query.push(("sort[0]".into(), "id:asc".into()));
            query.push(("pagination[page]".into(), page.to_string()));
            query.push(("pagination[pageSize]".into(), PAGE_SIZE.to_string()));
            let body = self
                .send(Method::GET, &url, &query, None, false)
                .await?
                .unwrap_or(Value::Null);
            let action = format!("GET {} (page {page})", url.path());
            let Some(items) = body.get("data").and_then(Value::as_array) else {
                return Err(unexpected(&action, "no `data` list"));
            };
            for item in items {
                out.push(document(item, &action, &self.mapping)?);
            }
            let page_count = body
                .pointer("/meta/pagination/pageCount")
                .and_then(Value::as_u64)
                .map(|n| n as usize);
            let done = match page_count {
                Some(count) => page >= count,
                None => items.len() < PAGE_SIZE,
            };
            if done || items.is_empty() {
                return Ok(out);
            }
            page += 1;
        }
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
        let query = status_query(version);
        let body = json!({ "data": data });
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
        let body = json!({ "data": data });
        let hash = data.get("contentHash").and_then(Value::as_str);
        self.write_checked(
            Method::PUT,
            &url,
            &status_query(version),
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
