//! The rows of the AK/I form: education, training and certificates, work experience and
//! languages. Each is added with its own small form on the profile page and removed with a
//! button, so the page works without JavaScript.

use crate::domain::ids::{JobSeekerId, UserId};
use chrono::Datelike;
use diesel::prelude::*;
use serde::Deserialize;

use super::forms::optional;
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::reference::education::EducationLevel;
use crate::schema::{
    job_seeker_education as edu, job_seeker_experience as exp, job_seeker_languages as lang,
    job_seeker_training as trn, job_seekers,
};
use crate::web::forms::{FieldErrors, check_line};

/// The four kinds of rows, named in URLs as the form names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Education,
    Training,
    Experience,
    Language,
}

impl Section {
    pub const ALL: [Self; 4] = [
        Self::Education,
        Self::Training,
        Self::Experience,
        Self::Language,
    ];

    /// The section's page under the profile's address.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Education => "pendidikan",
            Self::Training => "pelatihan",
            Self::Experience => "pengalaman",
            Self::Language => "bahasa",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|section| section.slug() == s)
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Self::Education => "seeker.history.education",
            Self::Training => "seeker.history.training",
            Self::Experience => "seeker.history.experience",
            Self::Language => "seeker.history.languages",
        }
    }
}

choice!(
    LanguageLevel in "ref_language_level" {
        Basic => "basic", "seeker.language.basic",
        Working => "working", "seeker.language.working",
        Fluent => "fluent", "seeker.language.fluent",
    }
);

/// Every row form's fields; each section reads its own.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct RowForm {
    pub edu_level: String,
    pub edu_institution: String,
    pub edu_field: String,
    pub edu_year: String,
    pub edu_grade: String,
    pub trn_name: String,
    pub trn_provider: String,
    pub trn_year: String,
    pub trn_certificate: String,
    pub exp_employer: String,
    pub exp_position: String,
    pub exp_from: String,
    pub exp_to: String,
    pub lang_name: String,
    pub lang_level: String,
}

/// A checked row, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewRow {
    Education {
        level: i16,
        institution: String,
        field_of_study: Option<String>,
        year_completed: i16,
        grade: Option<String>,
    },
    Training {
        name: String,
        provider: String,
        year: i16,
        certificate: Option<String>,
    },
    Experience {
        employer: String,
        position: String,
        year_from: i16,
        year_to: Option<i16>,
    },
    Language {
        language: String,
        level: &'static str,
    },
}

fn required(raw: &str, max: usize, field: &'static str, errors: &mut FieldErrors) -> String {
    let t = raw.trim();
    if !check_line(errors, field, t) {
        // Refused beside the field already.
    } else if t.is_empty() {
        errors.add(field, "seeker.error.required");
    } else if t.chars().count() > max {
        errors.add(field, "seeker.error.too_long");
    }
    t.to_owned()
}

/// A year from 1950 to this year.
fn year(raw: &str, this_year: i16, field: &'static str, errors: &mut FieldErrors) -> i16 {
    match raw.trim().parse::<i16>() {
        Ok(y) if (1950..=this_year).contains(&y) => y,
        _ => {
            errors.add(field, "seeker.error.year");
            0
        }
    }
}

pub fn validate(
    section: Section,
    f: &RowForm,
    today: chrono::NaiveDate,
    errors: &mut FieldErrors,
) -> Option<NewRow> {
    let this_year = today.year() as i16;
    let row = match section {
        Section::Education => {
            let level = f
                .edu_level
                .trim()
                .parse::<i16>()
                .ok()
                .and_then(EducationLevel::from_code)
                .map(EducationLevel::code);
            if level.is_none() {
                errors.add("edu_level", "seeker.error.choice");
            }
            NewRow::Education {
                level: level.unwrap_or(0),
                institution: required(&f.edu_institution, 150, "edu_institution", errors),
                field_of_study: optional(&f.edu_field, 100, "edu_field", errors),
                year_completed: year(&f.edu_year, this_year, "edu_year", errors),
                grade: optional(&f.edu_grade, 20, "edu_grade", errors),
            }
        }
        Section::Training => NewRow::Training {
            name: required(&f.trn_name, 150, "trn_name", errors),
            provider: required(&f.trn_provider, 150, "trn_provider", errors),
            year: year(&f.trn_year, this_year, "trn_year", errors),
            certificate: optional(&f.trn_certificate, 100, "trn_certificate", errors),
        },
        Section::Experience => {
            let year_from = year(&f.exp_from, this_year, "exp_from", errors);
            // Empty: still working there.
            let year_to = match f.exp_to.trim() {
                "" => None,
                raw => {
                    let to = year(raw, this_year, "exp_to", errors);
                    if to != 0 && year_from != 0 && to < year_from {
                        errors.add("exp_to", "seeker.error.year_order");
                    }
                    Some(to)
                }
            };
            NewRow::Experience {
                employer: required(&f.exp_employer, 150, "exp_employer", errors),
                position: required(&f.exp_position, 100, "exp_position", errors),
                year_from,
                year_to,
            }
        }
        Section::Language => {
            let level = LanguageLevel::parse(&f.lang_level).map(LanguageLevel::as_str);
            if level.is_none() {
                errors.add("lang_level", "seeker.error.choice");
            }
            NewRow::Language {
                language: required(&f.lang_name, 50, "lang_name", errors),
                level: level.unwrap_or("basic"),
            }
        }
    };
    errors.is_empty().then_some(row)
}

