//! A copy of the SQLite database taken while the portal runs. PostgreSQL has `pg_dump` for
//! that (docs/operations.md); SQLite's own `.backup` needs the sqlite3 shell, which a machine
//! running the bundled SQLite may not have, so the portal takes the copy itself.

use std::path::Path;

use diesel::RunQueryDsl;

use super::DbConnection;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already: a backup never overwrites a file")]
    Exists(String),
    #[error("the database is PostgreSQL: take the backup with pg_dump (docs/operations.md)")]
    Postgres,
    #[error("{0}")]
    Sqlite(#[from] diesel::result::Error),
}

/// Writes a consistent copy of the SQLite database to `to` with `VACUUM INTO`: one read
/// transaction, so writers go on meanwhile and the copy is the database as of its start,
/// compacted, with its WAL folded in.
pub fn sqlite_copy(conn: &mut DbConnection, to: &Path) -> Result<(), BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.display().to_string()));
    }
    let DbConnection::Sqlite(c) = conn else {
        return Err(BackupError::Postgres);
    };
    let quoted = to.to_string_lossy().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{quoted}'")).execute(c)?;
    Ok(())
}
