//! Each signed-in user's own front page, `/saya` ("Beranda saya"), where signing in lands:
//! for every role the user holds, what to do next and how much waits. The resident sees
//! their profile's progress, their AK/I card and its next report, and their applications
//! by step; the employer their company's standing and vacancies with new applicants; staff
//! their queues (also counted beside the menu entries); the provider the programmes with
//! decisions open; the data steward the exchange with the national system.
//!
//! It owns no table: each count comes from the module that owns its table.

mod page;
mod queues;
mod sections;

pub use page::page;
pub use queues::{QueueCache, Queues, count_for_menu};
