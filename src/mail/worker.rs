//! The delivery worker: claims due mails, sends them, records the outcome.

use chrono::Duration;

use super::outbox::{claim_due, mark_failed, mark_sent, prune};
use super::transport::MailTransport;
use crate::db::Pool;

const BATCH: i64 = 20;

/// Delivers every mail that is due now, then clears the text of mail kept longer than
/// `retention`; returns how many were sent. Blocking.
pub fn deliver_due(
    pool: &Pool,
    transport: &MailTransport,
    retention: Duration,
) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    let mut sent = 0;
    loop {
        let rows = claim_due(&mut conn, BATCH)?;
        if rows.is_empty() {
            prune(&mut conn, retention)?;
            return Ok(sent);
        }
        for row in rows {
            match transport.send(row.id, &row.to_address, &row.subject, &row.body_text) {
                Ok(()) => {
                    mark_sent(&mut conn, &row, retention)?;
                    sent += 1;
                }
                Err(e) => {
                    // An SMTP server's answer often quotes the recipient: the log gets the domain.
                    let logged = e.to_string().replace(
                        &row.to_address,
                        &format!("…@{}", super::recipient_domain(&row.to_address)),
                    );
                    tracing::warn!(mail_id = row.id.get(), attempt = row.attempts + 1, error = %logged, "mail delivery failed");
                    mark_failed(&mut conn, &row, &e.to_string())?;
                }
            }
        }
    }
}
