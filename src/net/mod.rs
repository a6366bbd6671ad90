//! What every conversation with a server shares, whoever holds it (the link
//! checker, the CMS client):
//! - [`redact`]: secrets taken out of every text that comes back from the
//!   network or goes to the user;
//! - [`body`]: response bodies read up to a limit, never further;
//! - [`tls`]: the TLS crypto provider, installed before any client is built.

pub mod body;
pub mod redact;
pub mod tls;
