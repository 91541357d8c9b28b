//! Cells several kinds read alike: a job title by KBJI code or name, an education level,
//! a place in Binjai (or a regency outside it), a sex.

use std::collections::HashMap;

use diesel::QueryResult;

use crate::db::DbConnection;
use crate::domain::ids::JobTitleId;
use crate::domain::{KbjiCode, Nik, Sex};
use crate::employers::forms::OUTSIDE_BINJAI;
use crate::import::cells::RowCells;
use crate::reference::education::EducationLevel;
use crate::reference::regions;

/// The portal's job titles: the first of each KBJI code (and of each 4-digit group), and
/// each by its name in either language, lower case.
pub struct JobTitles {
    by_code: HashMap<String, (JobTitleId, KbjiCode)>,
    by_name: HashMap<String, Vec<(JobTitleId, KbjiCode)>>,
}

impl JobTitles {
    pub fn load(conn: &mut DbConnection) -> QueryResult<Self> {
        let mut by_code = HashMap::new();
        let mut by_name: HashMap<String, Vec<(JobTitleId, KbjiCode)>> = HashMap::new();
        for (id, code, title_id, title_en) in crate::reference::job_titles(conn)? {
            let group: String = code.as_str().chars().take(4).collect();
            by_code.entry(group).or_insert((id, code.clone()));
            by_code
                .entry(code.as_str().to_owned())
                .or_insert((id, code.clone()));
            for name in [title_id, title_en] {
                let list = by_name.entry(name.trim().to_lowercase()).or_default();
                if !list.iter().any(|(i, _)| *i == id) {
                    list.push((id, code.clone()));
                }
            }
        }
        Ok(Self { by_code, by_name })
    }

    /// The job title in `code_column` (a KBJI code) and `name_column` (its name), either or
    /// both (the name chooses among the code's titles). Both empty is a problem only when
    /// `required`.
    pub fn find(
        &self,
        row: &mut RowCells<'_>,
        code_column: &'static str,
        name_column: &'static str,
        required: bool,
    ) -> Option<(JobTitleId, KbjiCode)> {
        let code = row.text(code_column);
        let name = row.text(name_column).to_lowercase();
        if row.has_problem(code_column) || row.has_problem(name_column) {
            return None;
        }
        let named = self.by_name.get(&name);
        let found = match (code.is_empty(), name.is_empty()) {
            (true, true) => {
                if required {
                    row.problem(code_column, "import.error.job_title_missing");
                }
                return None;
            }
            (false, true) => self.by_code.get(&code).cloned(),
            (true, false) => match named.map(Vec::as_slice) {
                Some([one]) => Some(one.clone()),
                Some(_) => {
                    row.problem(name_column, "import.error.job_title_ambiguous");
                    return None;
                }
                None => {
                    row.problem(name_column, "import.error.job_title_unknown");
                    return None;
                }
            },
            (false, false) => named
                .and_then(|list| {
                    list.iter().find(|(_, c)| {
                        c.as_str() == code || c.as_str().starts_with(&format!("{code}."))
                    })
                })
                .cloned(),
        };
        if found.is_none() {
            row.problem(code_column, "import.error.job_title_unknown");
        }
        found
    }
}

/// An education level by its code (0-12) or its name in either language (`SMA`, `S1`).
pub fn education(
    row: &mut RowCells<'_>,
    column: &'static str,
    required: bool,
) -> Option<EducationLevel> {
    let raw = if required {
        row.required_text(column)
    } else {
        row.text(column)
    };
    if raw.is_empty() {
        return None;
    }
    let wanted = raw.to_lowercase();
    let found = wanted
        .parse::<i16>()
        .ok()
        .and_then(EducationLevel::from_code)
        .or_else(|| {
            EducationLevel::ALL.into_iter().find(|e| {
                let name = e.name_id().to_lowercase();
                name == wanted
                    || name.split('/').any(|part| part == wanted)
                    || e.name_en().to_lowercase() == wanted
            })
        });
    if found.is_none() {
        row.problem(column, "import.error.education");
    }
    found
}

/// The kelurahan (its code or its name) and, outside Binjai, the regency, as the portal's
/// forms take them: the caller's form checks them.
pub fn location(
    row: &mut RowCells<'_>,
    kelurahan_column: &'static str,
    regency_column: &'static str,
    required: bool,
) -> (String, String) {
    let raw = if required {
        row.required_text(kelurahan_column)
    } else {
        row.text(kelurahan_column)
    };
    let regency = row.text(regency_column);
    if raw.is_empty() {
        return (raw, regency);
    }
    if raw.eq_ignore_ascii_case(OUTSIDE_BINJAI) {
        return (OUTSIDE_BINJAI.to_owned(), regency);
    }
    let wanted = raw.to_lowercase();
    let code = regions::binjai_kelurahan_by_code(&raw)
        .or_else(|| regions::binjai_kelurahan().find(|k| k.name.to_lowercase() == wanted))
        .map_or(raw, |k| k.code.to_owned());
    (code, regency)
}

/// A sex written as the KTP does (`L`, `P`) or in words; empty is none.
pub fn sex(row: &mut RowCells<'_>, column: &'static str) -> Option<Sex> {
    match row.text(column).to_uppercase().as_str() {
        "" => None,
        "L" | "LAKI-LAKI" | "LAKI LAKI" | "PRIA" => Some(Sex::Male),
        "P" | "PEREMPUAN" | "WANITA" => Some(Sex::Female),
        _ => {
            row.problem(column, "import.error.sex");
            None
        }
    }
}

/// The required `nik` cell, checked as a NIK.
pub fn nik(row: &mut RowCells<'_>) -> Option<Nik> {
    let raw = row.required_text("nik");
    match Nik::parse(&raw) {
        Ok(nik) => Some(nik),
        Err(_) if raw.is_empty() => None,
        Err(e) => {
            row.problem("nik", e.message_key());
            None
        }
    }
}

/// The person cells of a list: the NIK (required) and the sex and birth date (optional),
/// each checked against what the NIK carries (the birth day and month, and the sex: day
/// + 40 for women); `nik_sex` and `nik_birth` are the kind's messages for a disagreement.
pub fn nik_sex_birth(
    row: &mut RowCells<'_>,
    nik_sex: &'static str,
    nik_birth: &'static str,
) -> (Option<Nik>, Option<Sex>, Option<chrono::NaiveDate>) {
    let nik = nik(row);
    let sex = sex(row, "jenis_kelamin");
    let birth_date = row.date("tanggal_lahir");
    if let Some(nik) = &nik {
        if sex.is_some_and(|s| s != nik.sex()) {
            row.problem("jenis_kelamin", nik_sex);
        }
        if birth_date.is_some_and(|b| !nik.agrees_with(b, nik.sex())) {
            row.problem("tanggal_lahir", nik_birth);
        }
    }
    (nik, sex, birth_date)
}
