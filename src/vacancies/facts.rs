//! What the IPK statistics learn from vacancies (III/1 part II, III/4 to III/6): the
//! positions a vacancy opens when it is published, by sex, under its education, KBJI, the
//! employer's KBLI section and its place as they are that day; positions filled; positions
//! removed when it expires or closes unfilled or its quotas are lowered. The forms count
//! persons needed, not postings.

use chrono::NaiveDate;
use diesel::QueryResult;

use super::model::{Vacancy, VacancyStatus};
use crate::db::DbConnection;
use crate::domain::ids::VacancyId;
use crate::ipk::{Dims, Flow, Persons, Reason, ledger};

fn subject(id: VacancyId) -> String {
    ledger::subject("vacancy", id)
}

/// The positions still open, by sex: the people taken on fill the positions for their
/// own sex first, then those open to either.
pub fn open_positions(v: &Vacancy) -> Persons {
    let men_own = v.filled_male.min(v.quota_male);
    let women_own = v.filled_female.min(v.quota_female);
    let either_taken = (v.filled_male - men_own) + (v.filled_female - women_own);
    Persons {
        male: v.quota_male - men_own,
        female: v.quota_female - women_own,
        either: (v.quota_any - either_taken).max(0),
    }
}

/// Which positions a fill of `male` men and `female` women takes from what is open.
pub fn taken_by(open: Persons, male: i32, female: i32) -> Persons {
    let men_own = male.min(open.male);
    let women_own = female.min(open.female);
    Persons {
        male: men_own,
        female: women_own,
        either: (male - men_own) + (female - women_own),
    }
}

fn dims(conn: &mut DbConnection, v: &Vacancy, on: NaiveDate) -> QueryResult<Dims> {
    Ok(Dims {
        education: Some(v.education_min),
        kbji_code: Some(v.kbji_code.clone()),
        kbli_section: crate::employers::kbli::section_on(conn, v.company_id, on)?,
        kelurahan_code: v.kelurahan_code.clone(),
        regency_code: Some(v.regency_code.clone()),
        ..Dims::default()
    })
}

/// Brings the ledger in line with the vacancy as it stands after a change of status dated
/// `on` and recorded on `today`: published, its open positions are registered (more or
/// fewer than the ledger holds, after an edit of the quotas); expired, closed or rejected,
/// what is still open is removed. A vacancy back in review keeps its positions until it
/// is decided.
pub fn sync(
    conn: &mut DbConnection,
    v: &Vacancy,
    on: NaiveDate,
    today: NaiveDate,
) -> QueryResult<()> {
    let (target, reason) = match v.status() {
        VacancyStatus::Published => (open_positions(v), Reason::FewerPositions),
        VacancyStatus::Expired => (Persons::default(), Reason::VacancyExpired),
        VacancyStatus::Closed | VacancyStatus::Rejected | VacancyStatus::Filled => {
            (Persons::default(), Reason::VacancyClosed)
        }
        VacancyStatus::Draft | VacancyStatus::Submitted => return Ok(()),
    };
    let subject = subject(v.id);
    let register = |conn: &mut DbConnection, persons, dims: &Dims| {
        ledger::enter(
            conn,
            Flow::VacancyRegistered,
            &subject,
            on,
            today,
            persons,
            dims,
        )
    };
    let Some(held) = ledger::outstanding(conn, &subject)? else {
        if v.status() == VacancyStatus::Published {
            let dims = dims(conn, v, on)?;
            register(conn, target, &dims)?;
        }
        return Ok(());
    };
    let more = Persons {
        male: (target.male - held.male).max(0),
        female: (target.female - held.female).max(0),
        either: (target.either - held.either).max(0),
    };
    let fewer = Persons {
        male: (held.male - target.male).max(0),
        female: (held.female - target.female).max(0),
        either: (held.either - target.either).max(0),
    };
    if !more.is_empty() {
        register(conn, more, &Dims::default())?;
    }
    if !fewer.is_empty() {
        ledger::leave(
            conn,
            Flow::VacancyRemoved,
            Some(reason),
            &subject,
            on,
            today,
            Some(fewer),
        )?;
    }
    Ok(())
}

/// People were taken on `on` (recorded that day): the positions they fill leave the
/// register as filled, as far as the register still holds them. After a vacancy expired or
/// closed its positions have left already: the fill still counts as a placement, but not
/// again as positions.
pub fn filled(
    conn: &mut DbConnection,
    id: VacancyId,
    male: i32,
    female: i32,
    on: NaiveDate,
) -> QueryResult<()> {
    let subject = subject(id);
    let Some(held) = ledger::outstanding(conn, &subject)? else {
        return Ok(());
    };
    let mut taken = taken_by(held, male, female);
    taken.either = taken.either.min(held.either.max(0));
    if taken.is_empty() {
        return Ok(());
    }
    ledger::leave(
        conn,
        Flow::VacancyFilled,
        None,
        &subject,
        on,
        on,
        Some(taken),
    )
    .map(|_| ())
}

