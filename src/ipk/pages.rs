//! The data steward's IPK reports (issue 15, item 2): choose a period, see each form as a
//! page, download it as XLSX laid out like the paper form or as CSV, print it, and sign the
//! period off. A signed period shows the figures as signed; a later version sits beside it.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::form::{Broken, Form, Forms};
use super::grid::Figures;
use super::layout::{self, Sheet};
use super::period::{self, BadPeriod, Month, Period};
use super::signoff::{self, Signed};
use super::tables::Basis;
use crate::audit::{self, Entry, actions};
use crate::db::DbConnection;
use crate::web::auth::{DataStaff, Require};
use crate::web::i18n::Lang;
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, PageCtx};

/// The period (and version) as a query or a form sends it.
#[derive(Deserialize, Default, Clone)]
pub struct PeriodQuery {
    #[serde(default)]
    dari: String,
    #[serde(default)]
    sampai: String,
    #[serde(default)]
    versi: Option<String>,
    /// `cetak` for the print view.
    #[serde(default)]
    tampilan: Option<String>,
}

impl PeriodQuery {
    /// The last month that has ended, when nothing was chosen.
    fn or_last_month(mut self, today: chrono::NaiveDate) -> Self {
        if self.dari.trim().is_empty() && self.sampai.trim().is_empty() {
            let last = Month::of(today).previous().to_string();
            self.dari.clone_from(&last);
            self.sampai = last;
        }
        self
    }

    fn query_string(&self, period: Period) -> String {
        format!("dari={}&sampai={}", period.from, period.to)
    }
}

/// A quick choice of period on the index page.
struct Shortcut {
    label: String,
    query: String,
}

fn shortcuts(today: chrono::NaiveDate, lang: Lang) -> Vec<Shortcut> {
    let this = Month::of(today);
    let last = this.previous();
    let quarter_end = {
        let mut m = last;
        while !m.month().is_multiple_of(3) {
            m = m.previous();
        }
        m
    };
    let back = |m: Month, n: u32| (1..n).fold(m, |m, _| m.previous());
    let half_end = {
        let mut m = last;
        while !m.month().is_multiple_of(6) {
            m = m.previous();
        }
        m
    };
    let year_end = Month::new(this.year() - 1, 12).unwrap_or(last);
    let item = |key: &str, from: Month, to: Month| Shortcut {
        label: lang.tf(
            key,
            &[
                ("from", &month_name(from, lang)),
                ("to", &month_name(to, lang)),
            ],
        ),
        query: format!("dari={from}&sampai={to}"),
    };
    vec![
        item("ipk.shortcut.last_month", last, last),
        item("ipk.shortcut.this_month", this, this),
        item("ipk.shortcut.quarter", back(quarter_end, 3), quarter_end),
        item("ipk.shortcut.half", back(half_end, 6), half_end),
        item("ipk.shortcut.year", back(year_end, 12), year_end),
    ]
}

/// "November 2026".
pub fn month_name(month: Month, lang: Lang) -> String {
    crate::web::format::month(lang, month.year(), month.month())
}

/// "November 2026", or "Juli - September 2026".
pub fn period_name(period: Period, lang: Lang) -> String {
    if period.from == period.to {
        month_name(period.from, lang)
    } else {
        format!(
            "{} - {}",
            month_name(period.from, lang),
            month_name(period.to, lang)
        )
    }
}

/// What the pages show of one signed version.
struct VersionView {
    version: i32,
    /// "Versi 2".
    label: String,
    /// Who signed it when, and whether it restates corrections.
    line: String,
    current: bool,
}

/// A period's report: the forms with their figures, as signed (a version) or live.
struct Report {
    period: Period,
    forms: Vec<Form>,
    figures: Vec<Figures>,
    /// The version shown, if a signed one.
    shown: Option<i32>,
    versions: Vec<VersionView>,
    /// Corrections dated in the period recorded since its latest version.
    pending: i64,
}

/// The period's signed versions as the pages show them (marking `chosen`), and the
/// corrections recorded since the latest.
fn version_views(
    conn: &mut DbConnection,
    period: Period,
    signed: &[Signed],
    chosen: Option<i32>,
    lang: Lang,
) -> Result<(Vec<VersionView>, i64), AppError> {
    let mut names = std::collections::HashMap::new();
    for user in signed.iter().filter_map(|s| s.signed_by) {
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(user) {
            e.insert(crate::accounts::directory::contact(conn, user)?.full_name);
        }
    }
    let pending = match signed.last() {
        Some(last) => signoff::corrections_since(conn, period, Some(last.signed_at))?,
        None => 0,
    };
    let views = signed
        .iter()
        .map(|s| {
            let name = s
                .signed_by
                .and_then(|u| names.get(&u).cloned())
                .unwrap_or_default();
            let at = crate::web::format::day_time(lang, s.signed_at);
            let mut line = lang.tf("ipk.signed_by", &[("name", &name), ("at", &at)]);
            if s.restated {
                line.push_str(" · ");
                line.push_str(&lang.tf("ipk.restated", &[("n", &s.corrections.to_string())]));
            }
            VersionView {
                version: s.version,
                label: lang.tf("ipk.version", &[("version", &s.version.to_string())]),
                line,
                current: chosen == Some(s.version),
            }
        })
        .collect();
    Ok((views, pending))
}

