//! The job seeker's profile form (the AK/I registration form) and its checks. The NIK must be
//! structurally valid and agree with the declared birth date and sex; each mistake has its
//! own message.

use crate::domain::ids::JobTitleId;
use chrono::NaiveDate;
use serde::Deserialize;

use super::model::{MaritalStatus, Profile, Religion};
use crate::domain::{Nik, Phone, Rupiah, Sex};
use crate::reference::education::EducationLevel;
use crate::reference::regions;
use crate::web::forms::{FieldErrors, check_full_name, check_line, check_lines};

/// The location field's value for an address outside Binjai (then a regency is named).
pub const OUTSIDE_BINJAI: &str = "luar";

#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProfileForm {
    pub full_name: String,
    pub phone: String,
    pub nik: String,
    pub sex: String,
    pub birth_place: String,
    pub birth_date: String,
    pub marital_status: String,
    pub religion: String,
    pub address: String,
    pub location: String,
    pub regency_code: String,
    pub education_level: String,
    pub field_of_study: String,
    pub skills: String,
    pub desired_job_title_id: String,
    pub desired_wage: String,
    pub disability: String,
}

impl ProfileForm {
    pub fn of(full_name: &str, phone: Option<&str>, p: Option<&Profile>) -> Self {
        let text = |v: Option<&String>| v.cloned().unwrap_or_default();
        let Some(p) = p else {
            return Self {
                full_name: full_name.to_owned(),
                phone: phone.unwrap_or_default().to_owned(),
                ..Self::default()
            };
        };
        Self {
            full_name: full_name.to_owned(),
            phone: phone.unwrap_or_default().to_owned(),
            nik: p
                .nik_claim
                .as_ref()
                .or(p.nik.as_ref())
                .map(Nik::to_string)
                .unwrap_or_default(),
            sex: p.sex.map(|s| s.code().to_owned()).unwrap_or_default(),
            birth_place: text(p.birth_place.as_ref()),
            birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            marital_status: p
                .marital_status
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
            religion: p
                .religion
                .map(|r| r.as_str().to_owned())
                .unwrap_or_default(),
            address: text(p.address.as_ref()),
            location: match (&p.kelurahan_code, &p.regency_code) {
                (Some(kel), _) => kel.clone(),
                (None, Some(_)) => OUTSIDE_BINJAI.to_owned(),
                (None, None) => String::new(),
            },
            regency_code: match (&p.kelurahan_code, &p.regency_code) {
                (None, Some(r)) => r.clone(),
                _ => String::new(),
            },
            education_level: p.education_level.map(|e| e.to_string()).unwrap_or_default(),
            field_of_study: text(p.field_of_study.as_ref()),
            skills: p.skills.clone(),
            desired_job_title_id: p
                .desired_job_title_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            desired_wage: p.desired_wage.map(|w| w.to_string()).unwrap_or_default(),
            disability: text(p.disability.as_ref()),
        }
    }
}

/// What a valid form saves. Everything but the name may still be missing: the profile is
/// completed step by step, and the completeness list says what is left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfile {
    pub full_name: String,
    pub phone: Option<Phone>,
    pub nik: Option<Nik>,
    pub sex: Option<&'static str>,
    pub birth_place: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub marital_status: Option<&'static str>,
    pub religion: Option<&'static str>,
    pub address: Option<String>,
    pub kelurahan_code: Option<String>,
    pub regency_code: Option<String>,
    pub education_level: Option<i16>,
    pub field_of_study: Option<String>,
    pub skills: String,
    pub desired_job_title_id: Option<JobTitleId>,
    pub desired_wage: Option<Rupiah>,
    pub disability: Option<String>,
}

