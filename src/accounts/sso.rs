//! Sign-in through an external OpenID Connect provider (SIAPkerja's single sign-on, issue 17
//! item 3; docs/national-sync.md §6), as a relying party: the authorization code flow with
//! PKCE, a state bound to the browser's session and a nonce bound to the ID token. The
//! `openidconnect` crate checks the provider's discovery document and the ID token
//! (signature against the provider's keys, issuer, audience, expiry, nonce); the HTTP calls
//! go through our own blocking client, on a blocking thread, without following redirects.

use std::error::Error as _;
use std::io::Read as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::http::{self, HeaderValue, header};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpRequest, HttpResponse, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, TokenResponse,
};
use serde::{Deserialize, Serialize};

use crate::config::oidc::OidcSettings;
use crate::domain::ids::UserId;

/// The provider, where one is configured; registered once per process so that its
/// discovery document is shared by the workers.
#[derive(Default)]
pub struct Sso {
    provider: Option<Provider>,
}

impl Sso {
    pub fn new(settings: Option<&OidcSettings>) -> anyhow::Result<Self> {
        Ok(Self {
            provider: settings.map(Provider::new).transpose()?,
        })
    }

    pub fn provider(&self) -> Option<&Provider> {
        self.provider.as_ref()
    }
}

/// How long the provider's discovery document and keys are trusted before they are read
/// again: a provider rotates its signing keys with some overlap.
const METADATA_FOR: Duration = Duration::from_secs(600);

/// How long a browser may spend at the provider before coming back.
pub const PENDING_FOR: Duration = Duration::from_secs(600);

/// The largest answer read from the provider.
const MAX_ANSWER_BYTES: u64 = 1024 * 1024;

pub struct Provider {
    settings: OidcSettings,
    agent: ureq::Agent,
    metadata: Mutex<Option<(Instant, Arc<CoreProviderMetadata>)>>,
}

/// Why the sign-in could not go on; the detail goes to the log, never to the page.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// No answer from the provider, or not one that reads as its discovery document.
    #[error("the provider could not be reached: {0}")]
    Unreachable(String),
    /// The provider answered, but the code or the ID token was refused.
    #[error("the provider's answer was refused: {0}")]
    Refused(String),
}

/// Why the sign-in was started: it decides what the callback does with the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    SignIn,
    /// Link the account signed in when the flow started.
    Link(UserId),
}

/// What the browser's session keeps while the browser is at the provider: the session
/// cookie is encrypted, so the PKCE verifier and the nonce never show.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    pub purpose: Purpose,
    /// Where to go after signing in (a local path).
    pub next: String,
    /// Seconds since the epoch when the flow started.
    started: i64,
}

impl Pending {
    /// Whether the provider's `state` is this flow's, and the flow is recent.
    pub fn answers(&self, state: &str) -> bool {
        let age = chrono::Utc::now().timestamp() - self.started;
        crate::web::session::constant_time_eq(self.state.as_bytes(), state.as_bytes())
            && (0..PENDING_FOR.as_secs() as i64).contains(&age)
    }
}

/// An HTTP failure below the protocol.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Transport(String);

impl Provider {
    fn new(settings: &OidcSettings) -> anyhow::Result<Self> {
        let agent = crate::outbound::agent(
            &settings.issuer,
            settings.timeout,
            settings.pinned_cert.as_deref(),
        )?;
        Ok(Self {
            settings: settings.clone(),
            agent,
            metadata: Mutex::new(None),
        })
    }

    /// The provider's name on the buttons.
    pub fn name(&self) -> &str {
        &self.settings.name
    }

