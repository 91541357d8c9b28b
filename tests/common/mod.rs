//! The test harness: a fresh database per test, on SQLite always and on PostgreSQL when
//! `SIBUSER_TEST_POSTGRES_URL` is set (required when `SIBUSER_REQUIRE_POSTGRES=1`).
//!
//! PostgreSQL databases are cloned from a migrated template, made once per migration set,
//! so a test costs one `CREATE DATABASE … TEMPLATE` instead of a full migration.

#![allow(dead_code)]

pub mod browser;
pub mod pg;
pub mod served;
pub mod smtp;
pub mod webdriver;

use std::collections::HashMap;

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test as atest;
use sibuser::Portal;
use sibuser::config::{DatabaseUrl, Settings};
use sibuser::db::{DbConnection, Pool, PooledConn};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed after it.
pub enum TestDb {
    Sqlite {
        url: DatabaseUrl,
        _dir: tempfile::TempDir,
    },
    Postgres(pg::PgTestDb),
}

impl TestDb {
    pub fn url(&self) -> DatabaseUrl {
        match self {
            Self::Sqlite { url, .. } => url.clone(),
            Self::Postgres(db) => DatabaseUrl::Postgres(db.url.clone()),
        }
    }

    /// Creates the database for a backend, or `None` when PostgreSQL is not configured
    /// and not required.
    pub fn create(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = DatabaseUrl::Sqlite(dir.path().join("test.db"));
                Some(Self::Sqlite { url, _dir: dir })
            }
            Backend::Postgres => pg::PgTestDb::create().map(Self::Postgres),
        }
    }
}

/// The application on a fresh, migrated database.
pub struct TestApp {
    pub portal: Portal,
    pub backend: Backend,
    // Declared last so the pool (in `state`) is dropped before the database.
    pub db: TestDb,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_contains(&self, needle: &str) {
        assert!(
            self.body.contains(needle),
            "expected the page to contain {needle:?}; status {}; body:\n{}",
            self.status,
            self.body
        );
    }

    #[track_caller]
    pub fn assert_lacks(&self, needle: &str) {
        assert!(
            !self.body.contains(needle),
            "expected the page not to contain {needle:?}; body:\n{}",
            self.body
        );
    }
}

pub fn settings_for(url: DatabaseUrl, extra: &[(&str, &str)]) -> Settings {
    let data_dir = std::env::temp_dir().join("sibuser-test-data");
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert(
        "SIBUSER_DATA_DIR".into(),
        data_dir.to_string_lossy().into_owned(),
    );
    // Tests page through whole data sets at once; the rate limit has its own test.
    env.insert("SIBUSER_API_RATE".into(), "100000".into());
    for (k, v) in extra {
        env.insert((*k).into(), (*v).into());
    }
    let mut settings = Settings::from_map(&env).expect("test settings");
    settings.database_url = url;
    settings.db_pool_size = 4;
    settings
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, &[]).await
    }

    pub async fn spawn_with(backend: Backend, env: &[(&str, &str)]) -> Option<Self> {
        let db = TestDb::create(backend)?;
        let settings = settings_for(db.url(), env);
        let pool = actix_web::web::block(move || {
            sibuser::startup::prepare_database(&settings).map(|pool| (pool, settings))
        })
        .await
        .expect("blocking task")
        .unwrap_or_else(|e| panic!("preparing the {backend:?} test database: {e}"));
        let (pool, settings) = pool;
        Some(Self {
            portal: Portal::new(pool, settings, actix_web::cookie::Key::generate()),
            backend,
            db,
        })
    }

    pub fn pool(&self) -> &Pool {
        &self.portal.state.pool
    }

    pub fn conn(&self) -> PooledConn {
        self.portal.state.pool.get().expect("a pooled connection")
    }

    /// Runs a request through the whole application, middleware included.
    pub async fn request(&self, req: atest::TestRequest) -> TestResponse {
        let app = atest::init_service(sibuser::build_app(self.portal.clone())).await;
        let res = atest::call_service(&app, req.to_request()).await;
        read(res).await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(atest::TestRequest::get().uri(path)).await
    }
}

async fn read<B: MessageBody>(res: ServiceResponse<B>) -> TestResponse {
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = atest::read_body(res).await;
    TestResponse {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Loads the small demo data set: a login per role and a few dozen residents and companies.
pub fn seed_demo(app: &TestApp) {
    with_conn(app, |c| {
        sibuser::demo::seed(c, sibuser::demo::Scale::Small).expect("demo data");
    });
}

/// A browser signed in as one of the demo logins.
pub async fn signed_in<'a>(app: &'a TestApp, email: &str) -> browser::Browser<'a> {
    let browser = browser::Browser::new(app);
    let res = browser.sign_in(email, sibuser::demo::DEMO_PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "signing in as {email}");
    browser
}

/// The id of the account with this e-mail.
pub fn user_id(app: &TestApp, email: &str) -> i32 {
    use diesel::prelude::*;
    use sibuser::schema::users;
    with_conn(app, |c| {
        users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(c)
            .unwrap()
    })
}

/// Runs a closure on a connection (diesel is synchronous).
pub fn with_conn<T>(app: &TestApp, f: impl FnOnce(&mut DbConnection) -> T) -> T {
    let mut conn = app.conn();
    f(&mut conn)
}

/// Declares a test that runs once per backend: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                let $app = $crate::common::TestApp::spawn($crate::common::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                $body
            }

            #[actix_web::test]
            async fn postgres() {
                let Some($app) =
                    $crate::common::TestApp::spawn($crate::common::Backend::Postgres).await
                else {
                    return;
                };
                $body
            }
        }
    };
}
