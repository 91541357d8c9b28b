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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    telemetry::init(settings.log_format, &settings.log_filter);
    let result = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(settings, demo),
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
    let pool = match startup::prepare_database_for_command(settings) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let mut conn = match pool.get() {
        Ok(c) => c,
        Err(e) => return fail(&ConfigError::new("DATABASE_URL", e.to_string())),
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

fn fail(e: &ConfigError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

fn serve(settings: Settings, demo: bool) -> Result<(), ConfigError> {
    actix_web::rt::System::new().block_on(startup::serve(settings, demo))
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
    let id = diesel::Connection::transaction(&mut *conn, |conn| {
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
    let pool = match startup::prepare_database_for_command(settings) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let mut conn = match pool.get() {
        Ok(c) => c,
        Err(e) => return fail(&ConfigError::new("DATABASE_URL", e.to_string())),
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
    let pool = match startup::prepare_database_for_command(settings) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let mut conn = match pool.get() {
        Ok(c) => c,
        Err(e) => return fail(&ConfigError::new("DATABASE_URL", e.to_string())),
    };
    let mut out = std::io::stdout().lock();
    match import::cli::run(&mut conn, file, options, &mut out) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(import::cli::CliError::Usage(msg)) => fail(&ConfigError::new("FILE", msg)),
        Err(e) => fail(&ConfigError::new("DATABASE_URL", e.to_string())),
    }
}
