//! Signing in through SIAPkerja's single sign-on (issue 17, item 3), with the national
//! sandbox as the OpenID Connect provider: an account is linked by its owner (password
//! first), then signs in through the provider; an unknown, declined, replayed, foreign or
//! tampered answer signs nobody in and says why; a provider that cannot be reached leaves
//! the password form working.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use sibuser::demo::DEMO_PASSWORD;
use sibuser::national::sandbox;
use sibuser::schema::{audit_log, external_identities};

use crate::common::browser::Browser;
use crate::common::{Backend, TestApp, seed_demo, user_id, with_conn};
use crate::national::{Sandbox, options};

const SEEKER: &str = "pencaker@sibuser.example";
const OPERATOR: &str = "operator@sibuser.example";

/// A portal on `backend` that signs in through the sandbox at `base`.
async fn portal(backend: Backend, base: &str) -> Option<TestApp> {
    let issuer = format!("{base}/oidc");
    let client = sandbox::OidcClient::default();
    let app = TestApp::spawn_with(
        backend,
        &[
            ("SIBUSER_OIDC_ISSUER", &issuer),
            ("SIBUSER_OIDC_CLIENT_ID", &client.id),
            ("SIBUSER_OIDC_CLIENT_SECRET", &client.secret),
        ],
    )
    .await?;
    seed_demo(&app);
    Some(app)
}

/// The person at the provider's page: signs in as `subject`, or declines with `None`.
/// Returns the portal path the provider sends the browser back to.
fn at_provider(authorize_url: &str, subject: Option<&str>) -> String {
    let page = ureq::get(authorize_url)
        .call()
        .expect("the provider's page");
    assert_eq!(page.status(), 200);
    let (base, query) = authorize_url.split_once('?').expect("a query");
    let mut fields: Vec<(String, String)> =
        serde_urlencoded::from_str(query).expect("the authorization request");
    fields.push(("subject".into(), subject.unwrap_or_default().into()));
    let decision = if subject.is_some() { "allow" } else { "deny" };
    fields.push(("decision".into(), decision.into()));
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let answer = agent
        .post(base)
        .send_form(&pairs)
        .expect("the provider answers");
    assert_eq!(answer.status(), 303, "the provider sends the browser back");
    let location = answer.header("location").expect("a location").to_owned();
    let path = location
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        .expect("an absolute URL back");
    assert!(path.starts_with("/masuk/sso/kembali?"), "{path}");
    path
}

