//! Vacancies: companies post them, verifiers check them, residents find them.

pub mod forms;
mod model;

pub use model::{
    EmploymentType, Vacancy, VacancyContent, VacancyEvent, VacancyStatus, create, events, find,
    find_for_company, list_for_company, set_status, submitted_queue, update_content,
};
