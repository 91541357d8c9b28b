//! The dashboard page: the filters, then one chart per measure with its description and
//! its table of numbers.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::DashboardCache;
use super::figures::{Figures, Measure, Who};
use crate::domain::Sex;
use crate::ipk::Month;
use crate::reference::regions::{self, Region};
use crate::web::auth::{DinasStaff, Require};
use crate::web::charts::{Chart, Kind, Series};
use crate::web::format;
use crate::web::respond::render;
use crate::web::{AppError, AppState, Lang, PageCtx};

/// Three years of months, the current one last.
const MONTHS: usize = 36;

/// The filters as typed, shown again in the form.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
struct Typed {
    kecamatan: String,
    #[serde(rename = "jenis_kelamin")]
    sex: String,
}

#[derive(Debug, Clone, Copy, Default)]
struct Filter {
    kecamatan: Option<&'static Region>,
    sex: Option<Sex>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Kecamatan,
    Sex,
}

fn parse(query: &str) -> (Typed, Result<Filter, Vec<Problem>>) {
    let mut typed: Typed = serde_urlencoded::from_str(query).unwrap_or_default();
    typed.kecamatan = typed.kecamatan.trim().to_owned();
    typed.sex = typed.sex.trim().to_owned();
    let mut problems = Vec::new();
    let kecamatan = match typed.kecamatan.as_str() {
        "" => None,
        code => {
            let found = regions::binjai_kecamatan().find(|r| r.code == code);
            if found.is_none() {
                problems.push(Problem::Kecamatan);
            }
            found
        }
    };
    let sex = match typed.sex.as_str() {
        "" => None,
        code => {
            let found = Sex::from_code(code);
            if found.is_none() {
                problems.push(Problem::Sex);
            }
            found
        }
    };
    let filter = Filter { kecamatan, sex };
    (
        typed,
        if problems.is_empty() {
            Ok(filter)
        } else {
            Err(problems)
        },
    )
}

/// A row of a chart's table: one month.
struct Row {
    /// `2026-10`, for whoever reads the table by machine (the tests).
    period: String,
    label: String,
    values: Vec<String>,
    total: String,
}

struct ChartView {
    id: &'static str,
    title: String,
    about: String,
    summary: String,
    note: Option<String>,
    svg: String,
    caption: String,
    columns: Vec<String>,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "dashboard/page.html")]
struct DashboardPage {
    ctx: PageCtx,
    kecamatan: Vec<(&'static str, &'static str, bool)>,
    sexes: Vec<(&'static str, &'static str, bool)>,
    problems: Vec<String>,
    kecamatan_invalid: bool,
    sex_invalid: bool,
    intro: String,
    charts: Vec<ChartView>,
}

/// Whose counts a measure shows under a filter.
fn shown(measure: Measure, sex: Option<Sex>) -> Vec<Who> {
    if measure.is_by_company() {
        return vec![Who::Other];
    }
    match sex {
        None => Who::ALL.to_vec(),
        // Positions open to either sex are open to this one too.
        Some(Sex::Male) if measure == Measure::OpenPositions => vec![Who::Male, Who::Other],
        Some(Sex::Female) if measure == Measure::OpenPositions => vec![Who::Female, Who::Other],
        Some(Sex::Male) => vec![Who::Male],
        Some(Sex::Female) => vec![Who::Female],
    }
}

fn who_label(measure: Measure, who: Who) -> &'static str {
    match (who, measure) {
        (Who::Male, _) => "dashboard.who.male",
        (Who::Female, _) => "dashboard.who.female",
        (Who::Other, Measure::OpenPositions) => "dashboard.who.either",
        (Who::Other, Measure::WlkpFiled) => "dashboard.who.reports",
        (Who::Other, _) => "dashboard.who.unknown",
    }
}

fn month_label(lang: Lang, m: Month) -> String {
    format::month(lang, m.year(), m.month())
}

