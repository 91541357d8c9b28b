//! Employed residents (penduduk yang bekerja): residents the Dinas knows to be working, one
//! record per person and job. Placements on the portal land here by themselves; lists from
//! employers or the national side, and JKP recipients who find work again, add theirs.

pub mod dataset;
pub mod model;
pub mod own_data;

pub use crate::domain::ids::EmploymentId;
pub use model::{
    Job, Listed, ListedJob, NewJob, Recorded, Source, jobs_of, record, record_listed_within,
};
