//! The vacancy form: what the employer types, checked into a [`VacancyContent`].

use crate::domain::ids::JobTitleId;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::{EmploymentType, Vacancy, VacancyContent};
use crate::domain::{KbjiCode, Rupiah};
use crate::employers::forms::OUTSIDE_BINJAI;
use crate::reference::education::EducationLevel;
use crate::reference::regions;
use crate::web::forms::{FieldErrors, check_line, check_lines};

/// The youngest and oldest ages a vacancy may ask for: working age, and the SE Menaker
/// M/6/HK.04/V/2025 asks that any limit be justified.
const AGE_RANGE: std::ops::RangeInclusive<i16> = 15..=70;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct VacancyForm {
    pub title: String,
    pub job_title_id: String,
    pub description: String,
    pub requirements: String,
    pub education_min: String,
    pub field_of_study: String,
    pub experience_months: String,
    pub skills: String,
    pub employment_type: String,
    pub location: String,
    pub regency_code: String,
    pub wage_min: String,
    pub wage_max: String,
    /// A checkbox: "on" when the wage may be shown.
    pub show_wage: String,
    pub quota_male: String,
    pub quota_female: String,
    pub quota_any: String,
    pub disability_friendly: String,
    pub age_min: String,
    pub age_max: String,
    pub age_reason: String,
    pub opens_on: String,
    pub closes_on: String,
    /// Which button was pressed: "draft" saves, "submit" sends it to the verifiers.
    pub action: String,
}

impl VacancyForm {
    /// A new vacancy's form: located where the company is, open from today for a month.
    pub fn new_for(
        company_kelurahan: Option<&str>,
        company_regency: &str,
        today: NaiveDate,
    ) -> Self {
        Self {
            location: company_kelurahan
                .map(str::to_owned)
                .unwrap_or_else(|| OUTSIDE_BINJAI.to_owned()),
            regency_code: if company_regency == regions::BINJAI_CODE {
                String::new()
            } else {
                company_regency.to_owned()
            },
            show_wage: "on".into(),
            quota_any: "1".into(),
            experience_months: "0".into(),
            education_min: EducationLevel::SeniorSecondary.code().to_string(),
            employment_type: EmploymentType::Pkwt.as_str().into(),
            opens_on: today.to_string(),
            closes_on: (today + Duration::days(30)).to_string(),
            ..Self::default()
        }
    }

    pub fn of(v: &Vacancy) -> Self {
        let opt = |n: Option<Rupiah>| n.map(|n| n.to_string()).unwrap_or_default();
        Self {
            title: v.title.clone(),
            job_title_id: v.job_title_id.map(|i| i.to_string()).unwrap_or_default(),
            description: v.description.clone(),
            requirements: v.requirements.clone(),
            education_min: v.education_min.to_string(),
            field_of_study: v.field_of_study.clone().unwrap_or_default(),
            experience_months: v.experience_months.to_string(),
            skills: v.skills.clone(),
            employment_type: v.employment_type.as_str().to_owned(),
            location: v
                .kelurahan_code
                .clone()
                .unwrap_or_else(|| OUTSIDE_BINJAI.to_owned()),
            regency_code: if v.regency_code == regions::BINJAI_CODE {
                String::new()
            } else {
                v.regency_code.clone()
            },
            wage_min: opt(v.wage_min),
            wage_max: opt(v.wage_max),
            show_wage: if v.show_wage {
                "on".into()
            } else {
                String::new()
            },
            quota_male: v.quota_male.to_string(),
            quota_female: v.quota_female.to_string(),
            quota_any: v.quota_any.to_string(),
            disability_friendly: if v.disability_friendly {
                "on".into()
            } else {
                String::new()
            },
            age_min: v.age_min.map(|a| a.to_string()).unwrap_or_default(),
            age_max: v.age_max.map(|a| a.to_string()).unwrap_or_default(),
            age_reason: v.age_reason.clone().unwrap_or_default(),
            opens_on: v.opens_on.to_string(),
            closes_on: v.closes_on.to_string(),
            action: String::new(),
        }
    }

    pub fn outside_binjai(&self) -> bool {
        self.location == OUTSIDE_BINJAI
    }

    pub fn submits(&self) -> bool {
        self.action == "submit"
    }
}

fn parse_count(raw: &str, max: i32) -> Option<i32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(0);
    }
    raw.parse::<i32>().ok().filter(|n| (0..=max).contains(n))
}

fn text(raw: &str, range: std::ops::RangeInclusive<usize>) -> Option<String> {
    let t = raw.trim();
    range.contains(&t.chars().count()).then(|| t.to_owned())
}

