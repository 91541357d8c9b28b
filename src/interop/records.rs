//! A page of a data set as the API sends it: the change feed says which records changed
//! after the cursor ([`super::feed`]), their owner reads them ([`Provider`], by id, as the
//! exports read them), the exports' mask applies the caller's masking, and each record is
//! written as a JSON object with the data set's column names as keys. A record deleted or
//! anonymised since is a tombstone: its id, when, and `deleted: true`, nothing else.

use std::collections::HashMap;
use std::io::Write as _;

use chrono::{Datelike as _, NaiveDate, NaiveDateTime, Timelike as _};
use diesel::QueryResult;

use super::feed::{self, Change};
use super::query::{self, ListQuery};
use crate::db::DbConnection;
use crate::exports::dataset::{Cell, Column, Mask, Page, Rows};
use crate::exports::{Dataset, Filter, datasets, mask};
use crate::sharing::Masking;

/// A page ready to send, and what the logs need to know of it.
pub struct ListPage {
    pub body: Vec<u8>,
    /// Records with data (tombstones not counted).
    pub records: u64,
}

/// The API's name of a data set, in paths and bodies: `job-seekers`.
pub fn slug(dataset: Dataset) -> &'static str {
    dataset.cli_name()
}

/// Whether the data set has any column that masking changes.
pub fn has_personal_columns(dataset: Dataset) -> bool {
    datasets::provider(dataset)
        .columns()
        .iter()
        .any(|c| c.mask != Mask::Keep)
}

/// Reads and writes one page for a caller with `masking`.
pub fn read(
    conn: &mut DbConnection,
    dataset: Dataset,
    masking: Masking,
    q: &ListQuery,
) -> QueryResult<ListPage> {
    // One more than asked tells whether another page follows.
    let mut changes = feed::page(conn, dataset, q.after, q.since, q.limit + 1)?;
    let has_more = changes.len() as i64 > q.limit;
    changes.truncate(usize::try_from(q.limit).unwrap_or(0));
    let live: Vec<i32> = changes
        .iter()
        .filter(|c| !c.deleted)
        .map(|c| c.record_id)
        .collect();
    let mut objects = objects(conn, dataset, &live, masking)?;
    let next = changes.last().map_or(q.after, |c| c.seq);
    let bytes: usize = objects.values().map(Vec::len).sum();
    let mut body = Vec::with_capacity(256 + bytes);
    let mut out = ListPage {
        body: Vec::new(),
        records: 0,
    };
    let _ = write!(
        body,
        r#"{{"dataset":"{}","masking":"{}","records":["#,
        slug(dataset),
        masking.as_str()
    );
    for (i, change) in changes.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        match objects
            .remove(&change.record_id)
            .filter(|_| !change.deleted)
        {
            Some(data) => {
                record_head(&mut body, change, false);
                body.extend_from_slice(br#","data":"#);
                body.extend_from_slice(&data);
                body.push(b'}');
                out.records += 1;
            }
            // Deleted, anonymised, or gone since the feed was read: a later change says so
            // again; a tombstone now is never wrong.
            None => {
                record_head(&mut body, change, true);
                body.push(b'}');
            }
        }
    }
    let _ = write!(
        body,
        r#"],"next_cursor":"{}","has_more":{has_more}}}"#,
        query::cursor(dataset, next)
    );
    out.body = body;
    Ok(out)
}

/// The records `ids` of a data set as JSON objects (the data set's column names as keys),
/// masked for `masking`, by id; a record not found is not in the map. The sharing API's
/// pages and the national push write records with it.
pub fn objects(
    conn: &mut DbConnection,
    dataset: Dataset,
    ids: &[i32],
    masking: Masking,
) -> QueryResult<HashMap<i32, Vec<u8>>> {
    let provider = datasets::provider(dataset);
    let columns = provider.columns();
    let masked = masking == Masking::Masked;
    let mut objects = Objects::new(mask::header(&columns, masked));
    if !ids.is_empty() {
        let filter = Filter::default();
        let page = Page {
            filter: &filter,
            after: 0,
            limit: ids.len() as i64,
            personal: !masked,
            ids: Some(ids),
        };
        let (_, emit) = (provider.read)(conn, &page)?;
        emit(&mut mask::Masked::new(&mut objects, &columns, masked));
    }
    Ok(objects.by_id)
}

