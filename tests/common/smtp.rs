//! A real SMTP server on loopback for the tests: Python's aiosmtpd, delivering into a
//! Maildir that the test reads. `scripts/test.sh` installs it.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SmtpServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl SmtpServer {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        Self::start_on(port)
    }

    /// A server on this port, which the portal was told of before the server was there.
    pub fn start_on(port: u16) -> Self {
        let dir = tempfile::tempdir().expect("maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("Maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (pip install aiosmtpd)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { port, dir, child }
    }

    /// Settings that send the app's mail here.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SIBUSER_SMTP_HOST", "127.0.0.1".into()),
            ("SIBUSER_SMTP_PORT", self.port.to_string()),
            ("SIBUSER_SMTP_SECURITY", "none".into()),
            (
                "SIBUSER_MAIL_FROM",
                "SIBUSER <noreply@sibuser.example>".into(),
            ),
        ]
    }

    /// Every delivered message, raw.
    pub fn messages(&self) -> Vec<String> {
        let new: PathBuf = self.dir.path().join("Maildir/new");
        let mut out: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&new)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| {
                        let modified = e.metadata().ok()?.modified().ok()?;
                        Some((modified, std::fs::read_to_string(e.path()).ok()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out.into_iter().map(|(_, m)| m).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
