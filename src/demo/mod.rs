//! `sibuser seed-demo`: realistic, deterministic Binjai data at a chosen scale. It is both
//! the living demo and the benchmark fixture, and it grows with each feature.

mod applications;
mod enrolments;
mod fairs;
mod labour;
mod names;
mod partners;
mod reports;
mod seekers;
mod training;
mod vacancies;

use crate::domain::ids::{CompanyId, UserId};
use diesel::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::accounts::{self, NewUser};
use crate::db::DbConnection;
use crate::domain::Role;

/// The seed is fixed so that every run, on either backend, makes the same data.
// The date the agreement was signed.
pub const SEED: u64 = 20_250_320;

/// The password of every demo account. Demo data only: never on a live portal.
pub const DEMO_PASSWORD: &str = "demo-binjai-2026";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// A few dozen records: the README's demo and the tests.
    Small,
    /// About the size of Binjai's register today.
    City,
    /// Five times the city: the benchmark fixture.
    Large,
}

impl Scale {
    fn job_seekers(self) -> usize {
        match self {
            Self::Small => 60,
            Self::City => 15_000,
            Self::Large => 1_000_000,
        }
    }

    /// Vacancies over three years; most have closed since, as on a real board.
    fn vacancies(self) -> usize {
        match self {
            Self::Small => 120,
            Self::City => 20_000,
            Self::Large => 100_000,
        }
    }

    /// Private training institutions (LPK), besides the demo login's BLK.
    fn providers(self) -> usize {
        match self {
            Self::Small => 5,
            Self::City => 20,
            Self::Large => 40,
        }
    }

    fn employer_users(self) -> usize {
        match self {
            Self::Small => 15,
            Self::City => 1_500,
            Self::Large => 5_000,
        }
    }
}

/// The fixed demo logins, one per role (listed in the README).
pub const DEMO_ACCOUNTS: &[(&str, &str, Role)] = &[
    ("admin@sibuser.example", "Admin SIBUSER", Role::SuperAdmin),
    (
        "operator@sibuser.example",
        "Rahmat Sembiring",
        Role::Operator,
    ),
    (
        "verifikator@sibuser.example",
        "Dewi Lestari Nasution",
        Role::Verifier,
    ),
    (
        "walidata@sibuser.example",
        "Hendra Tarigan",
        Role::DataSteward,
    ),
    (
        "pencaker@sibuser.example",
        "Siti Aisyah Lubis",
        Role::JobSeeker,
    ),
    ("perusahaan@sibuser.example", "Andi Wijaya", Role::Employer),
    (
        "lembaga@sibuser.example",
        "Yusuf Harahap",
        Role::TrainingProvider,
    ),
    // Kemnaker's "User Admin", linked to the ministry by `partners::seed`.
    (
        partners::PARTNER_USER,
        "Rina Simanjuntak",
        Role::PartnerUser,
    ),
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub users: usize,
    pub ak1_cards: usize,
    pub applications: usize,
    pub placements: usize,
    pub programmes: usize,
    pub enrolments: usize,
    pub vacancies: usize,
    pub jkp_recipients: usize,
    pub wlkp_reports: usize,
    pub job_alerts: usize,
    /// Months whose IPK report the demo data steward has signed off.
    pub ipk_months_signed: usize,
    pub already_seeded: bool,
}

/// Seven in ten demo companies are verified, one in ten rejected with a reason, the rest
/// wait in the verifiers' queue. The fixed demo login's company always waits, so the demo
/// can show a verification from start to end. Answers whether the company was verified.
fn verify_some(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    company_id: CompanyId,
) -> diesel::QueryResult<bool> {
    use crate::employers::{VerificationStatus, set_status};
    use rand::Rng;
    match rng.random_range(0..10) {
        0..=6 => {
            set_status(conn, company_id, VerificationStatus::Verified, None, None)?;
            Ok(true)
        }
        7 => set_status(
            conn,
            company_id,
            VerificationStatus::Rejected,
            Some("NIB tidak ditemukan di OSS; periksa kembali nomornya."),
            None,
        )
        .map(|()| false),
        _ => Ok(false),
    }
}