    /// The issuer, as the links to accounts name it.
    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    /// One HTTP exchange for the `openidconnect` crate, which builds and reads it.
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, Transport> {
        let url = request.uri().to_string();
        let mut call = self.agent.request(request.method().as_str(), &url);
        for (name, value) in request.headers() {
            let value = value
                .to_str()
                .map_err(|_| Transport(format!("header {name} is not text")))?;
            call = call.set(name.as_str(), value);
        }
        let answer = if request.method() == http::Method::POST {
            call.send_bytes(request.body())
        } else {
            call.call()
        };
        let answer = match answer {
            // An error status is an answer: the crate reads the provider's error from it.
            Ok(a) | Err(ureq::Error::Status(_, a)) => a,
            Err(e) => {
                return Err(Transport(match e.source() {
                    Some(cause) => format!("{e}: {cause}"),
                    None => e.to_string(),
                }));
            }
        };
        let mut built = http::Response::builder().status(answer.status());
        if let Some(value) = answer
            .header(header::CONTENT_TYPE.as_str())
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            built = built.header(header::CONTENT_TYPE, value);
        }
        let mut body = Vec::new();
        answer
            .into_reader()
            .take(MAX_ANSWER_BYTES)
            .read_to_end(&mut body)
            .map_err(|e| Transport(format!("reading the answer: {e}")))?;
        built
            .body(body)
            .map_err(|e| Transport(format!("the answer: {e}")))
    }

    /// The discovery document with the provider's keys, read again after a while or
    /// when `fresh` asks for it.
    fn metadata(&self, fresh: bool) -> Result<Arc<CoreProviderMetadata>, SsoError> {
        if !fresh
            && let Some((read_at, metadata)) = &*self.metadata.lock().expect("metadata lock")
            && read_at.elapsed() < METADATA_FOR
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| SsoError::Unreachable(format!("issuer: {e}")))?;
        let metadata = CoreProviderMetadata::discover(&issuer, &|r| self.call(r))
            .map(Arc::new)
            .map_err(|e| SsoError::Unreachable(chain(&e)))?;
        *self.metadata.lock().expect("metadata lock") = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn redirect(&self) -> Result<RedirectUrl, SsoError> {
        RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|e| SsoError::Refused(format!("redirect URL: {e}")))
    }

    /// Where to send the browser, and what its session keeps until it comes back.
    /// Blocking: reads the discovery document when it is not at hand.
    pub fn begin(&self, purpose: Purpose, next: String) -> Result<(String, Pending), SsoError> {
        let metadata = self.metadata(false)?;
        let client = CoreClient::from_provider_metadata(
            (*metadata).clone(),
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect()?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge)
            .url();
        Ok((
            url.to_string(),
            Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
                purpose,
                next,
                started: chrono::Utc::now().timestamp(),
            },
        ))
    }

    /// Trades the code for an ID token and checks it: the provider's subject for the
    /// person who signed in. Blocking.
    pub fn finish(&self, pending: &Pending, code: &str) -> Result<String, SsoError> {
        let metadata = self.metadata(false)?;
        let client = |metadata: &CoreProviderMetadata| {
            CoreClient::from_provider_metadata(
                metadata.clone(),
                ClientId::new(self.settings.client_id.clone()),
                Some(ClientSecret::new(self.settings.client_secret.clone())),
            )
        };
        let first = client(&metadata).set_redirect_uri(self.redirect()?);
        let answer = first
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| SsoError::Refused(format!("token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request(&|r| self.call(r))
            .map_err(|e| SsoError::Refused(chain(&e)))?;
        let id_token = answer
            .id_token()
            .ok_or_else(|| SsoError::Refused("no ID token in the answer".into()))?;
        let nonce = Nonce::new(pending.nonce.clone());
        let subject = match id_token.claims(&first.id_token_verifier(), &nonce) {
            Ok(claims) => claims.subject().as_str().to_owned(),
            Err(first_error) => {
                // Signed with a key newer than ours: the keys are read again, once.
                let metadata = self.metadata(true)?;
                let again = client(&metadata);
                id_token
                    .claims(&again.id_token_verifier(), &nonce)
                    .map_err(|e| SsoError::Refused(format!("ID token: {first_error}; again: {e}")))?
                    .subject()
                    .as_str()
                    .to_owned()
            }
        };
        Ok(subject)
    }
}

/// An error with its causes, for the log.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
