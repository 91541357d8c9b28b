//! Bulk import of labour data from CSV and XLSX files (issue 14): job seekers, companies,
//! vacancies, employed residents, JKP recipients, WLKP reports.
//!
//! A file is read by [`reader`], each row checked by its kind ([`kind::ImportKind`], one
//! file per kind under [`kinds`]) through the shared [`engine`], and written in one
//! transaction. On the web an upload is a run ([`runs`]) that the background worker
//! ([`worker`]) checks and, once confirmed, writes; `sibuser import` does the same at once
//! ([`cli`]). Owns `import_runs` and `import_problems`.

pub mod cells;
pub mod cli;
pub mod engine;
pub mod kind;
pub mod kinds;
pub mod pages;
pub mod reader;
pub mod runs;
pub mod template;
pub mod worker;

pub use engine::{Collect, Counts, Importer, Problem, Sink, WriteError};
pub use kind::{Column, ImportKind, Kind, Outcome};
pub use runs::Status;
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::ImportRunId;

/// The kind's importer.
pub fn importer(kind: Kind) -> &'static dyn Importer {
    match kind {
        Kind::Vacancies => &kinds::vacancies::Vacancies,
        Kind::Jkp => &kinds::jkp::Jkp,
        Kind::JobSeekers => &kinds::job_seekers::JobSeekers,
        Kind::Companies => &kinds::companies::Companies,
        Kind::Wlkp => &kinds::wlkp::Wlkp,
        Kind::EmployedResidents => &kinds::employed_residents::EmployedResidents,
    }
}

/// The kinds a user with these roles may import: JKP lists are restricted data that only
/// operators and the data steward see, so of the import staff only the data steward takes
/// them, not a super admin.
pub fn available_to(roles: &[crate::domain::Role]) -> impl Iterator<Item = Kind> + '_ {
    Kind::ALL.into_iter().filter(|k| may_import(*k, roles))
}

/// Whether one of the import staff (the pages admit only `DATA_STAFF`) may import `kind`.
pub fn may_import(kind: Kind, roles: &[crate::domain::Role]) -> bool {
    kind != Kind::Jkp || roles.contains(&crate::domain::Role::DataSteward)
}
