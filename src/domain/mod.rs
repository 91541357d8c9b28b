//! Domain values that every layer may use: they know no feature, no web and no database
//! connection.

mod role;
pub mod rupiah;

pub use role::Role;
