//! The account pages: signing in and out, signing up, verification, password reset and
//! the user's own account.

pub mod account;
pub mod login;
pub mod reset;
pub mod signup;
pub mod sso;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::tokens::TokenProblem;
use crate::web::respond::render;
use crate::web::{AppError, PageCtx};

#[derive(Template)]
#[template(path = "accounts/message.html")]
pub(super) struct MessagePage {
    pub(super) ctx: PageCtx,
    pub(super) title_key: &'static str,
    pub(super) text_key: &'static str,
    pub(super) link: Option<(&'static str, &'static str)>,
}

pub(super) fn token_problem_page(
    ctx: PageCtx,
    problem: TokenProblem,
    retry: &'static str,
) -> Result<HttpResponse, AppError> {
    let text_key = match problem {
        TokenProblem::Unknown => "token.unknown",
        TokenProblem::Used => "token.used",
        TokenProblem::Expired => "token.expired",
    };
    render(
        &MessagePage {
            ctx,
            title_key: "token.title",
            text_key,
            link: Some((retry, "token.retry")),
        },
        StatusCode::GONE,
    )
}
