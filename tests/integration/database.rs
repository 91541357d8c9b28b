//! The data layer on both backends: schema parity, reference data, audit log, demo data.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::common::{Backend, TestApp, TestDb, with_conn};
use sibuser::db::DbConnection;

#[derive(QueryableByName, Debug)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Integer)]
    nullable: i32,
}

/// (table, column, nullable) for every application table.
fn columns(conn: &mut DbConnection) -> BTreeSet<(String, String, bool)> {
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name,
                    CASE WHEN p.\"notnull\" = 1 THEN 0 ELSE 1 END AS nullable
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
               AND m.name <> '__diesel_schema_migrations'
               -- The FTS5 indexes and their shadow tables stand in for PostgreSQL's tsvector
               -- tables.
               AND m.name NOT LIKE 'vacancy_fts%'
               AND m.name NOT LIKE 'programme_fts%'"
        }
        DbConnection::Pg(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name,
                    CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS nullable
             FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'
               -- The tsvector tables stand in for SQLite's FTS5 indexes.
               AND table_name NOT IN ('vacancy_search', 'programme_search')
               -- The writing transaction's id, which the change feed needs only here
               -- (SQLite has one writer).
               AND NOT (table_name = 'record_versions' AND column_name = 'xid')"
        }
    };
    diesel::sql_query(sql)
        .load::<ColumnRow>(conn)
        .expect("list columns")
        .into_iter()
        .map(|r| (r.table_name, r.column_name, r.nullable == 1))
        .collect()
}

#[actix_web::test]
async fn both_backends_end_with_the_same_tables_and_columns() {
    let sqlite = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(pg) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let a = with_conn(&sqlite, columns);
    let b = with_conn(&pg, columns);
    assert!(a.len() > 40, "suspiciously few columns: {a:?}");
    let only_sqlite: Vec<_> = a.difference(&b).collect();
    let only_pg: Vec<_> = b.difference(&a).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "schemas differ\n only in SQLite: {only_sqlite:?}\n only in PostgreSQL: {only_pg:?}"
    );
}

db_test!(reference_data_is_loaded, |app| {
    use sibuser::schema::*;
    with_conn(&app, |conn| {
        let count = |n: QueryResult<i64>| n.expect("count");
        assert_eq!(
            count(regions::table.count().get_result(conn)),
            38 + 514 + 5 + 37
        );
        let kelurahan: Vec<String> = regions::table
            .filter(regions::parent_code.eq("12.75.01"))
            .order(regions::code)
            .select(regions::name)
            .load(conn)
            .unwrap();
        assert_eq!(kelurahan.len(), 9);
        assert_eq!(kelurahan[7], "Jati Makmur");
        let bps: Option<String> = regions::table
            .find("12.75.05")
            .select(regions::bps_code)
            .first(conn)
            .unwrap();
        assert_eq!(bps.as_deref(), Some("1276010"));
        assert_eq!(count(kbli_sections::table.count().get_result(conn)), 21);
        assert_eq!(count(kbli_divisions::table.count().get_result(conn)), 88);
        assert_eq!(count(kbji_major_groups::table.count().get_result(conn)), 10);
        assert!(count(kbji_occupations::table.count().get_result(conn)) >= 150);
        assert_eq!(count(education_levels::table.count().get_result(conn)), 13);
        let division_47: String = kbli_divisions::table
            .find("47")
            .select(kbli_divisions::section_code)
            .first(conn)
            .unwrap();
        assert_eq!(division_47, "G");
    });
});

db_test!(reference_sync_runs_only_when_the_data_changed, |app| {
    with_conn(&app, |conn| {
        // Start-up already synced: a second run finds nothing to do.
        assert!(!sibuser::reference::sync(conn).unwrap());
        // A changed name in the table is put right once the fingerprint no longer matches.
        use sibuser::schema::{app_meta, regions};
        diesel::update(regions::table.find("12.75"))
            .set(regions::name.eq("Kota Salah"))
            .execute(conn)
            .unwrap();
        diesel::delete(app_meta::table).execute(conn).unwrap();
        assert!(sibuser::reference::sync(conn).unwrap());
        let name: String = regions::table
            .find("12.75")
            .select(regions::name)
            .first(conn)
            .unwrap();
        assert_eq!(name, "Kota Binjai");
    });
});

db_test!(audit_log_refuses_update_and_delete, |app| {
    use sibuser::schema::audit_log;
    with_conn(&app, |conn| {
        sibuser::audit::record(
            conn,
            sibuser::audit::Entry::new("test.event").subject("user", 1),
        )
        .unwrap();
        let update = diesel::update(audit_log::table)
            .set(audit_log::action.eq("tampered"))
            .execute(conn);
        assert!(update.is_err(), "an update of the audit log went through");
        let delete = diesel::delete(audit_log::table).execute(conn);
        assert!(delete.is_err(), "a delete from the audit log went through");
        let actions: Vec<String> = audit_log::table
            .select(audit_log::action)
            .load(conn)
            .unwrap();
        assert_eq!(actions, ["test.event"]);
    });
});

