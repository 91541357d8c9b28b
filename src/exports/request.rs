//! An export as asked for, from the form or the command line: read into a [`Request`] or a
//! list of [`Problem`]s, each under the field it belongs to, so the form comes back with
//! what was typed and why.

use chrono::NaiveDate;
use diesel::QueryResult;

use super::filter::{self, Filter};
use super::{Dataset, Format, datasets};
use crate::db::DbConnection;

/// A purpose shorter than this says nothing ("data", "perlu").
pub const PURPOSE_MIN: usize = 15;
pub const PURPOSE_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub dataset: Dataset,
    pub format: Format,
    pub filter: Filter,
    /// Personal data in full. Only with a purpose.
    pub unmasked: bool,
    pub purpose: Option<String>,
}

/// What was typed, as text.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    pub dataset: &'a str,
    pub format: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub kecamatan: &'a str,
    pub unmasked: bool,
    pub purpose: &'a str,
}

/// One thing wrong with the input: the field (as the form names it), a translation key,
/// and the value the message names, if any (the first date of the data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
    pub detail: Option<String>,
}

impl Problem {
    fn new(field: &'static str, key: &'static str) -> Self {
        Self {
            field,
            key,
            detail: None,
        }
    }
}

/// Reads the input; `today` is Binjai's date.
pub fn parse(input: &Input<'_>, today: NaiveDate) -> Result<Request, Vec<Problem>> {
    let mut problems = Vec::new();
    let dataset = Dataset::from_cli_name(input.dataset.trim())
        .or_else(|| Dataset::parse(input.dataset.trim()));
    if dataset.is_none() {
        problems.push(Problem::new("data", "export.error.dataset_unknown"));
    }
    let format = Format::parse(input.format.trim().to_ascii_lowercase().as_str());
    if format.is_none() {
        problems.push(Problem::new("format", "export.error.format_unknown"));
    }
    let filter = filter::parse(input.from, input.to, input.kecamatan, today)
        .map_err(|found| {
            problems.extend(found.into_iter().map(|(f, k)| Problem::new(f, k)));
        })
        .ok();
    let purpose = input.purpose.trim();
    let mut ok_purpose = None;
    if !purpose.is_empty() {
        let length = purpose.chars().count();
        let mut errors = crate::web::forms::FieldErrors::default();
        if !crate::web::forms::check_lines(&mut errors, "tujuan", purpose) {
            problems.push(Problem::new("tujuan", "form.error.hidden_characters"));
        } else if !(PURPOSE_MIN..=PURPOSE_MAX).contains(&length) {
            problems.push(Problem {
                field: "tujuan",
                key: "export.error.purpose_length",
                detail: None,
            });
        } else {
            ok_purpose = Some(purpose.to_owned());
        }
    } else if input.unmasked {
        problems.push(Problem::new("tujuan", "export.error.purpose_missing"));
    }
    match (dataset, format, filter) {
        (Some(dataset), Some(format), Some(filter)) if problems.is_empty() => Ok(Request {
            dataset,
            format,
            filter,
            unmasked: input.unmasked,
            purpose: ok_purpose,
        }),
        _ => Err(problems),
    }
}

/// Checks the request against the data: a period that ends before the data set's first
/// record is refused, naming that first date.
pub fn check_data(conn: &mut DbConnection, request: &Request) -> QueryResult<Option<Problem>> {
    if request.filter.to.is_none() {
        return Ok(None);
    }
    let first = (datasets::provider(request.dataset).first_date)(conn)?;
    Ok(
        filter::before_first_data(&request.filter, first).then(|| Problem {
            field: "sampai",
            key: "export.error.period_before_data",
            detail: first.map(|d| d.to_string()),
        }),
    )
}

/// A problem's message in `lang`, with the date it names.
pub fn message(lang: crate::web::Lang, problem: &Problem) -> String {
    lang.tf(
        problem.key,
        &[("first", problem.detail.as_deref().unwrap_or(""))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 9).unwrap()
    }

    fn input() -> Input<'static> {
        Input {
            dataset: "job-seekers",
            format: "csv",
            ..Input::default()
        }
    }

    fn fields(problems: Vec<Problem>) -> Vec<(&'static str, &'static str)> {
        problems.into_iter().map(|p| (p.field, p.key)).collect()
    }

    #[test]
    fn a_plain_request_is_masked() {
        let r = parse(&input(), today()).unwrap();
        assert_eq!(r.dataset, Dataset::JobSeekers);
        assert_eq!(r.format, Format::Csv);
        assert!(!r.unmasked);
        assert_eq!(r.purpose, None);
    }

    #[test]
    fn unmasked_data_needs_a_purpose_of_some_length() {
        let asked = Input {
            unmasked: true,
            ..input()
        };
        assert_eq!(
            fields(parse(&asked, today()).unwrap_err()),
            [("tujuan", "export.error.purpose_missing")]
        );
        let short = Input {
            purpose: "perlu",
            ..asked.clone()
        };
        assert_eq!(
            fields(parse(&short, today()).unwrap_err()),
            [("tujuan", "export.error.purpose_length")]
        );
        let stated = Input {
            purpose: "  Verifikasi penerima bantuan pelatihan 2026  ",
            ..asked
        };
        let r = parse(&stated, today()).unwrap();
        assert!(r.unmasked);
        assert_eq!(
            r.purpose.as_deref(),
            Some("Verifikasi penerima bantuan pelatihan 2026")
        );
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let bad = Input {
            dataset: "residents",
            format: "pdf",
            from: "2027-01",
            kecamatan: "12.71.01",
            ..Input::default()
        };
        assert_eq!(
            fields(parse(&bad, today()).unwrap_err()),
            [
                ("data", "export.error.dataset_unknown"),
                ("format", "export.error.format_unknown"),
                ("dari", "export.error.period_future"),
                ("kecamatan", "export.error.kecamatan_unknown"),
            ]
        );
    }
}
