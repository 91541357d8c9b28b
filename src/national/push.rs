//! One push round: claim due events, write them as a signed batch, log it, send it, check
//! the signed receipt, and settle each event by it, until nothing is due or the national
//! side stops answering (the round ends; the events wait out their backoff).

use std::collections::HashMap;
use std::io::Write as _;

use chrono::{NaiveDateTime, Utc};

use super::contract::{self, Receipt, kind};
use super::exchange_log::{self, Direction, Message};
use super::link::Link;
use super::outbox::{self, Claim, Settled};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::exports::Dataset;
use crate::interop::records;
use crate::sharing::out_log::{self, Channel, Via};
use crate::sharing::{Masking, PartnerId, partners};

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PushReport {
    pub batches: u64,
    pub delivered: u64,
    pub parked: u64,
    /// Events that go again later (their batch failed, or the receipt left them out).
    pub retrying: u64,
    /// Requests without a usable answer.
    pub failures: u64,
}

/// Pushes until nothing is due or a request fails; at most `max_batches` batches.
pub fn round(conn: &mut DbConnection, link: &Link, max_batches: u64) -> anyhow::Result<PushReport> {
    let mut report = PushReport::default();
    let partner_id = PartnerId::new(link.settings.partner_id);
    let Some(partner) = partners::find(conn, partner_id)? else {
        anyhow::bail!(
            "SIBUSER_SYNC_PARTNER_ID {} is not a partner: add the national partner on /petugas/mitra",
            partner_id.get()
        );
    };
    if !partner.active {
        anyhow::bail!(
            "the national partner '{}' is deactivated: nothing is pushed",
            partner.name
        );
    }
    let grants: HashMap<Dataset, Masking> = partners::grants(conn, partner_id)?
        .into_iter()
        .map(|g| (g.dataset, g.masking))
        .collect();
    let datasets: Vec<Dataset> = Dataset::ALL
        .into_iter()
        .filter(|d| grants.contains_key(d))
        .collect();
    while report.batches < max_batches {
        let now = Utc::now().naive_utc();
        let lease = outbox::lease(link.settings.timeout);
        let Some(claim) =
            outbox::claim(conn, &datasets, link.settings.batch_size as i64, lease, now)?
        else {
            break;
        };
        report.batches += 1;
        let ok = send(conn, link, &claim, &grants, partner_id, &mut report)?;
        if !ok {
            report.failures += 1;
            break;
        }
    }
    Ok(report)
}

/// Sends one claim; false when the request failed as a whole.
fn send(
    conn: &mut DbConnection,
    link: &Link,
    claim: &Claim,
    grants: &HashMap<Dataset, Masking>,
    partner_id: PartnerId,
    report: &mut PushReport,
) -> anyhow::Result<bool> {
    let retry = outbox::Retry {
        max_attempts: link.settings.max_attempts,
        max_backoff: chrono::Duration::from_std(link.settings.max_backoff)
            .unwrap_or(chrono::Duration::hours(1)),
    };
    let batch_id = format!(
        "{}-{}-{}",
        contract::ORIGIN,
        Utc::now().format("%Y%m%dT%H%M%S%6fZ"),
        &crate::web::session::random_token()[..12]
    );
    let (body, sent) = write_batch(conn, &batch_id, claim, grants)?;
    let seal = link.signer.seal(kind::PUSH, &batch_id, &body);
    let peer = link.api.peer().to_owned();
    // Logged before it leaves: a batch that arrived is never missing from the log, even
    // when this process dies before the answer.
    crate::db::transaction(conn, |conn| {
        exchange_log::append(
            conn,
            &[Message {
                direction: Direction::Sent,
                kind: kind::PUSH,
                peer: &peer,
                seal: &seal,
                body: &body,
            }],
        )
    })?;
    let fail = |conn: &mut DbConnection, report: &mut PushReport, why: String| {
        tracing::warn!(batch = %batch_id, events = claim.events.len(), reason = %why, "national push failed");
        report.retrying += claim.events.len() as u64;
        outbox::fail(conn, claim, &why, retry, Utc::now().naive_utc()).map(|()| false)
    };
    let reply = match link.api.post(contract::path::BATCHES, &body, &seal) {
        Ok(r) => r,
        Err(e) => return Ok(fail(conn, report, format!("no answer: {e}"))?),
    };
    if reply.status != 200 {
        let why = match serde_json::from_slice::<contract::Problem>(&reply.body) {
            Ok(p) => format!("HTTP {}: {} ({})", reply.status, p.title, p.code),
            Err(_) => format!("HTTP {}", reply.status),
        };
        return Ok(fail(conn, report, why)?);
    }
    let Some(reply_seal) = reply.seal else {
        return Ok(fail(conn, report, "the receipt is not signed".into())?);
    };
    if reply_seal.message_id != batch_id {
        return Ok(fail(
            conn,
            report,
            "the receipt is signed for another batch".into(),
        )?);
    }
    if let Err(e) = link
        .theirs
        .check(kind::PUSH_RECEIPT, &reply_seal, &reply.body)
    {
        return Ok(fail(conn, report, format!("the receipt's signature: {e}"))?);
    }
    let receipt: Receipt = match serde_json::from_slice(&reply.body) {
        Ok(r) => r,
        Err(e) => {
            return Ok(fail(
                conn,
                report,
                format!("the receipt is malformed: {e}"),
            )?);
        }
    };
    if receipt.batch_id != batch_id {
        return Ok(fail(
            conn,
            report,
            "the receipt is for another batch".into(),
        )?);
    }
    let results: HashMap<&str, &contract::EventResult> = receipt
        .results
        .iter()
        .map(|r| (r.event_id.as_str(), r))
        .collect();
    let mut exceptions = Vec::new();
    let mut delivered_by_dataset: HashMap<Dataset, u64> = HashMap::new();
    for (event, id) in claim.events.iter().zip(&sent) {
        match results.get(id.as_str()) {
            Some(r) if r.outcome.delivered() => {
                *delivered_by_dataset.entry(event.dataset).or_default() += 1;
                report.delivered += 1;
            }
            Some(r) => {
                report.parked += 1;
                exceptions.push((
                    event.id,
                    Settled::Parked(format!(
                        "{}: {}",
                        r.code.as_deref().unwrap_or("rejected"),
                        r.message.as_deref().unwrap_or("")
                    )),
                ));
            }
            None => {
                report.retrying += 1;
                exceptions.push((
                    event.id,
                    Settled::Retry("the receipt has no result for this event".into()),
                ));
            }
        }
    }
    let now = Utc::now().naive_utc();
    crate::db::transaction(conn, |conn| {
        exchange_log::append(
            conn,
            &[Message {
                direction: Direction::Received,
                kind: kind::PUSH_RECEIPT,
                peer: &peer,
                seal: &reply_seal,
                body: &reply.body,
            }],
        )?;
        count_out(
            conn,
            partner_id,
            grants,
            &delivered_by_dataset,
            &batch_id,
            now,
        )?;
        outbox::settle(conn, claim, &exceptions, retry, now)
    })?;
    Ok(true)
}

