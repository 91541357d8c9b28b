//! What the IPK statistics learn from AK/I cards: an issued card puts the job seeker on
//! the register with the profile's facts as they are that day (sex, age group, education,
//! field, the KBJI of the job sought, kelurahan); a card that ends takes them off under the
//! same groups, placed or removed with its coded reason.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::{Card, EventKind, Status};
use crate::db::DbConnection;
use crate::domain::ids::{Ak1CardId, JobSeekerId, JobTitleId};
use crate::domain::{AgeGroup, KbjiCode, Sex};
use crate::ipk::ledger::{self, NewFact};
use crate::ipk::{Dims, Flow, Persons, Reason};
use crate::schema::{ak1_cards, job_seekers};

fn subject(card: Ak1CardId) -> String {
    ledger::subject("ak1", card)
}

/// A job seeker's facts as the IPK tables group them.
#[derive(Debug, Clone, Default)]
pub struct SeekerFacts {
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub education: Option<i16>,
    pub field_of_study: Option<String>,
    pub kbji_code: Option<KbjiCode>,
    pub kelurahan_code: Option<String>,
    pub regency_code: Option<String>,
}

impl SeekerFacts {
    /// The facts of a profile; `kbji_code` is the code of its desired job title.
    pub fn of(p: crate::seekers::Profile, kbji_code: Option<KbjiCode>) -> Self {
        Self {
            sex: p.sex,
            birth_date: p.birth_date,
            education: p.education_level,
            field_of_study: p.field_of_study,
            kbji_code,
            kelurahan_code: p.kelurahan_code,
            regency_code: p.regency_code,
        }
    }

    fn on(&self, day: NaiveDate) -> (Persons, Dims) {
        (
            Persons::one(self.sex),
            Dims {
                age_group: self.birth_date.and_then(|b| AgeGroup::of(b, day)),
                education: self.education,
                field_of_study: self.field_of_study.clone(),
                kbji_code: self.kbji_code.clone(),
                kelurahan_code: self.kelurahan_code.clone(),
                regency_code: self.regency_code.clone(),
                ..Dims::default()
            },
        )
    }
}

fn seeker_facts(conn: &mut DbConnection, seeker: JobSeekerId) -> QueryResult<SeekerFacts> {
    let Some(profile) = crate::seekers::find(conn, seeker)? else {
        return Ok(SeekerFacts::default());
    };
    let kbji_code = match profile.desired_job_title_id {
        Some(id) => crate::reference::job_title(conn, id)?.map(|(code, _, _)| code),
        None => None,
    };
    Ok(SeekerFacts::of(profile, kbji_code))
}

fn exit_of(kind: EventKind) -> Option<(Flow, Option<Reason>)> {
    match kind {
        EventKind::Placed => Some((Flow::SeekerPlaced, None)),
        EventKind::Expired => Some((Flow::SeekerRemoved, Some(Reason::Expired))),
        EventKind::Lapsed => Some((Flow::SeekerRemoved, Some(Reason::Lapsed))),
        EventKind::Withdrawn => Some((Flow::SeekerRemoved, Some(Reason::Withdrawn))),
        EventKind::Requested | EventKind::Declined | EventKind::Issued | EventKind::Reported => {
            None
        }
    }
}

/// The card was issued on `on` (recorded on `today`): the seeker enters the register.
pub fn issued(
    conn: &mut DbConnection,
    card: Ak1CardId,
    seeker: JobSeekerId,
    on: NaiveDate,
    today: NaiveDate,
) -> QueryResult<()> {
    let (persons, dims) = seeker_facts(conn, seeker)?.on(on);
    ledger::enter(
        conn,
        Flow::SeekerRegistered,
        &subject(card),
        on,
        today,
        persons,
        &dims,
    )
    .map(|_| ())
}

/// The card left the register on `on` (an event of that kind, recorded on `today`).
pub fn ended(
    conn: &mut DbConnection,
    card: Ak1CardId,
    kind: EventKind,
    on: NaiveDate,
    today: NaiveDate,
) -> QueryResult<()> {
    match exit_of(kind) {
        Some((flow, reason)) => {
            ledger::leave(conn, flow, reason, &subject(card), on, today, None).map(|_| ())
        }
        None => Ok(()),
    }
}

