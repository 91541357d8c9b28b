//! The demo's labour data (issue 14): JKP recipients from a BPJS list (most of them people
//! with no account, some of them demo job seekers, linked by NIK) with their counselling,
//! referrals and returns to work, and saved job alerts of some residents. Through the
//! owners' functions, one row at a time: a few thousand rows at most.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::names;
use super::seekers::Resident;
use crate::db::DbConnection;
use crate::domain::ids::{UserId, VacancyId};
use crate::domain::{Nik, Sex};
use crate::jkp::model::{
    self as jkp, CounsellingResult, FollowUp, Listed, Outcome, Reason, Source, Step,
};
use crate::people::Facts;

/// How many JKP recipients: one for every 25 job seekers, at least a dozen, at most 5,000.
pub fn recipients_for(job_seekers: usize) -> usize {
    (job_seekers / 25).clamp(12, 5_000)
}

const EMPLOYERS: &[(&str, Option<&str>)] = &[
    ("PT Tekstil Sumatera Binjai", Some("9120001000011")),
    ("PT Rambutan Agro Lestari", Some("9120001000022")),
    ("CV Mebel Jati Makmur", None),
    ("PT Logistik Timbang Langkat", Some("9120001000033")),
    ("Toko Grosir Pekan Binjai", None),
    ("PT Karet Bandar Senembah", Some("9120001000044")),
];

const REASONS: &[Reason] = &[
    Reason::Efficiency,
    Reason::Efficiency,
    Reason::Efficiency,
    Reason::Closure,
    Reason::ContractEnded,
    Reason::Bankruptcy,
    Reason::Merger,
    Reason::Other,
];

/// A NIK no demo job seeker holds: issued in Binjai Kota with serials from 9001, which the
/// residents' serials (counting from 1 per birth date) never reach.
fn outside_nik(rng: &mut ChaCha8Rng, n: usize, female: bool) -> (Nik, NaiveDate) {
    let birth = NaiveDate::from_ymd_opt(
        rng.random_range(1972..=2002),
        rng.random_range(1..=12),
        rng.random_range(1..=28),
    )
    .unwrap_or(NaiveDate::MIN);
    let day = birth.day() + if female { 40 } else { 0 };
    let raw = format!(
        "127502{day:02}{:02}{:02}{:04}",
        birth.month(),
        birth.year() % 100,
        9001 + n % 999
    );
    let nik =
        Nik::parse(&raw).unwrap_or_else(|_| Nik::parse("1275024101900001").expect("a valid NIK"));
    (nik, birth)
}

pub struct Made {
    pub recipients: usize,
    pub alerts: usize,
}

pub fn seed(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    residents: &[Resident],
    count: usize,
    officer: UserId,
    today: NaiveDate,
) -> anyhow::Result<Made> {
    let now = chrono::Utc::now().naive_utc();
    let vacancies: Vec<VacancyId> = crate::vacancies::sitemap_entries(conn, today, 200)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let mut recipients = 0;
    for n in 0..count {
        // One in five is a demo job seeker the list names too; the rest have no account.
        let known = (n % 5 == 0)
            .then(|| residents.get(n * 7 % residents.len().max(1)))
            .flatten()
            .map(|r| crate::seekers::find(conn, r.job_seeker_id))
            .transpose()?
            .flatten()
            .filter(|p| p.nik.is_some());
        let person = names::person(rng);
        let full_name = person.full_name();
        let (nik, sex, birth) = match &known {
            Some(p) => (p.nik.clone().expect("filtered"), p.sex, p.birth_date),
            None => {
                let (nik, birth) = outside_nik(rng, n, person.female);
                let sex = if person.female {
                    Sex::Female
                } else {
                    Sex::Male
                };
                (nik, Some(sex), Some(birth))
            }
        };
        let terminated_on = today - Duration::days(rng.random_range(20..360));
        let (employer, nib) = *EMPLOYERS.choose(rng).unwrap_or(&EMPLOYERS[0]);
        let listed = Listed {
            person: Facts {
                nik: &nik,
                name: &full_name,
                sex,
                birth_date: birth,
                kelurahan_code: None,
                regency_code: Some("12.75"),
                email: None,
                phone: None,
            },
            last_employer_name: employer,
            last_employer_nib: nib,
            terminated_on,
            reason: *REASONS.choose(rng).unwrap_or(&Reason::Efficiency),
            benefit_from: Some(terminated_on + Duration::days(30)),
            benefit_until: Some(terminated_on + Duration::days(210)),
            source: Source::Bpjs,
        };
        let id = match jkp::record_listed(conn, &listed, now)? {
            Outcome::Created(id) => id,
            Outcome::Known(_) => continue,
        };
        recipients += 1;
        let recipient =
            jkp::find(conn, id)?.ok_or_else(|| anyhow::anyhow!("recipient {id} vanished"))?;
        // Six in ten have been counselled; of those, some referred, a quarter back at work.
        if rng.random_range(0..10) >= 6 {
            continue;
        }
        let counselled_on = (terminated_on + Duration::days(rng.random_range(5..40))).min(today);
        let result = *[
            CounsellingResult::JobSearch,
            CounsellingResult::JobSearch,
            CounsellingResult::Training,
            CounsellingResult::SelfEmployment,
            CounsellingResult::NotReady,
        ]
        .choose(rng)
        .unwrap_or(&CounsellingResult::JobSearch);
        let step = |on| Step {
            on,
            officer,
            note: None,
        };
        jkp::follow_up(
            conn,
            &recipient,
            step(counselled_on),
            FollowUp::Counselled(result),
            now,
        )?;
        if let (CounsellingResult::JobSearch, Some(vacancy)) = (result, vacancies.choose(rng)) {
            jkp::follow_up(
                conn,
                &recipient,
                step(counselled_on),
                FollowUp::ReferredVacancy(*vacancy),
                now,
            )?;
        }
        if rng.random_range(0..4) == 0 {
            let back_on = (counselled_on + Duration::days(rng.random_range(10..90))).min(today);
            let (employer, nib) = *EMPLOYERS.choose(rng).unwrap_or(&EMPLOYERS[0]);
            let what = FollowUp::Reemployed {
                employer_name: employer,
                employer_nib: nib,
                job_title: ["Operator Produksi", "Kasir", "Staf Gudang", "Sopir"]
                    .choose(rng)
                    .copied()
                    .unwrap_or("Staf"),
            };
            jkp::follow_up(conn, &recipient, step(back_on), what, now)?;
        }
    }

    // Saved searches of one resident in ten, mailed daily or weekly.
    let mut alerts = 0;
    for r in residents.iter().step_by(10) {
        let query = ["q=kasir", "q=staf", "q=operator", "q=guru", "q=admin"]
            .choose(rng)
            .copied()
            .unwrap_or("q=staf");
        let frequency = if rng.random_range(0..3) == 0 {
            crate::alerts::model::Frequency::Daily
        } else {
            crate::alerts::model::Frequency::Weekly
        };
        crate::alerts::model::create(
            conn,
            r.job_seeker_id,
            &crate::alerts::model::normalise(query),
            frequency,
        )?;
        alerts += 1;
    }
    Ok(Made { recipients, alerts })
}

