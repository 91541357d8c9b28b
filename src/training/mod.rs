//! Training (pelatihan): the providers (BLK and LPK) kept by the Dinas, their programmes and
//! the public search of them, and, next, enrolment and outcomes.

mod json_ld;
mod own;
pub mod programmes;
mod provider_programmes;
pub mod providers;
pub mod public;
pub mod search;
mod staff;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    staff::routes(cfg);
    own::routes(cfg);
    provider_programmes::routes(cfg);
    public::routes(cfg);
}
