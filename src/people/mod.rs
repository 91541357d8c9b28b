//! People by NIK: a resident the Dinas knows of, whether or not they have an account. A
//! job-seeker profile, an employed-resident record and a JKP record all point to one
//! person, so importing a list never makes a second row for someone already known.
//!
//! Every record that names a person leaves an origin (its source and a reference to the
//! record); the person's facts are those of the most trusted source so far, and a person
//! whose last origin is forgotten is deleted with it. A person's own-data copy and erasure
//! go with the records that name them (`seekers::own_data` for a profile).

pub mod dataset;
pub mod model;

pub use crate::domain::ids::PersonId;
pub use model::{
    Facts, Origin, Person, Recorded, Source, by_nik, find, forget_origin, note_origin, origins,
    record,
};
