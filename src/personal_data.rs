//! A person's own data under UU 27/2022 (PDP): the copy they may download and the erasure
//! they may ask for, composed from the modules that hold personal data. Each module copies
//! its own part and anonymises its own rows; this list is the one place they are put
//! together, above the features. A new module that holds personal data adds its line.

use crate::domain::ids::{JobSeekerId, PersonId, UserId};
use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use serde_json::{Map, Value};

use crate::db::DbConnection;

/// Whose data it is: the account, its job-seeker profile if it has one (applications,
/// enrolments and alerts hang on it), and the person the profile is confirmed to be (the
/// records kept by NIK hang on that).
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub user: UserId,
    pub seeker: Option<JobSeekerId>,
    pub person: Option<PersonId>,
}

/// A module's part of the copy: named sections of the JSON document.
pub type ExportFn = fn(&mut DbConnection, &Subject) -> QueryResult<Vec<(&'static str, Value)>>;
/// A module's part of the erasure, run inside the one transaction of the whole erasure.
pub type AnonymiseFn = fn(&mut DbConnection, &Subject, NaiveDate) -> QueryResult<()>;

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
    // Before `seekers`, which unlinks the profile from the person.
    Part {
        module: "jkp",
        export_for: crate::jkp::own_data::export_for,
        // Kept: BPJS Ketenagakerjaan's list, held on the programme's own legal basis.
        anonymise_for: None,
    },
    Part {
        module: "employment",
        export_for: crate::employment::own_data::export_for,
        anonymise_for: Some(crate::employment::own_data::anonymise_for),
    },
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
        module: "fairs",
        export_for: crate::fairs::own_data::export_for,
        anonymise_for: Some(crate::fairs::own_data::anonymise_for),
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

fn subject(conn: &mut DbConnection, user: UserId) -> QueryResult<Subject> {
    let seeker = crate::seekers::find_by_user(conn, user)?.map(|p| p.id);
    let person = match seeker {
        Some(seeker) => crate::seekers::person_link::person_of(conn, seeker)?,
        None => None,
    };
    Ok(Subject {
        user,
        seeker,
        person,
    })
}

/// Everything held about the user, one section per part, with the time of the copy.
pub fn export(conn: &mut DbConnection, user_id: UserId) -> QueryResult<Value> {
    let subject = subject(conn, user_id)?;
    let mut out = Map::new();
    out.insert(
        "exported_at".into(),
        serde_json::json!(Utc::now().naive_utc()),
    );
    for part in PARTS {
        for (name, section) in (part.export_for)(conn, &subject)? {
            out.insert(name.into(), section);
        }
    }
    Ok(Value::Object(out))
}

/// Anonymises the person in every module, all or nothing.
pub fn anonymise(conn: &mut DbConnection, user_id: UserId, today: NaiveDate) -> QueryResult<()> {
    crate::db::transaction(conn, |conn| {
        let subject = subject(conn, user_id)?;
        for part in PARTS {
            if let Some(anonymise_for) = part.anonymise_for {
                anonymise_for(conn, &subject, today)?;
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
