//! The facts WLKP asks of a company beyond its identity (legal form, PMA/PMDN, BPJS
//! Ketenagakerjaan NPP, founding date, 5-digit KBLI codes): the form fields, their checks,
//! and what a report needs before it can be filed. All optional on the profile.

use chrono::NaiveDate;
use serde::Deserialize;

use super::kbli::{self, KbliCodes};
use super::{Company, InvestmentStatus, LegalForm};
use crate::domain::{KbliCode, Npp, calendar};
use crate::web::forms::{FieldErrors, check_line};

/// The fields as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct FactFields {
    pub legal_form: String,
    pub investment_status: String,
    pub npp: String,
    pub founded_on: String,
    pub kbli_primary: String,
    /// The other codes, separated by commas or spaces.
    pub kbli_others: String,
}

/// The fields, checked.
pub struct Facts {
    pub legal_form: Option<LegalForm>,
    pub investment_status: Option<InvestmentStatus>,
    pub npp: Option<Npp>,
    pub founded_on: Option<NaiveDate>,
    pub kbli: Option<KbliCodes>,
}

impl FactFields {
    pub fn of(company: &Company, codes: Option<&KbliCodes>) -> Self {
        Self {
            legal_form: company
                .legal_form
                .map(|f| f.as_str().to_owned())
                .unwrap_or_default(),
            investment_status: company
                .investment_status
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            npp: company.npp.as_deref().unwrap_or_default().to_owned(),
            founded_on: company
                .founded_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            kbli_primary: codes.map(|c| c.primary.to_string()).unwrap_or_default(),
            kbli_others: codes
                .map(|c| {
                    c.others
                        .iter()
                        .map(KbliCode::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        }
    }

    fn given(raw: &str) -> Option<&str> {
        Some(raw.trim()).filter(|s| !s.is_empty())
    }

    /// Checks the fields; a mistake goes to `errors` under the field's name.
    pub fn check(&self, errors: &mut FieldErrors) -> Facts {
        let legal_form = Self::given(&self.legal_form).and_then(|raw| {
            let parsed = LegalForm::parse(raw);
            if parsed.is_none() {
                errors.add("legal_form", "company.error.legal_form");
            }
            parsed
        });
        let investment_status = Self::given(&self.investment_status).and_then(|raw| {
            let parsed = InvestmentStatus::parse(raw);
            if parsed.is_none() {
                errors.add("investment_status", "company.error.investment_status");
            }
            parsed
        });
        let npp = Self::given(&self.npp).and_then(|raw| {
            check_line(errors, "npp", raw);
            let parsed = Npp::parse(raw).ok();
            if parsed.is_none() {
                errors.add("npp", "company.error.npp");
            }
            parsed
        });
        let founded_on = Self::given(&self.founded_on).and_then(|raw| {
            match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(date) if date <= calendar::today() => Some(date),
                Ok(_) => {
                    errors.add("founded_on", "company.error.founded_future");
                    None
                }
                Err(_) => {
                    errors.add("founded_on", "company.error.founded_on");
                    None
                }
            }
        });
        let kbli = self.check_kbli(errors);
        Facts {
            legal_form,
            investment_status,
            npp,
            founded_on,
            kbli,
        }
    }

    fn check_kbli(&self, errors: &mut FieldErrors) -> Option<KbliCodes> {
        let primary_raw = self.kbli_primary.trim();
        let others_raw: Vec<&str> = self
            .kbli_others
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .collect();
        if primary_raw.is_empty() {
            if !others_raw.is_empty() {
                errors.add("kbli_primary", "company.error.kbli_primary_missing");
            }
            return None;
        }
        let Some(primary) = kbli::parse_kelompok(primary_raw) else {
            errors.add("kbli_primary", "company.error.kbli_kelompok");
            return None;
        };
        let mut others: Vec<KbliCode> = Vec::new();
        for raw in others_raw {
            match kbli::parse_kelompok(raw) {
                Some(code) if code != primary && !others.contains(&code) => others.push(code),
                Some(_) => {}
                None => {
                    errors.add("kbli_others", "company.error.kbli_kelompok");
                    return None;
                }
            }
        }
        if others.len() > 20 {
            errors.add("kbli_others", "company.error.kbli_too_many");
            return None;
        }
        Some(KbliCodes { primary, others })
    }
}

/// What a company must have on its profile before it files a WLKP report: the translation
/// keys of the missing facts, none when it may file.
pub fn missing_for_wlkp(company: &Company, codes: Option<&KbliCodes>) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if company.nib.is_none() {
        missing.push("field.nib");
    }
    if company.legal_form.is_none() {
        missing.push("field.legal_form");
    }
    if company.investment_status.is_none() {
        missing.push("field.investment_status");
    }
    if company.npp.is_none() {
        missing.push("field.npp");
    }
    if company.founded_on.is_none() {
        missing.push("field.founded_on");
    }
    if codes.is_none() {
        missing.push("field.kbli_primary");
    }
    missing
}
