//! The sandbox as SIAPkerja's OpenID Connect provider (single sign-on), for tests and the
//! demo: discovery, keys, an authorization page where anyone may say who they are (it is a
//! sandbox), and the token endpoint. It does what a real provider must for the portal to be
//! tested honestly: one registered client with a secret, the authorization code flow with
//! PKCE (S256) only, codes used once within a minute and bound to the client, redirect and
//! verifier, and ID tokens signed RS256 with a key made at start.
//!
//! Its issuer is `{scheme}://{host}/oidc` as the request names the host, so it is right
//! whatever port the sandbox was given.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreIdTokenFields, CoreJsonWebKey, CoreJsonWebKeySet,
    CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType, CoreSubjectIdentifierType,
    CoreTokenResponse, CoreTokenType,
};
use openidconnect::{
    AccessToken, Audience, AuthUrl, EmptyAdditionalClaims, EmptyAdditionalProviderMetadata,
    EmptyExtraTokenFields, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce, PrivateSigningKey,
    ResponseTypes, SigningError, StandardClaims, SubjectIdentifier, TokenUrl,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The one client the provider knows: the portal under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcClient {
    pub id: String,
    pub secret: String,
}

impl Default for OidcClient {
    fn default() -> Self {
        Self {
            id: "sibuser".into(),
            secret: "sandbox-secret".into(),
        }
    }
}

/// How long a code may wait for the token request.
const CODE_FOR: Duration = Duration::from_secs(60);

struct Grant {
    redirect_uri: String,
    challenge: String,
    nonce: Option<String>,
    subject: String,
    issued: Instant,
}

pub(super) struct Provider {
    client: OidcClient,
    key: SigningKey,
    grants: Mutex<HashMap<String, Grant>>,
}

impl Provider {
    pub(super) fn new(client: OidcClient) -> std::io::Result<Self> {
        Ok(Self {
            client,
            key: SigningKey::generate()?,
            grants: Mutex::new(HashMap::new()),
        })
    }
}

/// The ID tokens' key: RSA through OpenSSL (fast in a debug build, unlike pure Rust).
struct SigningKey {
    pair: openssl::pkey::PKey<openssl::pkey::Private>,
    n: Vec<u8>,
    e: Vec<u8>,
}

impl SigningKey {
    fn generate() -> std::io::Result<Self> {
        let rsa = openssl::rsa::Rsa::generate(2048).map_err(std::io::Error::other)?;
        let (n, e) = (rsa.n().to_vec(), rsa.e().to_vec());
        Ok(Self {
            pair: openssl::pkey::PKey::from_rsa(rsa).map_err(std::io::Error::other)?,
            n,
            e,
        })
    }
}

impl PrivateSigningKey for SigningKey {
    type VerificationKey = CoreJsonWebKey;

    fn sign(&self, alg: &CoreJwsSigningAlgorithm, message: &[u8]) -> Result<Vec<u8>, SigningError> {
        if *alg != CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256 {
            return Err(SigningError::UnsupportedAlg(format!("{alg:?}")));
        }
        let sign = || -> Result<Vec<u8>, openssl::error::ErrorStack> {
            let mut signer =
                openssl::sign::Signer::new(openssl::hash::MessageDigest::sha256(), &self.pair)?;
            signer.update(message)?;
            signer.sign_to_vec()
        };
        sign().map_err(|e| SigningError::Other(e.to_string()))
    }

    fn as_verification_key(&self) -> CoreJsonWebKey {
        CoreJsonWebKey::new_rsa(
            self.n.clone(),
            self.e.clone(),
            Some(JsonWebKeyId::new("sandbox-rs256".into())),
        )
    }
}

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/oidc/.well-known/openid-configuration",
        web::get().to(discovery),
    )
    .route("/oidc/jwks", web::get().to(jwks))
    .route("/oidc/authorize", web::get().to(authorize_page))
    .route("/oidc/authorize", web::post().to(authorize))
    .route("/oidc/token", web::post().to(token));
}

fn issuer(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}/oidc", info.scheme(), info.host())
}

async fn discovery(req: HttpRequest) -> HttpResponse {
    let issuer = issuer(&req);
    let url = |path: &str| format!("{issuer}{path}");
    let metadata = CoreProviderMetadata::new(
        IssuerUrl::new(issuer.clone()).expect("an URL"),
        AuthUrl::new(url("/authorize")).expect("an URL"),
        JsonWebKeySetUrl::new(url("/jwks")).expect("an URL"),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(TokenUrl::new(url("/token")).expect("an URL")));
    HttpResponse::Ok().json(metadata)
}

async fn jwks(provider: web::Data<Provider>) -> HttpResponse {
    HttpResponse::Ok().json(CoreJsonWebKeySet::new(vec![
        provider.key.as_verification_key(),
    ]))
}

/// What the portal sends the browser with.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct AuthorizeQuery {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

impl AuthorizeQuery {
    /// What makes the request unanswerable, before anyone signs in.
    fn problem(&self, provider: &Provider) -> Option<&'static str> {
        if self.client_id != provider.client.id {
            Some("unknown client_id")
        } else if self.response_type != "code" {
            Some("only response_type=code is supported")
        } else if !self.scope.split(' ').any(|s| s == "openid") {
            Some("the openid scope is missing")
        } else if self.code_challenge_method != "S256" || self.code_challenge.is_empty() {
            Some("PKCE with S256 is required")
        } else if !(self.redirect_uri.starts_with("http://")
            || self.redirect_uri.starts_with("https://"))
        {
            Some("redirect_uri is not an http(s) URL")
        } else {
            None
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn bad_request(why: &str) -> HttpResponse {
    HttpResponse::BadRequest()
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "The sandbox's provider refused the request: {why}\n"
        ))
}

