//! Training (pelatihan): the providers (BLK and LPK) kept by the Dinas, their programmes and
//! the public search of them, enrolment with attendance and certificates, and outcomes.

pub mod dataset;
pub mod enrol;
pub mod enrolment;
mod json_ld;
pub mod outcome_pages;
pub mod outcomes;
pub mod own;
pub mod own_data;
pub mod participants;
pub mod programmes;
pub mod provider_programmes;
pub mod providers;
pub mod public;
pub mod search;
pub mod staff;
pub mod staff_programmes;
mod view;
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::{EnrolmentId, ProgrammeId, ProviderId};
