//! `sibuser sync ...`: one round for cron-style operation, the queue's status, the exchange
//! log's verification, a resync, and new keys. Each returns text for the terminal.

use std::fmt::Write as _;

use chrono::Utc;

use super::{Link, exchange_log, outbox, pull, pulled, push, signing};
use crate::config::sync::SyncSettings;
use crate::db::DbConnection;

/// `sibuser sync --once`: starts capture if needed, pushes everything due, then pulls every
/// set to its end.
pub fn once(conn: &mut DbConnection, settings: &SyncSettings) -> anyhow::Result<String> {
    let link = Link::new(settings)?;
    let mut out = String::new();
    if let Some(n) = outbox::start_capture(conn)? {
        let _ = writeln!(out, "Capture started: {n} records queued.");
    }
    let r = push::round(conn, &link, u64::MAX)?;
    let _ = writeln!(
        out,
        "Pushed {} batches: {} events delivered, {} parked, {} to retry{}.",
        r.batches,
        r.delivered,
        r.parked,
        r.retrying,
        if r.failures > 0 {
            " (the endpoint failed; the round stopped)"
        } else {
            ""
        }
    );
    let p = pull::round(conn, &link, u64::MAX)?;
    for (set, r) in &p.sets {
        let _ = writeln!(
            out,
            "Pulled {}: {} records in {} answers: {} merged, {} unchanged, {} conflicts, {} parked, {} withdrawn; own records {} equal, {} differ.",
            set.as_str(),
            r.items,
            r.answers,
            r.merged,
            r.unchanged,
            r.conflicts,
            r.parked,
            r.withdrawn,
            r.own_equal,
            r.own_differs,
        );
    }
    for (set, e) in &p.errors {
        let _ = writeln!(out, "Pull of {} stopped: {e}", set.as_str());
    }
    Ok(out)
}

fn at(t: Option<chrono::NaiveDateTime>) -> String {
    t.map_or_else(
        || "never".to_owned(),
        |t| format!("{} UTC", t.format("%Y-%m-%d %H:%M:%S")),
    )
}

/// `sibuser sync status`.
pub fn status(conn: &mut DbConnection) -> anyhow::Result<String> {
    let state = outbox::state(conn)?;
    let counts = outbox::counts(conn, Utc::now().naive_utc())?;
    let (entries, last) = exchange_log::summary(conn)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Capture: {}",
        if state.capture {
            "on"
        } else {
            "off (starts with the first sync)"
        }
    );
    let _ = writeln!(
        out,
        "Queue: {} waiting ({} due now, oldest change {}), {} parked, {} delivered",
        counts.pending,
        counts.due,
        at(counts.oldest_pending),
        counts.parked,
        counts.delivered
    );
    let _ = writeln!(out, "Last attempt: {}", at(state.last_attempt_at));
    let _ = writeln!(out, "Last success: {}", at(state.last_success_at));
    if let Some(e) = &state.last_error {
        let _ = writeln!(out, "Last error: {e}");
    }
    if let Some(started) = state.resync_started_at {
        let _ = writeln!(
            out,
            "Last resync: {} UTC, {} records (generation {})",
            started.format("%Y-%m-%d %H:%M:%S"),
            state.resync_total,
            state.generation
        );
    }
    for s in pulled::states(conn)? {
        let _ = writeln!(
            out,
            "Pull {}: {} records, last success {}{}",
            s.set.as_str(),
            s.items,
            at(s.last_success_at),
            s.last_error
                .as_deref()
                .map(|e| format!(", last error: {e}"))
                .unwrap_or_default()
        );
    }
    let waiting = pulled::counts(conn)?;
    let of = |state: pulled::State| {
        waiting
            .iter()
            .filter(|(_, s, _)| *s == state)
            .map(|(_, _, n)| n)
            .sum::<i64>()
    };
    let _ = writeln!(
        out,
        "Pulled records waiting for the data steward: {} conflicts, {} parked",
        of(pulled::State::Conflict),
        of(pulled::State::Parked)
    );
    let _ = writeln!(out, "Exchange log: {entries} entries, last {}", at(last));
    Ok(out)
}

/// `sibuser sync verify`: Ok(text) when the chain holds, Err(text) when it does not.
pub fn verify(
    conn: &mut DbConnection,
    settings: &SyncSettings,
) -> anyhow::Result<Result<String, String>> {
    let link = Link::new(settings)?;
    let report = exchange_log::verify(conn, &link.ours, &link.theirs)?;
    let mut out = format!(
        "{} entries ({} sent, {} received)",
        report.entries, report.sent, report.received
    );
    if report.ok() {
        out.push_str(": the chain, every body and every seal verify.\n");
        return Ok(Ok(out));
    }
    let _ = writeln!(out, ": {} problems:", report.problems.len());
    for (seq, what) in report.problems.iter().take(100) {
        let _ = writeln!(out, "  entry {seq}: {what}");
    }
    Ok(Err(out))
}

/// `sibuser sync resync`.
pub fn resync(conn: &mut DbConnection) -> anyhow::Result<String> {
    let n = outbox::resync(conn)?;
    Ok(format!("{n} records queued to be sent again.\n"))
}

/// `sibuser sync keygen ID`.
pub fn keygen(id: &str) -> anyhow::Result<String> {
    if !crate::config::sync::valid_key_id(id) {
        anyhow::bail!("'{id}' is not 1-64 letters, digits, '-', '_' or '.'");
    }
    let (seed, public) = signing::generate(id);
    Ok(format!(
        "SIBUSER_SYNC_SIGNING_KEY={seed}\n# The public key, for the other side's list of this portal's keys:\n{public}\n"
    ))
}
