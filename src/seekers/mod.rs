//! Job seekers (pencari kerja): the profile that is the AK/I registration form. The card,
//! applications, placements and job alerts build on it.

pub mod ak1;
mod counter;
pub(crate) mod cv;
mod facts;
mod files;
pub mod forms;
pub mod history;
mod model;
mod own_data;
mod pdf;
mod photo;
mod profile;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    profile::routes(cfg);
    cv::routes(cfg);
    photo::routes(cfg);
    own_data::routes(cfg);
    ak1::routes(cfg);
    counter::routes(cfg);
}

pub use counter::seeker_path as counter_path;
pub use model::{
    MaritalStatus, Profile, Religion, find_by_user, is_job_seeker, nik_taken_by_other,
};
