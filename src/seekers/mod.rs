//! Job seekers (pencari kerja): the profile that is the AK/I registration form. The card,
//! applications, placements and job alerts build on it.

mod cv;
pub mod forms;
pub mod history;
mod model;
mod profile;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    profile::routes(cfg);
    cv::routes(cfg);
}

pub use model::{MaritalStatus, Profile, Religion, find_by_user, nik_taken_by_other};
