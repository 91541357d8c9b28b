//! Job fairs (bursa kerja, issue 20): the Dinas creates a fair, companies apply for booths
//! with the vacancies they bring and staff decide them, residents register for a ticket
//! (up to the fair's capacity, then a waiting list) and show its QR code at the door. An
//! application made at a fair carries it as its channel, and so does the placement after.

pub mod booths;
pub mod door;
pub mod employer;
pub mod interviews;
pub mod model;
mod news;
pub mod own_data;
pub mod public;
pub mod report;
pub mod resident;
pub mod staff;
pub mod tickets;

pub use booths::{BoothStatus, fairs_of_vacancies};
pub use model::{Fair, Mode, Status};
pub use tickets::{EventKind, Source, TicketStatus};
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::{BoothId, InterviewId, JobFairId, TicketId};
