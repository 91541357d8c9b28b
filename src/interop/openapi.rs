//! The OpenAPI 3.1 document of `/api/v1`, built from the code that answers: the problem
//! type is derived from [`Problem`], the records of each data set from the columns its
//! owner gives the exports, the parameters from [`super::query`]'s limits. It is built
//! once per process and served as it is.
//!
//! A cell's JSON type is not in the owners' column lists (a column is a name and a mask),
//! so a data column is described as any of string, integer, boolean or null, with its
//! masking; the record's envelope (id, changed_at, deleted) is exact.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};
use serde_json::json;
use utoipa::PartialSchema as _;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, HeaderBuilder, InfoBuilder, OpenApi, OpenApiBuilder,
    PathsBuilder, Ref, RefOr, Required,
};

use super::problem::{Kind, Problem};
use super::query::{MAX_LIMIT, MAX_QUERY_LEN};
use super::records::slug;
use crate::exports::dataset::{Column, Mask};
use crate::exports::{Dataset, datasets};
use crate::sharing::Masking;

const KEY_SCHEME: &str = "api_key";

/// The document, built on first use.
pub static DOCUMENT: LazyLock<OpenApi> = LazyLock::new(build);
static JSON: LazyLock<Vec<u8>> =
    LazyLock::new(|| serde_json::to_vec_pretty(&*DOCUMENT).unwrap_or_default());

/// `GET /api/v1/openapi.json`: public, it holds no data.
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ))
        .body(JSON.as_slice())
}

/// The schema name of a data set's records (`JobSeekersRecord`).
pub fn record_schema(dataset: Dataset) -> String {
    let camel: String = slug(dataset)
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    format!("{camel}Record")
}

fn page_schema(dataset: Dataset) -> String {
    record_schema(dataset).replace("Record", "Page")
}

fn data_schema(dataset: Dataset) -> String {
    record_schema(dataset).replace("Record", "Data")
}

fn typed(t: Type) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(t)
}

fn nullable(types: &[Type]) -> SchemaType {
    types.iter().cloned().chain([Type::Null]).collect()
}

/// How a column's masking is told to a partner.
pub fn mask_note(mask: Mask) -> &'static str {
    match mask {
        Mask::Keep => "Not personal; always sent.",
        Mask::Nik => "NIK. Masked: the first and last four digits, 1275********0001.",
        Mask::Year => "Birth date. Masked: the year only, as an integer.",
        Mask::Month => "Date that could identify a person. Masked: the month only, YYYY-MM.",
        Mask::Omit => "Personal. Masked: left out of the record.",
    }
}

fn column_schema(index: usize, column: &Column) -> Schema {
    let builder = if index == 0 {
        typed(Type::Integer).description(Some("The record's id, also the record's `id`."))
    } else {
        ObjectBuilder::new()
            .schema_type(nullable(&[Type::String, Type::Integer, Type::Boolean]))
            .description(Some(mask_note(column.mask)))
    };
    builder.build().into()
}

/// A data set's fields: every column of an unmasked read; a masked read leaves out the
/// omitted ones, so only the others are required.
fn data(dataset: Dataset) -> Schema {
    let mut object = typed(Type::Object).additional_properties(Some(
        utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
    ));
    for (i, column) in datasets::provider(dataset).columns().iter().enumerate() {
        object = object.property(column.name, column_schema(i, column));
        if column.mask != Mask::Omit {
            object = object.required(column.name);
        }
    }
    object.build().into()
}

fn record(dataset: Dataset) -> Schema {
    typed(Type::Object)
        .description(Some(
            "A record as it is now, or a tombstone (`deleted: true`, no `data`) for one \
             deleted or anonymised: remove it on your side.",
        ))
        .property("id", typed(Type::Integer))
        .required("id")
        .property(
            "changed_at",
            typed(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
                .description(Some("When the record last changed (UTC).")),
        )
        .required("changed_at")
        .property("deleted", typed(Type::Boolean))
        .required("deleted")
        .property("data", Ref::from_schema_name(data_schema(dataset)))
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ))
        .build()
        .into()
}

fn page(dataset: Dataset) -> Schema {
    typed(Type::Object)
        .property(
            "dataset",
            typed(Type::String).enum_values(Some([slug(dataset)])),
        )
        .required("dataset")
        .property(
            "masking",
            typed(Type::String).enum_values(Some(Masking::ALL.map(|m| m.as_str()))),
        )
        .required("masking")
        .property(
            "records",
            ArrayBuilder::new().items(Ref::from_schema_name(record_schema(dataset))),
        )
        .required("records")
        .property(
            "next_cursor",
            typed(Type::String).description(Some(
                "Where the next request starts; keep it to continue later, even when \
                 has_more is false.",
            )),
        )
        .required("next_cursor")
        .property("has_more", typed(Type::Boolean))
        .required("has_more")
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ))
        .build()
        .into()
}

