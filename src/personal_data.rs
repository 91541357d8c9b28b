//! A person's own data under UU 27/2022 (PDP): the copy they may download and the erasure
//! they may ask for, composed from the modules that hold personal data. Each module copies
//! its own part and anonymises its own rows; this list is the one place they are put
//! together, above the features. A new module that holds personal data adds its line.

use crate::domain::ids::{JobSeekerId, UserId};
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use serde_json::{Map, Value};

use crate::db::DbConnection;

/// A module's part of the copy: named sections of the JSON document. The arguments are
/// the user and their job-seeker profile, if they have one (applications, enrolments and
/// alerts hang on it).
pub type ExportFn =
    fn(&mut DbConnection, UserId, Option<JobSeekerId>) -> QueryResult<Vec<(&'static str, Value)>>;
/// A module's part of the erasure, run inside the one transaction of the whole erasure.
pub type AnonymiseFn =
    fn(&mut DbConnection, UserId, Option<JobSeekerId>, NaiveDate) -> QueryResult<()>;

pub struct Part {
    pub module: &'static str,
    pub export_for: ExportFn,
    /// `None` where the module keeps its rows as they are (the audit log).
    pub anonymise_for: Option<AnonymiseFn>,
}

/// The modules that hold personal data, in the order erasure runs them: a module that may
/// still queue mail as it winds down (a freed training seat, a withdrawn application)
/// comes before `accounts`, which goes last because it forgets the mail to and about the
/// person and then the name the others read through `accounts::own_data::name_to_erase`.
pub const PARTS: &[Part] = &[
    Part {
        module: "seekers",
        export_for: crate::seekers::own_data::export_for,
        anonymise_for: Some(crate::seekers::own_data::anonymise_for),
    },
    Part {
        module: "training",
        export_for: crate::training::own_data::export_for,
        anonymise_for: Some(crate::training::own_data::anonymise_for),
    },
    Part {
        module: "applications",
        export_for: crate::applications::own_data::export_for,
        anonymise_for: Some(crate::applications::own_data::anonymise_for),
    },
    Part {
        module: "alerts",
        export_for: crate::alerts::own_data::export_for,
        anonymise_for: Some(crate::alerts::own_data::anonymise_for),
    },
    Part {
        module: "audit",
        export_for: crate::audit::own_data::export_for,
        anonymise_for: None,
    },
    Part {
        module: "accounts",
        export_for: crate::accounts::own_data::export_for,
        anonymise_for: Some(crate::accounts::own_data::anonymise_for),
    },
];

fn seeker_of(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Option<JobSeekerId>> {
    Ok(crate::seekers::find_by_user(conn, user_id)?.map(|p| p.id))
}

/// Everything held about the user, one section per part, with the time of the copy.
pub fn export(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Value> {
    let seeker = seeker_of(conn, user_id)?;
    let mut out = Map::new();
    out.insert(
        "exported_at".into(),
        serde_json::json!(Utc::now().naive_utc()),
    );
    for part in PARTS {
        for (name, section) in (part.export_for)(conn, user_id, seeker)? {
            out.insert(name.into(), section);
        }
    }
    Ok(Value::Object(out))
}

/// Anonymises the person in every module, all or nothing.
pub fn anonymise(conn: &mut DbConnection, user_id: UserId, today: NaiveDate) -> QueryResult<()> {
    conn.transaction(|conn| {
        let seeker = seeker_of(conn, user_id)?;
        for part in PARTS {
            if let Some(anonymise_for) = part.anonymise_for {
                anonymise_for(conn, user_id, seeker, today)?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::PARTS;

    #[test]
    fn each_module_is_listed_once_and_accounts_erases_last() {
        let mut names: Vec<&str> = PARTS.iter().map(|p| p.module).collect();
        assert_eq!(names.last(), Some(&"accounts"));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), PARTS.len());
    }
}
