//! What every search page shows the same way: the keyword back in its box, the total, the
//! results, the filters in force and the page bar (`templates/partials/listing.html`).

use super::query::KEYWORD;
use super::{Query, Results};
use crate::web::filters::{ActiveFilter, active_filters};
use crate::web::pagination::Pager;
use crate::web::{PageCtx, format};

pub struct ListPage<V> {
    pub keyword: String,
    /// "12 lowongan ditemukan".
    pub total_text: String,
    pub hits: Vec<V>,
    pub active: Vec<ActiveFilter>,
    pub pager: Pager,
}

impl<V> ListPage<V> {
    /// The filters in force other than the keyword, which has its own box: the count on
    /// the folded filter panel ("Saring hasil (2)"), which opens when there is one.
    pub fn filter_count(&self) -> usize {
        self.active.len() - usize::from(!self.keyword.is_empty())
    }

    /// The page of `results` for `search` at `path`: `total_key` says the total (with
    /// `{count}`), `view` shows a hit, `label` names the filter a key sets (see
    /// [`active_filters`]; the keyword names itself, in quotes).
    pub fn new<H, F>(
        ctx: &PageCtx,
        path: &str,
        search: &impl Query,
        results: &Results<H, F>,
        total_key: &str,
        view: impl Fn(&H) -> V,
        label: impl Fn(&str) -> Option<String>,
    ) -> Self {
        Self {
            keyword: search.keyword().to_owned(),
            total_text: ctx.tf(
                total_key,
                &[("count", &format::number(ctx.lang, results.total))],
            ),
            hits: results.hits.iter().map(view).collect(),
            active: active_filters(path, &search.pairs(), |key| match key {
                KEYWORD => Some(format!("“{}”", search.keyword().trim())),
                _ => label(key),
            }),
            pager: Pager::new(ctx, path, search.page(), results.pages(), |n| {
                search.page_query(n)
            }),
        }
    }
}
