//! A browser's view of the app: it keeps cookies between requests and submits forms with
//! the CSRF token of the page they were on.

use std::cell::RefCell;
use std::collections::BTreeMap;

use actix_web::cookie::Cookie;
use actix_web::test::TestRequest;

use super::{TestApp, TestResponse};

pub struct Browser<'a> {
    pub app: &'a TestApp,
    /// Each browser is a different visitor, with an address of its own (loopback).
    address: std::net::SocketAddr,
    cookies: RefCell<BTreeMap<String, String>>,
    /// The CSRF token of the last page that had a form.
    token: RefCell<Option<String>>,
    /// Headers sent with every request (a proxy's `X-Forwarded-For`).
    headers: RefCell<Vec<(String, String)>>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let ip = std::net::Ipv4Addr::new(
            127,
            ((n >> 16) & 0xff) as u8,
            ((n >> 8) & 0xff) as u8,
            (n & 0xff) as u8,
        );
        Self::at(app, ip.into())
    }

    /// A browser whose requests come from `ip` (several browsers can share one address,
    /// as visitors behind one proxy do).
    pub fn at(app: &'a TestApp, ip: std::net::IpAddr) -> Self {
        Self {
            app,
            address: std::net::SocketAddr::from((ip, 40000)),
            cookies: RefCell::default(),
            token: RefCell::default(),
            headers: RefCell::default(),
        }
    }

    /// Sends `name: value` with every request from now on.
    pub fn set_header(&self, name: &str, value: &str) {
        let mut headers = self.headers.borrow_mut();
        headers.retain(|(n, _)| n != name);
        headers.push((name.to_owned(), value.to_owned()));
    }

    pub fn address(&self) -> std::net::IpAddr {
        self.address.ip()
    }

    fn with_cookies(&self, req: TestRequest) -> TestRequest {
        let mut req = req.peer_addr(self.address);
        for (name, value) in self.headers.borrow().iter() {
            req = req.insert_header((name.as_str(), value.as_str()));
        }
        for (name, value) in self.cookies.borrow().iter() {
            req = req.cookie(Cookie::new(name.clone(), value.clone()));
        }
        req
    }

    fn keep(&self, res: &TestResponse) {
        for value in res.headers.get_all("set-cookie") {
            let Ok(text) = value.to_str() else { continue };
            // Values arrive percent-encoded; the test request encodes them again when sending.
            let Ok(cookie) = Cookie::parse_encoded(text.to_owned()) else {
                continue;
            };
            let expired =
                cookie.max_age().is_some_and(|a| a.is_zero()) || cookie.value().is_empty();
            if expired {
                self.cookies.borrow_mut().remove(cookie.name());
            } else {
                self.cookies
                    .borrow_mut()
                    .insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
        if let Some(token) = csrf_token_in(&res.body) {
            *self.token.borrow_mut() = Some(token);
        }
    }

    pub async fn send(&self, req: TestRequest) -> TestResponse {
        let res = self.app.request(self.with_cookies(req)).await;
        self.keep(&res);
        res
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(TestRequest::get().uri(path)).await
    }

    /// Posts the fields as a form, with the CSRF token of the last page seen.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        if let Some(token) = self.token.borrow().clone() {
            all.push(("csrf_token".into(), token));
        }
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(String, String)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).expect("form encoding");
        self.send(
            TestRequest::post()
                .uri(path)
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(body),
        )
        .await
    }

    /// Opens the page with the form, then submits it.
    pub async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> TestResponse {
        let form_page = self.get(page).await;
        assert!(
            form_page.status.is_success(),
            "opening {page}: {}",
            form_page.status
        );
        self.post(action, fields).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> TestResponse {
        self.submit(
            "/masuk",
            "/masuk",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.borrow().contains_key(name)
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .borrow_mut()
            .insert(name.to_owned(), value.to_owned());
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.borrow().get(name).cloned()
    }
}

pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}
