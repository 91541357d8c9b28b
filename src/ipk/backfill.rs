//! Filling the ledger for records made before it existed. The migration that made the
//! ledger lists the backfills to run (`ipk_backfills`); at start-up each owner of such
//! records fills in its facts (`seekers::ak1::facts::backfill`, ...) and the row goes, in
//! one transaction, so each runs once.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::schema::ipk_backfills;

/// Whether the named backfill still has to run.
fn pending(conn: &mut DbConnection, name: &str) -> QueryResult<bool> {
    let n: i64 = ipk_backfills::table
        .filter(ipk_backfills::name.eq(name))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

fn done(conn: &mut DbConnection, name: &str) -> QueryResult<()> {
    diesel::delete(ipk_backfills::table.filter(ipk_backfills::name.eq(name)))
        .execute(conn)
        .map(|_| ())
}

/// Runs `fill` once if the named backfill is pending, in one transaction with its
/// removal from the list. Returns the number `fill` reports.
pub fn run_once(
    conn: &mut DbConnection,
    name: &str,
    fill: impl FnOnce(&mut DbConnection) -> QueryResult<usize>,
) -> QueryResult<usize> {
    crate::db::transaction(conn, |conn| {
        if !pending(conn, name)? {
            return Ok(0);
        }
        let n = fill(conn)?;
        done(conn, name)?;
        Ok(n)
    })
}
