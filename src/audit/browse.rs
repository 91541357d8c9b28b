//! Super admins read the audit log: newest first, filtered by action, user and date.

use crate::domain::ids::UserId;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::{DbConnection, MultiBackend};
use crate::domain::calendar;
use crate::schema::audit_log;
use crate::web::auth::{Require, SuperAdmin};
use crate::web::pagination::{page_number, query_with_page};
use crate::web::respond::render;
use crate::web::{AppError, AppState, PageCtx, format};

const PAGE_SIZE: i64 = 100;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AuditQuery {
    aksi: String,
    pengguna: String,
    dari: String,
    sampai: String,
    hal: String,
}

pub struct Filter {
    action_prefix: Option<String>,
    user_id: Option<UserId>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl AuditQuery {
    fn filter(&self) -> Filter {
        Filter {
            action_prefix: Some(self.aksi.trim().chars().take(60).collect::<String>())
                .filter(|a| !a.is_empty()),
            user_id: self.pengguna.trim().parse().ok(),
            from: NaiveDate::parse_from_str(&self.dari, "%Y-%m-%d").ok(),
            to: NaiveDate::parse_from_str(&self.sampai, "%Y-%m-%d").ok(),
        }
    }

    fn page(&self) -> i64 {
        page_number(&self.hal)
    }

    fn with_page(&self, page: i64) -> String {
        query_with_page(
            &[
                ("aksi", &self.aksi),
                ("pengguna", &self.pengguna),
                ("dari", &self.dari),
                ("sampai", &self.sampai),
            ],
            page,
        )
    }
}

fn filtered<'a>(filter: &Filter) -> audit_log::BoxedQuery<'a, MultiBackend> {
    let mut query = audit_log::table.into_boxed::<MultiBackend>();
    if let Some(prefix) = &filter.action_prefix {
        let escaped = prefix
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(audit_log::action.like(format!("{escaped}%")).escape('\\'));
    }
    if let Some(id) = filter.user_id {
        // The user as actor, or as the one acted upon.
        query = query.filter(
            audit_log::actor_user_id.eq(id).or(audit_log::subject_type
                .eq("user")
                .and(audit_log::subject_id.eq(id.to_string()))),
        );
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::occurred_at.ge(calendar::start_of(from)));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        query = query.filter(audit_log::occurred_at.lt(calendar::start_of(to)));
    }
    query
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_log)]
struct Row {
    occurred_at: NaiveDateTime,
    actor_user_id: Option<UserId>,
    action: String,
    subject_type: Option<String>,
    subject_id: Option<String>,
    detail: Option<String>,
    client_ip: Option<String>,
    request_id: Option<String>,
}

/// A stored name in words (`login.succeeded` → "Masuk berhasil"); a name recorded by an
/// older version and since retired shows as it was stored.
fn words(lang: crate::web::Lang, prefix: &str, name: &str) -> String {
    let key = format!("{prefix}{name}");
    if crate::web::i18n::has_translation(lang, &key) {
        lang.t(&key).into_owned()
    } else {
        name.to_owned()
    }
}

/// A page of entries, the total, and the e-mail addresses of their actors.
struct Loaded {
    rows: Vec<Row>,
    total: i64,
    actors: Vec<(UserId, crate::domain::Email)>,
}

struct EntryView {
    when: String,
    actor: String,
    /// What happened, in words; the stored name stays beside it for the filter.
    action_words: String,
    action: String,
    subject: String,
    detail: String,
    client_ip: String,
    request_id: String,
}

fn load(conn: &mut DbConnection, filter: &Filter, page: i64) -> QueryResult<Loaded> {
    let total: i64 = filtered(filter).count().get_result(conn)?;
    let rows: Vec<Row> = filtered(filter)
        .order(audit_log::id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .select(Row::as_select())
        .load(conn)?;
    let actor_ids: Vec<UserId> = rows.iter().filter_map(|r| r.actor_user_id).collect();
    let actors = crate::accounts::directory::emails_of(conn, &actor_ids)?;
    Ok(Loaded {
        rows,
        total,
        actors,
    })
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    query: AuditQuery,
    entries: Vec<EntryView>,
    count_text: String,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _admin: Require<SuperAdmin>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let mut query = query.into_inner();
    // A date the filter cannot read is not applied, so the field shows none either: what
    // the page shows is what it filtered by (an edited URL is the only way to send one).
    query.dari = crate::web::forms::date_input_value(&query.dari);
    query.sampai = crate::web::forms::date_input_value(&query.sampai);
    let filter = query.filter();
    let page = query.page();
    let Loaded {
        rows,
        total,
        actors,
    } = state.db(move |conn| Ok(load(conn, &filter, page)?)).await?;
    let lang = ctx.lang;
    let entries = rows
        .into_iter()
        .map(|row| EntryView {
            when: format!("{} WIB", format::day_time_seconds(lang, row.occurred_at)),
            actor: row
                .actor_user_id
                .map(|id| {
                    actors
                        .iter()
                        .find(|(a, _)| *a == id)
                        .map(|(_, email)| email.to_string())
                        .unwrap_or_else(|| format!("#{id}"))
                })
                .unwrap_or_else(|| "–".into()),
            action_words: words(lang, "audit.action.", &row.action),
            action: row.action,
            subject: match (row.subject_type, row.subject_id) {
                (Some(t), Some(id)) => format!("{} #{id}", words(lang, "audit.subject.", &t)),
                _ => "–".into(),
            },
            detail: row.detail.unwrap_or_default(),
            client_ip: row.client_ip.unwrap_or_default(),
            request_id: row.request_id.unwrap_or_default(),
        })
        .collect();
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let view = AuditPage {
        prev: (page > 1).then(|| query.with_page(page - 1)),
        next: (page < pages).then(|| query.with_page(page + 1)),
        count_text: ctx.tf("audit.count", &[("count", &format::number(lang, total))]),
        ctx,
        query,
        entries,
        page,
    };
    render(&view, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use crate::web::Lang;
    use crate::web::i18n::has_translation;

    #[test]
    fn every_action_and_subject_is_in_words_in_both_languages() {
        let subjects = [
            "user",
            "company",
            "vacancy",
            "application",
            "placement",
            "ak1_card",
            "jkp",
            "export",
            "import_run",
            "ipk_period",
            "mail",
            "training_provider",
            "training_programme",
            "training_enrolment",
            "wlkp_report",
            "partner",
            "api_key",
            "sync_batch",
            "sync_event",
            "sync_pulled",
        ];
        let keys = super::super::actions::ALL
            .iter()
            .map(|a| format!("audit.action.{a}"))
            .chain(subjects.iter().map(|s| format!("audit.subject.{s}")));
        for key in keys {
            for lang in [Lang::Id, Lang::En] {
                assert!(has_translation(lang, &key), "{key} in {}", lang.code());
            }
        }
        let signed_in = super::super::actions::LOGIN_SUCCEEDED;
        assert_eq!(
            super::words(Lang::Id, "audit.action.", signed_in),
            "Masuk berhasil"
        );
        assert_eq!(
            super::words(Lang::Id, "audit.action.", "gone.away"),
            "gone.away"
        );
    }
}
