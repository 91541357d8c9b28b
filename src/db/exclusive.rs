//! Work that one instance at a time may do on a shared database: bringing its schema up to
//! date and filling a new one. Several `sibuser serve` processes started together on one
//! PostgreSQL database would otherwise run the same migration twice (the second fails on
//! the table the first made, and that instance does not start) or seed the demo twice.

use diesel::prelude::*;

use super::DbConnection;

/// What is being done alone; each has its own PostgreSQL advisory lock key.
#[derive(Debug, Clone, Copy)]
pub enum Exclusive {
    /// Migrations, reference data and the backfills that follow them at start-up.
    StartUp,
    /// Loading the demo into an empty database (`serve --demo`).
    DemoSeed,
}

impl Exclusive {
    fn key(self) -> i64 {
        // "SIBU" and a number: clear of any other program's keys in a shared cluster.
        const BASE: i64 = 0x5349_4255 << 16;
        BASE + match self {
            Self::StartUp => 1,
            Self::DemoSeed => 2,
        }
    }
}

/// Runs `work` while no other instance runs work of the same kind. On PostgreSQL it holds
/// a session advisory lock, which the server drops by itself if this process dies holding
/// it; a second instance waits for the first and then finds the work done. SQLite is
/// served by one process, which needs no lock.
pub fn alone<T, E>(
    conn: &mut DbConnection,
    what: Exclusive,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let DbConnection::Pg(pg) = conn else {
        return work(conn);
    };
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(what.key())
        .execute(pg)?;
    let result = work(conn);
    if let DbConnection::Pg(pg) = conn {
        // A failure here leaves the lock to the session's end, which comes when the
        // connection is dropped; nothing waits on it meanwhile but another start-up.
        let unlocked = diesel::sql_query("SELECT pg_advisory_unlock($1)")
            .bind::<diesel::sql_types::BigInt, _>(what.key())
            .execute(pg);
        if let Err(e) = unlocked {
            tracing::warn!(error = %e, lock = ?what, "releasing an advisory lock failed");
        }
    }
    result
}
