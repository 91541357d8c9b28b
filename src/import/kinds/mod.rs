//! One file per kind of list; each implements [`super::ImportKind`].

pub mod jkp;
pub mod vacancies;
