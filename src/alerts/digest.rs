//! The digest job: for each alert that is due, the vacancies published since its last
//! digest that match its search, in one e-mail; none found, no e-mail. Each alert is
//! claimed by moving its window in the same transaction that queues the e-mail, so a
//! vacancy is sent once, even with several instances running the job. Only confirmed
//! addresses get digests.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{self, Alert};
use crate::db::DbConnection;
use crate::mail::text;
use crate::schema::{job_alerts, job_seekers, users};
use crate::search::Query;
use crate::vacancies::search::{self, BoardCache};
use crate::web::Lang;

const BATCH: i64 = 200;

/// Sends every digest due at `now`; returns how many e-mails were queued.
pub fn run(
    conn: &mut DbConnection,
    boards: &BoardCache,
    now: NaiveDateTime,
    base_url: &str,
) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let due: Vec<(Alert, String, String, Lang)> = job_alerts::table
            .inner_join(job_seekers::table.inner_join(users::table))
            .filter(job_alerts::stopped_at.is_null())
            .filter(job_alerts::next_run_at.le(now))
            .filter(users::is_active.eq(true))
            // Unconfirmed addresses wait, their alerts due, until the owner confirms.
            .filter(users::email_verified_at.is_not_null())
            .filter(users::email.is_not_null())
            .order(job_alerts::next_run_at)
            .select((
                Alert::as_select(),
                users::email.assume_not_null(),
                users::full_name,
                users::locale,
            ))
            .limit(BATCH)
            .load(conn)?;
        if due.is_empty() {
            return Ok(sent);
        }
        for (alert, email, name, locale) in due {
            let search = alert.search();
            let (total, hits) =
                search::published_since(conn, boards, &search, alert.checked_until, now)?;
            let lang = locale;
            let mailed = crate::db::transaction::<_, diesel::result::Error, _>(conn, |conn| {
                let claimed = diesel::update(
                    job_alerts::table
                        .find(alert.id)
                        .filter(job_alerts::next_run_at.eq(alert.next_run_at)),
                )
                .set((
                    job_alerts::checked_until.eq(now),
                    job_alerts::next_run_at.eq(now + alert.frequency().period()),
                ))
                .execute(conn)?;
                if claimed == 0 || total == 0 {
                    return Ok(false);
                }
                diesel::update(job_alerts::table.find(alert.id))
                    .set(job_alerts::last_sent_at.eq(now))
                    .execute(conn)?;
                let label = text::title(&model::describe(&search, lang), text::TITLE_MAX);
                let stop = model::issue_stop_token(conn, alert.id)?;
                let list: String = hits
                    .iter()
                    .map(|h| {
                        format!(
                            "- {} · {} ({})\n  {base_url}/lowongan/{}\n",
                            text::title(&h.title, text::TITLE_MAX),
                            text::title(&h.company_name, text::TITLE_MAX),
                            crate::reference::regions::place_name(
                                h.kelurahan_code.as_deref(),
                                &h.regency_code
                            ),
                            h.id
                        )
                    })
                    .collect();
                let query = search.query_string();
                let all = if query.is_empty() {
                    format!("{base_url}/lowongan")
                } else {
                    format!("{base_url}/lowongan?{query}")
                };
                crate::mail::enqueue(
                    conn,
                    crate::mail::MailKind::JobAlert,
                    &email,
                    &lang.tf(
                        "mail.alert.subject",
                        &[("count", &total.to_string()), ("label", &label)],
                    ),
                    &lang.tf(
                        "mail.alert.body",
                        &[
                            ("name", &text::name(&name)),
                            ("count", &total.to_string()),
                            ("label", &label),
                            ("list", &list),
                            ("all", &all),
                            ("stop", &format!("{base_url}/peringatan/berhenti/{stop}")),
                            ("manage", &format!("{base_url}/pencaker/peringatan")),
                        ],
                    ),
                )?;
                Ok(true)
            })?;
            sent += usize::from(mailed);
        }
    }
}
