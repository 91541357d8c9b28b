//! What a WLKP report counts: the headcount by sex × citizenship × contract, by education
//! level and by IPK age group, and the other figures; how the form names them, and the
//! checks (whole numbers from zero, the three breakdowns adding up to one total).

use std::collections::HashMap;

use crate::domain::Rupiah;
use crate::reference::education::EducationLevel;
use crate::web::forms::FieldErrors;

pub const SEXES: [&str; 2] = ["l", "p"];
pub const CITIZENSHIPS: [&str; 2] = ["wni", "wna"];
pub const CONTRACTS: [&str; 3] = ["pkwtt", "pkwt", "outsourced"];

/// The headcount fields, by sex, citizenship and contract (the order of the constants).
pub const HEADCOUNT_FIELDS: [[[&str; 3]; 2]; 2] = [
    [
        ["l_wni_pkwtt", "l_wni_pkwt", "l_wni_outsourced"],
        ["l_wna_pkwtt", "l_wna_pkwt", "l_wna_outsourced"],
    ],
    [
        ["p_wni_pkwtt", "p_wni_pkwt", "p_wni_outsourced"],
        ["p_wna_pkwtt", "p_wna_pkwt", "p_wna_outsourced"],
    ],
];

/// One field per education level, in the order of `EducationLevel::ALL`.
pub const EDUCATION_FIELDS: [&str; 13] = [
    "edu_0", "edu_1", "edu_2", "edu_3", "edu_4", "edu_5", "edu_6", "edu_7", "edu_8", "edu_9",
    "edu_10", "edu_11", "edu_12",
];

/// The five age groups of the IPK forms (DOMAIN.md §2): 15-19, 20-29, 30-44, 45-54, 55+.
pub const AGE_FIELDS: [&str; 5] = [
    "age_15_19",
    "age_20_29",
    "age_30_44",
    "age_45_54",
    "age_55_plus",
];
pub const AGE_LABELS: [&str; 5] = ["15–19", "20–29", "30–44", "45–54", "55+"];

/// The other counts, each at most the total headcount.
pub const PART_FIELDS: [&str; 3] = ["disabled", "bpjs_tk", "bpjs_kes"];

/// No company in Binjai comes near; a typo with extra digits does.
pub const MAX_COUNT: i32 = 1_000_000;

/// The headcount fields of the national WLKP lists (and of the `wlkp` data set), `[sex][citizenship][contract]` as `Figures::headcount`.
pub const NATIONAL_HEADCOUNT_FIELDS: [[[&str; 3]; 2]; 2] = [
    [
        ["l_wni_pkwtt", "l_wni_pkwt", "l_wni_alih_daya"],
        ["l_wna_pkwtt", "l_wna_pkwt", "l_wna_alih_daya"],
    ],
    [
        ["p_wni_pkwtt", "p_wni_pkwt", "p_wni_alih_daya"],
        ["p_wna_pkwtt", "p_wna_pkwt", "p_wna_alih_daya"],
    ],
];

/// One column per education level, in the order of `EducationLevel::ALL`.
pub const NATIONAL_EDUCATION_FIELDS: [&str; 13] = [
    "pend_tidak_sekolah",
    "pend_tidak_tamat_sd",
    "pend_sd",
    "pend_smp",
    "pend_sma",
    "pend_smk",
    "pend_d1",
    "pend_d2",
    "pend_d3",
    "pend_d4",
    "pend_s1",
    "pend_s2",
    "pend_s3",
];

/// The five IPK age groups, as `Figures::ages`.
pub const NATIONAL_AGE_FIELDS: [&str; 5] = [
    "usia_15_19",
    "usia_20_29",
    "usia_30_44",
    "usia_45_54",
    "usia_55_keatas",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    /// `[sex][citizenship][contract]`, in the order of the constants above.
    pub headcount: [[[i32; 3]; 2]; 2],
    pub education: [i32; 13],
    pub ages: [i32; 5],
    pub disabled: i32,
    pub apprentices: i32,
    /// The lowest monthly wage paid; none when nobody is employed.
    pub lowest_wage: Option<Rupiah>,
    pub bpjs_tk: i32,
    pub bpjs_kes: i32,
}

