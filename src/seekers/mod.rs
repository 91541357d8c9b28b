//! Job seekers (pencari kerja): the profile that is the AK/I registration form. The card,
//! applications, placements and job alerts build on it.

pub mod ak1;
mod attachments;
pub mod counter;
pub mod cv;
pub mod dataset;
mod facts;
mod files;
pub mod forms;
pub mod history;
pub mod imported;
mod model;
pub mod own_data;
mod pdf;
pub mod person_check;
pub mod person_link;
pub mod photo;
pub mod profile;

pub use counter::seeker_path as counter_path;
pub use model::{
    MaritalStatus, Person, Profile, Religion, find, find_by_user, is_job_seeker,
    nik_taken_by_other, people, person, save, sex_and_kelurahan,
};
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::JobSeekerId;
