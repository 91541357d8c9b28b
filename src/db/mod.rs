//! The database: one connection type over SQLite and PostgreSQL, its pool and migrations.
//!
//! Ordinary queries are written once with the diesel DSL against [`DbConnection`]. The few
//! that must differ per backend (upserts, multi-row inserts, full-text search) use
//! [`with_backend!`] or match on the enum here, in one visible place.

pub mod fulltext;
mod id_list;
mod manager;
mod migrate;
mod stored_time;

use diesel::prelude::*;

pub use id_list::InJsonIds;
pub use manager::{DbManager, OpenError, SQLITE_MMAP_BYTES};
pub use migrate::{MigrateError, run_migrations};
pub use stored_time::StoredTime;

use crate::config::DatabaseUrl;

/// A connection to whichever backend `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

impl DbConnection {
    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Pg(_) => "postgres",
        }
    }
}

pub type Pool = diesel::r2d2::Pool<DbManager>;
pub type PooledConn = diesel::r2d2::PooledConnection<DbManager>;

/// Runs the same expression against the concrete connection of either backend, for the
/// queries (upserts, batch inserts) whose diesel types differ per backend.
#[macro_export]
macro_rules! with_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Pg($c) => $body,
        }
    };
}

/// Opens the pool and checks that one connection can be made, so that a wrong URL or a
/// dead server fails at start with the real error. The pool keeps one connection ready
/// for the next request: for the server.
pub fn connect(url: &DatabaseUrl, max_size: u32) -> Result<Pool, OpenError> {
    open(url, max_size, 1)
}

/// A pool that opens connections only when asked, for a command that runs and exits. A
/// pool that keeps one ready opens a new one in the background as soon as the command
/// takes the first; a command that ends at that moment tears down libpq's TLS under the
/// connection being opened, and the process crashed at exit (seen with `seed-demo` on an
/// already seeded PostgreSQL database).
pub fn connect_on_demand(url: &DatabaseUrl, max_size: u32) -> Result<Pool, OpenError> {
    open(url, max_size, 0)
}

fn open(url: &DatabaseUrl, max_size: u32, min_idle: u32) -> Result<Pool, OpenError> {
    let manager = DbManager::new(url.clone())?;
    // SQLite allows one writer; more connections only wait on its lock, but readers in
    // WAL mode run beside it, so a small pool still helps.
    diesel::r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(min_idle))
        .connection_timeout(std::time::Duration::from_secs(10))
        .build(manager)
        .map_err(|e| OpenError::Unreachable(e.to_string()))
}

/// Answers whether the database can run a query now (the readiness probe).
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

/// No connection came free within the pool's timeout: an overload, not a bug.
#[derive(Debug, thiserror::Error)]
#[error("no database connection came free: {0}")]
pub struct Busy(String);

/// A connection from the pool, or [`Busy`] when every one stayed taken for the timeout.
pub fn checkout(pool: &Pool) -> Result<PooledConn, Busy> {
    pool.get().map_err(|e| Busy(e.to_string()))
}

diesel::define_sql_function!(
    /// SQL `replace()`, the same on both backends: every occurrence of `from` becomes `to`.
    fn replace(
        text: diesel::sql_types::Text,
        from: diesel::sql_types::Text,
        to: diesel::sql_types::Text,
    ) -> diesel::sql_types::Text
);

diesel::define_sql_function!(
    /// SQL `lower()`, for matching names without case on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);
