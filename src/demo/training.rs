//! Demo training providers and their programmes over three years: a few LPKs beside the
//! demo login's BLK, each running programmes every quarter, in every state their dates put
//! them in (finished in the past, running now, open for registration next), each with its
//! dated events.

use crate::domain::ids::{JobTitleId, ProgrammeId, ProviderId};
use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use crate::db::DbConnection;
use crate::schema::{
    kbji_occupations, training_programme_events, training_programme_job_titles,
    training_programmes, training_providers,
};
use crate::training::programmes::{FIELDS, Status};
use crate::training::providers::{self, Contact, Identity, Kind};

const LPKS: &[(&str, &str)] = &[
    ("LPK Mandiri Komputer Binjai", "ti"),
    ("LPK Bina Terampil Otomotif", "otomotif"),
    ("LPK Citra Busana", "garmen"),
    ("LPK Dapur Nusantara", "tata_boga"),
    ("LPK Cantika Salon dan Kecantikan", "tata_kecantikan"),
    ("LPK Hikari Bahasa Jepang", "bahasa"),
    ("LPK Teknik Listrik Sejahtera", "listrik"),
    ("LPK Las dan Konstruksi Karya", "las"),
];

/// A provider and where it is: its programmes are held there.
struct Premises<'a> {
    provider: ProviderId,
    name: &'a str,
    kelurahan: Option<&'a str>,
    regency: &'a str,
}

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(9, 0, 0).unwrap_or_default()
}

/// Seeds `lpks` LPKs and the programmes of every provider (the demo BLK included).
pub fn seed(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    lpks: usize,
    today: NaiveDate,
) -> QueryResult<usize> {
    let kelurahan: Vec<&'static str> = crate::reference::regions::binjai_kelurahan()
        .map(|k| k.code)
        .collect();
    for (i, (name, _)) in LPKS.iter().cycle().take(lpks).enumerate() {
        let name = if i < LPKS.len() {
            (*name).to_owned()
        } else {
            format!("{name} Cabang {}", i / LPKS.len() + 1)
        };
        providers::create(
            conn,
            &Identity {
                name,
                kind: Kind::Lpk,
                accreditation: ["A", "B", "C"].choose(rng).map(|g| format!("{g} (LA-LPK)")),
                accreditation_number: None,
            },
            &Contact {
                kelurahan_code: kelurahan.choose(rng).copied(),
                regency_code: crate::reference::regions::BINJAI_CODE,
                address: format!("Jl. Sudirman No. {}", rng.random_range(1..300)),
                phone: crate::domain::Phone::parse(&format!(
                    "+62813{:07}",
                    rng.random_range(1_000_000..9_999_999)
                ))
                .ok(),
                email: None,
                website: None,
            },
        )?;
    }
    let all: Vec<(ProviderId, String, String, Option<String>, String)> = training_providers::table
        .order(training_providers::id)
        .select((
            training_providers::id,
            training_providers::name,
            training_providers::kind,
            training_providers::kelurahan_code,
            training_providers::regency_code,
        ))
        .load(conn)?;
    let titles: Vec<(JobTitleId, String, String)> = kbji_occupations::table
        .select((
            kbji_occupations::id,
            kbji_occupations::title_id,
            kbji_occupations::title_en,
        ))
        .order(kbji_occupations::id)
        .load(conn)?;
    let mut made = 0;
    for (i, (provider, name, kind, kelurahan, regency)) in all.iter().enumerate() {
        // The BLK (made first, with the demo login) teaches several trades; the LPKs were
        // made from `LPKS` in order, each teaching its own.
        let own = (kind != "blk").then(|| LPKS[i.saturating_sub(1) % LPKS.len()].1);
        let mut start = today - Days::new(3 * 365);
        while start < today + Days::new(90) {
            let field = match own {
                Some(field) => field,
                None => FIELDS.choose(rng).map(|f| f.0).unwrap_or("las"),
            };
            let premises = Premises {
                provider: *provider,
                name,
                kelurahan: kelurahan.as_deref(),
                regency,
            };
            made += programme(conn, rng, &premises, field, start, today, &titles)?;
            start = start + Days::new(rng.random_range(60..120));
        }
    }
    Ok(made)
}

