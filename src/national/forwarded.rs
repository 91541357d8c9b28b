//! Applications forwarded from the national job board (docs/national-sync.md §5): a
//! resident applies on Karirhub to one of the portal's vacancies (pushed there with its
//! source) and, with their consent, the application comes in the `applications` pull. The
//! resident's profile is found by e-mail or NIK, or made (an account they open with "Lupa
//! kata sandi"), and the application enters the employer's pipeline with the channel
//! `karirhub`, which the statistics count.

use chrono::NaiveDateTime;

use super::fields::Fields;
use super::pull::parked;
use super::pulled::Landing;
use crate::applications::model::{self as applications, Error, Forwarded, Refusal};
use crate::db::DbConnection;
use crate::domain::ids::{ApplicationId, VacancyId};
use crate::domain::{Email, Nik, Phone, Sex};
use crate::reference::{education::EducationLevel, regions};
use crate::seekers::forms::ValidProfile;
use crate::seekers::imported::{Applicant, ForwardedApplicant, record_forwarded};

/// The longest note carried over from the national application.
const NOTE_MAX: usize = 1_000;

struct Incoming {
    vacancy: VacancyId,
    applicant: ForwardedApplicant,
    note: Option<String>,
}

fn incoming(record: &serde_json::Value) -> Result<Incoming, super::fields::Problem> {
    let mut f = Fields::of(record)?;
    let vacancy = f.integer("id_lowongan").and_then(|n| i32::try_from(n).ok());
    if vacancy.is_none() {
        f.require("id_lowongan");
    }
    // Forwarded only with the resident's consent (UU 27/2022): the national side says when
    // it was given.
    let consent = f.optional("persetujuan").and_then(|raw| {
        chrono::DateTime::parse_from_rfc3339(&raw)
            .ok()
            .or_else(|| f.problem("persetujuan", "national.pull.error.no_consent"))
    });
    if consent.is_none() {
        f.problem::<()>("persetujuan", "national.pull.error.no_consent");
    }
    let name = f.text("nama", true, 200);
    let email = f.optional("surel").and_then(|raw| {
        Email::parse(&raw)
            .ok()
            .or_else(|| f.problem("surel", "national.pull.error.email"))
    });
    if email.is_none() {
        f.require("surel");
    }
    let phone = f.optional("telepon").and_then(|raw| {
        Phone::parse(&raw)
            .ok()
            .or_else(|| f.problem("telepon", "import.jkp.error.phone"))
    });
    let nik = f.optional("nik").and_then(|raw| {
        Nik::parse(&raw)
            .ok()
            .or_else(|| f.problem("nik", "national.pull.error.nik"))
    });
    let sex = f.optional("jenis_kelamin").and_then(|raw| {
        Sex::from_code(&raw.to_uppercase())
            .or_else(|| f.problem("jenis_kelamin", "national.pull.error.unknown_code"))
    });
    let birth_date = f.date("tanggal_lahir", false);
    let kelurahan = f
        .optional("kode_kelurahan")
        .and_then(|code| match regions::get(&code) {
            Some(r) if r.level == regions::RegionLevel::Village => Some(code),
            _ => f.problem("kode_kelurahan", "national.pull.error.unknown_code"),
        });
    let education = f.integer("pendidikan").and_then(|n| {
        i16::try_from(n)
            .ok()
            .and_then(EducationLevel::from_code)
            .or_else(|| f.problem("pendidikan", "national.pull.error.unknown_code"))
    });
    let note = f
        .optional("pesan")
        .map(|n| n.chars().take(NOTE_MAX).collect());
    f.done()?;
    let required = |field: &str| (field.to_owned(), "national.pull.error.required");
    Ok(Incoming {
        vacancy: VacancyId::new(vacancy.ok_or_else(|| required("id_lowongan"))?),
        applicant: ForwardedApplicant {
            email: email.ok_or_else(|| required("surel"))?,
            profile: ValidProfile {
                full_name: name,
                phone,
                sex: sex.or(nik.as_ref().map(Nik::sex)).map(Sex::code),
                regency_code: kelurahan.as_deref().map(|k| k[..5].to_owned()),
                kelurahan_code: kelurahan,
                nik,
                birth_place: None,
                birth_date,
                marital_status: None,
                religion: None,
                address: None,
                education_level: education.map(EducationLevel::code),
                field_of_study: None,
                skills: String::new(),
                desired_job_title_id: None,
                desired_wage: None,
                disability: None,
            },
        },
        note,
    })
}

/// Lands a forwarded application in the caller's transaction.
pub fn land(
    conn: &mut DbConnection,
    external_id: &str,
    record: &serde_json::Value,
    merged_into: Option<i32>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Landing> {
    if let Some(id) = merged_into {
        // Already in the pipeline: the employer's work on it stands.
        return Ok(Landing::Merged(id));
    }
    let a = match incoming(record) {
        Ok(a) => a,
        Err(p) => return Ok(parked(p, record)),
    };
    let Some(vacancy) = crate::vacancies::find(conn, a.vacancy)? else {
        return Ok(parked(
            ("id_lowongan".into(), "national.pull.error.unknown_vacancy"),
            record,
        ));
    };
    let seeker = match record_forwarded(conn, &a.applicant, now)? {
        Applicant::Known(s) | Applicant::Created(s) => s,
        Applicant::NotASeeker => {
            return Ok(parked(
                ("surel".into(), "national.pull.error.email_not_seeker"),
                record,
            ));
        }
    };
    let today = crate::domain::calendar::date_of(now);
    match applications::receive_forwarded(
        conn,
        seeker,
        &vacancy,
        a.note.as_deref(),
        external_id,
        today,
    ) {
        Ok(Forwarded::Received(id) | Forwarded::Known(id)) => Ok(Landing::Merged(id.get())),
        Err(Error::Refused(Refusal::Closed)) => Ok(parked(
            ("id_lowongan".into(), "national.pull.error.vacancy_closed"),
            record,
        )),
        Err(Error::Refused(_)) => Ok(parked(
            ("id_lowongan".into(), "national.pull.error.unknown_vacancy"),
            record,
        )),
        Err(Error::Db(e)) => Err(e),
    }
}

/// The resident withdrew the application on the national side: withdrawn here too, unless
/// the employer decided already.
pub fn withdraw(conn: &mut DbConnection, id: i32) -> diesel::QueryResult<()> {
    let Some(app) = applications::find(conn, ApplicationId::new(id))? else {
        return Ok(());
    };
    if app.stage().is_final() {
        return Ok(());
    }
    let Some(seeker) = crate::seekers::find(conn, app.job_seeker_id)? else {
        return Ok(());
    };
    match applications::withdraw(conn, &app, seeker.user_id) {
        Ok(()) | Err(Error::Refused(_)) => Ok(()),
        Err(Error::Db(e)) => Err(e),
    }
}
