//! The wire format of version 1 of the exchange (docs/national-sync.md), shared by the
//! portal's client and the reference endpoint (`national-sandbox`), so the two cannot
//! drift apart. Bodies are JSON in UTF-8; every one travels with a seal
//! ([`super::signing`]).

use serde::{Deserialize, Serialize};

pub const PROTOCOL: &str = "sibuser-national/1";

/// The origin code of this portal: Kota Binjai's Kemendagri code.
pub const ORIGIN: &str = "12.75";

/// The kinds a seal names (the signed text's second line).
pub mod kind {
    pub const PUSH: &str = "push";
    pub const PUSH_RECEIPT: &str = "push-receipt";
}

/// Paths under the configured base URL.
pub mod path {
    pub const BATCHES: &str = "/batches";
}

/// One event of a pushed batch. `record` is the data set's record as the sharing API
/// writes it (its column names as keys); absent when `deleted`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    /// `{origin}/{dataset}/{record_id}/{version}/{generation}`: the idempotency key.
    pub event_id: String,
    pub dataset: String,
    pub record_id: i64,
    pub version: i64,
    pub generation: i64,
    pub changed_at: String,
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

/// The idempotency key of an event.
pub fn event_id(dataset: &str, record_id: i32, version: i32, generation: i32) -> String {
    format!("{ORIGIN}/{dataset}/{record_id}/{version}/{generation}")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Batch {
    pub protocol: String,
    pub batch_id: String,
    pub origin: String,
    pub sent_at: String,
    pub events: Vec<Event>,
}

/// What the national side did with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Stored now.
    Applied,
    /// This event id was applied before: nothing changed.
    Duplicate,
    /// A higher version of the record is already held: nothing changed.
    Stale,
    /// Refused for what it holds (see `code`): sending it again will not help.
    Rejected,
}

impl Outcome {
    /// Whether the national side now holds this event's change or a later one.
    pub fn delivered(self) -> bool {
        !matches!(self, Self::Rejected)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventResult {
    pub event_id: String,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The signed answer to a batch: one result per event, in any order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receipt {
    pub protocol: String,
    pub batch_id: String,
    pub received_at: String,
    pub results: Vec<EventResult>,
}

/// Codes of a rejected event (`EventResult::code`).
pub mod rejection {
    pub const UNKNOWN_DATASET: &str = "unknown_dataset";
    pub const INVALID_RECORD: &str = "invalid_record";
    pub const UNKNOWN_CODE: &str = "unknown_code";
}

/// Codes of a refused request (`Problem::code`, with an HTTP status).
pub mod problem {
    pub const MALFORMED: &str = "malformed";
    pub const BAD_SIGNATURE: &str = "bad_signature";
    pub const UNKNOWN_ORIGIN: &str = "unknown_origin";
    pub const REPLAYED: &str = "replayed";
    pub const TOO_LARGE: &str = "too_large";
    pub const UNAVAILABLE: &str = "unavailable";
}

/// A refused request (RFC 9457 problem details with the contract's `code`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Problem {
    pub fn new(status: u16, code: &str, title: &str, detail: Option<String>) -> Self {
        Self {
            kind: format!("https://sibuser.binjaikota.go.id/national-sync/problems/{code}"),
            title: title.to_owned(),
            status,
            code: code.to_owned(),
            detail,
        }
    }
}

/// The largest batch body either side accepts.
pub const MAX_BATCH_BYTES: usize = 16 * 1024 * 1024;
/// The most events in one batch.
pub const MAX_BATCH_EVENTS: usize = 5_000;
/// How far a seal's time may be from the receiver's clock.
pub const SEAL_WINDOW_SECONDS: i64 = 300;
