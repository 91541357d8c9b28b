//! The `sibuser` command as an operator runs it: start-up errors name the setting to fix,
//! leave nothing behind, and the portal really serves.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn sibuser(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sibuser"));
    cmd.args(args)
        .env_clear()
        .current_dir(dir)
        .env("SIBUSER_LOG", "warn")
        .env("SIBUSER_DATA_DIR", dir.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    sibuser(dir, env, args).output().expect("run sibuser")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Asserts a failure whose one error line names the setting.
#[track_caller]
fn assert_fails_naming(out: &Output, setting: &str) -> String {
    assert!(
        !out.status.success(),
        "expected failure; stdout: {}",
        stdout(out)
    );
    let err = stderr(out);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 1, "expected one error line, got:\n{err}");
    assert!(
        lines[0].starts_with(&format!("error: {setting}:")),
        "expected the error to name {setting}: {err}"
    );
    lines[0].to_owned()
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("db/sibuser.db").display())
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        "serve",
        "migrate",
        "seed-demo",
        "create-admin",
        "check-config",
        "import",
        "ipk-report",
    ] {
        let out = run(dir.path(), &[], &[cmd, "--help"]);
        assert!(out.status.success(), "{cmd} --help failed");
        assert!(stdout(&out).contains("Usage: sibuser"), "{cmd}");
    }
}

#[test]
fn an_unsupported_database_url_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[("DATABASE_URL", "mysql://root@localhost/x")],
        &["migrate"],
    );
    let line = assert_fails_naming(&out, "DATABASE_URL");
    assert!(line.contains("mysql"), "{line}");
}

#[test]
fn an_unreachable_postgres_is_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    // Port 9 (discard) on loopback: nothing listens there.
    let url = "postgres://sibuser:rahasia@127.0.0.1:9/sibuser";
    let started = Instant::now();
    let out = run(dir.path(), &[("DATABASE_URL", url)], &["migrate"]);
    let line = assert_fails_naming(&out, "DATABASE_URL");
    assert!(!line.contains("rahasia"), "the password leaked: {line}");
    assert!(line.contains("127.0.0.1"), "{line}");
    // It reports the refusal at once instead of retrying until a pool timeout.
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[test]
fn an_unwritable_data_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    // A file where a directory should be fails even for root.
    std::fs::write(dir.path().join("blocked"), b"").unwrap();
    let url = format!(
        "sqlite://{}",
        dir.path().join("blocked/sub/sibuser.db").display()
    );
    let out = run(dir.path(), &[("DATABASE_URL", &url)], &["migrate"]);
    let line = assert_fails_naming(&out, "DATABASE_URL");
    assert!(line.contains("blocked"), "{line}");
}

#[test]
fn a_malformed_setting_is_named() {
    let dir = tempfile::tempdir().unwrap();
    for (name, value) in [
        ("SIBUSER_BIND", "localhost"),
        ("SIBUSER_LOG_FORMAT", "yaml"),
        ("SIBUSER_SECRET_KEY", "terlalu-pendek"),
        ("SIBUSER_BASE_URL", "binjai"),
    ] {
        let out = run(dir.path(), &[(name, value)], &["check-config"]);
        assert_fails_naming(&out, name);
    }
}

#[test]
fn a_port_in_use_stops_start_up_before_the_database_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let url = sqlite_url(dir.path());
    let out = run(
        dir.path(),
        &[("SIBUSER_BIND", &addr), ("DATABASE_URL", &url)],
        &["serve"],
    );
    let line = assert_fails_naming(&out, "SIBUSER_BIND");
    assert!(line.contains("already in use"), "{line}");
    assert!(!dir.path().join("db/sibuser.db").exists());
}

