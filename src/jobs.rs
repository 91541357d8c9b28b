//! Background work, on one thread inside `sibuser serve`: deliver the e-mail outbox every few
//! seconds (and clear the text of mail delivered longer ago than the retention),
//! and do the housekeeping that dates call for: expire vacancies past their closing
//! date, prune old throttle events, queue the job-alert digests that are due, and once an
//! hour take lapsed and expired AK/I cards off the register and send report reminders (AK/I
//! and WLKP). Check and write bulk imports, one run at a time, and remove their files after a
//! week; run the file jobs (exports) likewise. Every job is idempotent and safe to run on
//! several instances at once.

use std::time::{Duration, Instant};

use crate::db::Pool;
use crate::mail::{MailTransport, deliver_due};

const IDLE_PAUSE: Duration = Duration::from_secs(5);
/// How soon an uploaded or confirmed import is taken up.
const IMPORT_PAUSE: Duration = Duration::from_secs(2);
/// The card jobs work by the day; once an hour keeps a restarted instance from waiting long.
const CARD_JOBS_EVERY: Duration = Duration::from_secs(3600);

pub fn spawn(
    pool: Pool,
    transport: MailTransport,
    base_url: String,
    mail_retention: chrono::Duration,
    import_files: std::path::PathBuf,
    job_files: std::path::PathBuf,
) {
    spawn_imports(pool.clone(), import_files.clone());
    spawn_file_jobs(pool.clone(), job_files.clone());
    let spawned = std::thread::Builder::new()
        .name("background".into())
        .spawn(move || {
            let mut cards_ran: Option<Instant> = None;
            let mut mail = MailServer::default();
            // The digests search like the portal does, with a board of their own.
            let boards = crate::vacancies::search::BoardCache::new(64);
            loop {
                if mail.due() {
                    match deliver_due(&pool, &transport, mail_retention) {
                        Ok(pass) => mail.after(pass.server_unreachable),
                        Err(e) => tracing::error!(error = %e, "mail worker pass failed"),
                    }
                }
                if let Ok(mut conn) = pool.get() {
                    housekeeping(&mut conn);
                    let now = chrono::Utc::now().naive_utc();
                    match crate::alerts::digest::run(&mut conn, &boards, now, &base_url) {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(sent = n, "job-alert digests queued"),
                        Err(e) => tracing::warn!(error = %e, "job-alert digests failed"),
                    }
                    if cards_ran.is_none_or(|t| t.elapsed() >= CARD_JOBS_EVERY) {
                        cards_ran = Some(Instant::now());
                        card_jobs(&mut conn, &base_url);
                        match crate::import::worker::remove_old_files(&mut conn, &import_files) {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(removed = n, "old import files removed"),
                            Err(e) => {
                                tracing::warn!(error = %e, "removing old import files failed")
                            }
                        }
                        match crate::exports::worker::remove_expired(&mut conn, &job_files) {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(removed = n, "expired export files removed"),
                            Err(e) => {
                                tracing::warn!(error = %e, "removing expired export files failed")
                            }
                        }
                    }
                }
                std::thread::sleep(IDLE_PAUSE);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start the background worker");
    }
}

/// The mail server as the worker last found it. While it cannot be reached the worker
/// asks again after 5, 10, 20 ... up to 60 seconds (a server that does not answer costs a
/// 20-second timeout each time), and the log says once that it went and once that it came
/// back, not at every pass.
#[derive(Default)]
struct MailServer {
    down: Option<(Instant, Duration)>,
    next_try: Option<Instant>,
}

impl MailServer {
    const LONGEST_PAUSE: Duration = Duration::from_secs(60);

    fn due(&self) -> bool {
        self.next_try.is_none_or(|t| Instant::now() >= t)
    }

    fn after(&mut self, unreachable: Option<String>) {
        match (unreachable, self.down) {
            (None, None) => {}
            (None, Some((since, _))) => {
                tracing::info!(
                    down_for_seconds = since.elapsed().as_secs(),
                    "mail server reachable again; waiting mail is being delivered"
                );
                *self = Self::default();
            }
            (Some(error), down) => {
                let (since, pause) = match down {
                    None => {
                        tracing::error!(%error, "mail server unreachable; mail waits in the outbox");
                        (Instant::now(), IDLE_PAUSE)
                    }
                    Some((since, pause)) => (since, (pause * 2).min(Self::LONGEST_PAUSE)),
                };
                self.down = Some((since, pause));
                self.next_try = Some(Instant::now() + pause);
            }
        }
    }
}

fn housekeeping(conn: &mut crate::db::DbConnection) {
    if let Err(e) = crate::accounts::throttle::prune(conn) {
        tracing::warn!(error = %e, "pruning throttle events failed");
    }
    if let Err(e) = crate::alerts::model::prune_stop_tokens(conn) {
        tracing::warn!(error = %e, "pruning old job-alert stop links failed");
    }
    if let Err(e) = crate::accounts::login_throttle::prune(conn) {
        tracing::warn!(error = %e, "pruning the login throttle failed");
    }
    if let Err(e) = crate::accounts::sessions::prune(conn) {
        tracing::warn!(error = %e, "pruning old sessions failed");
    }
    let today = crate::domain::calendar::today();
    match crate::vacancies::expire_due(conn, today) {
        Ok(0) => {}
        Ok(n) => tracing::info!(expired = n, "vacancies past their closing date expired"),
        Err(e) => tracing::warn!(error = %e, "expiring vacancies failed"),
    }
}

fn card_jobs(conn: &mut crate::db::DbConnection, base_url: &str) {
    let today = crate::domain::calendar::today();
    match crate::seekers::ak1::jobs::run_daily(conn, today, base_url) {
        Ok(s) => tracing::info!(
            lapsed = s.lapsed,
            expired = s.expired,
            reminded = s.reminded,
            "AK/I card jobs ran"
        ),
        Err(e) => tracing::warn!(error = %e, "AK/I card jobs failed"),
    }
    match crate::wlkp::due::remind(conn, today, base_url) {
        Ok(0) => {}
        Ok(n) => tracing::info!(companies = n, "WLKP reminders queued"),
        Err(e) => tracing::warn!(error = %e, "WLKP reminders failed"),
    }
}

/// Bulk imports on a thread of their own: writing a large file takes seconds to minutes,
/// and mail and housekeeping must not wait for it. One run at a time, and straight on to
/// the next while there is one.
fn spawn_imports(pool: Pool, files: std::path::PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("imports".into())
        .spawn(move || {
            loop {
                match crate::import::worker::run_once(&pool, &files) {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(e) => tracing::error!(error = %e, "import worker pass failed"),
                }
                std::thread::sleep(IMPORT_PAUSE);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start the import worker");
    }
}

/// File jobs (exports) on a thread of their own: a large export takes seconds to minutes,
/// and neither mail nor imports must wait for it. One job at a time, and straight on to
/// the next while there is one.
fn spawn_file_jobs(pool: Pool, files: std::path::PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("file-jobs".into())
        .spawn(move || {
            loop {
                match crate::exports::worker::run_once(&pool, &files) {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(e) => tracing::error!(error = %e, "file job worker pass failed"),
                }
                std::thread::sleep(IMPORT_PAUSE);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "could not start the file job worker");
    }
}
