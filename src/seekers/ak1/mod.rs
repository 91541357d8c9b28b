//! The AK/I card (kartu kuning): asked for by the seeker, verified and issued at the Dinas,
//! reported on every six months, printed with a QR code, and checked by anyone on a public
//! page. Its events are the job-seeker register the IPK statistics count.

pub mod facts;
pub mod holder;
pub mod jobs;
pub mod model;
pub mod print;
pub mod rules;
pub mod verify;
pub mod view;
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::Ak1CardId;