/// The out-log's counts, and an audit entry when personal columns went out.
fn count_out(
    conn: &mut DbConnection,
    partner: PartnerId,
    grants: &HashMap<Dataset, Masking>,
    delivered: &HashMap<Dataset, u64>,
    batch_id: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let day = crate::domain::calendar::date_of(now);
    let mut personal = serde_json::Map::new();
    for (dataset, records) in delivered {
        let masking = grants.get(dataset).copied().unwrap_or(Masking::Masked);
        out_log::count(
            conn,
            Channel {
                day,
                partner,
                via: Via::Sync,
                dataset: *dataset,
                unmasked: masking == Masking::Unmasked,
            },
            1,
            *records,
        )?;
        if records::has_personal_columns(*dataset) {
            personal.insert(
                dataset.as_str().to_owned(),
                serde_json::json!({ "masking": masking.as_str(), "records": records }),
            );
        }
    }
    if personal.is_empty() {
        return Ok(());
    }
    audit::record(
        conn,
        Entry::new(actions::NATIONAL_PUSHED_PERSONAL)
            .subject("sync_batch", batch_id)
            .detail(serde_json::json!({ "partner_id": partner.get(), "datasets": personal })),
    )
}

/// The batch's body, and each event's id in the order of the claim. A record that is gone
/// by now goes as a tombstone.
fn write_batch(
    conn: &mut DbConnection,
    batch_id: &str,
    claim: &Claim,
    grants: &HashMap<Dataset, Masking>,
) -> diesel::QueryResult<(Vec<u8>, Vec<String>)> {
    let mut live: HashMap<Dataset, Vec<i32>> = HashMap::new();
    for e in claim.events.iter().filter(|e| !e.deleted) {
        live.entry(e.dataset).or_default().push(e.record_id);
    }
    let mut objects: HashMap<Dataset, HashMap<i32, Vec<u8>>> = HashMap::new();
    for (dataset, ids) in live {
        let masking = grants.get(&dataset).copied().unwrap_or(Masking::Masked);
        objects.insert(dataset, records::objects(conn, dataset, &ids, masking)?);
    }
    let mut body = Vec::with_capacity(512 * claim.events.len());
    let mut ids = Vec::with_capacity(claim.events.len());
    let _ = write!(
        body,
        r#"{{"protocol":"{}","batch_id":"{batch_id}","origin":"{}","sent_at":"{}","events":["#,
        contract::PROTOCOL,
        contract::ORIGIN,
        Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ"),
    );
    for (i, e) in claim.events.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let slug = records::slug(e.dataset);
        let id = contract::event_id(slug, e.record_id, e.version, e.generation);
        let record = objects
            .get_mut(&e.dataset)
            .and_then(|m| m.remove(&e.record_id))
            .filter(|_| !e.deleted);
        let _ = write!(
            body,
            r#"{{"event_id":"{id}","dataset":"{slug}","record_id":{},"version":{},"generation":{},"changed_at":"{}","deleted":{}"#,
            e.record_id,
            e.version,
            e.generation,
            e.changed_at.format("%Y-%m-%dT%H:%M:%S%.6fZ"),
            record.is_none(),
        );
        if let Some(record) = record {
            body.extend_from_slice(br#","record":"#);
            body.extend_from_slice(&record);
        }
        body.push(b'}');
        ids.push(id);
    }
    body.extend_from_slice(b"]}");
    Ok((body, ids))
}
