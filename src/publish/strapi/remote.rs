//! What the CMS holds: a document's versions as read back, and what a create ended with.

use serde_json::{Map, Value};

use crate::publish::mapping::Mapping;
use crate::publish::payload::SOURCE_PATH;

/// Which version of a document (Strapi's `status` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Version {
    /// The draft; every document has one.
    Draft,
    /// The published version, if the document is published.
    Published,
}

impl Version {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Version::Draft => "draft",
            Version::Published => "published",
        }
    }
}

/// One version of a document as read from the CMS.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteDoc {
    /// The stable document id.
    pub document_id: String,
    /// The managed fields: the mapped attributes as projected through the
    /// mapping ([`Mapping::project`]), and `sourcePath`.
    pub fields: Map<String, Value>,
    /// The `contentHash` it carries.
    pub content_hash: Option<String>,
    /// The `managedBy` marker.
    pub managed_by: Option<String>,
    /// Last update time.
    pub updated_at: Option<String>,
    /// Publication time (`None` for a draft).
    pub published_at: Option<String>,
}

impl RemoteDoc {
    /// The slug (empty when missing).
    pub fn slug(&self) -> &str {
        self.fields
            .get("slug")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub(super) fn from_json(value: &Value, mapping: &Mapping) -> Option<RemoteDoc> {
        let object = value.as_object()?;
        let text = |name: &str| object.get(name).and_then(Value::as_str).map(str::to_owned);
        let mut fields = mapping.project(object);
        if let Some(path) = object.get(SOURCE_PATH).filter(|v| !v.is_null()) {
            fields.insert(SOURCE_PATH.into(), path.clone());
        }
        Some(RemoteDoc {
            document_id: text("documentId").filter(|id| !id.is_empty())?,
            fields,
            content_hash: text("contentHash"),
            managed_by: text("managedBy"),
            updated_at: text("updatedAt"),
            published_at: text("publishedAt"),
        })
    }
}

/// What a create ended with.
#[derive(Debug)]
pub enum Created {
    /// The CMS answered the create with the new document.
    New(RemoteDoc),
    /// The create's answer was lost: this is the document found by slug
    /// afterwards, most likely this very write.
    Found(RemoteDoc),
    /// The slug was already taken (no attempt's answer was lost): this is
    /// the document that holds it, written by someone else or earlier.
    Taken(RemoteDoc),
}