/// The user's profile id, making an empty profile first if there is none: rows can be added
/// before the rest of the form is filled in.
pub fn ensure_profile(conn: &mut DbConnection, user_id: UserId) -> QueryResult<JobSeekerId> {
    if let Some(id) = job_seekers::table
        .filter(job_seekers::user_id.eq(user_id))
        .select(job_seekers::id)
        .first(conn)
        .optional()?
    {
        return Ok(id);
    }
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(job_seekers::table)
        .values((
            job_seekers::user_id.eq(user_id),
            job_seekers::created_at.eq(now),
            job_seekers::updated_at.eq(now),
        ))
        .returning(job_seekers::id)
        .get_result(conn)
}

pub fn add(conn: &mut DbConnection, seeker_id: JobSeekerId, row: &NewRow) -> QueryResult<()> {
    match row {
        NewRow::Education {
            level,
            institution,
            field_of_study,
            year_completed,
            grade,
        } => diesel::insert_into(edu::table)
            .values((
                edu::job_seeker_id.eq(seeker_id),
                edu::level.eq(level),
                edu::institution.eq(institution),
                edu::field_of_study.eq(field_of_study),
                edu::year_completed.eq(year_completed),
                edu::grade.eq(grade),
            ))
            .execute(conn),
        NewRow::Training {
            name,
            provider,
            year,
            certificate,
        } => diesel::insert_into(trn::table)
            .values((
                trn::job_seeker_id.eq(seeker_id),
                trn::name.eq(name),
                trn::provider.eq(provider),
                trn::year.eq(year),
                trn::certificate.eq(certificate),
            ))
            .execute(conn),
        NewRow::Experience {
            employer,
            position,
            year_from,
            year_to,
        } => diesel::insert_into(exp::table)
            .values((
                exp::job_seeker_id.eq(seeker_id),
                exp::employer.eq(employer),
                exp::position.eq(position),
                exp::year_from.eq(year_from),
                exp::year_to.eq(year_to),
            ))
            .execute(conn),
        NewRow::Language { language, level } => diesel::insert_into(lang::table)
            .values((
                lang::job_seeker_id.eq(seeker_id),
                lang::language.eq(language),
                lang::level.eq(level),
            ))
            .execute(conn),
    }
    .map(|_| ())
}

/// Removes one of the seeker's own rows; another seeker's row is simply not found.
pub fn remove(
    conn: &mut DbConnection,
    seeker_id: JobSeekerId,
    section: Section,
    row_id: i32,
) -> QueryResult<bool> {
    let n = match section {
        Section::Education => diesel::delete(
            edu::table
                .filter(edu::id.eq(row_id))
                .filter(edu::job_seeker_id.eq(seeker_id)),
        )
        .execute(conn)?,
        Section::Training => diesel::delete(
            trn::table
                .filter(trn::id.eq(row_id))
                .filter(trn::job_seeker_id.eq(seeker_id)),
        )
        .execute(conn)?,
        Section::Experience => diesel::delete(
            exp::table
                .filter(exp::id.eq(row_id))
                .filter(exp::job_seeker_id.eq(seeker_id)),
        )
        .execute(conn)?,
        Section::Language => diesel::delete(
            lang::table
                .filter(lang::id.eq(row_id))
                .filter(lang::job_seeker_id.eq(seeker_id)),
        )
        .execute(conn)?,
    };
    Ok(n == 1)
}

/// A stored row as the profile page lists it.
pub struct RowView {
    pub id: i32,
    pub text: String,
}

