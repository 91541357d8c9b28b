//! The user's own account.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::accounts::SessionUser;
use crate::web::auth::CurrentUser;
use crate::web::respond::render;
use crate::web::{AppError, PageCtx};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/akun", web::get().to(account));
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    ctx: PageCtx,
    user: SessionUser,
}

async fn account(ctx: PageCtx, CurrentUser(user): CurrentUser) -> Result<HttpResponse, AppError> {
    render(&AccountPage { ctx, user }, StatusCode::OK)
}
