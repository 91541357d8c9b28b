//! One file per kind of list; each implements [`super::ImportKind`].

pub mod companies;
pub mod jkp;
pub mod vacancies;
pub mod wlkp;
