//! A small WebDriver client for the browser tests: Debian's Chromium driven through
//! chromedriver, both on loopback. Enough for navigating, typing, clicking and running
//! axe-core; nothing more.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

pub fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A child process that is killed when the test ends, pass or fail.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Browser {
    base: String,
    session: String,
    _driver: Process,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a phone-sized window.
    pub fn start() -> Self {
        Self::start_with(true)
    }

    /// The same, with the page's own script turned off, as some residents' phones have it
    /// (WebDriver's scripts still run: they are how the test looks at the page).
    pub fn start_without_script() -> Self {
        Self::start_with(false)
    }

    fn start_with(script: bool) -> Self {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver)");
        let driver = Process(driver);
        wait_for_port(port, "chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let base = format!("http://127.0.0.1:{port}");
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--window-size=390,844",
                        format!("--user-data-dir={}", profile.path().display()),
                    ],
                    "prefs": {
                        "profile.managed_default_content_settings.javascript":
                            if script { 1 } else { 2 }
                    }
                }
            }}
        });
        let value = post(&format!("{base}/session"), caps);
        let session = value["sessionId"]
            .as_str()
            .expect("a WebDriver session")
            .to_owned();
        Self {
            base,
            session,
            _driver: driver,
            _profile: profile,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.session)
    }

    /// Sets the size of the page's viewport (a phone's 360 × 640, a desktop's 1366 × 768).
    /// A headless window is at least 500 px wide, so a phone's width is the DevTools'
    /// device emulation, as Chromium's own device mode does it; the window is made large
    /// enough to hold it.
    pub fn resize(&self, width: u64, height: u64) {
        post(
            &self.url("/window/rect"),
            json!({ "width": width.max(500) + 16, "height": height + 160 }),
        );
        post(
            &self.url("/goog/cdp/execute"),
            json!({
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": {
                    "width": width, "height": height, "deviceScaleFactor": 1,
                    "mobile": width < 600,
                }
            }),
        );
    }

    pub fn go(&self, url: &str) {
        post(&self.url("/url"), json!({ "url": url }));
    }

    pub fn title(&self) -> String {
        get(&self.url("/title"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until the page has this title: a click that submits a form returns before
    /// the next page has loaded.
    pub fn wait_for_title(&self, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let title = self.title();
            if title == expected {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "expected the page {expected:?}, still on {title:?}:\n{}",
                self.source()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the page contains the text.
    pub fn wait_for_text(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.source().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "expected {needle:?} on the page:\n{}",
                self.source()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn source(&self) -> String {
        get(&self.url("/source"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn element(&self, css: &str) -> String {
        let value = post(
            &self.url("/element"),
            json!({ "using": "css selector", "value": css }),
        );
        value[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {value}"))
            .to_owned()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        post(
            &self.url(&format!("/element/{id}/value")),
            json!({ "text": text }),
        );
    }

    pub fn click(&self, css: &str) {
        let id = self.element(css);
        post(&self.url(&format!("/element/{id}/click")), json!({}));
    }

    pub fn execute(&self, script: &str, args: Value) -> Value {
        post(
            &self.url("/execute/sync"),
            json!({ "script": script, "args": args }),
        )
    }

    /// Lays the page out for `print` (or back for `screen`, with "").
    pub fn emulate_media(&self, media: &str) {
        post(
            &self.url("/goog/cdp/execute"),
            json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": media } }),
        );
    }

    /// Prints the page to PDF as Chromium's print dialog would, with the page size the page's
    /// own CSS asks for (`@page { size }`).
    pub fn print_pdf(&self) -> Vec<u8> {
        use base64::Engine as _;
        let printed = post(
            &self.url("/goog/cdp/execute"),
            json!({
                "cmd": "Page.printToPDF",
                "params": { "preferCSSPageSize": true, "printBackground": true }
            }),
        );
        base64::engine::general_purpose::STANDARD
            .decode(printed["data"].as_str().expect("a PDF"))
            .expect("base64")
    }

    /// Saves what the viewport shows as a PNG, for a person to review.
    pub fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine as _;
        let png = get(&self.url("/screenshot"));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().expect("a screenshot"))
            .expect("base64");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, bytes).expect("screenshot written");
    }

    pub fn execute_async(&self, script: &str) -> Value {
        post(
            &self.url("/execute/async"),
            json!({ "script": script, "args": [] }),
        )
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
    }
}

fn post(url: &str, body: Value) -> Value {
    let response = ureq::post(url)
        .timeout(Duration::from_secs(60))
        .send_json(body);
    read(url, response)
}

fn get(url: &str) -> Value {
    read(url, ureq::get(url).timeout(Duration::from_secs(60)).call())
}

fn read(url: &str, response: Result<ureq::Response, ureq::Error>) -> Value {
    match response {
        Ok(r) => r.into_json::<Value>().expect("WebDriver JSON")["value"].clone(),
        Err(ureq::Error::Status(code, r)) => {
            panic!(
                "WebDriver {url}: {code} {}",
                r.into_string().unwrap_or_default()
            )
        }
        Err(e) => panic!("WebDriver {url}: {e}"),
    }
}
