//! Issue 19, item 5: a backup of the demo, restored into a fresh database, holds the same
//! rows and runs the portal. SQLite through `sibuser backup` (`VACUUM INTO`, taken while
//! the portal runs), PostgreSQL through `pg_dump` and `pg_restore`, as docs/operations.md
//! says.

use actix_web::http::StatusCode;
use diesel::prelude::*;

use crate::common::{Backend, TestApp, TestDb, seed_demo, settings_for, signed_in, with_conn};
use sibuser::config::DatabaseUrl;
use sibuser::db::DbConnection;
use sibuser::db::backup::{BackupError, sqlite_copy};

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct TableRows {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Every table of the portal with its row count, by name.
fn rows_per_table(conn: &mut DbConnection) -> Vec<(String, i64)> {
    let list = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        DbConnection::Pg(_) => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    let tables: Vec<TableRows> = diesel::sql_query(list).load(conn).unwrap();
    tables
        .into_iter()
        .map(|t| {
            let count: Count =
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM \"{}\"", t.name))
                    .get_result(conn)
                    .unwrap();
            (t.name, count.n)
        })
        .collect()
}

/// The restored database as a portal of its own, migrated like any start.
async fn portal_on(db: TestDb) -> TestApp {
    let settings = settings_for(db.url(), &[]);
    let (pool, settings) = actix_web::web::block(move || {
        sibuser::startup::prepare_database(&settings).map(|pool| (pool, settings))
    })
    .await
    .unwrap()
    .expect("the restored database opens");
    TestApp {
        portal: sibuser::Portal::new(pool, settings, actix_web::cookie::Key::generate()),
        backend: Backend::Sqlite,
        db,
    }
}

/// The restored portal works: its public pages, and a demo resident signs in.
async fn works(app: &TestApp) {
    assert_eq!(app.get("/").await.status, StatusCode::OK);
    let search = app.get("/lowongan?q=kasir").await;
    assert_eq!(search.status, StatusCode::OK);
    search.assert_contains("lowongan ditemukan");
    let siti = signed_in(app, "pencaker@sibuser.example").await;
    assert_eq!(siti.get("/saya").await.status, StatusCode::OK);
}

#[actix_web::test]
async fn a_sqlite_backup_taken_while_running_restores_the_same_rows() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    seed_demo(&app);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("sibuser-backup.db");
    // Taken through a pooled connection of the running portal.
    with_conn(&app, |c| sqlite_copy(c, &copy).expect("backup"));
    // A backup never overwrites a file.
    let again = with_conn(&app, |c| sqlite_copy(c, &copy));
    assert!(matches!(again, Err(BackupError::Exists(_))), "{again:?}");

    let before = with_conn(&app, rows_per_table);
    assert!(before.iter().any(|(t, n)| t == "vacancies" && *n > 0));
    let restored = portal_on(TestDb::Sqlite {
        url: DatabaseUrl::Sqlite(copy),
        _dir: dir,
    })
    .await;
    assert_eq!(with_conn(&restored, rows_per_table), before);
    works(&restored).await;
}

#[actix_web::test]
async fn a_postgres_dump_restores_the_same_rows() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    seed_demo(&app);
    let DatabaseUrl::Postgres(url) = app.db.url() else {
        unreachable!("a PostgreSQL test database");
    };
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("sibuser.dump");
    let status = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(&url)
        .status()
        .expect("pg_dump runs");
    assert!(status.success(), "pg_dump: {status}");

    let empty = crate::common::pg::PgTestDb::empty().expect("PostgreSQL is configured");
    let status = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname"])
        .arg(&empty.url)
        .arg(&dump)
        .status()
        .expect("pg_restore runs");
    assert!(status.success(), "pg_restore: {status}");

    let before = with_conn(&app, rows_per_table);
    let mut restored = portal_on(TestDb::Postgres(empty)).await;
    restored.backend = Backend::Postgres;
    assert_eq!(with_conn(&restored, rows_per_table), before);
    works(&restored).await;
}
