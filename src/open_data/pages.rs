//! The open-data pages: the list of data sets, a data set's page (metadata and one month's
//! table), and each data set whole as CSV and as JSON.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Serialize;

use super::datasets::{self, DATASETS, Dataset};
use super::metadata::{self, Metadata};
use super::published::{self, MonthTable};
use super::{OpenDataCache, Published};
use crate::ipk::Month;
use crate::web::respond::render;
use crate::web::{AppError, AppState, Lang, PageCtx, format};

/// Published figures never change once out, but a newly closed month adds to them.
const CACHE_CONTROL: &str = "public, max-age=3600";

async fn load(
    state: &AppState,
    cache: &web::Data<OpenDataCache>,
    dataset: &'static Dataset,
) -> Result<Published, AppError> {
    let cache = cache.clone();
    state
        .db(move |conn| Ok(cache.published(conn, dataset)?))
        .await
}

fn dataset_of(slug: &str) -> Result<&'static Dataset, AppError> {
    datasets::find(slug).ok_or(AppError::NotFound)
}

fn month_name(lang: Lang, m: Month) -> String {
    format::month(lang, m.year(), m.month())
}

struct Entry {
    slug: &'static str,
    title: String,
    definition: String,
    unit: String,
}

#[derive(Template)]
#[template(path = "open_data/index.html")]
struct IndexPage {
    ctx: PageCtx,
    period: String,
    entries: Vec<Entry>,
    licence: &'static str,
    licence_url: &'static str,
}

pub async fn index(
    ctx: PageCtx,
    state: web::Data<AppState>,
    cache: web::Data<OpenDataCache>,
) -> Result<HttpResponse, AppError> {
    let months = load(&state, &cache, &DATASETS[0]).await?.months;
    let entries = DATASETS
        .iter()
        .map(|d| {
            let m = metadata::of(d, ctx.lang, &months);
            Entry {
                slug: d.slug,
                title: m.title,
                definition: m.definition,
                unit: m.unit,
            }
        })
        .collect();
    let page = IndexPage {
        period: metadata::of(&DATASETS[0], ctx.lang, &months).period,
        entries,
        licence: metadata::LICENCE,
        licence_url: metadata::LICENCE_URL,
        ctx,
    };
    render(&page, StatusCode::OK)
}

/// A cell as the page prints it: the number, or the mark of a hidden one.
struct CellView {
    text: String,
    hidden: bool,
}

struct RowView {
    code: String,
    name: String,
    cells: Vec<CellView>,
    total: CellView,
}

#[derive(Template)]
#[template(path = "open_data/dataset.html")]
struct DatasetPage {
    ctx: PageCtx,
    slug: &'static str,
    meta: Metadata,
    months: Vec<(String, String, bool)>,
    problem: Option<String>,
    caption: String,
    sexes: Vec<String>,
    rows: Vec<RowView>,
    totals: Vec<CellView>,
    grand_total: CellView,
    suppresses: bool,
}

fn cell_view(lang: Lang, value: Option<i64>) -> CellView {
    match value {
        Some(v) => CellView {
            text: format::number(lang, v),
            hidden: false,
        },
        None => CellView {
            text: HIDDEN_MARK.to_owned(),
            hidden: true,
        },
    }
}

/// What a hidden cell shows: `r` for *rahasia* (confidential), explained under the table.
const HIDDEN_MARK: &str = "r";

