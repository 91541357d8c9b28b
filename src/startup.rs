//! Start-up: open and migrate the database, load the cookie key, bind and serve.
//!
//! Each failure is a [`ConfigError`] naming the setting to fix, and nothing half-made is
//! left behind: a SQLite file this start created is removed again if start-up fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_web::HttpServer;
use base64::Engine as _;

use crate::app::{Portal, build_app};
use crate::config::{ConfigError, DatabaseUrl, SECRET_KEY_MIN_BYTES, SecretKeySource, Settings};
use crate::db::{self, Pool};
use crate::demo;

/// Opens the pool, applies migrations and syncs reference data.
pub fn prepare_database(settings: &Settings) -> Result<Pool, ConfigError> {
    prepare(settings, db::connect)
}

/// [`prepare_database`] for a command that runs and exits: its pool opens connections only
/// when asked (see [`db::connect_on_demand`]).
pub fn prepare_database_for_command(settings: &Settings) -> Result<Pool, ConfigError> {
    prepare(settings, db::connect_on_demand)
}

type Connect = fn(&DatabaseUrl, u32) -> Result<Pool, db::OpenError>;

fn prepare(settings: &Settings, connect: Connect) -> Result<Pool, ConfigError> {
    let created = NewSqliteFile::track(&settings.database_url);
    let result = open_and_migrate(settings, connect);
    if result.is_err() {
        created.remove();
    }
    result
}

fn open_and_migrate(settings: &Settings, connect: Connect) -> Result<Pool, ConfigError> {
    let db_error = |msg: String| ConfigError::new("DATABASE_URL", msg);
    let url = &settings.database_url;
    let manager =
        db::DbManager::new(url.clone(), Default::default()).map_err(|e| db_error(e.to_string()))?;
    // One direct connection first: the pool would retry until its timeout and then report
    // only that it timed out, while this gives the server's own answer at once.
    let mut conn = diesel::r2d2::ManageConnection::connect(&manager)
        .map_err(|e| db_error(format!("cannot open {}: {e}", url.redacted())))?;
    // Instances started together take turns: the first brings the database up to date,
    // the others find it done.
    db::alone(
        &mut conn,
        db::Exclusive::StartUp,
        |conn| -> anyhow::Result<()> {
            let applied = db::run_migrations(conn)
                .map_err(|e| anyhow::anyhow!("migrating {} failed: {e}", url.redacted()))?;
            for version in &applied {
                tracing::info!(%version, "migration applied");
            }
            crate::reference::sync(conn)
                .map_err(|e| anyhow::anyhow!("loading reference data failed: {e}"))?;
            let indexed = crate::vacancies::backfill_search(conn)
                .map_err(|e| anyhow::anyhow!("indexing vacancies for search failed: {e}"))?;
            if indexed > 0 {
                tracing::info!(indexed, "vacancies indexed for search");
            }
            let indexed = crate::training::programmes::backfill_search(conn).map_err(|e| {
                anyhow::anyhow!("indexing training programmes for search failed: {e}")
            })?;
            if indexed > 0 {
                tracing::info!(indexed, "training programmes indexed for search");
            }
            let filled = crate::ipk::backfill::run_once(conn, "ak1_cards", |conn| {
                crate::seekers::ak1::facts::backfill(conn)
            })
            .map_err(|e| anyhow::anyhow!("filling the IPK ledger from AK/I cards failed: {e}"))?;
            if filled > 0 {
                tracing::info!(filled, "AK/I cards entered in the IPK ledger");
            }
            let filled = crate::ipk::backfill::run_once(conn, "vacancies", |conn| {
                crate::vacancies::facts::backfill(conn)
            })
            .map_err(|e| anyhow::anyhow!("filling the IPK ledger from vacancies failed: {e}"))?;
            if filled > 0 {
                tracing::info!(filled, "vacancies entered in the IPK ledger");
            }
            let filled = crate::ipk::backfill::run_once(conn, "placements", |conn| {
                crate::applications::facts::backfill(conn)
            })
            .map_err(|e| anyhow::anyhow!("filling the IPK ledger from placements failed: {e}"))?;
            if filled > 0 {
                tracing::info!(filled, "placements entered in the IPK ledger");
            }
            Ok(())
        },
    )
    .map_err(|e| db_error(format!("{e:#}")))?;
    drop(conn);
    connect(url, settings.db_pool_size)
        .map_err(|e| db_error(format!("cannot open {}: {e}", url.redacted())))
}

