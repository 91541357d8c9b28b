//! Demo applications and placements over three years, consistent with the residents' cards
//! and the vacancies' filled counts: every card that ended as *placed* has its placement,
//! through an accepted application to a vacancy with a filled position for the resident's
//! sex when one was open at the time, or else found outside the portal; other residents
//! apply to vacancies open while they were looking, and hear back at various stages.

use crate::domain::ids::{ApplicationId, CompanyId, JobSeekerId, JobTitleId, VacancyId};
use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::seekers::Resident;
use crate::applications::placement::Kind;
use crate::applications::stage::Stage;
use crate::db::DbConnection;
use crate::schema::{
    application_events, applications, companies, kbji_occupations, placements, vacancies,
};

const BATCH: usize = 500;

/// An employer found outside the portal, as residents name them at the counter.
/// Employers outside the portal, with the KBLI section the counter records for each.
const OUTSIDE: &[(&str, &str)] = &[
    ("UD Sumber Rezeki", "G"),
    ("Toko Bangunan Jaya Abadi", "G"),
    ("Rumah Makan Sederhana Binjai", "I"),
    ("Bengkel Motor Karya Mandiri", "G"),
    ("PT Perkebunan Nusantara (kebun Tandem)", "A"),
    ("Koperasi Simpan Pinjam Sejahtera", "K"),
    ("Usaha sendiri (wirausaha)", "S"),
    ("Pabrik Tahu Bersaudara", "C"),
];

struct Open {
    id: VacancyId,
    company: String,
    title: String,
    job_title_id: Option<JobTitleId>,
    kbji: String,
    regency: String,
    wage: Option<i64>,
    published: NaiveDate,
    closes: NaiveDate,
    /// Filled positions not yet given to a demo placement, by sex.
    free_male: i32,
    free_female: i32,
}

#[derive(Insertable)]
#[diesel(table_name = applications)]
struct AppRow {
    vacancy_id: VacancyId,
    job_seeker_id: JobSeekerId,
    note: Option<&'static str>,
    stage: &'static str,
    applied_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = placements)]
struct PlacementRow {
    job_seeker_id: JobSeekerId,
    application_id: Option<ApplicationId>,
    vacancy_id: Option<VacancyId>,
    company_id: Option<CompanyId>,
    employer_name: String,
    job_title: String,
    job_title_id: Option<JobTitleId>,
    kbji_code: Option<String>,
    kind: &'static str,
    start_date: NaiveDate,
    monthly_wage: Option<i64>,
    recorded_at: NaiveDateTime,
    kbli_section: Option<&'static str>,
}

/// One resident's applications before ids: (vacancy index, the stages with their days).
type Plan = Vec<(usize, Vec<(Stage, NaiveDate)>)>;

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(10, 0, 0).unwrap_or_default()
}

pub struct Made {
    pub applications: usize,
    pub placements: usize,
}

