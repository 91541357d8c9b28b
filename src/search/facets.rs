//! Results and counts in one pass. Each entry is checked against every filter once; an
//! entry counts for a filter's values when it meets every *other* filter, so each count
//! says how many results choosing that value would give, the other filters staying as they
//! are. Over a few thousand small structs in memory this is one pass per search where SQL
//! took a grouped scan per filter (docs/benchmarks.md).

use std::collections::HashMap;

use crate::web::filters::{OptionView, option};
use crate::web::{Lang, PageCtx};

/// One choice of a filter and how many results choosing it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count<T> {
    pub value: T,
    pub count: i64,
}

impl<T> Count<T> {
    /// Each value with its count.
    pub fn each(
        values: impl IntoIterator<Item = T>,
        counts: impl IntoIterator<Item = i64>,
    ) -> Vec<Self> {
        values
            .into_iter()
            .zip(counts)
            .map(|(value, count)| Count { value, count })
            .collect()
    }

    /// Each value with the sum of its count and those before it: for choices that hold the
    /// ones before them ("within 7 days" holds "within 1 day"). Each entry is tallied once,
    /// in the first choice it fits.
    pub fn running(
        values: impl IntoIterator<Item = T>,
        counts: impl IntoIterator<Item = i64>,
    ) -> Vec<Self> {
        let mut running = 0;
        values
            .into_iter()
            .zip(counts)
            .map(|(value, count)| {
                running += count;
                Count {
                    value,
                    count: running,
                }
            })
            .collect()
    }
}

/// A value a filter offers: its code in the URL and its name in the reader's language.
pub trait Choice: Copy + PartialEq {
    fn value(self) -> String;
    fn label(self, ctx: &PageCtx) -> String;
}

/// A filter's choices as a select list shows them: "label (count)", the chosen one marked.
pub fn options<'a, T: Choice + 'a>(
    counts: impl IntoIterator<Item = &'a Count<T>>,
    chosen: Option<T>,
    ctx: &PageCtx,
) -> Vec<OptionView> {
    options_by(counts, chosen, ctx.lang, T::value, |v| v.label(ctx))
}

/// [`options`] for values named by a translation key: an enum with a code and a key.
pub fn keyed_options<'a, T: Copy + PartialEq + 'a>(
    counts: impl IntoIterator<Item = &'a Count<T>>,
    chosen: Option<T>,
    ctx: &PageCtx,
    code: impl Fn(T) -> &'static str,
    key: impl Fn(T) -> &'static str,
) -> Vec<OptionView> {
    options_by(
        counts,
        chosen,
        ctx.lang,
        |v| code(v).to_owned(),
        |v| ctx.t(key(v)).into_owned(),
    )
}

/// [`options`] for values that are no [`Choice`] (a number of days, a code), with their
/// value and label given.
pub fn options_by<'a, T: Copy + PartialEq + 'a>(
    counts: impl IntoIterator<Item = &'a Count<T>>,
    chosen: Option<T>,
    lang: Lang,
    value: impl Fn(T) -> String,
    label: impl Fn(T) -> String,
) -> Vec<OptionView> {
    counts
        .into_iter()
        .map(|c| {
            option(
                value(c.value),
                &label(c.value),
                c.count,
                chosen == Some(c.value),
                lang,
            )
        })
        .collect()
}

/// The filters an entry fails, one bit per filter (at most 32).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Misfits(u32);

impl Misfits {
    /// Marks filter `facet` as failed when `fails`.
    pub fn mark(&mut self, facet: usize, fails: bool) {
        self.0 |= u32::from(fails) << facet;
    }

    /// Whether the entry meets every filter but perhaps `facet`.
    fn counts_for(self, facet: usize) -> bool {
        self.0 & !(1 << facet) == 0
    }

    fn is_none(self) -> bool {
        self.0 == 0
    }
}

/// The counts per filter value of a feature's search, filled by [`select`].
pub trait Tally<E> {
    /// How many filters have counts; filter `i` is bit `i` of [`Misfits`].
    const FACETS: usize;

    /// Counts `entry` for the values of filter `facet`.
    fn add(&mut self, facet: usize, entry: &E);
}