/// Connects once and runs a query, changing nothing (for `check-config`).
pub fn check_database(settings: &Settings) -> Result<(), ConfigError> {
    let url = &settings.database_url;
    let db_error = |msg: String| ConfigError::new("DATABASE_URL", msg);
    let created = NewSqliteFile::track(url);
    let result = db::DbManager::new(url.clone(), Default::default())
        .map_err(|e| db_error(e.to_string()))
        .and_then(|manager| {
            diesel::r2d2::ManageConnection::connect(&manager)
                .map_err(|e| db_error(format!("cannot open {}: {e}", url.redacted())))
        })
        .and_then(|mut conn| {
            db::ping(&mut conn)
                .map_err(|e| db_error(format!("{} does not answer: {e}", url.redacted())))
        });
    // Checking must not leave a new empty SQLite file behind.
    created.remove();
    result
}

/// Remembers whether the SQLite file existed before this start, to undo its creation.
struct NewSqliteFile(Option<PathBuf>);

impl NewSqliteFile {
    fn track(url: &DatabaseUrl) -> Self {
        match url {
            DatabaseUrl::Sqlite(path) if !path.exists() => Self(Some(path.clone())),
            _ => Self(None),
        }
    }

    fn remove(self) {
        if let Some(path) = self.0 {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(Path::new(&p));
            }
        }
    }
}

/// The key that signs and encrypts cookies: from the setting, or generated once and kept
/// in the data directory so that sessions survive a restart in development.
pub fn load_secret_key(settings: &Settings) -> Result<actix_web::cookie::Key, ConfigError> {
    let bytes = match &settings.secret_key {
        SecretKeySource::Configured(bytes) => bytes.clone(),
        SecretKeySource::DataDir => read_or_create_key_file(&settings.secret_key_path())?,
    };
    actix_web::cookie::Key::try_from(bytes.as_slice())
        .map_err(|e| ConfigError::new("SIBUSER_SECRET_KEY", e.to_string()))
}

fn read_or_create_key_file(path: &Path) -> Result<Vec<u8>, ConfigError> {
    let err = |msg: String| ConfigError::new("SIBUSER_DATA_DIR", msg);
    match std::fs::read_to_string(path) {
        Ok(text) => decode_key_file(path, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = actix_web::cookie::Key::generate();
            let bytes = key.master().to_vec();
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
            }
            let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
            match write_private(path, encoded.as_bytes()) {
                Ok(()) => {}
                // Another instance sharing the data directory made it first: use theirs,
                // so that both read each other's cookies.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| err(format!("cannot read {}: {e}", path.display())))?;
                    return decode_key_file(path, &text);
                }
                Err(e) => return Err(err(format!("cannot write {}: {e}", path.display()))),
            }
            tracing::warn!(
                path = %path.display(),
                "SIBUSER_SECRET_KEY is not set: generated a cookie key for development"
            );
            Ok(bytes)
        }
        Err(e) => Err(err(format!("cannot read {}: {e}", path.display()))),
    }
}

fn decode_key_file(path: &Path, text: &str) -> Result<Vec<u8>, ConfigError> {
    let err = |msg: String| ConfigError::new("SIBUSER_DATA_DIR", msg);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| {
            err(format!(
                "{} is not a base64 key; delete it to make a new one",
                path.display()
            ))
        })?;
    if bytes.len() < SECRET_KEY_MIN_BYTES {
        return Err(err(format!(
            "{} holds a key that is too short; delete it to make a new one",
            path.display()
        )));
    }
    Ok(bytes)
}

/// Writes a new file readable by its owner only, whole or not at all: the contents go to a
/// file of their own first, which is then linked under `path` (refused if `path` exists),
/// so that a reader never finds it half-written.
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut draft = path.as_os_str().to_owned();
    draft.push(format!(".{}.new", std::process::id()));
    let draft = PathBuf::from(draft);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options
        .open(&draft)
        .and_then(|mut f| f.write_all(contents).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::hard_link(&draft, path));
    let _ = std::fs::remove_file(&draft);
    written
}

