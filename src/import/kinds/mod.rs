//! One file per kind of list; each implements [`super::ImportKind`].

pub mod common;
pub mod jkp;
pub mod job_seekers;
pub mod vacancies;