#[test]
fn check_config_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(dir.path());
    let out = run(dir.path(), &[("DATABASE_URL", &url)], &["check-config"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Settings are valid"));
    assert!(!dir.path().join("db/sibuser.db").exists());
}

#[test]
fn create_admin_makes_one_super_admin_and_refuses_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(dir.path());
    let create = |password: &str| {
        let mut child = sibuser(
            dir.path(),
            &[("DATABASE_URL", &url)],
            &[
                "create-admin",
                "--email",
                "Kadis@Binjaikota.go.id",
                "--name",
                "Kepala Dinas",
                "--password-stdin",
            ],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = create("kurang\n");
    assert_fails_naming(&out, "--password-stdin");

    let out = create("sawit-dan-kopi-binjai\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("kadis@binjaikota.go.id"));

    let out = create("sawit-dan-kopi-binjai\n");
    let line = assert_fails_naming(&out, "--email");
    assert!(line.contains("already exists"), "{line}");

    // The account and its audit entry are in the database.
    let settings =
        crate::common::settings_for(sibuser::config::DatabaseUrl::parse(&url).unwrap(), &[]);
    let pool = sibuser::startup::prepare_database(&settings).unwrap();
    let mut conn = pool.get().unwrap();
    let user = sibuser::accounts::find_by_email(
        &mut conn,
        &sibuser::domain::Email::parse("kadis@binjaikota.go.id").unwrap(),
    )
    .unwrap()
    .expect("the admin exists");
    assert!(sibuser::accounts::verify_password(
        "sawit-dan-kopi-binjai",
        &user.password_hash
    ));
    use diesel::prelude::*;
    use sibuser::schema::{audit_log, user_roles};
    let roles: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(user.id))
        .select(user_roles::role)
        .load(&mut conn)
        .unwrap();
    assert_eq!(roles, ["super_admin"]);
    let actions: Vec<String> = audit_log::table
        .select(audit_log::action)
        .load(&mut conn)
        .unwrap();
    assert_eq!(actions, ["user.created"]);
}

#[test]
fn create_admin_without_a_password_generates_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(dir.path());
    let out = run(
        dir.path(),
        &[("DATABASE_URL", &url)],
        &[
            "create-admin",
            "--email",
            "a@binjaikota.go.id",
            "--name",
            "Admin",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let password = text
        .lines()
        .find_map(|l| {
            l.split_once(": ")
                .filter(|(k, _)| k.starts_with("Password"))
        })
        .map(|(_, p)| p.trim().to_owned())
        .expect("the generated password is printed");
    assert_eq!(password.len(), 20);
}

fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = String::new();
    stream.read_to_string(&mut buf).ok()?;
    let status = buf.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, buf))
}

/// What the README's run command does: a demo portal on SQLite, from nothing.
#[test]
fn serve_demo_starts_a_living_portal() {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = sibuser(dir.path(), &[("SIBUSER_BIND", &addr)], &["serve", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut ready = None;
    while Instant::now() < deadline {
        if let Some(r) = get(&addr, "/readyz") {
            ready = Some(r);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let home = get(&addr, "/");
    child.kill().ok();
    let output = child.wait_with_output().unwrap();
    let (status, _) = ready.expect("the portal answered /readyz");
    assert_eq!(status, 200);
    let (status, body) = home.expect("home page");
    assert_eq!(status, 200);
    assert!(body.contains("Cari kerja dan pelatihan di Kota Binjai"));
    // The default database lives under data/, and the demo logins were printed.
    assert!(dir.path().join("data/sibuser.db").exists());
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.contains("admin@sibuser.example"), "{printed}");
    assert!(printed.contains(sibuser::demo::DEMO_PASSWORD));
}

#[test]
fn migrate_works_on_postgres() {
    let Some(db) = crate::common::TestDb::create(crate::common::Backend::Postgres) else {
        return;
    };
    let url = match db.url() {
        sibuser::config::DatabaseUrl::Postgres(url) => url,
        other => panic!("{other:?}"),
    };
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &[("DATABASE_URL", &url)], &["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("up to date"));
}

#[test]
fn ipk_report_writes_a_periods_forms_signs_them_off_and_refuses_a_bad_period() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(dir.path());
    let env = [("DATABASE_URL", url.as_str())];
    assert!(
        run(dir.path(), &env, &["seed-demo", "--scale", "small"])
            .status
            .success()
    );
    let last = sibuser::ipk::Month::of(sibuser::domain::calendar::today())
        .previous()
        .to_string();
    let csv = dir.path().join("iii-1.csv");
    let out = run(
        dir.path(),
        &env,
        &[
            "ipk-report",
            "--from",
            &last,
            "--to",
            &last,
            "--form",
            "III/1",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("III/1,Ikhtisar Statistik Antar Kerja,"),
        "{text}"
    );
    assert!(stdout(&out).contains("Belum ditandatangani"));

    let xlsx = dir.path().join("semua.xlsx");
    let out = run(
        dir.path(),
        &env,
        &[
            "ipk-report",
            "--from",
            &last,
            "--to",
            &last,
            "--sign",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("8 form(s)") && stdout(&out).contains("versi 1"));
    // Signed, and nothing corrected since: a second sign-off is refused.
    let out = run(
        dir.path(),
        &env,
        &[
            "ipk-report",
            "--from",
            &last,
            "--to",
            &last,
            "--sign",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    let line = assert_fails_naming(&out, "ipk-report");
    assert!(line.contains("Tidak ada koreksi"), "{line}");

    let out = run(
        dir.path(),
        &env,
        &[
            "ipk-report",
            "--from",
            "2026-09",
            "--to",
            "2026-07",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    let line = assert_fails_naming(&out, "ipk-report");
    assert!(line.contains("tidak boleh sebelum bulan awal"), "{line}");
}