/// Binds the address before anything else is created, so a busy port stops start-up
/// without leaving a new database behind.
pub fn bind(settings: &Settings) -> Result<TcpListener, ConfigError> {
    TcpListener::bind(settings.bind).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => "is already in use".to_owned(),
            std::io::ErrorKind::PermissionDenied => "needs more privileges to bind".to_owned(),
            _ => format!("cannot be bound: {e}"),
        };
        ConfigError::new("SIBUSER_BIND", format!("{} {why}", settings.bind))
    })
}

/// `sibuser serve`: the portal, until it is stopped. `national_sandbox` (with `demo`) runs
/// the reference national endpoint beside it and syncs with it.
pub async fn serve(
    mut settings: Settings,
    demo: bool,
    national_sandbox: bool,
) -> Result<(), ConfigError> {
    let listener = bind(&settings)?;
    let key = load_secret_key(&settings)?;
    let transport = crate::mail::MailTransport::from_settings(&settings)
        .map_err(|e| ConfigError::new("SIBUSER_SMTP_HOST", e.to_string()))?;
    let pool = prepare_database(&settings)?;
    if demo {
        seed_demo_if_empty(&pool)?;
    }
    if national_sandbox && settings.sync.is_none() {
        let err = |e: String| ConfigError::new("--national-sandbox", e);
        let mut conn = pool.get().map_err(|e| err(e.to_string()))?;
        let demo = crate::national::sandbox::demo::start_for_demo(&mut conn)
            .map_err(|e| err(format!("{e:#}")))?;
        let sync = demo.sync.clone();
        println!(
            "National sandbox (SIAPkerja stand-in) at {}; the portal pushes to it and pulls its records.",
            sync.url
        );
        settings.sync = Some(sync);
        if settings.oidc.is_none() {
            settings.oidc = demo.oidc(&settings.base_url)?;
            println!(
                "Residents and staff may sign in through the sandbox's SIAPkerja provider too."
            );
        }
    }
    crate::jobs::spawn(
        pool.clone(),
        transport,
        settings.base_url.clone(),
        settings.mail_body_retention(),
        crate::import::worker::dir(settings.data_dir()),
        crate::exports::worker::dir(settings.data_dir()),
    );
    if let Some(sync) = &settings.sync {
        crate::national::worker::spawn(pool.clone(), sync.clone());
    }
    let portal = Portal::new(pool, settings, key);
    let state = &portal.state;
    tracing::info!(
        address = %state.settings.bind,
        base_url = %state.settings.base_url,
        database = %state.settings.database_url.redacted(),
        "SIBUSER is serving"
    );
    // actix-web keeps the OS default (Nagle's algorithm on; actix-web issue 3917): a response
    // written in two pieces then waits for the client's delayed ACK before the second, ~40 ms.
    let server = HttpServer::new(move || build_app(portal.clone()))
        .tcp_nodelay(true)
        .listen(listener)
        .map_err(|e| ConfigError::new("SIBUSER_BIND", e.to_string()))?
        .run();
    server
        .await
        .map_err(|e| ConfigError::new("SIBUSER_BIND", format!("server stopped: {e}")))
}

fn seed_demo_if_empty(pool: &Pool) -> Result<(), ConfigError> {
    let err = |msg: String| ConfigError::new("DATABASE_URL", msg);
    let mut conn = pool.get().map_err(|e| err(e.to_string()))?;
    // Instances started together on an empty database: one seeds, the others find it full.
    let summary = db::alone(&mut conn, db::Exclusive::DemoSeed, |conn| {
        if !demo::is_empty(conn)? {
            return Ok(None);
        }
        demo::seed(conn, demo::Scale::Small).map(Some)
    })
    .map_err(|e: anyhow::Error| err(format!("loading demo data failed: {e}")))?;
    let Some(summary) = summary else {
        return Ok(());
    };
    tracing::info!(
        users = summary.users,
        ak1_cards = summary.ak1_cards,
        vacancies = summary.vacancies,
        "demo data loaded"
    );
    println!("{}", demo_banner());
    Ok(())
}

/// What the operator sees once the demo is loaded: how to sign in.
pub fn demo_banner() -> String {
    let mut text = String::from("\nDemo data loaded. Demo logins (password for all: ");
    text.push_str(demo::DEMO_PASSWORD);
    text.push_str("):\n");
    for (email, _, role) in demo::DEMO_ACCOUNTS {
        text.push_str(&format!("  {:<14} {email}\n", role.as_str()));
    }
    text
}
