//! The content API of one collection: paged listing with selected fields,
//! reads by `documentId` and slug, create (never twice), update, unpublish,
//! delete.

use reqwest::Method;
use serde_json::{Value, json};

use crate::retry::Decision;

use super::{CmsError, Created, PAGE_SIZE, RemoteDoc, StrapiClient, Version};

impl StrapiClient {
    fn fields_query(with_content: bool) -> Vec<(String, String)> {
        let mut names: Vec<&str> = vec![
            "slug",
            "contentHash",
            "managedBy",
            "updatedAt",
            "publishedAt",
        ];
        if with_content {
            names.extend(["title", "guideStatus", "document", "sourcePath"]);
        }
        names
            .into_iter()
            .enumerate()
            .map(|(i, name)| (format!("fields[{i}]"), name.to_owned()))
            .collect()
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
            let mut query = Self::fields_query(with_content);
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
                return Err(CmsError::Malformed {
                    action,
                    message: "no `data` list".into(),
                });
            };
            for item in items {
                out.push(
                    RemoteDoc::from_json(item).ok_or_else(|| CmsError::Malformed {
                        action: action.clone(),
                        message: "an entry without `documentId`".into(),
                    })?,
                );
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

    /// One version of a document, with its managed fields; `None` when it has none.
    pub async fn get(
        &self,
        document_id: &str,
        version: Version,
    ) -> Result<Option<RemoteDoc>, CmsError> {
        let url = self.url(Some(document_id), None);
        let mut query = Self::fields_query(true);
        query.push(("status".into(), version.as_str().into()));
        let Some(body) = self.send(Method::GET, &url, &query, None, true).await? else {
            return Ok(None);
        };
        match body.get("data") {
            Some(Value::Null) | None => Ok(None),
            Some(data) => RemoteDoc::from_json(data)
                .map(Some)
                .ok_or_else(|| CmsError::Malformed {
                    action: format!("GET {}", url.path()),
                    message: "no `documentId` in `data`".into(),
                }),
        }
    }

    /// The document with `slug` (its draft: every document has one), if any.
    pub async fn find_by_slug(&self, slug: &str) -> Result<Option<RemoteDoc>, CmsError> {
        let url = self.url(None, None);
        let mut query = Self::fields_query(true);
        query.push(("status".into(), "draft".into()));
        query.push(("filters[slug][$eq]".into(), slug.to_owned()));
        query.push(("pagination[pageSize]".into(), "2".into()));
        let body = self
            .send(Method::GET, &url, &query, None, false)
            .await?
            .unwrap_or(Value::Null);
        let Some(items) = body.get("data").and_then(Value::as_array) else {
            return Err(CmsError::Malformed {
                action: format!("GET {} (slug {slug})", url.path()),
                message: "no `data` list".into(),
            });
        };
        Ok(items.first().and_then(RemoteDoc::from_json))
    }

    /// Creates a document (published, or only a draft). Never creates twice:
    /// when the answer is lost (timeout, connection reset, 5xx) or the slug
    /// is taken, the slug is looked up before trying again, and a document
    /// found is returned as [`Created::Found`].
    pub async fn create(
        &self,
        slug: &str,
        data: &Value,
        version: Version,
    ) -> Result<Created, CmsError> {
        let url = self.url(None, None);
        let query = status_query(version);
        let body = json!({ "data": data });
        let mut attempt = 0;
        loop {
            let error = match self
                .send_once(Method::POST, &url, &query, Some(&body), false)
                .await
            {
                Ok(Some(answer)) => {
                    return answer
                        .get("data")
                        .and_then(RemoteDoc::from_json)
                        .map(Created::New)
                        .ok_or_else(|| CmsError::Malformed {
                            action: format!("POST {}", url.path()),
                            message: "no document in the answer".into(),
                        });
                }
                Ok(None) => CmsError::Malformed {
                    action: format!("POST {}", url.path()),
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
                return Ok(Created::Found(found));
            }
            if retry.is_none() {
                return Err(error);
            }
            attempt += 1;
        }
    }

    /// Replaces the managed fields of a document (publishing it, or only its draft).
    pub async fn update(
        &self,
        document_id: &str,
        data: &Value,
        version: Version,
    ) -> Result<Option<RemoteDoc>, CmsError> {
        let url = self.url(Some(document_id), None);
        let body = json!({ "data": data });
        let answer = self
            .send(
                Method::PUT,
                &url,
                &status_query(version),
                Some(&body),
                false,
            )
            .await?;
        Ok(answer
            .as_ref()
            .and_then(|a| a.get("data"))
            .and_then(RemoteDoc::from_json))
    }

    /// Removes the published version, keeping the draft (custom route
    /// `POST /api/<type>/:documentId/unpublish`). `false` when there is no such document.
    pub async fn unpublish(&self, document_id: &str) -> Result<bool, CmsError> {
        let url = self.url(Some(document_id), Some("unpublish"));
        Ok(self
            .send(Method::POST, &url, &[], Some(&json!({})), true)
            .await?
            .is_some())
    }

    /// Deletes a document, every version (a missing one is not an error).
    pub async fn delete(&self, document_id: &str) -> Result<(), CmsError> {
        let url = self.url(Some(document_id), None);
        self.send(Method::DELETE, &url, &[], None, true).await?;
        Ok(())
    }
}

fn status_query(version: Version) -> Vec<(String, String)> {
    match version {
        Version::Draft => vec![("status".into(), "draft".into())],
        Version::Published => Vec::new(),
    }
}
