//! Training (pelatihan): the providers (BLK and LPK) kept by the Dinas, and, next, their
//! programmes, enrolment and outcomes.

mod enrol;
pub mod enrolment;
mod outcome_pages;
pub mod outcomes;
mod own;
mod participants;
pub mod programmes;
mod provider_programmes;
pub mod providers;
mod staff;
mod staff_programmes;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    staff::routes(cfg);
    own::routes(cfg);
    enrol::routes(cfg);
    participants::routes(cfg);
    outcome_pages::routes(cfg);
    staff_programmes::routes(cfg);
    provider_programmes::routes(cfg);
}
