//! IPK statistics (Informasi Pasar Kerja, KEP.268/PPTK/XII/2012; DOMAIN.md §2), built on a
//! ledger of facts that never change after the fact (issue 15).
//!
//! Every flow the IPK tables count (a job seeker registered, placed or removed; positions
//! opened, filled or removed; a placement) is a row of `ipk_facts`, written by the module
//! where it happens, in the same transaction, with what the tables group it by *as it was
//! then*: sex, age group, education, KBJI, KBLI section, kelurahan. A subject's exit copies
//! its entry's groups, so every cell's stock stays whole: remaining = carried over +
//! registered - placed - removed. The ledger names no person and has no foreign key into
//! the records it counts: editing a profile or erasing an account leaves it as it is.
//!
//! Each fact is counted in a month. A month that was closed (signed off) takes no more
//! facts: a later entry dated in it is counted in the current month and marked as a
//! correction, so a reported month's figures never change. Owns `ipk_facts`,
//! `ipk_closed_months`, `ipk_backfills`, `ipk_stocks`, `ipk_month_sums` and `ipk_signoffs`.

pub mod backfill;
pub mod cli;
pub mod form;
pub mod grid;
pub mod layout;
pub mod ledger;
pub mod pages;
pub mod period;
pub mod series;
pub mod signoff;
mod stocks;
mod sums;
pub mod tables;
pub mod workbook;

pub use ledger::{Dims, Flow, Persons, Reason};
pub use period::{Month, Period};
