//! Vacancies: companies post them, verifiers check them, residents find them.

mod board;
pub mod dataset;
pub mod employer;
pub mod facts;
pub mod forms;
mod json_ld;
mod model;
pub mod moderation;
pub mod public;
pub mod search;
mod view;

pub(crate) use employer::{company_of, job_title_groups};
pub use model::{
    EmploymentType, Fill, ImportOutcome, ImportedVacancy, OpenVacancy, Vacancy, VacancyContent,
    VacancyEvent, VacancyEventKind, VacancyStatus, backfill_search, check_fill, count_submitted,
    create, decide, events, expire_due, find, find_for_company, headings, list_for_company,
    open_among, open_of_company, record_filled, refresh_search_for_company, revise, set_status,
    sitemap_entries, submitted_queue, upsert_imported,
};
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::VacancyId;