pub async fn page(
    req: HttpRequest,
    path: web::Path<String>,
    ctx: PageCtx,
    state: web::Data<AppState>,
    cache: web::Data<OpenDataCache>,
) -> Result<HttpResponse, AppError> {
    let dataset = dataset_of(&path)?;
    let published = load(&state, &cache, dataset).await?;
    let lang = ctx.lang;
    #[derive(serde::Deserialize, Default)]
    struct Asked {
        bulan: Option<String>,
    }
    let asked = serde_urlencoded::from_str::<Asked>(req.query_string())
        .unwrap_or_default()
        .bulan
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    let chosen: Result<Option<&MonthTable>, String> = match asked {
        None => Ok(published.tables.last()),
        Some(text) => {
            match Month::parse(&text).and_then(|m| published.tables.iter().find(|t| t.month == m)) {
                Some(t) => Ok(Some(t)),
                None => Err(ctx.tf("open_data.error.month", &[("value", &text)])),
            }
        }
    };
    let categories = dataset.dimension.categories(lang);
    let name_of = |code: &str| {
        categories
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let table = chosen.as_ref().ok().copied().flatten();
    let rows = table
        .map(|t| {
            t.rows
                .iter()
                .enumerate()
                .map(|(i, (code, cells))| RowView {
                    name: name_of(code),
                    code: if published::is_unknown(code) {
                        String::new()
                    } else {
                        code.clone()
                    },
                    cells: cells.iter().map(|c| cell_view(lang, c.shown())).collect(),
                    total: cell_view(lang, t.row_total(i)),
                })
                .collect()
        })
        .unwrap_or_default();
    let meta = metadata::of(dataset, lang, &published.months);
    let page = DatasetPage {
        slug: dataset.slug,
        months: published
            .months
            .iter()
            .rev()
            .map(|m| {
                (
                    m.to_string(),
                    month_name(lang, *m),
                    Some(*m) == table.map(|t| t.month),
                )
            })
            .collect(),
        caption: table
            .map(|t| format!("{}, {}", meta.title, month_name(lang, t.month)))
            .unwrap_or_default(),
        sexes: dataset
            .unit
            .sexes()
            .iter()
            .map(|(_, key)| ctx.t(key).into_owned())
            .collect(),
        totals: table
            .map(|t| (0..3).map(|s| cell_view(lang, t.column_total(s))).collect())
            .unwrap_or_default(),
        grand_total: cell_view(lang, table.and_then(|t| t.total())),
        rows,
        problem: chosen.err(),
        suppresses: dataset.unit.suppresses(),
        meta,
        ctx,
    };
    let status = if page.problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(&page, status)
}

/// The columns of the CSV, and the keys of each JSON record, in order.
fn columns(dataset: &Dataset) -> [&'static str; 6] {
    let (code, name) = dataset.dimension.columns();
    [
        "periode",
        "jenis_kelamin",
        code,
        name,
        "nilai",
        "disembunyikan",
    ]
}

/// Every published cell, one record each, in the order of [`columns`]; a hidden cell's
/// value is null.
fn records(dataset: &Dataset, tables: &[MonthTable]) -> Vec<[serde_json::Value; 6]> {
    let categories = dataset.dimension.categories(Lang::Id);
    let sexes = dataset.unit.sexes();
    let mut out = Vec::new();
    for table in tables {
        for (code, cells) in &table.rows {
            let name = categories
                .iter()
                .find(|c| &c.code == code)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            for (cell, (sex, _)) in cells.iter().zip(sexes) {
                out.push([
                    table.month.to_string().into(),
                    sex.into(),
                    code.as_str().into(),
                    name.as_str().into(),
                    cell.shown().into(),
                    cell.hidden.into(),
                ]);
            }
        }
    }
    out
}

#[derive(Serialize)]
struct Document {
    #[serde(rename = "dataset")]
    slug: &'static str,
    #[serde(rename = "metadata")]
    meta: Metadata,
    /// One object per cell, with the CSV's columns as keys.
    #[serde(rename = "data")]
    records: Vec<serde_json::Map<String, serde_json::Value>>,
}

fn csv_body(dataset: &Dataset, tables: &[MonthTable]) -> Result<Vec<u8>, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(columns(dataset))
        .map_err(AppError::internal)?;
    for record in records(dataset, tables) {
        out.write_record(record.iter().map(|v| match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }))
        .map_err(AppError::internal)?;
    }
    out.into_inner().map_err(AppError::internal)
}

fn json_body(dataset: &Dataset, published: &Published) -> Result<Vec<u8>, AppError> {
    let keys = columns(dataset);
    let document = Document {
        slug: dataset.slug,
        meta: metadata::of(dataset, Lang::Id, &published.months),
        records: records(dataset, &published.tables)
            .into_iter()
            .map(|record| keys.iter().map(|k| k.to_string()).zip(record).collect())
            .collect(),
    };
    serde_json::to_vec(&document).map_err(AppError::internal)
}

/// A data set whole, as `/data-terbuka/{slug}.csv` or `.json` asks.
pub async fn file(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
    cache: web::Data<OpenDataCache>,
) -> Result<HttpResponse, AppError> {
    let dataset = dataset_of(&path)?;
    let published = load(&state, &cache, dataset).await?;
    let (body, content_type, extension) = if req.path().ends_with(".json") {
        (json_body(dataset, &published)?, "application/json", "json")
    } else {
        (
            csv_body(dataset, &published.tables)?,
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{}.{extension}\"", dataset.slug),
        ))
        .body(body))
}