fn report(
    conn: &mut DbConnection,
    period: Period,
    version: Option<i32>,
    forms: Forms,
    lang: Lang,
) -> Result<Report, AppError> {
    let signed = signoff::versions(conn, period)?;
    let chosen: Option<&Signed> = match version {
        Some(v) => Some(
            signed
                .iter()
                .find(|s| s.version == v)
                .ok_or(AppError::NotFound)?,
        ),
        None => signed.last(),
    };
    let (versions, pending) =
        version_views(conn, period, &signed, chosen.map(|s| s.version), lang)?;
    let (shown_forms, figures) = match chosen {
        Some(s) => (s.content.forms.clone(), s.content.figures.clone()),
        None => {
            let figures = signoff::figures(conn, period, &forms.forms, Basis::Reported)?;
            (forms.forms.clone(), figures)
        }
    };
    Ok(Report {
        period,
        forms: shown_forms,
        figures,
        shown: chosen.map(|s| s.version),
        versions,
        pending,
    })
}

/// The period the query names, or why it cannot be reported.
async fn period_of(
    state: &AppState,
    query: &PeriodQuery,
) -> Result<Result<Period, BadPeriod>, AppError> {
    let first = state.db(|conn| Ok(period::first_month(conn)?)).await?;
    let today = crate::domain::calendar::today();
    Ok(Period::parse(&query.dari, &query.sampai, today, first))
}

