//! The import pages of the data steward: upload a file, follow its check, read every bad
//! row, confirm the write, and come back later from the list of one's imports.

use actix_multipart::form::{MultipartForm, MultipartFormConfig, tempfile::TempFile, text::Text};
use actix_session::{Session, SessionExt};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::kind::{Column, Kind};
use super::reader::{Format, MAX_BYTES, MAX_MEGABYTES};
use super::runs::{self, Run, Status};
use super::template::{self, TemplateFormat};
use super::{ImportRunId, worker};
use crate::web::auth::{DataStaff, Require};
use crate::web::pagination::{Pager, page_number, query_with_page};
use crate::web::respond::{redirect, render};
use crate::web::session::{self, FlashLevel};
use crate::web::{AppError, AppState, Lang, PageCtx, format};

const LIST: &str = "/petugas/impor";
/// Problems shown per page of a run.
const PROBLEMS_PER_PAGE: i64 = 100;

/// The upload's limits: a file over [`MAX_BYTES`] is refused while it arrives (it is
/// streamed to a temporary file, never held in memory), and the user is sent back to the
/// list with the reason.
pub fn upload_limit() -> MultipartFormConfig {
    MultipartFormConfig::default()
        .total_limit(MAX_BYTES as usize + 64 * 1024)
        .memory_limit(64 * 1024)
        .error_handler(|err, req| {
            let key = match err {
                actix_multipart::MultipartError::Payload(
                    actix_web::error::PayloadError::Overflow,
                ) => "import.upload.too_large",
                _ => "import.upload.broken",
            };
            session::flash(&req.get_session(), FlashLevel::Error, key);
            actix_web::error::InternalError::from_response(err, redirect(LIST)).into()
        })
}

struct KindChoice {
    code: &'static str,
    label: String,
}

struct ColumnView {
    name: &'static str,
    required: bool,
    meaning: String,
}

struct TemplateView {
    kind: &'static str,
    label: String,
    columns: Vec<ColumnView>,
}

struct RunRow {
    id: ImportRunId,
    kind: String,
    file_name: String,
    status: String,
    uploaded: String,
    rows: String,
    bad: String,
}

#[derive(Template)]
#[template(path = "import/list.html")]
struct ListPage {
    ctx: PageCtx,
    kinds: Vec<KindChoice>,
    templates: Vec<TemplateView>,
    runs: Vec<RunRow>,
    upload_help: String,
}

fn kind_label(lang: Lang, kind: Kind) -> String {
    lang.t(kind.label_key()).into_owned()
}

pub async fn list(
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<DataStaff>,
) -> Result<HttpResponse, AppError> {
    let user = staff.user.id;
    let runs = state
        .db(move |conn| Ok(runs::list_of(conn, user, 100)?))
        .await?;
    let lang = ctx.lang;
    let roles = &staff.user.roles;
    let kinds = super::available_to(roles)
        .map(|k| KindChoice {
            code: k.cli_name(),
            label: kind_label(lang, k),
        })
        .collect();
    let templates = super::available_to(roles)
        .map(|k| (k, super::importer(k).columns()))
        .map(|(k, columns)| TemplateView {
            kind: k.cli_name(),
            label: kind_label(lang, k),
            columns: columns.iter().map(|c| column_view(lang, c)).collect(),
        })
        .collect();
    let runs = runs
        .into_iter()
        .map(|r| RunRow {
            id: r.id,
            kind: kind_label(lang, r.kind),
            file_name: r.file_name.clone(),
            status: lang.t(r.status.label_key()).into_owned(),
            uploaded: format::day_time(lang, r.created_at),
            rows: format::number(lang, i64::from(r.rows_checked)),
            bad: format::number(lang, i64::from(r.rows_bad)),
        })
        .collect();
    let upload_help = ctx.tf(
        "import.upload.help",
        &[("max_mb", &MAX_MEGABYTES.to_string())],
    );
    let page = ListPage {
        ctx,
        kinds,
        templates,
        runs,
        upload_help,
    };
    render(&page, StatusCode::OK)
}

fn column_view(lang: Lang, c: &Column) -> ColumnView {
    ColumnView {
        name: c.name,
        required: c.required,
        meaning: lang.t(c.description_key).into_owned(),
    }
}

/// The form's own limit is [`MAX_BYTES`] (the attribute needs a literal; a test holds the two
/// together through the message that names the limit).
#[derive(MultipartForm)]
pub struct UploadForm {
    jenis: Option<Text<String>>,
    #[multipart(limit = "64MiB")]
    berkas: Option<TempFile>,
}

