//! WLKP (wajib lapor ketenagakerjaan di perusahaan, UU 7/1981 and Permenaker 18/2017): a
//! company's reports on its workforce. Employers file them, verifiers accept them or
//! return them with a note, and the Dinas sees who is overdue; reports from the national
//! system are imported beside them. See docs/decisions.md, "WLKP".

pub mod dataset;
pub mod due;
pub mod employer;
pub mod figures;
pub mod imported;
mod mail;
pub mod model;
pub mod staff;
mod view;

pub use figures::Figures;
pub use imported::{ImportedReport, Outcome, record_imported};
pub use model::{Source, Status, Trigger};
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::{WlkpReportId, WlkpRevisionId};
