//! Where an open entry is: one of Binjai's kecamatan, or anywhere outside Binjai. Vacancies
//! and programmes both filter and count by it, with the same codes in their URLs.

use std::collections::HashMap;

use super::{Choice, Count};
use crate::reference::regions;
use crate::web::PageCtx;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Kecamatan(&'static regions::Region),
    Outside,
}

impl Place {
    pub const OUTSIDE: &'static str = "luar";

    /// Where a row with this kelurahan is: the kelurahan's kecamatan, or outside Binjai when
    /// there is none (the row names a regency elsewhere).
    pub fn of_kelurahan(kelurahan: Option<&str>) -> Self {
        kelurahan
            .and_then(regions::binjai_kelurahan_by_code)
            .and_then(|k| k.parent_code())
            .and_then(regions::get)
            .map_or(Self::Outside, Self::Kecamatan)
    }

    pub fn parse(raw: &str) -> Option<Self> {
        if raw == Self::OUTSIDE {
            return Some(Self::Outside);
        }
        regions::binjai_kecamatan()
            .find(|k| k.code == raw)
            .map(Self::Kecamatan)
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Kecamatan(k) => k.code,
            Self::Outside => Self::OUTSIDE,
        }
    }

    /// Every place, in the order a filter lists them: the kecamatan, then outside.
    pub fn all() -> impl Iterator<Item = Self> {
        regions::binjai_kecamatan()
            .map(Self::Kecamatan)
            .chain([Self::Outside])
    }
}

impl Choice for Place {
    fn value(self) -> String {
        self.code().to_owned()
    }

    /// A kecamatan's name, or "outside Binjai".
    fn label(self, ctx: &PageCtx) -> String {
        match self {
            Self::Kecamatan(k) => k.name.to_owned(),
            Self::Outside => ctx.t("search.place.outside").into_owned(),
        }
    }
}

/// Entries counted by place.
#[derive(Debug, Default)]
pub struct PlaceTally(HashMap<&'static str, i64>);

impl PlaceTally {
    pub fn add(&mut self, place: Place) {
        *self.0.entry(place.code()).or_default() += 1;
    }

    /// Every place with its count, none left out.
    pub fn into_counts(self) -> Vec<Count<Place>> {
        Place::all()
            .map(|place| Count {
                value: place,
                count: self.0.get(place.code()).copied().unwrap_or(0),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_survive_their_codes_and_are_all_counted() {
        let all: Vec<Place> = Place::all().collect();
        assert_eq!(all.len(), 6, "five kecamatan and outside");
        for place in &all {
            assert_eq!(Place::parse(place.code()), Some(*place));
        }
        assert_eq!(Place::parse("99"), None);
        assert_eq!(Place::of_kelurahan(None), Place::Outside);
        let mut tally = PlaceTally::default();
        tally.add(Place::Outside);
        tally.add(all[0]);
        tally.add(Place::Outside);
        let counts: Vec<i64> = tally.into_counts().iter().map(|c| c.count).collect();
        assert_eq!(counts, [1, 0, 0, 0, 0, 2]);
    }
}