fn record_head(body: &mut Vec<u8>, change: &Change, deleted: bool) {
    let _ = write!(body, r#"{{"id":{},"changed_at":""#, change.record_id);
    push_instant(body, change.changed_at);
    let _ = write!(body, r#"","deleted":{deleted}"#);
}

/// Digits written by hand: chrono's general formatting (it parses its format string on
/// every call) was a twentieth of a page's time, for two fixed shapes.
fn push_digits(out: &mut Vec<u8>, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(b'0' + u8::try_from(digit).unwrap_or(0));
    }
}

/// A date as `YYYY-MM-DD`.
fn push_date(out: &mut Vec<u8>, d: NaiveDate) {
    match u32::try_from(d.year()) {
        Ok(year) if year <= 9999 => {
            push_digits(out, year, 4);
            out.push(b'-');
            push_digits(out, d.month(), 2);
            out.push(b'-');
            push_digits(out, d.day(), 2);
        }
        _ => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
    }
}

/// A stored (UTC) instant as RFC 3339, to the microsecond: `2026-12-06T05:00:00.000000Z`.
fn push_instant(out: &mut Vec<u8>, at: NaiveDateTime) {
    push_date(out, at.date());
    out.push(b'T');
    push_digits(out, at.hour(), 2);
    out.push(b':');
    push_digits(out, at.minute(), 2);
    out.push(b':');
    push_digits(out, at.second(), 2);
    out.push(b'.');
    // A leap second's nanoseconds run past 10^9: its last microsecond is shown.
    push_digits(out, (at.nanosecond() / 1000).min(999_999), 6);
    out.push(b'Z');
}

/// Rows collected as JSON objects by record id (the first cell of each data set's rows).
struct Objects {
    names: Vec<&'static str>,
    at: usize,
    id: Option<i32>,
    current: Vec<u8>,
    by_id: HashMap<i32, Vec<u8>>,
    bytes: usize,
}

impl Objects {
    fn new(names: Vec<&'static str>) -> Self {
        Self {
            names,
            at: 0,
            id: None,
            current: Vec::with_capacity(1024),
            by_id: HashMap::new(),
            bytes: 0,
        }
    }
}

impl Rows for Objects {
    fn cell(&mut self, cell: Cell<'_>) {
        let Some(name) = self.names.get(self.at) else {
            return;
        };
        if self.at == 0 {
            self.id = match cell {
                Cell::Int(id) => i32::try_from(id).ok(),
                _ => None,
            };
        }
        let out = &mut self.current;
        out.push(if self.at == 0 { b'{' } else { b',' });
        // Column names are ASCII identifiers: no escaping needed.
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
        match cell {
            Cell::Empty => out.extend_from_slice(b"null"),
            Cell::Text(text) => {
                let _ = serde_json::to_writer(&mut *out, text);
            }
            Cell::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Cell::Date(d) => {
                out.push(b'"');
                push_date(out, d);
                out.push(b'"');
            }
            Cell::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        }
        self.at += 1;
    }

    fn end_row(&mut self) {
        if self.at == 0 {
            self.current.push(b'{');
        }
        self.current.push(b'}');
        self.at = 0;
        let object = std::mem::replace(&mut self.current, Vec::with_capacity(1024));
        self.bytes += object.len();
        if let Some(id) = self.id.take() {
            self.by_id.insert(id, object);
        }
    }
}

/// The columns a caller with `masking` receives, for the OpenAPI document.
pub fn columns_for(dataset: Dataset, masking: Masking) -> Vec<Column> {
    let masked = masking == Masking::Masked;
    datasets::provider(dataset)
        .columns()
        .into_iter()
        .filter(|c| !(masked && c.mask == Mask::Omit))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_instants_are_written_as_chrono_would() {
        let at = NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap()
            .and_hms_micro_opt(7, 8, 9, 42)
            .unwrap();
        let mut out = Vec::new();
        push_instant(&mut out, at);
        assert_eq!(out, b"2026-01-05T07:08:09.000042Z");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
        );
        let mut out = Vec::new();
        push_date(&mut out, NaiveDate::from_ymd_opt(987, 12, 31).unwrap());
        assert_eq!(out, b"0987-12-31");
        let mut out = Vec::new();
        push_date(&mut out, NaiveDate::from_ymd_opt(12026, 3, 1).unwrap());
        assert_eq!(out, b"+12026-03-01");
    }
}
