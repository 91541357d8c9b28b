//! Training (pelatihan): the providers (BLK and LPK) kept by the Dinas, and, next, their
//! programmes, enrolment and outcomes.

mod own;
pub mod programmes;
mod provider_programmes;
pub mod providers;
mod staff;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    staff::routes(cfg);
    own::routes(cfg);
    provider_programmes::routes(cfg);
}