/// The seeker's rows, each section oldest first.
#[derive(Default)]
pub struct Rows {
    pub education: Vec<RowView>,
    pub training: Vec<RowView>,
    pub experience: Vec<RowView>,
    pub languages: Vec<(i32, String, &'static str)>,
    /// Programmes finished through the portal, as their providers recorded them: shown
    /// beside the seeker's own training rows and not removable by the seeker.
    pub programmes: Vec<String>,
}

impl Rows {
    /// How many entries a section holds; programmes finished through the portal count as
    /// training.
    pub fn count(&self, section: Section) -> usize {
        match section {
            Section::Education => self.education.len(),
            Section::Training => self.training.len() + self.programmes.len(),
            Section::Experience => self.experience.len(),
            Section::Language => self.languages.len(),
        }
    }
}

pub fn rows(conn: &mut DbConnection, seeker_id: JobSeekerId, english: bool) -> QueryResult<Rows> {
    type EduRow = (i32, i16, String, Option<String>, i16, Option<String>);
    let education: Vec<EduRow> = edu::table
        .filter(edu::job_seeker_id.eq(seeker_id))
        .order((edu::year_completed, edu::id))
        .select((
            edu::id,
            edu::level,
            edu::institution,
            edu::field_of_study,
            edu::year_completed,
            edu::grade,
        ))
        .load(conn)?;
    let training: Vec<(i32, String, String, i16, Option<String>)> = trn::table
        .filter(trn::job_seeker_id.eq(seeker_id))
        .order((trn::year, trn::id))
        .select((
            trn::id,
            trn::name,
            trn::provider,
            trn::year,
            trn::certificate,
        ))
        .load(conn)?;
    let experience: Vec<(i32, String, String, i16, Option<i16>)> = exp::table
        .filter(exp::job_seeker_id.eq(seeker_id))
        .order((exp::year_from, exp::id))
        .select((
            exp::id,
            exp::employer,
            exp::position,
            exp::year_from,
            exp::year_to,
        ))
        .load(conn)?;
    let languages: Vec<(i32, String, LanguageLevel)> = lang::table
        .filter(lang::job_seeker_id.eq(seeker_id))
        .order(lang::id)
        .select((lang::id, lang::language, lang::level))
        .load(conn)?;
    let programmes = crate::training::enrolment::completed_of(conn, seeker_id)?;
    let join =
        |parts: Vec<Option<String>>| parts.into_iter().flatten().collect::<Vec<_>>().join(" · ");
    Ok(Rows {
        education: education
            .into_iter()
            .map(|(id, level, institution, field, year, grade)| RowView {
                id,
                text: join(vec![
                    EducationLevel::from_code(level)
                        .map(|l| if english { l.name_en() } else { l.name_id() }.to_owned()),
                    Some(institution),
                    field,
                    Some(year.to_string()),
                    grade,
                ]),
            })
            .collect(),
        training: training
            .into_iter()
            .map(|(id, name, provider, year, certificate)| RowView {
                id,
                text: join(vec![
                    Some(name),
                    Some(provider),
                    Some(year.to_string()),
                    certificate,
                ]),
            })
            .collect(),
        experience: experience
            .into_iter()
            .map(|(id, employer, position, from, to)| RowView {
                id,
                text: join(vec![
                    Some(position),
                    Some(employer),
                    Some(match to {
                        Some(to) => format!("{from}–{to}"),
                        None => format!("{from}–"),
                    }),
                ]),
            })
            .collect(),
        languages: languages
            .into_iter()
            .map(|(id, language, level)| (id, language, level.label_key()))
            .collect(),
        programmes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn experience_years_must_run_forward() {
        let mut errors = FieldErrors::default();
        let f = RowForm {
            exp_employer: "CV Maju".into(),
            exp_position: "Kasir".into(),
            exp_from: "2020".into(),
            exp_to: "2019".into(),
            ..RowForm::default()
        };
        assert!(validate(Section::Experience, &f, today(), &mut errors).is_none());
        assert_eq!(errors.get("exp_to"), Some("seeker.error.year_order"));
    }

    #[test]
    fn years_are_from_1950_to_this_year() {
        for bad in ["1949", "2027", "dua ribu", ""] {
            let mut errors = FieldErrors::default();
            let f = RowForm {
                trn_name: "Barista".into(),
                trn_provider: "BLK Binjai".into(),
                trn_year: bad.into(),
                ..RowForm::default()
            };
            assert!(
                validate(Section::Training, &f, today(), &mut errors).is_none(),
                "{bad}"
            );
            assert_eq!(errors.get("trn_year"), Some("seeker.error.year"));
        }
    }

    #[test]
    fn unknown_sections_are_not_routes() {
        assert_eq!(Section::parse("pendidikan"), Some(Section::Education));
        assert_eq!(Section::parse("lainnya"), None);
    }
}
