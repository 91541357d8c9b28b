//! The API's documentation page (`/dokumentasi-api`), rendered on the server from the
//! OpenAPI document and the same column lists, so it works offline, without JavaScript,
//! and never disagrees with what the API sends. Problem `type` URIs point at its anchors.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::Parameter;

use super::openapi::{DOCUMENT, mask_note};
use super::problem::Kind;
use super::records::slug;
use crate::exports::dataset::Mask;
use crate::exports::{Dataset, datasets};
use crate::web::respond::render;
use crate::web::{AppError, AppState, PageCtx};

struct ParameterView {
    name: String,
    /// The translation key of what it does.
    key: String,
    schema: String,
}

struct ColumnView {
    name: &'static str,
    mask_key: &'static str,
    /// The English note of the OpenAPI document, for partners' developers.
    note: &'static str,
}

struct DatasetView {
    name_key: &'static str,
    path: String,
    columns: Vec<ColumnView>,
}

struct ProblemView {
    slug: &'static str,
    status: u16,
    title: &'static str,
    key: String,
}

#[derive(Template)]
#[template(path = "interop/docs.html")]
struct DocsPage {
    ctx: PageCtx,
    version: String,
    rate: u32,
    parameters: Vec<ParameterView>,
    datasets: Vec<DatasetView>,
    problems: Vec<ProblemView>,
}

fn mask_key(mask: Mask) -> &'static str {
    match mask {
        Mask::Keep => "apidoc.mask.keep",
        Mask::Nik => "apidoc.mask.nik",
        Mask::Year => "apidoc.mask.year",
        Mask::Month => "apidoc.mask.month",
        Mask::Omit => "apidoc.mask.omit",
    }
}

/// The query parameters of the list operations, as the document gives them.
fn parameters() -> Vec<ParameterView> {
    let path = format!("/api/v1/{}", slug(Dataset::JobSeekers));
    let Some(item) = DOCUMENT.paths.paths.get(&path) else {
        return Vec::new();
    };
    let params: &[Parameter] = item
        .get
        .as_ref()
        .and_then(|op| op.parameters.as_deref())
        .unwrap_or_default();
    params
        .iter()
        .map(|p| ParameterView {
            name: p.name.clone(),
            key: format!("apidoc.param.{}", p.name),
            schema: match &p.schema {
                Some(RefOr::T(schema)) => serde_json::to_string(schema).unwrap_or_default(),
                _ => String::new(),
            },
        })
        .collect()
}

pub async fn page(ctx: PageCtx, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let datasets = Dataset::ALL
        .into_iter()
        .map(|d| DatasetView {
            name_key: d.label_key(),
            path: format!("/api/v1/{}", slug(d)),
            columns: datasets::provider(d)
                .columns()
                .into_iter()
                .map(|c| ColumnView {
                    name: c.name,
                    mask_key: mask_key(c.mask),
                    note: mask_note(c.mask),
                })
                .collect(),
        })
        .collect();
    let problems = Kind::ALL
        .into_iter()
        .map(|k| ProblemView {
            slug: k.slug(),
            status: k.status().as_u16(),
            title: k.title(),
            key: format!("apidoc.problem.{}", k.slug().replace('-', "_")),
        })
        .collect();
    let page = DocsPage {
        version: DOCUMENT.info.version.clone(),
        rate: state.settings.api_rate_per_second,
        parameters: parameters(),
        datasets,
        problems,
        ctx,
    };
    render(&page, StatusCode::OK)
}
