//! Whole documents, for `guidepress pull`: every scalar attribute, the
//! mapped components (nested ones too) and the other components of the type
//! (so what the mapping does not cover can be listed).

use reqwest::Method;
use serde_json::{Map, Value};

use super::{CmsError, PAGE_SIZE, StrapiClient, Version};

impl StrapiClient {
    /// Every document's `version` (only those with one of `slugs`, when
    /// given), whole: scalar attributes, and components populated
    /// (`extra_components`: top-level component attributes outside the
    /// mapping, populated one level).
    pub async fn list_full(
        &self,
        version: Version,
        slugs: &[String],
        extra_components: &[String],
    ) -> Result<Vec<Map<String, Value>>, CmsError> {
        let url = self.url(None, None);
        let mut out = Vec::new();
        let mut page = 1usize;
        loop {
            let mut query = self.mapping.populate_query();
            for name in extra_components {
                query.push((format!("populate[{name}]"), "true".into()));
            }
            for (index, slug) in slugs.iter().enumerate() {
                query.push((format!("filters[slug][$in][{index}]"), slug.clone()));
            }
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
                return Err(CmsError::Unexpected {
                    action,
                    message: "no `data` list".into(),
                });
            };
            for item in items {
                let Some(object) = item.as_object() else {
                    return Err(CmsError::Unexpected {
                        action,
                        message: "a document that is not an object".into(),
                    });
                };
                out.push(object.clone());
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
}