/// WLKP reports of demo companies with an NIB, for last year, in every state a report
/// passes through: most accepted, some waiting for review, some returned with a note, some
/// still drafts. Returns how many were filed.
pub fn seed_wlkp(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    companies: &[crate::domain::ids::CompanyId],
    verifier: UserId,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    use crate::wlkp::model::{self as wlkp, Filing, StepError};
    use crate::wlkp::{Status, Trigger};
    let mut filed = 0;
    for (n, company_id) in companies.iter().enumerate() {
        let Some(company) = crate::employers::find_company(conn, *company_id)? else {
            continue;
        };
        let (Some(nib), Some(owner)) = (
            company.nib.clone(),
            crate::accounts::directory::company_members(conn, *company_id)?
                .into_iter()
                .next(),
        ) else {
            continue;
        };
        let figures = demo_figures(rng);
        let filing = Filing {
            company: *company_id,
            nib: &nib,
            period_year: today.year() - 1,
            trigger: Trigger::Annual,
            figures: &figures,
        };
        let step = |r: Result<(), StepError>| -> anyhow::Result<()> {
            r.map_err(|e| anyhow::anyhow!("demo WLKP report: {e:?}"))
        };
        let id = match wlkp::create(conn, &filing, owner.id) {
            Ok(id) => id,
            Err(e) => return Err(anyhow::anyhow!("demo WLKP report: {e:?}")),
        };
        filed += 1;
        // Of every seven: one stays a draft, one waits for review, one is returned, the rest
        // are accepted (so that even the small demo has every state).
        if n % 7 == 1 {
            continue;
        }
        let report =
            wlkp::find(conn, id)?.ok_or_else(|| anyhow::anyhow!("report {id} vanished"))?;
        step(wlkp::submit(conn, &report, owner.id))?;
        let report =
            wlkp::find(conn, id)?.ok_or_else(|| anyhow::anyhow!("report {id} vanished"))?;
        match n % 7 {
            // Waiting for the verifiers.
            2 => {}
            3 => step(wlkp::review(
                conn,
                &report,
                Status::Returned,
                Some(
                    "Jumlah pekerja menurut pendidikan belum sesuai daftar gaji; mohon diperiksa kembali.",
                ),
                verifier,
            ))?,
            _ => step(wlkp::review(
                conn,
                &report,
                Status::Accepted,
                None,
                verifier,
            ))?,
        }
    }
    Ok(filed)
}

/// A small company's workforce whose three breakdowns agree.
fn demo_figures(rng: &mut ChaCha8Rng) -> crate::wlkp::Figures {
    let mut f = crate::wlkp::Figures::default();
    let total: i32 = rng.random_range(4..120);
    for _ in 0..total {
        let sex = rng.random_range(0..2);
        let citizenship = usize::from(rng.random_range(0..50) == 0);
        let contract = match rng.random_range(0..10) {
            0..=5 => 0,
            6..=8 => 1,
            _ => 2,
        };
        f.headcount[sex][citizenship][contract] += 1;
        // Mostly SMA/SMK, some SMP and diplomas or degrees (indexes of the 13 levels).
        let level = *[3usize, 4, 4, 5, 5, 5, 8, 10].choose(rng).unwrap_or(&4);
        f.education[level] += 1;
        let age = *[1usize, 1, 2, 2, 2, 3, 4, 0].choose(rng).unwrap_or(&2);
        f.ages[age] += 1;
    }
    f.disabled = i32::from(total > 50);
    f.apprentices = rng.random_range(0..3);
    f.lowest_wage = crate::domain::Rupiah::new(rng.random_range(29..36) * 100_000).ok();
    f.bpjs_tk = total - rng.random_range(0..=total / 10);
    f.bpjs_kes = total;
    f
}