pub fn seed(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    residents: &[Resident],
    today: NaiveDate,
) -> QueryResult<Made> {
    let mut open = load_vacancies(conn)?;
    open.sort_by_key(|v| v.published);
    let titles: HashMap<JobTitleId, (String, String)> = kbji_occupations::table
        .select((
            kbji_occupations::id,
            kbji_occupations::title_id,
            kbji_occupations::code,
        ))
        .load::<(JobTitleId, String, String)>(conn)?
        .into_iter()
        .map(|(id, t, c)| (id, (t, c)))
        .collect();
    let mut made = Made {
        applications: 0,
        placements: 0,
    };
    for chunk in residents.chunks(BATCH) {
        let mut plans: Vec<(JobSeekerId, Plan)> = Vec::new();
        let mut outside: Vec<PlacementRow> = Vec::new();
        // Placed through the portal: (seeker, vacancy index, start date).
        let mut through: Vec<(JobSeekerId, usize, NaiveDate)> = Vec::new();
        for r in chunk {
            let mut plan: Plan = Vec::new();
            if let Some(placed) = r.placed_on {
                match pick_filled(rng, &mut open, r, placed) {
                    Some(v) => {
                        let applied = placed - Days::new(rng.random_range(10..30));
                        let applied = applied.max(open[v].published).max(r.registered);
                        plan.push((
                            v,
                            vec![
                                (Stage::Received, applied),
                                (Stage::Reviewed, (applied + Days::new(2)).min(placed)),
                                (Stage::Interview, (applied + Days::new(5)).min(placed)),
                                (Stage::Accepted, placed),
                            ],
                        ));
                        through.push((r.job_seeker_id, v, placed));
                    }
                    None => outside.push(outside_placement(rng, r, placed, &titles)),
                }
            }
            // Other applications while looking, most of them not successful.
            let tries = match rng.random_range(0..10) {
                0..=3 => 0,
                4..=6 => 1,
                7..=8 => 2,
                _ => 3,
            };
            for _ in 0..tries {
                let Some(v) = pick_open(rng, &open, r.registered, r.looking_until) else {
                    continue;
                };
                if plan.iter().any(|(w, _)| *w == v) {
                    continue;
                }
                let last = open[v].closes.min(r.looking_until).min(today);
                let first = open[v].published.max(r.registered);
                if last < first {
                    continue;
                }
                let span = (last - first).num_days().max(0) as u64;
                let applied = first + Days::new(rng.random_range(0..=span));
                let mut stages = vec![(Stage::Received, applied)];
                let later = |n: u64| (applied + Days::new(n)).min(today);
                match rng.random_range(0..20) {
                    // Still waiting: only for vacancies not yet closed.
                    0..=3 if open[v].closes >= today => {}
                    0..=8 => {
                        stages.extend([(Stage::Reviewed, later(3)), (Stage::Rejected, later(10))])
                    }
                    9..=12 => stages.push((Stage::Rejected, later(7))),
                    13..=15 => stages.extend([
                        (Stage::Reviewed, later(2)),
                        (Stage::Shortlisted, later(6)),
                        (Stage::Interview, later(12)),
                        (Stage::Rejected, later(16)),
                    ]),
                    16 => stages.push((Stage::Withdrawn, later(4))),
                    _ => stages.push((Stage::Reviewed, later(3))),
                }
                plan.push((v, stages));
            }
            if !plan.is_empty() {
                plans.push((r.job_seeker_id, plan));
            }
        }
        let (written, ids) = write_applications(conn, &plans, &open)?;
        made.applications += written;
        made.placements += outside.len();
        made.placements += write_placements(conn, outside, &through, &open, &ids)?;
    }
    Ok(made)
}

fn load_vacancies(conn: &mut DbConnection) -> QueryResult<Vec<Open>> {
    type Row = (
        VacancyId,
        String,
        String,
        Option<JobTitleId>,
        String,
        String,
        Option<i64>,
        Option<NaiveDateTime>,
        NaiveDate,
        i32,
        i32,
    );
    let rows: Vec<Row> = vacancies::table
        .inner_join(companies::table)
        .filter(vacancies::published_at.is_not_null())
        // A fixed order, so that the sort by date below ties the same way on both backends.
        .order(vacancies::id)
        .select((
            vacancies::id,
            companies::name,
            vacancies::title,
            vacancies::job_title_id,
            vacancies::kbji_code,
            vacancies::regency_code,
            vacancies::wage_min,
            vacancies::published_at,
            vacancies::closes_on,
            vacancies::filled_male,
            vacancies::filled_female,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Open {
                id: r.0,
                company: r.1,
                title: r.2,
                job_title_id: r.3,
                kbji: r.4,
                regency: r.5,
                wage: r.6,
                published: crate::domain::calendar::date_of(r.7?),
                closes: r.8,
                free_male: r.9,
                free_female: r.10,
            })
        })
        .collect())
}

/// A vacancy published in the two months before `placed` with a filled position left for
/// the resident's sex; taking it uses the position up.
fn pick_filled(
    rng: &mut ChaCha8Rng,
    open: &mut [Open],
    r: &Resident,
    placed: NaiveDate,
) -> Option<usize> {
    let from = open.partition_point(|v| v.published < placed - Days::new(60));
    let to = open.partition_point(|v| v.published <= placed - Days::new(3));
    let fits = |v: &Open| {
        if r.female {
            v.free_female > 0
        } else {
            v.free_male > 0
        }
    };
    let candidates: Vec<usize> = (from..to).filter(|i| fits(&open[*i])).collect();
    let i = *candidates.choose(rng)?;
    if r.female {
        open[i].free_female -= 1;
    } else {
        open[i].free_male -= 1;
    }
    Some(i)
}

/// A vacancy that was open at some time while the resident was looking.
fn pick_open(
    rng: &mut ChaCha8Rng,
    open: &[Open],
    from: NaiveDate,
    until: NaiveDate,
) -> Option<usize> {
    let start = open.partition_point(|v| v.published < from - Days::new(30));
    let end = open.partition_point(|v| v.published <= until);
    if start >= end {
        return None;
    }
    let i = rng.random_range(start..end);
    (open[i].closes >= from).then_some(i)
}