/// The uploaded file's own name, for display only.
fn display_name(original: Option<&str>) -> String {
    let name: String = original
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')'))
        .take(120)
        .collect();
    if name.trim().is_empty() {
        "berkas".to_owned()
    } else {
        name.trim().to_owned()
    }
}

pub async fn upload(
    state: web::Data<AppState>,
    session: Session,
    staff: Require<DataStaff>,
    MultipartForm(form): MultipartForm<UploadForm>,
) -> Result<HttpResponse, AppError> {
    let refuse = |key: &'static str| {
        session::flash(&session, FlashLevel::Error, key);
        Ok(redirect(LIST))
    };
    let kind = form
        .jenis
        .as_ref()
        .and_then(|k| Kind::from_cli_name(k.as_str()));
    let Some(kind) = kind else {
        return refuse("import.upload.no_kind");
    };
    if !super::may_import(kind, &staff.user.roles) {
        return refuse("import.upload.not_allowed");
    }
    let Some(file) = form.berkas else {
        return refuse("import.upload.no_file");
    };
    if file.size == 0 {
        return refuse("import.file.empty");
    }
    if file.size as u64 > MAX_BYTES {
        return refuse("import.upload.too_large");
    }
    let name = display_name(file.file_name.as_deref());
    let size = file.size as i64;
    let dir = worker::dir(state.settings.data_dir());
    let stored = web::block(move || -> std::io::Result<String> {
        use std::io::Read;
        let mut head = [0u8; 4];
        let mut temp = std::fs::File::open(file.file.path())?;
        let n = temp.read(&mut head)?;
        let format = Format::of(&head[..n]);
        std::fs::create_dir_all(&dir)?;
        let stored = format!("{}.{}", session::random_token(), format.extension());
        // Moved when the temporary file is on the same disk, copied otherwise.
        let target = dir.join(&stored);
        if let Err(e) = file.file.persist(&target) {
            std::fs::copy(e.file.path(), &target)?;
        }
        Ok(stored)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let user = staff.user.id;
    let id = state
        .db(move |conn| Ok(runs::create(conn, kind, &name, &stored, size, user)?))
        .await?;
    Ok(redirect(&format!("{LIST}/{id}")))
}

pub async fn template_download(
    path: web::Path<(String, String)>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let (kind, format) = path.into_inner();
    let kind = Kind::from_cli_name(&kind).ok_or(AppError::NotFound)?;
    let format = TemplateFormat::parse(&format).ok_or(AppError::NotFound)?;
    let importer = super::importer(kind);
    let bytes = match format {
        TemplateFormat::Csv => template::csv(importer.columns()),
        TemplateFormat::Xlsx => {
            template::xlsx(importer.columns(), lang).map_err(AppError::internal)?
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"templat-{}.{}\"",
                kind.cli_name(),
                format.extension()
            ),
        ))
        .body(bytes))
}

struct ProblemView {
    line: String,
    column: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "import/run.html")]