/// Starts a flow with a form post and returns the provider URL it leads to.
async fn leave(browser: &Browser<'_>, page: &str, action: &str, fields: &[(&str, &str)]) -> String {
    let res = browser.submit(page, action, fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to = res.header("location").expect("a location").to_owned();
    assert!(to.contains("/oidc/authorize?"), "{to}");
    assert!(
        to.contains("code_challenge_method=S256") && to.contains("nonce="),
        "PKCE and a nonce: {to}"
    );
    to
}

/// Links the signed-in account of `browser` to the provider's `subject`, as its owner
/// does on the account page: the provider's answer, as the portal takes it.
async fn link(browser: &Browser<'_>, subject: &str) -> crate::common::TestResponse {
    let to = leave(
        browser,
        "/akun",
        "/akun/sso",
        &[("current_password", DEMO_PASSWORD)],
    )
    .await;
    browser.get(&at_provider(&to, Some(subject))).await
}

fn audited(app: &TestApp, action: &str) -> Vec<Option<String>> {
    with_conn(app, |c| {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .select(audit_log::detail)
            .load::<Option<String>>(c)
            .unwrap()
    })
}

fn links(app: &TestApp) -> Vec<(i32, String)> {
    with_conn(app, |c| {
        external_identities::table
            .select((external_identities::user_id, external_identities::subject))
            .order(external_identities::id)
            .load(c)
            .unwrap()
    })
}

#[actix_web::test]
async fn a_resident_links_siapkerja_then_signs_in_through_it() {
    let sandbox = Sandbox::with(options());
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = portal(backend, &sandbox.base).await else {
            continue;
        };
        let browser = Browser::new(&app);
        let res = browser.sign_in(SEEKER, DEMO_PASSWORD).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);

        let account = browser.get("/akun").await;
        account.assert_contains("Hubungkan dengan SIAPkerja");
        let csp = account
            .header("content-security-policy")
            .unwrap_or_default();
        assert!(
            csp.contains(&format!("form-action 'self' {}", sandbox.base)),
            "the page's forms may leave for the provider: {csp}"
        );

        // The password comes first: a stolen session cannot add a way in.
        let wrong = browser
            .post("/akun/sso", &[("current_password", "bukan-sandinya")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        wrong.assert_contains("id=\"sso_password-error\"");
        assert!(links(&app).is_empty());

        let to = leave(
            &browser,
            "/akun",
            "/akun/sso",
            &[("current_password", DEMO_PASSWORD)],
        )
        .await;
        let back = at_provider(&to, Some("siapkerja-7781"));
        let res = browser.get(&back).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(res.header("location"), Some("/akun"));
        let account = browser.get("/akun").await;
        account.assert_contains("Akun SIAPkerja dihubungkan");
        account.assert_contains("terhubung dengan SIAPkerja sejak");
        assert_eq!(
            links(&app),
            vec![(user_id(&app, SEEKER), "siapkerja-7781".to_owned())]
        );
        assert_eq!(audited(&app, "sso.linked").len(), 1);
        // The link is the person's data: in their copy of it.
        let own = browser.get("/pencaker/data-saya.json").await;
        own.assert_contains("\"subject\": \"siapkerja-7781\"");

        // Signed out, the resident comes back through SIAPkerja, to where they were going.
        browser.post("/keluar", &[]).await;
        let login = browser.get("/masuk").await;
        login.assert_contains("Masuk dengan SIAPkerja");
        let to = leave(&browser, "/masuk", "/masuk/sso", &[("next", "/lowongan")]).await;
        let back = at_provider(&to, Some("siapkerja-7781"));
        let res = browser.get(&back).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(res.header("location"), Some("/lowongan"));
        let account = browser.get("/akun").await;
        assert_eq!(account.status, StatusCode::OK);
        account.assert_contains(SEEKER);
        let sign_ins = audited(&app, "login.succeeded");
        assert!(
            sign_ins
                .iter()
                .any(|d| d.as_deref().is_some_and(|d| d.contains("\"via\":\"sso\""))),
            "the sign-in is audited as one through the provider: {sign_ins:?}"
        );
        assert!(
            with_conn(&app, |c| external_identities::table
                .select(external_identities::last_used_at)
                .first::<Option<chrono::NaiveDateTime>>(c)
                .unwrap())
            .is_some(),
            "the link remembers when it was last used"
        );

        // The answer is good once: the same address again signs nobody in.
        browser.post("/keluar", &[]).await;
        let again = browser.get(&back).await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        again.assert_contains("Permintaan masuk sudah tidak berlaku");
        assert_eq!(browser.get("/akun").await.status, StatusCode::SEE_OTHER);

        // Unlinked, the same SIAPkerja account no longer opens this one.
        browser.sign_in(SEEKER, DEMO_PASSWORD).await;
        browser.get("/akun").await;
        let res = browser.post("/akun/sso/lepas", &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(links(&app).is_empty());
        assert_eq!(audited(&app, "sso.unlinked").len(), 1);
        browser.post("/keluar", &[]).await;
        let to = leave(&browser, "/masuk", "/masuk/sso", &[]).await;
        let res = browser.get(&at_provider(&to, Some("siapkerja-7781"))).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains("belum dihubungkan");

        // An erased account takes its link with it.
        browser.sign_in(SEEKER, DEMO_PASSWORD).await;
        link(&browser, "siapkerja-7781").await;
        assert_eq!(links(&app).len(), 1);
        browser.get("/pencaker/data-saya").await;
        let res = browser
            .post(
                "/pencaker/hapus-akun",
                &[("password", DEMO_PASSWORD), ("konfirmasi", "HAPUS")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(links(&app).is_empty());
    }
}

#[actix_web::test]
async fn a_foreign_declined_or_tampered_answer_signs_nobody_in() {
    let sandbox = Sandbox::with(options());
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = portal(backend, &sandbox.base).await else {
            continue;
        };
        // A SIAPkerja account nobody linked: a message, and no session.
        let stranger = Browser::new(&app);
        let to = leave(&stranger, "/masuk", "/masuk/sso", &[]).await;
        let res = stranger.get(&at_provider(&to, Some("orang-asing"))).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains("Akun ini belum dihubungkan");
        assert_eq!(stranger.get("/akun").await.status, StatusCode::SEE_OTHER);
        assert_eq!(audited(&app, "login.sso_unlinked").len(), 1);

        // Declined at the provider: back to the sign-in page, told nothing changed.
        let to = leave(&stranger, "/masuk", "/masuk/sso", &[]).await;
        let res = stranger.get(&at_provider(&to, None)).await;
        assert_eq!(res.header("location"), Some("/masuk"));
        stranger
            .get("/masuk")
            .await
            .assert_contains("dibatalkan. Tidak ada yang berubah");

        // The operator links an account; an answer for that account reaches another
        // browser (a link sent to someone, a forged redirect): its state is not that
        // browser's, so it signs nobody in there.
        let operator = Browser::new(&app);
        operator.sign_in(OPERATOR, DEMO_PASSWORD).await;
        let res = link(&operator, "petugas-01").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let somebody = Browser::new(&app);
        let to = leave(&somebody, "/masuk", "/masuk/sso", &[]).await;
        let other = Browser::new(&app);
        let res = other.get(&at_provider(&to, Some("petugas-01"))).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(other.get("/akun").await.status, StatusCode::SEE_OTHER);

        // A code injected into another flow with that flow's state: PKCE binds the code
        // to the flow it was asked for, so the provider refuses it.
        let first = Browser::new(&app);
        let second = Browser::new(&app);
        let to_first = leave(&first, "/masuk", "/masuk/sso", &[]).await;
        let to_second = leave(&second, "/masuk", "/masuk/sso", &[]).await;
        let back_first = at_provider(&to_first, Some("petugas-01"));
        let code = back_first
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("code="))
            .unwrap();
        let state_second = to_second
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("state="))
            .unwrap();
        let res = second
            .get(&format!(
                "/masuk/sso/kembali?code={code}&state={state_second}"
            ))
            .await;
        assert_eq!(res.status, StatusCode::BAD_GATEWAY, "{}", res.body);
        res.assert_contains("tidak dapat diterima");
        assert_eq!(second.get("/akun").await.status, StatusCode::SEE_OTHER);

        // A tampered state, or a callback with no flow at all.
        let to = leave(&first, "/masuk", "/masuk/sso", &[]).await;
        let back = at_provider(&to, Some("petugas-01")).replace("state=", "state=x");
        assert_eq!(first.get(&back).await.status, StatusCode::BAD_REQUEST);
        let fresh = Browser::new(&app);
        let res = fresh.get("/masuk/sso/kembali?code=abc&state=def").await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(fresh.get("/akun").await.status, StatusCode::SEE_OTHER);

        // The operator's SIAPkerja account cannot be linked to the resident's too.
        let seeker = Browser::new(&app);
        seeker.sign_in(SEEKER, DEMO_PASSWORD).await;
        let res = link(&seeker, "petugas-01").await;
        assert_eq!(res.header("location"), Some("/akun"));
        seeker
            .get("/akun")
            .await
            .assert_contains("sudah terhubung dengan akun SIBUSER lain");
        assert_eq!(
            links(&app),
            vec![(user_id(&app, OPERATOR), "petugas-01".to_owned())]
        );
    }
}

#[actix_web::test]
async fn a_provider_that_cannot_be_reached_leaves_the_password_form_working() {
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = portal(backend, &base).await else {
            continue;
        };
        let browser = Browser::new(&app);
        let res = browser
            .submit("/masuk", "/masuk/sso", &[("next", "/lowongan")])
            .await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
        res.assert_contains("tidak dapat dihubungi");
        res.assert_contains("name=\"password\"");
        res.assert_contains("value=\"/lowongan\"");
        let res = browser.sign_in(SEEKER, DEMO_PASSWORD).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
}

#[actix_web::test]
async fn without_a_provider_there_is_no_button_and_no_route() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let browser = Browser::new(&app);
    browser.get("/masuk").await.assert_lacks("/masuk/sso");
    let res = browser.post("/masuk/sso", &[]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn over_https_the_provider_is_trusted_by_its_pinned_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = crate::national::self_signed(dir.path(), "siapkerja-sso");
    let sandbox = Sandbox::with(sandbox::Options {
        tls: Some(sandbox::Tls {
            cert: cert.clone(),
            key,
        }),
        ..options()
    });
    assert!(sandbox.base.starts_with("https://"));
    let issuer = format!("{}/oidc", sandbox.base);
    let client = sandbox::OidcClient::default();
    let settings = [
        ("SIBUSER_OIDC_ISSUER", issuer.as_str()),
        ("SIBUSER_OIDC_CLIENT_ID", client.id.as_str()),
        ("SIBUSER_OIDC_CLIENT_SECRET", client.secret.as_str()),
    ];
    // The system's roots do not know the sandbox's certificate: the button says the
    // provider cannot be reached.
    let app = TestApp::spawn_with(Backend::Sqlite, &settings)
        .await
        .unwrap();
    let res = Browser::new(&app).submit("/masuk", "/masuk/sso", &[]).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    // Pinned to it, the flow starts at the provider's HTTPS address.
    let pin = cert.to_str().unwrap();
    let mut pinned = settings.to_vec();
    pinned.push(("SIBUSER_OIDC_CA_CERT", pin));
    let app = TestApp::spawn_with(Backend::Sqlite, &pinned).await.unwrap();
    let to = leave(&Browser::new(&app), "/masuk", "/masuk/sso", &[]).await;
    assert!(to.starts_with(&format!("{issuer}/authorize?")), "{to}");
}
