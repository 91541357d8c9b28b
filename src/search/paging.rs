//! Pages of a result list: how many results a page holds and how deep links go.

/// Deep pages are of no use to a person and cost the database, so the links and the page
/// asked for both stop at `max_page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub per_page: i64,
    pub max_page: i64,
}

impl Paging {
    pub const fn new(per_page: i64, max_page: i64) -> Self {
        Self { per_page, max_page }
    }

    /// The page a URL asks for: nonsense is page 1, a page past the last linked one is it.
    pub fn page(self, raw: &str) -> i64 {
        crate::web::pagination::page_number(raw).min(self.max_page)
    }

    /// How many pages `total` results fill (at least one, at most the last linked page).
    pub fn pages(self, total: i64) -> i64 {
        ((total + self.per_page - 1) / self.per_page).clamp(1, self.max_page)
    }

    /// How many results come before `page`.
    pub fn offset(self, page: i64) -> usize {
        ((page.clamp(1, self.max_page) - 1) * self.per_page) as usize
    }

    /// The results on `page`, of all the results in order.
    pub fn slice<T>(self, page: i64, results: &[T]) -> &[T] {
        let offset = self.offset(page).min(results.len());
        let end = (offset + self.per_page as usize).min(results.len());
        &results[offset..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGING: Paging = Paging::new(20, 50);

    #[test]
    fn pages_hold_every_result_once() {
        let results: Vec<i32> = (0..45).collect();
        assert_eq!(PAGING.pages(45), 3);
        let pages: Vec<&[i32]> = (1..=3).map(|p| PAGING.slice(p, &results)).collect();
        assert_eq!(pages.concat(), results);
        assert_eq!(pages[2], [40, 41, 42, 43, 44]);
        assert!(
            PAGING.slice(4, &results).is_empty(),
            "past the end is empty"
        );
        assert_eq!(PAGING.slice(0, &results), pages[0], "page 0 is page 1");
    }

    #[test]
    fn no_results_is_one_page_and_deep_pages_stop() {
        assert_eq!(PAGING.pages(0), 1);
        assert_eq!(PAGING.pages(1_000_000), 50);
        assert_eq!(PAGING.page("99999"), 50);
        assert_eq!(PAGING.page("-3"), 1);
        assert_eq!(PAGING.offset(10_000), 49 * 20);
    }
}
