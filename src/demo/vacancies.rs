//! Demo vacancies: three years of postings by the verified demo companies, in every state
//! the lifecycle allows, each with the dated events that led there. Written in batches with
//! ids chosen here, because a row-at-a-time insert of the `large` scale's 100,000 vacancies
//! and their events would take minutes on PostgreSQL.

use crate::domain::ids::{CompanyId, JobTitleId, VacancyId};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use crate::db::DbConnection;
use crate::db::fulltext::fold;
use crate::domain::{Email, KbjiCode, Phone};
use crate::reference::education::EducationLevel;
use crate::reference::regions;
use crate::schema::{companies, vacancies, vacancy_events};
use crate::vacancies::{EmploymentType, VacancyStatus};
use crate::with_backend;

/// A verified demo company that posts vacancies.
pub struct Poster {
    pub id: CompanyId,
    pub name: String,
}

#[derive(Insertable)]
#[diesel(table_name = vacancies)]
struct Row {
    id: VacancyId,
    company_id: CompanyId,
    title: String,
    kbji_code: KbjiCode,
    job_title_id: Option<JobTitleId>,
    description: String,
    requirements: String,
    education_min: i16,
    field_of_study: Option<String>,
    experience_months: i32,
    skills: String,
    employment_type: &'static str,
    kelurahan_code: Option<&'static str>,
    regency_code: &'static str,
    wage_min: Option<i64>,
    wage_max: Option<i64>,
    show_wage: bool,
    quota_male: i32,
    quota_female: i32,
    quota_any: i32,
    disability_friendly: bool,
    age_min: Option<i16>,
    age_max: Option<i16>,
    age_reason: Option<&'static str>,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    status: &'static str,
    status_note: Option<&'static str>,
    status_changed_at: NaiveDateTime,
    filled_male: i32,
    filled_female: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    published_at: Option<NaiveDateTime>,
    search_text: String,
}

#[derive(Insertable)]
#[diesel(table_name = vacancy_events)]
struct Event {
    vacancy_id: VacancyId,
    kind: &'static str,
    status: &'static str,
    note: Option<&'static str>,
    filled_male: i32,
    filled_female: i32,
    occurred_at: NaiveDateTime,
}

/// What a job group's vacancies ask for: education, wage band (Rp a month), skills.
struct Profile {
    education: &'static [EducationLevel],
    wage: (i64, i64),
    skills: &'static [&'static str],
    duties: &'static [&'static str],
}

fn profile(group: char) -> Profile {
    use EducationLevel::*;
    match group {
        '1' => Profile {
            education: &[D3, S1, S1],
            wage: (5_000_000, 12_000_000),
            skills: &[
                "kepemimpinan",
                "penyusunan anggaran",
                "negosiasi",
                "Microsoft Excel",
            ],
            duties: &[
                "memimpin tim",
                "menyusun rencana kerja bulanan",
                "melaporkan kinerja cabang",
            ],
        },
        '2' => Profile {
            education: &[S1, S1, D4, D3],
            wage: (4_500_000, 10_000_000),
            skills: &[
                "analisis data",
                "akuntansi",
                "pemrograman",
                "pelayanan pasien",
                "bahasa Inggris",
            ],
            duties: &[
                "menyusun laporan",
                "memberi layanan profesional",
                "mengembangkan sistem kerja",
            ],
        },
        '3' => Profile {
            education: &[D3, D3, SeniorSecondary, Vocational],
            wage: (3_500_000, 6_500_000),
            skills: &[
                "pembukuan",
                "perawatan mesin",
                "pemasaran",
                "administrasi penjualan",
            ],
            duties: &[
                "membantu tenaga ahli",
                "memeriksa mutu barang",
                "mencatat transaksi",
            ],
        },
        '4' => Profile {
            education: &[SeniorSecondary, Vocational, D3],
            wage: (3_100_000, 5_000_000),
            skills: &[
                "Microsoft Office",
                "pengarsipan",
                "ketelitian",
                "administrasi gudang",
            ],
            duties: &[
                "mengelola arsip",
                "menginput data",
                "melayani tamu",
                "mencatat stok",
            ],
        },
        '5' => Profile {
            education: &[JuniorSecondary, SeniorSecondary, Vocational],
            wage: (2_800_000, 4_500_000),
            skills: &["pelayanan pelanggan", "komunikasi", "kasir", "memasak"],
            duties: &[
                "melayani pelanggan",
                "menjaga kebersihan toko",
                "menyiapkan pesanan",
            ],
        },
        '6' => Profile {
            education: &[Primary, JuniorSecondary],
            wage: (2_500_000, 3_800_000),
            skills: &["perawatan tanaman", "budidaya ikan", "pemupukan"],
            duties: &["merawat kebun", "memanen hasil", "memberi pakan ternak"],
        },
        '7' => Profile {
            education: &[JuniorSecondary, Vocational, SeniorSecondary],
            wage: (3_000_000, 5_500_000),
            skills: &[
                "pengelasan",
                "kelistrikan",
                "otomotif",
                "menjahit",
                "pertukangan kayu",
            ],
            duties: &[
                "mengerjakan pesanan",
                "memperbaiki peralatan",
                "menjaga keselamatan kerja",
            ],
        },
        '8' => Profile {
            education: &[JuniorSecondary, SeniorSecondary, Vocational],
            wage: (3_000_000, 5_000_000),
            skills: &[
                "SIM B1",
                "SIM C",
                "mengoperasikan forklift",
                "perawatan mesin",
            ],
            duties: &[
                "mengoperasikan mesin",
                "mengantar barang",
                "memeriksa kendaraan",
            ],
        },
        '9' => Profile {
            education: &[Primary, JuniorSecondary],
            wage: (2_600_000, 3_500_000),
            skills: &["kebersihan", "bongkar muat", "kerja tim"],
            duties: &[
                "membersihkan area kerja",
                "memuat barang",
                "membantu tukang",
            ],
        },
        _ => Profile {
            education: &[SeniorSecondary],
            wage: (3_000_000, 4_000_000),
            skills: &["disiplin"],
            duties: &["menjalankan tugas"],
        },
    }
}

