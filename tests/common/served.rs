//! A real `sibuser serve` process on loopback, and a visitor that talks HTTP to it keeping
//! cookies and the CSRF token of the last form page, as a browser does. For what a service
//! inside the test cannot show: a process killed and started again, or several processes
//! on one database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sibuser::config::DatabaseUrl;

use super::browser::csrf_token_in;
use super::webdriver::free_port;

/// `DATABASE_URL` as the process reads it.
pub fn url_text(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        DatabaseUrl::Postgres(url) => url.clone(),
    }
}

/// `sibuser serve --demo` (the demo is loaded only into an empty database).
pub struct Served {
    pub base: String,
    child: Option<Child>,
    log: PathBuf,
}

impl Served {
    /// Starts the portal on a free port and waits until it is ready. Its log goes to a
    /// file in `data_dir`, shown if it does not come up.
    pub fn start(database_url: &str, data_dir: &Path, env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let log = data_dir.join(format!("serve-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("a log file");
        let child = Command::new(env!("CARGO_BIN_EXE_sibuser"))
            .args(["serve", "--demo"])
            .current_dir(data_dir)
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("SIBUSER_DATA_DIR", data_dir)
            .env("SIBUSER_BIND", format!("127.0.0.1:{port}"))
            .env("SIBUSER_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("sibuser serve");
        let mut served = Self {
            base: format!("http://127.0.0.1:{port}"),
            child: Some(child),
            log,
        };
        served.wait_ready();
        served
    }

    fn wait_ready(&mut self) {
        // Migrating and seeding an empty PostgreSQL database takes a while in a debug build.
        let deadline = Instant::now() + Duration::from_secs(180);
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(5))
            .build();
        loop {
            if let Ok(res) = agent.get(&format!("{}/readyz", self.base)).call()
                && res.status() == 200
            {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("sibuser serve exited with {status}:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "sibuser serve was not ready in time:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What the process wrote to its log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A response: the status, where a redirect goes, and the body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// One person's browser, usable from several threads and against several instances (the
/// URL names the instance).
pub struct Visitor {
    agent: ureq::Agent,
    cookies: Mutex<BTreeMap<String, String>>,
    token: Mutex<Option<String>>,
}

impl Default for Visitor {
    fn default() -> Self {
        Self::new()
    }
}

impl Visitor {
    pub fn new() -> Self {
        Self {
            agent: ureq::AgentBuilder::new()
                .redirects(0)
                .timeout(Duration::from_secs(60))
                .build(),
            cookies: Mutex::default(),
            token: Mutex::default(),
        }
    }

    /// `Err` when no answer came (the server is gone, or the connection broke).
    pub fn get(&self, url: &str) -> Result<Answer, String> {
        let req = self.agent.get(url);
        self.send(req, None)
    }

    /// Posts the fields as a form with the CSRF token of the last page seen.
    pub fn post(&self, url: &str, fields: &[(&str, &str)]) -> Result<Answer, String> {
        let mut all: Vec<(&str, String)> =
            fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        if let Some(token) = self.token.lock().unwrap().clone() {
            all.push(("csrf_token", token));
        }
        let body = serde_urlencoded::to_string(&all).expect("form encoding");
        let req = self
            .agent
            .post(url)
            .set("Content-Type", "application/x-www-form-urlencoded");
        self.send(req, Some(body))
    }

    /// Signs in at `base` (any instance), answering the redirect's target.
    pub fn sign_in(&self, base: &str, email: &str, password: &str) -> Answer {
        let page = self
            .get(&format!("{base}/masuk"))
            .expect("the sign-in page");
        assert_eq!(page.status, 200, "{}", page.body);
        let res = self
            .post(
                &format!("{base}/masuk"),
                &[("email", email), ("password", password)],
            )
            .expect("signing in");
        assert_eq!(res.status, 303, "signing in as {email}: {}", res.body);
        res
    }

    fn send(&self, mut req: ureq::Request, body: Option<String>) -> Result<Answer, String> {
        let cookie = self
            .cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        if !cookie.is_empty() {
            req = req.set("Cookie", &cookie);
        }
        req = req.set("Accept-Language", "id");
        let result = match body {
            Some(body) => req.send_string(&body),
            None => req.call(),
        };
        let res = match result {
            Ok(res) => res,
            Err(ureq::Error::Status(_, res)) => res,
            Err(e) => return Err(e.to_string()),
        };
        self.keep_cookies(&res);
        let status = res.status();
        let location = res.header("location").map(str::to_owned);
        let body = res.into_string().map_err(|e| e.to_string())?;
        if let Some(token) = csrf_token_in(&body) {
            *self.token.lock().unwrap() = Some(token);
        }
        Ok(Answer {
            status,
            location,
            body,
        })
    }

    fn keep_cookies(&self, res: &ureq::Response) {
        let mut cookies = self.cookies.lock().unwrap();
        for set in res.all("set-cookie") {
            let Some((name, rest)) = set.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or("");
            let gone = value.is_empty() || set.to_ascii_lowercase().contains("max-age=0");
            if gone {
                cookies.remove(name.trim());
            } else {
                cookies.insert(name.trim().to_owned(), value.to_owned());
            }
        }
    }
}