/// Goes once through `candidates`: tallies each in `tally` for every filter whose values
/// it counts for, and returns the keys of those that meet every filter, in the order given.
/// `misfits` says which filters an entry fails, or `None` for one that is out whatever the
/// filters' values (a filter without counts).
pub fn select<'a, E: 'a, K, T: Tally<E>>(
    candidates: impl IntoIterator<Item = (K, &'a E)>,
    tally: &mut T,
    misfits: impl Fn(&E) -> Option<Misfits>,
) -> Vec<K> {
    let mut results = Vec::new();
    for (key, entry) in candidates {
        let Some(misfits) = misfits(entry) else {
            continue;
        };
        for facet in 0..T::FACETS {
            if misfits.counts_for(facet) {
                tally.add(facet, entry);
            }
        }
        if misfits.is_none() {
            results.push(key);
        }
    }
    results
}

/// The open entries of one kind as a search sees them, in their list order, found by id.
pub struct Listing<E> {
    entries: Vec<E>,
    position: HashMap<i32, u32>,
}

impl<E> Listing<E> {
    /// The entries in the order a search without an order of its own lists them.
    pub fn new(entries: Vec<E>, id: impl Fn(&E) -> i32) -> Self {
        let position = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (id(e), i as u32))
            .collect();
        Self { entries, position }
    }

    pub fn entries(&self) -> &[E] {
        &self.entries
    }

    pub fn at(&self, position: u32) -> &E {
        &self.entries[position as usize]
    }

    /// The positions to search, in list order: every entry, or those among `matched` (a
    /// keyword's matches; ids no longer listed are passed over).
    pub fn candidates(&self, matched: Option<&[i32]>) -> Vec<u32> {
        match matched {
            Some(ids) => {
                let mut found: Vec<u32> = ids
                    .iter()
                    .filter_map(|id| self.position.get(id).copied())
                    .collect();
                found.sort_unstable();
                found
            }
            None => (0..self.entries.len() as u32).collect(),
        }
    }

    /// The entries at `positions`, with their positions.
    pub fn at_positions<'a>(
        &'a self,
        positions: &'a [u32],
    ) -> impl Iterator<Item = (u32, &'a E)> + 'a {
        positions.iter().map(|p| (*p, self.at(*p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs with a colour and a size, the way a feature's entries look.
    struct Job {
        id: i32,
        colour: u8,
        size: u8,
        open: bool,
    }

    const COLOUR: usize = 0;
    const SIZE: usize = 1;

    #[derive(Default)]
    struct Counts {
        colours: [i64; 3],
        sizes: [i64; 3],
    }

    impl Tally<Job> for Counts {
        const FACETS: usize = 2;
        fn add(&mut self, facet: usize, job: &Job) {
            match facet {
                COLOUR => self.colours[usize::from(job.colour)] += 1,
                _ => self.sizes[usize::from(job.size)] += 1,
            }
        }
    }

    fn search(
        listing: &Listing<Job>,
        matched: Option<&[i32]>,
        colour: Option<u8>,
        size: Option<u8>,
    ) -> (Vec<i32>, Counts) {
        let mut counts = Counts::default();
        let positions = listing.candidates(matched);
        let found = select(listing.at_positions(&positions), &mut counts, |job| {
            let mut m = Misfits::default();
            m.mark(COLOUR, colour.is_some_and(|c| c != job.colour));
            m.mark(SIZE, size.is_some_and(|s| s != job.size));
            job.open.then_some(m)
        });
        (found.iter().map(|p| listing.at(*p).id).collect(), counts)
    }

    fn jobs() -> Listing<Job> {
        let job = |id, colour, size, open| Job {
            id,
            colour,
            size,
            open,
        };
        Listing::new(
            vec![
                job(10, 0, 0, true),
                job(11, 0, 1, true),
                job(12, 1, 1, true),
                job(13, 2, 2, true),
                job(14, 1, 1, false),
            ],
            |j| j.id,
        )
    }

    #[test]
    fn counts_keep_the_other_filters() {
        let listing = jobs();
        let (found, counts) = search(&listing, None, None, None);
        assert_eq!(
            found,
            [10, 11, 12, 13],
            "a closed entry is out whatever the filters"
        );
        assert_eq!(counts.colours, [2, 1, 1]);
        assert_eq!(counts.sizes, [1, 2, 1]);

        let (found, counts) = search(&listing, None, Some(0), Some(1));
        assert_eq!(found, [11]);
        // Choosing another colour keeps size 1: the one job of colour 1 and size 1.
        assert_eq!(counts.colours, [1, 1, 0]);
        // Choosing another size keeps colour 0.
        assert_eq!(counts.sizes, [1, 1, 0]);
    }

    #[test]
    fn a_keyword_narrows_the_candidates_in_list_order() {
        let listing = jobs();
        let (found, counts) = search(&listing, Some(&[13, 99, 10, 14]), None, None);
        assert_eq!(found, [10, 13], "list order; unknown ids passed over");
        assert_eq!(counts.colours, [1, 0, 1]);
    }

    #[test]
    fn running_counts_hold_the_choices_before() {
        let counts = Count::running([1, 7, 30], [2, 0, 5]);
        let shown: Vec<(i32, i64)> = counts.iter().map(|c| (c.value, c.count)).collect();
        assert_eq!(shown, [(1, 2), (7, 2), (30, 7)]);
        let each: Vec<i64> = Count::each(["a", "b"], [4, 1])
            .iter()
            .map(|c| c.count)
            .collect();
        assert_eq!(each, [4, 1]);
        let shown = options_by(
            &counts,
            Some(7),
            Lang::En,
            |d| d.to_string(),
            |d| format!("{d} days"),
        );
        let labels: Vec<(&str, bool)> = shown
            .iter()
            .map(|o| (o.label.as_str(), o.selected))
            .collect();
        assert_eq!(
            labels,
            [
                ("1 days (2)", false),
                ("7 days (2)", true),
                ("30 days (7)", false)
            ]
        );
    }
}
