//! Vacancies: companies post them, verifiers check them, residents find them.

mod employer;
pub mod forms;
mod model;
mod moderation;

/// The employer's vacancy pages and the verifiers' queue.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    employer::routes(cfg);
    moderation::routes(cfg);
}

pub use model::{
    EmploymentType, Vacancy, VacancyContent, VacancyEvent, VacancyStatus, check_fill, create,
    events, expire_due, find, find_for_company, list_for_company, record_filled, set_status,
    submitted_queue, update_content,
};
