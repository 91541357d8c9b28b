//! JKP recipients (jaminan kehilangan pekerjaan, PP 37/2021 as amended by PP 6/2025):
//! workers who lost their job, from the lists BPJS Ketenagakerjaan or the national side
//! send, each linked to the person by NIK, and the Dinas's follow-up of them: career
//! counselling, referrals to vacancies and training, and re-employment (which also lands in
//! the register of employed residents). Restricted: operators and the data steward only,
//! every view in the audit log.

pub mod dataset;
pub mod model;
pub mod own_data;
pub mod pages;

pub use crate::domain::ids::JkpRecipientId;
