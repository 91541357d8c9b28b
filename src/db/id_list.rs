//! Reading rows by a list of ids with one cached statement on both backends. diesel writes
//! `eq_any` as `= ANY(?)` on PostgreSQL, one bound array, but as `IN (?, ?, ...)` on SQLite,
//! whose SQL changes with the number of ids, so diesel never caches it and SQLite compiled
//! the statement again for every page (a tenth of the sharing API's time on SQLite,
//! docs/decisions.md). On SQLite the ids go as one bound JSON array instead:
//! `IN (SELECT value FROM json_each(?))`, the same SQL for any number of ids.

use diesel::QueryResult;
use diesel::expression::{AppearsOnTable, Expression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Text};
use diesel::sqlite::Sqlite;

/// `column IN (SELECT value FROM json_each(?))`, SQLite only: see [`by_ids!`](crate::by_ids).
#[derive(Debug, Clone, QueryId)]
pub struct InJsonIds<C> {
    column: C,
    json: String,
}

impl<C> InJsonIds<C> {
    pub fn new(column: C, ids: impl IntoIterator<Item = i32>) -> Self {
        use std::fmt::Write as _;
        let mut json = String::from("[");
        for (i, id) in ids.into_iter().enumerate() {
            let comma = if i > 0 { "," } else { "" };
            let _ = write!(json, "{comma}{id}");
        }
        json.push(']');
        Self { column, json }
    }
}

impl<C: Expression> Expression for InJsonIds<C> {
    type SqlType = Bool;
}

impl<C: AppearsOnTable<QS>, QS: ?Sized> AppearsOnTable<QS> for InJsonIds<C> {}

impl<C: ValidGrouping<GB>, GB> ValidGrouping<GB> for InJsonIds<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for InJsonIds<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

/// Loads `$query`, in which `$filter` stands for "`$column` is one of `$ids`" (a slice of
/// `i32` or of id types): through one bound JSON array on SQLite, `= ANY` on PostgreSQL.
/// Either way the statement's SQL does not depend on the number of ids, so the connection
/// prepares it once.
#[macro_export]
macro_rules! by_ids {
    ($conn:expr, $column:expr, $ids:expr, |$filter:ident| $query:expr) => {{
        use diesel::RunQueryDsl as _;
        let conn: &mut $crate::db::DbConnection = $conn;
        match conn {
            $crate::db::DbConnection::Sqlite(c) => {
                let $filter =
                    $crate::db::InJsonIds::new($column, $ids.iter().map(|id| i32::from(*id)));
                $query.load(c)
            }
            conn => {
                let $filter = diesel::ExpressionMethods::eq_any($column, $ids);
                $query.load(conn)
            }
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::prelude::*;

    diesel::table! {
        things (id) {
            id -> Integer,
            name -> Text,
        }
    }

    #[test]
    fn rows_are_read_by_a_json_list_of_ids() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        diesel::sql_query("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            .execute(&mut conn)
            .unwrap();
        diesel::sql_query("INSERT INTO things VALUES (1, 'a'), (2, 'b'), (3, 'c'), (40, 'd')")
            .execute(&mut conn)
            .unwrap();
        let read = |conn: &mut SqliteConnection, ids: &[i32]| -> Vec<String> {
            things::table
                .filter(InJsonIds::new(things::id, ids.iter().copied()))
                .order(things::id)
                .select(things::name)
                .load(conn)
                .unwrap()
        };
        assert_eq!(read(&mut conn, &[3, 1, 40, 99]), ["a", "c", "d"]);
        assert_eq!(read(&mut conn, &[2]), ["b"]);
        assert!(read(&mut conn, &[]).is_empty());
    }
}
