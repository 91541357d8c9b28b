//! Job alerts: a seeker saves any search and is e-mailed, daily or weekly, the vacancies
//! published since the last e-mail that match it; one link in each e-mail stops it.

pub mod digest;
pub mod model;
pub mod own_data;
pub mod pages;
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::JobAlertId;
