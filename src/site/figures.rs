//! The headline figures on the home page, counted from the database on each visit.
//!
//! Each feature adds its own figure here as it lands (open vacancies, placements, training
//! places); a figure is only shown once the data behind it exists.

use diesel::prelude::*;

use crate::accounts::Role;
use crate::db::DbConnection;
use crate::schema::{user_roles, users};

pub struct Figure {
    pub label_key: &'static str,
    pub value: i64,
}

fn count_active_with_role(conn: &mut DbConnection, role: Role) -> QueryResult<i64> {
    user_roles::table
        .inner_join(users::table)
        .filter(user_roles::role.eq(role.as_str()))
        .filter(users::is_active.eq(true))
        .count()
        .get_result(conn)
}

pub fn headline_figures(conn: &mut DbConnection) -> QueryResult<Vec<Figure>> {
    let seekers = count_active_with_role(conn, Role::JobSeeker)?;
    let employers = count_active_with_role(conn, Role::Employer)?;
    Ok(vec![
        Figure {
            label_key: "home.figures.job_seekers",
            value: seekers,
        },
        Figure {
            label_key: "home.figures.employers",
            value: employers,
        },
        Figure {
            label_key: "home.figures.kelurahan",
            value: crate::reference::regions::binjai_kelurahan().count() as i64,
        },
    ])
}
