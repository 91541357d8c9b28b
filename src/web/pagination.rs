//! Page numbers in query strings: lenient in what they accept, exact in the links they make.

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
}