/// The provider's sign-in page: the sandbox trusts whoever says who they are.
async fn authorize_page(
    provider: web::Data<Provider>,
    query: web::Query<AuthorizeQuery>,
) -> HttpResponse {
    if let Some(why) = query.problem(&provider) {
        return bad_request(why);
    }
    let hidden: String = [
        ("response_type", &query.response_type),
        ("client_id", &query.client_id),
        ("redirect_uri", &query.redirect_uri),
        ("scope", &query.scope),
        ("state", &query.state),
        ("nonce", &query.nonce),
        ("code_challenge", &query.code_challenge),
        ("code_challenge_method", &query.code_challenge_method),
    ]
    .iter()
    .map(|(name, value)| {
        format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        )
    })
    .collect();
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>SIAPkerja (sandbox)</title></head><body><main>\
             <h1>SIAPkerja (sandbox)</h1>\
             <p>Penyedia akun tiruan untuk uji coba. Ketik pengenal akun SIAPkerja Anda.</p>\
             <form method=\"post\" action=\"/oidc/authorize\">{hidden}\
             <label for=\"subject\">Pengenal akun</label> \
             <input id=\"subject\" name=\"subject\" value=\"warga-demo\" required>\
             <button type=\"submit\" name=\"decision\" value=\"allow\">Masuk</button> \
             <button type=\"submit\" name=\"decision\" value=\"deny\">Batal</button>\
             </form></main></body></html>"
        ))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct AuthorizeForm {
    #[serde(flatten)]
    request: AuthorizeQuery,
    subject: String,
    decision: String,
}

fn back_to(redirect_uri: &str, params: &[(&str, &str)]) -> HttpResponse {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{redirect_uri}{sep}{query}")))
        .finish()
}

/// The person said who they are (or declined): back to the portal with a code.
async fn authorize(provider: web::Data<Provider>, form: web::Form<AuthorizeForm>) -> HttpResponse {
    let form = form.into_inner();
    let request = form.request;
    if let Some(why) = request.problem(&provider) {
        return bad_request(why);
    }
    let subject = form.subject.trim();
    if form.decision == "deny" || subject.is_empty() {
        return back_to(
            &request.redirect_uri,
            &[("error", "access_denied"), ("state", &request.state)],
        );
    }
    let code = crate::web::session::random_token();
    let mut grants = provider.grants.lock().expect("grants lock");
    grants.retain(|_, g| g.issued.elapsed() < CODE_FOR);
    grants.insert(
        code.clone(),
        Grant {
            redirect_uri: request.redirect_uri.clone(),
            challenge: request.code_challenge,
            nonce: (!request.nonce.is_empty()).then_some(request.nonce),
            subject: subject.to_owned(),
            issued: Instant::now(),
        },
    );
    back_to(
        &request.redirect_uri,
        &[("code", &code), ("state", &request.state)],
    )
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
}

/// An OAuth 2.0 error answer (RFC 6749 §5.2).
fn oauth_error(status: u16, error: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("a status"))
        .json(serde_json::json!({ "error": error }))
}

/// HTTP Basic credentials of the client, as `client_secret_basic` sends them.
fn client_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| url_decode(s).unwrap_or_else(|| s.to_owned());
    Some((unescape(id), unescape(secret)))
}

/// The form-urlencoding the client id and secret get inside Basic credentials (RFC 6749
/// §2.3.1).
fn url_decode(text: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={text}"))
        .ok()?
        .pop()
        .map(|(_, v)| v)
}

async fn token(
    req: HttpRequest,
    provider: web::Data<Provider>,
    form: web::Form<TokenForm>,
) -> HttpResponse {
    let client_ok = client_credentials(&req).is_some_and(|(id, secret)| {
        id == provider.client.id
            && crate::web::session::constant_time_eq(
                secret.as_bytes(),
                provider.client.secret.as_bytes(),
            )
    });
    if !client_ok {
        return oauth_error(401, "invalid_client");
    }
    if form.grant_type != "authorization_code" {
        return oauth_error(400, "unsupported_grant_type");
    }
    // Taken out whatever comes next: a code is good for one try.
    let grant = provider
        .grants
        .lock()
        .expect("grants lock")
        .remove(&form.code);
    let Some(grant) = grant.filter(|g| g.issued.elapsed() < CODE_FOR) else {
        return oauth_error(400, "invalid_grant");
    };
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(form.code_verifier.as_bytes()));
    if grant.redirect_uri != form.redirect_uri || challenge != grant.challenge {
        return oauth_error(400, "invalid_grant");
    }
    let issuer = issuer(&req);
    let now = chrono::Utc::now();
    let access_token = AccessToken::new(crate::web::session::random_token());
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(issuer).expect("an URL"),
        vec![Audience::new(provider.client.id.clone())],
        now + chrono::Duration::minutes(5),
        now,
        StandardClaims::new(SubjectIdentifier::new(grant.subject)),
        EmptyAdditionalClaims {},
    )
    .set_nonce(grant.nonce.map(Nonce::new));
    let id_token = match CoreIdToken::new(
        claims,
        &provider.key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&access_token),
        None,
    ) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "the sandbox could not sign an ID token");
            return oauth_error(500, "server_error");
        }
    };
    let mut answer = CoreTokenResponse::new(
        access_token,
        CoreTokenType::Bearer,
        CoreIdTokenFields::new(Some(id_token), EmptyExtraTokenFields {}),
    );
    answer.set_expires_in(Some(&Duration::from_secs(300)));
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(answer)
}