fn version_of(query: &PeriodQuery) -> Result<Option<i32>, AppError> {
    match query.versi.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

#[derive(Template)]
#[template(path = "ipk/index.html")]
struct IndexPage {
    ctx: PageCtx,
    query: PeriodQuery,
    error: Option<&'static str>,
    shortcuts: Vec<Shortcut>,
    period: Option<(String, String)>,
    forms: Vec<(String, String, String)>,
    versions: Vec<VersionView>,
    signable: bool,
    pending: i64,
    pending_text: String,
    forms_heading: String,
    signed_periods: Vec<(String, String)>,
    broken: Vec<Broken>,
}

pub async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<DataStaff>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let today = crate::domain::calendar::today();
    let query = query.into_inner().or_last_month(today);
    let lang = ctx.lang;
    let forms = super::form::load(state.settings.data_dir());
    let chosen = period_of(&state, &query).await?;
    let signed_periods = state
        .db(|conn| Ok(signoff::signed_periods(conn)?))
        .await?
        .into_iter()
        .map(|(p, n)| {
            (
                format!("dari={}&sampai={}&versi={n}", p.from, p.to),
                format!(
                    "{} ({})",
                    period_name(p, lang),
                    lang.tf("ipk.versions", &[("n", &n.to_string())])
                ),
            )
        })
        .collect();
    let mut page = IndexPage {
        shortcuts: shortcuts(today, lang),
        query: query.clone(),
        error: None,
        period: None,
        forms: Vec::new(),
        versions: Vec::new(),
        signable: false,
        pending: 0,
        pending_text: String::new(),
        forms_heading: String::new(),
        signed_periods,
        broken: forms.broken.clone(),
        ctx,
    };
    let period = match chosen {
        Ok(p) => p,
        Err(bad) => {
            page.error = Some(bad.message_key());
            return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (versions, pending) = state
        .db(move |conn| {
            let signed = signoff::versions(conn, period)?;
            version_views(conn, period, &signed, None, lang)
        })
        .await?;
    let q = query.query_string(period);
    page.period = Some((period_name(period, lang), q.clone()));
    page.forms_heading = lang.tf("ipk.forms_of", &[("period", &period_name(period, lang))]);
    page.pending_text = lang.tf("ipk.pending", &[("n", &pending.to_string())]);
    page.forms = forms
        .forms
        .iter()
        .map(|f| (f.slug(), f.code.clone(), f.title.get(lang).to_owned()))
        .collect();
    page.signable = period.is_over(today) && (versions.is_empty() || pending > 0);
    page.versions = versions;
    page.pending = pending;
    render(&page, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "ipk/form.html")]
struct FormPage {
    ctx: PageCtx,
    sheet: Sheet,
    period_name: String,
    query: String,
    versions: Vec<VersionView>,
    shown: Option<i32>,
    pending: i64,
    pending_text: String,
    print: bool,
    region: &'static str,
}

async fn one_form(
    state: &AppState,
    lang: Lang,
    slug: String,
    query: &PeriodQuery,
) -> Result<(Report, usize), AppError> {
    let period = period_of(state, query)
        .await?
        .map_err(|_| AppError::NotFound)?;
    let version = version_of(query)?;
    let forms = super::form::load(state.settings.data_dir());
    let report = state
        .db(move |conn| report(conn, period, version, forms, lang))
        .await?;
    let index = report
        .forms
        .iter()
        .position(|f| f.slug() == slug)
        .ok_or(AppError::NotFound)?;
    Ok((report, index))
}

pub const REGION: &str = "Kota Binjai, Provinsi Sumatera Utara";

/// A form of the period as a page, or as the print view (`tampilan=cetak`).
pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    _staff: Require<DataStaff>,
    slug: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let lang = ctx.lang;
    let query = query.into_inner();
    let (report, index) = one_form(&state, lang, slug.into_inner(), &query).await?;
    let page = FormPage {
        sheet: layout::sheet(&report.forms[index], &report.figures[index], lang),
        period_name: period_name(report.period, lang),
        query: query.query_string(report.period),
        versions: report.versions,
        shown: report.shown,
        pending: report.pending,
        pending_text: lang.tf("ipk.pending", &[("n", &report.pending.to_string())]),
        print: query.tampilan.as_deref() == Some("cetak"),
        region: REGION,
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// A form as CSV or XLSX; `semua.xlsx` is every form of the period in one workbook.
pub async fn download(
    lang: Lang,
    state: web::Data<AppState>,
    _staff: Require<DataStaff>,
    path: web::Path<(String, String)>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, format) = path.into_inner();
    let query = query.into_inner();
    let all = slug == "semua";
    let (report, index) = if all {
        let (report, _) = one_form(&state, lang, "iii-1".into(), &query)
            .await
            .or(Err(AppError::NotFound))?;
        (report, None)
    } else {
        let (report, index) = one_form(&state, lang, slug.clone(), &query).await?;
        (report, Some(index))
    };
    let sheets: Vec<Sheet> = report
        .forms
        .iter()
        .zip(&report.figures)
        .enumerate()
        .filter(|(i, _)| index.is_none_or(|k| k == *i))
        .map(|(_, (form, figures))| layout::sheet(form, figures, lang))
        .collect();
    let period = report.period;
    let name = format!("ipk-{}-{}-{}", slug, period.from, period.to);
    let (bytes, content_type, extension) = match format.as_str() {
        "csv" if !all => (
            layout::csv(&sheets[0], &period_name(period, lang)).map_err(AppError::internal)?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        "xlsx" => {
            let status = match report.shown {
                Some(v) => lang.tf("ipk.xlsx.signed", &[("version", &v.to_string())]),
                None => lang.t("ipk.xlsx.unsigned").into_owned(),
            };
            let period_line = format!("{}: {}", lang.t("ipk.period"), period_name(period, lang));
            let heading = super::workbook::Heading {
                region: REGION,
                period: &period_line,
                status: &status,
            };
            (
                super::workbook::workbook(&sheets, &heading).map_err(AppError::internal)?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            )
        }
        _ => return Err(AppError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.{extension}\""),
        ))
        .body(bytes))
}

/// Signs the period off: every form, as it stands.
pub async fn sign(
    meta: RequestMeta,
    state: web::Data<AppState>,
    session: Session,
    staff: Require<DataStaff>,
    form: web::Form<PeriodQuery>,
) -> Result<HttpResponse, AppError> {
    let query = form.into_inner();
    let period = match period_of(&state, &query).await? {
        Ok(p) => p,
        Err(bad) => {
            session::flash(&session, FlashLevel::Error, bad.message_key());
            return Ok(redirect("/petugas/statistik"));
        }
    };
    let forms = super::form::load(state.settings.data_dir()).forms;
    let actor = staff.user.id;
    let signed = state
        .db(move |conn| {
            let today = crate::domain::calendar::today();
            let now = chrono::Utc::now().naive_utc();
            let signed = signoff::sign(conn, period, &forms, Some(actor), today, now)?;
            if let Ok(version) = signed {
                audit::record(
                    conn,
                    Entry::new(actions::IPK_SIGNED)
                        .actor(actor)
                        .subject("ipk_period", format!("{}..{}", period.from, period.to))
                        .detail(serde_json::json!({ "version": version }))
                        .client(&meta),
                )?;
            }
            Ok(signed)
        })
        .await?;
    match signed {
        Ok(_) => session::flash(&session, FlashLevel::Success, "ipk.signoff.done"),
        Err(why) => session::flash(&session, FlashLevel::Error, why.message_key()),
    }
    Ok(redirect(&format!(
        "/petugas/statistik?{}",
        query.query_string(period)
    )))
}
