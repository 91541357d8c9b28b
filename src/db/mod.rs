//! The database: one connection type over SQLite and PostgreSQL, its pool and migrations.
//!
//! Ordinary queries are written once with the diesel DSL against [`DbConnection`]. The few
//! that must differ per backend (upserts, multi-row inserts, full-text search) use
//! [`with_backend!`] or match on the enum here, in one visible place.

pub mod backup;
mod exclusive;
pub mod fulltext;
mod health;
mod id_list;
mod manager;
mod migrate;
mod stored_time;
mod transaction;

use diesel::prelude::*;
use std::time::Duration;

pub use exclusive::{Exclusive, alone};
pub use health::Health;
pub use id_list::InJsonIds;
pub use manager::{DbManager, OpenError, SQLITE_MMAP_BYTES};
pub use migrate::{MigrateError, run_migrations};
pub use stored_time::StoredTime;
pub use transaction::transaction;

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

/// The connection pool, with what it last learnt about the database's health. Derefs to
/// the r2d2 pool for the background jobs, which may wait.
#[derive(Clone)]
pub struct Pool {
    inner: diesel::r2d2::Pool<DbManager>,
    health: std::sync::Arc<Health>,
}

impl std::ops::Deref for Pool {
    type Target = diesel::r2d2::Pool<DbManager>;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

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
    let health = std::sync::Arc::new(Health::default());
    let manager = DbManager::new(url.clone(), health.clone())?;
    // SQLite allows one writer; more connections only wait on its lock, but readers in
    // WAL mode run beside it, so a small pool still helps.
    let inner = diesel::r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(min_idle))
        .connection_timeout(WAIT_FOR_FREE)
        .build(manager)
        .map_err(|e| OpenError::Unreachable(e.to_string()))?;
    Ok(Pool { inner, health })
}

/// How long a request waits for a connection to come free while the database is up.
const WAIT_FOR_FREE: Duration = Duration::from_secs(10);
/// The slices of that wait: after each one a request looks whether the database went
/// down meanwhile, so that it answers within about this long instead of the whole wait.
const SLICE: Duration = Duration::from_millis(250);
/// While the database is down, how long a request waits for a connection made since
/// (r2d2 keeps trying in the background): a request in the first moments after the
/// server is back is served, the others get their 503 at once.
const WAIT_WHILE_DOWN: Duration = Duration::from_millis(300);

/// Answers whether the database can run a query now (the readiness probe).
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

/// Why a request got no connection. Neither is a bug; the log tells them apart.
#[derive(Debug, thiserror::Error)]
pub enum Unavailable {
    /// Every connection stayed taken for the whole wait: an overload.
    #[error("too busy: no database connection came free: {0}")]
    Busy(String),
    /// The database does not accept connections.
    #[error("database unavailable: {0}")]
    Down(String),
}

/// A connection from the pool. While the database accepts connections, a request waits up
/// to [`WAIT_FOR_FREE`] for one to come free ([`Unavailable::Busy`]); once a new
/// connection has failed, requests learn it within a [`SLICE`] and are refused at once
/// ([`Unavailable::Down`]) until one succeeds again.
pub fn checkout(pool: &Pool) -> Result<PooledConn, Unavailable> {
    let start = std::time::Instant::now();
    loop {
        if pool.health.is_down() {
            return pool
                .inner
                .get_timeout(WAIT_WHILE_DOWN)
                .map_err(|e| Unavailable::Down(e.to_string()));
        }
        match pool.inner.get_timeout(SLICE) {
            Ok(conn) => return Ok(conn),
            Err(e) if start.elapsed() >= WAIT_FOR_FREE => {
                return Err(Unavailable::Busy(e.to_string()));
            }
            Err(_) => {}
        }
    }
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
