//! The sync worker: its own thread inside `sibuser serve` (the mail worker's thread is
//! not held up by a slow national endpoint, nor the other way round), or the foreground
//! of `sibuser sync`. It starts capture on first run, then pushes whatever is due, resting
//! `SIBUSER_SYNC_EVERY_SECONDS` when nothing is, and pulls the national side's records
//! every `SIBUSER_SYNC_PULL_EVERY_SECONDS`.

use std::time::Duration;

use std::time::Instant;

use super::{Link, outbox, pull, push};
use crate::config::sync::SyncSettings;
use crate::db::Pool;

/// Batches in one round before the worker looks up again (and lets a stop through).
const ROUND_BATCHES: u64 = 200;
/// Answers per set in one pull.
const PULL_ANSWERS: u64 = 100;

pub fn spawn(pool: Pool, settings: SyncSettings) {
    let spawned = std::thread::Builder::new()
        .name("national-sync".into())
        .spawn(move || run(&pool, &settings));
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start the national sync worker");
    }
}

/// Runs forever.
pub fn run(pool: &Pool, settings: &SyncSettings) {
    let link = match Link::new(settings) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "the national sync cannot start");
            return;
        }
    };
    let mut started = false;
    let mut last_pull: Option<Instant> = None;
    loop {
        let rest = match pool.get() {
            Ok(mut conn) => {
                if !started {
                    match outbox::start_capture(&mut conn) {
                        Ok(Some(n)) => tracing::info!(
                            queued = n,
                            "national sync: capture started, every shared record queued"
                        ),
                        Ok(None) => {}
                        Err(e) => {
                            tracing::error!(error = %e, "national sync: starting capture failed")
                        }
                    }
                    started = true;
                }
                if last_pull.is_none_or(|t| t.elapsed() >= settings.pull_every) {
                    last_pull = Some(Instant::now());
                    match pull::round(&mut conn, &link, PULL_ANSWERS) {
                        Ok(r) => log_pull(&r),
                        Err(e) => tracing::error!(error = %e, "national pull round failed"),
                    }
                }
                match push::round(&mut conn, &link, ROUND_BATCHES) {
                    Ok(r) if r.batches > 0 => {
                        tracing::info!(
                            batches = r.batches,
                            delivered = r.delivered,
                            parked = r.parked,
                            retrying = r.retrying,
                            "national push"
                        );
                        // More may be due at once, unless the endpoint is failing.
                        if r.failures > 0 {
                            settings.every
                        } else {
                            Duration::ZERO
                        }
                    }
                    Ok(_) => settings.every,
                    Err(e) => {
                        tracing::error!(error = %e, "national push round failed");
                        settings.every
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "national sync: no database connection");
                settings.every
            }
        };
        if !rest.is_zero() {
            std::thread::sleep(rest);
        }
    }
}

fn log_pull(report: &pull::PullReport) {
    for (set, r) in &report.sets {
        if r.items > 0 {
            tracing::info!(
                set = set.as_str(),
                items = r.items,
                merged = r.merged,
                conflicts = r.conflicts,
                parked = r.parked,
                withdrawn = r.withdrawn,
                own_differs = r.own_differs,
                "national pull"
            );
        }
    }
}