fn programme(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    premises: &Premises,
    field: &'static str,
    starts_on: NaiveDate,
    today: NaiveDate,
    titles: &[(JobTitleId, String, String)],
) -> QueryResult<usize> {
    let weeks = rng.random_range(2..10u64);
    let ends_on = starts_on + Days::new(weeks * 7);
    let closes = starts_on - Days::new(rng.random_range(3..10));
    let opens = closes - Days::new(rng.random_range(14..30));
    let created = opens - Days::new(rng.random_range(3..14));
    if created > today {
        return Ok(0);
    }
    // Where the dates put it today, with a few cancelled and a few drafts still.
    let cancelled = rng.random_bool(0.04);
    let mut steps = vec![(Status::Draft, created)];
    let status = if cancelled {
        steps.push((Status::Cancelled, created.max(opens.min(today))));
        Status::Cancelled
    } else if opens > today {
        if rng.random_bool(0.5) {
            steps.push((Status::Published, created));
            Status::Published
        } else {
            Status::Draft
        }
    } else {
        steps.push((Status::Published, opens));
        if ends_on < today {
            steps.extend([
                (Status::RegistrationClosed, closes),
                (Status::Running, starts_on),
                (Status::Finished, ends_on),
            ]);
            Status::Finished
        } else if starts_on <= today {
            steps.extend([
                (Status::RegistrationClosed, closes),
                (Status::Running, starts_on),
            ]);
            Status::Running
        } else if closes < today {
            steps.push((Status::RegistrationClosed, closes));
            Status::RegistrationClosed
        } else {
            Status::Published
        }
    };
    let label = crate::web::Lang::Id.t(crate::training::programmes::field_label(field));
    let title = format!("Pelatihan {label} angkatan {}", starts_on.format("%m/%Y"));
    let free = rng.random_bool(0.7);
    // Drawn in the order the demo always drew them, so the same seed makes the same data.
    let education_min = rng.random_range(3..=4i16);
    let mode = ["in_person", "in_person", "mixed", "online"]
        .choose(rng)
        .copied()
        .unwrap_or("in_person");
    let quota = rng.random_range(1..=3) * 8;
    let cost = (!free).then(|| i64::from(rng.random_range(5..40)) * 100_000);
    let certificate = ["attendance", "bnsp"]
        .choose(rng)
        .copied()
        .unwrap_or("attendance");
    let job_title = titles.choose(rng);
    let description =
        "Pelatihan berbasis kompetensi: teori dan praktik, dengan uji kompetensi di akhir program.";
    let requirements = "Berdomisili di Kota Binjai; membawa fotokopi KTP.";
    let names: Vec<(String, String)> = job_title
        .map(|t| (t.1.clone(), t.2.clone()))
        .into_iter()
        .collect();
    let search_text = crate::training::programmes::search_document(
        &title,
        field,
        description,
        requirements,
        premises.name,
        &names,
    );
    let id: ProgrammeId = crate::with_backend!(&mut *conn, |c| {
        diesel::insert_into(training_programmes::table)
            .values((
                training_programmes::provider_id.eq(premises.provider),
                training_programmes::title.eq(&title),
                training_programmes::field.eq(field),
                training_programmes::description.eq(description),
                training_programmes::requirements.eq(requirements),
                training_programmes::education_min.eq(education_min),
                training_programmes::starts_on.eq(starts_on),
                training_programmes::ends_on.eq(ends_on),
                training_programmes::hours.eq((weeks * 30) as i32),
                training_programmes::mode.eq(mode),
                training_programmes::place.eq("Ruang praktik lembaga"),
                // Held at the provider's own premises ("Ruang praktik lembaga").
                training_programmes::kelurahan_code.eq(premises.kelurahan),
                training_programmes::regency_code.eq(premises.regency),
                training_programmes::quota.eq(quota),
                training_programmes::cost.eq(cost),
                training_programmes::funding.eq(if free { "apbd" } else { "self" }),
                training_programmes::registration_opens_on.eq(opens),
                training_programmes::registration_closes_on.eq(closes),
                training_programmes::certificate.eq(certificate),
                training_programmes::status.eq(status.as_str()),
                training_programmes::created_at.eq(at(created)),
                training_programmes::updated_at.eq(at(steps.last().map_or(created, |s| s.1))),
                training_programmes::search_text.eq(&search_text),
            ))
            .returning(training_programmes::id)
            .get_result(c)
    })?;
    if let Some(t) = job_title {
        diesel::insert_into(training_programme_job_titles::table)
            .values((
                training_programme_job_titles::programme_id.eq(id),
                training_programme_job_titles::job_title_id.eq(t.0),
            ))
            .execute(conn)?;
    }
    for (s, on) in steps {
        diesel::insert_into(training_programme_events::table)
            .values((
                training_programme_events::programme_id.eq(id),
                training_programme_events::status.eq(s.as_str()),
                training_programme_events::occurred_at.eq(at(on)),
            ))
            .execute(conn)?;
    }
    Ok(1)
}
