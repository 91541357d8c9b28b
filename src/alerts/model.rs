//! Saved searches and their digests.

use crate::domain::ids::{JobAlertId, JobSeekerId};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::accounts::tokens::hash;
use crate::db::DbConnection;
use crate::domain::code::choice;
use crate::schema::{job_alert_stop_links, job_alerts};
use crate::search::{Place, Query};
use crate::vacancies::search::Search;
use crate::web::Lang;

/// How many alerts one seeker may keep: enough for every trade they would consider.
pub const MAX_PER_SEEKER: i64 = 10;

choice!(
    Frequency in "ref_alert_frequency" {
        Daily => "daily", "alert.frequency.daily",
        Weekly => "weekly", "alert.frequency.weekly",
    }
);

impl Frequency {
    pub fn period(self) -> Duration {
        match self {
            Self::Daily => Duration::days(1),
            Self::Weekly => Duration::days(7),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = job_alerts)]
pub struct Alert {
    pub id: JobAlertId,
    pub job_seeker_id: JobSeekerId,
    pub query: String,
    pub frequency: Frequency,
    pub created_at: NaiveDateTime,
    pub checked_until: NaiveDateTime,
    pub next_run_at: NaiveDateTime,
    pub last_sent_at: Option<NaiveDateTime>,
    pub stopped_at: Option<NaiveDateTime>,
}

impl Alert {
    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    pub fn search(&self) -> Search {
        Search::from_query(&self.query)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooMany,
    Duplicate,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::TooMany => "alert.error.too_many",
            Self::Duplicate => "alert.error.duplicate",
        }
    }
}

/// The search as an alert keeps it: its query string without the page or the order (a
/// digest is always newest first).
pub fn normalise(query: &str) -> String {
    let mut search = Search::from_query(query);
    search.page = 1;
    search.sort = Default::default();
    search.query_string()
}

/// Saves an alert; the first digest covers what is published from now on.
pub fn create(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    query: &str,
    frequency: Frequency,
) -> Result<i32, diesel::result::Error> {
    let now = Utc::now().naive_utc();
    diesel::insert_into(job_alerts::table)
        .values((
            job_alerts::job_seeker_id.eq(job_seeker_id),
            job_alerts::query.eq(query),
            job_alerts::frequency.eq(frequency.as_str()),
            job_alerts::created_at.eq(now),
            job_alerts::checked_until.eq(now),
            job_alerts::next_run_at.eq(now + frequency.period()),
        ))
        .returning(job_alerts::id)
        .get_result(conn)
}

/// Whether the seeker may add this alert: under the limit, and not a copy of one they have.
pub fn check_new(
    conn: &mut DbConnection,
    job_seeker_id: JobSeekerId,
    query: &str,
) -> QueryResult<Option<Refusal>> {
    let active: Vec<String> = job_alerts::table
        .filter(job_alerts::job_seeker_id.eq(job_seeker_id))
        .filter(job_alerts::stopped_at.is_null())
        .select(job_alerts::query)
        .load(conn)?;
    Ok(if active.iter().any(|q| q == query) {
        Some(Refusal::Duplicate)
    } else if active.len() as i64 >= MAX_PER_SEEKER {
        Some(Refusal::TooMany)
    } else {
        None
    })
}

pub fn of_seeker(conn: &mut DbConnection, job_seeker_id: JobSeekerId) -> QueryResult<Vec<Alert>> {
    job_alerts::table
        .filter(job_alerts::job_seeker_id.eq(job_seeker_id))
        .filter(job_alerts::stopped_at.is_null())
        .order(job_alerts::created_at.desc())
        .select(Alert::as_select())
        .load(conn)
}

/// How long the stop link in a digest keeps working; older e-mails send the reader to
/// the alert list, behind the login.
pub const STOP_LINK_LIFETIME: Duration = Duration::days(180);

/// A new token for the stop link of one digest e-mail. Only its hash is kept (as for the
/// account links), so a copy of the database stops no alert; each e-mail has its own, so
/// the links in older e-mails keep working.
pub fn issue_stop_token(conn: &mut DbConnection, alert_id: JobAlertId) -> QueryResult<String> {
    let token = crate::web::session::random_token();
    diesel::insert_into(job_alert_stop_links::table)
        .values((
            job_alert_stop_links::alert_id.eq(alert_id),
            job_alert_stop_links::token_hash.eq(hash(&token)),
            job_alert_stop_links::created_at.eq(Utc::now().naive_utc()),
        ))
        .execute(conn)?;
    Ok(token)
}

pub fn find_by_token(conn: &mut DbConnection, token: &str) -> QueryResult<Option<Alert>> {
    let since = Utc::now().naive_utc() - STOP_LINK_LIFETIME;
    job_alerts::table
        .inner_join(job_alert_stop_links::table)
        .filter(job_alert_stop_links::token_hash.eq(hash(token)))
        .filter(job_alert_stop_links::created_at.gt(since))
        .select(Alert::as_select())
        .first(conn)
        .optional()
}

/// Drops stop links past their lifetime; run by the background worker.
pub fn prune_stop_tokens(conn: &mut DbConnection) -> QueryResult<usize> {
    let before = Utc::now().naive_utc() - STOP_LINK_LIFETIME;
    diesel::delete(job_alert_stop_links::table.filter(job_alert_stop_links::created_at.le(before)))
        .execute(conn)
}

/// Stops an alert; stopping a stopped one changes nothing.
pub fn stop(conn: &mut DbConnection, id: JobAlertId) -> QueryResult<bool> {
    let n = diesel::update(
        job_alerts::table
            .find(id)
            .filter(job_alerts::stopped_at.is_null()),
    )
    .set(job_alerts::stopped_at.eq(Utc::now().naive_utc()))
    .execute(conn)?;
    Ok(n == 1)
}

/// The search in a few words, for the alert list and the e-mail: the keyword, then each
/// filter.
pub fn describe(search: &Search, lang: Lang) -> String {
    let mut parts = Vec::new();
    parts.push(if search.keyword.trim().is_empty() {
        lang.t("alert.describe.all").into_owned()
    } else {
        format!("\u{201c}{}\u{201d}", search.keyword.trim())
    });
    match search.place {
        Some(Place::Kecamatan(k)) => parts.push(k.name.to_owned()),
        Some(Place::Outside) => parts.push(lang.t("search.place.outside").into_owned()),
        None => {}
    }
    if let Some(g) = search.group {
        parts.push(g.name(lang).to_owned());
    }
    if let Some(level) = search.education {
        parts.push(lang.tf(
            "alert.describe.education",
            &[(
                "level",
                match lang {
                    Lang::Id => level.name_id(),
                    Lang::En => level.name_en(),
                },
            )],
        ));
    }
    if let Some(t) = search.employment_type {
        parts.push(lang.t(t.label_key()).into_owned());
    }
    if let Some(w) = search.min_wage {
        parts.push(lang.tf(
            "alert.describe.wage",
            &[("wage", &crate::web::format::number(lang, w.amount()))],
        ));
    }
    if search.disability_friendly {
        parts.push(lang.t("search.disability").into_owned());
    }
    parts.join(" · ")
}