fn chart_view(ctx: &PageCtx, figures: &Figures, measure: Measure, filter: Filter) -> ChartView {
    let lang = ctx.lang;
    let slug = measure.slug();
    let kecamatan = filter.kecamatan.map(|r| r.code);
    let mut series: Vec<Series> = Vec::new();
    for who in shown(measure, filter.sex) {
        let values = figures.series(measure, kecamatan, who);
        // Nobody of unrecorded sex is no series at all.
        if who == Who::Other && values.iter().all(|v| *v == 0) && measure != Measure::WlkpFiled {
            continue;
        }
        series.push(Series {
            label: ctx.t(who_label(measure, who)).into_owned(),
            values,
        });
    }
    let months = &figures.months;
    let totals: Vec<i64> = (0..months.len())
        .map(|i| series.iter().map(|s| s.values[i]).sum())
        .collect();
    let title = ctx.t(&format!("dashboard.{slug}.title")).into_owned();
    let place = match filter.kecamatan {
        Some(r) => ctx.tf("dashboard.filter.place", &[("name", r.name)]),
        None => ctx.t("dashboard.filter.all_places").into_owned(),
    };
    let sex = match filter.sex {
        _ if measure.is_by_company() => ctx.t("dashboard.filter.by_company").into_owned(),
        None => ctx.t("dashboard.filter.both").into_owned(),
        Some(Sex::Male) => ctx.t("dashboard.filter.male").into_owned(),
        Some(Sex::Female) => ctx.t("dashboard.filter.female").into_owned(),
    };
    let (first, last) = (months[0], months[months.len() - 1]);
    let (top_at, top) = totals
        .iter()
        .enumerate()
        .max_by_key(|(i, v)| (**v, *i))
        .map(|(i, v)| (i, *v))
        .unwrap_or_default();
    let summary = ctx.tf(
        "dashboard.summary",
        &[
            ("first", &month_label(lang, first)),
            ("last", &month_label(lang, last)),
            ("place", &place),
            ("sex", &sex),
            ("max", &format::number(lang, top)),
            ("max_month", &month_label(lang, months[top_at])),
            ("latest", &format::number(lang, totals[totals.len() - 1])),
        ],
    );
    let about = ctx.t(&format!("dashboard.{slug}.about")).into_owned();
    let note = match (measure, filter.sex) {
        (Measure::WlkpFiled, Some(_)) => Some(ctx.t("dashboard.note.by_company").into_owned()),
        (Measure::OpenPositions, Some(_)) => Some(ctx.t("dashboard.note.either").into_owned()),
        _ => None,
    };
    let chart = Chart {
        id: format!("chart-{slug}"),
        title: title.clone(),
        description: format!("{about} {summary}"),
        kind: if measure.is_stock() {
            Kind::Lines
        } else {
            Kind::StackedBars
        },
        points: months
            .iter()
            .map(|m| format::month_short(lang, m.year(), m.month()))
            .collect(),
        series,
        empty_text: ctx.t("dashboard.empty").into_owned(),
        lang,
    };
    let rows = months
        .iter()
        .enumerate()
        .map(|(i, m)| Row {
            period: m.to_string(),
            label: month_label(lang, *m),
            values: chart
                .series
                .iter()
                .map(|s| format::number(lang, s.values[i]))
                .collect(),
            total: format::number(lang, totals[i]),
        })
        .collect();
    ChartView {
        id: slug,
        caption: ctx.tf("dashboard.table.caption", &[("title", &title)]),
        columns: chart.series.iter().map(|s| s.label.clone()).collect(),
        svg: chart.svg(),
        title,
        about,
        summary,
        note,
        rows,
    }
}

pub async fn page(
    req: HttpRequest,
    ctx: PageCtx,
    state: web::Data<AppState>,
    cache: web::Data<DashboardCache>,
    _user: Require<DinasStaff>,
) -> Result<HttpResponse, AppError> {
    let (typed, parsed) = parse(req.query_string());
    let last = Month::of(crate::domain::calendar::today());
    let mut first = last;
    for _ in 1..MONTHS {
        first = first.previous();
    }
    let (charts, problems, status) = match parsed {
        Ok(filter) => {
            let cache = cache.clone();
            let figures = state
                .db(move |conn| Ok(cache.figures(conn, first, last)?))
                .await?;
            let charts = Measure::ALL
                .into_iter()
                .map(|m| chart_view(&ctx, &figures, m, filter))
                .collect();
            (charts, Vec::new(), StatusCode::OK)
        }
        Err(problems) => (Vec::new(), problems, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let page = DashboardPage {
        kecamatan: regions::binjai_kecamatan()
            .map(|r| (r.code, r.name, r.code == typed.kecamatan))
            .collect(),
        sexes: vec![
            ("L", "dashboard.who.male", typed.sex == "L"),
            ("P", "dashboard.who.female", typed.sex == "P"),
        ],
        kecamatan_invalid: problems.contains(&Problem::Kecamatan),
        sex_invalid: problems.contains(&Problem::Sex),
        problems: problems
            .iter()
            .map(|p| match p {
                Problem::Kecamatan => {
                    ctx.tf("dashboard.error.kecamatan", &[("value", &typed.kecamatan)])
                }
                Problem::Sex => ctx.tf("dashboard.error.sex", &[("value", &typed.sex)]),
            })
            .collect(),
        intro: ctx.tf(
            "dashboard.intro",
            &[
                ("first", &month_label(ctx.lang, first)),
                ("last", &month_label(ctx.lang, last)),
            ],
        ),
        charts,
        ctx,
    };
    render(&page, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_a_known_kecamatan_and_l_or_p() {
        let (_, ok) = parse("kecamatan=12.75.03&jenis_kelamin=P");
        let ok = ok.unwrap();
        assert_eq!(ok.kecamatan.map(|r| r.name), Some("Binjai Barat"));
        assert_eq!(ok.sex, Some(Sex::Female));
        let (_, none) = parse("kecamatan=&jenis_kelamin=");
        assert!(none.unwrap().kecamatan.is_none());
        let (typed, bad) = parse("kecamatan=12.75.09&jenis_kelamin=X");
        assert_eq!(bad.unwrap_err(), vec![Problem::Kecamatan, Problem::Sex]);
        assert_eq!(typed.kecamatan, "12.75.09");
        // A kelurahan is not a kecamatan.
        assert!(parse("kecamatan=12.75.01.1008").1.is_err());
    }
}
