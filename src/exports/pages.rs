//! The data steward's export pages: the form with their recent exports, an export's page
//! with its progress bar (updated by `static/js/job-progress.js` where script runs, on
//! reload where it does not), its status as JSON for that script, and the download.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::model::{self, Export};
use super::queue::{Job, Status};
use super::request::{self, Input, Problem};
use super::{Dataset, ExportId, Format, run, worker, write};
use crate::audit::{self, Entry, actions};
use crate::web::auth::{DataSteward, Require};
use crate::web::respond::{RequestMeta, redirect, render};
use crate::web::{AppError, AppState, Lang, PageCtx, format};

const LIST: &str = "/petugas/ekspor";
/// Exports listed on the form's page.
const RECENT: i64 = 50;

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ExportForm {
    data: String,
    format: String,
    dari: String,
    sampai: String,
    kecamatan: String,
    /// A checkbox: "on" to ask for personal data in full.
    lengkap: String,
    tujuan: String,
}

impl ExportForm {
    fn input(&self) -> Input<'_> {
        Input {
            dataset: &self.data,
            format: &self.format,
            from: &self.dari,
            to: &self.sampai,
            kecamatan: &self.kecamatan,
            unmasked: self.lengkap == "on",
            purpose: &self.tujuan,
        }
    }
}

struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

struct ExportRow {
    id: ExportId,
    dataset: String,
    format: &'static str,
    period: String,
    kecamatan: String,
    unmasked: bool,
    requested: String,
    status: String,
    rows: String,
}

