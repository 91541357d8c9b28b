//! The delivery worker: claims due mails, sends them, records the outcome.

use std::time::Duration;

use super::outbox::{claim_due, mark_failed, mark_sent};
use super::transport::MailTransport;
use crate::db::Pool;

const BATCH: i64 = 20;
const IDLE_PAUSE: Duration = Duration::from_secs(5);

/// Delivers every mail that is due now; returns how many were sent. Blocking.
pub fn deliver_due(pool: &Pool, transport: &MailTransport) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    let mut sent = 0;
    loop {
        let rows = claim_due(&mut conn, BATCH)?;
        if rows.is_empty() {
            return Ok(sent);
        }
        for row in rows {
            match transport.send(row.id, &row.to_address, &row.subject, &row.body_text) {
                Ok(()) => {
                    mark_sent(&mut conn, row.id)?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(mail_id = row.id, attempt = row.attempts + 1, error = %e, "mail delivery failed");
                    mark_failed(&mut conn, &row, &e.to_string())?;
                }
            }
        }
    }
}

/// Runs the worker on its own thread for the life of the process. It also does the small
/// housekeeping jobs: expiring vacancies past their closing date, pruning old throttle events.
pub fn spawn_worker(pool: Pool, transport: MailTransport) {
    let spawned = std::thread::Builder::new()
        .name("mail-worker".into())
        .spawn(move || {
            loop {
                if let Err(e) = deliver_due(&pool, &transport) {
                    tracing::error!(error = %e, "mail worker pass failed");
                }
                if let Ok(mut conn) = pool.get() {
                    if let Err(e) = crate::accounts::throttle::prune(&mut conn) {
                        tracing::warn!(error = %e, "pruning throttle events failed");
                    }
                    let today = chrono::Utc::now().date_naive();
                    match crate::vacancies::expire_due(&mut conn, today) {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::info!(expired = n, "vacancies past their closing date expired")
                        }
                        Err(e) => tracing::warn!(error = %e, "expiring vacancies failed"),
                    }
                }
                std::thread::sleep(IDLE_PAUSE);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start the mail worker");
    }
}
