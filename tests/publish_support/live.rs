//! The live CMS of `scripts/test.sh` read and cleaned with a plain HTTP
//! client (Strapi's REST API as documented), never through the
//! `StrapiClient` under test: what it holds, by slug.

use serde_json::Value;

/// The token's variable, as `scripts/test.sh` sets it.
pub const TOKEN_ENV: &str = "GUIDEPRESS_TEST_CMS_TOKEN";

/// The CMS at `GUIDEPRESS_TEST_CMS_URL`.
pub struct LiveCms {
    pub url: String,
    pub token: String,
    rt: tokio::runtime::Runtime,
}

/// A variable `scripts/test.sh` sets; the test fails without it (it never
/// passes by skipping).
pub fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the suite with `bash scripts/test.sh`, which starts the CMS and sets it")
    })
}

impl LiveCms {
    /// Connects (one listing) or fails saying how to start the CMS.
    pub fn connect() -> LiveCms {
        let url = required_env("GUIDEPRESS_TEST_CMS_URL");
        let token = required_env(TOKEN_ENV);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let cms = LiveCms { url, token, rt };
        cms.slugs("draft", "");
        cms
    }

    fn send(&self, request: reqwest::RequestBuilder) -> Value {
        self.rt.block_on(async {
            let response = request
                .bearer_auth(&self.token)
                .send()
                .await
                .unwrap_or_else(|e| {
                    panic!(
                        "the CMS at {} is not reachable ({e}): run `bash scripts/test.sh`",
                        self.url
                    )
                });
            assert!(response.status().is_success(), "{}", response.status());
            response.json().await.unwrap_or(Value::Null)
        })
    }

    fn client() -> reqwest::Client {
        guidepress::net::tls::install_crypto_provider();
        reqwest::Client::new()
    }

    /// `(slug, documentId)` of every guide document in `status` (`draft`:
    /// every document; `published`: the published ones) whose slug starts
    /// with `prefix`, sorted by slug.
    pub fn documents(&self, status: &str, prefix: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for page in 1.. {
            let body = self.send(Self::client().get(format!(
                "{}/api/guides?status={status}&sort[0]=slug:asc&pagination[page]={page}&pagination[pageSize]=100",
                self.url
            )));
            for doc in body["data"].as_array().expect("a data list") {
                let slug = doc["slug"].as_str().expect("a slug").to_owned();
                let id = doc["documentId"].as_str().expect("a documentId").to_owned();
                if slug.starts_with(prefix) {
                    out.push((slug, id));
                }
            }
            if page
                >= body["meta"]["pagination"]["pageCount"]
                    .as_u64()
                    .expect("a page count")
            {
                break;
            }
        }
        out
    }

    /// The slugs of [`LiveCms::documents`].
    pub fn slugs(&self, status: &str, prefix: &str) -> Vec<String> {
        self.documents(status, prefix)
            .into_iter()
            .map(|(slug, _)| slug)
            .collect()
    }

    /// Deletes every document whose slug starts with `prefix`.
    pub fn remove(&self, prefix: &str) {
        for (_, id) in self.documents("draft", prefix) {
            self.send(Self::client().delete(format!("{}/api/guides/{id}", self.url)));
        }
        assert!(self.documents("draft", prefix).is_empty());
    }
}
