//! The counter's front page: the queue of cards asked for, oldest first, and a search for a
//! resident by NIK, card number, phone, name or e-mail. The search is a POST: what the operator
//! types (a NIK, usually) stays out of the URL, the browser history and the logs.

use crate::domain::ids::{JobSeekerId, UserId};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::{DbConnection, lower};
use crate::domain::Ak1Number;
use crate::schema::{ak1_cards, job_seekers, users};

use crate::web::auth::{CounterStaff, Require};
use crate::web::respond::render;
use crate::web::{AppError, AppState, PageCtx};

const LIMIT: i64 = 50;

#[derive(Deserialize, Default)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
}

pub struct Row {
    pub user_id: UserId,
    pub full_name: String,
    /// None for a resident registered without an address.
    pub email: Option<String>,
    /// The NIK with its middle hidden: enough to tell two residents apart in a list.
    pub nik: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "seekers/counter_list.html")]
struct ListPage {
    ctx: PageCtx,
    q: String,
    queue: Vec<Row>,
    /// None when nothing was searched for.
    found: Option<Vec<Row>>,
}

pub(super) fn masked(nik: Option<&str>) -> String {
    match nik {
        Some(n) if n.len() == 16 => format!("{}••••••••{}", &n[..4], &n[12..]),
        _ => "–".into(),
    }
}

type Found = (
    UserId,
    String,
    Option<String>,
    Option<String>,
    NaiveDateTime,
);

fn queue(conn: &mut DbConnection) -> QueryResult<Vec<Found>> {
    ak1_cards::table
        .inner_join(job_seekers::table.inner_join(users::table))
        .filter(ak1_cards::status.eq("requested"))
        .order(ak1_cards::requested_at)
        .select((
            users::id,
            users::full_name,
            users::email,
            job_seekers::nik,
            ak1_cards::requested_at,
        ))
        .limit(LIMIT)
        .load(conn)
}

/// A NIK, a card number or a phone number finds the resident exactly; anything else is matched against
/// names and e-mail addresses.
fn search(conn: &mut DbConnection, q: &str) -> QueryResult<Vec<Found>> {
    let q = q.trim();
    let base = || {
        users::table
            .inner_join(crate::schema::user_roles::table)
            .left_join(job_seekers::table)
            .filter(crate::schema::user_roles::role.eq("job_seeker"))
            .select((
                users::id,
                users::full_name,
                users::email,
                job_seekers::nik.nullable(),
                users::created_at,
            ))
            .order(users::full_name)
            .limit(LIMIT)
            .into_boxed()
    };
    if q.len() == 16 && q.bytes().all(|b| b.is_ascii_digit()) {
        return base().filter(job_seekers::nik.eq(q)).load(conn);
    }
    if let Ok(number) = Ak1Number::parse(q) {
        let seeker: Option<JobSeekerId> = ak1_cards::table
            .filter(ak1_cards::number.eq(&number))
            .select(ak1_cards::job_seeker_id)
            .first(conn)
            .optional()?;
        return match seeker {
            Some(id) => base().filter(job_seekers::id.eq(id)).load(conn),
            None => Ok(Vec::new()),
        };
    }
    // A resident without an e-mail address is found by phone, typed as people write it.
    if let Ok(phone) = crate::domain::Phone::parse(q) {
        return base().filter(users::phone.eq(phone)).load(conn);
    }
    // LIKE's wildcards typed by the operator are dropped, not escaped: names have none.
    let pattern = format!("%{}%", q.to_lowercase().replace(['\\', '%', '_'], ""));
    base()
        .filter(
            lower(users::full_name)
                .like(pattern.clone())
                .or(users::email.like(pattern)),
        )
        .load(conn)
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<CounterStaff>,
) -> Result<HttpResponse, AppError> {
    page(ctx, &state, String::new()).await
}

pub async fn find(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<CounterStaff>,
    form: web::Form<SearchForm>,
) -> Result<HttpResponse, AppError> {
    let q: String = form.into_inner().q.trim().chars().take(100).collect();
    page(ctx, &state, q).await
}

async fn page(ctx: PageCtx, state: &AppState, q: String) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let searched = q.clone();
    let (queue, found) = state
        .db(move |conn| {
            let queue = queue(conn)?;
            let found = if searched.chars().count() >= 3 {
                Some(search(conn, &searched)?)
            } else {
                None
            };
            Ok((queue, found))
        })
        .await?;
    let to_rows = |rows: Vec<Found>| -> Vec<Row> {
        rows.into_iter()
            .map(|(user_id, full_name, email, nik, at)| Row {
                user_id,
                full_name,
                email,
                nik: masked(nik.as_deref()),
                when: crate::web::format::day(lang, at),
            })
            .collect()
    };
    let page = ListPage {
        queue: to_rows(queue),
        found: found.map(to_rows),
        q,
        ctx,
    };
    render(&page, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_show_only_the_ends_of_a_nik() {
        assert_eq!(super::masked(Some("1275014101000001")), "1275••••••••0001");
        assert_eq!(super::masked(None), "–");
    }
}
