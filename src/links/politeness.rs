//! Politeness: how hard the checker leans on each server.
//!
//! A request needs three things, taken in this order: a place among the
//! host's concurrent requests, the host's next time slot (requests to one
//! host start at least `interval` apart, and a `Retry-After` pushes the slot
//! back for every request to that host), and a place among all requests in
//! flight. Host limits come first so that a slow host's waiting requests do
//! not hold global places that other hosts could use.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::config::LinksConfig;

/// The politeness state of one host.
#[derive(Debug)]
pub struct HostGate {
    permits: Arc<Semaphore>,
    interval: Duration,
    next_slot: Mutex<Instant>,
    /// Set once the host answered `HEAD` with 405 or 501: later requests use `GET`.
    pub head_refused: AtomicBool,
    /// Requests sent to the host (counted by the checker).
    pub requests: AtomicU64,
}

/// Permission to send one request; dropping it frees the places.
#[derive(Debug)]
pub struct Pass {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

/// The politeness limits of one run.
#[derive(Debug)]
pub struct Politeness {
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    config: Arc<LinksConfig>,
}

impl Politeness {
    /// Limits as configured.
    pub fn new(config: Arc<LinksConfig>) -> Self {
        Politeness {
            global: Arc::new(Semaphore::new(config.max_concurrency.max(1))),
            hosts: Mutex::new(HashMap::new()),
            config,
        }
    }

    /// The gate of `host` (lowercase), created on first use from its settings.
    pub fn gate(&self, host: &str) -> Arc<HostGate> {
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        hosts
            .entry(host.to_owned())
            .or_insert_with(|| {
                let settings = self.config.host(host);
                let concurrency = settings
                    .and_then(|s| s.max_concurrency)
                    .unwrap_or(self.config.host_concurrency)
                    .max(1);
                let interval = settings
                    .and_then(|s| s.interval)
                    .unwrap_or(self.config.host_interval);
                Arc::new(HostGate {
                    permits: Arc::new(Semaphore::new(concurrency)),
                    interval,
                    next_slot: Mutex::new(Instant::now()),
                    head_refused: AtomicBool::new(false),
                    requests: AtomicU64::new(0),
                })
            })
            .clone()
    }

    /// Waits until a request to the host of `gate` may start.
    pub async fn acquire(&self, gate: &HostGate) -> Pass {
        // Semaphores are never closed, so acquiring cannot fail.
        let host = gate
            .permits
            .clone()
            .acquire_owned()
            .await
            .unwrap_or_else(|_| unreachable!("host semaphore closed"));
        let slot = {
            let mut next = gate
                .next_slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let slot = (*next).max(Instant::now());
            *next = slot + gate.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
        let global = self
            .global
            .clone()
            .acquire_owned()
            .await
            .unwrap_or_else(|_| unreachable!("global semaphore closed"));
        Pass {
            _host: host,
            _global: global,
        }
    }

    /// Keeps every request to the host of `gate` from starting before `until`
    /// (a `Retry-After` speaks for the whole host, not just one URL).
    pub fn hold_off(&self, gate: &HostGate, until: Instant) {
        let mut next = gate
            .next_slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if *next < until {
            *next = until;
        }
    }

    /// Requests sent so far, per host.
    pub fn requests_per_host(&self) -> Vec<(String, u64)> {
        let hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        hosts
            .iter()
            .map(|(host, gate)| (host.clone(), gate.requests.load(Ordering::Relaxed)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::config::HostConfig;

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_start_an_interval_apart() {
        let mut config = LinksConfig::default();
        config.hosts.insert(
            "bls.gov".into(),
            HostConfig {
                max_concurrency: Some(1),
                interval: Some(Duration::from_secs(1)),
                ..HostConfig::default()
            },
        );
        let politeness = Politeness::new(Arc::new(config));
        let gate = politeness.gate("www.bls.gov");
        let start = Instant::now();
        drop(politeness.acquire(&gate).await);
        drop(politeness.acquire(&gate).await);
        drop(politeness.acquire(&gate).await);
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        politeness.hold_off(&gate, Instant::now() + Duration::from_secs(30));
        drop(politeness.acquire(&gate).await);
        assert_eq!(start.elapsed(), Duration::from_secs(32));
        assert_eq!(
            politeness.requests_per_host(),
            [("www.bls.gov".to_owned(), 0)],
            "the checker counts requests, not passes"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_host_limit_of_one_holds_the_second_request() {
        let politeness = Politeness::new(Arc::new(LinksConfig {
            host_concurrency: 1,
            host_interval: Duration::ZERO,
            ..LinksConfig::default()
        }));
        let gate = politeness.gate("a.example");
        let first = politeness.acquire(&gate).await;
        let second = tokio::time::timeout(Duration::from_secs(5), politeness.acquire(&gate)).await;
        assert!(
            second.is_err(),
            "the second request waits while the first is in flight"
        );
        drop(first);
        let other = politeness.gate("b.example");
        let _b = politeness.acquire(&other).await;
    }
}