fn outside_placement(
    rng: &mut ChaCha8Rng,
    r: &Resident,
    placed: NaiveDate,
    titles: &HashMap<JobTitleId, (String, String)>,
) -> PlacementRow {
    let (title, code) = r
        .job_title_id
        .and_then(|id| titles.get(&id).cloned())
        .unwrap_or_else(|| ("Pekerja lepas".into(), "9329".into()));
    let kind = match rng.random_range(0..50) {
        0 => Kind::Akan,
        1..=4 => Kind::Akad,
        _ => Kind::Akl,
    };
    let (employer, section) = OUTSIDE.choose(rng).copied().unwrap_or(OUTSIDE[0]);
    PlacementRow {
        job_seeker_id: r.job_seeker_id,
        application_id: None,
        vacancy_id: None,
        company_id: None,
        employer_name: employer.to_owned(),
        kbli_section: Some(section),
        job_title: title,
        job_title_id: r.job_title_id,
        kbji_code: Some(code),
        kind: kind.as_str(),
        start_date: placed,
        monthly_wage: Some(i64::from(rng.random_range(25..45)) * 100_000),
        recorded_at: at(placed),
    }
}

/// Application ids by (vacancy, job seeker).
type Ids = HashMap<(VacancyId, JobSeekerId), ApplicationId>;

fn write_applications(
    conn: &mut DbConnection,
    plans: &[(JobSeekerId, Plan)],
    open: &[Open],
) -> QueryResult<(usize, Ids)> {
    let rows: Vec<AppRow> = plans
        .iter()
        .flat_map(|(seeker, plan)| {
            plan.iter().map(move |(v, stages)| {
                let (first, last) = (stages[0].1, stages[stages.len() - 1]);
                AppRow {
                    vacancy_id: open[*v].id,
                    job_seeker_id: *seeker,
                    note: None,
                    stage: last.0.as_str(),
                    applied_at: at(first),
                    updated_at: at(last.1),
                }
            })
        })
        .collect();
    // Each id comes back with its key (the order of RETURNING is not promised).
    let mut ids: Ids = HashMap::new();
    for chunk in rows.chunks(BATCH) {
        let made = crate::with_backend!(&mut *conn, |c| {
            diesel::insert_into(applications::table)
                .values(chunk)
                .returning((
                    applications::vacancy_id,
                    applications::job_seeker_id,
                    applications::id,
                ))
                .get_results::<(VacancyId, JobSeekerId, ApplicationId)>(c)
        })?;
        ids.extend(made.into_iter().map(|(v, s, id)| ((v, s), id)));
    }
    let events: Vec<_> = plans
        .iter()
        .flat_map(|(seeker, plan)| {
            let ids = &ids;
            plan.iter().flat_map(move |(v, stages)| {
                let id = ids[&(open[*v].id, *seeker)];
                stages.iter().map(move |(stage, on)| {
                    (
                        application_events::application_id.eq(id),
                        application_events::stage.eq(stage.as_str()),
                        application_events::occurred_at.eq(at(*on)),
                    )
                })
            })
        })
        .collect();
    for chunk in events.chunks(BATCH * 2) {
        crate::with_backend!(&mut *conn, |c| diesel::insert_into(
            application_events::table
        )
        .values(chunk)
        .execute(c))?;
    }
    Ok((rows.len(), ids))
}

fn write_placements(
    conn: &mut DbConnection,
    mut rows: Vec<PlacementRow>,
    through: &[(JobSeekerId, usize, NaiveDate)],
    open: &[Open],
    ids: &Ids,
) -> QueryResult<usize> {
    for (seeker, v, start) in through {
        let vacancy = &open[*v];
        rows.push(PlacementRow {
            job_seeker_id: *seeker,
            application_id: ids.get(&(vacancy.id, *seeker)).copied(),
            vacancy_id: Some(vacancy.id),
            company_id: None,
            employer_name: vacancy.company.clone(),
            job_title: vacancy.title.clone(),
            job_title_id: vacancy.job_title_id,
            kbji_code: Some(vacancy.kbji.clone()),
            kind: Kind::for_regency(&vacancy.regency).as_str(),
            start_date: *start,
            monthly_wage: vacancy.wage,
            recorded_at: at(*start),
            kbli_section: None,
        });
    }
    for chunk in rows.chunks(BATCH) {
        crate::with_backend!(&mut *conn, |c| diesel::insert_into(placements::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(through.len())
}
