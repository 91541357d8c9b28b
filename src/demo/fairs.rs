//! The demo's job fairs (issue 20): one held two months ago, with its companies, the
//! residents who came (counted at the door with their data as it was) and the interviews
//! at the booths; and one next month, taking tickets and booth applications, two of them
//! still waiting for the Dinas. Written in bulk, dated as they would have been.

use chrono::{Duration, NaiveDate, NaiveTime};
use diesel::prelude::*;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::seekers::Resident;
use super::vacancies::Poster;
use crate::db::DbConnection;
use crate::domain::ids::{BoothId, JobFairId, UserId};
use crate::fairs::{BoothStatus, EventKind, Mode, Source, Status, TicketStatus};
use crate::schema::{
    job_fair_booth_vacancies, job_fair_booths, job_fair_interviews, job_fair_ticket_events,
    job_fair_tickets, job_fairs,
};

struct Plan {
    name: &'static str,
    description: &'static str,
    starts_in: i64,
    venue: &'static str,
    kelurahan: &'static str,
    capacity: i32,
    /// Companies with approved booths, then those still waiting.
    approved: usize,
    waiting: usize,
    tickets: usize,
}

const PAST: Plan = Plan {
    name: "Job Fair Kota Binjai 2026",
    description: "Bursa kerja tahunan Pemerintah Kota Binjai bersama Dinas Ketenagakerjaan: \
                  perusahaan dari Binjai dan Medan membuka lowongan dan mewawancarai pencari \
                  kerja di tempat. Gratis; bawa KTP dan daftar riwayat hidup.",
    starts_in: -60,
    venue: "Lapangan Merdeka Binjai",
    kelurahan: "12.75.01.1001",
    capacity: 2_000,
    approved: 8,
    waiting: 0,
    tickets: 60,
};

const COMING: Plan = Plan {
    name: "Bursa Kerja Binjai Awal Tahun 2027",
    description: "Bursa kerja awal tahun di Gedung Nasional Binjai: lowongan ritel, \
                  perbankan, manufaktur dan jasa. Ambil tiket gratis di portal, tunjukkan \
                  kode QR-nya di pintu masuk.",
    starts_in: 30,
    venue: "Gedung Nasional Binjai",
    kelurahan: "12.75.01.1008",
    capacity: 1_500,
    approved: 5,
    waiting: 2,
    tickets: 25,
};

/// Seeds both fairs; returns how many tickets were made.
pub fn seed(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    posters: &[Poster],
    residents: &[Resident],
    operator: UserId,
    today: NaiveDate,
) -> QueryResult<usize> {
    let past = fair(conn, &PAST, posters, residents, operator, today, rng, 0)?;
    // The coming fair's residents are others than the past one's.
    let coming = fair(conn, &COMING, posters, residents, operator, today, rng, 20)?;
    Ok(past + coming)
}

