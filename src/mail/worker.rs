//! The delivery worker: claims due mails, sends them, records the outcome.

use chrono::Duration;

use super::outbox::{claim_due, mark_failed, mark_sent, prune, release};
use super::transport::MailTransport;
use crate::db::Pool;

const BATCH: i64 = 20;

/// How a delivery pass ended.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Why the mail server could not be reached, when it could not: the pass stopped at
    /// the first such failure and the mail waits, due at once and with its attempts
    /// untouched, however long the outage lasts.
    pub server_unreachable: Option<String>,
}

/// Delivers every mail that is due now, then clears the text of mail kept longer than
/// `retention`. Blocking.
pub fn deliver_due(
    pool: &Pool,
    transport: &MailTransport,
    retention: Duration,
) -> anyhow::Result<Delivered> {
    let mut conn = pool.get()?;
    let mut done = Delivered::default();
    loop {
        let rows = claim_due(&mut conn, BATCH)?;
        if rows.is_empty() {
            prune(&mut conn, retention)?;
            return Ok(done);
        }
        for (n, row) in rows.iter().enumerate() {
            match transport.send(row.id, &row.to_address, &row.subject, &row.body_text) {
                Ok(()) => {
                    mark_sent(&mut conn, row, retention)?;
                    done.sent += 1;
                }
                Err(e) if e.server_unreachable => {
                    // Every mail of the batch would fail the same way: all of them go back
                    // to the queue, due, so that they leave as soon as the server is back.
                    let unsent: Vec<_> = rows[n..].iter().map(|r| r.id).collect();
                    release(&mut conn, &unsent, &e.message)?;
                    done.server_unreachable = Some(e.message);
                    return Ok(done);
                }
                Err(e) => {
                    // An SMTP server's answer often quotes the recipient: the log gets the domain.
                    let logged = e.message.replace(
                        &row.to_address,
                        &format!("…@{}", super::recipient_domain(&row.to_address)),
                    );
                    tracing::warn!(mail_id = row.id.get(), attempt = row.attempts + 1, error = %logged, "mail delivery failed");
                    mark_failed(&mut conn, row, &e.message)?;
                }
            }
        }
    }
}
