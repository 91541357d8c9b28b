//! The Dinas counter (`/petugas/pencaker`): operators find residents, register those who
//! come in person, verify profiles, issue AK/I cards and record reports. Every page that
//! shows a resident's personal data writes an audit entry.

mod card;
mod find;
mod nik_claim;
mod register;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    find::routes(cfg);
    register::routes(cfg);
    card::routes(cfg);
    nik_claim::routes(cfg);
}

/// The counter's page for one resident.
pub fn seeker_path(user_id: i32) -> String {
    format!("/petugas/pencaker/{user_id}")
}