/// The facts of a card written in bulk: its issue and, if it ended, its end, with the
/// holder's facts of the day of issue.
pub fn card_facts(
    card: Ak1CardId,
    issued_on: NaiveDate,
    ended: Option<(EventKind, NaiveDate)>,
    holder: &SeekerFacts,
) -> Vec<NewFact> {
    let (persons, dims) = holder.on(issued_on);
    let mut facts = vec![NewFact {
        flow: Flow::SeekerRegistered,
        reason: None,
        subject: subject(card),
        on: issued_on,
        persons,
        dims: dims.clone(),
    }];
    if let Some(((flow, reason), on)) = ended.and_then(|(k, on)| exit_of(k).map(|e| (e, on))) {
        facts.push(NewFact {
            flow,
            reason,
            subject: subject(card),
            on: on.max(issued_on),
            persons,
            dims,
        });
    }
    facts
}

/// How a card that left the register ended, by its status.
pub fn ending(status: Status, ended_on: Option<NaiveDate>) -> Option<(EventKind, NaiveDate)> {
    let kind = match status {
        Status::Placed => EventKind::Placed,
        Status::Expired => EventKind::Expired,
        Status::Lapsed => EventKind::Lapsed,
        Status::Withdrawn => EventKind::Withdrawn,
        Status::Active | Status::Requested | Status::Declined => return None,
    };
    ended_on.map(|on| (kind, on))
}

/// Fills the ledger for the cards issued before it existed, with the profiles' facts as
/// they are now (nothing older was kept), dated by the cards' own dates.
pub fn backfill(conn: &mut DbConnection) -> QueryResult<usize> {
    let titles: HashMap<JobTitleId, KbjiCode> = crate::reference::job_titles(conn)?
        .into_iter()
        .map(|(id, code, _, _)| (id, code))
        .collect();
    let mut filled = 0;
    let mut after = 0;
    loop {
        // A batch at a time: a million cards would not fit in memory at once.
        let batch: Vec<(Card, crate::seekers::Profile)> = ak1_cards::table
            .inner_join(job_seekers::table)
            .filter(ak1_cards::issued_on.is_not_null())
            .filter(ak1_cards::id.gt(after))
            .order(ak1_cards::id)
            .limit(5000)
            .select((Card::as_select(), crate::seekers::Profile::as_select()))
            .load(conn)?;
        let Some(last) = batch.last() else {
            return Ok(filled);
        };
        after = last.0.id.get();
        let mut facts = Vec::new();
        for (card, profile) in batch {
            let Some(issued_on) = card.issued_on else {
                continue;
            };
            let kbji = profile
                .desired_job_title_id
                .and_then(|id| titles.get(&id).cloned());
            let holder = SeekerFacts::of(profile, kbji);
            facts.extend(card_facts(
                card.id,
                issued_on,
                ending(card.status, card.ended_on),
                &holder,
            ));
            filled += 1;
        }
        ledger::insert_many(conn, &facts)?;
    }
}

/// The facts of these job seekers' profiles as they are now, for facts written in bulk by
/// other modules (a backfill of placements).
pub fn facts_of(
    conn: &mut DbConnection,
    ids: &[JobSeekerId],
) -> QueryResult<HashMap<JobSeekerId, SeekerFacts>> {
    let titles: HashMap<JobTitleId, KbjiCode> = crate::reference::job_titles(conn)?
        .into_iter()
        .map(|(id, code, _, _)| (id, code))
        .collect();
    let profiles: Vec<crate::seekers::Profile> = job_seekers::table
        .filter(job_seekers::id.eq_any(ids))
        .select(crate::seekers::Profile::as_select())
        .load(conn)?;
    Ok(profiles
        .into_iter()
        .map(|p| {
            let kbji = p
                .desired_job_title_id
                .and_then(|id| titles.get(&id).cloned());
            (p.id, SeekerFacts::of(p, kbji))
        })
        .collect())
}