/// The demo provider login's institution: a public training centre in Binjai.
fn demo_provider(conn: &mut DbConnection, user_id: UserId) -> diesel::QueryResult<()> {
    use crate::schema::users;
    use crate::training::providers::{self, Contact, Identity, Kind};
    let id = providers::create(
        conn,
        &Identity {
            name: "UPT Balai Latihan Kerja Kota Binjai".into(),
            kind: Kind::Blk,
            accreditation: Some("A".into()),
            accreditation_number: None,
        },
        &Contact {
            kelurahan_code: Some("12.75.01.1008"),
            regency_code: crate::reference::regions::BINJAI_CODE,
            address: "Jl. Samanhudi No. 20".into(),
            phone: crate::domain::Phone::parse("+62616000000").ok(),
            email: crate::domain::Email::parse("blk@sibuser.example").ok(),
            website: None,
        },
    )?;
    diesel::update(users::table.find(user_id))
        .set(users::provider_id.eq(id))
        .execute(conn)
        .map(|_| ())
}

/// Whether the database holds no users at all (a fresh portal).
/// A demo address, made by the seeder and so always well formed.
fn demo_email(address: &str) -> anyhow::Result<crate::domain::Email> {
    crate::domain::Email::parse(address).map_err(|e| anyhow::anyhow!("demo address: {e}"))
}

pub fn is_empty(conn: &mut DbConnection) -> QueryResult<bool> {
    use crate::schema::users;
    let n: i64 = users::table.count().get_result(conn)?;
    Ok(n == 0)
}

