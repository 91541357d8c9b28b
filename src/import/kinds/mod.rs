//! One file per kind of list; each implements [`super::ImportKind`].

pub mod common;
pub mod companies;
pub mod employed_residents;
pub mod jkp;
pub mod job_seekers;
pub mod vacancies;
pub mod wlkp;
