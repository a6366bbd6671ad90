//! Which proxy the CMS client uses: the one configured in `[cms] proxy`, or
//! none.
//!
//! The client carries the API token, so it does not take a proxy from the
//! environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, lower or upper
//! case): a variable set for other tools, or by a CI step, would otherwise
//! receive the token (in plain text for `http://`). A CMS on this machine
//! (`localhost`, `127.0.0.0/8`, `::1`) is always reached directly.

use std::net::IpAddr;

use reqwest::{ClientBuilder, Url};

use super::config::CmsConfig;
use super::strapi::CmsError;
use crate::net::redact::Redactor;

/// True when `url` points at this machine.
pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `builder` with the proxy `config` asks for toward `base`, or with none.
pub fn apply(
    builder: ClientBuilder,
    config: &CmsConfig,
    base: &Url,
) -> Result<ClientBuilder, CmsError> {
    let builder = builder.no_proxy();
    let Some(proxy) = config.proxy.as_deref().filter(|p| !p.trim().is_empty()) else {
        return Ok(builder);
    };
    let bad = |message: String| CmsError::BadProxy {
        url: Redactor::new().redact(proxy).into_owned(),
        message,
    };
    let url = Url::parse(proxy.trim()).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(format!("scheme `{}` is not http(s)", url.scheme())));
    }
    if is_loopback(base) {
        return Ok(builder);
    }
    let proxy = reqwest::Proxy::all(url.as_str()).map_err(|e| bad(e.to_string()))?;
    Ok(builder.proxy(proxy))
}
