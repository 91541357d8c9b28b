//! Issue 19, item 3: the portal under faults. PostgreSQL going away is played by a relay
//! the test cuts and restores, so the server other tests share keeps running.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::test as atest;

use crate::common::{Backend, TestApp};
use sibuser::config::DatabaseUrl;

/// A TCP relay from a loopback port to the PostgreSQL server. Cut, it closes every relayed
/// connection and hangs up on new ones at once, as a stopped server's port would refuse
/// them; restored, it relays again.
struct Relay {
    port: u16,
    open: Arc<AtomicBool>,
    live: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn to(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("relay port");
        let port = listener.local_addr().unwrap().port();
        let open = Arc::new(AtomicBool::new(true));
        let live: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (gate, streams) = (open.clone(), live.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if !gate.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let mut kept = streams.lock().unwrap();
                kept.push(client.try_clone().unwrap());
                kept.push(server.try_clone().unwrap());
                drop(kept);
                pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                pipe(server, client);
            }
        });
        Self { port, open, live }
    }

    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for stream in self.live.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Both);
    });
}

/// Where the URL's host and port stand in it.
fn server_of(url: &str) -> std::ops::Range<usize> {
    let at = url.find('@').expect("a user in the URL") + 1;
    at..at + url[at..].find('/').expect("a database in the URL")
}

#[actix_web::test]
async fn a_database_outage_answers_503_at_once_and_ends_without_a_restart() {
    let Some(mut app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let DatabaseUrl::Postgres(url) = app.db.url() else {
        unreachable!("a PostgreSQL test database");
    };
    let server = server_of(&url);
    let relay = Relay::to(url[server.clone()].to_owned());
    let mut relayed = url.clone();
    relayed.replace_range(server, &format!("127.0.0.1:{}", relay.port));
    let settings = (*app.portal.state.settings).clone();
    let pool = sibuser::db::connect(&DatabaseUrl::Postgres(relayed), 4).expect("pool");
    app.portal = sibuser::Portal::new(pool, settings, actix_web::cookie::Key::generate());
    let service = atest::init_service(sibuser::build_app(app.portal.clone())).await;
    let get = |path: &'static str| {
        atest::TestRequest::get()
            .uri(path)
            .insert_header(("Accept-Language", "id"))
            .to_request()
    };

    let res = atest::call_service(&service, get("/readyz")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = atest::call_service(&service, get("/lowongan")).await;
    assert_eq!(res.status(), StatusCode::OK);

    // The server goes away. Every request, the health check first, is refused at once (the
    // bound only tells that from waiting out the pool's ten seconds), and a person gets
    // the page in their language.
    relay.cut();
    for path in ["/readyz", "/lowongan", "/readyz", "/pelatihan"] {
        let started = Instant::now();
        let res = atest::call_service(&service, get(path)).await;
        let waited = started.elapsed();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(
            waited < Duration::from_secs(3),
            "{path} waited {waited:?} for its 503"
        );
        let body = String::from_utf8_lossy(&atest::read_body(res).await).into_owned();
        if path == "/lowongan" {
            assert!(body.contains("<html lang=\"id\""), "{body}");
            assert!(body.contains("Layanan sedang tidak tersedia"), "{body}");
        } else if path == "/readyz" {
            assert!(body.contains("\"unavailable\""), "{body}");
        }
    }

    // It comes back: the portal serves again by itself, without a restart.
    relay.restore();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let res = atest::call_service(&service, get("/readyz")).await;
        if res.status() == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {} after 20 s",
            res.status()
        );
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    let res = atest::call_service(&service, get("/lowongan")).await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// A small file system of its own, mounted for one test (tmpfs, so root only).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// `None` when this user may not mount, said on stderr; as root (CI) a failure to
    /// mount fails the test.
    fn mount(bytes: usize) -> Option<Self> {
        let dir = tempfile::tempdir().expect("mount point");
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status();
        if status.is_ok_and(|s| s.success()) {
            return Some(Self { dir });
        }
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        assert!(!root, "root could not mount a tmpfs");
        eprintln!("mounting a small file system needs root: the disk-full test did not run");
        None
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Fills the file system to the last byte; the filler is removed to make room again.
    fn fill(&self) -> std::path::PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 4096];
        loop {
            if let Err(e) = file.write_all(&block) {
                assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "{e}");
                break;
            }
        }
        // What is left is less than a block: write it byte by byte.
        while file.write_all(&[0]).is_ok() {}
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

/// Issue 19, item 3: the disk is full while a resident uploads a CV. They are told so in
/// their language on the CV's page, nothing is half-written (no file, no row, no audit
/// entry), and once there is room again the same upload works.
#[actix_web::test]
async fn a_full_disk_refuses_a_cv_clearly_and_leaves_nothing_behind() {
    use crate::common::{seed_demo, signed_in, with_conn};
    use diesel::prelude::*;
    use sibuser::schema::audit_log;

    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(disk) = Tmpfs::mount(512 * 1024) else {
            return;
        };
        let data_dir = disk.path().to_str().unwrap().to_owned();
        let Some(app) =
            TestApp::spawn_with(backend, &[("SIBUSER_DATA_DIR", data_dir.as_str())]).await
        else {
            continue;
        };
        seed_demo(&app);
        let browser = signed_in(&app, "pencaker@sibuser.example").await;
        let stored = |app: &TestApp| -> (Option<String>, i64) {
            let uploads = with_conn(app, |c| {
                audit_log::table
                    .filter(audit_log::action.eq("seeker.cv_uploaded"))
                    .count()
                    .get_result(c)
                    .unwrap()
            });
            (crate::seekers::cv_file(app), uploads)
        };
        let cv_files = || -> Vec<String> {
            std::fs::read_dir(disk.path().join("cv"))
                .map(|d| {
                    d.flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default()
        };
        let before = stored(&app);
        let filler = disk.fill();

        let pdf = crate::seekers::plain_pdf();
        let res = crate::seekers::upload_to(&browser, "/pencaker/cv", "cv-saya.pdf", &pdf).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        let page = browser.get(res.header("location").unwrap()).await;
        page.assert_contains("ruang penyimpanan portal sedang penuh");
        assert_eq!(
            stored(&app),
            before,
            "{backend:?}: no row and no audit entry"
        );
        assert!(
            cv_files().is_empty(),
            "{backend:?}: no file left behind: {:?}",
            cv_files()
        );

        // Room again: the same upload goes through.
        std::fs::remove_file(filler).unwrap();
        let res = crate::seekers::upload_to(&browser, "/pencaker/cv", "cv-saya.pdf", &pdf).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{backend:?}");
        let (cv, uploads) = stored(&app);
        assert_eq!(uploads, before.1 + 1, "{backend:?}");
        assert_eq!(cv_files(), vec![cv.expect("the CV is on the profile")]);
    }
}
