//! Placements (penempatan): a job seeker starts work, through an application accepted in
//! the portal or found outside it and recorded at the counter. A placement takes the
//! seeker's AK/I card off the register as "placed", dated the day it happened.

use crate::domain::ids::{
    ApplicationId, CompanyId, JobSeekerId, JobTitleId, PlacementId, UserId, VacancyId,
};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::domain::{KbjiCode, KbliCode, Rupiah};
use crate::schema::placements;
use crate::seekers::ak1::model::{self as cards, Step, StepError};

choice!(
    /// Where the work is, as the IPK counts it (DOMAIN.md §2): AKL within North Sumatra,
    /// AKAD in another province, AKAN abroad.
    Kind in "ref_placement_kind" {
        Akl => "AKL", "placement.kind.akl",
        Akad => "AKAD", "placement.kind.akad",
        Akan => "AKAN", "placement.kind.akan",
    }
);

impl Kind {
    /// A vacancy in North Sumatra (province 12) is local; anywhere else in Indonesia is
    /// between regions. Vacancies on the portal are all in Indonesia.
    pub fn for_regency(regency_code: &str) -> Self {
        if regency_code.split('.').next() == Some(crate::reference::regions::NORTH_SUMATRA_CODE) {
            Self::Akl
        } else {
            Self::Akad
        }
    }
}

pub struct NewPlacement<'a> {
    pub job_seeker_id: JobSeekerId,
    pub application_id: Option<ApplicationId>,
    pub vacancy_id: Option<VacancyId>,
    pub company_id: Option<CompanyId>,
    pub employer_name: &'a str,
    pub job_title: &'a str,
    pub job_title_id: Option<JobTitleId>,
    pub kbji_code: Option<&'a KbjiCode>,
    pub kind: Kind,
    pub start_date: NaiveDate,
    pub monthly_wage: Option<Rupiah>,
    pub recorded_by: Option<UserId>,
    /// The employer's KBLI section where no company of the portal is named (the counter
    /// asks for it); a named company's section on the day is used otherwise.
    pub kbli_section: Option<KbliCode>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = placements)]
pub struct Placement {
    pub id: PlacementId,
    pub job_seeker_id: JobSeekerId,
    pub application_id: Option<ApplicationId>,
    pub vacancy_id: Option<VacancyId>,
    pub company_id: Option<CompanyId>,
    pub employer_name: String,
    pub job_title: String,
    pub job_title_id: Option<JobTitleId>,
    pub kbji_code: Option<KbjiCode>,
    pub kind: Kind,
    pub start_date: NaiveDate,
    pub monthly_wage: Option<Rupiah>,
    pub recorded_by: Option<UserId>,
    pub recorded_at: NaiveDateTime,
    pub kbli_section: Option<KbliCode>,
}

/// Records the placement and takes the seeker's card off the register. The card's event is
/// dated the start of work, or today when work starts later: the seeker has found work now.
pub fn record(
    conn: &mut DbConnection,
    p: &NewPlacement,
    today: NaiveDate,
) -> QueryResult<PlacementId> {
    crate::db::transaction(conn, |conn| {
        let id = diesel::insert_into(placements::table)
            .values((
                placements::job_seeker_id.eq(p.job_seeker_id),
                placements::application_id.eq(p.application_id),
                placements::vacancy_id.eq(p.vacancy_id),
                placements::company_id.eq(p.company_id),
                placements::employer_name.eq(p.employer_name),
                placements::job_title.eq(p.job_title),
                placements::job_title_id.eq(p.job_title_id),
                placements::kbji_code.eq(p.kbji_code),
                placements::kind.eq(p.kind.as_str()),
                placements::start_date.eq(p.start_date),
                placements::monthly_wage.eq(p.monthly_wage),
                placements::recorded_by.eq(p.recorded_by),
                placements::recorded_at.eq(Utc::now().naive_utc()),
                placements::kbli_section.eq(&p.kbli_section),
            ))
            .returning(placements::id)
            .get_result(conn)?;
        register_employment(conn, p, id)?;
        super::facts::placed(conn, id, p, today)?;
        let step = Step {
            on: p.start_date.min(today),
            actor: p.recorded_by,
            note: None,
        };
        match cards::mark_placed(conn, p.job_seeker_id, step, today) {
            // No active card (never asked for one, or it ended): the placement still counts.
            Ok(_) | Err(StepError::Refused(_)) => Ok(id),
            Err(StepError::Db(e)) => Err(e),
        }
    })
}

/// Puts the job in the register of employed residents, when the seeker is a confirmed
/// person (a profile without a checked NIK is no one the register can name yet).
fn register_employment(
    conn: &mut DbConnection,
    p: &NewPlacement,
    id: PlacementId,
) -> QueryResult<()> {
    let Some(person_id) = crate::seekers::person_link::person_of(conn, p.job_seeker_id)? else {
        return Ok(());
    };
    let company = match p.company_id {
        Some(company) => crate::employers::find_company(conn, company)?,
        None => None,
    };
    let kbli = company
        .as_ref()
        .and_then(|c| crate::domain::KbliCode::parse(&c.kbli_section).ok());
    let job = crate::employment::NewJob {
        person_id,
        employer_name: p.employer_name,
        employer_nib: company.as_ref().and_then(|c| c.nib.as_deref()),
        company_id: p.company_id,
        job_title: p.job_title,
        kbji_code: p.kbji_code,
        kbli_code: kbli.as_ref(),
        started_on: p.start_date,
        ended_on: None,
        source: crate::employment::Source::Placement,
        placement_id: Some(id),
    };
    crate::employment::record(conn, &job, Utc::now().naive_utc()).map(|_| ())
}

/// The start dates of these seekers' placements (for training outcomes): seeker, start.
pub fn start_dates(
    conn: &mut DbConnection,
    job_seeker_ids: &[JobSeekerId],
) -> QueryResult<Vec<(JobSeekerId, NaiveDate)>> {
    placements::table
        .filter(placements::job_seeker_id.eq_any(job_seeker_ids))
        .select((placements::job_seeker_id, placements::start_date))
        .load(conn)
}

pub fn of_seeker(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
) -> QueryResult<Vec<Placement>> {
    placements::table
        .filter(placements::job_seeker_id.eq(job_seeker_id))
        .order(placements::start_date.desc())
        .select(Placement::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn work_in_north_sumatra_is_local() {
        assert_eq!(Kind::for_regency("12.75"), Kind::Akl);
        assert_eq!(Kind::for_regency("12.71"), Kind::Akl);
        assert_eq!(Kind::for_regency("31.71"), Kind::Akad);
        assert_eq!(
            Kind::for_regency("11.07"),
            Kind::Akad,
            "Aceh is another province"
        );
    }
}
