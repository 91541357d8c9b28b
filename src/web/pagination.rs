//! Page numbers in query strings: lenient in what they accept, exact in the links they make.

use super::PageCtx;
use super::format;

/// The page asked for; anything that is not a page number from 1 to 100,000 is page 1.
pub fn page_number(raw: &str) -> i64 {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1)
}

/// The query string of a filtered list on another page, keeping only the filters set.
pub fn query_with_page(filters: &[(&str, &str)], page: i64) -> String {
    let mut pairs: Vec<(&str, String)> = filters
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (*k, (*v).to_owned()))
        .collect();
    pairs.push(("hal", page.to_string()));
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// `path?query`, or the bare path when there is no query.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// A numbered link in a pagination bar.
pub struct PageLink {
    pub number: i64,
    pub href: String,
    pub current: bool,
}

/// Links to the two pages either side of the current one.
pub fn page_links(
    path: &str,
    current: i64,
    pages_total: i64,
    query: impl Fn(i64) -> String,
) -> Vec<PageLink> {
    let page = current.min(pages_total.max(1));
    ((page - 2).max(1)..=(page + 2).min(pages_total))
        .map(|n| PageLink {
            number: n,
            href: with_query(path, &query(n)),
            current: n == current,
        })
        .collect()
}

/// What the pagination bar of a numbered list shows (`templates/partials/listing.html`).
pub struct Pager {
    /// "Page 2 of 7".
    pub text: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub links: Vec<PageLink>,
}

impl Pager {
    /// The bar of page `page` of `pages_total` at `path`; `query` gives another page's query
    /// string, with the list's filters kept.
    pub fn new(
        ctx: &PageCtx,
        path: &str,
        page: i64,
        pages_total: i64,
        query: impl Fn(i64) -> String,
    ) -> Self {
        let lang = ctx.lang;
        Self {
            text: ctx.tf(
                "search.page_of",
                &[
                    ("page", &format::number(lang, page)),
                    ("pages", &format::number(lang, pages_total)),
                ],
            ),
            prev_href: (page > 1).then(|| with_query(path, &query(page - 1))),
            next_href: (page < pages_total).then(|| with_query(path, &query(page + 1))),
            links: page_links(path, page, pages_total, query),
        }
    }

    /// Whether there is another page to go to.
    pub fn is_shown(&self) -> bool {
        self.prev_href.is_some() || self.next_href.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonsense_pages_are_page_one() {
        assert_eq!(page_number("3"), 3);
        for raw in ["", "0", "-2", "x", "1e9", "999999999999999999999"] {
            assert_eq!(page_number(raw), 1, "{raw}");
        }
    }

    #[test]
    fn links_keep_the_filters_that_are_set() {
        assert_eq!(
            query_with_page(
                &[("q", "siti lubis"), ("peran", ""), ("status", "aktif")],
                2
            ),
            "q=siti+lubis&status=aktif&hal=2"
        );
    }

    #[test]
    fn page_links_show_two_pages_either_side_and_keep_the_query() {
        let links = page_links("/lowongan", 5, 9, |n| format!("q=kasir&hal={n}"));
        let numbers: Vec<i64> = links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [3, 4, 5, 6, 7]);
        assert!(links.iter().all(|l| l.current == (l.number == 5)));
        assert_eq!(links[0].href, "/lowongan?q=kasir&hal=3");
        // Near the ends the window is cut, not shifted.
        let numbers: Vec<i64> = page_links("/x", 1, 2, |_| String::new())
            .iter()
            .map(|l| l.number)
            .collect();
        assert_eq!(numbers, [1, 2]);
        // A page past the last still shows the last ones.
        let numbers: Vec<i64> = page_links("/x", 40, 3, |_| String::new())
            .iter()
            .map(|l| l.number)
            .collect();
        assert_eq!(numbers, [1, 2, 3]);
        assert_eq!(with_query("/x", ""), "/x");
    }
}
