//! Domain values that every layer may use: they know no feature, no web and no database
//! connection. The value types (`Email`, `Nik`, `Rupiah`, ...) are valid by construction:
//! `parse` is the only way in, and they are stored and read through diesel on both
//! backends, reading a stored value that does not parse being an error (see `stored`).

mod age_group;
mod ak1_number;
pub mod calendar;
pub mod code;
mod email;
pub mod ids;
mod kbji;
mod kbli;
pub mod nik;
mod npp;
mod phone;
mod role;
mod rupiah;
mod stored;
pub mod text;

pub use age_group::AgeGroup;
pub use ak1_number::{Ak1Number, InvalidAk1Number};
pub use email::{Email, InvalidEmail};
pub use kbji::{InvalidKbjiCode, KbjiCode};
pub use kbli::{InvalidKbliCode, KbliCode};
pub use nik::{Nik, NikError, Sex};
pub use npp::{InvalidNpp, Npp};
pub use phone::{InvalidPhone, Phone};
pub use role::Role;
pub use rupiah::{InvalidRupiah, Rupiah};
