//! Exports of the eight data sets the agreement names (issue 15, item 5) as CSV, XLSX or
//! JSON lines, filtered by period and kecamatan, masked unless the data steward states a
//! purpose; and the queue of background jobs that writes them (item 6).
//!
//! The records are read by the modules that own them ([`dataset::Provider`], listed in
//! [`datasets`]); [`run`] streams them page by page through the mask ([`mask`]) into a
//! file ([`write`]). On the web a request is an [`model`] row and a job of the queue
//! ([`queue`]) that the background worker ([`worker`]) runs, with a progress bar
//! ([`pages`]); `sibuser export` runs the same code at once ([`cli`]). Owns `exports` and
//! `file_jobs`.

pub mod cli;
pub mod dataset;
pub mod datasets;
pub mod filter;
pub mod mask;
pub mod model;
pub mod pages;
pub mod queue;
pub mod request;
pub mod run;
pub mod worker;
pub mod write;

use crate::domain::code::choice;
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::{ExportId, FileJobId};
pub use filter::Filter;

choice!(
    /// The eight data sets of the agreement.
    Dataset in "ref_export_dataset" {
        JobSeekers => "job_seekers", "export.dataset.job_seekers",
        Vacancies => "vacancies", "export.dataset.vacancies",
        Companies => "companies", "export.dataset.companies",
        EmployedResidents => "employed_residents", "export.dataset.employed_residents",
        Training => "training", "export.dataset.training",
        Placements => "placements", "export.dataset.placements",
        Wlkp => "wlkp", "export.dataset.wlkp",
        Jkp => "jkp", "export.dataset.jkp",
    }
);

impl Dataset {
    /// The name on the command line and in file names: `job-seekers`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Self::JobSeekers => "job-seekers",
            Self::Vacancies => "vacancies",
            Self::Companies => "companies",
            Self::EmployedResidents => "employed-residents",
            Self::Training => "training",
            Self::Placements => "placements",
            Self::Wlkp => "wlkp",
            Self::Jkp => "jkp",
        }
    }

    pub fn from_cli_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.cli_name() == name)
    }

    /// The translation key of the date the period filters on ("registered", "opens").
    pub fn date_key(self) -> &'static str {
        match self {
            Self::JobSeekers => "export.date.job_seekers",
            Self::Vacancies => "export.date.vacancies",
            Self::Companies => "export.date.companies",
            Self::EmployedResidents => "export.date.employed_residents",
            Self::Training => "export.date.training",
            Self::Placements => "export.date.placements",
            Self::Wlkp => "export.date.wlkp",
            Self::Jkp => "export.date.jkp",
        }
    }
}

choice!(
    Format in "ref_export_format" {
        Csv => "csv", "export.format.csv",
        Xlsx => "xlsx", "export.format.xlsx",
        Jsonl => "jsonl", "export.format.jsonl",
    }
);

impl Format {
    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}
