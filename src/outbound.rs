//! HTTP calls the portal makes to other services (the national system's exchange, its
//! sign-in provider): blocking, on threads of their own, with the OpenSSL that lettre and
//! libpq already link, never following a redirect (an answer must not send us elsewhere:
//! SSRF), and with an optional pinned certificate.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// An agent for `url`'s service: HTTPS trusts the system's roots, or only `pinned` (a PEM
/// certificate or CA) when given.
pub fn agent(url: &str, timeout: Duration, pinned: Option<&Path>) -> anyhow::Result<ureq::Agent> {
    let mut builder = ureq::AgentBuilder::new()
        .timeout(timeout)
        .user_agent(concat!("sibuser/", env!("CARGO_PKG_VERSION")))
        .redirects(0);
    if url.starts_with("https://") {
        let mut tls = native_tls::TlsConnector::builder();
        if let Some(path) = pinned {
            let pem = std::fs::read(path)?;
            tls.disable_built_in_roots(true)
                .add_root_certificate(native_tls::Certificate::from_pem(&pem)?);
        }
        builder = builder.tls_connector(Arc::new(tls.build()?));
    }
    Ok(builder.build())
}