/// Job groups as often as Binjai's vacancies show them: sales, services, clerks and
/// operators far more than managers or the military.
const GROUP_WEIGHTS: &[(char, u32)] = &[
    ('1', 3),
    ('2', 8),
    ('3', 10),
    ('4', 18),
    ('5', 22),
    ('6', 4),
    ('7', 14),
    ('8', 11),
    ('9', 10),
];

const TITLE_SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    "",
    " Senior",
    " Junior",
    " (Shift Malam)",
    " Cabang Binjai",
];
const FIELDS: &[&str] = &[
    "Akuntansi",
    "Manajemen",
    "Teknik Mesin",
    "Teknik Informatika",
    "Keperawatan",
    "Tata Boga",
    "Otomotif",
];
const OUTSIDE: &[&str] = &["12.71", "12.07", "12.05"]; // Medan, Deli Serdang, Langkat
const AGE_REASON: &str = "Pekerjaan fisik berat dengan shift malam; batas usia sesuai hasil \
                          penilaian keselamatan kerja perusahaan.";
const REJECT_REASON: &str = "Deskripsi pekerjaan belum jelas; lengkapi tugas dan upahnya.";

fn pick_group(rng: &mut ChaCha8Rng) -> char {
    let total: u32 = GROUP_WEIGHTS.iter().map(|(_, w)| w).sum();
    let mut n = rng.random_range(0..total);
    for (g, w) in GROUP_WEIGHTS {
        if n < *w {
            return *g;
        }
        n -= w;
    }
    '5'
}

fn at(d: NaiveDate, hour: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default())
}