#[allow(clippy::too_many_arguments)]
fn fair(
    conn: &mut DbConnection,
    plan: &Plan,
    posters: &[Poster],
    residents: &[Resident],
    operator: UserId,
    today: NaiveDate,
    rng: &mut ChaCha8Rng,
    skip: usize,
) -> QueryResult<usize> {
    let starts = today + Duration::days(plan.starts_in);
    let ends = starts + Duration::days(1);
    let created = crate::domain::calendar::start_of(starts - Duration::days(45));
    let held = plan.starts_in < 0;
    let id: JobFairId = diesel::insert_into(job_fairs::table)
        .values((
            job_fairs::name.eq(plan.name),
            job_fairs::description.eq(plan.description),
            job_fairs::starts_on.eq(starts),
            job_fairs::ends_on.eq(ends),
            job_fairs::opens_at.eq(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default()),
            job_fairs::closes_at.eq(NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default()),
            job_fairs::mode.eq(Mode::OnSite),
            job_fairs::venue.eq(plan.venue),
            job_fairs::kelurahan_code.eq(plan.kelurahan),
            job_fairs::capacity.eq(plan.capacity),
            job_fairs::booth_deadline.eq(starts - Duration::days(10)),
            job_fairs::status.eq(Status::Published),
            job_fairs::created_by.eq(operator),
            job_fairs::created_at.eq(created),
            job_fairs::updated_at.eq(created),
        ))
        .returning(job_fairs::id)
        .get_result(conn)?;

    // Booths: the companies with open vacancies, each bringing up to three.
    let mut booths: Vec<(BoothId, Vec<crate::domain::ids::VacancyId>)> = Vec::new();
    let mut stand = 0;
    // The same companies may exhibit at both fairs, as they do in Binjai.
    for poster in posters {
        if booths.len() >= plan.approved + plan.waiting {
            break;
        }
        let (open, _) = crate::vacancies::open_of_company(conn, poster.id, today, 3)?;
        if open.is_empty() {
            continue;
        }
        let approved = booths.len() < plan.approved;
        let applied_at = crate::domain::calendar::start_of(starts - Duration::days(20));
        stand += usize::from(approved);
        let booth: BoothId = diesel::insert_into(job_fair_booths::table)
            .values((
                job_fair_booths::fair_id.eq(id),
                job_fair_booths::company_id.eq(poster.id),
                job_fair_booths::status.eq(if approved {
                    BoothStatus::Approved
                } else {
                    BoothStatus::Applied
                }),
                job_fair_booths::stand.eq(approved.then(|| format!("A{stand}"))),
                job_fair_booths::applied_at.eq(applied_at),
                job_fair_booths::decided_by.eq(approved.then_some(operator)),
                job_fair_booths::decided_at.eq(approved.then(|| applied_at + Duration::days(2))),
            ))
            .returning(job_fair_booths::id)
            .get_result(conn)?;
        for (v, ..) in &open {
            diesel::insert_into(job_fair_booth_vacancies::table)
                .values((
                    job_fair_booth_vacancies::booth_id.eq(booth),
                    job_fair_booth_vacancies::vacancy_id.eq(v),
                ))
                .execute(conn)?;
        }
        if approved {
            booths.push((booth, open.iter().map(|v| v.0).collect()));
        } else {
            booths.push((booth, Vec::new()));
        }
    }

    // Tickets: residents who registered on the portal; at the past fair four in five came,
    // and some were interviewed.
    let mut made = 0;
    for (n, resident) in residents
        .iter()
        .skip(skip * 3)
        .take(plan.tickets)
        .enumerate()
    {
        let registered =
            crate::domain::calendar::start_of(starts - Duration::days(rng.random_range(2..25)));
        let came = held && rng.random_range(0..5) < 4;
        let checked_in = came.then(|| {
            crate::domain::calendar::start_of(starts) + Duration::hours(2 + (n % 6) as i64)
        });
        let number = crate::fairs::tickets::number_from(id, rng);
        let ticket: crate::domain::ids::TicketId = diesel::insert_into(job_fair_tickets::table)
            .values((
                job_fair_tickets::fair_id.eq(id),
                job_fair_tickets::job_seeker_id.eq(resident.job_seeker_id),
                job_fair_tickets::number.eq(&number),
                job_fair_tickets::status.eq(TicketStatus::Registered),
                job_fair_tickets::source.eq(Source::Online),
                job_fair_tickets::registered_at.eq(registered),
                job_fair_tickets::checked_in_at.eq(checked_in),
                job_fair_tickets::checked_in_by.eq(checked_in.map(|_| operator)),
            ))
            .returning(job_fair_tickets::id)
            .get_result(conn)?;
        made += 1;
        let mut events = vec![(EventKind::Registered, registered)];
        if let Some(at) = checked_in {
            events.push((EventKind::CheckedIn, at));
        }
        for (kind, at) in events {
            let s = crate::fairs::tickets::snapshot(
                conn,
                resident.job_seeker_id,
                crate::domain::calendar::date_of(at),
            )?;
            diesel::insert_into(job_fair_ticket_events::table)
                .values((
                    job_fair_ticket_events::ticket_id.eq(ticket),
                    job_fair_ticket_events::kind.eq(kind),
                    job_fair_ticket_events::sex.eq(s.sex),
                    job_fair_ticket_events::age_group.eq(s.age_group),
                    job_fair_ticket_events::education.eq(s.education),
                    job_fair_ticket_events::kelurahan_code.eq(s.kelurahan_code),
                    job_fair_ticket_events::occurred_at.eq(at),
                ))
                .execute(conn)?;
        }
        // Interviews at a booth or two, for about one visitor in three.
        if let Some(at) = checked_in
            && !booths.is_empty()
            && rng.random_range(0..3) == 0
        {
            let (booth, vacancies) = &booths[rng.random_range(0..booths.len())];
            if vacancies.is_empty() {
                continue;
            }
            let vacancy = vacancies[rng.random_range(0..vacancies.len())];
            diesel::insert_into(job_fair_interviews::table)
                .values((
                    job_fair_interviews::booth_id.eq(booth),
                    job_fair_interviews::ticket_id.eq(ticket),
                    job_fair_interviews::vacancy_id.eq(vacancy),
                    job_fair_interviews::recorded_at.eq(at + Duration::minutes(40)),
                ))
                .execute(conn)?;
        }
    }
    diesel::update(job_fairs::table.find(id))
        .set(job_fairs::seats_taken.eq(made as i32))
        .execute(conn)?;
    Ok(made)
}
