//! The transaction every write goes through.
//!
//! SQLite starts a plain (deferred) transaction as a reader and makes it a writer at its
//! first write. When another connection has written meanwhile, that upgrade cannot wait
//! for the lock like a new transaction would: SQLite answers "database is locked" at once
//! (its busy handler is not called for a reader turning writer, which could deadlock). A
//! transaction that reads before it writes, as most do (is there an application already?
//! then insert one), therefore failed with a 500 whenever two residents wrote at the same
//! moment (issue 19, found by killing the server during a thousand applications). Here a
//! transaction on SQLite begins `IMMEDIATE`: it takes the write lock first, waiting for it
//! as long as `busy_timeout` allows, and then cannot fail for that reason. SQLite has one
//! writer at a time either way; readers outside a transaction still run beside it.
//!
//! PostgreSQL transactions are as diesel begins them. A read that must see one moment
//! (an export) uses `exports::run::snapshot`, which takes no write lock.

use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
use diesel::result::Error;

use super::DbConnection;

/// Runs `work` in a transaction (a savepoint when one is already open), committed when it
/// returns `Ok` and rolled back when it returns `Err`.
#[allow(clippy::disallowed_methods)] // the one place that may call it
pub fn transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<Error>,
{
    let DbConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(work);
    };
    let depth =
        <AnsiTransactionManager as TransactionManager<diesel::SqliteConnection>>::transaction_manager_status_mut(sqlite)
            .transaction_depth()?;
    if depth.is_some() {
        return conn.transaction(work);
    }
    AnsiTransactionManager::begin_transaction_sql(&mut *sqlite, "BEGIN IMMEDIATE")?;
    let outcome = work(conn);
    let DbConnection::Sqlite(sqlite) = conn else {
        unreachable!("the same connection");
    };
    match outcome {
        Ok(value) => {
            <AnsiTransactionManager as TransactionManager<diesel::SqliteConnection>>::commit_transaction(sqlite)?;
            Ok(value)
        }
        Err(e) => {
            match <AnsiTransactionManager as TransactionManager<diesel::SqliteConnection>>::rollback_transaction(sqlite) {
                Ok(()) | Err(Error::BrokenTransactionManager) => Err(e),
                Err(rollback) => Err(rollback.into()),
            }
        }
    }
}
