//! The eight data sets, each read by the module that owns its records. This list is the
//! one place they are put together, above the features, as `personal_data::PARTS` puts
//! together a person's copy: an owner knows its records, its joins and which of its
//! columns are personal; the exports know pages, masks and files.

use super::Dataset;
use super::dataset::Provider;

/// The owner's provider of a data set.
pub fn provider(dataset: Dataset) -> &'static Provider {
    match dataset {
        Dataset::JobSeekers => &crate::seekers::dataset::JOB_SEEKERS,
        Dataset::Vacancies => &crate::vacancies::dataset::VACANCIES,
        Dataset::Companies => &crate::employers::dataset::COMPANIES,
        Dataset::EmployedResidents => &crate::employment::dataset::EMPLOYED_RESIDENTS,
        Dataset::Training => &crate::training::dataset::TRAINING,
        Dataset::Placements => &crate::applications::dataset::PLACEMENTS,
        Dataset::Wlkp => &crate::wlkp::dataset::WLKP,
        Dataset::Jkp => &crate::jkp::dataset::JKP,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn each_data_set_names_each_column_once() {
        for dataset in Dataset::ALL {
            let columns = provider(dataset).columns();
            let names: BTreeSet<&str> = columns.iter().map(|c| c.name).collect();
            assert_eq!(names.len(), columns.len(), "{dataset:?} repeats a column");
        }
    }

    #[test]
    fn a_nik_or_a_name_never_goes_out_unmasked_by_default() {
        use super::super::dataset::Mask;
        for dataset in Dataset::ALL {
            for c in provider(dataset).columns() {
                match c.name {
                    "nik" => assert_eq!(c.mask, Mask::Nik, "{dataset:?}"),
                    "nama" if dataset != Dataset::Companies => {
                        assert_eq!(c.mask, Mask::Omit, "{dataset:?}")
                    }
                    "tanggal_lahir" => assert_eq!(c.mask, Mask::Year, "{dataset:?}"),
                    "surel" | "telepon" | "alamat" | "disabilitas"
                        if dataset != Dataset::Companies && dataset != Dataset::Wlkp =>
                    {
                        assert_eq!(c.mask, Mask::Omit, "{dataset:?} {}", c.name)
                    }
                    _ => {}
                }
            }
        }
    }
}