/// A vacancy event as the backfill reads it: kind, status, men and women taken on, when.
type EventRow = (String, String, i32, i32, chrono::NaiveDateTime);

/// Fills the ledger for vacancies published before it existed (and for the demo's, made
/// in bulk): each enters on the day of its first publication with its quotas as they are
/// now (earlier quotas were not kept), its fills leave on their days, and what was still
/// open when it expired or closed leaves then. The caller writes each vacancy's facts once.
pub fn backfill(conn: &mut DbConnection) -> QueryResult<usize> {
    use crate::schema::{vacancies, vacancy_events};
    use diesel::prelude::*;
    use std::collections::HashMap;

    let mut after = 0;
    let mut filled = 0;
    loop {
        let batch: Vec<Vacancy> = vacancies::table
            .filter(vacancies::published_at.is_not_null())
            .filter(vacancies::id.gt(after))
            .order(vacancies::id)
            .limit(2000)
            .select(Vacancy::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else {
            return Ok(filled);
        };
        after = last.id.get();
        let ids: Vec<VacancyId> = batch.iter().map(|v| v.id).collect();
        let mut events: HashMap<VacancyId, Vec<EventRow>> = HashMap::new();
        let rows: Vec<(VacancyId, String, String, i32, i32, chrono::NaiveDateTime)> =
            vacancy_events::table
                .filter(vacancy_events::vacancy_id.eq_any(&ids))
                .order((vacancy_events::occurred_at, vacancy_events::id))
                .select((
                    vacancy_events::vacancy_id,
                    vacancy_events::kind,
                    vacancy_events::status,
                    vacancy_events::filled_male,
                    vacancy_events::filled_female,
                    vacancy_events::occurred_at,
                ))
                .load(conn)?;
        for (id, kind, status, male, female, at) in rows {
            events
                .entry(id)
                .or_default()
                .push((kind, status, male, female, at));
        }
        let mut facts = Vec::new();
        for v in &batch {
            let history = events.remove(&v.id).unwrap_or_default();
            let date = crate::domain::calendar::date_of;
            let published = history
                .iter()
                .find(|(kind, status, ..)| kind == "status" && status == "published")
                .map(|e| date(e.4))
                .or(v.published_at.map(date));
            let Some(on) = published else {
                continue;
            };
            let subject = subject(v.id);
            let dims = dims(conn, v, on)?;
            let mut held = Persons {
                male: v.quota_male,
                female: v.quota_female,
                either: v.quota_any,
            };
            let fact = |flow, reason, day, persons| ledger::NewFact {
                flow,
                reason,
                subject: subject.clone(),
                on: day,
                persons,
                dims: dims.clone(),
            };
            facts.push(fact(Flow::VacancyRegistered, None, on, held));
            for (kind, _, male, female, at) in &history {
                if kind != "filled" {
                    continue;
                }
                let mut taken = taken_by(held, *male, *female);
                taken.either = taken.either.min(held.either);
                if taken.is_empty() {
                    continue;
                }
                held.male -= taken.male;
                held.female -= taken.female;
                held.either -= taken.either;
                facts.push(fact(Flow::VacancyFilled, None, date(*at).max(on), taken));
            }
            let end = match v.status() {
                VacancyStatus::Expired => {
                    Some((Reason::VacancyExpired, v.closes_on + chrono::Days::new(1)))
                }
                VacancyStatus::Closed | VacancyStatus::Rejected | VacancyStatus::Filled => {
                    Some((Reason::VacancyClosed, date(v.status_changed_at)))
                }
                _ => None,
            };
            if let Some((reason, day)) = end
                && !held.is_empty()
            {
                facts.push(fact(Flow::VacancyRemoved, Some(reason), day.max(on), held));
            }
            filled += 1;
        }
        ledger::insert_many(conn, &facts)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_take_their_own_sex_first_then_either() {
        let open = Persons {
            male: 1,
            female: 0,
            either: 2,
        };
        assert_eq!(
            taken_by(open, 2, 1),
            Persons {
                male: 1,
                female: 0,
                either: 2
            }
        );
        assert_eq!(
            taken_by(open, 1, 0),
            Persons {
                male: 1,
                female: 0,
                either: 0
            }
        );
    }
}
