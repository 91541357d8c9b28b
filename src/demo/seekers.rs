//! Demo job seekers: accounts, AK/I profiles and cards with their dated events, spread over
//! three years, written in batches so that the large scale (a million residents) stays a
//! matter of minutes. Each resident's story follows the card's real calendar
//! (`seekers::ak1::rules`): asked for, issued, reported every six months or lapsed, placed,
//! expired, declined or withdrawn, so the register's monthly figures come out as they would.

use crate::domain::ids::{Ak1CardId, JobSeekerId, JobTitleId, UserId};
use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::SeedableRng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use crate::db::DbConnection;
use crate::reference::regions;
use crate::schema::{
    ak1_cards, ak1_events, ak1_serials, job_seekers, kbji_occupations, user_roles, users,
};
use crate::seekers::ak1::model::{EventKind, Status};
use crate::seekers::ak1::rules;

/// Requests waiting at the counter on the day of seeding, at most.
const MAX_WAITING: usize = 200;

/// Rows per INSERT: well under both backends' limits on bound values.
const BATCH: usize = 500;

#[derive(Insertable)]
#[diesel(table_name = users)]
struct UserRow {
    email: String,
    full_name: String,
    password_hash: String,
    is_active: bool,
    locale: &'static str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    phone: Option<String>,
    email_verified_at: Option<NaiveDateTime>,
    privacy_consent_at: Option<NaiveDateTime>,
    is_company_owner: bool,
}

#[derive(Insertable)]
#[diesel(table_name = job_seekers)]
struct ProfileRow {
    user_id: UserId,
    nik: Option<String>,
    sex: Option<&'static str>,
    birth_place: Option<&'static str>,
    birth_date: Option<NaiveDate>,
    marital_status: Option<&'static str>,
    religion: Option<&'static str>,
    address: Option<String>,
    kelurahan_code: Option<&'static str>,
    regency_code: Option<&'static str>,
    education_level: Option<i16>,
    skills: String,
    desired_job_title_id: Option<JobTitleId>,
    desired_wage: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = ak1_cards)]
