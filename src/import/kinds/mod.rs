//! One file per kind of list; each implements [`super::ImportKind`].

pub mod companies;
pub mod employed_residents;
pub mod jkp;
pub mod vacancies;
pub mod wlkp;
