//! The exchange log: every message sent to or received from the national system, with its
//! seal, in a hash chain (as X-Road's message log), so either party can prove what was
//! exchanged and when. Entry `n`'s hash covers its fields, the SHA-256 of its body and
//! entry `n-1`'s hash; the database refuses updates and deletes. [`verify`] walks the
//! chain and checks each body and seal. Owns `exchange_log` and `exchange_log_head`.

use std::io::{Read as _, Write as _};

use chrono::{NaiveDateTime, Timelike as _, Utc};
use diesel::prelude::*;
use sha2::{Digest as _, Sha256};

use super::signing::{self, Seal, Verifier};
use crate::db::{DbConnection, StoredTime};
use crate::schema::{exchange_log, exchange_log_head};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Received => "received",
        }
    }
}

/// A message to log.
pub struct Message<'a> {
    pub direction: Direction,
    /// The seal's kind (`push`, `push-receipt`, ...).
    pub kind: &'a str,
    /// The other party: the endpoint's host.
    pub peer: &'a str,
    pub seal: &'a Seal,
    pub body: &'a [u8],
}

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    seq: i64,
    logged_at: &str,
    direction: &str,
    kind: &str,
    peer: &str,
    seal: &Seal,
    body_sha256: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [
        "sibuser-exchange-log-v1",
        &seq.to_string(),
        logged_at,
        direction,
        kind,
        peer,
        &seal.message_id,
        &seal.signed_at,
        &seal.key_id,
        &seal.signature,
        body_sha256,
        prev_hash,
    ] {
        // Lengths first, so no two different entries hash the same text.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    signing::hex(&h.finalize())
}

/// The time as the hash reads it: to the microsecond, as both backends keep it.
fn instant_text(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(body);
    enc.finish().unwrap_or_default()
}

fn gunzip(stored: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(stored).read_to_end(&mut out)?;
    Ok(out)
}