impl Figures {
    pub fn total(&self) -> i32 {
        self.headcount.iter().flatten().flatten().sum()
    }

    pub fn education_total(&self) -> i32 {
        self.education.iter().sum()
    }

    pub fn age_total(&self) -> i32 {
        self.ages.iter().sum()
    }

    pub fn by_sex(&self, sex: usize) -> i32 {
        self.headcount[sex].iter().flatten().sum()
    }

    /// The education count of a level.
    pub fn education_of(&self, level: EducationLevel) -> i32 {
        self.education[usize::from(level.code().unsigned_abs())]
    }

    /// The rules that hold across fields: the three breakdowns agree, and the parts are
    /// no more than the whole. Each broken rule is a message under the field to correct.
    pub fn check_totals(&self, errors: &mut FieldErrors) {
        let total = self.total();
        if self.education_total() != total {
            errors.add("education_total", "wlkp.error.education_total");
        }
        if self.age_total() != total {
            errors.add("age_total", "wlkp.error.age_total");
        }
        for (field, value) in
            PART_FIELDS
                .into_iter()
                .zip([self.disabled, self.bpjs_tk, self.bpjs_kes])
        {
            if value > total {
                errors.add(field, "wlkp.error.more_than_total");
            }
        }
        if total > 0 && self.lowest_wage.is_none() {
            errors.add("lowest_wage", "wlkp.error.wage_required");
        }
    }

    /// The form's values for these figures.
    pub fn fields(&self) -> FigureFields {
        let mut values = HashMap::new();
        for (s, by_citizenship) in HEADCOUNT_FIELDS.iter().enumerate() {
            for (c, by_contract) in by_citizenship.iter().enumerate() {
                for (k, field) in by_contract.iter().enumerate() {
                    values.insert((*field).to_owned(), self.headcount[s][c][k].to_string());
                }
            }
        }
        for (field, value) in EDUCATION_FIELDS.iter().zip(self.education) {
            values.insert((*field).to_owned(), value.to_string());
        }
        for (field, value) in AGE_FIELDS.iter().zip(self.ages) {
            values.insert((*field).to_owned(), value.to_string());
        }
        for (field, value) in [
            ("disabled", self.disabled),
            ("apprentices", self.apprentices),
            ("bpjs_tk", self.bpjs_tk),
            ("bpjs_kes", self.bpjs_kes),
        ] {
            values.insert(field.to_owned(), value.to_string());
        }
        values.insert(
            "lowest_wage".to_owned(),
            self.lowest_wage.map(|w| w.to_string()).unwrap_or_default(),
        );
        FigureFields { values }
    }
}

/// The figures as typed, by field name.
#[derive(Debug, Clone, Default)]
pub struct FigureFields {
    values: HashMap<String, String>,
}