/// An optional text of at most `max` characters; empty is none.
pub(super) fn optional(
    raw: &str,
    max: usize,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<String> {
    let t = raw.trim();
    if !check_line(errors, field, t) {
        return None;
    }
    if t.chars().count() > max {
        errors.add(field, "seeker.error.too_long");
        return None;
    }
    Some(t.to_owned()).filter(|t| !t.is_empty())
}

/// As [`optional`], for a multi-line field (line breaks kept).
fn optional_lines(
    raw: &str,
    max: usize,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<String> {
    let t = raw.trim();
    if !check_lines(errors, field, t) {
        return None;
    }
    if t.chars().count() > max {
        errors.add(field, "seeker.error.too_long");
        return None;
    }
    Some(t.to_owned()).filter(|t| !t.is_empty())
}

/// Checks the form. `today` bounds the birth date; `job_title_exists` says whether an id
/// names a stored KBJI job title.
pub fn validate(
    form: &ProfileForm,
    today: NaiveDate,
    job_title_exists: impl Fn(JobTitleId) -> bool,
    errors: &mut FieldErrors,
) -> Option<ValidProfile> {
    let full_name = check_full_name(errors, &form.full_name);
    let phone = match form.phone.trim() {
        "" => None,
        raw => {
            let phone = Phone::parse(raw);
            if phone.is_err() {
                errors.add("phone", "signup.error.phone");
            }
            phone.ok()
        }
    };
    let sex = match form.sex.as_str() {
        "" => None,
        "L" => Some(Sex::Male),
        "P" => Some(Sex::Female),
        _ => {
            errors.add("sex", "seeker.error.sex");
            None
        }
    };
    let birth_date = match form.birth_date.trim() {
        "" => None,
        raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) if d > today => {
                errors.add("birth_date", "seeker.error.birth_future");
                None
            }
            // Work from 15 (BPS's working age); nobody on the register is 100 or more.
            Ok(d) if d > today - chrono::Months::new(15 * 12) => {
                errors.add("birth_date", "seeker.error.too_young");
                None
            }
            Ok(d) if d < today - chrono::Months::new(100 * 12) => {
                errors.add("birth_date", "seeker.error.birth_date");
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.add("birth_date", "seeker.error.birth_date");
                None
            }
        },
    };
    let nik = match form.nik.trim() {
        "" => None,
        raw => match Nik::parse(raw) {
            Err(e) => {
                errors.add("nik", e.message_key());
                None
            }
            Ok(nik) => {
                // The NIK carries the birth date (day + 40 for women); it must agree with
                // what the form says, or one of them was mistyped.
                match (birth_date, sex) {
                    (Some(date), Some(sex)) if !nik.agrees_with(date, sex) => {
                        let key = if nik.sex() != sex {
                            "seeker.error.nik_sex"
                        } else {
                            "seeker.error.nik_birth_date"
                        };
                        errors.add("nik", key);
                        None
                    }
                    (None, _) | (_, None) => {
                        errors.add("nik", "seeker.error.nik_needs_birth");
                        None
                    }
                    _ => Some(nik),
                }
            }
        },
    };
    let marital_status = match form.marital_status.as_str() {
        "" => None,
        raw => {
            let status = MaritalStatus::parse(raw).map(MaritalStatus::as_str);
            if status.is_none() {
                errors.add("marital_status", "seeker.error.choice");
            }
            status
        }
    };
    let religion = match form.religion.as_str() {
        "" => None,
        raw => {
            let religion = Religion::parse(raw).map(Religion::as_str);
            if religion.is_none() {
                errors.add("religion", "seeker.error.choice");
            }
            religion
        }
    };
    let (kelurahan_code, regency_code) = match form.location.trim() {
        "" => (None, None),
        OUTSIDE_BINJAI => match regions::get(form.regency_code.trim())
            .filter(|r| r.code.len() == 5 && r.code != regions::BINJAI_CODE)
        {
            Some(regency) => (None, Some(regency.code.to_owned())),
            None => {
                errors.add("regency_code", "company.error.regency");
                (None, None)
            }
        },
        code => match regions::binjai_kelurahan_by_code(code) {
            Some(kel) => (
                Some(kel.code.to_owned()),
                Some(regions::BINJAI_CODE.to_owned()),
            ),
            None => {
                errors.add("location", "company.error.location");
                (None, None)
            }
        },
    };
    let education_level = match form.education_level.trim() {
        "" => None,
        raw => {
            let level = raw
                .parse::<i16>()
                .ok()
                .and_then(EducationLevel::from_code)
                .map(EducationLevel::code);
            if level.is_none() {
                errors.add("education_level", "seeker.error.choice");
            }
            level
        }
    };
    let desired_job_title_id = match form.desired_job_title_id.trim() {
        "" => None,
        raw => {
            let id = raw
                .parse::<JobTitleId>()
                .ok()
                .filter(|id| job_title_exists(*id));
            if id.is_none() {
                errors.add("desired_job_title_id", "seeker.error.choice");
            }
            id
        }
    };
    let desired_wage = match form.desired_wage.trim() {
        "" => None,
        raw => {
            let wage = Rupiah::parse(raw);
            if wage.is_err() {
                errors.add("desired_wage", "vacancy.error.wage");
            }
            wage.ok()
        }
    };
    let birth_place = optional(&form.birth_place, 100, "birth_place", errors);
    let address = optional_lines(&form.address, 300, "address", errors);
    let field_of_study = optional(&form.field_of_study, 100, "field_of_study", errors);
    let skills = optional_lines(&form.skills, 1000, "skills", errors).unwrap_or_default();
    let disability = optional(&form.disability, 200, "disability", errors);
    if !errors.is_empty() {
        return None;
    }
    Some(ValidProfile {
        full_name,
        phone,
        nik,
        sex: sex.map(Sex::code),
        birth_place,
        birth_date,
        marital_status,
        religion,
        address,
        kelurahan_code,
        regency_code,
        education_level,
        field_of_study,
        skills,
        desired_job_title_id,
        desired_wage,
        disability,
    })
}