/// Fills the database. Running it again on a seeded database changes nothing.
pub fn seed(conn: &mut DbConnection, scale: Scale) -> anyhow::Result<Summary> {
    if accounts::find_by_email(conn, &demo_email(DEMO_ACCOUNTS[0].0)?)?.is_some() {
        return Ok(Summary {
            already_seeded: true,
            ..Summary::default()
        });
    }
    // One hash for every demo account: hashing tens of thousands of passwords would take
    // minutes and prove nothing.
    let hash = accounts::hash_password(DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut users = 0;
    let mut vacancies_made = 0;
    let mut posters = Vec::new();
    let mut cards = 0;
    let (mut applications_made, mut placements_made, mut programmes_made) = (0, 0, 0);
    let mut enrolments_made = 0;
    let (mut jkp_made, mut alerts_made, mut wlkp_made) = (0, 0, 0);
    let mut ipk_months_signed = 0;
    let today = crate::domain::calendar::today();
    crate::db::transaction(conn, |conn| -> anyhow::Result<()> {
        let mut residents = seekers::Seeder::new(conn, &hash, today, SEED + 1)?;
        for (email, name, role) in DEMO_ACCOUNTS {
            let email = demo_email(email)?;
            let company_id = match role {
                Role::Employer => Some(names::company(&mut rng).create(conn)?),
                _ => None,
            };
            let id = accounts::create_user(
                conn,
                &NewUser {
                    company_id,
                    is_company_owner: company_id.is_some(),
                    ..NewUser::staff(&email, name, &hash, &[*role])
                },
            )?;
            if *role == Role::TrainingProvider {
                demo_provider(conn, id)?;
            }
            users += 1;
        }
        let people = [
            (Role::JobSeeker, scale.job_seekers(), "warga.example"),
            (Role::Employer, scale.employer_users(), "perusahaan.example"),
        ];
        for (role, count, domain) in people {
            for n in 1..=count {
                let person = names::person(&mut rng);
                // The number keeps addresses unique however often the names repeat.
                let email = format!(
                    "{}.{}{n}@{domain}",
                    names::ascii_slug(person.given),
                    names::ascii_slug(person.family),
                );
                // Every demo employer owns a company of its own, most of them verified.
                let company_id = match role {
                    Role::Employer => {
                        let company = names::company(&mut rng);
                        let id = company.create(conn)?;
                        if verify_some(conn, &mut rng, id)? {
                            posters.push(vacancies::Poster {
                                id,
                                name: company.name().to_owned(),
                            });
                        }
                        Some(id)
                    }
                    _ => None,
                };
                let full_name = person.full_name();
                if role == Role::JobSeeker {
                    residents.add(conn, email, full_name, person.female)?;
                    users += 1;
                    continue;
                }
                let email = demo_email(&email)?;
                accounts::create_user(
                    conn,
                    &NewUser {
                        company_id,
                        is_company_owner: company_id.is_some(),
                        privacy_consent: true,
                        ..NewUser::staff(&email, &full_name, &hash, &[role])
                    },
                )?;
                users += 1;
            }
        }
        let (card_count, residents) = residents.finish(conn)?;
        cards = card_count;
        vacancies_made = vacancies::seed(conn, &mut rng, &posters, scale.vacancies(), today)?;
        // Their own generator, so that adding to the story never shifts the vacancies.
        let mut story = ChaCha8Rng::seed_from_u64(SEED + 2);
        let made = applications::seed(conn, &mut story, &residents, today)?;
        // The IPK ledger learns of the demo's vacancies as the portal would have.
        crate::vacancies::facts::backfill(conn)?;
        crate::applications::facts::backfill(conn)?;
        applications_made = made.applications;
        placements_made = made.placements;
        seekers::jobs_from_placements(conn)?;
        let mut courses = ChaCha8Rng::seed_from_u64(SEED + 3);
        programmes_made = training::seed(conn, &mut courses, scale.providers(), today)?;
        let mut classes = ChaCha8Rng::seed_from_u64(SEED + 4);
        enrolments_made = enrolments::seed(conn, &mut classes, &residents, today)?;
        let operator = accounts::find_by_email(conn, &demo_email("operator@sibuser.example")?)?
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("the demo operator is missing"))?;
        let mut lists = ChaCha8Rng::seed_from_u64(SEED + 5);
        let labour = labour::seed(
            conn,
            &mut lists,
            &residents,
            labour::recipients_for(scale.job_seekers()),
            operator,
            today,
        )?;
        jkp_made = labour.recipients;
        let verifier = accounts::find_by_email(conn, &demo_email("verifikator@sibuser.example")?)?
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("the demo verifier is missing"))?;
        let mut reports = ChaCha8Rng::seed_from_u64(SEED + 6);
        // Half the verified companies report, at most 2,000.
        let reporting: Vec<CompanyId> = posters
            .iter()
            .step_by(2)
            .take(2_000)
            .map(|p| p.id)
            .collect();
        wlkp_made = labour::seed_wlkp(conn, &mut reports, &reporting, verifier, today)?;
        alerts_made = labour.alerts;
        let steward = accounts::find_by_email(conn, &demo_email("walidata@sibuser.example")?)?
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("the demo data steward is missing"))?;
        ipk_months_signed = reports::sign_past_months(conn, steward, today)?;
        partners::seed(conn, steward, chrono::Utc::now().naive_utc())?;
        let mut fair_days = ChaCha8Rng::seed_from_u64(SEED + 7);
        fairs::seed(conn, &mut fair_days, &posters, &residents, operator, today)?;
        Ok(())
    })?;
    Ok(Summary {
        users,
        ak1_cards: cards,
        applications: applications_made,
        placements: placements_made,
        programmes: programmes_made,
        enrolments: enrolments_made,
        vacancies: vacancies_made,
        jkp_recipients: jkp_made,
        wlkp_reports: wlkp_made,
        job_alerts: alerts_made,
        ipk_months_signed,
        already_seeded: false,
    })
}
