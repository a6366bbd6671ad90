//! Response bodies read up to a limit.
//!
//! A server decides how much it sends (`Content-Length: 4000000000`, or a
//! body that never ends); the client decides how much it reads. Readers that
//! need the whole body (the CMS client) fail with a clear error past the
//! limit; readers that need a prefix (the link checker) keep the prefix.

/// How reading ended.
#[derive(Debug)]
pub enum End {
    /// The whole body was read.
    Complete,
    /// The limit was reached (or announced by `Content-Length`) before the end.
    Truncated,
    /// The connection failed while reading; what came before is kept.
    Failed(reqwest::Error),
}

/// At most `limit` bytes of a body.
#[derive(Debug)]
pub struct Capped {
    /// What was read.
    pub bytes: Vec<u8>,
    /// How reading ended.
    pub end: End,
}

/// The `Content-Length` of `response` when it announces more than `limit` bytes.
pub fn announced_over(response: &reqwest::Response, limit: usize) -> Option<u64> {
    response
        .content_length()
        .filter(|&length| length > limit as u64)
}

/// Reads at most `limit` bytes of the body: never more is kept in memory than
/// `limit` plus one network chunk.
pub async fn read_capped(response: &mut reqwest::Response, limit: usize) -> Capped {
    let mut bytes = Vec::with_capacity(limit.min(64 * 1024));
    loop {
        if bytes.len() > limit {
            bytes.truncate(limit);
            return Capped {
                bytes,
                end: End::Truncated,
            };
        }
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) => {
                return Capped {
                    bytes,
                    end: End::Complete,
                };
            }
            Err(error) => {
                return Capped {
                    bytes,
                    end: End::Failed(error),
                };
            }
        }
    }
}
