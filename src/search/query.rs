//! A search as its URL states it. Decoding never fails: a value that means nothing is
//! dropped by the feature that reads it, and the page says what it searched for. Encoding
//! is canonical: only the filters that are set, in a fixed order, so that one search has
//! one URL (for sharing, feeds, saved alerts and caches).

/// The keyword's key in every search URL.
pub const KEYWORD: &str = "q";
/// The page's key in every search URL.
pub const PAGE: &str = "hal";
/// The shown keyword is cut to this many characters; the search itself uses a few words.
pub const MAX_KEYWORD_CHARS: usize = 200;

/// The pairs of a raw query string, each key once with its first value, trimmed. A query
/// string that does not decode is an empty one.
pub fn decode(query: &str) -> Vec<(String, String)> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let mut out: Vec<(String, String)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        if !out.iter().any(|(k, _)| *k == key) {
            let value = value.trim().to_owned();
            out.push((key, value));
        }
    }
    out
}

/// The keyword as a search keeps it: hidden control characters dropped, cut to length.
pub fn keyword(raw: &str) -> String {
    crate::web::forms::search_keyword(raw, MAX_KEYWORD_CHARS)
}

/// Builds the canonical pairs of a search: the keyword first, then each filter that is set.
pub struct Pairs(Vec<(&'static str, String)>);

impl Pairs {
    pub fn keyword(keyword: &str) -> Self {
        let keyword = keyword.trim();
        let mut pairs = Vec::new();
        if !keyword.is_empty() {
            pairs.push((KEYWORD, keyword.to_owned()));
        }
        Self(pairs)
    }

    /// The filter `key`, when it is set.
    pub fn with(mut self, key: &'static str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value {
            self.0.push((key, value.to_string()));
        }
        self
    }

    /// A yes-or-no filter: `key=1` when it is on.
    pub fn flag(self, key: &'static str, on: bool) -> Self {
        self.with(key, on.then_some("1"))
    }

    pub fn build(self) -> Vec<(&'static str, String)> {
        self.0
    }
}

pub fn encode(pairs: &[(&'static str, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// A search that has a URL.
pub trait Query {
    /// The pairs that mean this search, page left out (see [`Pairs`]).
    fn pairs(&self) -> Vec<(&'static str, String)>;

    /// The keyword as the search keeps it.
    fn keyword(&self) -> &str;

    /// The page asked for.
    fn page(&self) -> i64;

    /// The canonical, shareable query string, page left out.
    fn query_string(&self) -> String {
        encode(&self.pairs())
    }

    /// The same search on another page; page 1 is the plain query string.
    fn page_query(&self, page: i64) -> String {
        let mut pairs = self.pairs();
        if page > 1 {
            pairs.push((PAGE, page.to_string()));
        }
        encode(&pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A search with two filters, as a feature writes one.
    #[derive(Debug, PartialEq, Default)]
    struct Jobs {
        keyword: String,
        kind: Option<String>,
        remote: bool,
        page: i64,
    }

    impl Jobs {
        fn from_query(query: &str) -> Self {
            let mut s = Jobs {
                page: 1,
                ..Jobs::default()
            };
            for (key, value) in decode(query) {
                match key.as_str() {
                    KEYWORD => s.keyword = keyword(&value),
                    "jenis" => s.kind = Some(value).filter(|v| v == "pkwt" || v == "pkwtt"),
                    "jarak-jauh" => s.remote = value == "1",
                    PAGE => s.page = crate::web::pagination::page_number(&value),
                    _ => {}
                }
            }
            s
        }
    }

    impl Query for Jobs {
        fn pairs(&self) -> Vec<(&'static str, String)> {
            Pairs::keyword(&self.keyword)
                .with("jenis", self.kind.as_ref())
                .flag("jarak-jauh", self.remote)
                .build()
        }

        fn keyword(&self) -> &str {
            &self.keyword
        }

        fn page(&self) -> i64 {
            self.page
        }
    }

    #[test]
    fn a_search_survives_its_own_url_on_every_page() {
        let s = Jobs::from_query("jarak-jauh=1&q=+admin+gudang+&jenis=pkwt&hal=3");
        assert_eq!(s.keyword, "admin gudang");
        assert_eq!(s.page, 3);
        assert_eq!(s.query_string(), "q=admin+gudang&jenis=pkwt&jarak-jauh=1");
        assert_eq!(Jobs::from_query(&s.page_query(3)), s);
        assert_eq!(s.page_query(1), s.query_string(), "page 1 is the plain URL");
        assert_eq!(
            s.page_query(2),
            "q=admin+gudang&jenis=pkwt&jarak-jauh=1&hal=2",
            "another page keeps every filter"
        );
    }

    #[test]
    fn repeated_keys_keep_their_first_value_and_nonsense_is_nothing() {
        let s = Jobs::from_query("jenis=pkwtt&jenis=pkwt&jarak-jauh=ya&hal=x&zzz=1");
        assert_eq!(s.kind.as_deref(), Some("pkwtt"));
        assert!(!s.remote);
        assert_eq!(s.page, 1);
        assert_eq!(Jobs::from_query("%%%&&=&q"), Jobs::from_query(""));
        assert_eq!(Jobs::from_query("").query_string(), "");
        let long = Jobs::from_query(&format!("q={}", "a".repeat(10_000)));
        assert_eq!(long.keyword.len(), MAX_KEYWORD_CHARS);
    }
}
