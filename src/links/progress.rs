//! How a run tells its caller that it is moving: an injected trait, so the
//! library draws nothing itself (the binary shows a progress bar on a terminal).

use super::outcome::LinkStatus;

/// Receives progress events from a link check run. Every method has an
/// empty default, so an implementation picks what it needs.
pub trait Progress: Send + Sync {
    /// The network checks start; `total` addresses will be requested.
    fn start(&self, total: u64) {
        let _ = total;
    }

    /// One address is done.
    fn advance(&self, url: &str, status: LinkStatus) {
        let _ = (url, status);
    }

    /// All network checks are done.
    fn finish(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