struct RunPage {
    ctx: PageCtx,
    run: Run,
    kind: String,
    status: String,
    uploaded: String,
    progress: Option<String>,
    message: Option<String>,
    problems: Vec<ProblemView>,
    problems_heading: String,
    only_valid_label: String,
    all_good_label: String,
    pager: Pager,
    checked: String,
    bad: String,
    good: String,
    created: String,
    updated: String,
    unchanged: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RunQuery {
    hal: String,
}

async fn own_run(
    state: &AppState,
    id: ImportRunId,
    staff: &Require<DataStaff>,
) -> Result<Run, AppError> {
    let user = staff.user.id;
    state
        .db(move |conn| runs::find_of(conn, id, user)?.ok_or(AppError::NotFound))
        .await
}

pub async fn show(
    ctx: PageCtx,
    state: web::Data<AppState>,
    staff: Require<DataStaff>,
    id: web::Path<ImportRunId>,
    query: web::Query<RunQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let run = own_run(&state, id, &staff).await?;
    let page_no = page_number(&query.hal);
    let (problems, total) = state
        .db(move |conn| {
            Ok(runs::problems(
                conn,
                id,
                (page_no - 1) * PROBLEMS_PER_PAGE,
                PROBLEMS_PER_PAGE,
            )?)
        })
        .await?;
    let lang = ctx.lang;
    let n = |v: i32| format::number(lang, i64::from(v));
    let progress = match run.status {
        Status::Checking => Some(ctx.tf(
            "import.progress.checking",
            &[
                ("done", &n(run.rows_checked)),
                ("total", &n(run.rows_total.max(run.rows_checked))),
            ],
        )),
        Status::Writing => Some(match worker::write_progress(id) {
            Some(done) => ctx.tf(
                "import.progress.writing",
                &[
                    ("done", &format::number(lang, i64::from(done))),
                    ("total", &n(run.rows_checked)),
                ],
            ),
            None => ctx.t("import.progress.writing_waiting").into_owned(),
        }),
        Status::Waiting => Some(ctx.t("import.progress.waiting").into_owned()),
        _ => None,
    };
    let problems = problems
        .into_iter()
        .map(|(line, column, reason, detail)| ProblemView {
            line: if line == 0 {
                ctx.t("import.report.file").into_owned()
            } else {
                format::number(lang, i64::from(line))
            },
            column: column.unwrap_or_default(),
            reason: super::cli::reason_text(lang, &reason, detail.as_deref()),
        })
        .collect();
    let good = n((run.rows_checked - run.rows_bad).max(0));
    let pages_total = (total + PROBLEMS_PER_PAGE - 1) / PROBLEMS_PER_PAGE;
    let path = format!("{LIST}/{id}");
    let pager = Pager::new(&ctx, &path, page_no, pages_total, |p| {
        query_with_page(&[], p)
    });
    let page = RunPage {
        kind: kind_label(lang, run.kind),
        status: ctx.t(run.status.label_key()).into_owned(),
        uploaded: format::day_time(lang, run.created_at),
        message: run
            .message
            .as_deref()
            .map(|m| super::cli::reason_text(lang, m, None)),
        progress,
        problems,
        problems_heading: ctx.tf(
            "import.problems.heading",
            &[("count", &format::number(lang, total))],
        ),
        only_valid_label: ctx.tf("import.confirm.only_valid", &[("good", &good)]),
        all_good_label: ctx.tf("import.confirm.all_good", &[("good", &good)]),
        pager,
        checked: n(run.rows_checked),
        bad: n(run.rows_bad),
        good: good.clone(),
        created: n(run.rows_created),
        updated: n(run.rows_updated),
        unchanged: n(run.rows_unchanged),
        run,
        ctx,
    };
    render(&page, StatusCode::OK)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    /// A checkbox: "on" to write the valid rows of a file with bad ones.
    hanya_valid: String,
}

pub async fn confirm(
    state: web::Data<AppState>,
    session: Session,
    staff: Require<DataStaff>,
    id: web::Path<ImportRunId>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let run = own_run(&state, id, &staff).await?;
    let only_valid = form.hanya_valid == "on";
    let confirmed = state
        .db(move |conn| Ok(runs::confirm(conn, &run, only_valid)?))
        .await?;
    if !confirmed {
        session::flash(&session, FlashLevel::Error, "import.confirm.refused");
    }
    Ok(redirect(&format!("{LIST}/{id}")))
}

pub async fn cancel(
    state: web::Data<AppState>,
    session: Session,
    staff: Require<DataStaff>,
    id: web::Path<ImportRunId>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let run = own_run(&state, id, &staff).await?;
    let ended = state.db(move |conn| Ok(runs::cancel(conn, &run)?)).await?;
    match ended {
        Some(file) => {
            let dir = worker::dir(state.settings.data_dir());
            if let Some(name) = file.filter(|n| worker::is_stored_name(n)) {
                let _ = web::block(move || std::fs::remove_file(dir.join(name))).await;
            }
            session::flash(&session, FlashLevel::Success, "import.cancelled");
        }
        None => session::flash(&session, FlashLevel::Error, "import.cancel.refused"),
    }
    Ok(redirect(&format!("{LIST}/{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_of_a_large_upload_names_the_limit() {
        assert_eq!(MAX_MEGABYTES, 64);
        for lang in Lang::ALL {
            assert!(lang.t("import.upload.too_large").contains("64 MB"));
        }
    }

    #[test]
    fn an_uploaded_name_is_only_shown() {
        assert_eq!(
            display_name(Some("C:\\data\\loker (1).csv")),
            "loker (1).csv"
        );
        assert_eq!(display_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(display_name(Some("<script>.csv")), "script.csv");
        assert_eq!(display_name(None), "berkas");
    }
}
