//! Embedded migrations, one folder per backend, kept in step (a test compares the
//! tables and columns both produce).

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MigrateError(String);

diesel::define_sql_function! {
    /// The hex SHA-256 of a text, which SQLite lacks (PostgreSQL has `sha256`): migrations
    /// that replace stored tokens by their hashes call it.
    fn sha256_hex(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Applies every pending migration and returns the versions applied.
pub fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, MigrateError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => {
            // The same hex SHA-256 as the stored token hashes (a migration test opens an old
            // link after it); written here so the data layer names no feature.
            sha256_hex_utils::register_impl(c, |text: String| {
                use sha2::Digest as _;
                format!("{:x}", sha2::Sha256::digest(text.as_bytes()))
            })
            .map_err(|e| MigrateError(e.to_string()))?;
            c.run_pending_migrations(SQLITE)
        }
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES),
    }
    .map_err(|e| MigrateError(e.to_string()))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}