/// Checks everything that needs no database. The job title is looked up by the caller,
/// which passes its KBJI code in (`None` when the chosen title is not stored).
pub fn validate(
    form: &VacancyForm,
    today: NaiveDate,
    kbji_code: Option<KbjiCode>,
    errors: &mut FieldErrors,
) -> Option<VacancyContent> {
    // First, so that a hidden character is the error shown for its field.
    check_line(errors, "title", form.title.trim());
    check_lines(errors, "description", form.description.trim());
    check_lines(errors, "requirements", form.requirements.trim());
    check_line(errors, "field_of_study", form.field_of_study.trim());
    check_line(errors, "skills", form.skills.trim());
    check_lines(errors, "age_reason", form.age_reason.trim());
    let title = text(&form.title, 3..=150);
    if title.is_none() {
        errors.add("title", "vacancy.error.title");
    }
    let job_title_id = form.job_title_id.trim().parse::<JobTitleId>().ok();
    if job_title_id.is_none() || kbji_code.is_none() {
        errors.add("job_title_id", "vacancy.error.job_title");
    }
    let description = text(&form.description, 20..=10_000);
    if description.is_none() {
        errors.add("description", "vacancy.error.description");
    }
    let requirements = text(&form.requirements, 10..=5_000);
    if requirements.is_none() {
        errors.add("requirements", "vacancy.error.requirements");
    }
    let education = form
        .education_min
        .trim()
        .parse::<i16>()
        .ok()
        .and_then(EducationLevel::from_code);
    if education.is_none() {
        errors.add("education_min", "vacancy.error.education");
    }
    let field_of_study = form.field_of_study.trim();
    if field_of_study.chars().count() > 150 {
        errors.add("field_of_study", "vacancy.error.field_of_study");
    }
    let experience = parse_count(&form.experience_months, 600);
    if experience.is_none() {
        errors.add("experience_months", "vacancy.error.experience");
    }
    let skills = form.skills.trim();
    if skills.chars().count() > 500 {
        errors.add("skills", "vacancy.error.skills");
    }
    let employment_type = EmploymentType::parse(form.employment_type.trim());
    if employment_type.is_none() {
        errors.add("employment_type", "vacancy.error.employment_type");
    }
    let (kelurahan_code, regency_code) = crate::employers::forms::check_place(
        &form.location,
        &form.regency_code,
        "vacancy.error.location",
        errors,
    );
    let wage = |raw: &str, field: &'static str, errors: &mut FieldErrors| {
        if raw.trim().is_empty() {
            return None;
        }
        let parsed = Rupiah::parse(raw);
        if parsed.is_err() {
            errors.add(field, "vacancy.error.wage");
        }
        parsed.ok()
    };
    let wage_min = wage(&form.wage_min, "wage_min", errors);
    let wage_max = wage(&form.wage_max, "wage_max", errors);
    if let (Some(min), Some(max)) = (wage_min, wage_max)
        && min > max
    {
        errors.add("wage_max", "vacancy.error.wage_order");
    }
    let quotas: Vec<Option<i32>> = [&form.quota_male, &form.quota_female, &form.quota_any]
        .iter()
        .map(|q| parse_count(q, 10_000))
        .collect();
    if quotas.iter().any(Option::is_none) {
        errors.add("quota", "vacancy.error.quota_number");
    } else if quotas.iter().flatten().sum::<i32>() < 1 {
        errors.add("quota", "vacancy.error.quota_total");
    }
    let age = |raw: &str| -> Result<Option<i16>, ()> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        raw.trim()
            .parse::<i16>()
            .ok()
            .filter(|a| AGE_RANGE.contains(a))
            .map(Some)
            .ok_or(())
    };
    let (age_min, age_max) = match (age(&form.age_min), age(&form.age_max)) {
        (Ok(min), Ok(max)) => {
            if let (Some(a), Some(b)) = (min, max)
                && a > b
            {
                errors.add("age_max", "vacancy.error.age_order");
            }
            (min, max)
        }
        _ => {
            errors.add("age_min", "vacancy.error.age");
            (None, None)
        }
    };
    let age_reason = form.age_reason.trim();
    if (age_min.is_some() || age_max.is_some()) && age_reason.chars().count() < 10 {
        errors.add("age_reason", "vacancy.error.age_reason");
    }
    let date = |raw: &str| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
    let opens_on = date(&form.opens_on);
    if opens_on.is_none() {
        errors.add("opens_on", "vacancy.error.date");
    }
    let closes_on = date(&form.closes_on);
    match (opens_on, closes_on) {
        (_, None) => errors.add("closes_on", "vacancy.error.date"),
        (Some(open), Some(close)) if close < open => {
            errors.add("closes_on", "vacancy.error.close_before_open")
        }
        (_, Some(close)) if close < today => errors.add("closes_on", "vacancy.error.close_past"),
        (Some(open), Some(close)) if close > open + Duration::days(366) => {
            errors.add("closes_on", "vacancy.error.close_far")
        }
        _ => {}
    }
    if !errors.is_empty() {
        return None;
    }
    Some(VacancyContent {
        title: title?,
        kbji_code: kbji_code?,
        job_title_id,
        description: description?,
        requirements: requirements?,
        education_min: education?.code(),
        field_of_study: Some(field_of_study.to_owned()).filter(|f| !f.is_empty()),
        experience_months: experience?,
        skills: skills.to_owned(),
        employment_type: employment_type?,
        kelurahan_code: kelurahan_code.map(str::to_owned),
        regency_code: regency_code?.to_owned(),
        wage_min,
        wage_max,
        show_wage: form.show_wage == "on",
        quota_male: quotas[0]?,
        quota_female: quotas[1]?,
        quota_any: quotas[2]?,
        disability_friendly: form.disability_friendly == "on",
        age_min,
        age_max,
        age_reason: Some(age_reason.to_owned())
            .filter(|r| !r.is_empty() && (age_min.is_some() || age_max.is_some())),
        opens_on: opens_on?,
        closes_on: closes_on?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> VacancyForm {
        VacancyForm {
            title: "Kasir Toko".into(),
            job_title_id: "12".into(),
            description: "Melayani pembayaran pelanggan di toko kami.".into(),
            requirements: "Jujur, teliti, dan ramah.".into(),
            education_min: "4".into(),
            experience_months: "0".into(),
            employment_type: "pkwt".into(),
            location: "12.75.02.1006".into(),
            wage_min: "Rp 3.000.000".into(),
            wage_max: "3.500.000".into(),
            show_wage: "on".into(),
            quota_female: "2".into(),
            opens_on: "2026-12-01".into(),
            closes_on: "2026-12-31".into(),
            ..VacancyForm::default()
        }
    }

    fn code() -> Option<KbjiCode> {
        KbjiCode::parse("5230").ok()
    }

    #[test]
    fn a_job_title_that_is_not_stored_is_named() {
        let mut errors = FieldErrors::default();
        assert!(validate(&good(), today(), None, &mut errors).is_none());
        assert_eq!(errors.get("job_title_id"), Some("vacancy.error.job_title"));
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn a_good_form_becomes_content() {
        let mut errors = FieldErrors::default();
        let content = validate(&good(), today(), code(), &mut errors).expect("valid");
        assert_eq!(content.wage_min.map(Rupiah::amount), Some(3_000_000));
        assert_eq!(content.wage_max.map(Rupiah::amount), Some(3_500_000));
        assert_eq!(content.kbji_code.as_str(), "5230");
        assert_eq!(content.quota_female, 2);
        assert_eq!(content.regency_code, "12.75");
        assert_eq!(content.age_reason, None);
    }

    #[test]
    fn an_age_limit_needs_a_reason() {
        let mut form = good();
        form.age_max = "35".into();
        let mut errors = FieldErrors::default();
        assert!(validate(&form, today(), code(), &mut errors).is_none());
        assert_eq!(errors.get("age_reason"), Some("vacancy.error.age_reason"));
        form.age_reason = "Pekerjaan mengangkat barang berat setiap hari.".into();
        let mut errors = FieldErrors::default();
        assert!(validate(&form, today(), code(), &mut errors).is_some());
    }

    #[test]
    fn wrong_numbers_and_dates_are_named() {
        let mut form = good();
        form.wage_min = "lima juta".into();
        form.quota_female = "0".into();
        form.closes_on = "2026-11-01".into();
        form.age_min = "12".into();
        let mut errors = FieldErrors::default();
        assert!(validate(&form, today(), code(), &mut errors).is_none());
        assert_eq!(errors.get("wage_min"), Some("vacancy.error.wage"));
        assert_eq!(errors.get("quota"), Some("vacancy.error.quota_total"));
        assert_eq!(
            errors.get("closes_on"),
            Some("vacancy.error.close_before_open")
        );
        assert_eq!(errors.get("age_min"), Some("vacancy.error.age"));
    }
}
