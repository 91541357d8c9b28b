//! The company part of a form (sign-up and the company profile): fields, validation and
//! the choices offered, all from the reference data.

use serde::Deserialize;

use super::{parse_nib, parse_npwp};
use crate::domain::KbliCode;
use crate::reference::kbli;
use crate::reference::regions::{self, RegionLevel};
use crate::web::Lang;
use crate::web::forms::{FieldErrors, check_line, check_lines};

/// The value of the location field for a company outside Binjai.
pub const OUTSIDE_BINJAI: &str = "luar";

/// The company's identity and place, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CompanyFields {
    pub company_name: String,
    pub nib: String,
    pub npwp: String,
    pub kbli_section: String,
    /// A Binjai kelurahan code, or [`OUTSIDE_BINJAI`].
    pub location: String,
    pub regency_code: String,
    pub address: String,
}

impl CompanyFields {
    pub fn outside_binjai(&self) -> bool {
        self.location == OUTSIDE_BINJAI
    }

    /// The fields of a stored company, to fill the profile form.
    pub fn of(company: &super::Company) -> Self {
        Self {
            company_name: company.name.clone(),
            nib: company.nib.clone().unwrap_or_default(),
            npwp: company.npwp.clone().unwrap_or_default(),
            kbli_section: company.kbli_section.to_string(),
            location: company
                .kelurahan_code
                .clone()
                .unwrap_or_else(|| OUTSIDE_BINJAI.to_owned()),
            regency_code: if company.regency_code == regions::BINJAI_CODE {
                String::new()
            } else {
                company.regency_code.clone()
            },
            address: company.address.clone(),
        }
    }
}

pub struct ValidCompany {
    pub name: String,
    pub nib: String,
    pub npwp: Option<String>,
    pub kbli_section: KbliCode,
    pub kelurahan_code: Option<&'static str>,
    pub regency_code: &'static str,
    pub address: String,
}

pub fn validate_company(form: &CompanyFields, errors: &mut FieldErrors) -> Option<ValidCompany> {
    let name = form.company_name.trim();
    if check_line(errors, "company_name", name) && !(2..=150).contains(&name.chars().count()) {
        errors.add("company_name", "company.error.name");
    }
    let nib = parse_nib(&form.nib);
    if nib.is_none() {
        errors.add("nib", "company.error.nib");
    }
    let npwp = if form.npwp.trim().is_empty() {
        None
    } else {
        let parsed = parse_npwp(&form.npwp);
        if parsed.is_none() {
            errors.add("npwp", "company.error.npwp");
        }
        parsed
    };
    // A section of the list, which the form offers; a code of any other shape or depth is
    // not taken yet.
    let section = kbli::section(form.kbli_section.trim())
        .and_then(|section| KbliCode::parse(section.code).ok());
    if section.is_none() {
        errors.add("kbli_section", "company.error.kbli");
    }
    let (kelurahan_code, regency_code) = crate::employers::forms::check_place(
        &form.location,
        &form.regency_code,
        "company.error.location",
        errors,
    );
    let address = form.address.trim();
    if check_lines(errors, "address", address) && !(5..=300).contains(&address.chars().count()) {
        errors.add("address", "company.error.address");
    }
    Some(ValidCompany {
        name: name.to_owned(),
        nib: nib?,
        npwp,
        kbli_section: section?,
        kelurahan_code,
        regency_code: regency_code?,
        address: address.to_owned(),
    })
}

/// Where something is: a Binjai kelurahan, or (with [`OUTSIDE_BINJAI`] as the location) a
/// regency elsewhere in Indonesia. Returns the kelurahan, if in Binjai, and the regency;
/// a mistake is added to `errors` under `location` (with `location_error`) or
/// `regency_code`.
pub fn check_place(
    location: &str,
    regency_code: &str,
    location_error: &'static str,
    errors: &mut FieldErrors,
) -> (Option<&'static str>, Option<&'static str>) {
    if location.trim() == OUTSIDE_BINJAI {
        match regions::get(regency_code.trim())
            .filter(|r| r.level == RegionLevel::Regency && r.code != regions::BINJAI_CODE)
        {
            Some(regency) => (None, Some(regency.code)),
            None => {
                errors.add("regency_code", "company.error.regency");
                (None, None)
            }
        }
    } else {
        match regions::binjai_kelurahan_by_code(location.trim()) {
            Some(kelurahan) => (Some(kelurahan.code), Some(regions::BINJAI_CODE)),
            None => {
                errors.add("location", location_error);
                (None, None)
            }
        }
    }
}

pub struct Choice {
    pub code: String,
    pub name: String,
}

pub struct ChoiceGroup {
    pub label: &'static str,
    pub choices: Vec<Choice>,
}

/// Binjai's kelurahan, grouped by kecamatan, for a select list.
pub fn kelurahan_groups() -> Vec<ChoiceGroup> {
    regions::binjai_kecamatan()
        .map(|kec| ChoiceGroup {
            label: kec.name,
            choices: regions::children(kec.code)
                .map(|k| Choice {
                    code: k.code.to_owned(),
                    name: k.name.to_owned(),
                })
                .collect(),
        })
        .collect()
}

/// What the company fields offer to choose from.
pub struct CompanyChoices {
    pub sections: Vec<Choice>,
    pub kelurahan: Vec<ChoiceGroup>,
    pub regencies: Vec<ChoiceGroup>,
}

impl CompanyChoices {
    pub fn new(lang: Lang) -> Self {
        let english = lang == Lang::En;
        let sections = kbli::SECTIONS
            .iter()
            .map(|s| Choice {
                code: s.code.to_owned(),
                name: format!("{} {}", s.code, if english { s.name_en } else { s.name_id }),
            })
            .collect();
        let kelurahan = kelurahan_groups();
        let regencies = regions::provinces()
            .map(|p| ChoiceGroup {
                label: p.name,
                choices: regions::children(p.code)
                    .filter(|r| r.code != regions::BINJAI_CODE)
                    .map(|r| Choice {
                        code: r.code.to_owned(),
                        name: r.name.to_owned(),
                    })
                    .collect(),
            })
            .collect();
        Self {
            sections,
            kelurahan,
            regencies,
        }
    }
}
