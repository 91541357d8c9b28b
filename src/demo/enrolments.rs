//! Demo enrolments in the demo programmes, consistent with their dates and with the
//! residents' own story: residents apply while they are looking for work; a programme whose
//! registration has closed accepted up to its quota and put the rest on its waiting list or
//! refused them; a finished programme's participants completed (most with a certificate)
//! or dropped out with a reason. Some participants are residents whose placement came
//! within months of the course, so the outcome figures have something to count.

use crate::domain::ids::{EnrolmentId, JobSeekerId, ProgrammeId, ProviderId};
use std::collections::{HashMap, HashSet};

use chrono::{Days, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::seekers::Resident;
use crate::db::DbConnection;
use crate::schema::{
    job_seekers, training_enrolment_events, training_enrolments, training_programmes,
};
use crate::training::enrolment::Status;
use crate::training::programmes::Status as ProgrammeStatus;

const BATCH: usize = 500;

const DROP_REASONS: &[&str] = &[
    "Diterima bekerja sebelum pelatihan selesai",
    "Pindah domisili ke luar kota",
    "Alasan kesehatan",
    "Tidak hadir lebih dari tiga hari berturut-turut",
];
const REFUSAL_REASONS: &[&str] = &[
    "Kuota sudah terpenuhi oleh pendaftar yang lebih dulu memenuhi syarat",
    "Dokumen persyaratan tidak lengkap sampai batas pendaftaran",
];

fn at(d: NaiveDate, hour: u32) -> NaiveDateTime {
    d.and_hms_opt(hour, 0, 0).unwrap_or_default()
}

#[derive(Insertable)]
#[diesel(table_name = training_enrolments)]
struct Row {
    programme_id: ProgrammeId,
    job_seeker_id: JobSeekerId,
    status: &'static str,
    reason: Option<&'static str>,
    certificate_number: Option<String>,
    applied_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// One enrolment before its id: the row and its dated steps.
struct Plan {
    row: Row,
    steps: Vec<(Status, NaiveDate, Option<&'static str>)>,
}

type ProgrammeRow = (
    ProgrammeId,
    ProviderId,
    ProgrammeStatus,
    i32,
    i16,
    String,
    NaiveDate,
    NaiveDate,
    NaiveDate,
    NaiveDate,
);

/// Enrols demo residents in the demo programmes; returns how many enrolments were made.
pub fn seed(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    residents: &[Resident],
    today: NaiveDate,
) -> QueryResult<usize> {
    let programmes: Vec<ProgrammeRow> = training_programmes::table
        .filter(training_programmes::status.ne_all([
            ProgrammeStatus::Draft.as_str(),
            ProgrammeStatus::Cancelled.as_str(),
        ]))
        .filter(training_programmes::registration_opens_on.le(today))
        .order(training_programmes::id)
        .select((
            training_programmes::id,
            training_programmes::provider_id,
            training_programmes::status,
            training_programmes::quota,
            training_programmes::education_min,
            training_programmes::certificate,
            training_programmes::registration_opens_on,
            training_programmes::registration_closes_on,
            training_programmes::starts_on,
            training_programmes::ends_on,
        ))
        .load(conn)?;
    if programmes.is_empty() || residents.is_empty() {
        return Ok(0);
    }
    // Only residents who meet a programme's minimum education apply to it.
    let education: HashMap<JobSeekerId, i16> = job_seekers::table
        .filter(job_seekers::education_level.is_not_null())
        .select((
            job_seekers::id,
            job_seekers::education_level.assume_not_null(),
        ))
        .load::<(JobSeekerId, i16)>(conn)?
        .into_iter()
        .collect();
    // Residents placed in work, by the day they started: the ones a course may have helped.
    let mut placed: Vec<(NaiveDate, usize)> = residents
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.placed_on.map(|d| (d, i)))
        .collect();
    placed.sort_unstable();

    let mut plans: Vec<Plan> = Vec::new();
    let mut seats: Vec<(ProgrammeId, i32)> = Vec::new();
    for (id, provider, status, quota, education_min, certificate, opens, closes, starts, ends) in
        programmes
    {
        let open_now = status == ProgrammeStatus::Published;
        // A programme still taking enrolments has some of them so far.
        let wanted = if open_now {
            rng.random_range(0..=quota as usize * 2 / 3)
        } else {
            (quota as usize * rng.random_range(70..160) / 100).max(1)
        };
        let last_day = closes.min(today);
        let looking = |r: &Resident| {
            r.registered <= last_day
                && r.looking_until.max(r.placed_on.unwrap_or(r.looking_until)) >= opens
                && education
                    .get(&r.job_seeker_id)
                    .is_some_and(|e| *e >= education_min)
        };
        let mut chosen: Vec<usize> = Vec::new();
        let mut taken: HashSet<usize> = HashSet::new();
        if status == ProgrammeStatus::Finished {
            // Residents who started work from the course's first day to six months after.
            let until = ends.checked_add_months(Months::new(6)).unwrap_or(ends);
            let from = placed.partition_point(|(d, _)| *d < starts);
            let to = placed.partition_point(|(d, _)| *d <= until);
            let helped: Vec<usize> = placed[from..to]
                .iter()
                .map(|(_, i)| *i)
                .filter(|i| residents[*i].registered <= last_day && looking(&residents[*i]))
                .collect();
            for i in helped.choose_multiple(rng, (wanted * 2 / 5).min(helped.len())) {
                if taken.insert(*i) {
                    chosen.push(*i);
                }
            }
        }
        let mut tries = 0;
        while chosen.len() < wanted && tries < wanted * 60 {
            tries += 1;
            let i = rng.random_range(0..residents.len());
            if !taken.contains(&i) && looking(&residents[i]) {
                taken.insert(i);
                chosen.push(i);
            }
        }
        // First come, first served.
        let mut applied: Vec<(NaiveDate, usize)> = chosen
            .into_iter()
            .map(|i| {
                let first = opens.max(residents[i].registered);
                let span = (last_day - first).num_days().max(0) as u64;
                (first + Days::new(rng.random_range(0..=span)), i)
            })
            .collect();
        applied.sort_unstable();
        let mut held = 0;
        let mut serial = 0;
        for (on, i) in applied {
            let seeker = residents[i].job_seeker_id;
            let mut steps = vec![(Status::Applied, on, None)];
            let decided = closes.min(today);
            if !open_now && held < quota {
                held += 1;
                steps.push((Status::Accepted, decided, None));
                if status == ProgrammeStatus::Finished {
                    if rng.random_bool(0.87) {
                        steps.push((Status::Completed, ends, None));
                    } else {
                        let left = starts
                            + Days::new(
                                rng.random_range(0..=(ends - starts).num_days().max(0) as u64),
                            );
                        steps.push((Status::DroppedOut, left, DROP_REASONS.choose(rng).copied()));
                    }
                }
            } else if open_now && rng.random_bool(0.3) && held < quota {
                held += 1;
                steps.push((Status::Accepted, on.max(today.min(on + Days::new(2))), None));
            } else if !open_now {
                if rng.random_bool(0.6) {
                    steps.push((Status::Waitlisted, decided, None));
                } else {
                    steps.push((
                        Status::Rejected,
                        decided,
                        REFUSAL_REASONS.choose(rng).copied(),
                    ));
                }
            }
            let (last, last_on, reason) = steps[steps.len() - 1];
            let certificate_number = (last == Status::Completed
                && certificate != "none"
                && rng.random_bool(0.9))
            .then(|| {
                serial += 1;
                format!(
                    "{}-{:04}/{}/{serial:03}",
                    if certificate == "bnsp" { "BNSP" } else { "SRT" },
                    provider,
                    id
                )
            });
            plans.push(Plan {
                row: Row {
                    programme_id: id,
                    job_seeker_id: seeker,
                    status: last.as_str(),
                    reason,
                    certificate_number,
                    applied_at: at(on, 10),
                    updated_at: at(last_on, 11),
                },
                steps,
            });
        }
        if held > 0 {
            seats.push((id, held));
        }
    }
    write(conn, &plans)?;
    for (id, held) in seats {
        diesel::update(training_programmes::table.find(id))
            .set(training_programmes::seats_taken.eq(held))
            .execute(conn)?;
    }
    Ok(plans.len())
}

fn write(conn: &mut DbConnection, plans: &[Plan]) -> QueryResult<()> {
    // Each id comes back with its key (the order of RETURNING is not promised).
    let mut ids: HashMap<(ProgrammeId, JobSeekerId), EnrolmentId> = HashMap::new();
    for chunk in plans.chunks(BATCH) {
        let rows: Vec<&Row> = chunk.iter().map(|p| &p.row).collect();
        let made = crate::with_backend!(&mut *conn, |c| {
            diesel::insert_into(training_enrolments::table)
                .values(rows)
                .returning((
                    training_enrolments::programme_id,
                    training_enrolments::job_seeker_id,
                    training_enrolments::id,
                ))
                .get_results::<(ProgrammeId, JobSeekerId, EnrolmentId)>(c)
        })?;
        ids.extend(made.into_iter().map(|(p, s, id)| ((p, s), id)));
    }
    let events: Vec<_> = plans
        .iter()
        .flat_map(|p| {
            let id = ids[&(p.row.programme_id, p.row.job_seeker_id)];
            p.steps
                .iter()
                .enumerate()
                .map(move |(n, (status, on, note))| {
                    (
                        training_enrolment_events::enrolment_id.eq(id),
                        training_enrolment_events::status.eq(status.as_str()),
                        training_enrolment_events::note.eq(*note),
                        // Steps of one day keep their order.
                        training_enrolment_events::occurred_at.eq(at(*on, 9 + n as u32)),
                    )
                })
        })
        .collect();
    for chunk in events.chunks(BATCH * 2) {
        crate::with_backend!(&mut *conn, |c| diesel::insert_into(
            training_enrolment_events::table
        )
        .values(chunk)
        .execute(c))?;
    }
    Ok(())
}
