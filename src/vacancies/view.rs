//! How a vacancy reads on a page: every code turned into words in the reader's language.

use super::Vacancy;
use crate::reference::education::EducationLevel;
use crate::reference::{kbji, regions};
use crate::web::{Lang, format};

/// A vacancy as the verifier reads it, every code turned into words.
pub struct Facts {
    pub job_title: String,
    pub education: String,
    pub employment_type: &'static str,
    pub place: String,
    pub wage: String,
    pub dates: String,
}

pub fn facts(v: &Vacancy, lang: Lang) -> Facts {
    let english = lang == Lang::En;
    let job_title = kbji::OCCUPATIONS
        .iter()
        .find(|o| o.code == v.kbji_code.as_str())
        .map(|o| {
            format!(
                "{} ({})",
                if english { o.title_en } else { o.title_id },
                o.code
            )
        })
        .unwrap_or_else(|| v.kbji_code.to_string());
    let education = EducationLevel::from_code(v.education_min)
        .map(|e| if english { e.name_en() } else { e.name_id() }.to_owned())
        .unwrap_or_default();
    let place_code = v.kelurahan_code.as_deref().unwrap_or(&v.regency_code);
    let wage = match (v.wage_min, v.wage_max) {
        (Some(a), Some(b)) => format!(
            "Rp{} – Rp{}",
            format::number(lang, a.amount()),
            format::number(lang, b.amount())
        ),
        (Some(a), None) | (None, Some(a)) => format::rupiah(lang, a),
        (None, None) => "–".into(),
    };
    Facts {
        job_title,
        education,
        employment_type: v.employment_type.label_key(),
        place: regions::get(place_code)
            .map(|r| r.name.to_owned())
            .unwrap_or_else(|| place_code.to_owned()),
        wage,
        dates: format!(
            "{} – {}",
            format::date(lang, v.opens_on),
            format::date(lang, v.closes_on)
        ),
    }
}
