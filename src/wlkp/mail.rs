//! The mail a company's users get when a verifier decides on their report.

use diesel::QueryResult;

use super::model::{Report, Status};
use crate::db::DbConnection;
use crate::domain::ids::CompanyId;
use crate::mail::text;
use crate::web::Lang;

pub fn decision(
    conn: &mut DbConnection,
    company: CompanyId,
    report: &Report,
    decision: Status,
    note: Option<&str>,
    lang: Lang,
    base_url: &str,
) -> QueryResult<()> {
    let (subject, body) = match decision {
        Status::Accepted => ("mail.wlkp_accepted.subject", "mail.wlkp_accepted.body"),
        _ => ("mail.wlkp_returned.subject", "mail.wlkp_returned.body"),
    };
    let link = format!("{base_url}/perusahaan/wlkp/{}", report.id);
    let period = report.period_year.to_string();
    for (email, name) in crate::employers::company_user_emails(conn, company)? {
        crate::mail::enqueue(
            conn,
            crate::mail::MailKind::WlkpDecision,
            &email,
            &lang.t(subject),
            &lang.tf(
                body,
                &[
                    ("name", &text::name(&name)),
                    ("period", &period),
                    ("trigger", &lang.t(report.report_trigger.label_key())),
                    ("note", &text::title(note.unwrap_or(""), text::NOTE_MAX)),
                    ("link", &link),
                ],
            ),
        )?;
    }
    Ok(())
}
