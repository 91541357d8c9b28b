//! What an answered page leaves behind: the out-log's count and, for a data set with
//! personal fields, the audit entry. One thread writes them in batches, one transaction a
//! batch, and a handler sends its page only once the batch holding its receipt has
//! committed: no record goes out unlogged, and a thousand pages a second cost a few dozen
//! commits instead of a thousand. SQLite has one writer, so a commit per page made the
//! pages queue behind each other (its busy wait sleeps a millisecond or more), and each
//! PostgreSQL commit waits for its log to reach the disk.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};

use chrono::NaiveDate;
use serde_json::json;
use tokio::sync::oneshot;

use crate::audit::{self, Entry, actions};
use crate::db::{DbConnection, Pool};
use crate::exports::Dataset;
use crate::sharing::out_log::{self, Channel, Via};
use crate::sharing::{ApiKeyId, Masking, PartnerId};
use crate::web::respond::RequestMeta;

/// The most receipts one transaction writes.
const BATCH: usize = 512;
/// Receipts waiting for the writer beyond this are refused (the API answers 503): the
/// database is not keeping up, and a longer queue would only make every page later.
const QUEUE: usize = 4096;

/// One answered page, as the logs need it.
pub struct Receipt {
    pub day: NaiveDate,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub key_id: ApiKeyId,
    pub dataset: Dataset,
    pub masking: Masking,
    /// Records with data (tombstones not counted).
    pub records: u64,
    pub meta: RequestMeta,
}

impl Receipt {
    /// Whether the page read personal data, for the audit log: records of a data set with
    /// personal columns, masked or not (a masked NIK is still pseudonymised personal data).
    fn personal(&self) -> bool {
        self.records > 0 && super::records::has_personal_columns(self.dataset)
    }

    fn channel(&self) -> Channel {
        Channel {
            day: self.day,
            partner: self.partner_id,
            via: Via::Key(self.key_id),
            dataset: self.dataset,
            unmasked: self.masking == Masking::Unmasked,
        }
    }

    fn entry(&self) -> Entry<'_> {
        Entry::new(actions::API_PERSONAL_READ)
            .subject("api_key", self.key_id.get())
            .client(&self.meta)
            .detail(json!({
                "partner_id": self.partner_id.get(),
                "partner": self.partner_name,
                "dataset": self.dataset.as_str(),
                "masking": self.masking.as_str(),
                "records": self.records,
            }))
    }
}

/// Why a receipt was not written: its page must not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwritten {
    /// The queue is full.
    Busy,
    /// The write failed, or the writer is gone.
    Failed,
}

type Waiting = (Receipt, oneshot::Sender<bool>);

/// The handle the handlers hold; cloning it shares the one writer.
#[derive(Clone)]
pub struct Ledger {
    queue: SyncSender<Waiting>,
}

impl Ledger {
    /// Starts the writer thread on `pool`. It ends when the last handle is dropped. If the
    /// thread cannot start, every write fails and the API sends no page.
    pub fn start(pool: Pool) -> Self {
        let (queue, receipts) = mpsc::sync_channel(QUEUE);
        let spawned = std::thread::Builder::new()
            .name("api-ledger".into())
            .spawn(move || run(&pool, &receipts));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start the API's ledger writer");
        }
        Self { queue }
    }

    /// Writes `receipt` with whatever else is waiting, and returns once it is committed.
    pub async fn write(&self, receipt: Receipt) -> Result<(), Unwritten> {
        let (done, written) = oneshot::channel();
        self.queue.try_send((receipt, done)).map_err(|e| match e {
            TrySendError::Full(_) => Unwritten::Busy,
            TrySendError::Disconnected(_) => Unwritten::Failed,
        })?;
        match written.await {
            Ok(true) => Ok(()),
            _ => Err(Unwritten::Failed),
        }
    }
}

fn run(pool: &Pool, receipts: &Receiver<Waiting>) {
    while let Ok(first) = receipts.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match receipts.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let outcomes = write_batch(pool, &batch);
        for ((_, done), ok) in batch.into_iter().zip(outcomes) {
            // The handler may have gone (its client hung up): nothing to tell.
            let _ = done.send(ok);
        }
    }
}

/// Whether each receipt was written. The batch goes in one transaction; if it fails, each
/// receipt is tried alone, so that one bad receipt fails only its own page.
fn write_batch(pool: &Pool, batch: &[Waiting]) -> Vec<bool> {
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(e) => {
            tracing::error!(error = %e, "api ledger: no database connection");
            return vec![false; batch.len()];
        }
    };
    let all: Vec<&Receipt> = batch.iter().map(|(r, _)| r).collect();
    match write(&mut conn, &all) {
        Ok(()) => vec![true; batch.len()],
        Err(e) if batch.len() == 1 => {
            tracing::error!(error = %e, "api ledger: a receipt was not written");
            vec![false]
        }
        Err(_) => all
            .iter()
            .map(|r| {
                write(&mut conn, &[r])
                    .inspect_err(
                        |e| tracing::error!(error = %e, "api ledger: a receipt was not written"),
                    )
                    .is_ok()
            })
            .collect(),
    }
}

/// The receipts' counts, summed by channel, and their audit entries, in one transaction.
fn write(conn: &mut DbConnection, receipts: &[&Receipt]) -> diesel::QueryResult<()> {
    let mut counts: HashMap<Channel, (u64, u64)> = HashMap::new();
    for r in receipts {
        let sum = counts.entry(r.channel()).or_default();
        sum.0 += 1;
        sum.1 += r.records;
    }
    let entries: Vec<Entry<'_>> = receipts
        .iter()
        .filter(|r| r.personal())
        .map(|r| r.entry())
        .collect();
    crate::db::transaction(conn, |conn| {
        for (channel, (requests, records)) in counts {
            out_log::count(conn, channel, requests, records)?;
        }
        audit::record_all(conn, entries)
    })
}