/// The three parts of the registration form, each on its own page of the task list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Identity,
    Contact,
    Work,
}

impl Part {
    pub const ALL: [Self; 3] = [Self::Identity, Self::Contact, Self::Work];

    /// The part's page under the profile's address.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Identity => "data-diri",
            Self::Contact => "alamat-kontak",
            Self::Work => "pendidikan-pekerjaan",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.slug() == slug)
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Self::Identity => "seeker.section.identity",
            Self::Contact => "seeker.section.contact",
            Self::Work => "seeker.section.work",
        }
    }

    /// Copies this part's fields from a posted page onto the whole form, so that saving one
    /// page keeps what the other pages hold. A field the page did not send is emptied, as a
    /// browser sends no unchosen radio button.
    pub fn take(self, into: &mut ProfileForm, posted: ProfileForm) {
        match self {
            Self::Identity => {
                into.full_name = posted.full_name;
                into.nik = posted.nik;
                into.sex = posted.sex;
                into.birth_place = posted.birth_place;
                into.birth_date = posted.birth_date;
                into.marital_status = posted.marital_status;
                into.religion = posted.religion;
            }
            Self::Contact => {
                into.phone = posted.phone;
                into.location = posted.location;
                into.regency_code = posted.regency_code;
                into.address = posted.address;
            }
            Self::Work => {
                into.education_level = posted.education_level;
                into.field_of_study = posted.field_of_study;
                into.skills = posted.skills;
                into.desired_job_title_id = posted.desired_job_title_id;
                into.desired_wage = posted.desired_wage;
                into.disability = posted.disability;
            }
        }
    }
}

/// What the AK/I card and the job-seeker register need, as translation keys of the field
/// labels, each with its part and whether the profile has it.
fn checklist(p: Option<&Profile>, phone: Option<&str>) -> [(Part, &'static str, bool); PARTS] {
    let has = |f: fn(&Profile) -> bool| p.is_some_and(f);
    [
        // A claimed NIK counts: the person typing learns nothing from the form, and the
        // counter settles the claim before any card is issued.
        (
            Part::Identity,
            "field.nik",
            has(|p| p.nik.is_some() || p.nik_claim.is_some()),
        ),
        (Part::Identity, "field.sex", has(|p| p.sex.is_some())),
        (
            Part::Identity,
            "field.birth_place",
            has(|p| p.birth_place.is_some()),
        ),
        (
            Part::Identity,
            "field.birth_date",
            has(|p| p.birth_date.is_some()),
        ),
        (
            Part::Identity,
            "field.marital_status",
            has(|p| p.marital_status.is_some()),
        ),
        (
            Part::Identity,
            "field.religion",
            has(|p| p.religion.is_some()),
        ),
        (Part::Contact, "field.address", has(|p| p.address.is_some())),
        (
            Part::Contact,
            "seeker.field.domicile",
            has(|p| p.regency_code.is_some()),
        ),
        // The phone is on the account, so it counts before any profile exists.
        (
            Part::Contact,
            "field.phone",
            phone.is_some_and(|p| !p.is_empty()),
        ),
        (
            Part::Work,
            "field.education_level",
            has(|p| p.education_level.is_some()),
        ),
        (
            Part::Work,
            "field.skills",
            has(|p| !p.skills.trim().is_empty()),
        ),
        (
            Part::Work,
            "field.desired_job_title",
            has(|p| p.desired_job_title_id.is_some()),
        ),
    ]
}

/// The parts of the profile still missing, as translation keys of the field labels.
pub fn missing(p: Option<&Profile>, phone: Option<&str>) -> Vec<&'static str> {
    checklist(p, phone)
        .into_iter()
        .filter(|(_, _, present)| !present)
        .map(|(_, key, _)| key)
        .collect()
}

