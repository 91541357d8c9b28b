//! The Dinas counter (`/petugas/pencaker`): operators find residents, register those who
//! come in person, verify profiles, issue AK/I cards and record reports. Every page that
//! shows a resident's personal data writes an audit entry.
use crate::domain::ids::UserId;

pub mod card;
pub mod email;
pub mod find;
pub mod nik_claim;
pub mod person;
pub mod register;
pub mod slip;
pub mod walk_in;

/// The counter's page for one resident.
pub fn seeker_path(user_id: UserId) -> String {
    format!("/petugas/pencaker/{user_id}")
}