fn demo_emails(conn: &mut DbConnection) -> Vec<String> {
    use sibuser::schema::users;
    users::table
        .order(users::email)
        .select(users::email.assume_not_null())
        .load(conn)
        .unwrap()
}

#[actix_web::test]
async fn demo_data_is_the_same_on_every_run_and_backend() {
    let mut seen: Vec<Vec<String>> = Vec::new();
    for backend in [Backend::Sqlite, Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn(backend).await else {
            continue;
        };
        let emails = with_conn(&app, |conn| {
            let summary = sibuser::demo::seed(conn, sibuser::demo::Scale::Small).unwrap();
            assert_eq!(summary.users, 8 + 60 + 15);
            let mut seen = demo_emails(conn);
            // The residents' cards too: number, status and dates, per resident.
            use sibuser::schema::{ak1_cards, job_seekers, users};
            let cards: Vec<(String, Option<String>, String, Option<chrono::NaiveDate>)> =
                ak1_cards::table
                    .inner_join(job_seekers::table.inner_join(users::table))
                    .order(users::email)
                    .select((
                        users::email.assume_not_null(),
                        ak1_cards::number,
                        ak1_cards::status,
                        ak1_cards::ended_on,
                    ))
                    .load(conn)
                    .unwrap();
            assert!(
                cards.len() > 40,
                "most demo residents hold a card: {}",
                cards.len()
            );
            seen.extend(cards.into_iter().map(|c| format!("{c:?}")));
            use sibuser::schema::{applications, placements};
            let apps: Vec<(i32, i32, String)> = applications::table
                .order((applications::vacancy_id, applications::job_seeker_id))
                .select((
                    applications::vacancy_id,
                    applications::job_seeker_id,
                    applications::stage,
                ))
                .load(conn)
                .unwrap();
            let placed: Vec<(i32, chrono::NaiveDate, String)> = placements::table
                .order((placements::job_seeker_id, placements::start_date))
                .select((
                    placements::job_seeker_id,
                    placements::start_date,
                    placements::employer_name,
                ))
                .load(conn)
                .unwrap();
            seen.extend(apps.into_iter().map(|a| format!("{a:?}")));
            seen.extend(placed.into_iter().map(|p| format!("{p:?}")));
            use sibuser::schema::training_programmes;
            let courses: Vec<(String, String, chrono::NaiveDate, String)> =
                training_programmes::table
                    .order(training_programmes::id)
                    .select((
                        training_programmes::title,
                        training_programmes::status,
                        training_programmes::starts_on,
                        training_programmes::search_text,
                    ))
                    .load(conn)
                    .unwrap();
            assert!(
                courses.iter().all(|c| !c.3.is_empty()),
                "every demo programme is searchable"
            );
            seen.extend(courses.into_iter().map(|c| format!("{c:?}")));
            use sibuser::schema::training_enrolments;
            let enrolled: Vec<(i32, i32, String, Option<String>)> = training_enrolments::table
                .order((
                    training_enrolments::programme_id,
                    training_enrolments::job_seeker_id,
                ))
                .select((
                    training_enrolments::programme_id,
                    training_enrolments::job_seeker_id,
                    training_enrolments::status,
                    training_enrolments::certificate_number,
                ))
                .load(conn)
                .unwrap();
            assert!(enrolled.len() > 50, "{} demo enrolments", enrolled.len());
            seen.extend(enrolled.into_iter().map(|e| format!("{e:?}")));
            seen
        });
        seen.push(emails);
    }
    assert!(seen[0].len() > 83 + 40);
    for other in &seen[1..] {
        assert_eq!(&seen[0], other);
    }
}

db_test!(seeding_twice_changes_nothing, |app| {
    with_conn(&app, |conn| {
        sibuser::demo::seed(conn, sibuser::demo::Scale::Small).unwrap();
        let before = demo_emails(conn);
        let again = sibuser::demo::seed(conn, sibuser::demo::Scale::Small).unwrap();
        assert!(again.already_seeded);
        assert_eq!(demo_emails(conn), before);
    });
});

db_test!(demo_logins_can_be_verified, |app| {
    with_conn(&app, |conn| {
        sibuser::demo::seed(conn, sibuser::demo::Scale::Small).unwrap();
        for (email, _, _) in sibuser::demo::DEMO_ACCOUNTS {
            let email = sibuser::domain::Email::parse(email).unwrap();
            let user = sibuser::accounts::find_by_email(conn, &email)
                .unwrap()
                .unwrap();
            assert!(sibuser::accounts::verify_password(
                sibuser::demo::DEMO_PASSWORD,
                &user.password_hash
            ));
        }
    });
});

#[test]
fn a_fresh_database_url_makes_its_directory() {
    let db = TestDb::create(Backend::Sqlite).unwrap();
    let sibuser::config::DatabaseUrl::Sqlite(path) = db.url() else {
        unreachable!()
    };
    let nested = path.parent().unwrap().join("a/b/sibuser.db");
    let settings =
        crate::common::settings_for(sibuser::config::DatabaseUrl::Sqlite(nested.clone()), &[]);
    sibuser::startup::prepare_database(&settings).expect("prepare");
    assert!(nested.exists());
}
