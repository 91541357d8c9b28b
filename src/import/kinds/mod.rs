//! One file per kind of list; each implements [`super::ImportKind`].

pub mod vacancies;
