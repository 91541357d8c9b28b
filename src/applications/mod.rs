//! Applications (lamaran): a job seeker applies to a vacancy, the employer moves the
//! application through its stages, and acceptance places the seeker. Placements made
//! outside the portal are recorded at the counter.

mod counter;
mod employer;
pub mod model;
pub mod placement;
mod seeker;
pub mod stage;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    seeker::routes(cfg);
    employer::routes(cfg);
    counter::routes(cfg);
}

pub use stage::Stage;
