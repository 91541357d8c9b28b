//! The sandbox's national records and the pull (docs/national-sync.md §4): what the
//! national side holds for Binjai, by set: its own records (Karirhub's vacancies, BPJS's
//! JKP recipients, WLKP reports; a test or `--demo` puts them in through
//! `POST /sandbox/national/{set}`), and the records portals pushed, as it holds them. Each
//! change takes the next number of the set's feed; the cursor is the last number sent.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{Fault, Sandbox, due, lock, problem, seal_of, signed};
use crate::national::contract::{
    self, PullAnswer, PullItem, PullRequest, PullSet, kind, problem as code,
};

/// The national records of one set, and its feed.
#[derive(Default)]
pub struct Records {
    held: HashMap<String, Held>,
    /// Feed number → external id: the latest change of each record.
    feed: BTreeMap<u64, String>,
}

pub struct Held {
    seq: u64,
    origin: String,
    record_id: Option<i64>,
    version: i64,
    deleted: bool,
    record: Option<Box<str>>,
}

#[derive(Default)]
pub struct National {
    sets: HashMap<PullSet, Records>,
    next_seq: u64,
}

impl National {
    /// Stores a record's latest state: a new version, a new feed number.
    pub fn put(
        &mut self,
        set: PullSet,
        external_id: &str,
        origin: &str,
        record_id: Option<i64>,
        deleted: bool,
        record: Option<Box<str>>,
    ) {
        self.next_seq += 1;
        let seq = self.next_seq;
        let records = self.sets.entry(set).or_default();
        let version = match records.held.get(external_id) {
            Some(old) => {
                records.feed.remove(&old.seq);
                old.version + 1
            }
            None => 1,
        };
        records.feed.insert(seq, external_id.to_owned());
        records.held.insert(
            external_id.to_owned(),
            Held {
                seq,
                origin: origin.to_owned(),
                record_id,
                version,
                deleted,
                record,
            },
        );
    }

    /// The changes after `cursor`, at most `limit`, and whether more follow.
    fn after(&self, set: PullSet, cursor: u64, limit: usize) -> (Vec<PullItem>, u64, bool) {
        let Some(records) = self.sets.get(&set) else {
            return (Vec::new(), cursor, false);
        };
        let mut items = Vec::new();
        let mut last = cursor;
        let mut range = records.feed.range(cursor + 1..);
        for (seq, external_id) in range.by_ref().take(limit) {
            let Some(h) = records.held.get(external_id) else {
                continue;
            };
            last = *seq;
            items.push(PullItem {
                external_id: external_id.clone(),
                origin: h.origin.clone(),
                record_id: h.record_id,
                version: h.version,
                deleted: h.deleted,
                record: h
                    .record
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok()),
            });
        }
        (items, last, range.next().is_some())
    }
}

/// The pushed data sets that come back in a pull, as the national side holds them.
pub fn pulled_as(dataset: &str) -> Option<PullSet> {
    PullSet::parse(dataset)
}

pub async fn serve_pull(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    set: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    if !sandbox.options.latency.is_zero() {
        actix_web::rt::time::sleep(sandbox.options.latency).await;
    }
    lock(&sandbox).counters.requests += 1;
    if due(&sandbox, Fault::Fail, sandbox.options.fail_rate) {
        lock(&sandbox).counters.failed_on_purpose += 1;
        return problem(503, code::UNAVAILABLE, "Unavailable (on purpose)", None);
    }
    let refused = |c: &str, title: &str, detail: Option<String>| {
        lock(&sandbox).counters.refused += 1;
        problem(400, c, title, detail)
    };
    let Some(set) = PullSet::parse(&set) else {
        return refused(code::MALFORMED, "No such set", Some(set.into_inner()));
    };
    let kind = kind::pull(set.as_str());
    let Some(seal) = seal_of(&req) else {
        return refused(code::BAD_SIGNATURE, "The request is not signed", None);
    };
    if let Err(e) = sandbox.portals.check(&kind, &seal, &body) {
        return refused(
            code::BAD_SIGNATURE,
            "The signature is not valid",
            Some(e.to_string()),
        );
    }
    let request: PullRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return refused(
                code::MALFORMED,
                "The request is not valid JSON",
                Some(e.to_string()),
            );
        }
    };
    if request.protocol != contract::PROTOCOL
        || request.request_id != seal.message_id
        || request.set != set
        || request.region != contract::ORIGIN
    {
        return refused(
            code::MALFORMED,
            "The request's protocol, id, set or region is wrong",
            None,
        );
    }
    let cursor = match request.cursor.as_deref().map(str::parse::<u64>) {
        None => 0,
        Some(Ok(c)) => c,
        Some(Err(_)) => return refused(code::MALFORMED, "Unknown cursor", request.cursor),
    };
    let limit = request.limit.clamp(1, contract::MAX_PULL_ITEMS) as usize;
    let (items, last, has_more) = {
        let mut store = lock(&sandbox);
        if !store.messages.insert(request.request_id.clone()) {
            store.counters.refused += 1;
            drop(store);
            return problem(
                409,
                code::REPLAYED,
                "This request was received before",
                None,
            );
        }
        store.counters.pulls += 1;
        store.national.after(set, cursor, limit)
    };
    let answer = PullAnswer {
        protocol: contract::PROTOCOL.into(),
        request_id: request.request_id.clone(),
        set,
        items,
        next_cursor: Some(last.to_string()),
        has_more,
    };
    let mut body = serde_json::to_vec(&answer).unwrap_or_default();
    if due(&sandbox, Fault::Malformed, sandbox.options.malformed_rate) {
        lock(&sandbox).counters.malformed_answers += 1;
        body.truncate(body.len() / 2);
    }
    signed(&sandbox, &kind, &request.request_id, body)
}

/// A national record as a test or the demo gives it.
#[derive(Debug, Deserialize)]
pub struct Put {
    pub external_id: String,
    #[serde(default = "national_origin")]
    pub origin: String,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub record: Option<serde_json::Value>,
}

fn national_origin() -> String {
    "karirhub".into()
}

/// `POST /sandbox/national/{set}`: stores national records (each a new version).
pub async fn put(
    sandbox: web::Data<Sandbox>,
    set: web::Path<String>,
    records: web::Json<Vec<Put>>,
) -> HttpResponse {
    let Some(set) = PullSet::parse(&set) else {
        return problem(404, code::MALFORMED, "No such set", None);
    };
    let mut store = lock(&sandbox);
    for p in records.into_inner() {
        let record = p.record.map(|r| r.to_string().into_boxed_str());
        store
            .national
            .put(set, &p.external_id, &p.origin, None, p.deleted, record);
    }
    HttpResponse::NoContent().finish()
}
