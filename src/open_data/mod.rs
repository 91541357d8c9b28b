//! Open data (`/data-terbuka`): non-personal aggregates of the IPK ledger for anyone to
//! read and reuse, each data set with its metadata as Satu Data Indonesia asks (Perpres
//! 39/2019: definition, period, unit, producer, code lists and their versions), at stable
//! URLs as a page, CSV and JSON.
//!
//! Only closed (signed-off) months are published, so a published figure never changes;
//! counts of people under five are hidden by the rule in [`published`].

pub mod datasets;
mod metadata;
mod pages;
pub mod published;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use diesel::QueryResult;

use crate::db::DbConnection;
use crate::ipk::Month;
use crate::ipk::series;

pub use datasets::{DATASETS, Dataset};
pub use pages::{file, index, page};
pub use published::{Cell, MonthTable};

/// The published months of a data set and their tables, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub months: Vec<Month>,
    pub tables: Arc<Vec<MonthTable>>,
}

/// Each data set's tables, kept until another month is closed: a closed month's facts
/// never change, so neither do its tables.
#[derive(Default)]
pub struct OpenDataCache {
    kept: Mutex<HashMap<&'static str, Published>>,
}

impl OpenDataCache {
    pub fn published(
        &self,
        conn: &mut DbConnection,
        dataset: &'static Dataset,
    ) -> QueryResult<Published> {
        let through = crate::ipk::period::closed_through(conn)?;
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = kept
            .get(dataset.slug)
            .filter(|p| p.months.last() == through.as_ref())
        {
            return Ok(p.clone());
        }
        let months = series::closed_months(conn, through)?;
        let tables = match (months.first(), months.last()) {
            (Some(first), Some(last)) => {
                let sums = series::monthly(
                    conn,
                    &[dataset.flow],
                    Some(*first),
                    *last,
                    dataset.dimension.by(),
                )?;
                published::tables(dataset, &months, &sums)
            }
            _ => Vec::new(),
        };
        let fresh = Published {
            months,
            tables: Arc::new(tables),
        };
        kept.insert(dataset.slug, fresh.clone());
        Ok(fresh)
    }
}

/// The public pages of open data, for the sitemap.
pub fn sitemap_paths() -> impl Iterator<Item = String> {
    std::iter::once("/data-terbuka".to_owned())
        .chain(DATASETS.iter().map(|d| format!("/data-terbuka/{}", d.slug)))
}
