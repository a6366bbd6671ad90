//! When to try an HTTP request again, written once for link checks and
//! publishing: which answers are worth retrying, exponential backoff with
//! jitter, `Retry-After` (seconds or an HTTP date), a cap on any wait, and a
//! per-run retry budget.

use std::time::{Duration, Instant, SystemTime};

/// The wait before retry number `attempt` (0-based): `base × 2^attempt`,
/// spread by ±25 % so that many failures do not retry in lockstep.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let exponential = base.saturating_mul(1u32.checked_shl(attempt.min(16)).unwrap_or(u32::MAX));
    exponential.mul_f64(0.75 + fastrand::f64() * 0.5)
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
/// `None` when the value is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// True for the statuses worth another try: 408, 429 and 5xx.
pub fn is_retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..=599).contains(&status)
}

/// How a caller retries: how often, from which first wait, up to which wait,
/// and within which budget.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it (with jitter).
    pub base: Duration,
    /// The longest wait, backoff or `Retry-After` (`None`: no cap).
    pub max_wait: Option<Duration>,
    /// The time after which no wait may end (`None`: no budget).
    pub budget: Option<RetryBudget>,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Every retry is used.
    Exhausted,
    /// The wait (asked by the server when `asked`) would end past the budget.
    OverBudget {
        /// The wait that did not fit.
        wait: Duration,
        /// True when the server asked for it with `Retry-After`.
        asked: bool,
    },
}

impl RetryPolicy {
    /// The decision after `retries` retries so far (0 after the first
    /// attempt), with the wait the server asked for, if any.
    pub fn next(&self, retries: u32, asked: Option<Duration>) -> Decision {
        if retries >= self.max_retries {
            return Decision::Exhausted;
        }
        let mut wait = asked.unwrap_or_else(|| backoff(self.base, retries));
        if let Some(max) = self.max_wait {
            wait = wait.min(max);
        }
        match self.budget {
            Some(budget) if !budget.allows(wait) => Decision::OverBudget {
                wait,
                asked: asked.is_some(),
            },
            _ => Decision::Retry(wait),
        }
    }
}

/// The time after which no retry and no `Retry-After` wait may begin.
#[derive(Debug, Clone, Copy)]
pub struct RetryBudget {
    deadline: Instant,
}

impl RetryBudget {
    /// A budget of `length` from now.
    pub fn new(length: Duration) -> Self {
        RetryBudget {
            deadline: Instant::now() + length,
        }
    }

    /// True when a wait of `wait` starting now ends within the budget.
    pub fn allows(&self, wait: Duration) -> bool {
        Instant::now() + wait <= self.deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_jitter() {
        let base = Duration::from_secs(1);
        for attempt in 0..3 {
            let expected = 1u64 << attempt;
            let wait = backoff(base, attempt);
            assert!(wait >= Duration::from_millis(750 * expected), "{wait:?}");
            assert!(wait <= Duration::from_millis(1250 * expected), "{wait:?}");
        }
        assert!(
            backoff(base, 100) > Duration::from_secs(1000),
            "no overflow on many attempts"
        );
    }

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:29:30 GMT", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn the_policy_counts_retries_caps_waits_and_keeps_the_budget() {
        let policy = RetryPolicy {
            max_retries: 2,
            base: Duration::from_secs(4),
            max_wait: Some(Duration::from_secs(5)),
            budget: None,
        };
        assert!(
            matches!(policy.next(0, None), Decision::Retry(w) if w >= Duration::from_secs(3) && w <= Duration::from_secs(5))
        );
        assert_eq!(
            policy.next(1, Some(Duration::from_secs(60))),
            Decision::Retry(Duration::from_secs(5))
        );
        assert_eq!(policy.next(2, None), Decision::Exhausted);
        let budgeted = RetryPolicy {
            max_wait: None,
            budget: Some(RetryBudget::new(Duration::from_secs(10))),
            ..policy
        };
        assert_eq!(
            budgeted.next(0, Some(Duration::from_secs(3600))),
            Decision::OverBudget {
                wait: Duration::from_secs(3600),
                asked: true
            }
        );
        assert!(is_retryable_status(503) && is_retryable_status(429) && is_retryable_status(408));
        assert!(!is_retryable_status(404) && !is_retryable_status(400));
    }

    #[test]
    fn budget_refuses_waits_past_its_end() {
        let budget = RetryBudget::new(Duration::from_secs(5));
        assert!(budget.allows(Duration::from_secs(1)));
        assert!(!budget.allows(Duration::from_secs(3600)));
    }
}