struct CardRow {
    job_seeker_id: JobSeekerId,
    number: Option<String>,
    verify_code: String,
    status: &'static str,
    requested_at: NaiveDateTime,
    issued_on: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    next_report_due: Option<NaiveDate>,
    reports_made: i16,
    ended_on: Option<NaiveDate>,
    end_note: Option<&'static str>,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = ak1_events)]
struct EventRow {
    card_id: Ak1CardId,
    kind: &'static str,
    occurred_on: NaiveDate,
    recorded_at: NaiveDateTime,
    note: Option<&'static str>,
}

/// A card and what happened to it: each event's kind, day and note.
type Story = (CardRow, Vec<(EventKind, NaiveDate, Option<&'static str>)>);

/// One resident waiting in the batch.
struct Pending {
    user: UserRow,
    profile: Option<Profile>,
}

/// The profile and card story of a resident, before the database gives them ids.
struct Profile {
    row: ProfileRow,
    card: Option<Story>,
}

const SKILLS: &[&str] = &[
    "Microsoft Excel, administrasi perkantoran",
    "Mengemudi, SIM A dan C",
    "Menjahit",
    "Kasir, pelayanan pelanggan",
    "Pengelasan listrik",
    "Instalasi listrik rumah",
    "Memasak, tata boga",
    "Servis sepeda motor",
    "Pembukuan sederhana",
    "Desain grafis, Canva",
    "Perawatan kebun sawit",
    "Bahasa Inggris percakapan",
];
const STREETS: &[&str] = &[
    "Jl. Sudirman",
    "Jl. Samanhudi",
    "Jl. Gatot Subroto",
    "Jl. T. Amir Hamzah",
    "Jl. Ahmad Yani",
    "Jl. Perintis Kemerdekaan",
    "Jl. Jambi",
    "Jl. Bejomulyo",
];
const PLACES: &[&str] = &["Binjai", "Binjai", "Binjai", "Medan", "Stabat", "Langkat"];
const WITHDRAW_NOTES: &[&str] = &[
    "Pindah domisili ke luar Sumatera Utara.",
    "Permintaan pemegang kartu sendiri.",
];
const DECLINE_NOTE: &str = "Tanggal lahir di profil berbeda dengan KTP; perbaiki lalu ajukan lagi.";

/// What the applications pass needs to know of a resident with a profile.
pub struct Resident {
    pub job_seeker_id: JobSeekerId,
    pub female: bool,
    pub registered: NaiveDate,
    /// The day the card was placed, if it was.
    pub placed_on: Option<NaiveDate>,
    /// The last day the resident was looking (the card's end, or today).
    pub looking_until: NaiveDate,
    pub job_title_id: Option<JobTitleId>,
}

pub struct Seeder<'a> {
    hash: &'a str,
    today: NaiveDate,
    rng: ChaCha8Rng,
    kelurahan: Vec<&'static str>,
    job_titles: Vec<JobTitleId>,
    /// Each job title's KBJI code, for the IPK facts of the cards.
    kbji: HashMap<JobTitleId, crate::domain::KbjiCode>,
    /// The next NIK serial per (kecamatan digits, birth date, sex).
    nik_serials: HashMap<(String, NaiveDate, bool), u16>,
    /// The last card serial per year of issue.
    card_serials: HashMap<i32, i32>,
    pending: Vec<Pending>,
    added: usize,
    pub cards: usize,
    residents: Vec<Resident>,
}

impl<'a> Seeder<'a> {
    pub fn new(
        conn: &mut DbConnection,
        hash: &'a str,
        today: NaiveDate,
        seed: u64,
    ) -> QueryResult<Self> {
        Ok(Self {
            hash,
            today,
            rng: ChaCha8Rng::seed_from_u64(seed),
            kelurahan: regions::binjai_kelurahan().map(|r| r.code).collect(),
            job_titles: kbji_occupations::table
                .select(kbji_occupations::id)
                .order(kbji_occupations::id)
                .load(conn)?,
            kbji: crate::reference::job_titles(conn)?
                .into_iter()
                .map(|(id, code, _, _)| (id, code))
                .collect(),
            nik_serials: HashMap::new(),
            card_serials: HashMap::new(),
            pending: Vec::with_capacity(BATCH),
            added: 0,
            cards: 0,
            residents: Vec::new(),
        })
    }

    /// Queues one resident; writes a batch when it is full.
    pub fn add(
        &mut self,
        conn: &mut DbConnection,
        email: String,
        full_name: String,
        female: bool,
    ) -> QueryResult<()> {
        self.added += 1;
        // One in twenty came in the last fortnight and still waits for the counter, so the
        // operators' queue is never empty; a couple of hundred at most, as a real queue.
        let recent = self.added % 20 == 7 && self.added < 20 * MAX_WAITING;
        let days_back = if recent { 0..14 } else { 0..3 * 365 };
        let registered = self.today - Days::new(self.rng.random_range(days_back));
        let at = registered
            .and_hms_opt(self.rng.random_range(8..16), 0, 0)
            .unwrap_or_default();
        let user = UserRow {
            email,
            full_name,
            password_hash: self.hash.to_owned(),
            is_active: true,
            locale: "id",
            created_at: at,
            updated_at: at,
            phone: Some(format!(
                "08{:010}",
                self.rng.random_range(1_100_000_000u64..9_999_999_999)
            )),
            email_verified_at: Some(at),
            privacy_consent_at: Some(at),
            is_company_owner: false,
        };
        // Nine in ten filled in the profile; the rest signed up and stopped there.
        let profile = (recent || self.rng.random_bool(0.9))
            .then(|| self.profile(female, registered, at, recent));
        self.pending.push(Pending { user, profile });
        if self.pending.len() == BATCH {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn profile(
        &mut self,
        female: bool,
        registered: NaiveDate,
        at: NaiveDateTime,
        waiting: bool,
    ) -> Profile {
        let rng = &mut self.rng;
        // Ages 17 to 55, most in their twenties.
        let age = match rng.random_range(0..10) {
            0..=5 => rng.random_range(18..30),
            6..=8 => rng.random_range(30..45),
            _ => rng.random_range(45..56),
        };
        let birth = NaiveDate::from_ymd_opt(
            registered.year() - age,
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        )
        .unwrap_or(registered);
        let kelurahan = *self.kelurahan.choose(rng).unwrap_or(&"12.75.01.1008");
        let kecamatan = kelurahan[..8].replace('.', "");
        let serial = self
            .nik_serials
            .entry((kecamatan.clone(), birth, female))
            .and_modify(|s| *s += 1)
            .or_insert(1);
        let day = birth.day() + if female { 40 } else { 0 };
        let nik = format!(
            "{kecamatan}{day:02}{:02}{:02}{serial:04}",
            birth.month(),
            birth.year() % 100
        );
        let education = match rng.random_range(0..100) {
            0..=4 => 2,
            5..=14 => 3,
            15..=44 => 4,
            45..=69 => 5,
            70..=79 => 8,
            80..=96 => 10,
            _ => 11,
        };
        let religion = match rng.random_range(0..100) {
            0..=73 => "islam",
            74..=89 => "protestant",
            90..=93 => "catholic",
            94..=97 => "buddhist",
            98 => "hindu",
            _ => "confucian",
        };
        let row = ProfileRow {
            // Set once the user is written.
            user_id: UserId::new(0),
            nik: Some(nik),
            sex: Some(if female { "P" } else { "L" }),
            birth_place: PLACES.choose(rng).copied(),
            birth_date: Some(birth),
            marital_status: Some(if age < 25 || rng.random_bool(0.4) {
                "single"
            } else {
                "married"
            }),
            religion: Some(religion),
            address: Some(format!(
                "{} No. {}",
                STREETS.choose(rng).copied().unwrap_or("Jl. Sudirman"),
                rng.random_range(1..200)
            )),
            kelurahan_code: Some(kelurahan),
            regency_code: Some(regions::BINJAI_CODE),
            education_level: Some(education),
            skills: SKILLS.choose(rng).copied().unwrap_or_default().to_owned(),
            desired_job_title_id: self.job_titles.choose(rng).copied(),
            desired_wage: Some(i64::from(rng.random_range(25..60)) * 100_000),
            created_at: at,
            updated_at: at,
        };
        let card = self.card_story(registered, at, waiting);
        Profile { row, card }
    }

    /// What happened to the resident's card, following the card's calendar up to today.
    fn card_story(
        &mut self,
        registered: NaiveDate,
        at: NaiveDateTime,
        waiting: bool,
    ) -> Option<Story> {
        let today = self.today;
        let rng = &mut self.rng;
        // One in twenty never asked for a card.
        if !waiting && rng.random_bool(0.05) {
            return None;
        }
        let mut events = vec![(EventKind::Requested, registered, None)];
        let mut card = CardRow {
            // Set once the profile is written.
            job_seeker_id: JobSeekerId::new(0),
            number: None,
            verify_code: (0..8)
                .map(|_| {
                    *b"23456789ABCDEFGHJKMNPQRSTUVWXYZ"
                        .choose(rng)
                        .unwrap_or(&b'A') as char
                })
                .collect(),
            status: Status::Requested.as_str(),
            requested_at: at,
            issued_on: None,
            valid_until: None,
            next_report_due: None,
            reports_made: 0,
            ended_on: None,
            end_note: None,
            updated_at: at,
        };
        let issued = registered + Days::new(rng.random_range(0..5));
        // Requests from the last few days still wait in the queue; a few are declined.
        if waiting || issued > today {
            return Some((card, events));
        }
        if rng.random_bool(0.02) {
            card.status = Status::Declined.as_str();
            card.ended_on = Some(issued);
            card.end_note = Some(DECLINE_NOTE);
            events.push((EventKind::Declined, issued, Some(DECLINE_NOTE)));
            return Some((card, events));
        }
        let serial = self.card_serials.entry(issued.year()).or_insert(0);
        *serial += 1;
        card.number = rules::card_number(issued.year(), *serial).map(String::from);
        card.status = Status::Active.as_str();
        card.issued_on = Some(issued);
        card.valid_until = Some(rules::valid_until(issued));
        events.push((EventKind::Issued, issued, None));
        // Each half-year the holder may find work (placed), stop reporting (lapsed), ask to
        // leave (withdrawn), or report and carry on.
        let mut due = rules::first_report_due(issued);
        let mut period_start = issued;
        loop {
            let period_end = due.unwrap_or_else(|| rules::valid_until(issued));
            if rng.random_bool(0.18) {
                let span = (period_end - period_start).num_days().max(1) as u64;
                let on = period_start + Days::new(rng.random_range(1..=span));
                if on <= today {
                    card.status = Status::Placed.as_str();
                    card.ended_on = Some(on);
                    events.push((EventKind::Placed, on, None));
                    break;
                }
            }
            if rng.random_bool(0.01) {
                let on = period_start + Days::new(rng.random_range(1..30));
                if on <= today {
                    let note = WITHDRAW_NOTES.choose(rng).copied();
                    card.status = Status::Withdrawn.as_str();
                    card.ended_on = Some(on);
                    card.end_note = note;
                    events.push((EventKind::Withdrawn, on, note));
                    break;
                }
            }
            let Some(d) = due else {
                // All reports made: the card runs out.
                let ends = rules::valid_until(issued) + Days::new(1);
                if ends <= today {
                    card.status = Status::Expired.as_str();
                    card.ended_on = Some(ends);
                    events.push((EventKind::Expired, ends, None));
                } else {
                    card.next_report_due = None;
                }
                break;
            };
            // The fourth report's window closes with the card, the others' a month after.
            let last = rules::valid_until(issued);
            let late_by = if d == last {
                rules::WINDOW_OPENS_DAYS + 1
            } else {
                50
            };
            let reported_on =
                d - Days::new(rules::WINDOW_OPENS_DAYS) + Days::new(rng.random_range(0..late_by));
            if rng.random_bool(0.8) && reported_on <= today {
                events.push((EventKind::Reported, reported_on, None));
                card.reports_made += 1;
                period_start = d;
                due = rules::report_due_after(issued, d);
                continue;
            }
            if d == last {
                // The last report missed: the card runs out unreported, as the daily job
                // expires it before any lapse could come.
                let ends = last + Days::new(1);
                if ends <= today {
                    card.status = Status::Expired.as_str();
                    card.ended_on = Some(ends);
                    events.push((EventKind::Expired, ends, None));
                } else {
                    card.next_report_due = Some(d);
                }
                break;
            }
            let lapses = rules::lapses_on(d);
            if lapses <= today {
                card.status = Status::Lapsed.as_str();
                card.ended_on = Some(lapses);
                events.push((EventKind::Lapsed, lapses, None));
            } else {
                // Still in time: the report is what is due next.
                card.next_report_due = Some(d);
            }
            break;
        }
        if card.status != Status::Active.as_str() {
            card.next_report_due = None;
        }
        Some((card, events))
    }

    pub fn flush(&mut self, conn: &mut DbConnection) -> QueryResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let (user_rows, profiles): (Vec<UserRow>, Vec<Option<Profile>>) =
            pending.into_iter().map(|p| (p.user, p.profile)).unzip();
        let emails: Vec<String> = user_rows.iter().map(|u| u.email.clone()).collect();
        // Each id comes back with its key: the order of a multi-row RETURNING is not
        // promised. (Reading the ids back with `IN (…)` instead made PostgreSQL plan the
        // growing, never-analysed tables as empty: quadratic, a million rows never ended.)
        let ids: HashMap<String, UserId> =
            crate::with_backend!(&mut *conn, |c| diesel::insert_into(users::table)
                .values(&user_rows)
                .returning((users::email.assume_not_null(), users::id))
                .get_results::<(String, UserId)>(c))?
            .into_iter()
            .collect();
        let granted = chrono::Utc::now().naive_utc();
        let roles: Vec<_> = emails
            .iter()
            .map(|e| {
                (
                    user_roles::user_id.eq(ids[e]),
                    user_roles::role.eq("job_seeker"),
                    user_roles::granted_at.eq(granted),
                )
            })
            .collect();
        crate::with_backend!(&mut *conn, |c| diesel::insert_into(user_roles::table)
            .values(&roles)
            .execute(c))?;

        let mut rows = Vec::new();
        let mut stories = Vec::new();
        for (email, profile) in emails.iter().zip(profiles) {
            if let Some(mut p) = profile {
                p.row.user_id = ids[email];
                stories.push((p.row.user_id, p.card));
                rows.push(p.row);
            }
        }
        let seeker_ids: HashMap<UserId, JobSeekerId> = crate::with_backend!(&mut *conn, |c| {
            diesel::insert_into(job_seekers::table)
                .values(&rows)
                .returning((job_seekers::user_id, job_seekers::id))
                .get_results::<(UserId, JobSeekerId)>(c)
        })?
        .into_iter()
        .collect();

        let today = self.today;
        for r in &rows {
            let id = seeker_ids[&r.user_id];
            self.residents.push(Resident {
                job_seeker_id: id,
                female: r.sex == Some("P"),
                registered: crate::domain::calendar::date_of(r.created_at),
                placed_on: None,
                looking_until: today,
                job_title_id: r.desired_job_title_id,
            });
        }
        let by_seeker: HashMap<JobSeekerId, usize> = self
            .residents
            .iter()
            .enumerate()
            .rev()
            .take(rows.len())
            .map(|(i, r)| (r.job_seeker_id, i))
            .collect();
        let mut cards = Vec::new();
        let mut histories = Vec::new();
        for (user_id, story) in stories {
            if let Some((mut card, events)) = story {
                card.job_seeker_id = seeker_ids[&user_id];
                let resident = &mut self.residents[by_seeker[&card.job_seeker_id]];
                if card.status == Status::Placed.as_str() {
                    resident.placed_on = card.ended_on;
                }
                if let Some(end) = card.ended_on {
                    resident.looking_until = end;
                }
                histories.push((card.job_seeker_id, events));
                cards.push(card);
            }
        }
        self.cards += cards.len();
        let card_ids: HashMap<JobSeekerId, Ak1CardId> = crate::with_backend!(&mut *conn, |c| {
            diesel::insert_into(ak1_cards::table)
                .values(&cards)
                .returning((ak1_cards::job_seeker_id, ak1_cards::id))
                .get_results::<(JobSeekerId, Ak1CardId)>(c)
        })?
        .into_iter()
        .collect();
        // The IPK ledger learns of each card as it would have when the card was issued.
        let profiles: HashMap<JobSeekerId, &ProfileRow> =
            rows.iter().map(|r| (seeker_ids[&r.user_id], r)).collect();
        let mut facts = Vec::new();
        for card in &cards {
            let (Some(issued_on), Some(profile)) =
                (card.issued_on, profiles.get(&card.job_seeker_id))
            else {
                continue;
            };
            let holder = crate::seekers::ak1::facts::SeekerFacts {
                sex: profile.sex.and_then(crate::domain::Sex::from_code),
                birth_date: profile.birth_date,
                education: profile.education_level,
                field_of_study: None,
                kbji_code: profile
                    .desired_job_title_id
                    .and_then(|id| self.kbji.get(&id).cloned()),
                kelurahan_code: profile.kelurahan_code.map(str::to_owned),
                regency_code: profile.regency_code.map(str::to_owned),
            };
            let status = Status::parse(card.status).unwrap_or(Status::Active);
            facts.extend(crate::seekers::ak1::facts::card_facts(
                card_ids[&card.job_seeker_id],
                issued_on,
                crate::seekers::ak1::facts::ending(status, card.ended_on),
                &holder,
            ));
        }
        crate::ipk::ledger::insert_many(conn, &facts)?;
        let events: Vec<EventRow> = histories
            .into_iter()
            .flat_map(|(holder, events)| {
                let card_id = card_ids[&holder];
                events.into_iter().map(move |(kind, on, note)| EventRow {
                    card_id,
                    kind: kind.as_str(),
                    occurred_on: on,
                    recorded_at: on.and_hms_opt(10, 0, 0).unwrap_or_default(),
                    note,
                })
            })
            .collect();
        for chunk in events.chunks(BATCH * 2) {
            crate::with_backend!(&mut *conn, |c| diesel::insert_into(ak1_events::table)
                .values(chunk)
                .execute(c))?;
        }
        Ok(())
    }

    /// Writes the last batch and the card serials, so that the next card issued in the
    /// portal continues each year's numbering. Returns the number of cards and the residents
    /// with a profile.
    pub fn finish(mut self, conn: &mut DbConnection) -> QueryResult<(usize, Vec<Resident>)> {
        self.flush(conn)?;
        for (year, last) in &self.card_serials {
            diesel::insert_into(ak1_serials::table)
                .values((
                    ak1_serials::year.eq(year),
                    ak1_serials::last_serial.eq(last),
                ))
                .execute(conn)?;
        }
        people_from_profiles(conn)?;
        Ok((self.cards, self.residents))
    }
}

/// Every demo profile with a NIK is a person who came through the portal, linked as the
/// portal links them. In bulk, as the migration that introduced people did for the
/// profiles of its day, since a row at a time would take minutes at the large scale.
fn people_from_profiles(conn: &mut DbConnection) -> QueryResult<()> {
    for sql in [
        "INSERT INTO people (nik, name, sex, birth_date, kelurahan_code, regency_code, source, created_at, updated_at) \
         SELECT js.nik, u.full_name, js.sex, js.birth_date, js.kelurahan_code, js.regency_code, 'portal', js.created_at, js.updated_at \
         FROM job_seekers js JOIN users u ON u.id = js.user_id \
         WHERE js.nik IS NOT NULL AND NOT EXISTS (SELECT 1 FROM people p WHERE p.nik = js.nik)",
        "INSERT INTO job_seeker_people (job_seeker_id, person_id, confirmed, linked_at) \
         SELECT js.id, p.id, TRUE, js.created_at FROM job_seekers js JOIN people p ON p.nik = js.nik \
         WHERE NOT EXISTS (SELECT 1 FROM job_seeker_people l WHERE l.job_seeker_id = js.id)",
        "INSERT INTO person_origins (person_id, source, reference, recorded_at) \
         SELECT l.person_id, 'portal', 'job_seeker:' || l.job_seeker_id, l.linked_at \
         FROM job_seeker_people l \
         WHERE NOT EXISTS (SELECT 1 FROM person_origins o WHERE o.person_id = l.person_id)",
    ] {
        diesel::sql_query(sql).execute(conn)?;
    }
    Ok(())
}

/// Every demo placement of a person is a job in the register of employed residents, as the
/// portal records them one at a time; in bulk, like [`people_from_profiles`].
pub(super) fn jobs_from_placements(conn: &mut DbConnection) -> QueryResult<()> {
    let key = "lower(COALESCE(c.nib, p.employer_name)) || '|' || lower(p.job_title) || '|' || CAST(p.start_date AS TEXT)";
    for sql in [
        format!(
            "INSERT INTO employed_residents (person_id, employer_name, employer_nib, company_id, job_title, \
             kbji_code, kbli_code, started_on, source, placement_id, job_key, recorded_at) \
             SELECT l.person_id, p.employer_name, c.nib, p.company_id, p.job_title, p.kbji_code, \
             c.kbli_section, p.start_date, 'placement', p.id, {key}, p.recorded_at \
             FROM placements p \
             JOIN job_seeker_people l ON l.job_seeker_id = p.job_seeker_id AND l.confirmed \
             LEFT JOIN companies c ON c.id = p.company_id \
             WHERE p.id IN (SELECT MIN(p.id) FROM placements p \
               JOIN job_seeker_people l ON l.job_seeker_id = p.job_seeker_id AND l.confirmed \
               LEFT JOIN companies c ON c.id = p.company_id GROUP BY l.person_id, {key}) \
             AND NOT EXISTS (SELECT 1 FROM employed_residents e WHERE e.placement_id = p.id)"
        ),
        "INSERT INTO person_origins (person_id, source, reference, recorded_at) \
         SELECT e.person_id, 'portal', 'employed:' || e.id, e.recorded_at FROM employed_residents e \
         WHERE NOT EXISTS (SELECT 1 FROM person_origins o \
           WHERE o.person_id = e.person_id AND o.reference = 'employed:' || e.id)"
            .to_owned(),
    ] {
        diesel::sql_query(sql).execute(conn)?;
    }
    Ok(())
}
