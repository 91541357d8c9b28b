//! Training (pelatihan): the providers (BLK and LPK) kept by the Dinas, their programmes and
//! the public search of them, enrolment with attendance and certificates, and outcomes.

mod enrol;
pub mod enrolment;
mod json_ld;
mod outcome_pages;
pub mod outcomes;
mod own;
mod participants;
pub mod programmes;
mod provider_programmes;
pub mod providers;
pub mod public;
pub mod search;
mod staff;
mod staff_programmes;
mod view;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    staff::routes(cfg);
    own::routes(cfg);
    enrol::routes(cfg);
    participants::routes(cfg);
    outcome_pages::routes(cfg);
    staff_programmes::routes(cfg);
    provider_programmes::routes(cfg);
    public::routes(cfg);
}
