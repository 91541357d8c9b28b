//! Shared web plumbing: the application's state, its middleware, the route table's rows,
//! errors, language, security headers, static files and the layout's context. It knows no
//! feature: `src/app.rs` and `src/routes.rs`, above the features, put the portal together.

pub mod assets;
pub mod auth;
pub mod badges;
pub mod charts;
pub mod client;
pub mod compress;
pub mod context;
pub mod csrf;
pub mod errors;
pub mod filters;
pub mod format;
pub mod forms;
pub mod head;
pub mod headers;
pub mod i18n;
pub mod input_guard;
pub mod pagination;
pub mod redact;
pub mod respond;
pub mod routing;
pub mod session;
pub mod steps;

use std::sync::Arc;

use actix_web::cookie::Key;
use actix_web::web;

pub use context::PageCtx;
pub use errors::AppError;
pub use i18n::Lang;

use crate::config::Settings;
use crate::db::{self, DbConnection, Pool};

/// What every handler can reach. Cheap to clone: the pool and settings are shared.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    /// Signs and encrypts the session cookie.
    pub cookie_key: Key,
}

impl AppState {
    pub fn new(pool: Pool, settings: Settings, cookie_key: Key) -> Self {
        Self {
            pool,
            settings: Arc::new(settings),
            cookie_key,
        }
    }

    /// Runs `f` on a pooled connection on the blocking thread pool, so that diesel's
    /// synchronous calls never stall the async workers.
    pub async fn db<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || f(&mut *db::checkout(&pool)?))
            .await
            .map_err(AppError::internal)?
    }
}
