//! `/mitra`: the partner portal. A partner user sees the partner's granted data sets and
//! pages through their records, 25 at a time, as the exports' owners read them and masked
//! as the grant says: the same records and masking as the partner's API keys. A page is
//! one read of the owner's provider; each page read is an audit entry naming the user and
//! a count in the out-log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::out_log::{self, Channel, Via};
use super::partners::{self, Grant, Partner};
use super::{Dataset, Masking, PartnerId};
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::domain::calendar;
use crate::exports::dataset::{Cell, Page, Rows};
use crate::exports::mask::{self, Masked};
use crate::exports::{Filter, datasets};
use crate::web::auth::{Partner as PartnerUser, Require};
use crate::web::respond::{RequestMeta, render};
use crate::web::{AppError, AppState, Lang, PageCtx};

/// Records on a page of the portal.
pub const PAGE_ROWS: i64 = 25;

fn partner_of(user: &Require<PartnerUser>) -> Result<PartnerId, AppError> {
    user.user.partner_id.ok_or(AppError::Forbidden)
}

struct GrantRow {
    path: &'static str,
    dataset: String,
    masking: String,
}

#[derive(Template)]
#[template(path = "sharing/portal_home.html")]
struct HomePage {
    ctx: PageCtx,
    partner: Partner,
    grants: Vec<GrantRow>,
}

fn partner_and_grants(
    conn: &mut DbConnection,
    id: PartnerId,
) -> Result<(Partner, Vec<Grant>), AppError> {
    let partner = partners::find(conn, id)?.ok_or(AppError::Forbidden)?;
    let grants = partners::grants(conn, id)?;
    Ok((partner, grants))
}

pub async fn home(
    ctx: PageCtx,
    state: web::Data<AppState>,
    user: Require<PartnerUser>,
) -> Result<HttpResponse, AppError> {
    let id = partner_of(&user)?;
    let (partner, grants) = state.db(move |conn| partner_and_grants(conn, id)).await?;
    let lang = ctx.lang;
    let page = HomePage {
        grants: grants
            .iter()
            .map(|g| GrantRow {
                path: g.dataset.cli_name(),
                dataset: lang.t(g.dataset.label_key()).into_owned(),
                masking: lang.t(g.masking.label_key()).into_owned(),
            })
            .collect(),
        partner,
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// The query string of a page of records: the id after which it starts, nothing else.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Cursor {
    setelah: Option<String>,
}

impl Cursor {
    /// The id to read after (0 for the first page), or `None` when it is not an id.
    fn after(&self) -> Option<i32> {
        match self.setelah.as_deref().map(str::trim) {
            None | Some("") => Some(0),
            Some(raw) => raw.parse::<i32>().ok().filter(|n| *n >= 0),
        }
    }
}

/// Cells as the page shows them.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    yes: String,
    no: String,
}

impl Rows for Table {
    fn cell(&mut self, cell: Cell<'_>) {
        self.row.push(match cell {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.to_owned(),
            Cell::Int(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(true) => self.yes.clone(),
            Cell::Bool(false) => self.no.clone(),
        });
    }

    fn end_row(&mut self) {
        self.rows.push(std::mem::take(&mut self.row));
    }
}

/// One page of a data set read for a partner user, counted and audited.
struct Shown {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    next: Option<i32>,
}

/// Reads a page of `dataset` after `after` at the grant's masking, writes the audit entry
/// and the out-log count, in one transaction.
fn read_page(
    conn: &mut DbConnection,
    who: (PartnerId, crate::domain::ids::UserId),
    grant: &Grant,
    after: i32,
    lang: Lang,
    meta: &RequestMeta,
) -> Result<Shown, AppError> {
    let (partner, user) = who;
    let masked = grant.masking == Masking::Masked;
    let provider = datasets::provider(grant.dataset);
    let columns = provider.columns();
    let filter = Filter::default();
    let page = Page {
        filter: &filter,
        after,
        limit: PAGE_ROWS,
        personal: !masked,
        ids: None,
    };
    let mut table = Table {
        yes: lang.t("sharing_portal.yes").into_owned(),
        no: lang.t("sharing_portal.no").into_owned(),
        ..Table::default()
    };
    crate::db::transaction(conn, |c| -> Result<Shown, AppError> {
        let (read, emit) = (provider.read)(c, &page)?;
        let mut rows = Masked::new(&mut table, &columns, masked);
        emit(&mut rows);
        let records = rows.rows;
        let channel = Channel {
            day: calendar::today(),
            partner,
            via: Via::User(user),
            dataset: grant.dataset,
            unmasked: !masked,
        };
        out_log::count(c, channel, 1, records)?;
        audit::record(
            c,
            Entry::new(actions::PARTNER_RECORDS_READ)
                .actor(user)
                .subject("partner", partner)
                .client(meta)
                .detail(serde_json::json!({
                    "dataset": grant.dataset.as_str(),
                    "masking": grant.masking.as_str(),
                    "after": after,
                    "records": records,
                })),
        )?;
        Ok(Shown {
            header: mask::header(&columns, masked),
            rows: std::mem::take(&mut table.rows),
            next: read.last,
        })
    })
}

#[derive(Template)]
#[template(path = "sharing/portal_records.html")]
struct RecordsPage {
    ctx: PageCtx,
    dataset: String,
    masking: String,
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    first: Option<String>,
    next: Option<String>,
}

pub async fn records(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    user: Require<PartnerUser>,
    dataset: web::Path<String>,
    cursor: web::Query<Cursor>,
) -> Result<HttpResponse, AppError> {
    let partner = partner_of(&user)?;
    let dataset = Dataset::from_cli_name(&dataset).ok_or(AppError::NotFound)?;
    let after = cursor.after().ok_or(AppError::BadRequest)?;
    let (lang, user_id) = (ctx.lang, user.user.id);
    let (grant, read) = state
        .db(move |conn| {
            // Not granted is not found: the partner learns nothing of what it may not read.
            let grant = partners::grants(conn, partner)?
                .into_iter()
                .find(|g| g.dataset == dataset)
                .ok_or(AppError::NotFound)?;
            let read = read_page(conn, (partner, user_id), &grant, after, lang, &meta)?;
            Ok((grant, read))
        })
        .await?;
    let path = format!("/mitra/{}", dataset.cli_name());
    let page = RecordsPage {
        dataset: lang.t(dataset.label_key()).into_owned(),
        masking: lang.t(grant.masking.label_key()).into_owned(),
        header: read.header,
        rows: read.rows,
        first: (after > 0).then(|| path.clone()),
        next: read.next.map(|last| format!("{path}?setelah={last}")),
        ctx,
    };
    render(&page, StatusCode::OK)
}