fn index() -> Schema {
    let entry = typed(Type::Object)
        .property(
            "dataset",
            typed(Type::String).enum_values(Some(Dataset::ALL.map(slug))),
        )
        .required("dataset")
        .property(
            "masking",
            typed(Type::String).enum_values(Some(Masking::ALL.map(|m| m.as_str()))),
        )
        .required("masking")
        .property("href", typed(Type::String))
        .required("href");
    typed(Type::Object)
        .property("partner", typed(Type::String))
        .required("partner")
        .property("datasets", ArrayBuilder::new().items(entry))
        .required("datasets")
        .build()
        .into()
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

fn json_response(description: &str, schema: String) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build(),
        )
        .build()
        .into()
}

fn keyed(op: OperationBuilder) -> OperationBuilder {
    op.security(SecurityRequirement::new(KEY_SCHEME, Vec::<String>::new()))
        .response(
            "401",
            problem_response("No key, a refused key, or a session cookie."),
        )
        .response(
            "429",
            retry_response("Too many requests for the key; wait Retry-After seconds."),
        )
        .response("500", problem_response("The portal failed."))
}

/// A problem with a Retry-After header.
fn retry_response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new()
        .description(description)
        .header(
            "Retry-After",
            HeaderBuilder::new().schema(typed(Type::Integer)).build(),
        )
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
}

fn query_parameter(name: &str, schema: ObjectBuilder, description: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(schema))
        .description(Some(description))
}

fn list_operation(dataset: Dataset) -> OperationBuilder {
    keyed(
        OperationBuilder::new()
            .operation_id(Some(format!("list_{}", dataset.as_str())))
            .tag("data sets")
            .summary(Some(format!("Changed records of {}", slug(dataset))))
            .description(Some(
                "Records in the order they last changed, after the cursor. Page with \
                 next_cursor until has_more is false; come back later with the last \
                 next_cursor for what changed since. Records changed while paging come again \
                 at the end; none is skipped.",
            ))
            .parameter(query_parameter(
                "cursor",
                typed(Type::String).max_length(Some(MAX_QUERY_LEN)),
                "next_cursor of the previous page; none for the first.",
            ))
            .parameter(query_parameter(
                "updated_since",
                typed(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
                "Only records changed at or after this instant (RFC 3339, with offset; not in \
                 the future).",
            ))
            .parameter(query_parameter(
                "limit",
                typed(Type::Integer)
                    .minimum(Some(1))
                    .maximum(Some(MAX_LIMIT))
                    .default(Some(json!(super::query::DEFAULT_LIMIT))),
                "Records a page, 1 to 1000 (default 100).",
            ))
            .response(
                "200",
                json_response("A page of changed records.", page_schema(dataset)),
            )
            .response(
                "400",
                problem_response("A parameter the API does not take."),
            )
            .response(
                "403",
                problem_response("The key has no scope for the data set."),
            )
            .response(
                "503",
                retry_response(
                    "The portal could not log the page just now, so it was not sent; \
                     try again after Retry-After seconds.",
                ),
            ),
    )
}

fn build() -> OpenApi {
    let mut paths = PathsBuilder::new().path(
        "/api/v1",
        PathItem::new(
            HttpMethod::Get,
            keyed(
                OperationBuilder::new()
                    .operation_id(Some("index"))
                    .summary(Some("The key's partner and the data sets it may read"))
                    .response(
                        "200",
                        json_response("The data sets of the key.", "Index".to_owned()),
                    ),
            ),
        ),
    );
    let mut components = ComponentsBuilder::new()
        .schema("Problem", Problem::schema())
        .schema("Index", index())
        .security_scheme(
            KEY_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sibuser_<prefix>_<secret>")
                    .description(Some(
                        "A key issued by the Dinas's data steward. Requests that carry the \
                         portal's session cookie are refused.",
                    ))
                    .build(),
            ),
        );
    for dataset in Dataset::ALL {
        paths = paths.path(
            format!("/api/v1/{}", slug(dataset)),
            PathItem::new(HttpMethod::Get, list_operation(dataset)),
        );
        components = components
            .schema(page_schema(dataset), page(dataset))
            .schema(record_schema(dataset), record(dataset))
            .schema(data_schema(dataset), data(dataset));
    }
    let problems: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("- `{}`: {}", k.uri(), k.title()))
        .collect();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("SIBUSER sharing API")
                .version("1")
                .description(Some(format!(
                    "Labour data of Kota Binjai for the partners of the agreement with \
                     Kemnaker. Problems (RFC 9457):\n{}",
                    problems.join("\n")
                )))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components.build()))
        .build()
}