/// Of one part: what it needs, and what of that is still missing.
pub fn missing_in(
    part: Part,
    p: Option<&Profile>,
    phone: Option<&str>,
) -> (usize, Vec<&'static str>) {
    let fields: Vec<_> = checklist(p, phone)
        .into_iter()
        .filter(|(of, _, _)| *of == part)
        .collect();
    let missing = fields
        .iter()
        .filter(|(_, _, present)| !present)
        .map(|(_, key, _)| *key)
        .collect();
    (fields.len(), missing)
}

/// How many of the profile's parts there are, for "7 of 12".
pub const PARTS: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn form(nik: &str, birth: &str, sex: &str) -> ProfileForm {
        ProfileForm {
            full_name: "Siti Aisyah Lubis".into(),
            nik: nik.into(),
            birth_date: birth.into(),
            sex: sex.into(),
            location: "12.75.01.1008".into(),
            ..ProfileForm::default()
        }
    }

    fn nik_error(nik: &str, birth: &str, sex: &str) -> Option<&'static str> {
        let mut errors = FieldErrors::default();
        validate(&form(nik, birth, sex), today(), |_| true, &mut errors);
        errors.get("nik")
    }

    #[test]
    fn a_nik_that_agrees_is_kept() {
        let mut errors = FieldErrors::default();
        // Born 12 March 1998, a woman: day 12 + 40.
        let valid = validate(
            &form("1275015203980001", "1998-03-12", "P"),
            today(),
            |_| true,
            &mut errors,
        )
        .expect("valid");
        assert_eq!(valid.nik.as_deref(), Some("1275015203980001"));
        assert_eq!(valid.regency_code.as_deref(), Some("12.75"));
    }

    #[test]
    fn each_nik_mistake_has_its_own_message() {
        assert_eq!(
            nik_error("127501520398001", "1998-03-12", "P"),
            Some("nik.error.length")
        );
        assert_eq!(
            nik_error("12750152039800011", "1998-03-12", "P"),
            Some("nik.error.length")
        );
        assert_eq!(
            nik_error("1275017302980001", "1998-03-12", "P"),
            Some("nik.error.date"),
            "day 33 for a woman is 73: no such date"
        );
        assert_eq!(
            nik_error("1275015203980001", "1998-03-13", "P"),
            Some("seeker.error.nik_birth_date")
        );
        assert_eq!(
            nik_error("1275015203980001", "1998-03-12", "L"),
            Some("seeker.error.nik_sex")
        );
        assert_eq!(
            nik_error("1275015203980001", "", "P"),
            Some("seeker.error.nik_needs_birth")
        );
    }

    #[test]
    fn birth_dates_must_be_possible() {
        let mut errors = FieldErrors::default();
        let mut f = form("", "2027-01-01", "L");
        validate(&f, today(), |_| true, &mut errors);
        assert_eq!(errors.get("birth_date"), Some("seeker.error.birth_future"));
        let mut errors = FieldErrors::default();
        f.birth_date = "2015-01-01".into();
        validate(&f, today(), |_| true, &mut errors);
        assert_eq!(errors.get("birth_date"), Some("seeker.error.too_young"));
        let mut errors = FieldErrors::default();
        f.birth_date = "31/02/1999".into();
        validate(&f, today(), |_| true, &mut errors);
        assert_eq!(errors.get("birth_date"), Some("seeker.error.birth_date"));
    }

    #[test]
    fn an_empty_profile_lists_every_part() {
        assert_eq!(missing(None, None).len(), PARTS);
        let per_part: usize = Part::ALL
            .iter()
            .map(|part| missing_in(*part, None, None).1.len())
            .sum();
        assert_eq!(per_part, PARTS, "every field belongs to one page");
        // The phone lives on the account: it counts before the profile exists.
        let (needed, left) = missing_in(Part::Contact, None, Some("081260001234"));
        assert_eq!((needed, left.len()), (3, 2));
    }

    #[test]
    fn saving_one_page_keeps_the_others() {
        let mut stored = form("1275015203980001", "1998-03-12", "P");
        stored.skills = "Excel".into();
        let posted = ProfileForm {
            address: "Jl. Samanhudi 5".into(),
            // A field of another page, as a tampered form might send: ignored.
            skills: String::new(),
            ..ProfileForm::default()
        };
        Part::Contact.take(&mut stored, posted);
        assert_eq!(stored.address, "Jl. Samanhudi 5");
        assert_eq!(
            stored.location, "",
            "the contact page's own field, sent empty"
        );
        assert_eq!(stored.skills, "Excel");
        assert_eq!(stored.nik, "1275015203980001");
        for part in Part::ALL {
            assert_eq!(Part::parse(part.slug()), Some(part));
        }
    }
}
