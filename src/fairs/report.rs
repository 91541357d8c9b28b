//! What a fair achieved (`/petugas/bursa-kerja/{id}/laporan`): its visitors by sex, age
//! group and education as the door recorded them, its companies and vacancies, the
//! interviews at the booths, the applications they made, and the placements that followed
//! within one and three months of the fair's last day. Counts only: nobody's name.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Months, NaiveDate};
use diesel::prelude::*;

use super::booths::{self, BoothStatus};
use super::model::{self, Fair};
use super::staff::dates;
use super::tickets::{self, CheckIn};
use crate::db::DbConnection;
use crate::domain::ids::JobFairId;
use crate::domain::{AgeGroup, Sex};
use crate::reference::education::EducationLevel;
use crate::schema::{job_fair_booths, job_fair_interviews};
use crate::web::auth::{DinasStaff, Require};
use crate::web::respond::render;
use crate::web::{AppError, AppState, Lang, PageCtx};

/// The figures of one fair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub tickets: i64,
    pub visitors: i64,
    pub walk_ins: i64,
    /// (label key or text, count), in the order the forms use.
    pub by_sex: Vec<(String, i64)>,
    pub by_age: Vec<(String, i64)>,
    pub by_education: Vec<(String, i64)>,
    pub companies: i64,
    pub vacancies: i64,
    pub interviews: i64,
    pub applications: i64,
    pub placed_in_1_month: i64,
    pub placed_in_3_months: i64,
}

fn tally<K: Ord>(rows: impl Iterator<Item = Option<K>>) -> (BTreeMap<K, i64>, i64) {
    let mut known = BTreeMap::new();
    let mut unknown = 0;
    for k in rows {
        match k {
            Some(k) => *known.entry(k).or_insert(0) += 1,
            None => unknown += 1,
        }
    }
    (known, unknown)
}

/// The fair's figures, in `lang`.
pub fn figures(conn: &mut DbConnection, fair: &Fair, lang: Lang) -> QueryResult<Figures> {
    let visits: Vec<CheckIn> = tickets::check_ins(conn, fair.id)?;
    let unknown = lang.t("fair.report.unknown").into_owned();
    let (sexes, no_sex) = tally(
        visits
            .iter()
            .map(|v| v.1.clone().filter(|c| Sex::from_code(c).is_some())),
    );
    let mut by_sex: Vec<(String, i64)> = Sex::ALL
        .iter()
        .map(|s| {
            let key = match s {
                Sex::Male => "seeker.sex.male",
                Sex::Female => "seeker.sex.female",
            };
            (
                lang.t(key).into_owned(),
                sexes.get(s.code()).copied().unwrap_or(0),
            )
        })
        .collect();
    by_sex.push((unknown.clone(), no_sex));
    let (ages, no_age) = tally(
        visits
            .iter()
            .map(|v| v.2.as_deref().and_then(AgeGroup::parse)),
    );
    let mut by_age: Vec<(String, i64)> = AgeGroup::ALL
        .iter()
        .map(|a| {
            (
                lang.t(a.label_key()).into_owned(),
                ages.get(a).copied().unwrap_or(0),
            )
        })
        .collect();
    by_age.push((unknown.clone(), no_age));
    let (levels, no_level) = tally(
        visits
            .iter()
            .map(|v| v.3.and_then(EducationLevel::from_code)),
    );
    let mut by_education: Vec<(String, i64)> = levels
        .into_iter()
        .map(|(l, n)| {
            let name = match lang {
                Lang::Id => l.name_id(),
                Lang::En => l.name_en(),
            };
            (name.to_owned(), n)
        })
        .collect();
    by_education.push((unknown, no_level));
    let (tickets_held, _) = tickets::door_counts(conn, fair.id)?;
    let walk_ins = tickets::walk_in_count(conn, fair.id)?;
    let approved: Vec<_> = booths::of_fair(conn, fair.id)?
        .into_iter()
        .filter(|b| b.status == BoothStatus::Approved)
        .collect();
    let booth_ids: Vec<_> = approved.iter().map(|b| b.id).collect();
    let vacancies: i64 = booths::vacancies_of_booths(conn, &booth_ids)?
        .values()
        .map(|v| v.len() as i64)
        .sum();
    let interviews: i64 = job_fair_interviews::table
        .inner_join(job_fair_booths::table)
        .filter(job_fair_booths::fair_id.eq(fair.id))
        .count()
        .get_result(conn)?;
    let applications = crate::applications::model::count_from_fair(conn, fair.id)?;
    let placed = crate::applications::model::placements_from_fair(conn, fair.id)?;
    let within = |months: u32| {
        let until = fair
            .ends_on
            .checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX);
        placed.iter().filter(|(_, start)| *start <= until).count() as i64
    };
    Ok(Figures {
        tickets: tickets_held,
        visitors: visits.len() as i64,
        walk_ins,
        by_sex,
        by_age,
        by_education,
        companies: approved.len() as i64,
        vacancies,
        interviews,
        applications,
        placed_in_1_month: within(1),
        placed_in_3_months: within(3),
    })
}

#[derive(Template)]
#[template(path = "fairs/report.html")]
struct ReportPage {
    ctx: PageCtx,
    fair: Fair,
    dates: String,
    f: Figures,
    /// The visitors by sex, age group and education: a caption and its rows each.
    tables: Vec<(String, Vec<(String, i64)>)>,
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _user: Require<DinasStaff>,
    id: web::Path<JobFairId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let lang = ctx.lang;
    let (fair, f) = state
        .db(move |conn| {
            let fair = model::find(conn, id)?.ok_or(AppError::NotFound)?;
            let f = figures(conn, &fair, lang)?;
            Ok((fair, f))
        })
        .await?;
    let tables = vec![
        (ctx.t("fair.report.by_sex").into_owned(), f.by_sex.clone()),
        (ctx.t("fair.report.by_age").into_owned(), f.by_age.clone()),
        (
            ctx.t("fair.report.by_education").into_owned(),
            f.by_education.clone(),
        ),
    ];
    render(
        &ReportPage {
            dates: dates(lang, &fair),
            ctx,
            fair,
            f,
            tables,
        },
        StatusCode::OK,
    )
}
