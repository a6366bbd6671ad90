//! When to try again: exponential backoff with jitter, `Retry-After`, and the
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
    fn budget_refuses_waits_past_its_end() {
        let budget = RetryBudget::new(Duration::from_secs(5));
        assert!(budget.allows(Duration::from_secs(1)));
        assert!(!budget.allows(Duration::from_secs(3600)));
    }
}