#[derive(Template)]
#[template(path = "exports/list.html")]
struct ListPage {
    ctx: PageCtx,
    form: ExportForm,
    datasets: Vec<Choice>,
    formats: Vec<Choice>,
    kecamatan: Vec<Choice>,
    errors: Vec<(&'static str, String)>,
    exports: Vec<ExportRow>,
    purpose_help: String,
}

impl ListPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

fn period(lang: Lang, e: &Export) -> String {
    match (e.period_from, e.period_to) {
        (None, None) => lang.t("export.meta.all").into_owned(),
        (from, to) => format!(
            "{} – {}",
            from.map_or_else(|| "…".to_owned(), |d| format::date(lang, d)),
            to.map_or_else(|| "…".to_owned(), |d| format::date(lang, d))
        ),
    }
}

fn kecamatan_name(lang: Lang, code: Option<&str>) -> String {
    match code {
        None => lang.t("export.meta.all").into_owned(),
        Some(code) => crate::reference::regions::get(code)
            .map_or_else(|| code.to_owned(), |r| r.name.to_owned()),
    }
}

fn status_text(lang: Lang, job: &Job) -> String {
    match job.status {
        Status::Running => lang.tf(
            "export.progress.running",
            &[
                ("done", &format::number(lang, job.rows_done)),
                ("total", &format::number(lang, job.rows_total)),
                ("percent", &job.percent().to_string()),
            ],
        ),
        other => lang.t(other.label_key()).into_owned(),
    }
}

async fn list_page(
    ctx: PageCtx,
    state: &AppState,
    user: crate::domain::ids::UserId,
    form: ExportForm,
    errors: Vec<Problem>,
) -> Result<ListPage, AppError> {
    let exports = state
        .db(move |conn| Ok(model::list_of(conn, user, RECENT)?))
        .await?;
    let lang = ctx.lang;
    let exports = exports
        .into_iter()
        .map(|(e, job)| ExportRow {
            id: e.id,
            dataset: lang.t(e.dataset.label_key()).into_owned(),
            format: e.format.as_str(),
            period: period(lang, &e),
            kecamatan: kecamatan_name(lang, e.kecamatan_code.as_deref()),
            unmasked: e.unmasked,
            requested: format::day_time(lang, e.created_at),
            status: status_text(lang, &job),
            rows: e
                .rows_written
                .map(|n| format::number(lang, n))
                .unwrap_or_default(),
        })
        .collect();
    let chosen_dataset = Dataset::from_cli_name(&form.data);
    let datasets = Dataset::ALL
        .into_iter()
        .map(|d| Choice {
            value: d.cli_name(),
            label: lang.t(d.label_key()).into_owned(),
            selected: chosen_dataset == Some(d),
        })
        .collect();
    let chosen_format = Format::parse(&form.format);
    let formats = Format::ALL
        .into_iter()
        .map(|f| Choice {
            value: f.as_str(),
            label: lang.t(f.label_key()).into_owned(),
            selected: chosen_format == Some(f),
        })
        .collect();
    let kecamatan = crate::reference::regions::binjai_kecamatan()
        .map(|r| Choice {
            value: r.code,
            label: r.name.to_owned(),
            selected: form.kecamatan == r.code,
        })
        .collect();
    let errors = errors
        .iter()
        .map(|p| (p.field, request::message(lang, p)))
        .collect();
    let purpose_help = ctx.tf(
        "export.form.purpose_help",
        &[
            ("min", &request::PURPOSE_MIN.to_string()),
            ("max", &request::PURPOSE_MAX.to_string()),
        ],
    );
    Ok(ListPage {
        ctx,
        form,
        datasets,
        formats,
        kecamatan,
        errors,
        exports,
        purpose_help,
    })
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
) -> Result<HttpResponse, AppError> {
    let page = list_page(
        ctx,
        &state,
        steward.user.id,
        ExportForm::default(),
        Vec::new(),
    )
    .await?;
    render(&page, StatusCode::OK)
}

pub async fn create(
    ctx: PageCtx,
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    form: web::Form<ExportForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let user = steward.user.id;
    let parsed = request::parse(&form.input(), crate::domain::calendar::today());
    let request = match parsed {
        Ok(r) => r,
        Err(problems) => return refuse(ctx, &state, user, form, problems).await,
    };
    let checked = request.clone();
    let created = state
        .db(move |conn| {
            if let Some(problem) = request::check_data(conn, &checked)? {
                return Ok(Err(problem));
            }
            Ok(Ok(crate::db::transaction(conn, |conn| {
                let (id, _job) = model::create(conn, &checked, user)?;
                audit::record(
                    conn,
                    Entry::new(actions::EXPORT_REQUESTED)
                        .actor(user)
                        .subject("export", id)
                        .client(&meta)
                        .detail(run::audit_detail(&checked, None)),
                )?;
                Ok::<_, diesel::result::Error>(id)
            })?))
        })
        .await?;
    match created {
        Ok(id) => Ok(redirect(&format!("{LIST}/{id}"))),
        Err(problem) => refuse(ctx, &state, user, form, vec![problem]).await,
    }
}

async fn refuse(
    ctx: PageCtx,
    state: &AppState,
    user: crate::domain::ids::UserId,
    form: ExportForm,
    problems: Vec<Problem>,
) -> Result<HttpResponse, AppError> {
    let page = list_page(ctx, state, user, form, problems).await?;
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

async fn own_export(
    state: &AppState,
    id: ExportId,
    steward: &Require<DataSteward>,
) -> Result<(Export, Job), AppError> {
    let user = steward.user.id;
    state
        .db(move |conn| model::find_of(conn, id, user)?.ok_or(AppError::NotFound))
        .await
}

#[derive(Template)]
#[template(path = "exports/show.html")]
struct ShowPage {
    ctx: PageCtx,
    export: Export,
    job: Job,
    dataset: String,
    date_basis: String,
    period: String,
    kecamatan: String,
    requested: String,
    status: String,
    progress: String,
    message: Option<String>,
    rows: String,
    size: String,
    expires: String,
    file_name: String,
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<ExportId>,
) -> Result<HttpResponse, AppError> {
    let (export, job) = own_export(&state, id.into_inner(), &steward).await?;
    let lang = ctx.lang;
    let page = ShowPage {
        dataset: lang.t(export.dataset.label_key()).into_owned(),
        date_basis: lang.t(export.dataset.date_key()).into_owned(),
        period: period(lang, &export),
        kecamatan: kecamatan_name(lang, export.kecamatan_code.as_deref()),
        requested: format::day_time(lang, export.created_at),
        status: lang.t(job.status.label_key()).into_owned(),
        progress: match job.status {
            Status::Waiting => lang.t("export.progress.waiting").into_owned(),
            _ => status_text(lang, &job),
        },
        message: job.message.as_deref().map(|m| lang.t(m).into_owned()),
        rows: export
            .rows_written
            .map(|n| format::number(lang, n))
            .unwrap_or_default(),
        size: job
            .size_bytes
            .map(|b| file_size(lang, b))
            .unwrap_or_default(),
        expires: job
            .expires_at
            .map(|at| {
                lang.tf(
                    "export.download.expires",
                    &[("when", &format::day_time(lang, at))],
                )
            })
            .unwrap_or_default(),
        file_name: job.file_name.clone().unwrap_or_default(),
        export,
        job,
        ctx,
    };
    render(&page, StatusCode::OK)
}

fn file_size(lang: Lang, bytes: i64) -> String {
    const MB: i64 = 1024 * 1024;
    if bytes >= MB {
        format!("{} MB", format::number(lang, (bytes + MB / 2) / MB))
    } else {
        format!("{} KB", format::number(lang, (bytes + 1023) / 1024))
    }
}

/// What the progress script reads.
#[derive(serde::Serialize)]
struct StatusJson {
    status: &'static str,
    running: bool,
    done: i64,
    total: i64,
    percent: i64,
    text: String,
}

pub async fn status(
    ctx: PageCtx,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<ExportId>,
) -> Result<HttpResponse, AppError> {
    let (_, job) = own_export(&state, id.into_inner(), &steward).await?;
    let body = StatusJson {
        status: job.status.as_str(),
        running: job.status.is_running(),
        done: job.rows_done,
        total: job.rows_total,
        percent: job.percent(),
        text: match job.status {
            Status::Waiting => ctx.t("export.progress.waiting").into_owned(),
            _ => status_text(ctx.lang, &job),
        },
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body))
}

/// The file, streamed from disk in pieces: an export can be hundreds of megabytes.
pub async fn download(
    meta: RequestMeta,
    state: web::Data<AppState>,
    steward: Require<DataSteward>,
    id: web::Path<ExportId>,
) -> Result<HttpResponse, AppError> {
    let (export, job) = own_export(&state, id.into_inner(), &steward).await?;
    let (true, Some(stored), Some(name)) = (
        job.downloadable(),
        job.stored_name
            .clone()
            .filter(|n| worker::is_stored_name(n)),
        job.file_name.clone(),
    ) else {
        return Err(AppError::NotFound);
    };
    let path = worker::dir(state.settings.data_dir()).join(stored);
    let file =
        web::block(move || std::fs::File::open(&path).and_then(|f| Ok((f.metadata()?.len(), f))))
            .await
            .map_err(AppError::internal)?;
    let (size, file) = match file {
        Ok(found) => found,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::internal(e)),
    };
    let user = steward.user.id;
    let export_id = export.id;
    state
        .db(move |conn| {
            Ok(audit::record(
                conn,
                Entry::new(actions::EXPORT_DOWNLOADED)
                    .actor(user)
                    .subject("export", export_id)
                    .client(&meta),
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(write::content_type(export.format))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(actix_web::body::SizedStream::new(size, chunks(file))))
}

/// A file as a stream of 256 KB pieces, each read on the blocking pool.
fn chunks(
    file: std::fs::File,
) -> impl futures_util::Stream<Item = Result<web::Bytes, actix_web::Error>> {
    const CHUNK: usize = 256 * 1024;
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let read = web::block(move || {
            use std::io::Read;
            let mut buf = vec![0u8; CHUNK];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((buf, file))
        })
        .await;
        match read {
            Ok(Ok((buf, _))) if buf.is_empty() => None,
            Ok(Ok((buf, file))) => Some((Ok(web::Bytes::from(buf)), Some(file))),
            Ok(Err(e)) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
            Err(e) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
        }
    })
}
