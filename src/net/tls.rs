//! TLS set-up shared by every HTTP client (link checking, publishing).
//!
//! guidepress uses rustls with the `ring` crypto provider rather than
//! reqwest's default aws-lc-rs: the same protocols and certificate checks,
//! without a C library to compile. reqwest needs the provider installed as
//! the process default before the first client is built.

/// Installs `ring` as the process's rustls crypto provider, once. Call it
/// before building a `reqwest::Client`; calling it again (or after another
/// part of the process installed a provider) does nothing.
pub fn install_crypto_provider() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        // Err means a provider is already installed, which is what we want.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
