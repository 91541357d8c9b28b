//! The filter panel of a list: the choices of each filter with their counts, and the
//! filters in force with a link that removes each (`templates/partials/listing.html`).

use super::Lang;
use super::format;
use super::pagination::with_query;

/// A choice in a filter list, with the number of results it would give.
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn option(
    value: impl Into<String>,
    label: &str,
    count: i64,
    selected: bool,
    lang: Lang,
) -> OptionView {
    OptionView {
        value: value.into(),
        label: format!("{label} ({})", format::number(lang, count)),
        selected,
    }
}

/// A filter in force, with the link that removes it.
pub struct ActiveFilter {
    pub label: String,
    pub remove_href: String,
}

/// The filters in force, each with a link to `path` with the same query but for it (and
/// on the first page). `pairs` is the list's canonical query, page left out; `label` names
/// the filter a key sets, or gives `None` for a key that is no filter to remove (an order).
pub fn active_filters(
    path: &str,
    pairs: &[(&'static str, String)],
    label: impl Fn(&str) -> Option<String>,
) -> Vec<ActiveFilter> {
    pairs
        .iter()
        .enumerate()
        .filter_map(|(i, (key, _))| {
            let label = label(key)?;
            let without: Vec<&(&str, String)> = pairs
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, pair)| pair)
                .collect();
            let query = serde_urlencoded::to_string(without).unwrap_or_default();
            Some(ActiveFilter {
                label,
                remove_href: with_query(path, &query),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_active_filter_links_to_the_list_without_it() {
        let pairs = [
            ("q", "las listrik".to_owned()),
            ("kecamatan", "12.75.01".to_owned()),
            ("urut", "segera-tutup".to_owned()),
        ];
        let active = active_filters("/lowongan", &pairs, |key| {
            (key != "urut").then(|| key.to_uppercase())
        });
        let shown: Vec<(&str, &str)> = active
            .iter()
            .map(|a| (a.label.as_str(), a.remove_href.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("Q", "/lowongan?kecamatan=12.75.01&urut=segera-tutup"),
                ("KECAMATAN", "/lowongan?q=las+listrik&urut=segera-tutup"),
            ],
            "the order is kept and is no filter to remove"
        );
        let only = [("q", "x".to_owned())];
        assert_eq!(
            active_filters("/pelatihan", &only, |_| Some(String::new()))[0].remove_href,
            "/pelatihan"
        );
    }

    #[test]
    fn an_option_says_how_many_it_gives() {
        let o = option("4", "Teknisi", 12_345, true, Lang::Id);
        assert_eq!(o.label, "Teknisi (12.345)");
        assert!(o.selected);
    }
}
