//! Applications (lamaran): a job seeker applies to a vacancy, the employer moves the
//! application through its stages, and acceptance places the seeker. Placements made
//! outside the portal are recorded at the counter.

pub mod counter;
pub mod dataset;
pub mod employer;
pub mod facts;
pub mod model;
pub mod own_data;
pub mod placement;
pub mod seeker;
pub mod stage;

pub use stage::{Channel, Stage};
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::{ApplicationId, PlacementId};
