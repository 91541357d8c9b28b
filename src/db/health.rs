//! What the pool last learnt about the database: whether its last attempt to open a
//! connection worked. The connection manager records every attempt (r2d2 keeps retrying in
//! the background while the server is gone), so a request need not wait out the pool's
//! timeout to learn that the database is down, and the first connection that works again
//! ends the outage without a restart.

use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Default)]
pub struct Health {
    down: AtomicBool,
}

impl Health {
    /// Records an attempt to open a connection. The first failure and the recovery are
    /// logged once each, not every retry.
    pub fn record(&self, opened: Result<(), &dyn std::fmt::Display>) {
        match opened {
            Ok(()) => {
                if self.down.swap(false, Ordering::AcqRel) {
                    tracing::info!("database reachable again");
                }
            }
            Err(cause) => {
                if !self.down.swap(true, Ordering::AcqRel) {
                    tracing::error!(%cause, "database unavailable: no connection can be opened");
                }
            }
        }
    }

    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::Health;

    #[test]
    fn one_failure_marks_it_down_and_one_success_ends_it() {
        let health = Health::default();
        assert!(!health.is_down());
        health.record(Err(&"connection refused"));
        health.record(Err(&"connection refused"));
        assert!(health.is_down());
        health.record(Ok(()));
        assert!(!health.is_down());
    }
}
