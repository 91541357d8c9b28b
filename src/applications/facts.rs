//! What the IPK statistics learn from placements (III/7 by KBLI section and sex, III/8 by
//! AKL/AKAD/AKAN and education): each placement with the person's sex, age group,
//! education and kelurahan, the employer's KBLI section, the work's regency, the kind of
//! inter-work and the channel, as they are on the day it is recorded, dated the day work
//! starts (or today, when work starts later).

use chrono::NaiveDate;
use diesel::QueryResult;

use super::placement::NewPlacement;
use crate::db::DbConnection;
use crate::domain::AgeGroup;
use crate::domain::ids::PlacementId;
use crate::ipk::{Dims, Flow, Persons, ledger};

pub fn placed(
    conn: &mut DbConnection,
    id: PlacementId,
    p: &NewPlacement,
    today: NaiveDate,
) -> QueryResult<()> {
    let on = p.start_date.min(today);
    let profile = crate::seekers::find(conn, p.job_seeker_id)?;
    let application_channel = match p.application_id {
        Some(a) => super::model::find(conn, a)?.map(|a| a.channel),
        None => None,
    };
    let vacancy = match p.vacancy_id {
        Some(vacancy) => crate::vacancies::find(conn, vacancy)?,
        None => None,
    };
    let regency_code = vacancy.as_ref().map(|v| v.regency_code.clone());
    let kbli_section = match p.company_id.or(vacancy.map(|v| v.company_id)) {
        Some(company) => crate::employers::kbli::section_on(conn, company, on)?,
        None => p.kbli_section.as_ref().map(|k| k.as_str().to_owned()),
    };
    let dims = Dims {
        age_group: profile
            .as_ref()
            .and_then(|pr| pr.birth_date)
            .and_then(|b| AgeGroup::of(b, on)),
        education: profile.as_ref().and_then(|pr| pr.education_level),
        field_of_study: profile.as_ref().and_then(|pr| pr.field_of_study.clone()),
        kbji_code: p.kbji_code.cloned(),
        kbli_section,
        // Where the person lived: the dashboard and open data count placements of each
        // kecamatan's residents.
        kelurahan_code: profile.as_ref().and_then(|pr| pr.kelurahan_code.clone()),
        regency_code,
        inter_work: Some(p.kind.as_str().to_owned()),
        channel: Some(super::model::placement_channel(application_channel).to_owned()),
    };
    let persons = Persons::one(profile.and_then(|pr| pr.sex));
    ledger::enter(
        conn,
        Flow::Placement,
        &ledger::subject("placement", id),
        on,
        today,
        persons,
        &dims,
    )
    .map(|_| ())
}

/// Fills the ledger for placements recorded before it existed (and the demo's, made in
/// bulk), with the profiles' facts as they are now and each employer's KBLI section on the
/// day of its first placement in the batch.
pub fn backfill(conn: &mut DbConnection) -> QueryResult<usize> {
    use super::placement::Placement;
    use crate::schema::placements;
    use diesel::prelude::*;
    use std::collections::HashMap;

    let mut sections: HashMap<crate::domain::ids::CompanyId, Option<String>> = HashMap::new();
    // A vacancy's regency and company (a placement through a vacancy names its company).
    let mut vacancies: HashMap<
        crate::domain::ids::VacancyId,
        (Option<String>, Option<crate::domain::ids::CompanyId>),
    > = HashMap::new();
    let mut after = 0;
    let mut filled = 0;
    loop {
        let batch: Vec<Placement> = placements::table
            .filter(placements::id.gt(after))
            .order(placements::id)
            .limit(2000)
            .select(Placement::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else {
            return Ok(filled);
        };
        after = last.id.get();
        let seekers: Vec<_> = batch.iter().map(|p| p.job_seeker_id).collect();
        let people = crate::seekers::ak1::facts::facts_of(conn, &seekers)?;
        let application_ids: Vec<_> = batch.iter().filter_map(|p| p.application_id).collect();
        let channels = super::model::channels_of(conn, &application_ids)?;
        let mut facts = Vec::new();
        for p in &batch {
            let on = p
                .start_date
                .min(crate::domain::calendar::date_of(p.recorded_at));
            let (regency_code, vacancy_company) = match p.vacancy_id {
                Some(vacancy) => match vacancies.get(&vacancy) {
                    Some(known) => known.clone(),
                    None => {
                        let known = crate::vacancies::find(conn, vacancy)?
                            .map(|v| (Some(v.regency_code), Some(v.company_id)))
                            .unwrap_or_default();
                        vacancies.insert(vacancy, known.clone());
                        known
                    }
                },
                None => (None, None),
            };
            let kbli_section = match p.company_id.or(vacancy_company) {
                Some(company) => match sections.get(&company) {
                    Some(section) => section.clone(),
                    None => {
                        let section = crate::employers::kbli::section_on(conn, company, on)?;
                        sections.insert(company, section.clone());
                        section
                    }
                },
                None => p.kbli_section.as_ref().map(|k| k.as_str().to_owned()),
            };
            let person = people.get(&p.job_seeker_id);
            facts.push(ledger::NewFact {
                flow: Flow::Placement,
                reason: None,
                subject: ledger::subject("placement", p.id),
                on,
                persons: Persons::one(person.and_then(|f| f.sex)),
                dims: Dims {
                    age_group: person
                        .and_then(|f| f.birth_date)
                        .and_then(|b| AgeGroup::of(b, on)),
                    education: person.and_then(|f| f.education),
                    field_of_study: person.and_then(|f| f.field_of_study.clone()),
                    kbji_code: p.kbji_code.clone(),
                    kbli_section,
                    kelurahan_code: person.and_then(|f| f.kelurahan_code.clone()),
                    regency_code,
                    inter_work: Some(p.kind.as_str().to_owned()),
                    channel: Some(
                        super::model::placement_channel(
                            p.application_id.and_then(|a| channels.get(&a).copied()),
                        )
                        .to_owned(),
                    ),
                },
            });
            filled += 1;
        }
        ledger::insert_many(conn, &facts)?;
    }
}