/// The company's contact details, so that "how to apply" has somewhere to send people.
fn add_contacts(conn: &mut DbConnection, posters: &[Poster]) -> QueryResult<()> {
    for (i, p) in posters.iter().enumerate() {
        let slug: String = p
            .name
            .split_whitespace()
            .skip(1)
            .map(super::names::ascii_slug)
            .collect::<Vec<_>>()
            .join("");
        let email = Email::parse(&format!("hrd{i}@{slug}.example"));
        let phone = Phone::parse(&format!("+62 61 88{:05}", i % 100_000));
        let invalid = |e: &dyn std::fmt::Display| {
            diesel::result::Error::SerializationError(format!("demo contact: {e}").into())
        };
        diesel::update(companies::table.find(p.id))
            .set((
                companies::contact_email.eq(email.map_err(|e| invalid(&e))?),
                companies::contact_phone.eq(phone.map_err(|e| invalid(&e))?),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Creates `count` vacancies of the given companies, spread over the three years before
/// `today`; returns how many were made.
pub fn seed(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    posters: &[Poster],
    count: usize,
    today: NaiveDate,
) -> QueryResult<usize> {
    if posters.is_empty() {
        return Ok(0);
    }
    add_contacts(conn, posters)?;
    let titles = crate::reference::job_titles(conn)?;
    let first_id: i32 = vacancies::table
        .select(diesel::dsl::max(vacancies::id))
        .first::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    let kelurahan: Vec<&'static str> = regions::binjai_kelurahan().map(|r| r.code).collect();
    let span_days = 3 * 365;
    let mut rows = Vec::with_capacity(BATCH);
    let mut events = Vec::with_capacity(BATCH * 3);
    let mut made = 0;
    let mut next_id = first_id;
    // Until `count` are made: a draw that would lie wholly in the future is drawn again.
    while made < count {
        let id = VacancyId::new(next_id);
        let poster = &posters[rng.random_range(0..posters.len())];
        let group = pick_group(rng);
        let candidates: Vec<&(JobTitleId, KbjiCode, String, String)> = titles
            .iter()
            .filter(|t| t.1.as_str().starts_with(group))
            .collect();
        let Some(&&(job_id, ref code, ref title_id, ref title_en)) = candidates.choose(rng) else {
            continue;
        };
        let p = profile(group);
        let title = format!(
            "{title_id}{}",
            TITLE_SUFFIXES.choose(rng).copied().unwrap_or("")
        );
        let skills: Vec<&str> = p
            .skills
            .choose_multiple(rng, 2.min(p.skills.len()))
            .copied()
            .collect();
        let duties: Vec<&str> = p.duties.choose_multiple(rng, 2).copied().collect();
        let description = format!(
            "{} membuka lowongan {} untuk {}.\n\nTugas utama: {}.",
            poster.name,
            title.to_lowercase(),
            duties.first().copied().unwrap_or("bekerja"),
            duties.join(", ")
        );
        let education = *p
            .education
            .choose(rng)
            .unwrap_or(&EducationLevel::SeniorSecondary);
        let experience = [0, 0, 6, 12, 24].choose(rng).copied().unwrap_or(0);
        let requirements = format!(
            "Pendidikan minimal {}.\nPengalaman {}.\nBerdomisili di Binjai atau sekitarnya.",
            education.name_id(),
            if experience == 0 {
                "tidak disyaratkan; lulusan baru dipersilakan".to_owned()
            } else {
                format!("paling sedikit {experience} bulan")
            }
        );
        let kind = match rng.random_range(0..20) {
            0..=8 => EmploymentType::Pkwt,
            9..=13 => EmploymentType::Pkwtt,
            14..=15 => EmploymentType::PartTime,
            16..=17 => EmploymentType::Daily,
            _ => EmploymentType::Internship,
        };
        let (kelurahan_code, regency_code) = if rng.random_bool(0.9) {
            (kelurahan.choose(rng).copied(), regions::BINJAI_CODE)
        } else {
            (None, OUTSIDE.choose(rng).copied().unwrap_or("12.71"))
        };
        // Rounded to Rp50.000, as wages are written.
        let low = rng.random_range(p.wage.0..=p.wage.1) / 50_000 * 50_000;
        let high = low + rng.random_range(0..=6) * 250_000;
        let stated = rng.random_range(0..10);
        let (wage_min, wage_max) = match stated {
            0 => (None, None),
            1 => (Some(low), None),
            _ => (Some(low), Some(high)),
        };
        let positions = [1, 1, 1, 2, 2, 3, 5, 10].choose(rng).copied().unwrap_or(1);
        let (quota_male, quota_female, quota_any) = match rng.random_range(0..6) {
            0 => (positions, 0, 0),
            1 => (0, positions, 0),
            2 if positions > 1 => (positions / 2, positions - positions / 2, 0),
            _ => (0, 0, positions),
        };
        let aged = rng.random_bool(0.08);
        // Every month of the three years has vacancies to count, and a share of recent
        // ones keeps the board alive; a few open in the coming days.
        let back = if rng.random_bool(0.15) {
            rng.random_range(-5..45)
        } else {
            rng.random_range(-5..span_days)
        };
        let opens_on = today - Duration::days(back);
        let closes_on = opens_on + Duration::days(rng.random_range(14..=60));
        let created = at(opens_on - Duration::days(rng.random_range(1..=4)), 9);
        let submitted = created + Duration::hours(rng.random_range(1..=30));
        let reviewed = submitted + Duration::hours(rng.random_range(2..=48));
        let mut history: Vec<(VacancyStatus, NaiveDateTime, Option<&'static str>)> =
            vec![(VacancyStatus::Draft, created, None)];
        let (mut filled_male, mut filled_female) = (0, 0);
        let mut fills: Vec<(i32, i32, NaiveDateTime)> = Vec::new();
        let still_open = closes_on >= today;
        let roll = rng.random_range(0..100);
        if still_open && roll < 4 {
            // Still being written.
        } else if still_open && roll < 12 && reviewed > at(today, 0) - Duration::days(3) {
            history.push((VacancyStatus::Submitted, submitted, None));
        } else if roll < 15 {
            history.push((VacancyStatus::Submitted, submitted, None));
            history.push((VacancyStatus::Rejected, reviewed, Some(REJECT_REASON)));
        } else {
            history.push((VacancyStatus::Submitted, submitted, None));
            history.push((VacancyStatus::Published, reviewed, None));
            let end = if still_open {
                None
            } else {
                Some(match rng.random_range(0..10) {
                    0..=5 => (VacancyStatus::Expired, at(closes_on + Duration::days(1), 1)),
                    6..=8 => (VacancyStatus::Filled, at(closes_on, 15)),
                    _ => (VacancyStatus::Closed, at(closes_on - Duration::days(2), 10)),
                })
            };
            // Some positions are filled while the vacancy runs: all of them when it ends
            // filled, part of them otherwise.
            let filled = match end {
                Some((VacancyStatus::Filled, _)) => positions,
                _ if rng.random_bool(0.4) => rng.random_range(0..=positions),
                _ => 0,
            };
            if filled > 0 {
                let men = match (quota_male, quota_female) {
                    (m, 0) if m > 0 => filled,
                    (0, f) if f > 0 => 0,
                    _ => rng.random_range(0..=filled),
                };
                let when = match end {
                    Some((_, t)) => t,
                    None => reviewed + Duration::days(rng.random_range(1..=10)),
                }
                .min(at(today, 0));
                fills.push((men, filled - men, when));
                filled_male = men;
                filled_female = filled - men;
            }
            if let Some((status, t)) = end {
                history.push((status, t, None));
            }
        }
        // Nothing happens in the future, whatever the dice said.
        history.retain(|(_, t, _)| *t <= at(today, 23));
        let Some(&(status, changed, note)) = history.last() else {
            continue;
        };
        let published_at = history
            .iter()
            .find(|(s, _, _)| *s == VacancyStatus::Published)
            .map(|(_, t, _)| *t);
        let doc = fold(
            &[
                title.as_str(),
                title_id,
                title_en,
                &skills.join(", "),
                &poster.name,
                &description,
            ]
            .join(" \n "),
        );
        made += 1;
        next_id += 1;
        rows.push(Row {
            id,
            company_id: poster.id,
            title,
            kbji_code: code.clone(),
            job_title_id: Some(job_id),
            description,
            requirements,
            education_min: education.code(),
            field_of_study: (education >= EducationLevel::D1).then(|| {
                FIELDS
                    .choose(rng)
                    .copied()
                    .unwrap_or("Manajemen")
                    .to_owned()
            }),
            experience_months: experience,
            skills: skills.join(", "),
            employment_type: kind.as_str(),
            kelurahan_code,
            regency_code,
            wage_min,
            wage_max,
            show_wage: stated < 8,
            quota_male,
            quota_female,
            quota_any,
            disability_friendly: rng.random_bool(0.15),
            age_min: aged.then_some(18),
            age_max: aged.then_some(35),
            age_reason: aged.then_some(AGE_REASON),
            opens_on,
            closes_on,
            status: status.as_str(),
            status_note: note,
            status_changed_at: changed,
            filled_male,
            filled_female,
            created_at: created,
            updated_at: changed,
            published_at,
            search_text: doc,
        });
        for (s, t, note) in &history {
            events.push(Event {
                vacancy_id: id,
                kind: "status",
                status: s.as_str(),
                note: *note,
                filled_male: 0,
                filled_female: 0,
                occurred_at: *t,
            });
        }
        for (men, women, t) in fills {
            events.push(Event {
                vacancy_id: id,
                kind: "filled",
                status: VacancyStatus::Published.as_str(),
                note: None,
                filled_male: men,
                filled_female: women,
                occurred_at: t,
            });
        }
        if rows.len() == BATCH {
            flush(conn, &mut rows, &mut events)?;
        }
    }
    flush(conn, &mut rows, &mut events)?;
    if let DbConnection::Pg(_) = conn {
        // The ids were chosen here; the sequence must carry on after them.
        diesel::sql_query(
            "SELECT setval(pg_get_serial_sequence('vacancies', 'id'), \
             (SELECT COALESCE(MAX(id), 1) FROM vacancies))",
        )
        .execute(conn)?;
    }
    Ok(made)
}

/// Rows per INSERT: 500 rows of 35 columns stay under both backends' limits on bound values.
const BATCH: usize = 500;

fn flush(conn: &mut DbConnection, rows: &mut Vec<Row>, events: &mut Vec<Event>) -> QueryResult<()> {
    if !rows.is_empty() {
        with_backend!(&mut *conn, |c| diesel::insert_into(vacancies::table)
            .values(&*rows)
            .execute(c))?;
        rows.clear();
    }
    for chunk in events.chunks(BATCH * 2) {
        with_backend!(&mut *conn, |c| diesel::insert_into(vacancy_events::table)
            .values(chunk)
            .execute(c))?;
    }
    events.clear();
    Ok(())
}
