//! An r2d2 connection manager that picks the backend by the URL's scheme.
//!
//! diesel's derived `establish` tries each backend in turn and reports only the last
//! failure; this one opens the right backend directly, so the operator sees the real error.

use std::fmt;
use std::path::Path;

use diesel::connection::{Connection, SimpleConnection};
use diesel::r2d2::R2D2Connection;
use diesel::{PgConnection, SqliteConnection};

use super::DbConnection;
use crate::config::DatabaseUrl;

/// How much of a SQLite database file each connection maps into memory.
pub const SQLITE_MMAP_BYTES: i64 = 256 * 1024 * 1024;

/// Why the database could not be opened, worded for the operator.
#[derive(Debug)]
pub enum OpenError {
    /// The SQLite file's directory cannot be created or written.
    Directory(String),
    /// The server or file did not accept a connection.
    Unreachable(String),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Directory(msg) | Self::Unreachable(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for OpenError {}

#[derive(Debug)]
pub struct DbManager {
    url: DatabaseUrl,
    /// Shared with the pool's users: every attempt to connect is recorded there.
    health: std::sync::Arc<super::Health>,
}

impl DbManager {
    pub fn new(url: DatabaseUrl, health: std::sync::Arc<super::Health>) -> Result<Self, OpenError> {
        if let DatabaseUrl::Sqlite(path) = &url {
            ensure_directory(path)?;
        }
        Ok(Self { url, health })
    }

    fn open(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL lets readers run beside the single writer; busy_timeout makes a
                // second writer wait instead of failing at once. Reading through mmap and
                // keeping temporary tables in memory spare a system call per page, which
                // was most of the search's time on the large data (docs/benchmarks.md).
                conn.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA busy_timeout = 5000;
                     PRAGMA mmap_size = {SQLITE_MMAP_BYTES};
                     PRAGMA temp_store = MEMORY;",
                ))
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(&with_connect_timeout(url))?;
                conn.batch_execute("SET TIME ZONE 'UTC'")
                    .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Pg(conn))
            }
        }
    }
}

/// libpq waits for a server that does not answer (a dropped network, not a refused port)
/// as long as the operating system does, minutes; the pool would learn nothing of the
/// outage meanwhile. Unless the URL says otherwise, a connection gives up after 5 s.
fn with_connect_timeout(url: &str) -> std::borrow::Cow<'_, str> {
    if url.contains("connect_timeout=") {
        return url.into();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout=5").into()
}

fn ensure_directory(db_file: &Path) -> Result<(), OpenError> {
    let dir = match db_file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => return Ok(()),
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        OpenError::Directory(format!("cannot create directory {}: {e}", dir.display()))
    })?;
    // SQLite needs to create its -wal and -shm files beside the database.
    let probe = dir.join(".sibuser-write-test");
    std::fs::write(&probe, b"")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| {
            OpenError::Directory(format!("directory {} is not writable: {e}", dir.display()))
        })
}

impl diesel::r2d2::ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        let opened = self.open();
        match &opened {
            Ok(_) => self.health.record(Ok(())),
            Err(e) => self.health.record(Err(e)),
        }
        opened.map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

#[cfg(test)]
mod tests {
    use super::with_connect_timeout;

    #[test]
    fn a_connection_gives_up_unless_the_url_says_otherwise() {
        assert_eq!(
            with_connect_timeout("postgres://u:p@db:5432/sibuser"),
            "postgres://u:p@db:5432/sibuser?connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://u:p@db/sibuser?sslmode=require"),
            "postgres://u:p@db/sibuser?sslmode=require&connect_timeout=5"
        );
        assert_eq!(
            with_connect_timeout("postgres://db/sibuser?connect_timeout=30"),
            "postgres://db/sibuser?connect_timeout=30"
        );
    }
}
