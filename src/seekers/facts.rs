//! A job seeker's particulars written out for people: the counter's summary and the printed
//! card (DOMAIN.md §1). Personal data: only for the holder and for staff, and staff reads
//! are logged by the pages that show them.

use diesel::QueryResult;

use super::history::{self, Rows};
use super::model::{MaritalStatus, Profile, Religion};
use crate::db::DbConnection;
use crate::domain::{Nik, Sex};
use crate::reference::education::EducationLevel;
use crate::web::Lang;
use crate::web::format::date;

pub struct Facts {
    pub full_name: String,
    pub nik: String,
    /// "Binjai, 1 Januari 2000".
    pub birth: String,
    pub sex: &'static str,
    pub marital: &'static str,
    pub religion: &'static str,
    /// The street address, then the kelurahan and kecamatan (or the regency outside Binjai).
    pub address: String,
    pub education: String,
    pub skills: String,
    pub disability: Option<String>,
    pub rows: Rows,
}

const NONE: &str = "–";

impl Facts {
    pub fn load(
        conn: &mut DbConnection,
        full_name: &str,
        p: &Profile,
        lang: Lang,
    ) -> QueryResult<Self> {
        let rows = history::rows(conn, p.id, lang == Lang::En)?;
        let place = p
            .regency_code
            .as_deref()
            .map(|r| crate::reference::regions::place_name(p.kelurahan_code.as_deref(), r))
            .unwrap_or_default();
        let address = [p.address.clone().unwrap_or_default(), place]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let level = p.education_level.and_then(EducationLevel::from_code);
        let education = match (level, p.field_of_study.as_deref()) {
            (Some(l), field) => {
                let name = match lang {
                    Lang::Id => l.name_id(),
                    Lang::En => l.name_en(),
                };
                match field {
                    Some(f) if !f.is_empty() => format!("{name} ({f})"),
                    _ => name.to_owned(),
                }
            }
            (None, _) => NONE.to_owned(),
        };
        Ok(Self {
            full_name: full_name.to_owned(),
            nik: p
                .nik
                .as_ref()
                .map_or_else(|| NONE.to_owned(), Nik::to_string),
            birth: format!(
                "{}, {}",
                p.birth_place.as_deref().unwrap_or(NONE),
                p.birth_date
                    .map(|d| date(lang, d))
                    .unwrap_or_else(|| NONE.to_owned())
            ),
            sex: match p.sex {
                Some(Sex::Male) => "seeker.sex.male",
                Some(Sex::Female) => "seeker.sex.female",
                None => "ak1.unknown",
            },
            marital: p
                .marital_status
                .map_or("ak1.unknown", MaritalStatus::label_key),
            religion: p.religion.map_or("ak1.unknown", Religion::label_key),
            address: if address.is_empty() {
                NONE.to_owned()
            } else {
                address
            },
            education,
            skills: if p.skills.trim().is_empty() {
                NONE.to_owned()
            } else {
                p.skills.clone()
            },
            disability: p.disability.clone().filter(|d| !d.trim().is_empty()),
            rows,
        })
    }
}
