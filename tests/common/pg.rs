//! Per-test PostgreSQL databases, cloned from a migrated template.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

pub struct PgTestDb {
    pub url: String,
    name: String,
    admin_url: String,
}

fn admin_url() -> Option<String> {
    match std::env::var("SIBUSER_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            if std::env::var("SIBUSER_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!(
                    "SIBUSER_REQUIRE_POSTGRES=1 but SIBUSER_TEST_POSTGRES_URL is not set; \
                     run scripts/dev-postgres.sh"
                );
            }
            eprintln!("PostgreSQL not configured (SIBUSER_TEST_POSTGRES_URL): test skipped");
            None
        }
    }
}

/// The same server and credentials, another database.
fn with_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL ends in /NAME");
    let query = url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{base}/{name}{query}")
}

/// Names the template by the migrations it holds, so a changed migration gets a new one.
fn template_name() -> String {
    let mut h = DefaultHasher::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut entries: Vec<_> = walk(&dir);
    entries.sort();
    for path in entries {
        path.to_string_lossy().hash(&mut h);
        std::fs::read(&path).expect("migration file").hash(&mut h);
    }
    format!("sibuser_tpl_{:012x}", h.finish() & 0xffff_ffff_ffff)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("migrations folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn connect(url: &str) -> PgConnection {
    PgConnection::establish(url).unwrap_or_else(|e| {
        panic!("cannot reach the test PostgreSQL (SIBUSER_TEST_POSTGRES_URL): {e}")
    })
}

fn ensure_template(admin: &mut PgConnection, admin_url: &str, name: &str) {
    // Tests run in parallel (and nextest in separate processes): one makes the template,
    // the others wait on the lock.
    admin
        .batch_execute("SELECT pg_advisory_lock(727501)")
        .expect("advisory lock");
    let exists: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{name}')"
    )))
    .get_result(admin)
    .expect("query pg_database");
    if !exists {
        let building = format!("{name}_building");
        // Separate statements: several in one batch would run as one transaction,
        // which CREATE and DROP DATABASE refuse.
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {building}"))
            .expect("drop a half-made template");
        admin
            .batch_execute(&format!("CREATE DATABASE {building}"))
            .expect("create template database");
        {
            let url = with_database(admin_url, &building);
            let mut conn = sibuser::db::DbConnection::Pg(connect(&url));
            sibuser::db::run_migrations(&mut conn).expect("migrate template");
            sibuser::reference::sync(&mut conn).expect("reference data in template");
        }
        // Renamed only when complete, so a crash never leaves a half-made template.
        admin
            .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .expect("rename template");
    }
    admin
        .batch_execute("SELECT pg_advisory_unlock(727501)")
        .expect("advisory unlock");
}

use diesel::RunQueryDsl;

impl PgTestDb {
    pub fn create() -> Option<Self> {
        let admin_url = admin_url()?;
        let mut admin = connect(&admin_url);
        let template = template_name();
        ensure_template(&mut admin, &admin_url, &template);
        Some(Self::from_template(admin, admin_url, "t", &template))
    }

    /// An empty database (no schema), dropped with the value: for restoring a dump into.
    pub fn empty() -> Option<Self> {
        let admin_url = admin_url()?;
        let admin = connect(&admin_url);
        Some(Self::from_template(admin, admin_url, "e", "template0"))
    }

    fn from_template(
        mut admin: PgConnection,
        admin_url: String,
        kind: &str,
        template: &str,
    ) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "sibuser_{kind}_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            rand_suffix()
        );
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .expect("create test database");
        Self {
            url: with_database(&admin_url, &name),
            name,
            admin_url,
        }
    }
}

fn rand_suffix() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