/// Appends `messages` in order, in the caller's transaction (so an entry is there exactly
/// when what it records is), and returns the last seq. The head row's lock makes two
/// instances' appends queue.
pub fn append(conn: &mut DbConnection, messages: &[Message<'_>]) -> QueryResult<i64> {
    let (mut seq, mut prev): (i64, String) = diesel::update(exchange_log_head::table)
        .filter(exchange_log_head::id.eq(1))
        .set(exchange_log_head::seq.eq(exchange_log_head::seq))
        .returning((exchange_log_head::seq, exchange_log_head::hash))
        .get_result(conn)?;
    // Microseconds, as stored: the hash must read back the same.
    let now = Utc::now().naive_utc();
    let logged_at = now
        .with_nanosecond(now.and_utc().timestamp_subsec_micros() * 1000)
        .unwrap_or(now);
    for m in messages {
        seq += 1;
        let sha = signing::body_sha256(m.body);
        let hash = entry_hash(
            seq,
            &instant_text(logged_at),
            m.direction.as_str(),
            m.kind,
            m.peer,
            m.seal,
            &sha,
            &prev,
        );
        diesel::insert_into(exchange_log::table)
            .values((
                exchange_log::seq.eq(seq),
                exchange_log::logged_at.eq(logged_at),
                exchange_log::direction.eq(m.direction.as_str()),
                exchange_log::kind.eq(m.kind),
                exchange_log::peer.eq(m.peer),
                exchange_log::message_id.eq(&m.seal.message_id),
                exchange_log::signed_at.eq(&m.seal.signed_at),
                exchange_log::key_id.eq(&m.seal.key_id),
                exchange_log::signature.eq(&m.seal.signature),
                exchange_log::body_sha256.eq(&sha),
                exchange_log::body.eq(gzip(m.body)),
                exchange_log::prev_hash.eq(&prev),
                exchange_log::entry_hash.eq(&hash),
            ))
            .execute(conn)?;
        prev = hash;
    }
    diesel::update(exchange_log_head::table)
        .filter(exchange_log_head::id.eq(1))
        .set((
            exchange_log_head::seq.eq(seq),
            exchange_log_head::hash.eq(&prev),
        ))
        .execute(conn)?;
    Ok(seq)
}

/// What [`verify`] found.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: u64,
    pub sent: u64,
    pub received: u64,
    /// Each break of the chain, a body or a seal: (seq, what is wrong).
    pub problems: Vec<(i64, String)>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

type Row = (
    i64,
    StoredTime,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Vec<u8>,
    String,
    String,
);

/// Walks the whole chain in pages: each entry's hash, its link to the one before, its
/// body against its digest, and its seal with `ours` (sent) or `theirs` (received); then
/// the head row against the last entry.
pub fn verify(conn: &mut DbConnection, ours: &Verifier, theirs: &Verifier) -> QueryResult<Report> {
    let mut report = Report::default();
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut after = 0i64;
    loop {
        let rows: Vec<Row> = exchange_log::table
            .filter(exchange_log::seq.gt(after))
            .order(exchange_log::seq)
            .limit(1_000)
            .select((
                exchange_log::seq,
                exchange_log::logged_at,
                exchange_log::direction,
                exchange_log::kind,
                exchange_log::peer,
                exchange_log::message_id,
                exchange_log::signed_at,
                exchange_log::key_id,
                exchange_log::signature,
                exchange_log::body_sha256,
                exchange_log::body,
                exchange_log::prev_hash,
                exchange_log::entry_hash,
            ))
            .load(conn)?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (
            seq,
            at,
            direction,
            kind,
            peer,
            message_id,
            signed_at,
            key_id,
            signature,
            sha,
            body,
            prev_hash,
            hash,
        ) in rows
        {
            report.entries += 1;
            let mut problem = |what: String| report.problems.push((seq, what));
            if seq != expected_seq {
                problem(format!("entry {expected_seq} is missing"));
            }
            expected_seq = seq + 1;
            if prev_hash != prev {
                problem("does not link to the entry before it".into());
            }
            let seal = Seal {
                message_id,
                signed_at,
                key_id,
                signature,
            };
            if entry_hash(
                seq,
                &instant_text(at.0),
                &direction,
                &kind,
                &peer,
                &seal,
                &sha,
                &prev_hash,
            ) != hash
            {
                problem("its fields do not match its hash".into());
            }
            match gunzip(&body) {
                Ok(body) if signing::body_sha256(&body) == sha => {}
                Ok(_) => problem("its body does not match its digest".into()),
                Err(_) => problem("its body cannot be read".into()),
            }
            let verifier = if direction == "sent" {
                report.sent += 1;
                ours
            } else {
                report.received += 1;
                theirs
            };
            if let Err(e) = verifier.check_digest(&kind, &seal, &sha) {
                problem(format!("seal: {e}"));
            }
            prev = hash;
        }
    }
    let (head_seq, head_hash): (i64, String) = exchange_log_head::table
        .select((exchange_log_head::seq, exchange_log_head::hash))
        .first(conn)?;
    if head_seq != expected_seq - 1 || head_hash != prev {
        report.problems.push((
            head_seq,
            "the chain's recorded end is not its last entry (entries were removed from the end)"
                .into(),
        ));
    }
    Ok(report)
}

/// Entries, and the last one's time, for the status page and `sibuser sync status`.
pub fn summary(conn: &mut DbConnection) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    let (count, last): (i64, Option<StoredTime>) = exchange_log::table
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(exchange_log::logged_at),
        ))
        .first(conn)?;
    Ok((count, last.map(|t| t.0)))
}

/// Pushes sent since `since`, and those of them a receipt answered: the push's failure
/// rate is the share without a receipt.
pub fn pushes_since(conn: &mut DbConnection, since: NaiveDateTime) -> QueryResult<(i64, i64)> {
    let count = |conn: &mut DbConnection, kind: &str| {
        exchange_log::table
            .filter(exchange_log::kind.eq(kind))
            .filter(exchange_log::logged_at.ge(since))
            .count()
            .get_result::<i64>(conn)
    };
    Ok((
        count(conn, super::contract::kind::PUSH)?,
        count(conn, super::contract::kind::PUSH_RECEIPT)?,
    ))
}