impl FigureFields {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        Self {
            values: pairs.iter().cloned().collect(),
        }
    }

    /// What was typed in a field, for the form.
    pub fn get(&self, field: &str) -> &str {
        self.values.get(field).map(String::as_str).unwrap_or("")
    }

    /// A count: empty is zero; anything else must be a whole number from 0.
    fn count(&self, field: &'static str, errors: &mut FieldErrors) -> i32 {
        let raw = self.get(field).trim();
        if raw.is_empty() {
            return 0;
        }
        // "1.200" is how twelve hundred is written here; "1.5" is not a headcount.
        let grouped = raw.split('.').skip(1).all(|group| group.len() == 3);
        let digits: String = raw.chars().filter(|c| *c != '.').collect();
        match digits.parse::<i32>() {
            Ok(n) if grouped && (0..=MAX_COUNT).contains(&n) => n,
            _ => {
                errors.add(field, "wlkp.error.count");
                0
            }
        }
    }

    /// Checks every field and the totals; the figures when all is well.
    pub fn check(&self, errors: &mut FieldErrors) -> Option<Figures> {
        let before = errors.is_empty();
        let mut figures = Figures::default();
        for (s, by_citizenship) in HEADCOUNT_FIELDS.iter().enumerate() {
            for (c, by_contract) in by_citizenship.iter().enumerate() {
                for (k, field) in by_contract.iter().enumerate() {
                    figures.headcount[s][c][k] = self.count(field, errors);
                }
            }
        }
        for (i, field) in EDUCATION_FIELDS.iter().enumerate() {
            figures.education[i] = self.count(field, errors);
        }
        for (i, field) in AGE_FIELDS.iter().enumerate() {
            figures.ages[i] = self.count(field, errors);
        }
        figures.disabled = self.count("disabled", errors);
        figures.apprentices = self.count("apprentices", errors);
        figures.bpjs_tk = self.count("bpjs_tk", errors);
        figures.bpjs_kes = self.count("bpjs_kes", errors);
        let wage = self.get("lowest_wage").trim();
        if !wage.is_empty() {
            match Rupiah::parse(wage) {
                Ok(w) => figures.lowest_wage = Some(w),
                Err(_) => errors.add("lowest_wage", "wlkp.error.wage"),
            }
        }
        // Totals only mean something once every count was read.
        if errors.is_empty() {
            figures.check_totals(errors);
        }
        (before && errors.is_empty()).then_some(figures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> FigureFields {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        FigureFields::from_pairs(&pairs)
    }

    #[test]
    fn breakdowns_that_agree_are_taken() {
        let f = fields(&[
            ("l_wni_pkwtt", "3"),
            ("p_wni_pkwt", "2"),
            ("edu_4", "4"),
            ("edu_10", "1"),
            ("age_20_29", "5"),
            ("lowest_wage", "Rp 2.900.000"),
            ("bpjs_tk", "5"),
        ]);
        let mut errors = FieldErrors::default();
        let figures = f.check(&mut errors).expect("valid");
        assert_eq!(figures.total(), 5);
        assert_eq!(figures.by_sex(1), 2);
        assert_eq!(figures.lowest_wage.map(Rupiah::amount), Some(2_900_000));
        // And back to the form as it was read.
        assert_eq!(figures.fields().get("edu_10"), "1");
    }

    #[test]
    fn disagreeing_totals_and_bad_numbers_are_named_by_field() {
        let mut errors = FieldErrors::default();
        let f = fields(&[("l_wni_pkwtt", "3"), ("edu_4", "2"), ("age_20_29", "3")]);
        assert!(f.check(&mut errors).is_none());
        assert_eq!(
            errors.get("education_total"),
            Some("wlkp.error.education_total")
        );
        assert_eq!(errors.get("age_total"), None);
        assert_eq!(errors.get("lowest_wage"), Some("wlkp.error.wage_required"));

        let mut errors = FieldErrors::default();
        let f = fields(&[
            ("l_wni_pkwtt", "-1"),
            ("p_wna_pkwt", "dua"),
            ("disabled", "1.5"),
        ]);
        assert!(f.check(&mut errors).is_none());
        assert_eq!(errors.get("l_wni_pkwtt"), Some("wlkp.error.count"));
        assert_eq!(errors.get("p_wna_pkwt"), Some("wlkp.error.count"));
        assert_eq!(errors.get("disabled"), Some("wlkp.error.count"));
        let mut errors = FieldErrors::default();
        assert_eq!(fields(&[]).count("edu_0", &mut errors), 0);
        assert_eq!(
            fields(&[("edu_0", "1.200")]).count("edu_0", &mut errors),
            1200
        );
        assert!(errors.is_empty());
    }
}
