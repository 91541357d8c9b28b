//! The photo and CV pages of the list. Each file goes to its own address
//! (`/pencaker/foto`, `/pencaker/cv`), which comes back here with what happened; nothing
//! typed on another page can be lost by sending one.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::Task;
use crate::domain::ids::UserId;
use crate::seekers::model::{self, Profile};
use crate::web::respond::render;
use crate::web::{AppError, AppState, Lang, PageCtx};

#[derive(Template)]
#[template(path = "seekers/profile_file.html")]
struct FilePage {
    ctx: PageCtx,
    task: Task,
    cv: Option<(String, String)>,
    has_photo: bool,
}

impl FilePage {
    fn is_photo(&self) -> bool {
        self.task == Task::Photo
    }
}

/// The CV on file: its name, and "124 KB, 29 November 2026".
pub(super) fn cv_line(lang: Lang, p: &Profile) -> Option<(String, String)> {
    let name = p.cv_name.clone()?;
    let size = format!(
        "{} KB, {}",
        crate::web::format::number(lang, (i64::from(p.cv_size.unwrap_or(0)) + 1023) / 1024),
        p.cv_uploaded_at
            .map(|t| crate::web::format::day(lang, t))
            .unwrap_or_default()
    );
    Some((name, size))
}

pub(super) async fn show(
    ctx: PageCtx,
    state: &AppState,
    user_id: UserId,
    task: Task,
) -> Result<HttpResponse, AppError> {
    let profile = state
        .db(move |conn| Ok(model::find_by_user(conn, user_id)?))
        .await?;
    let page = FilePage {
        task,
        cv: profile.as_ref().and_then(|p| cv_line(ctx.lang, p)),
        has_photo: profile.as_ref().is_some_and(|p| p.photo_file.is_some()),
        ctx,
    };
    render(&page, StatusCode::OK)
}
