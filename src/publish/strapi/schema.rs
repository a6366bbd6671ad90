//! The CMS's own description of a content type and its components
//! (Strapi's content-type-builder API), read before any write so the
//! mapping can be checked against it.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::Value;

use super::{CmsError, StrapiClient};
use crate::publish::mapping::check::CmsSchema;

const BUILDER: &str = "content-type-builder";

impl StrapiClient {
    async fn builder_get(&self, path: &[&str]) -> Result<Option<Value>, CmsError> {
        let mut url = self.base.clone();
        let mut segments: Vec<String> = self
            .base
            .path()
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        segments.extend(["api".to_owned(), BUILDER.to_owned()]);
        segments.extend(path.iter().map(|s| (*s).to_owned()));
        url.set_query(None);
        if let Ok(mut parts) = url.path_segments_mut() {
            parts.clear();
            parts.extend(&segments);
        }
        match self.send(Method::GET, &url, &[], None, true).await {
            Err(CmsError::Unauthorized {
                status: 403,
                action,
                token_env,
            }) => Err(CmsError::SchemaForbidden { action, token_env }),
            other => other,
        }
    }

    /// The content type `wanted` (a UID such as `api::guide.guide`, or a
    /// REST plural such as `guides`) and every component, as the CMS
    /// describes them.
    pub async fn content_type_schema(&self, wanted: &str) -> Result<CmsSchema, CmsError> {
        let action = format!("GET /api/{BUILDER}/content-types");
        let uid = if wanted.contains("::") {
            wanted.to_owned()
        } else {
            let list = self.builder_get(&["content-types"]).await?;
            let items = data_list(list.as_ref(), &action)?;
            let found = items.iter().find(|item| {
                item.pointer("/schema/pluralName").and_then(Value::as_str)
                    == Some(wanted.trim_matches('/'))
                    && item
                        .get("uid")
                        .and_then(Value::as_str)
                        .is_some_and(|u| u.starts_with("api::"))
            });
            match found
                .and_then(|item| item.get("uid"))
                .and_then(Value::as_str)
            {
                Some(uid) => uid.to_owned(),
                None => return Err(self.unknown(wanted).await),
            }
        };
        let Some(answer) = self.builder_get(&["content-types", &uid]).await? else {
            return Err(self.unknown(wanted).await);
        };
        let action = format!("GET /api/{BUILDER}/content-types/{uid}");
        let schema = answer
            .pointer("/data/schema")
            .ok_or_else(|| unexpected(&action, "no `data.schema`"))?;
        let plural = schema
            .get("pluralName")
            .and_then(Value::as_str)
            .ok_or_else(|| unexpected(&action, "no `pluralName`"))?
            .to_owned();
        let attributes = schema
            .get("attributes")
            .and_then(Value::as_object)
            .ok_or_else(|| unexpected(&action, "no `attributes`"))?
            .clone();
        let action = format!("GET /api/{BUILDER}/components");
        let list = self.builder_get(&["components"]).await?;
        let mut components = HashMap::new();
        for item in data_list(list.as_ref(), &action)? {
            let (Some(uid), Some(attributes)) = (
                item.get("uid").and_then(Value::as_str),
                item.pointer("/schema/attributes")
                    .and_then(Value::as_object),
            ) else {
                return Err(unexpected(
                    &action,
                    "a component without `uid` or `schema.attributes`",
                ));
            };
            components.insert(uid.to_owned(), attributes.clone());
        }
        Ok(CmsSchema {
            uid,
            plural,
            attributes,
            components,
        })
    }

    async fn unknown(&self, wanted: &str) -> CmsError {
        let mut known: Vec<String> = Vec::new();
        if let Ok(Some(list)) = self.builder_get(&["content-types"]).await {
            for item in list
                .get("data")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let uid = item.get("uid").and_then(Value::as_str).unwrap_or("");
                let plural = item
                    .pointer("/schema/pluralName")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if uid.starts_with("api::") {
                    known.push(format!("{uid} ({plural})"));
                }
            }
        }
        CmsError::UnknownContentType {
            wanted: wanted.to_owned(),
            known: if known.is_empty() {
                "none found".into()
            } else {
                self.clean(&known.join(", "))
            },
        }
    }
}

fn data_list<'v>(answer: Option<&'v Value>, action: &str) -> Result<&'v Vec<Value>, CmsError> {
    answer
        .and_then(|a| a.get("data"))
        .and_then(Value::as_array)
        .ok_or_else(|| unexpected(action, "no `data` list"))
}

fn unexpected(action: &str, message: &str) -> CmsError {
    CmsError::Unexpected {
        action: action.to_owned(),
        message: message.to_owned(),
    }
}
