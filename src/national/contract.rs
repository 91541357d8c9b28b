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

    /// A pull request and its answer: `pull:vacancies`, `pull:jkp`, …
    pub fn pull(set: &str) -> String {
        format!("pull:{set}")
    }
}

/// Paths under the configured base URL.
pub mod path {
    pub const BATCHES: &str = "/batches";

    /// Where a set is pulled from: `/pull/vacancies`.
    pub fn pull(set: &str) -> String {
        format!("/pull/{set}")
    }
}

/// The sets the portal pulls from the national side (§4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PullSet {
    /// The national job board's (Karirhub's) vacancies located in Kota Binjai.
    Vacancies,
    /// JKP recipients living in Binjai (BPJS Ketenagakerjaan, through SIAPkerja).
    Jkp,
    /// WLKP reports of companies located in Binjai.
    Wlkp,
    /// Applications made on Karirhub to the portal's vacancies, forwarded with the
    /// resident's consent (§5).
    Applications,
}

impl PullSet {
    pub const ALL: [PullSet; 4] = [Self::Vacancies, Self::Jkp, Self::Wlkp, Self::Applications];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vacancies => "vacancies",
            Self::Jkp => "jkp",
            Self::Wlkp => "wlkp",
            Self::Applications => "applications",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A pull request: the body of `POST {base}/pull/{set}`, signed with kind `pull:{set}`
/// and `request_id` as the message id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PullRequest {
    pub protocol: String,
    pub request_id: String,
    pub origin: String,
    pub set: PullSet,
    /// Records located in this region (a Kemendagri code).
    pub region: String,
    /// Where the last answer stopped (`next_cursor`); none for the beginning.
    pub cursor: Option<String>,
    pub limit: u32,
}

/// One national record of a pull answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PullItem {
    /// The national side's id of the record; stable across versions.
    pub external_id: String,
    /// Who made the record: a portal's origin code (`12.75` for this one: a record it
    /// pushed, as the national side holds it), or the national system's name
    /// (`karirhub`, `bpjs`, `wlkp`).
    pub origin: String,
    /// For a portal's own record, its id there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<i64>,
    /// Rises with every change of the record on the national side.
    pub version: i64,
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

/// The signed answer to a pull request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PullAnswer {
    pub protocol: String,
    pub request_id: String,
    pub set: PullSet,
    pub items: Vec<PullItem>,
    /// Give it back as `cursor` to continue after this answer.
    pub next_cursor: Option<String>,
    pub has_more: bool,
}

/// The most items one pull answer holds.
pub const MAX_PULL_ITEMS: u32 = 1_000;

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
