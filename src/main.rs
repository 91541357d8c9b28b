//! The `sibuser` command line.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sibuser::accounts::{self, NewUser};
use sibuser::audit::actions;
use sibuser::config::{ConfigError, Settings};
use sibuser::domain::{Email, Role};
use sibuser::{audit, demo, exports, import, startup, telemetry};

#[derive(Parser)]
#[command(
    name = "sibuser",
    version,
    about = "SIBUSER: job board and labour-data portal of Kota Binjai",
    long_about = "SIBUSER: job board and labour-data portal of Kota Binjai.\n\n\
        Settings come from environment variables (DATABASE_URL, SIBUSER_BIND, \
        SIBUSER_BASE_URL, SIBUSER_SECRET_KEY, ...); see the README."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default when no command is given).
    Serve {
        /// On an empty database, load the small demo data set and print the demo logins.
        #[arg(long)]
        demo: bool,
        /// With --demo: run a reference national endpoint on this machine holding national
        /// records, and sync with it (unless SIBUSER_SYNC_URL names another).
        #[arg(long, requires = "demo")]
        national_sandbox: bool,
    },
    /// Apply pending database migrations and load reference data, then exit.
    Migrate,
    /// Fill the database with realistic, deterministic demo data.
    SeedDemo {
        /// How much data to make.
        #[arg(long, value_enum, default_value = "small")]
        scale: demo::Scale,
    },
    /// Create a super admin account (the first staff account of a new portal).
    CreateAdmin {
        /// The admin's e-mail address, used to sign in.
        #[arg(long)]
        email: String,
        /// The admin's full name.
        #[arg(long)]
        name: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Check the settings and the database connection, then exit.
    CheckConfig,
    /// Write a consistent copy of the SQLite database to a new file while the portal runs.
    /// For PostgreSQL use pg_dump (docs/operations.md).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Import a CSV or XLSX file of one kind, or print the kind's template. Checks every
    /// row and prints each bad one; writes nothing when any row is bad (exit status 1)
    /// unless --only-valid, and every valid row in one transaction otherwise.
    Import {
        /// What the file holds: job-seekers, companies, vacancies, employed-residents, jkp
        /// or wlkp.
        kind: String,
        /// The file to import (CSV or XLSX).
        #[arg(required_unless_present = "template")]
        file: Option<std::path::PathBuf>,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows even when some rows are bad.
        #[arg(long)]
        only_valid: bool,
        /// Print the kind's template (headers and one example row) instead.
        #[arg(long, conflicts_with_all = ["file", "dry_run", "only_valid"])]
        template: bool,
        /// The template's format.
        #[arg(long, value_parser = ["csv", "xlsx"], default_value = "csv")]
        format: String,
        /// Write the template to this file (an XLSX template needs one).
        #[arg(long)]
        output: Option<std::path::PathBuf>,
        /// The language of the report and the template's notes: id or en.
        #[arg(long, value_parser = ["id", "en"], default_value = "id")]
        lang: String,
    },
    /// Write the IPK forms of a period (III/1 to III/8, or one with --form) as the reports
    /// page does: XLSX laid out like the paper forms, or CSV for one form. A signed period
    /// gives its latest signed version.
    IpkReport {
        /// The first month, yyyy-mm.
        #[arg(long)]
        from: String,
        /// The last month, yyyy-mm.
        #[arg(long)]
        to: String,
        /// One form's code, such as III/1.
        #[arg(long)]
        form: Option<String>,
        /// Sign the period off first (closes its months; audited).
        #[arg(long)]
        sign: bool,
        /// The file to write: .xlsx, or .csv with --form.
        #[arg(long)]
        out: std::path::PathBuf,
        /// The language of the forms: id or en.
        #[arg(long, default_value = "id")]
        lang: String,
    },
    /// The exchange with the national system (SIAPkerja): without a subcommand, run the
    /// sync worker in the foreground (as `serve` does beside the portal), or one round with
    /// --once. Needs the SIBUSER_SYNC_* settings (docs/national-sync.md).
    Sync {
        /// Push everything due once, print what moved, and exit.
        #[arg(long)]
        once: bool,
        #[command(subcommand)]
        action: Option<SyncAction>,
    },
    /// Run the reference national endpoint (for tests, the demo and the ministry's
    /// engineers): it receives pushes, keeps them in memory and counts duplicates.
    NationalSandbox {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8790")]
        bind: std::net::SocketAddr,
        /// The share of requests failed with 503 before anything is stored (0 to 1; spread
        /// evenly: 0.05 is every twentieth).
        #[arg(long, default_value_t = 0.0)]
        fail_rate: f64,
        /// The share of requests whose connection is dropped after the batch is stored.
        #[arg(long, default_value_t = 0.0)]
        drop_after_store_rate: f64,
        /// Wait this long before answering.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// The share of answers whose body is cut in half (still signed).
        #[arg(long, default_value_t = 0.0)]
        malformed_rate: f64,
        /// The sandbox's signing key, id:base64 seed (sibuser sync keygen); a new one is
        /// made and its public half printed when not given.
        #[arg(long, env = "SANDBOX_SIGNING_KEY")]
        signing_key: Option<String>,
        /// A portal's public key it accepts, id:base64 (repeat for several).
        #[arg(
            long = "peer-key",
            env = "SANDBOX_PEER_KEYS",
            value_delimiter = ',',
            required = true
        )]
        peer_keys: Vec<String>,
        /// Serve HTTPS with this PEM certificate (chain); needs --tls-key.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<std::path::PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<std::path::PathBuf>,
        /// Hold a few national records from the start (Karirhub vacancies in Binjai, JKP
        /// recipients, a WLKP report), for the portal's pull to bring in.
        #[arg(long)]
        demo: bool,
        /// The client id its OpenID Connect provider knows (the portal's
        /// SIBUSER_OIDC_CLIENT_ID); the provider's issuer is {scheme}://{bind}/oidc.
        #[arg(long, default_value = "sibuser")]
        oidc_client_id: String,
        /// That client's secret (the portal's SIBUSER_OIDC_CLIENT_SECRET).
        #[arg(
            long,
            env = "SANDBOX_OIDC_CLIENT_SECRET",
            default_value = "sandbox-secret"
        )]
        oidc_client_secret: String,
    },
    /// Export a data set to a file, as the data steward's export page does. Personal data
    /// is masked unless --purpose is given; the export is recorded in the audit log.
    Export {
        /// job-seekers, vacancies, companies, employed-residents, training, placements, wlkp
        /// or jkp.
        dataset: String,
        /// The file's format.
        #[arg(long, value_parser = ["csv", "xlsx", "jsonl"], default_value = "csv")]
        format: String,
        /// The first month (2025-01) or day (2025-01-31) of the period.
        #[arg(long, default_value = "")]
        from: String,
        /// The last month or day of the period.
        #[arg(long, default_value = "")]
        to: String,
        /// A kecamatan of Binjai by its Kemendagri code (12.75.01).
        #[arg(long, default_value = "")]
        kecamatan: String,
        /// Why personal data is needed in full: exports it unmasked, and is kept in the
        /// audit log.
        #[arg(long)]
        purpose: Option<String>,
        /// The file to write.
        #[arg(long)]
        out: std::path::PathBuf,
        /// The language of the messages: id or en.
        #[arg(long, value_parser = ["id", "en"], default_value = "id")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum SyncAction {
    /// Print the queue, the last attempts and the exchange log's size.
    Status,
    /// Check the exchange log's hash chain, every body and every seal.
    Verify,
    /// Queue every shared record to be sent again.
    Resync,
    /// Print a new Ed25519 key pair for SIBUSER_SYNC_SIGNING_KEY.
    Keygen {
        /// The key's id, such as binjai-2027.
        id: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(
        Command::NationalSandbox { .. }
        | Command::Sync {
            action: Some(SyncAction::Keygen { .. }),
            ..
        },
    ) = &cli.command
    {
        // Neither needs the portal's settings or database.
        telemetry::init(sibuser::config::LogFormat::Human, "info");
        return match cli.command {
            Some(Command::NationalSandbox {
                bind,
                fail_rate,
                drop_after_store_rate,
                latency_ms,
                malformed_rate,
                signing_key,
                peer_keys,
                tls_cert,
                tls_key,
                demo,
                oidc_client_id,
                oidc_client_secret,
            }) => {
                let tls = tls_cert
                    .zip(tls_key)
                    .map(|(cert, key)| sibuser::national::sandbox::Tls { cert, key });
                national_sandbox(
                    bind,
                    fail_rate,
                    drop_after_store_rate,
                    latency_ms,
                    malformed_rate,
                    signing_key,
                    &peer_keys,
                    tls,
                    demo,
                    sibuser::national::sandbox::OidcClient {
                        id: oidc_client_id,
                        secret: oidc_client_secret,
                    },
                )
            }
            Some(Command::Sync {
                action: Some(SyncAction::Keygen { id }),
                ..
            }) => match sibuser::national::cli::keygen(&id) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&ConfigError::new("ID", e.to_string())),
            },
            _ => ExitCode::FAILURE,
        };
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    telemetry::init(settings.log_format, &settings.log_filter);
    let result = match cli.command.unwrap_or(Command::Serve {
        demo: false,
        national_sandbox: false,
    }) {
        Command::Serve {
            demo,
            national_sandbox,
        } => serve(settings, demo, national_sandbox),
        Command::Migrate => startup::prepare_database_for_command(&settings).map(|_| {
            println!(
                "Database is up to date: {}",
                settings.database_url.redacted()
            );
        }),
        Command::SeedDemo { scale } => seed_demo(&settings, scale),
        Command::CreateAdmin {
            email,
            name,
            password_stdin,
        } => create_admin(&settings, &email, &name, password_stdin),
        Command::CheckConfig => check_config(&settings),
        Command::Backup { to } => backup(&settings, &to),
        Command::IpkReport {
            from,
            to,
            form,
            sign,
            out,
            lang,
        } => {
            let options = sibuser::ipk::cli::Options {
                from: &from,
                to: &to,
                form: form.as_deref(),
                sign,
                out: &out,
                lang: sibuser::web::Lang::from_code(&lang).unwrap_or_default(),
                data_dir: settings.data_dir(),
            };
            return ipk_report(&settings, &options);
        }
        Command::Import {
            kind,
            file,
            dry_run,
            only_valid,
            template,
            format,
            output,
            lang,
        } => {
            let lang = sibuser::web::Lang::from_code(&lang).unwrap_or_default();
            return if template {
                import_template(&kind, &format, output.as_deref(), lang)
            } else {
                let Some(file) = file else {
                    return fail(&ConfigError::new("FILE", "no file to import"));
                };
                let options = import::cli::Options {
                    kind: &kind,
                    dry_run,
                    only_valid,
                    lang,
                };
                import_file(&settings, &file, &options)
            };
        }
        Command::Sync { once, action } => return sync(&settings, once, action),
        Command::NationalSandbox { .. } => return ExitCode::FAILURE,
        Command::Export {
            dataset,
            format,
            from,
            to,
            kecamatan,
            purpose,
            out,
            lang,
        } => {
            let options = exports::cli::Options {
                dataset: &dataset,
                format: &format,
                from: &from,
                to: &to,
                kecamatan: &kecamatan,
                purpose: purpose.as_deref(),
                lang: sibuser::web::Lang::from_code(&lang).unwrap_or_default(),
            };
            return export(&settings, &options, &out);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn export(
    settings: &Settings,
    options: &exports::cli::Options<'_>,
    out: &std::path::Path,
) -> ExitCode {
    let (_pool, mut conn) = match command_db(settings) {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    let started = std::time::Instant::now();
    match exports::cli::run(&mut conn, options, out) {
        Ok(count) => {
            println!(
                "{} rows written to {} in {:.1} s.",
                count.rows,
                out.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(exports::cli::CliError::Usage(msg)) => {
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
        Err(e) => fail(&ConfigError::new("export", e.to_string())),
    }
}

fn sync(settings: &Settings, once: bool, action: Option<SyncAction>) -> ExitCode {
    use sibuser::national::cli;
    let (pool, mut conn) = match command_db(settings) {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    let needs = || {
        settings.sync.clone().ok_or_else(|| {
            ConfigError::new(
                "SIBUSER_SYNC_URL",
                "is not set: the national sync is not configured (docs/national-sync.md)",
            )
        })
    };
    let result = match action {
        Some(SyncAction::Status) => cli::status(&mut conn),
        Some(SyncAction::Resync) => cli::resync(&mut conn),
        Some(SyncAction::Keygen { id }) => cli::keygen(&id),
        Some(SyncAction::Verify) => {
            let sync = match needs() {
                Ok(s) => s,
                Err(e) => return fail(&e),
            };
            return match cli::verify(&mut conn, &sync) {
                Ok(Ok(text)) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Ok(Err(text)) => {
                    eprint!("{text}");
                    ExitCode::FAILURE
                }
                Err(e) => fail(&ConfigError::new("sync verify", e.to_string())),
            };
        }
        None => {
            let sync = match needs() {
                Ok(s) => s,
                Err(e) => return fail(&e),
            };
            if once {
                cli::once(&mut conn, &sync)
            } else {
                drop(conn);
                sibuser::national::worker::run(&pool, &sync);
                return ExitCode::FAILURE;
            }
        }
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&ConfigError::new("sync", e.to_string())),
    }
}

#[allow(clippy::too_many_arguments)]
fn national_sandbox(
    bind: std::net::SocketAddr,
    fail_rate: f64,
    drop_after_store_rate: f64,
    latency_ms: u64,
    malformed_rate: f64,
    signing_key: Option<String>,
    peer_keys: &[String],
    tls: Option<sibuser::national::sandbox::Tls>,
    demo: bool,
    oidc_client: sibuser::national::sandbox::OidcClient,
) -> ExitCode {
    use sibuser::config::sync::key;
    for (name, rate) in [
        ("--fail-rate", fail_rate),
        ("--drop-after-store-rate", drop_after_store_rate),
        ("--malformed-rate", malformed_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return fail(&ConfigError::new(
                name,
                format!("{rate} is not a share from 0 to 1"),
            ));
        }
    }
    let signing_key = match signing_key {
        Some(k) => key("--signing-key", &k),
        None => {
            let (seed, public) = sibuser::national::signing::generate("sandbox");
            println!(
                "The sandbox signs with a new key; give the portal SIBUSER_SYNC_PEER_KEYS={public}"
            );
            key("--signing-key", &seed)
        }
    };
    let signing_key = match signing_key {
        Ok(k) => k,
        Err(e) => return fail(&e),
    };
    let peer_keys = match peer_keys
        .iter()
        .map(|k| key("--peer-key", k))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(k) => k,
        Err(e) => return fail(&e),
    };
    let options = sibuser::national::sandbox::Options {
        fail_rate,
        drop_after_store_rate,
        latency: std::time::Duration::from_millis(latency_ms),
        malformed_rate,
        signing_key,
        peer_keys,
        tls: tls.clone(),
        demo,
        oidc_client,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("National sandbox listening on {scheme}://{bind}/v1");
    println!(
        "OpenID Connect provider: SIBUSER_OIDC_ISSUER={scheme}://{bind}/oidc SIBUSER_OIDC_CLIENT_ID={}",
        options.oidc_client.id
    );
    match actix_web::rt::System::new().block_on(sibuser::national::sandbox::run(bind, options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&ConfigError::new("--bind", e.to_string())),
    }
}

/// The database of a command that runs and exits, migrated, and a connection from it.
fn command_db(
    settings: &Settings,
) -> Result<(sibuser::db::Pool, sibuser::db::PooledConn), ConfigError> {
    let pool = startup::prepare_database_for_command(settings)?;
    let conn = pool
        .get()
        .map_err(|e| ConfigError::new("DATABASE_URL", e.to_string()))?;
    Ok((pool, conn))
}

fn fail(e: &ConfigError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

fn serve(settings: Settings, demo: bool, national_sandbox: bool) -> Result<(), ConfigError> {
    actix_web::rt::System::new().block_on(startup::serve(settings, demo, national_sandbox))
}

fn seed_demo(settings: &Settings, scale: demo::Scale) -> Result<(), ConfigError> {
    let pool = startup::prepare_database_for_command(settings)?;
    let mut conn = pool
        .get()
        .map_err(|e| ConfigError::new("DATABASE_URL", e.to_string()))?;
    let started = std::time::Instant::now();
    let summary = demo::seed(&mut conn, scale)
        .map_err(|e| ConfigError::new("DATABASE_URL", format!("seeding failed: {e}")))?;
    if summary.already_seeded {
        println!("Demo data is already loaded; nothing changed.");
    } else {
        println!(
            "Loaded {} users, {} AK/I cards, {} vacancies, {} applications, {} placements, {} training programmes, {} enrolments, {} JKP recipients, {} WLKP reports, {} job alerts and {} signed IPK monthly reports in {:.1} s.{}",
            summary.users,
            summary.ak1_cards,
            summary.vacancies,
            summary.applications,
            summary.placements,
            summary.programmes,
            summary.enrolments,
            summary.jkp_recipients,
            summary.wlkp_reports,
            summary.job_alerts,
            summary.ipk_months_signed,
            started.elapsed().as_secs_f64(),
            startup::demo_banner()
        );
    }
    Ok(())
}

fn create_admin(
    settings: &Settings,
    email: &str,
    name: &str,
    password_stdin: bool,
) -> Result<(), ConfigError> {
    let arg_err = |setting: &'static str, msg: String| ConfigError::new(setting, msg);
    let Ok(email) = Email::parse(email) else {
        return Err(arg_err(
            "--email",
            format!("'{email}' is not an e-mail address"),
        ));
    };
    if name.trim().is_empty() {
        return Err(arg_err("--name", "the name is empty".into()));
    }
    if name
        .chars()
        .any(|c| c.is_control() || sibuser::web::forms::is_hidden_control(c))
    {
        return Err(arg_err(
            "--name",
            "the name holds control or text-direction characters".into(),
        ));
    }
    let (password, generated) = if password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| arg_err("--password-stdin", e.to_string()))?;
        (text.trim_end_matches(['\n', '\r']).to_owned(), false)
    } else {
        (generate_password(), true)
    };
    accounts::check_password_policy(&password)
        .map_err(|e| arg_err("--password-stdin", e.to_string()))?;
    let hash = accounts::hash_password(&password)
        .map_err(|e| arg_err("--password-stdin", e.to_string()))?;
    let pool = startup::prepare_database_for_command(settings)?;
    let db_err = |e: diesel::result::Error| ConfigError::new("DATABASE_URL", e.to_string());
    let mut conn = pool
        .get()
        .map_err(|e| ConfigError::new("DATABASE_URL", e.to_string()))?;
    if accounts::find_by_email(&mut conn, &email)
        .map_err(db_err)?
        .is_some()
    {
        return Err(arg_err(
            "--email",
            format!("an account with {email} already exists"),
        ));
    }
    let id = sibuser::db::transaction(&mut conn, |conn| {
        let id = accounts::create_user(
            conn,
            &NewUser::staff(&email, name, &hash, &[Role::SuperAdmin]),
        )?;
        audit::record(
            conn,
            audit::Entry::new(actions::USER_CREATED)
                .subject("user", id)
                .detail(serde_json::json!({ "roles": ["super_admin"], "via": "create-admin" })),
        )?;
        Ok(id)
    })
    .map_err(db_err)?;
    println!("Created super admin #{id} <{email}>.");
    if generated {
        println!("Password (shown once, change it after signing in): {password}");
    }
    Ok(())
}

/// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
fn generate_password() -> String {
    use rand::{Rng, SeedableRng};
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::StdRng::from_os_rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn backup(settings: &Settings, to: &std::path::Path) -> Result<(), ConfigError> {
    let (_pool, mut conn) = command_db(settings)?;
    let started = std::time::Instant::now();
    sibuser::db::backup::sqlite_copy(&mut conn, to)
        .map_err(|e| ConfigError::new("--to", e.to_string()))?;
    let size = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    println!(
        "Wrote {} ({} KB) in {:.1} s.",
        to.display(),
        size.div_ceil(1024),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn check_config(settings: &Settings) -> Result<(), ConfigError> {
    startup::load_secret_key(settings)?;
    // Connects without migrating: a check changes nothing.
    startup::check_database(settings)?;
    println!("Settings are valid and the database answers.");
    println!("  database   {}", settings.database_url.redacted());
    println!("  bind       {}", settings.bind);
    println!("  base URL   {}", settings.base_url);
    println!("  data dir   {}", settings.data_dir().display());
    println!(
        "  mail       {}",
        match &settings.smtp {
            Some(s) => format!("SMTP {}:{}", s.host, s.port),
            None => format!("files in {}", settings.mail_dir().display()),
        }
    );
    Ok(())
}

fn import_template(
    kind: &str,
    format: &str,
    output: Option<&std::path::Path>,
    lang: sibuser::web::Lang,
) -> ExitCode {
    use std::io::Write;
    let format = import::template::TemplateFormat::parse(format)
        .unwrap_or(import::template::TemplateFormat::Csv);
    let bytes = match import::cli::template_bytes(kind, format, lang) {
        Ok(b) => b,
        Err(e) => return fail(&ConfigError::new("KIND", e.to_string())),
    };
    let written = match output {
        Some(path) => std::fs::write(path, &bytes)
            .map(|()| println!("Template written to {}.", path.display())),
        None if format == import::template::TemplateFormat::Xlsx => {
            return fail(&ConfigError::new(
                "--output",
                "an XLSX template is written to a file: give --output FILE",
            ));
        }
        None => std::io::stdout().write_all(&bytes),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&ConfigError::new("--output", e.to_string())),
    }
}

fn ipk_report(settings: &Settings, options: &sibuser::ipk::cli::Options<'_>) -> ExitCode {
    let (_pool, mut conn) = match command_db(settings) {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    match sibuser::ipk::cli::run(&mut conn, options) {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(why) => fail(&ConfigError::new("ipk-report", why)),
    }
}

fn import_file(
    settings: &Settings,
    file: &std::path::Path,
    options: &import::cli::Options<'_>,
) -> ExitCode {
    // The kind first: an unknown or not yet available kind needs no database.
    if let Err(e) = import::cli::kind_of(options.kind) {
        return fail(&ConfigError::new("KIND", e.to_string()));
    }
    let (_pool, mut conn) = match command_db(settings) {
        Ok(db) => db,
        Err(e) => return fail(&e),
    };
    let mut out = std::io::stdout().lock();
    match import::cli::run(&mut conn, file, options, &mut out) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(import::cli::CliError::Usage(msg)) => fail(&ConfigError::new("FILE", msg)),
        Err(e) => fail(&ConfigError::new("DATABASE_URL", e.to_string())),
    }
}
